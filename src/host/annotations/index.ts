import * as vscode from 'vscode';
import { guarded } from '../guard';
import { Commands } from '../commands';
import { SIDECAR_SUFFIX, type Annotation, type Correction } from '../../core/sidecar/model';
import type { Analysis, Logger } from '../../core/types';
import { registerAnnotationCommands } from './commands';
import { AnnotationDecorations } from './decorations';
import type { EvidenceView } from './evidenceCard';
import { evidenceCommands } from './evidenceCommands';
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
  /** Fires when any annotation, position or sidecar state changes. */
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
  readonly tree: vscode.TreeDataProvider<unknown>;
}

export interface AnnotationDeps {
  extensionUri: vscode.Uri;
  log: Logger;
  /** The editor features' analysis of an open source (for grouping by entity/speaker and the correction pickers). */
  analysisFor?: (uri: vscode.Uri) => Analysis | undefined;
  /** Shows the Marginalia log (offered on unexpected errors). */
  showLog?: () => void;
  /** Where the Annotations view keeps its grouping and filter (the workspace state). */
  state?: vscode.Memento;
}

/** The user's annotations: store + watchers, decorations and hovers, tree view, commands. */
export function registerAnnotations(deps: AnnotationDeps): { disposable: vscode.Disposable; api: AnnotationsApi } {
  const analysisFor = deps.analysisFor ?? (() => undefined);
  const store = new AnnotationStore({ log: deps.log });
  const texts = new EvidenceTexts();
  const tree = new AnnotationTree(store, analysisFor, (entry, item) => texts.views(entry, item));
  const view = vscode.window.createTreeView('marginalia.annotations', { treeDataProvider: tree, showCollapseAll: true });
  const decorations = new AnnotationDecorations(store, deps.extensionUri, texts);
  const evidence = evidenceCommands({ store, texts, log: deps.log });
  const changed = new vscode.EventEmitter<void>();
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>, what: string): void => {
    const q = p.then(undefined, (err: unknown) => deps.log.error(`${what}: ${err instanceof Error ? err.message : String(err)}`));
    pending.add(q);
    void q.finally(() => pending.delete(q));
  };

  /**
   * A source was opened or saved: the evidence links pointing into it are re-anchored on its text
   * (the core's anchoring) and, where a position or an orphan flag changed, saved in the claim's
   * sidecar. A link whose text is gone is kept, marked orphan.
   */
  const syncEvidenceInto = async (uri: vscode.Uri): Promise<void> => {
    if (store.isSidecar(uri)) return;
    for (const e of store.all()) {
      if (!e.loaded || e.readOnly || e.folder.uri.toString() !== vscode.workspace.getWorkspaceFolder(uri)?.uri.toString()) continue;
      const changed = new Map<string, { before: NonNullable<Annotation['evidence']>; next: NonNullable<Annotation['evidence']> }>();
      for (const a of e.sidecar.annotations) {
        if (!a.evidence?.some((l) => EvidenceTexts.uriOf(e.folder, l.source)?.toString() === uri.toString())) continue;
        const next = await texts.viewsNow(e, a).then(() => texts.anchoredEvidence(e, a));
        if (next && !sameLinks(next, a.evidence)) changed.set(a.id, { before: a.evidence.map((l) => ({ ...l, target: { ...l.target } })), next });
      }
      if (changed.size === 0) continue;
      await store.editSidecar(e, (sidecar) => ({
        ...sidecar,
        annotations: sidecar.annotations.map((a) => {
          const c = changed.get(a.id);
          // Only when the links are still exactly those we anchored (no link added, removed or changed in between).
          return c && a.evidence && sameLinks(a.evidence, c.before) ? { ...a, evidence: c.next } : a;
        }),
      }));
    }
  };

  const watcher = vscode.workspace.createFileSystemWatcher(`**/*${SIDECAR_SUFFIX}`);
  // A deleted folder is one event for the folder, none for the sidecars in it: without this, their
  // annotations would stay listed and their corrections would keep applying across the workspace.
  const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  const cts = new vscode.CancellationTokenSource();

  const disposable = vscode.Disposable.from(
    store, texts, tree, view, decorations, changed, watcher, deletions, cts,
    deletions.onDidDelete((uri) => {
      const inside = `${uri.toString()}/`;
      for (const e of store.all()) if (e.sidecarUri.toString().startsWith(inside)) track(store.onSidecarDeleted(e.sidecarUri), 'sidecar folder deleted');
    }),
    store.onDidChange(() => changed.fire()),
    texts.onDidChange(() => tree.refresh()),
    vscode.workspace.onDidSaveTextDocument((doc) => track(syncEvidenceInto(doc.uri), 'anchor evidence')),
    vscode.workspace.onDidOpenTextDocument((doc) => track(syncEvidenceInto(doc.uri), 'anchor evidence')),
    vscode.commands.registerCommand(Commands.linkEvidence, guarded(evidence.linkEvidence, { log: deps.log })),
    vscode.commands.registerCommand(Commands.openEvidence, guarded(evidence.openEvidence, { log: deps.log })),
    vscode.commands.registerCommand(Commands.removeEvidence, guarded(evidence.removeEvidence, { log: deps.log })),
    watcher.onDidChange((uri) => track(store.onSidecarChanged(uri), 'reload sidecar')),
    watcher.onDidCreate((uri) => track(store.onSidecarChanged(uri), 'load sidecar')),
    watcher.onDidDelete((uri) => track(store.onSidecarDeleted(uri), 'sidecar deleted')),
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
    vscode.workspace.onDidGrantWorkspaceTrust(() => store.setTrusted(true)),
    vscode.workspace.onDidChangeConfiguration((ev) => {
      if (ev.affectsConfiguration('marginalia.sidecar') || ev.affectsConfiguration('marginalia.annotations')) {
        const folderChanged = ev.affectsConfiguration('marginalia.sidecar.folder');
        if (folderChanged) {
          store.reset();
          track(store.scanWorkspace(cts.token), 'scan sidecars');
          for (const doc of vscode.workspace.textDocuments) track(store.attach(doc), 'open source');
        } else store.settings = { ...store.settings, ...readSettingsSafe() };
      }
    }),
    view.onDidChangeVisibility(() => tree.refresh()),
    registerAnnotationCommands({ store, tree, view, analysisFor, showLog: deps.showLog, state: deps.state }),
  );

  // Start-up: open documents first (cheap), then every sidecar in the workspace for the tree.
  for (const doc of vscode.workspace.textDocuments) track(store.attach(doc), 'open source');
  track(store.scanWorkspace(cts.token), 'scan sidecars');

  const api: AnnotationsApi = {
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
    workspaceCorrections: () => store.all().filter((e) => e.sidecar.corrections.length > 0).map((e) => ({ uri: e.sourceUri, corrections: e.liveDoc ? store.getCorrections(e.sourceUri) : e.sidecar.corrections })),
    onDidChangeCorrections: store.onDidChangeCorrections,
    onDidChange: changed.event,
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
      for (let i = 0; i < 20 && pending.size > 0; i++) await Promise.all([...pending]);
      await Promise.all(store.all().map((e) => e.queue));
    },
    tree,
  };
  return { disposable, api };
}

function readSettingsSafe(): { author: string; maxBytes: number } {
  const c = vscode.workspace.getConfiguration('marginalia');
  const mb = c.get<number>('sidecar.maxSizeMB', 5);
  return { author: (c.get<string>('annotations.author', '') ?? '').trim(), maxBytes: Math.max(0.01, typeof mb === 'number' ? mb : 5) * 1024 * 1024 };
}

/** A command that reports its failure in an error toast instead of throwing. */

/** The same anchors and orphan flags (what re-anchoring may change), key order aside. */
function sameLinks(x: NonNullable<Annotation['evidence']>, y: NonNullable<Annotation['evidence']>): boolean {
  return x.length === y.length && x.every((e, i) => {
    const f = y[i]!;
    return e.source === f.source && e.relation === f.relation && (e.orphan === true) === (f.orphan === true) &&
      e.target.start === f.target.start && e.target.end === f.target.end && e.target.exact === f.target.exact &&
      e.target.prefix === f.target.prefix && e.target.suffix === f.target.suffix;
  });
}
