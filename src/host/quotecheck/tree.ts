/**
 * The Quote Check view: the workspace's checked quotations grouped by status (altered and spliced
 * first) or by speaker; under each quotation, where it was matched and the other sources carrying it.
 */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { QuoteCheck, QuoteMatch } from '../../core/quotecheck';
import { clip } from '../../core/text/escape';
import { matchArg, quoteLabel, statusLabel } from './format';
import type { QuoteCheckModel } from './model';

export type QuoteCheckNode =
  | { kind: 'group'; label: string; checks: QuoteCheck[]; status?: QuoteCheck['status'] }
  | { kind: 'quote'; check: QuoteCheck }
  | { kind: 'match'; match: QuoteMatch; role: 'source' | 'elsewhere' };

export type QuoteCheckGrouping = 'status' | 'speaker';


/** Problems first. */
const STATUS_ORDER: readonly QuoteCheck['status'][] = ['altered', 'spliced', 'marked-edit', 'verbatim', 'unmatched'];

const STATUS_ICON: Record<QuoteCheck['status'], string> = {
  verbatim: 'pass',
  'marked-edit': 'edit',
  altered: 'warning',
  spliced: 'warning',
  unmatched: 'question',
};

export class QuoteCheckTree implements vscode.TreeDataProvider<QuoteCheckNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<QuoteCheckNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  grouping: QuoteCheckGrouping = 'status';
  private readonly listener: vscode.Disposable;

  constructor(private readonly model: QuoteCheckModel) {
    this.listener = model.onDidChange(() => this.emitter.fire(undefined));
  }

  setGrouping(g: QuoteCheckGrouping): void {
    this.grouping = g;
    this.emitter.fire(undefined);
  }

  /** The checked quotations of the sources (not the primaries), in path order. */
  private checks(): QuoteCheck[] {
    const all = this.model.all();
    return [...all.keys()].sort().flatMap((k) => all.get(k)!.filter((c) => !c.short));
  }

  getChildren(node?: QuoteCheckNode): QuoteCheckNode[] {
    if (!node) {
      const checks = this.checks();
      if (this.grouping === 'status') {
        return STATUS_ORDER.map((status) => ({ kind: 'group' as const, status, label: statusLabel(status), checks: checks.filter((c) => c.status === status) })).filter((g) => g.checks.length);
      }
      const bySpeaker = new Map<string, QuoteCheck[]>();
      for (const c of checks) {
        const name = c.speaker?.canonical || c.speaker?.name || '(no speaker)';
        const list = bySpeaker.get(name);
        if (list) list.push(c);
        else bySpeaker.set(name, [c]);
      }
      return [...bySpeaker.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).map(([label, list]) => ({ kind: 'group' as const, label, checks: list }));
    }
    if (node.kind === 'group') return node.checks.map((check) => ({ kind: 'quote' as const, check }));
    if (node.kind === 'quote') {
      const out: QuoteCheckNode[] = [];
      const first = node.check.matches[0];
      if (first) out.push({ kind: 'match', match: first, role: 'source' });
      for (const e of node.check.elsewhere) if (e.path !== node.check.path) out.push({ kind: 'match', match: e, role: 'elsewhere' });
      return out;
    }
    return [];
  }

  getTreeItem(node: QuoteCheckNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, node.status === 'altered' || node.status === 'spliced' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${node.checks.length}`;
      item.contextValue = 'marginalia.quoteCheckGroup';
      if (node.status) item.iconPath = new vscode.ThemeIcon(STATUS_ICON[node.status]);
      else item.iconPath = new vscode.ThemeIcon('person');
      return item;
    }
    if (node.kind === 'quote') {
      const c = node.check;
      const others = c.elsewhere.filter((e) => e.path !== c.path).length;
      const item = new vscode.TreeItem(quoteLabel(c.text), c.matches.length || others ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      const speaker = c.speaker ? clip(c.speaker.canonical || c.speaker.name, 30) : '';
      item.description = [this.grouping === 'speaker' ? statusLabel(c.status) : speaker, this.model.rel(c.path), others ? `+${others} elsewhere` : ''].filter(Boolean).join(' · ');
      item.tooltip = `${c.text}\n${statusLabel(c.status)}${c.speaker ? ` — ${c.speaker.name}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(STATUS_ICON[c.status]);
      item.contextValue = 'marginalia.quoteCheck';
      item.command = { command: Commands.openQuoteCheckMatch, title: 'Open Quotation', arguments: [{ path: c.path, start: c.start, end: c.end, here: true }] };
      return item;
    }
    const m = node.match;
    const label = node.role === 'source' ? `${m.against === 'primary' ? 'primary' : 'compared with'}: ${this.model.rel(m.path)}` : `also in ${this.model.rel(m.path)}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.description = statusLabel(m.status);
    item.iconPath = new vscode.ThemeIcon(node.role === 'source' ? 'file-text' : 'references');
    item.contextValue = 'marginalia.quoteCheckMatch';
    item.command = { command: Commands.openQuoteCheckMatch, title: 'Open Beside', arguments: [matchArg(m)] };
    return item;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
