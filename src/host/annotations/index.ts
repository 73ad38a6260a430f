import type { Settings } from '../config';
import { readSettings } from './entry';
import { importThroughStore, type ImportInput } from './importInto';
import type { MergeImportResult } from '../../core/interchange/import';
import * as vscode from 'vscode';
import { guarded } from '../guard';
import { Commands } from '../commands';
import { SIDECAR_SUFFIX, type Annotation, type Correction, type Sidecar } from '../../core/sidecar/model';
import type { Analysis, Logger } from '../../core/types';
import { registerAnnotationCommands } from './commands';
import { AnnotationDecorations } from './decorations';
import type { EvidenceView } from './evidenceCard';
import { evidenceCommands } from './evidenceCommands';
import { evidenceFollowsSources } from './evidenceSync';
import { EvidenceTexts } from './evidenceTexts';
import { AnnotationStore } from './store';
import { AnnotationTree } from './tree';

/** What the annotations feature exposes (through `MarginaliaApi.annotations`) for tests and the analysis service. */
export interface AnnotationsApi {
  /** The annotations of a source (targets in normalised-text offsets, as stored). */
  annotationsFor(uri: vscode.Uri): Annotation[];
  /** Document ranges of the anchored (non-orphan) annotations of an open source, by id. */
  rangesFor(uri: vscode.Uri): Map<string, vscode.Range>;
  /** The user's recognition corrections of a source; targets in the open document's offsets. */
  getCorrections(uri: vscode.Uri): Correction[];
  /** Fires with the source's uri when its corrections (or their positions) change. */
  readonly onDidChangeCorrections: vscode.Event<vscode.Uri>;
  /** Every source's corrections in the workspace (for learning across the workspace): open documents' in their offsets, others as stored. */
  workspaceCorrections(): { uri: vscode.Uri; corrections: Correction[] }[];
  /** Fires when any annotation or sidecar state changes (a pure shift of positions does not: the store's onDidShift repaints). */
  readonly onDidChange: vscode.Event<void>;
  /** The sidecar of a source (where it is or would be). */
  sidecarUriFor(uri: vscode.Uri): vscode.Uri | undefined;
  /** Why a source's annotations are read-only (malformed sidecar, newer version, restricted mode), if so. */
  readOnlyReason(uri: vscode.Uri): string | undefined;
  /** The tree as text rows, for tests. */
  treeSnapshot(): string[];
  /** Ranges of annotation decorations painted in an editor. */
  paintedRanges(editor: vscode.TextEditor): vscode.Range[];
  /** A claim's evidence links anchored on their sources' current texts (orphans kept and marked). */
  evidenceFor(uri: vscode.Uri, id: string): Promise<EvidenceView[]>;
  /** Resolves when pending loads and writes are done. */
  whenIdle(): Promise<void>;
  /**
   * The sidecar the store holds for a source (read first when it was not; an empty one when the
   * source has none yet; undefined outside the workspace). Throws the sidecar's problem when it is malformed.
   */
  sidecarFor(uri: vscode.Uri): Promise<Sidecar | undefined>;
  /** Imports an interchange file's annotations into a source's sidecar through the store (./importInto.ts). */
  importInto(uri: vscode.Uri, input: ImportInput): Promise<MergeImportResult>;
  readonly tree: vscode.TreeDataProvider<unknown>;
}

export interface AnnotationDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  config: Settings;
  /** The editor features' analysis of an open source (for grouping by entity/speaker and the correction pickers). */
  analysisFor?: (uri: vscode.Uri) => Analysis | undefined;
  /** Shows the Marginalia log (offered on unexpected errors). */
  showLog?: () => void;
  /** Where the Annotations view keeps its grouping and filter (the workspace state). */
  state?: vscode.Memento;
}

type Track = (p: Promise<unknown>, what: string) => void;

