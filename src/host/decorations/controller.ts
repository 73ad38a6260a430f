import * as vscode from 'vscode';
import type { Analysis, Logger } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import type { Configuration } from '../config';
import { DECORATION_KINDS, type DecorationKind } from './kinds';
import { emptyPlan, planDecorations, type PaintPlan } from './plan';

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
function createTypes(): Record<DecorationKind, vscode.TextEditorDecorationType> {
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
    speaker: vscode.window.createTextEditorDecorationType({
      after: { color: color('speakerForeground'), fontStyle: 'italic', margin: '0 0 0 0.6em' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
    }),
  };
}

/**
 * Paints the analysis of visible source editors. Only paints a result whose version is the
 * document's current version: while the user types, VS Code keeps the previous decorations moving
 * with the text, and the fresh result replaces them once it matches.
 */
export class DecorationController implements vscode.Disposable {
  private readonly types = createTypes();
  private readonly disposables: vscode.Disposable[] = [];
  /** What was painted last, per editor (test API and skipping repaints). */
  private readonly painted = new WeakMap<vscode.TextEditor, { version: number; plan: PaintPlan; analysis?: Analysis; window?: Window }>();

  constructor(
    private readonly service: DocumentAnalysisService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      service.onDidChangeAnalysis((e) => {
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
      const plan = planDecorations(result.analysis, this.config.current.decorations, window);
      this.apply(editor, plan, result.version, result.analysis, window);
      return;
    }
    const plan = this.planFor(result.analysis);
    if (!force && last && last.version === result.version && last.plan === plan) return;
    this.apply(editor, plan, result.version, result.analysis);
  }

  /** One plan per analysis, shared by the editors that show the same document; rebuilt when the settings change. */
  private plans = new WeakMap<Analysis, PaintPlan>();

  private planFor(analysis: Analysis): PaintPlan {
    let plan = this.plans.get(analysis);
    if (!plan) {
      plan = planDecorations(analysis, this.config.current.decorations);
      this.plans.set(analysis, plan);
    }
    return plan;
  }

  private apply(editor: vscode.TextEditor, plan: PaintPlan, version: number, analysis?: Analysis, window?: Window): void {
    const t0 = performance.now();
    const doc = editor.document;
    for (const kind of DECORATION_KINDS) {
      const ranges = plan[kind];
      if (kind === 'speaker') {
        editor.setDecorations(
          this.types.speaker,
          ranges.map((r) => ({
            range: new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)),
            renderOptions: { after: { contentText: r.after ?? '' } },
          })),
        );
      } else {
        editor.setDecorations(
          this.types[kind],
          ranges.map((r) => new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end))),
        );
      }
    }
    this.painted.set(editor, { version, plan, analysis, window });
    this.log.trace(`painted ${doc.uri.path.split('/').pop() ?? ''} v${version} in ${(performance.now() - t0).toFixed(1)} ms`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of Object.values(this.types)) t.dispose();
  }
}
