import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../../core/analyze';
import type { Dictionary } from '../../core/ner';
import { applyCorrections } from '../../core/corrections';
import { heavy } from '../lazy';
import type { Correction } from '../../core/sidecar';
import type { Analysis, Logger } from '../../core/types';
import type { Configuration } from '../config';
import type { Edit } from '../../core/text/edits';
import type { AnalysisEngine } from '../../core/live/engine';
import { toEdit } from '../edits';
import { DICTIONARY_PATH, readDictionary, readModel, type DictionaryParser, type ModelLoader } from './resources';
import { warnTooLarge } from './tooLarge';
import { SourceMatcher } from './sources';
import { EditorLearning, type WorkspaceCorrectionsSource } from './learning';
import type { LearningStats, WorkspaceLearning } from '../../core/project/learning';

export { BUNDLED_MODEL, DICTIONARY_PATH, type DictionaryParser, type ModelLoader } from './resources';

export interface AnalysisServiceDeps {
  extensionUri: vscode.Uri;
  config: Configuration;
  log: Logger;
  engine: AnalysisEngine;
  loadModel?: ModelLoader;
  parseDictionary?: DictionaryParser;
}

/** Where the user's recognition corrections come from (the annotation store). */
export interface CorrectionsSource extends Partial<WorkspaceCorrectionsSource> {
  getCorrections(uri: vscode.Uri): readonly Correction[];
  readonly onDidChangeCorrections: vscode.Event<vscode.Uri>;
}

/** How soon after a correction the workspace's learning is derived again. */
const LEARN_DELAY_MS = 150;

export interface AnalysisChange {
  document: vscode.TextDocument;
  /** Undefined when the document is no longer analysed (closed, too large, no longer a source). */
  analysis: Analysis | undefined;
  /** The document version the analysis belongs to. */
  version: number;
}

export interface AnalysisResult {
  analysis: Analysis;
  /** The document version and text the analysis was made from. */
  version: number;
  text: string;
  document: vscode.TextDocument;
}

interface Entry {
  document: vscode.TextDocument;
  /** What the recognisers found, before the user's corrections. */
  raw?: Analysis;
  /** `raw` with the user's corrections applied: what is painted and shown. */
  analysis?: Analysis;
  /** The text `analysis` was made from. */
  text: string;
  version: number;
  pending: Edit[];
  /** True when the engine has no usable history for this document. */
  fresh: boolean;
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
  /** A run was asked for while one was in progress: it follows that one. */
  rerun?: boolean;
  cts?: vscode.CancellationTokenSource;
  tooLarge: boolean;
}

/**
 * Keeps one analysis per open source document: analyses on open, re-analyses after a quiet period
 * while typing (change events merged, never dropped), refuses huge sources unless asked, and tells
 * listeners with the version the result belongs to so that nobody paints a stale result.
 */
