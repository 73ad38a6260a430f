import * as vscode from 'vscode';
import type { EntityType } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import { Commands } from '../commands';
import { KIND_LABELS } from '../decorations/kinds';
import { clip } from '../hover/cards';
import { context, groupEntities, groupQuotes, type QuotesFilter, type EntityGroup, type MentionRef, type QuoteRef, type SourceAnalysis, type SpeakerGroup, type TypeGroup } from './group';
import type { WorkspaceIndex } from './workspaceIndex';

export type QuotesNode = { kind: 'speaker'; group: SpeakerGroup } | { kind: 'quote'; ref: QuoteRef; text: string };
export type EntitiesNode =
  | { kind: 'type'; group: TypeGroup }
  | { kind: 'entity'; group: EntityGroup }
  | { kind: 'mention'; ref: MentionRef; text: string };

const TYPE_ICONS: Record<EntityType, string> = {
  person: 'person',
  organization: 'organization',
  place: 'location',
  group: 'account',
  date: 'calendar',
  number: 'symbol-number',
};

/** What the views show: the active source, or the whole scanned workspace. */
export class ViewScope implements vscode.Disposable {
  private document?: vscode.TextDocument;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly service: DocumentAnalysisService,
    readonly index: WorkspaceIndex,
  ) {
    this.follow(vscode.window.activeTextEditor);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e)),
      service.onDidChangeAnalysis((e) => {
        if (this.index.isScanned || e.document === this.document || (!this.document && e.analysis)) {
          if (!this.document && e.analysis) this.document = e.document;
          this.emitter.fire();
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.document = undefined;
          this.emitter.fire();
        }
      }),
      // The source's last tab closed: the views say how to open one (VS Code closes the document itself later).
      vscode.window.tabGroups.onDidChangeTabs(() => {
        const doc = this.document;
        if (!doc || this.isOpenInTab(doc.uri)) return;
        this.document = undefined;
        this.emitter.fire();
      }),
      index.onDidChange(() => this.emitter.fire()),
    );
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    if (!editor || !this.service.isSource(editor.document) || editor.document === this.document) return;
    this.document = editor.document;
    this.emitter.fire();
  }

  private isOpenInTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  }

  get workspace(): boolean {
    return this.index.isScanned;
  }

  /** A short description for the view title. */
  get label(): string {
    if (this.workspace) return 'Workspace';
    return this.document ? (this.document.uri.path.split('/').pop() ?? '') : '';
  }

  sources(): SourceAnalysis[] {
    if (this.workspace) return this.index.sources().map((s) => ({ source: s.uri.toString(), text: s.text, analysis: s.analysis }));
    const doc = this.document;
    const r = doc && this.service.get(doc);
    // The text the analysis was made from, so that slices stay right while the user types.
    return doc && r ? [{ source: doc.uri.toString(), text: r.text, analysis: r.analysis }] : [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function fileName(source: string): string {
  return decodeURIComponent(source.split('/').pop() ?? source);
}

function revealCommand(source: string, start: number, end: number): vscode.Command {
  return { command: Commands.revealRange, title: 'Reveal', arguments: [source, start, end] };
}

/**
 * *Quotes*: speaker → quotations and reported statements (attributions without quotation marks,
 * marked "reported"); `filter` 'quotations' leaves reported speech out.
 */
export class QuotesTreeProvider implements vscode.TreeDataProvider<QuotesNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<QuotesNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly listener: vscode.Disposable;
  private shown: QuotesFilter = 'all';

  constructor(private readonly scope: ViewScope) {
    this.listener = scope.onDidChange(() => this.emitter.fire(undefined));
  }

  get filter(): QuotesFilter {
    return this.shown;
  }

  setFilter(filter: QuotesFilter): void {
    if (filter === this.shown) return;
    this.shown = filter;
    this.emitter.fire(undefined);
  }

  getChildren(node?: QuotesNode): QuotesNode[] {
    if (!node) return groupQuotes(this.scope.sources(), this.shown).map((group) => ({ kind: 'speaker', group }));
    if (node.kind === 'speaker') return node.group.quotes.map((ref) => ({ kind: 'quote', ref, text: ref.text }));
    return [];
  }

  getTreeItem(node: QuotesNode): vscode.TreeItem {
    if (node.kind === 'speaker') {
      const item = new vscode.TreeItem(node.group.name || '(speaker not found)', vscode.TreeItemCollapsibleState.Expanded);
      const reported = node.group.quotes.filter((q) => q.reported).length;
      item.description = reported ? `${node.group.quotes.length} · ${reported} reported` : `${node.group.quotes.length}`;
      item.iconPath = new vscode.ThemeIcon(node.group.name ? 'person' : 'question');
      item.contextValue = 'marginalia.speaker';
      item.id = `speaker:${node.group.name}`;
      return item;
    }
    const item = new vscode.TreeItem(clip(node.text, 90), vscode.TreeItemCollapsibleState.None);
    // Reported speech reads "reported", in its own icon and colour; a marked fragment of it says so.
    const kind = node.ref.reported ? 'reported' : node.ref.partOfReported ? `${node.ref.kind} · in reported speech` : node.ref.kind;
    item.description = this.scope.workspace ? `${kind} · ${fileName(node.ref.source)}` : kind;
    item.tooltip = new vscode.MarkdownString().appendText(node.ref.reported ? `Reported speech: ${node.text}` : node.text);
    item.iconPath = node.ref.reported ? new vscode.ThemeIcon('comment-discussion', new vscode.ThemeColor('marginalia.attributionBorder')) : new vscode.ThemeIcon('quote');
    item.command = revealCommand(node.ref.source, node.ref.start, node.ref.end);
    item.contextValue = node.ref.reported ? 'marginalia.attribution' : 'marginalia.quote';
    return item;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

/** *Entities*: type → entity → mentions. */
export class EntitiesTreeProvider implements vscode.TreeDataProvider<EntitiesNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<EntitiesNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly listener: vscode.Disposable;
  private texts = new Map<string, string>();

  constructor(private readonly scope: ViewScope) {
    this.listener = scope.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: EntitiesNode): EntitiesNode[] {
    if (!node) {
      const sources = this.scope.sources();
      this.texts = new Map(sources.map((s) => [s.source, s.text]));
      return groupEntities(sources).map((group) => ({ kind: 'type', group }));
    }
    if (node.kind === 'type') return node.group.entities.map((group) => ({ kind: 'entity', group }));
    if (node.kind === 'entity') {
      return node.group.mentions.map((ref) => ({ kind: 'mention', ref, text: context(this.texts.get(ref.source) ?? '', ref.start, ref.end) }));
    }
    return [];
  }

  getTreeItem(node: EntitiesNode): vscode.TreeItem {
    if (node.kind === 'type') {
      const item = new vscode.TreeItem(KIND_LABELS[node.group.type], vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.group.entities.length}`;
      // In the type's decoration colour: the view doubles as the editor's colour legend.
      item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[node.group.type], new vscode.ThemeColor(`marginalia.${node.group.type}Foreground`));
      item.id = `type:${node.group.type}`;
      return item;
    }
    if (node.kind === 'entity') {
      const g = node.group;
      const item = new vscode.TreeItem(g.canonical, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${g.mentions.length}${g.roles.length ? ` · ${clip(g.roles[0], 40)}` : ''}`;
      item.contextValue = 'marginalia.entity';
      item.iconPath = new vscode.ThemeIcon('circle-small-filled', new vscode.ThemeColor(`marginalia.${g.type}Foreground`));
      item.id = `entity:${g.type}:${g.canonical}`;
      return item;
    }
    const item = new vscode.TreeItem(node.text || node.ref.text, vscode.TreeItemCollapsibleState.None);
    const idx = (node.text || '').indexOf(node.ref.text);
    if (idx >= 0) item.label = { label: node.text, highlights: [[idx, idx + node.ref.text.length]] };
    if (this.scope.workspace) item.description = fileName(node.ref.source);
    item.command = revealCommand(node.ref.source, node.ref.start, node.ref.end);
    item.contextValue = 'marginalia.mention';
    return item;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
