import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { Analysis, Logger } from '../../core/types';
import { SOURCE_SCHEMES } from '../analysis/sources';
import type { DocumentAnalysisService } from '../analysis/service';
import type { Configuration } from '../config';
import { DECORATION_KINDS, type DecorationKind } from './kinds';
import { emptyPlan, enclosingQuote, planDecorations, type PaintPlan } from './plan';
import { speakerHintFor } from './speakerLabels';

type PaintedKind = Exclude<DecorationKind, 'speaker'>;
const PAINTED_KINDS = DECORATION_KINDS.filter((k): k is PaintedKind => k !== 'speaker');

const color = (id: string) => new vscode.ThemeColor(`marginalia.${id}`);

/**
 * Long sources are painted around what is visible: this many lines above and below the visible
 * ranges (scrolling further repaints). A short source is painted whole.
 */
const MARGIN_LINES = 300;

/** A painted window in lines and offsets; undefined = the whole document. */
interface Window {
  firstLine: number;
  lastLine: number;
  start: number;
  end: number;
}

function windowFor(editor: vscode.TextEditor): Window | undefined {
  const doc = editor.document;
  const visible = editor.visibleRanges;
  if (doc.lineCount <= MARGIN_LINES * 2 || visible.length === 0) return undefined;
  const firstLine = Math.max(0, visible[0].start.line - MARGIN_LINES);
  const lastLine = Math.min(doc.lineCount - 1, visible[visible.length - 1].end.line + MARGIN_LINES);
  return { firstLine, lastLine, start: doc.offsetAt(new vscode.Position(firstLine, 0)), end: doc.offsetAt(doc.lineAt(lastLine).range.end) };
}

/** Is everything visible well inside the painted window (no repaint needed)? */
function covers(w: Window | undefined, editor: vscode.TextEditor): boolean {
  if (!w) return true;
  const visible = editor.visibleRanges;
  if (visible.length === 0) return true;
  const buffer = Math.floor(MARGIN_LINES / 3);
  const top = visible[0].start.line;
  const bottom = visible[visible.length - 1].end.line;
  const topOk = w.firstLine === 0 || top >= w.firstLine + buffer;
  const bottomOk = w.lastLine >= editor.document.lineCount - 1 || bottom <= w.lastLine - buffer;
  return topOk && bottomOk;
}