/** The user's annotations: store + watchers, decorations and hovers, tree view, commands. */
export function registerAnnotations(deps: AnnotationDeps): { disposable: vscode.Disposable; api: AnnotationsApi } {
  const analysisFor = deps.analysisFor ?? (() => undefined);
  const store = new AnnotationStore({ log: deps.log, config: deps.config });
  const texts = new EvidenceTexts(deps.config);
  const tree = new AnnotationTree(store, analysisFor, (entry, item) => texts.views(entry, item));
  const view = vscode.window.createTreeView('marginalia.annotations', { treeDataProvider: tree, showCollapseAll: true });
  const decorations = new AnnotationDecorations(store, deps.extensionUri, texts);
  const changed = new vscode.EventEmitter<void>();
  const work = pendingWork(deps.log);
  const { track } = work;
  const cts = new vscode.CancellationTokenSource();

  // Opened and saved sources have two listeners each: the evidence re-anchoring runs first, then the
  // store's own handling (attach, save).
  const disposable = vscode.Disposable.from(
    store, texts, tree, view, decorations, changed, cts,
    store.onDidChange(() => changed.fire()),
    texts.onDidChange(() => tree.refresh()),
    evidenceFollowsSources(store, texts, track),
    registerEvidenceCommands(store, texts, deps.log),
    watchSidecars(store, track),
    followSources(store, track),
    vscode.workspace.onDidGrantWorkspaceTrust(() => store.setTrusted(true)),
    followSettings(store, track, cts),
    view.onDidChangeVisibility(() => tree.refresh()),
    registerAnnotationCommands({ store, tree, view, analysisFor, showLog: deps.showLog, state: deps.state }),
  );

  // Start-up: open documents first (cheap), then every sidecar in the workspace for the tree.
  for (const doc of vscode.workspace.textDocuments) track(store.attach(doc), 'open source');
  track(store.scanWorkspace(cts.token), 'scan sidecars');

  return { disposable, api: annotationsApi({ store, texts, tree, decorations, changed, whenIdle: work.whenIdle }) };
}

/** Background work (loads, writes, scans) whose failure is logged, and a promise of its end. */
function pendingWork(log: Logger): { track: Track; whenIdle: () => Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const track: Track = (p, what) => {
    const q = p.then(undefined, (err: unknown) => log.error(`${what}: ${err instanceof Error ? err.message : String(err)}`));
    pending.add(q);
    void q.finally(() => pending.delete(q));
  };
  const whenIdle = async (): Promise<void> => {
    for (let i = 0; i < 20 && pending.size > 0; i++) await Promise.all([...pending]);
  };
  return { track, whenIdle };
}

function registerEvidenceCommands(store: AnnotationStore, texts: EvidenceTexts, log: Logger): vscode.Disposable {
  const evidence = evidenceCommands({ store, texts, log });
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.linkEvidence, guarded(evidence.linkEvidence, { log })),
    vscode.commands.registerCommand(Commands.openEvidence, guarded(evidence.openEvidence, { log })),
    vscode.commands.registerCommand(Commands.removeEvidence, guarded(evidence.removeEvidence, { log })),
  );
}

/** Sidecars changed, created or deleted outside (another window, git, a tool, a deleted folder). */
function watchSidecars(store: AnnotationStore, track: Track): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(`**/*${SIDECAR_SUFFIX}`);
  // A deleted folder is one event for the folder, none for the sidecars in it: without this, their
  // annotations would stay listed and their corrections would keep applying across the workspace.
  const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  return vscode.Disposable.from(
    watcher, deletions,
    deletions.onDidDelete((uri) => {
      const inside = `${uri.toString()}/`;
      for (const e of store.all()) if (e.sidecarUri.toString().startsWith(inside)) track(store.onSidecarDeleted(e.sidecarUri), 'sidecar folder deleted');
    }),
    watcher.onDidChange((uri) => track(store.onSidecarChanged(uri), 'reload sidecar')),
    watcher.onDidCreate((uri) => track(store.onSidecarChanged(uri), 'load sidecar')),
    watcher.onDidDelete((uri) => track(store.onSidecarDeleted(uri), 'sidecar deleted')),
  );
}

