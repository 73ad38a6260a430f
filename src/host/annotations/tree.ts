import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { Annotation } from '../../core/sidecar';
import type { Analysis } from '../../core/types';
import { evidenceRow, type EvidenceView } from './evidenceCard';
import type { AnnotationStore, SourceEntry } from './store';
import { VERDICT_ICONS, verdictClass, verdictColorId } from './verdicts';

export const GROUPINGS = ['source', 'kind', 'tag', 'verdict', 'entity', 'speaker'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export type AnnotationTreeNode =
  | { type: 'source'; entry: SourceEntry }
  | { type: 'group'; label: string; items: { entry: SourceEntry; item: Annotation }[] }
  | { type: 'annotation'; entry: SourceEntry; item: Annotation }
  /** An evidence link of a claim (`index` in its `evidence` list). */
  | { type: 'evidence'; entry: SourceEntry; item: Annotation; index: number };

/** The evidence links of a claim, anchored on their sources' current texts (EvidenceTexts.views). */
export type EvidenceViews = (entry: SourceEntry, item: Annotation) => EvidenceView[];

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

  constructor(
    private readonly store: AnnotationStore,
    private readonly analysisFor: (uri: vscode.Uri) => Analysis | undefined,
    private readonly evidenceOf: EvidenceViews = () => [],
  ) {
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

  /**
   * By source: sources → annotations. Grouped (by kind, tag, verdict, entity, speaker): the groups
   * across every source → annotations, each saying which source it is in.
   */
  getChildren(node?: AnnotationTreeNode): AnnotationTreeNode[] {
    if (!node) {
      const entries = this.store.all()
        .filter((e) => e.sidecar.annotations.length > 0 || e.error)
        .filter((e) => !this.filter || this.visible(e).length > 0);
      if (this.grouping === 'source') return entries.map((entry) => ({ type: 'source', entry }));
      const groups = new Map<string, { entry: SourceEntry; item: Annotation }[]>();
      for (const entry of entries) {
        for (const item of this.visible(entry)) {
          for (const k of this.groupKeys(entry, item)) (groups.get(k) ?? groups.set(k, []).get(k)!).push({ entry, item });
        }
      }
      const broken: AnnotationTreeNode[] = entries.filter((e) => e.error).map((entry) => ({ type: 'source', entry }));
      const last = (k: string): number => (k.startsWith('(') ? 1 : 0);
      return [
        ...[...groups.entries()].sort(([a], [b]) => last(a) - last(b) || a.localeCompare(b)).map(([label, items]): AnnotationTreeNode => ({ type: 'group', label, items })),
        ...broken,
      ];
    }
    if (node.type === 'source') return this.visible(node.entry).map((item) => ({ type: 'annotation', entry: node.entry, item }));
    if (node.type === 'group') return node.items.map(({ entry, item }) => ({ type: 'annotation', entry, item }));
    if (node.type === 'annotation') return (node.item.evidence ?? []).map((_, index) => ({ type: 'evidence', entry: node.entry, item: node.item, index }));
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
      t.id = `group:${this.grouping}:${node.label}`;
      const sources = new Set(node.items.map((x) => x.entry.key)).size;
      t.description = `${node.items.length}${sources > 1 ? ` in ${sources} sources` : ''}`;
      if (this.grouping === 'verdict') {
        const c = verdictClass(node.label.startsWith('(') ? undefined : node.label);
        t.iconPath = c === 'none' ? new vscode.ThemeIcon('circle-outline') : new vscode.ThemeIcon(VERDICT_ICONS[c], new vscode.ThemeColor(verdictColorId(c)));
      } else {
        t.iconPath = new vscode.ThemeIcon(this.grouping === 'tag' ? 'tag' : this.grouping === 'speaker' ? 'quote' : this.grouping === 'entity' ? 'symbol-class' : 'list-tree');
      }
      t.contextValue = 'group';
      return t;
    }
    if (node.type === 'evidence') return this.evidenceItem(node);
    const { entry, item } = node;
    const orphan = item.orphan || entry.sourceMissing;
    // The verdict first (it is what a fact-checker scans for), then the note or the annotated text.
    const text = item.note ? oneLine(item.note, 60) : `“${oneLine(item.target.exact, 50)}”`;
    const label = item.verdict ? `${oneLine(item.verdict, 20)}: ${text}` : text;
    const t = new vscode.TreeItem(label, item.evidence?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // A claim that gets its first evidence link is a new row to the view, so that it opens expanded
    // (the view keeps a row's collapsed state by id).
    t.id = `annotation:${entry.key}:${item.id}${item.evidence?.length ? ':evidence' : ''}`;
    const where = this.grouping !== 'source' ? `· ${vscode.workspace.asRelativePath(entry.sourceUri)}` : '';
    const n = item.evidence?.length ?? 0;
    const bits = [item.kind, item.tags?.length ? `· #${item.tags.join(' #')}` : '', n ? `· ${n} evidence` : '', where];
    t.description = orphan ? `orphaned · last text “${oneLine(item.target.exact, 40)}”` : bits.filter(Boolean).join(' ');
    const c = verdictClass(item.verdict);
    t.iconPath = orphan
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : c === 'none'
        ? new vscode.ThemeIcon(KIND_ICONS[item.kind] ?? 'note', new vscode.ThemeColor('marginalia.annotationBorder'))
        : new vscode.ThemeIcon(VERDICT_ICONS[c], new vscode.ThemeColor(verdictColorId(c)));
    const tip = new vscode.MarkdownString();
    tip.appendText(`${item.kind}${item.verdict ? ` — ${item.verdict}` : ''}\n\n`);
    if (item.note) tip.appendText(`${item.note}\n\n`);
    tip.appendText(`“${oneLine(item.target.exact, 200)}”`);
    if (orphan) tip.appendText('\n\nOrphaned: this text is no longer in the source. Select the new text and run Re-anchor to Selection.');
    t.tooltip = tip;
    t.contextValue = contextValueOf(entry, item);
    t.command = { command: Commands.revealAnnotation, title: 'Reveal', arguments: [{ uri: entry.sourceUri.toString(), id: item.id }] };
    return t;
  }

  /**
   * An evidence link under its claim: the relation and the quoted text, the other source; orphans
   * (the text is gone, or the source cannot be read) are kept and marked. Click: open the other
   * source at the span.
   */
  private evidenceItem(node: { entry: SourceEntry; item: Annotation; index: number }): vscode.TreeItem {
    const stored = node.item.evidence?.[node.index];
    const v = this.evidenceOf(node.entry, node.item)[node.index]
      ?? (stored ? { index: node.index, relation: stored.relation, source: stored.source, exact: stored.target.exact, orphan: stored.orphan === true } : undefined);
    const row = v ? evidenceRow(v) : { label: '(evidence)', description: '', tooltip: '' };
    const t = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    t.id = `evidence:${node.entry.key}:${node.item.id}:${node.index}`;
    t.description = row.description;
    t.tooltip = row.tooltip;
    const icon = v?.relation === 'supports' ? 'pass' : v?.relation === 'contradicts' ? 'error' : 'info';
    t.iconPath = v?.orphan ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon(icon);
    t.contextValue = `evidence${v?.orphan ? '.orphan' : ''}${node.entry.readOnly ? '.readonly' : ''}`;
    t.command = { command: Commands.openEvidence, title: 'Open Evidence', arguments: [{ uri: node.entry.sourceUri.toString(), id: node.item.id, index: node.index }] };
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