export class DocumentAnalysisService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly allowedLarge = new Set<string>();
  private readonly warnedLarge = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<AnalysisChange>();
  readonly onDidChangeAnalysis = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  readonly sources: SourceMatcher;
  private model?: Promise<unknown>;
  /** Where the loaded model came from ('media/model/ner.bin' or the custom model's URI); undefined: none. */
  private modelOrigin?: string;
  private dictionary?: Promise<Dictionary | undefined>;
  private disposed = false;
  private corrections?: CorrectionsSource;
  /** What the workspace learned from its corrections (learning.ts), and the base model it was derived for. */
  private learning?: { learning: WorkspaceLearning; base: unknown };
  private readonly editorLearning: EditorLearning;
  private learnTimer?: ReturnType<typeof setTimeout>;
  private learnRun?: Promise<void>;
  /** Milliseconds the last analysis took, per document (for the log and the bench). */
  readonly timings = new Map<string, number>();

  constructor(private readonly deps: AnalysisServiceDeps) {
    this.sources = new SourceMatcher(deps.config);
    this.editorLearning = new EditorLearning(deps.log, deps.config);
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${DICTIONARY_PATH}`);
    this.disposables.push(
      this.emitter,
      this.sources,
      watcher,
      watcher.onDidChange(() => this.reloadDictionary()),
      watcher.onDidCreate(() => this.reloadDictionary()),
      watcher.onDidDelete(() => this.reloadDictionary()),
      vscode.workspace.onDidOpenTextDocument((d) => this.consider(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.drop(d, 'closed')),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reconsiderAll()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reloadModel()),
      deps.config.onDidChange((e) => {
        if (e.affects('learning')) this.scheduleLearning(0);
      }),
      { dispose: () => clearTimeout(this.learnTimer) },
      deps.config.onDidChange((e) => {
        if (e.affects('model.path')) this.reloadModel();
        else if (e.affects('sources') || e.affects('maxSourceSize')) this.reconsiderAll();
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.consider(d);
  }

  /** The latest analysis of a document (it may trail the document's version while typing). */
  get(document: vscode.TextDocument): AnalysisResult | undefined {
    return this.getByUri(document.uri);
  }

  /** The latest analysis of an open document by URI. */
  getByUri(uri: vscode.Uri): AnalysisResult | undefined {
    const e = this.entries.get(uri.toString());
    return e?.analysis ? { analysis: e.analysis, version: e.version, text: e.text, document: e.document } : undefined;
  }

  /** Documents currently analysed. */
  documents(): vscode.TextDocument[] {
    return [...this.entries.values()].filter((e) => e.analysis).map((e) => e.document);
  }

  isTooLarge(document: vscode.TextDocument): boolean {
    return this.entries.get(document.uri.toString())?.tooLarge ?? false;
  }

  isSource(document: vscode.TextDocument): boolean {
    return this.sources.matches(document);
  }

  /** Analyses a source that is over `marginalia.maxSourceSize`. */
  scanAnyway(uri: vscode.Uri): void {
    this.allowedLarge.add(uri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) this.consider(doc, true);
  }

  /** Where the tagger model in use came from: 'media/model/ner.bin', a custom model's URI, or undefined (none). */
  async modelSource(): Promise<string | undefined> {
    await (this.model ??= this.readModel());
    return this.modelOrigin;
  }

  /** Analyses text that is not open in an editor (workspace scan). */
  /**
   * Analyses a source that is not open (the workspace scan): the same model and dictionary as the
   * editor, and, given its `uri`, the corrections of its sidecar re-anchored on `text` — so the
   * workspace views, `marginalia scan` and export agree with the editor.
   */
  async analyzeText(text: string, uri?: vscode.Uri): Promise<Analysis> {
    const options = await this.options();
    const { engine } = this.deps;
    // Long files are analysed chunk by chunk, yielding, like open documents.
    const pause = () => new Promise<void>((r) => setTimeout(r, 0));
    const raw = (await engine.analyzeAsync?.('', text, undefined, options, pause, () => false)) ?? engine.analyze('', text, undefined, options);
    if (!uri) return raw;
    const corrections = this.corrections?.getCorrections(uri) ?? [];
    const learning = this.currentLearning();
    if (corrections.length === 0 && !learning) return raw;
    const placed = heavy().placeTargets(text, corrections.map((c) => c.target));
    const anchored = corrections.map((c, i) => (placed[i].orphan ? { ...c, orphan: true } : { ...c, target: placed[i].target }));
    return this.applyCorrections(uri, text, raw, anchored, learning);
  }

  /** Resolves when no analysis is scheduled or running. */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const busy = [...this.entries.values()].filter((e) => e.timer !== undefined || e.running !== undefined || e.rerun);
      if (!busy.length) return;
      await Promise.all(busy.map((e) => e.running ?? new Promise<void>((r) => setTimeout(r, 10))));
    }
  }

  /** Re-analyses every open source from scratch. */
  refreshAll(): void {
    this.deps.engine.reset();
    for (const e of this.entries.values()) {
      e.fresh = true;
      e.pending = [];
      this.schedule(e, 0);
    }
  }

  private consider(document: vscode.TextDocument, force = false): void {
    if (this.disposed) return;
    const key = document.uri.toString();
    if (!this.sources.matches(document)) {
      if (this.entries.has(key)) this.drop(document, 'not a source');
      return;
    }
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { document, version: -1, text: '', pending: [], fresh: true, tooLarge: false };
      this.entries.set(key, entry);
    } else if (!force && entry.analysis && entry.version === document.version) {
      return;
    }
    this.schedule(entry, 0);
  }

  private reconsiderAll(): void {
    this.sources.invalidate();
    for (const d of vscode.workspace.textDocuments) this.consider(d);
  }

  private drop(document: vscode.TextDocument, why: string): void {
    const key = document.uri.toString();
    const e = this.entries.get(key);
    if (!e) return;
    if (e.timer !== undefined) clearTimeout(e.timer);
    e.cts?.cancel();
    e.cts?.dispose();
    this.entries.delete(key);
    this.deps.engine.forget(key);
    this.deps.log.debug(`analysis dropped (${why}): ${key}`);
    this.emitter.fire({ document, analysis: undefined, version: document.version });
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const entry = this.entries.get(e.document.uri.toString());
    if (!entry || !e.contentChanges.length) return;
    // Keep every edit (merged later); a new edit only postpones the work, it never loses the old ones.
    for (const c of e.contentChanges) entry.pending.push(toEdit(c));
    entry.cts?.cancel();
    this.schedule(entry, this.deps.config.current.debounceMs);
  }

  private schedule(entry: Entry, delay: number): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (entry.running) {
        // One analysis at a time per document; the edits meanwhile wait in `pending`.
        entry.rerun = true;
        void entry.running.then(() => {
          entry.rerun = false;
          if (this.entries.get(entry.document.uri.toString()) === entry) this.schedule(entry, 0);
        });
        return;
      }
      const run = this.run(entry).catch((err: unknown) => {
        this.deps.log.error(err instanceof Error ? err : String(err));
      });
      const tracked = run.finally(() => {
        if (entry.running === tracked) entry.running = undefined;
      });
      entry.running = tracked;
    }, delay);
  }

  private async run(entry: Entry): Promise<void> {
    entry.cts?.dispose();
    const cts = new vscode.CancellationTokenSource();
    entry.cts = cts;
    const { document } = entry;
    const key = document.uri.toString();
    const size = document.getText().length;
    const limit = this.deps.config.current.maxSourceSize;
    if (size > limit && !this.allowedLarge.has(key)) {
      entry.tooLarge = true;
      entry.raw = undefined;
      entry.analysis = undefined;
      entry.text = '';
      entry.fresh = true;
      entry.pending = [];
      this.deps.engine.forget(key);
      this.emitter.fire({ document, analysis: undefined, version: document.version });
      this.warnLarge(document, size, limit);
      return;
    }
    entry.tooLarge = false;
    const options = await this.options();
    if (cts.token.isCancellationRequested || this.entries.get(key) !== entry) return;
    // Text, version and the edits that led to them are taken together. Edits made while a long
    // analysis yields are queued in `pending`, relative to this text, for the next run.
    const version = document.version;
    const text = document.getText();
    const edits = entry.fresh ? undefined : entry.pending;
    entry.pending = [];
    entry.fresh = false;
    const t0 = performance.now();
    let analysis: Analysis | undefined;
    try {
      const { engine } = this.deps;
      analysis = engine.analyzeAsync
        ? await engine.analyzeAsync(
            key,
            text,
            edits,
            options,
            () => new Promise<void>((r) => setTimeout(r, 0)),
            () => this.disposed || this.entries.get(key) !== entry,
          )
        : engine.analyze(key, text, edits, options);
    } catch (err) {
      entry.fresh = true;
      this.deps.engine.forget(key);
      throw err;
    }
    if (!analysis) return; // abandoned: the document was closed
    const ms = performance.now() - t0;
    this.timings.set(key, ms);
    entry.raw = analysis;
    entry.analysis = this.corrected(document.uri, text, analysis);
    entry.text = text;
    entry.version = version;
    this.deps.log.debug(
      `analysed ${document.uri.path.split('/').pop() ?? key} v${version} in ${ms.toFixed(1)} ms` +
        `${edits ? ` (${edits.length} edit(s))` : ''}: ${analysis.mentions.length} mentions, ${analysis.quotes.length} quotations`,
    );
    this.emitter.fire({ document, analysis: entry.analysis, version });
  }

  /**
   * The user's corrections win over the recognisers: every analysis is published with them applied,
   * and a change of corrections re-publishes the current analysis without recognising again.
   */
  useCorrections(source: CorrectionsSource): vscode.Disposable {
    this.corrections = source;
    for (const entry of this.entries.values()) this.republish(entry);
    this.scheduleLearning(0);
    return source.onDidChangeCorrections((uri) => {
      const entry = this.entries.get(uri.toString());
      if (entry) this.republish(entry);
      // a correction in any source may apply to every source and changes what the tagger learned
      this.scheduleLearning(LEARN_DELAY_MS);
    });
  }

  /** The learning derived for the model in use (undefined before the first derivation or when there is nothing). */
  private currentLearning(): WorkspaceLearning | undefined {
    const l = this.learning;
    return l && !l.learning.empty ? l.learning : undefined;
  }

  /** What the workspace learned (for the log, the hover and tests); undefined before it is derived. */
  learningStats(): (LearningStats & { adapted: boolean }) | undefined {
    const l = this.learning?.learning;
    return l ? { ...l.stats, adapted: l.delta !== undefined } : undefined;
  }

  /** Derives the workspace's learning again now and re-analyses what it changes; resolves when done. */
  relearn(): Promise<void> {
    this.scheduleLearning(0);
    return this.whenLearned();
  }

  /** Resolves when no derivation of the learning is scheduled or running. */
  async whenLearned(): Promise<void> {
    for (let i = 0; i < 100 && (this.learnTimer !== undefined || this.learnRun); i++) {
      await (this.learnRun ?? new Promise<void>((r) => setTimeout(r, 20)));
    }
  }

  private scheduleLearning(delay: number): void {
    if (this.disposed || !this.corrections?.workspaceCorrections) return;
    if (this.learnTimer !== undefined) clearTimeout(this.learnTimer);
    this.learnTimer = setTimeout(() => {
      this.learnTimer = undefined;
      if (this.learnRun) {
        void this.learnRun.then(() => this.scheduleLearning(0));
        return;
      }
      const run = this.deriveLearning()
        .catch((err: unknown) => this.deps.log.error(err instanceof Error ? err : String(err)))
        .finally(() => {
          if (this.learnRun === run) this.learnRun = undefined;
        });
      this.learnRun = run;
    }, delay);
  }

  private async deriveLearning(): Promise<void> {
    const source = this.corrections;
    if (!source?.workspaceCorrections) return;
    const base = await (this.model ??= this.readModel());
    const learning = await this.editorLearning.derive(base, source as WorkspaceCorrectionsSource);
    if (this.disposed) return;
    const before = this.learning && this.learning.base === base ? this.learning.learning.model : base;
    this.learning = { learning, base };
    // a new learned change: recognise again; else only the corrections changed
    if (learning.model !== before) this.refreshAll();
    else for (const entry of this.entries.values()) this.republish(entry);
  }

  private corrected(uri: vscode.Uri, text: string, raw: Analysis): Analysis {
    const corrections = this.corrections?.getCorrections(uri) ?? [];
    const learning = this.currentLearning();
    if (corrections.length === 0 && !learning) return raw;
    return this.applyCorrections(uri, text, raw, corrections, learning);
  }

  /** The corrections (and what the workspace learned) applied to a raw analysis; the raw one if that fails. */
  private applyCorrections(uri: vscode.Uri, text: string, raw: Analysis, corrections: readonly Correction[], learning: WorkspaceLearning | undefined): Analysis {
    try {
      if (learning) return learning.apply(uri.toString(), text, raw, corrections);
      return applyCorrections(text, raw, corrections);
    } catch (err) {
      this.deps.log.error(err instanceof Error ? err : String(err));
      return raw;
    }
  }

  private republish(entry: Entry): void {
    if (!entry.raw) return;
    entry.analysis = this.corrected(entry.document.uri, entry.text, entry.raw);
    this.emitter.fire({ document: entry.document, analysis: entry.analysis, version: entry.version });
  }

  private warnLarge(document: vscode.TextDocument, size: number, limit: number): void {
    const key = document.uri.toString();
    if (this.warnedLarge.has(key)) return;
    this.warnedLarge.add(key);
    warnTooLarge(document, size, limit, (uri) => this.scanAnyway(uri));
  }

  private async options(): Promise<AnalyzeOptions> {
    const [model, dictionary] = await Promise.all([(this.model ??= this.readModel()), (this.dictionary ??= this.readDictionary())]);
    const options: AnalyzeOptions = {};
    if (model !== undefined) options.model = this.learning && this.learning.base === model ? this.learning.learning.model : model;
    if (dictionary !== undefined) options.dictionary = dictionary;
    return options;
  }

  private reloadModel(): void {
    this.model = undefined;
    this.refreshAll();
    this.scheduleLearning(0);
  }

  private reloadDictionary(): void {
    this.dictionary = undefined;
    this.refreshAll();
  }

  /** The tagger model (./resources.ts), and where it came from. */
  private async readModel(): Promise<unknown> {
    this.modelOrigin = undefined;
    const { model, origin } = await readModel(this.deps);
    if (origin !== undefined) this.modelOrigin = origin;
    return model;
  }

  private readDictionary(): Promise<Dictionary | undefined> {
    return readDictionary(this.deps.log, this.deps.parseDictionary);
  }

  dispose(): void {
    this.disposed = true;
    for (const e of this.entries.values()) {
      if (e.timer !== undefined) clearTimeout(e.timer);
      e.cts?.cancel();
      e.cts?.dispose();
    }
    this.entries.clear();
    for (const d of this.disposables) d.dispose();
  }
}
