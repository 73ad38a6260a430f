/**
 * The quotation check in the editor: altered and spliced
 * quotations get a themeable underline and a warning in the Problems panel, the hover shows the word
 * diff against the primary source, the Quote Check view lists the workspace's quotations, and the
 * commands mark primary sources, open a match beside and copy the faithful quotation.
 *
 * Its own hover provider (VS Code merges it with the main one), decoration types, diagnostics and
 * view: nothing here changes the other editor features.
 */
import * as vscode from 'vscode';
import { guarded } from '../guard';
import { Commands } from '../commands';
import type { QuoteCheck } from '../../core/quotecheck';
import type { Logger } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import { SOURCE_SCHEMES } from '../analysis/sources';
import type { Configuration } from '../config';
import { diagnosticMessage, faithfulQuotation, hoverMarkdown, isProblem, type MatchArg } from './format';
import { QuoteCheckModel } from './model';
import { QuoteCheckTree } from './tree';

export const QUOTE_CHECK_VIEW = 'marginalia.quoteCheck';
export const DIAGNOSTIC_SOURCE = 'Marginalia';

export interface QuoteCheckDeps {
  service: DocumentAnalysisService;
  config: Configuration;
  log: Logger;
}


/** The offset in the normalised text of a position in a document. */
function normOffset(doc: vscode.TextDocument, position: vscode.Position): number {
  const o = doc.offsetAt(position);
  return doc.eol === vscode.EndOfLine.CRLF ? o - position.line : o;
}

type Decorations = { altered: vscode.TextEditorDecorationType; spliced: vscode.TextEditorDecorationType };

