import * as vscode from 'vscode';
import { guarded } from './guard';
import type { Analysis, EntityType, Logger, Span } from '../core/types';
import type { DocumentAnalysisService } from './analysis/service';
import { Commands } from './commands';
import { clip, type MentionTarget } from './hover/cards';
import { itemsAt } from './hover/provider';
import { isReported } from './attributions';
import { nextSpan } from './navigate';
import type { EntitiesNode } from './views/trees';
import type { WorkspaceIndex } from './views/workspaceIndex';

function offsetToPosition(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new vscode.Position(line, offset - lineStart);
}

/** A range in a source that may not be open: open documents convert offsets themselves. */
function rangeIn(uri: string, text: string, start: number, end: number): vscode.Range {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (doc && doc.getText() === text) return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  return new vscode.Range(offsetToPosition(text, start), offsetToPosition(text, end));
}

/** The editor commands: navigation, mentions, speakers, scans. */
export function registerEditorCommands(service: DocumentAnalysisService, index: WorkspaceIndex, log: Logger): vscode.Disposable {
  const safe = <A extends unknown[]>(what: string, fn: (...args: A) => unknown) => guarded(fn, { log, what });
  const go = (what: SpanKind, forward: boolean) => () => goToSpan(service, what, forward);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.nextEntity, go('entity', true)),
    vscode.commands.registerCommand(Commands.previousEntity, go('entity', false)),
    vscode.commands.registerCommand(Commands.nextQuotation, go('quotation', true)),
    vscode.commands.registerCommand(Commands.previousQuotation, go('quotation', false)),
    vscode.commands.registerCommand(Commands.nextAttribution, go('attribution', true)),
    vscode.commands.registerCommand(Commands.previousAttribution, go('attribution', false)),
    vscode.commands.registerCommand(Commands.revealRange, safe('reveal', revealRange)),
    vscode.commands.registerCommand(Commands.showAllMentions, safe('Show All Mentions', (arg?: Partial<MentionTarget> | EntitiesNode) => showAllMentions(service, index, arg))),
    vscode.commands.registerCommand(Commands.showQuotationsBySpeaker, safe('Show Quotations by Speaker', () => showQuotationsBySpeaker(service, index))),
    vscode.commands.registerCommand(Commands.rescanWorkspace, safe('Re-scan Workspace', () => rescan(index))),
    vscode.commands.registerCommand(Commands.showActiveSourceOnly, () => index.clear()),
    vscode.commands.registerCommand(Commands.scanAnyway, (uri?: vscode.Uri | string) => scanAnyway(service, uri)),
  );
}

type SpanKind = 'entity' | 'quotation' | 'attribution';
type Source = { uri: vscode.Uri; text: string; analysis: Analysis };

/** The active editor and its analysis, when the analysis is of the version shown (else undefined, with a message when there is none). */
function current(service: DocumentAnalysisService): { editor: vscode.TextEditor; analysis: Analysis } | undefined {
  const editor = vscode.window.activeTextEditor;
  const r = editor && service.get(editor.document);
  if (!editor || !r) {
    void vscode.window.showInformationMessage('Marginalia: open a source (a .txt or .md file) first.');
    return undefined;
  }
  if (r.version !== editor.document.version) return undefined; // a fresh analysis is on its way
  return { editor, analysis: r.analysis };
}

function select(editor: vscode.TextEditor, start: number, end: number): void {
  const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(end));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

const NONE: Record<SpanKind, string> = { entity: 'entities', quotation: 'quotations', attribution: 'reported speech' };

/** Next/Previous Entity, Quotation or Attribution: select the next such span in that direction. */
function goToSpan(service: DocumentAnalysisService, what: SpanKind, forward: boolean): void {
  const c = current(service);
  if (!c) return;
  // Quotations (in quotation marks) and attributions (reported speech, kind `indirect`) each have their own commands.
  const spans: readonly Span[] = what === 'entity' ? c.analysis.mentions : c.analysis.quotes.filter((q) => isReported(q) === (what === 'attribution'));
  // Backward counts from the selection's start, so that Previous after Next leaves the span Next selected.
  const offset = c.editor.document.offsetAt(forward ? c.editor.selection.active : c.editor.selection.start);
  const next = nextSpan(spans, offset, forward);
  if (!next) {
    void vscode.window.showInformationMessage(`Marginalia: no ${NONE[what]} recognised in this source.`);
    return;
  }
  select(c.editor, next.start, next.end);
}

/** Opens a source and selects a range of it (the hover cards' and the views' links). */
async function revealRange(uri: string, start: number, end: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: true });
  select(editor, start, end);
}

/** The sources the workspace commands look at: the scanned workspace, else the open sources. */
function sourcesOf(service: DocumentAnalysisService, index: WorkspaceIndex): Source[] {
  return index.isScanned
    ? index.sources()
    : service.documents().flatMap((d) => {
        const r = service.get(d);
        return r ? [{ uri: d.uri, text: r.text, analysis: r.analysis }] : [];
      });
}

