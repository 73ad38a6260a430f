import * as vscode from 'vscode';
import type { Annotation } from '../../core/sidecar';
import type { Analysis } from '../../core/types';
import type { AnnotationStore, SourceEntry } from './store';

export const GROUPINGS = ['source', 'kind', 'tag', 'verdict', 'entity', 'speaker'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export type AnnotationTreeNode =
  | { type: 'source'; entry: SourceEntry }
  | { type: 'group'; entry: SourceEntry; label: string; items: Annotation[] }
  | { type: 'annotation'; entry: SourceEntry; item: Annotation };

const KIND_ICONS: Record<string, string> = {
  note: 'note', claim: 'megaphone', question: 'question', verdict: 'law', tag: 'tag', link: 'link', correction: 'edit',
};

function oneLine(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** `annotation` / `annotation.orphan`, with `.readonly` appended when the sidecar cannot be written. */
export function contextValueOf(entry: SourceEntry, item: Annotation): string {
  return `annotation${item.orphan || entry.sourceMissing ? '.orphan' : ''}${entry.readOnly ? '.readonly' : ''}`;
}

/**
 * Sources → annotations (or sources → groups → annotations), filterable. Orphans stay listed, marked
 * with a warning icon and their last known text.
 */
export class AnnotationTree implements vscode.TreeDataProvider<AnnotationTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AnnotationTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  grouping: Grouping = 'source';
  filter = '';
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: AnnotationStore, private readonly analysisFor: (uri: vscode.Uri) => Analysis | undefined) {
    this.sub = store.onDidChange(() => this.refresh());
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  private matches(entry: SourceEntry, a: Annotation): boolean {
    if (!this.filter) return true;
    const f = this.filter.toLowerCase();
    const hay = [a.kind, a.note ?? '', a.verdict ?? '', a.author ?? '', ...(a.tags ?? []), a.target.exact, entry.sourceUri.path].join('\n').toLowerCase();
    return hay.includes(f);
  }

  visible(entry: SourceEntry): Annotation[] {
    const list = entry.sidecar.annotations.filter((a) => this.matches(entry, a));
    return list.sort((x, y) => (x.orphan ? 1 : 0) - (y.orphan ? 1 : 0) || x.target.start - y.target.start || (x.id < y.id ? -1 : 1));
  }

  private groupKeys(entry: SourceEntry, a: Annotation): string[] {
    switch (this.grouping) {
      case 'kind': return [a.kind];
      case 'tag': return a.tags?.length ? a.tags : ['(no tag)'];
      case 'verdict': return [a.verdict ?? '(no verdict)'];
      case 'entity':
      case 'speaker': {
        const analysis = this.analysisFor(entry.sourceUri);
        const span = entry.live?.get(a.id);
        if (!analysis || !span) return ['(source not open)'];
        if (this.grouping === 'entity') {
          const names = [...new Set(analysis.mentions.filter((m) => m.start < span.end && span.start < m.end).map((m) => m.canonical))];
          return names.length ? names : ['(no entity)'];
        }
        const q = analysis.quotes.find((x) => x.start < span.end && span.start < x.end);
        return [q?.speaker?.name ?? (q ? '(unattributed quotation)' : '(not in a quotation)')];
      }
      default: return [];
    }
  }

  getChildren(node?: AnnotationTreeNode): AnnotationTreeNode[] {
    if (!node) {
      return this.store.all()
        .filter((e) => e.sidecar.annotations.length > 0 || e.error)
        .filter((e) => !this.filter || this.visible(e).length > 0)
        .map((entry) => ({ type: 'source', entry }));
    }
    if (node.type === 'source') {
      const items = this.visible(node.entry);
      if (this.grouping === 'source') return items.map((item) => ({ type: 'annotation', entry: node.entry, item }));
      const groups = new Map<string, Annotation[]>();
      for (const a of items) for (const k of this.groupKeys(node.entry, a)) (groups.get(k) ?? groups.set(k, []).get(k)!).push(a);
      return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, list]) => ({ type: 'group', entry: node.entry, label, items: list }));
    }
    if (node.type === 'group') return node.items.map((item) => ({ type: 'annotation', entry: node.entry, item }));
    return [];
  }

  getTreeItem(node: AnnotationTreeNode): vscode.TreeItem {
    if (node.type === 'source') {
      const e = node.entry;
      const t = new vscode.TreeItem(vscode.workspace.asRelativePath(e.sourceUri), vscode.TreeItemCollapsibleState.Expanded);
      t.id = `source:${e.key}`;
      t.resourceUri = e.sourceUri;
      const n = e.sidecar.annotations.length;
      const orphans = e.sidecar.annotations.filter((a) => a.orphan).length;
      t.description = [`${n}`, orphans ? `${orphans} orphaned` : '', e.sourceMissing ? 'source deleted' : '', e.readOnly ? 'read-only' : ''].filter(Boolean).join(' · ');
      t.iconPath = e.error ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')) : vscode.ThemeIcon.File;
      t.tooltip = e.readOnly ?? vscode.workspace.asRelativePath(e.sidecarUri);
      t.contextValue = `source${e.readOnly ? '.readonly' : ''}`;
      return t;
    }
    if (node.type === 'group') {
      const t = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      t.id = `group:${node.entry.key}:${this.grouping}:${node.label}`;
      t.description = String(node.items.length);
      t.iconPath = new vscode.ThemeIcon(this.grouping === 'tag' ? 'tag' : this.grouping === 'speaker' ? 'quote' : this.grouping === 'entity' ? 'symbol-class' : 'list-tree');
      t.contextValue = 'group';
      return t;
    }
    const { entry, item } = node;
    const orphan = item.orphan || entry.sourceMissing;
    const label = item.note ? oneLine(item.note) : `“${oneLine(item.target.exact, 60)}”`;
    const t = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    t.id = `annotation:${entry.key}:${item.id}`;
    const bits = [item.kind, item.verdict ? `· ${item.verdict}` : '', item.tags?.length ? `· #${item.tags.join(' #')}` : ''];
    t.description = orphan ? `orphaned · last text “${oneLine(item.target.exact, 40)}”` : bits.filter(Boolean).join(' ');
    t.iconPath = orphan
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(KIND_ICONS[item.kind] ?? 'note');
    const tip = new vscode.MarkdownString();
    tip.appendText(`${item.kind}${item.verdict ? ` — ${item.verdict}` : ''}\n\n`);
    if (item.note) tip.appendText(`${item.note}\n\n`);
    tip.appendText(`“${oneLine(item.target.exact, 200)}”`);
    if (orphan) tip.appendText('\n\nOrphaned: this text is no longer in the source. Select the new text and run Re-anchor to Selection.');
    t.tooltip = tip;
    t.contextValue = contextValueOf(entry, item);
    t.command = { command: 'marginalia.revealAnnotation', title: 'Reveal', arguments: [{ uri: entry.sourceUri.toString(), id: item.id }] };
    return t;
  }

  /** Rows as text (for tests): `source/label (description)`. */
  snapshot(): string[] {
    const out: string[] = [];
    const walk = (n: AnnotationTreeNode, depth: number): void => {
      const t = this.getTreeItem(n);
      const label = typeof t.label === 'string' ? t.label : t.label?.label ?? '';
      out.push(`${'  '.repeat(depth)}${label}${t.description ? ` (${String(t.description)})` : ''}`);
      for (const c of this.getChildren(n)) walk(c, depth + 1);
    };
    for (const n of this.getChildren()) walk(n, 0);
    return out;
  }
}