/** The decoration types, created once for the life of the extension. */
function createTypes(): Record<PaintedKind, vscode.TextEditorDecorationType> {
  const entity = (type: string) =>
    vscode.window.createTextEditorDecorationType({
      color: color(`${type}Foreground`),
      // An underline in the same colour: entities inside a tinted quotation stay readable.
      borderWidth: '0 0 1px 0',
      borderStyle: 'solid',
      borderColor: color(`${type}Foreground`),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
  return {
    person: entity('person'),
    organization: entity('organization'),
    place: entity('place'),
    group: entity('group'),
    date: entity('date'),
    number: entity('number'),
    quotation: vscode.window.createTextEditorDecorationType({
      backgroundColor: color('quotationBackground'),
      overviewRulerColor: color('quotationBorder'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
    // Reported speech: its own tint and a dotted underline (entity underlines are solid), so it reads
    // apart from words in quotation marks; its overview-ruler mark on the left lane.
    attribution: vscode.window.createTextEditorDecorationType({
      backgroundColor: color('attributionBackground'),
      borderWidth: '0 0 1px 0',
      borderStyle: 'dotted',
      borderColor: color('attributionBorder'),
      overviewRulerColor: color('attributionBorder'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  };
}

/**
 * The speaker label of each quotation, as an inlay hint: the editor wraps it with the text (an
 * `after` decoration is not counted by word wrap and pushes the line past the editor's edge).
 * Ctrl/Cmd+click on the label corrects the speaker.
 */
class SpeakerHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.emitter.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly service: DocumentAnalysisService, private readonly config: Configuration) {
    this.registration = vscode.languages.registerInlayHintsProvider([...SOURCE_SCHEMES.map((scheme) => ({ scheme })), { scheme: 'untitled' }], this);
  }

  refresh(): void {
    this.emitter.fire();
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const enabled = this.config.current.decorations;
    if (!enabled.speaker) return [];
    const result = this.service.get(document);
    if (!result || result.version !== document.version) return [];
    const text = document.getText();
    const lo = document.offsetAt(range.start);
    const hi = document.offsetAt(range.end);
    const quotes = result.analysis.quotes;
    const out: vscode.InlayHint[] = [];
    quotes.forEach((q) => {
      if (q.end < lo || q.start > hi || !q.speaker) return;
      const reported = q.kind === 'indirect';
      if (reported && !enabled.attribution) return;
      const hint = speakerHintFor(text, q, enclosingQuote(result.analysis, q));
      if (!hint || hint.at < lo || hint.at > hi) return;
      const part = new vscode.InlayHintLabelPart(hint.label);
      const tip = new vscode.MarkdownString();
      tip.appendText(`${reported ? 'Reported speech of' : 'Said by'} ${q.speaker.name}${hint.low ? ' — uncertain' : ''} (confidence ${q.confidence.toFixed(2)}). `);
      tip.appendText('Ctrl/Cmd+click, or run Marginalia: Set Quotation Speaker…, if the speaker is wrong.');
      part.tooltip = tip;
      part.command = { command: Commands.setQuoteSpeaker, title: 'Wrong speaker?', arguments: [{ uri: document.uri.toString(), start: q.start, end: q.end }] };
      const h = new vscode.InlayHint(document.positionAt(hint.at), [part]);
      h.paddingLeft = true;
      h.paddingRight = hint.at !== q.end || /^\S/.test(text.slice(hint.at, hint.at + 1));
      out.push(h);
    });
    return out;
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
  }
}

/**
 * Paints the analysis of visible source editors. Only paints a result whose version is the
 * document's current version: while the user types, VS Code keeps the previous decorations moving
 * with the text, and the fresh result replaces them once it matches.
 */
export class DecorationController implements vscode.Disposable {
  private readonly types = createTypes();
  private readonly hints: SpeakerHints;
  private readonly disposables: vscode.Disposable[] = [];
  /** What was painted last, per editor (test API and skipping repaints). */
  private readonly painted = new WeakMap<vscode.TextEditor, { version: number; plan: PaintPlan; analysis?: Analysis; window?: Window }>();

  constructor(
    private readonly service: DocumentAnalysisService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.hints = new SpeakerHints(service, config);
    this.disposables.push(
      this.hints,
      service.onDidChangeAnalysis((e) => {
        this.hints.refresh();
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document === e.document) this.paint(editor);
        }
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.paint(editor);
      }),
      // A long source is painted around what is visible: scrolling out of that window repaints.
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        const last = this.painted.get(e.textEditor);
        if (last?.window && !covers(last.window, e.textEditor)) this.paint(e.textEditor, true);
      }),
      config.onDidChange((e) => {
        if (!e.affects('decorations')) return;
        this.plans = new WeakMap();
        this.paintAll(true);
        this.hints.refresh();
      }),
    );
    this.paintAll();
  }

  paintAll(force = false): void {
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor, force);
  }

  /** Ranges painted per kind in an editor (for tests). */
  paintedIn(editor: vscode.TextEditor): Record<DecorationKind, vscode.Range[]> {
    const out = {} as Record<DecorationKind, vscode.Range[]>;
    const last = this.painted.get(editor);
    for (const kind of DECORATION_KINDS) {
      out[kind] = (last?.plan[kind] ?? []).map((r) => new vscode.Range(editor.document.positionAt(r.start), editor.document.positionAt(r.end)));
    }
    return out;
  }

  /** The after-texts painted in an editor, in order (for tests). */
  afterTextsIn(editor: vscode.TextEditor): string[] {
    return (this.painted.get(editor)?.plan.speaker ?? []).map((r) => r.after ?? '');
  }

  private paint(editor: vscode.TextEditor, force = false): void {
    const { document } = editor;
    const result = this.service.get(document);
    if (!result) {
      if (this.painted.has(editor)) this.apply(editor, emptyPlan(), document.version);
      return;
    }
    // Never paint a stale result: a newer one is on its way.
    if (result.version !== document.version) return;
    const window = windowFor(editor);
    const last = this.painted.get(editor);
    if (window) {
      if (!force && last && last.version === result.version && last.analysis === result.analysis && covers(last.window, editor)) return;
      const plan = planDecorations(result.analysis, this.config.current.decorations, window, document.getText(), document.languageId === 'markdown');
      this.apply(editor, plan, result.version, result.analysis, window);
      return;
    }
    const plan = this.planFor(result.analysis, document);
    if (!force && last && last.version === result.version && last.plan === plan) return;
    this.apply(editor, plan, result.version, result.analysis);
  }

  /** One plan per analysis, shared by the editors that show the same document; rebuilt when the settings change. */
  private plans = new WeakMap<Analysis, PaintPlan>();

  private planFor(analysis: Analysis, document: vscode.TextDocument): PaintPlan {
    let plan = this.plans.get(analysis);
    if (!plan) {
      plan = planDecorations(analysis, this.config.current.decorations, undefined, document.getText(), document.languageId === 'markdown');
      this.plans.set(analysis, plan);
    }
    return plan;
  }

  private apply(editor: vscode.TextEditor, plan: PaintPlan, version: number, analysis?: Analysis, window?: Window): void {
    const t0 = performance.now();
    const doc = editor.document;
    // The speaker labels are inlay hints (SpeakerHints), not decorations.
    for (const kind of PAINTED_KINDS) {
      editor.setDecorations(
        this.types[kind],
        plan[kind].map((r) => new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end))),
      );
    }
    this.painted.set(editor, { version, plan, analysis, window });
    this.log.trace(`painted ${doc.uri.path.split('/').pop() ?? ''} v${version} in ${(performance.now() - t0).toFixed(1)} ms`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of Object.values(this.types)) t.dispose();
  }
}