function locationsOf(sources: Source[], target: Pick<MentionTarget, 'type' | 'canonical'>): vscode.Location[] {
  const out: vscode.Location[] = [];
  for (const s of sources) {
    const ids = new Set(s.analysis.entities.filter((e) => e.type === target.type && e.canonical === target.canonical).map((e) => e.id));
    for (const m of s.analysis.mentions) {
      if (ids.has(m.entityId)) out.push(new vscode.Location(s.uri, rangeIn(s.uri.toString(), s.text, m.start, m.end)));
    }
  }
  return out;
}

/** Show All Mentions of the entity given (hover link, Entities view), under the cursor, or picked. */
async function showAllMentions(service: DocumentAnalysisService, index: WorkspaceIndex, arg?: Partial<MentionTarget> | EntitiesNode): Promise<void> {
  const target = await mentionTargetOf(service, arg);
  if (!target) return;
  const locations = locationsOf(sourcesOf(service, index), target);
  if (!locations.length) return;
  const editor = vscode.window.activeTextEditor;
  const anchor = editor && locations.some((l) => l.uri.toString() === editor.document.uri.toString()) ? editor : undefined;
  const uri = anchor?.document.uri ?? locations[0].uri;
  const position = anchor?.selection.active ?? locations[0].range.start;
  await vscode.commands.executeCommand('editor.action.showReferences', uri, position, locations);
}

async function mentionTargetOf(service: DocumentAnalysisService, arg?: Partial<MentionTarget> | EntitiesNode): Promise<{ type: EntityType; canonical: string } | undefined> {
  if (arg && 'kind' in arg && arg.kind === 'entity') return { type: arg.group.type, canonical: arg.group.canonical };
  if (arg && 'type' in arg && arg.type && arg.canonical) return { type: arg.type, canonical: arg.canonical };
  const c = current(service);
  if (!c) return undefined;
  const { mention } = itemsAt(c.analysis, c.editor.document.offsetAt(c.editor.selection.active));
  const entity = mention && c.analysis.entities.find((e) => e.id === mention.entityId);
  if (entity) return { type: entity.type, canonical: entity.canonical };
  const pick = await vscode.window.showQuickPick(
    c.analysis.entities.map((e) => ({ label: e.canonical, description: `${e.type} · ${e.mentions.length}`, entity: e })),
    { title: 'Marginalia: Show All Mentions of…', matchOnDescription: true },
  );
  return pick ? { type: pick.entity.type, canonical: pick.entity.canonical } : undefined;
}

type SpeakerQuote = { uri: vscode.Uri; text: string; start: number; end: number; reported: boolean };

/** Show Quotations by Speaker: pick a speaker, then one of their quotations, which is revealed. */
async function showQuotationsBySpeaker(service: DocumentAnalysisService, index: WorkspaceIndex): Promise<void> {
  const sources = index.isScanned
    ? index.sources()
    : (() => {
        const c = current(service);
        return c ? [{ uri: c.editor.document.uri, text: c.editor.document.getText(), analysis: c.analysis }] : [];
      })();
  const speakers = quotationsBySpeaker(sources);
  if (!speakers.size) {
    void vscode.window.showInformationMessage('Marginalia: no attributed quotations here.');
    return;
  }
  const speaker = await vscode.window.showQuickPick(
    [...speakers.entries()].sort((a, b) => b[1].length - a[1].length).map(([name, qs]) => ({ label: name, description: `${qs.length} quotation${qs.length === 1 ? '' : 's'}` })),
    { title: 'Marginalia: Show Quotations by Speaker' },
  );
  if (!speaker) return;
  const quote = await vscode.window.showQuickPick(
    (speakers.get(speaker.label) ?? []).map((q) => ({
      label: clip(q.text.slice(q.start, q.end), 100),
      description: [q.reported ? 'reported' : '', index.isScanned ? q.uri.path.split('/').pop() : ''].filter(Boolean).join(' · ') || undefined,
      q,
    })),
    { title: `Quotations by ${speaker.label}` },
  );
  if (quote) await revealRange(quote.q.uri.toString(), quote.q.start, quote.q.end);
}

function quotationsBySpeaker(sources: Source[]): Map<string, SpeakerQuote[]> {
  const speakers = new Map<string, SpeakerQuote[]>();
  for (const s of sources) {
    for (const q of s.analysis.quotes) {
      if (!q.speaker) continue;
      const list = speakers.get(q.speaker.name) ?? [];
      list.push({ uri: s.uri, text: s.text, start: q.start, end: q.end, reported: isReported(q) });
      speakers.set(q.speaker.name, list);
    }
  }
  return speakers;
}

async function rescan(index: WorkspaceIndex): Promise<void> {
  const n = await index.scan();
  // Say that the views changed scope (a hover's "count across the workspace" link lands here).
  const back = 'Show Active Source Only';
  void vscode.window
    .showInformationMessage(`Marginalia: scanned ${n} source${n === 1 ? '' : 's'}; the Quotes and Entities views now show the whole workspace.`, back)
    .then((pick) => (pick === back ? vscode.commands.executeCommand(Commands.showActiveSourceOnly) : undefined));
}

function scanAnyway(service: DocumentAnalysisService, uri?: vscode.Uri | string): void {
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri ?? vscode.window.activeTextEditor?.document.uri);
  if (target) service.scanAnyway(target);
}