export function registerQuoteCheck(deps: QuoteCheckDeps): vscode.Disposable {
  const { log } = deps;
  const model = new QuoteCheckModel(deps.service, deps.config, log);
  const diagnostics = vscode.languages.createDiagnosticCollection('marginalia-quotes');
  const decorations = createDecorationTypes();
  const tree = new QuoteCheckTree(model);
  const view = vscode.window.createTreeView(QUOTE_CHECK_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const setGrouping = (g: 'status' | 'speaker') => groupView(tree, view, g);
  setGrouping('status');
  const paint = () => paintEditors(model, decorations);
  const refresh = () => {
    try {
      publishDiagnostics(model, diagnostics);
      paint();
    } catch (err) {
      log.error(err instanceof Error ? err : String(err));
    }
  };
  const hover = registerHover(model);
  const viewScan = new ScanForView(model);
  if (view.visible) viewScan.once();

  return vscode.Disposable.from(
    model,
    diagnostics,
    decorations.altered,
    decorations.spliced,
    tree,
    view,
    hover,
    model.onDidChange(refresh),
    view.onDidChangeVisibility((e) => {
      if (e.visible) viewScan.once();
    }),
    vscode.window.onDidChangeVisibleTextEditors(paint),
    vscode.commands.registerCommand(Commands.openQuoteCheckMatch, guarded((arg?: MatchArg & { here?: boolean }) => openMatch(model, arg), { log, what: 'Open Match' })),
    vscode.commands.registerCommand(Commands.copyFaithfulQuotation, guarded((arg?: { path: string; start: number }) => copyFaithful(model, arg), { log, what: 'Copy Faithful Quotation' })),
    vscode.commands.registerCommand(Commands.markPrimarySource, guarded((uri?: vscode.Uri, selected?: vscode.Uri[]) => setPrimary(model, log, true, uri, selected), { log, what: 'Mark as Primary Source' })),
    vscode.commands.registerCommand(Commands.unmarkPrimarySource, guarded((uri?: vscode.Uri, selected?: vscode.Uri[]) => setPrimary(model, log, false, uri, selected), { log, what: 'Unmark Primary Source' })),
    vscode.commands.registerCommand(Commands.checkQuotations, guarded(() => viewScan.checkQuotations(), { log, what: 'Check Quotations' })),
    vscode.commands.registerCommand(Commands.groupQuoteCheckByStatus, () => setGrouping('status')),
    vscode.commands.registerCommand(Commands.groupQuoteCheckBySpeaker, () => setGrouping('speaker')),
  );
}

/** The underlines of altered (dashed) and spliced (dotted) quotations, with their marks in the overview ruler. */
function createDecorationTypes(): Decorations {
  const underline = (borderStyle: string, color: string) => vscode.window.createTextEditorDecorationType({
    borderWidth: '0 0 2px 0',
    borderStyle,
    borderColor: new vscode.ThemeColor(color),
    overviewRulerColor: new vscode.ThemeColor(color),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  return { altered: underline('dashed', 'marginalia.quoteAlteredBorder'), spliced: underline('dotted', 'marginalia.quoteSplicedBorder') };
}

function groupView(tree: QuoteCheckTree, view: vscode.TreeView<unknown>, g: 'status' | 'speaker'): void {
  tree.setGrouping(g);
  view.description = g === 'status' ? 'by status' : 'by speaker';
  void vscode.commands.executeCommand('setContext', 'marginalia.quoteCheckGrouping', g);
}

/** The workspace scan the view needs, started once: when the view first shows, or by Check Quotations. */
class ScanForView {
  private scanned = false;

  constructor(private readonly model: QuoteCheckModel) {}

  once(): void {
    if (this.scanned) return;
    this.scanned = true;
    void this.model.scan();
  }

  /** Check Quotations Across the Workspace: scans again, and says how many sources it checked. */
  async checkQuotations(): Promise<number> {
    this.scanned = true;
    const n = await this.model.scan();
    void vscode.window.setStatusBarMessage(`Marginalia: quotations of ${n} sources checked`, 4000);
    return n;
  }
}

/** The index holds what this editor shows (not an older or newer version of an open document). */
function isCurrent(model: QuoteCheckModel, doc: vscode.TextDocument): boolean {
  const v = model.versionOf(doc.uri);
  return v === undefined ? !doc.isDirty : v === doc.version;
}

function paintEditors(model: QuoteCheckModel, { altered, spliced }: Decorations): void {
  for (const editor of vscode.window.visibleTextEditors) {
    const doc = editor.document;
    const checks = isCurrent(model, doc) ? model.checks(doc.uri) : [];
    const key = doc.uri.toString();
    const rangesFor = (status: QuoteCheck['status']) =>
      checks.filter((c) => isProblem(c) && c.status === status).map((c) => model.rangeOf(key, c.start, c.end)).filter((r): r is vscode.Range => !!r);
    editor.setDecorations(altered, rangesFor('altered'));
    editor.setDecorations(spliced, rangesFor('spliced'));
  }
}

/** A warning (against a primary source) or information per altered or spliced quotation; stale sources' entries removed. */
function publishDiagnostics(model: QuoteCheckModel, diagnostics: vscode.DiagnosticCollection): void {
  const all = model.all();
  const seen = new Set<string>();
  for (const [path, checks] of all) {
    const uri = model.uriOf(path);
    if (!uri) continue;
    const list: vscode.Diagnostic[] = [];
    for (const c of checks) {
      const d = isProblem(c) ? diagnosticOf(model, path, c) : undefined;
      if (d) list.push(d);
    }
    seen.add(uri.toString());
    diagnostics.set(uri, list);
  }
  diagnostics.forEach((uri) => {
    if (!seen.has(uri.toString())) diagnostics.delete(uri);
  });
}

function diagnosticOf(model: QuoteCheckModel, path: string, c: QuoteCheck): vscode.Diagnostic | undefined {
  const range = model.rangeOf(path, c.start, c.end);
  if (!range) return undefined;
  const d = new vscode.Diagnostic(range, diagnosticMessage(c, (p) => model.rel(p)), c.against === 'primary' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = c.status === 'altered' ? 'quote-altered' : 'quote-spliced';
  const m = c.matches[0];
  const target = m && model.uriOf(m.path);
  const at = m && model.rangeOf(m.path, m.start, m.end);
  if (target && at) d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(target, at), `the passage in ${model.rel(m.path)}`)];
  return d;
}

/** The innermost checked quotation at a position of a document the index is current for. */
function checkAt(model: QuoteCheckModel, doc: vscode.TextDocument, position: vscode.Position): QuoteCheck | undefined {
  if (!isCurrent(model, doc)) return undefined;
  const o = normOffset(doc, position);
  let best: QuoteCheck | undefined;
  for (const c of model.checks(doc.uri)) if (c.start <= o && o < c.end && (!best || c.end - c.start < best.end - best.start)) best = c;
  return best;
}

/** The word diff against the matched source, with links to open the match and copy the faithful wording. */
function registerHover(model: QuoteCheckModel): vscode.Disposable {
  return vscode.languages.registerHoverProvider([...SOURCE_SCHEMES.map((scheme) => ({ scheme })), { scheme: 'untitled' }], {
    provideHover: async (doc, position) => {
      await model.start();
      const c = checkAt(model, doc, position);
      if (!c) return undefined;
      const value = hoverMarkdown(c, { rel: (p) => model.rel(p), open: Commands.openQuoteCheckMatch, copy: Commands.copyFaithfulQuotation });
      if (!value) return undefined;
      // Document text is escaped; only our two commands may run from the links.
      const md = new vscode.MarkdownString(value, false);
      md.isTrusted = { enabledCommands: [Commands.openQuoteCheckMatch, Commands.copyFaithfulQuotation] };
      md.supportHtml = false;
      const range = model.rangeOf(doc.uri.toString(), c.start, c.end);
      return new vscode.Hover(md, range);
    },
  });
}

/** Opens a match beside (or here), its passage selected. */
async function openMatch(model: QuoteCheckModel, arg?: MatchArg & { here?: boolean }): Promise<void> {
  if (!arg || typeof arg.path !== 'string') return;
  const uri = model.uriOf(arg.path);
  const range = model.rangeOf(arg.path, arg.start, arg.end);
  if (!uri || !range) {
    void vscode.window.showWarningMessage('Marginalia: that source is no longer indexed; run Check Quotations Across the Workspace.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: arg.here ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside, preserveFocus: !arg.here, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Copies the primary source's wording of the quotation given (hover link) or under the cursor. */
async function copyFaithful(model: QuoteCheckModel, arg?: { path: string; start: number }): Promise<void> {
  let check: QuoteCheck | undefined;
  await model.start();
  if (arg && typeof arg.path === 'string') {
    check = model.all().get(arg.path)?.find((c) => c.start === arg.start);
  } else {
    const editor = vscode.window.activeTextEditor;
    if (editor) check = checkAt(model, editor.document, editor.selection.active);
  }
  if (!check) {
    void vscode.window.showInformationMessage('Marginalia: put the cursor in a quotation to copy its faithful wording.');
    return;
  }
  const m = check.matches.find((x) => x.against === 'primary');
  const text = m && model.textOf(m.path);
  const faithful = text !== undefined ? faithfulQuotation(check, text) : undefined;
  if (!faithful) {
    void vscode.window.showInformationMessage('Marginalia: no primary source holds this quotation.');
    return;
  }
  await vscode.env.clipboard.writeText(faithful);
  void vscode.window.setStatusBarMessage(`Marginalia: copied the words of ${model.rel(m!.path)}`, 4000);
}

/** Mark or Unmark as Primary Source: the files selected in the explorer, the one clicked, or the active editor's. */
async function setPrimary(model: QuoteCheckModel, log: Logger, on: boolean, uri?: vscode.Uri, selected?: vscode.Uri[]): Promise<void> {
  const targets = selected?.length ? selected : uri instanceof vscode.Uri ? [uri] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
  for (const t of targets) {
    if (!vscode.workspace.getWorkspaceFolder(t)) {
      void vscode.window.showWarningMessage('Marginalia: only files inside a workspace folder can be primary sources.');
      continue;
    }
    if (!on && !model.isMarked(t) && model.isPrimary(t)) {
      void vscode.window.showInformationMessage('Marginalia: this file is a primary source through the marginalia.primarySources setting; change the setting to exclude it.');
      continue;
    }
    try {
      await model.setPrimary(t, on);
    } catch (err) {
      log.error(err instanceof Error ? err : String(err));
      void vscode.window.showErrorMessage(`Marginalia: could not update the list of primary sources: ${String(err)}`);
    }
  }
}