/** Sources opened, closed, edited, saved, renamed and deleted: the store anchors, saves and moves their sidecars. */
function followSources(store: AnnotationStore, track: Track): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((doc) => track(store.attach(doc), 'open source')),
    vscode.workspace.onDidCloseTextDocument((doc) => store.detach(doc)),
    vscode.workspace.onDidChangeTextDocument((ev) => store.onDocumentChange(ev)),
    vscode.workspace.onDidSaveTextDocument((doc) => track(store.onDocumentSaved(doc), 'save sidecar')),
    vscode.workspace.onDidRenameFiles((ev) => {
      for (const f of ev.files) track(store.onSourceRenamed(f.oldUri, f.newUri), 'move sidecar');
    }),
    vscode.workspace.onDidDeleteFiles((ev) => {
      for (const uri of ev.files) if (!store.isSidecar(uri)) store.onSourceDeleted(uri);
    }),
  );
}

/** A new sidecar folder starts over (every sidecar read again); other settings apply as they are. */
function followSettings(store: AnnotationStore, track: Track, cts: vscode.CancellationTokenSource): vscode.Disposable {
  // The Configuration's own event: it fires after its values are read again.
  return store.config.onDidChange((ev) => {
    if (ev.affects('sidecar.folder')) {
      store.reset();
      track(store.scanWorkspace(cts.token), 'scan sidecars');
      for (const doc of vscode.workspace.textDocuments) track(store.attach(doc), 'open source');
    } else if (ev.affects('sidecar') || ev.affects('annotations')) {
      const { author, maxBytes } = readSettings(store.config);
      store.settings = { ...store.settings, author, maxBytes };
    }
  });
}

function annotationsApi(parts: {
  store: AnnotationStore;
  texts: EvidenceTexts;
  tree: AnnotationTree;
  decorations: AnnotationDecorations;
  changed: vscode.EventEmitter<void>;
  whenIdle: () => Promise<void>;
}): AnnotationsApi {
  const { store, texts, tree, decorations } = parts;
  return {
    annotationsFor: (uri) => store.get(uri)?.sidecar.annotations ?? [],
    rangesFor: (uri) => {
      const e = store.get(uri);
      const out = new Map<string, vscode.Range>();
      if (!e) return out;
      for (const a of e.sidecar.annotations) {
        const r = e.rangeOf(a.id);
        if (r && !a.orphan) out.set(a.id, r);
      }
      return out;
    },
    getCorrections: (uri) => store.getCorrections(uri),
    importInto: (uri, input) => importThroughStore(store, uri, input),
    sidecarFor: async (uri) => {
      const e = store.entryFor(uri);
      if (!e) {
        if (!vscode.workspace.getWorkspaceFolder(uri)) return undefined;
        throw new Error(`the sidecar of ${vscode.workspace.asRelativePath(uri)} would be outside the workspace (setting marginalia.sidecar.folder); nothing was read or written`);
      }
      await store.load(e);
      if (e.error) throw new Error(`${vscode.workspace.asRelativePath(e.sidecarUri)}:${e.error.line}: ${e.error.message}`);
      return e.sidecar;
    },
    workspaceCorrections: () => store.all().filter((e) => e.sidecar.corrections.length > 0).map((e) => ({ uri: e.sourceUri, corrections: e.liveDoc ? store.getCorrections(e.sourceUri) : e.sidecar.corrections })),
    onDidChangeCorrections: store.onDidChangeCorrections,
    onDidChange: parts.changed.event,
    sidecarUriFor: (uri) => store.get(uri)?.sidecarUri ?? store.sidecarUriFor(uri)?.uri,
    readOnlyReason: (uri) => store.get(uri)?.readOnly,
    treeSnapshot: () => tree.snapshot(),
    evidenceFor: async (uri, id) => {
      const e = store.get(uri);
      const a = e?.sidecar.annotations.find((x) => x.id === id);
      return e && a ? texts.viewsNow(e, a) : [];
    },
    paintedRanges: (editor) => decorations.painted.get(editor.document.uri.toString()) ?? [],
    whenIdle: async () => {
      await parts.whenIdle();
      await Promise.all(store.all().map((e) => e.queue));
    },
    tree,
  };
}


