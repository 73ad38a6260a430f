import * as vscode from 'vscode';
import { Commands } from '../commands';
import { askFields } from './askFields';
import {
  commandContext, entryAndItem, pickAnnotation, rangeOf, refOf, refuseIfReadOnly, showError,
  type AnnotateArgs, type AnnotationCommandContext, type AnnotationCommandDeps, type ItemRef,
} from './commandSupport';
import { correctionCommands } from './correctionCommands';
import { clipWords } from './quickEntry';
import type { AnnotationStore } from './store';
import type { AnnotationTreeNode } from './tree';
import { AnnotationViewSettings, filterAnnotationsCommand, groupAnnotationsCommand } from './viewCommands';

/** The annotation commands, the Annotations view's grouping and filter, and the recognition corrections. */
export function registerAnnotationCommands(deps: AnnotationCommandDeps): vscode.Disposable {
  const ctx = commandContext(deps);
  const { store, wrap } = ctx;
  // The grouping and the filter are kept per workspace.
  const viewSettings = new AnnotationViewSettings(deps);
  const filter = filterAnnotationsCommand(viewSettings, deps.tree);
  const { setEntityType, mergeEntity, ignoreEntity, setSpeaker } = correctionCommands({
    store, analysisFor: deps.analysisFor, rangeOf, refuseIfReadOnly: (uri) => refuseIfReadOnly(store, uri),
  });
  return vscode.Disposable.from(
    viewSettings,
    vscode.commands.registerCommand(Commands.annotateSelection, wrap(annotateSelectionCommand(store))),
    vscode.commands.registerCommand(Commands.annotateAllOccurrences, wrap(annotateAllOccurrencesCommand(store))),
    vscode.commands.registerCommand(Commands.editAnnotation, wrap(editAnnotationCommand(store))),
    vscode.commands.registerCommand(Commands.deleteAnnotation, wrap(deleteAnnotationCommand(ctx))),
    vscode.commands.registerCommand(Commands.nextAnnotation, wrap(() => moveToAnnotation(store, 1))),
    vscode.commands.registerCommand(Commands.previousAnnotation, wrap(() => moveToAnnotation(store, -1))),
    vscode.commands.registerCommand(Commands.reanchorAnnotation, wrap(reanchorAnnotationCommand(store))),
    vscode.commands.registerCommand(Commands.revealAnnotation, wrap(revealAnnotationCommand(store))),
    vscode.commands.registerCommand(Commands.openSidecar, wrap(openSidecarCommand(store))),
    vscode.commands.registerCommand(Commands.copyAnnotation, wrap(copyAnnotationCommand(store))),
    vscode.commands.registerCommand(Commands.groupAnnotations, wrap(groupAnnotationsCommand(viewSettings, deps.tree))),
    vscode.commands.registerCommand(Commands.filterAnnotations, wrap(filter)),
    vscode.commands.registerCommand(Commands.clearAnnotationFilter, wrap(() => filter(''))),
    vscode.commands.registerCommand(Commands.setEntityType, wrap(setEntityType)),
    vscode.commands.registerCommand(Commands.mergeEntity, wrap(mergeEntity)),
    vscode.commands.registerCommand(Commands.ignoreEntity, wrap(ignoreEntity)),
    vscode.commands.registerCommand(Commands.setQuoteSpeaker, wrap(setSpeaker)),
  );
}

/** Annotate Selection: the selection (or the word under the cursor), its fields asked step by step. */
function annotateSelectionCommand(store: AnnotationStore): (args?: AnnotateArgs) => Promise<ItemRef | undefined> {
  return async (args) => {
    const r = await rangeOf(args);
    if (!r) return undefined;
    if (await refuseIfReadOnly(store, r.editor.document.uri)) return undefined;
    const fields = await askFields(store.config, args, undefined, r.editor.document.getText().slice(r.start, r.end));
    if (!fields) return undefined;
    const { entry, item } = await store.add(r.editor.document, r.start, r.end, fields);
    return { uri: entry.key, id: item.id };
  };
}

/** Annotate All Occurrences: the same fields on every occurrence of the selected text not yet annotated there. */
function annotateAllOccurrencesCommand(store: AnnotationStore): (args?: AnnotateArgs) => Promise<ItemRef[]> {
  return async (args) => {
    const r = await rangeOf(args);
    if (!r) return [];
    const doc = r.editor.document;
    const needle = doc.getText().slice(r.start, r.end);
    const fresh = unannotatedOccurrences(store, doc, needle);
    if (fresh.length === 0) return [];
    if (await refuseIfReadOnly(store, doc.uri)) return [];
    const fields = await askFields(store.config, args, undefined, needle);
    if (!fields) return [];
    const out: ItemRef[] = [];
    for (const [s, e] of fresh) {
      const { entry, item } = await store.add(doc, s, e, fields);
      out.push({ uri: entry.key, id: item.id });
    }
    void vscode.window.showInformationMessage(`Marginalia: annotated ${out.length} occurrence${out.length === 1 ? '' : 's'} of “${clipWords(needle, 40)}”.`);
    return out;
  };
}

/** The spans of `needle` in the document that no annotation covers exactly. */
function unannotatedOccurrences(store: AnnotationStore, doc: vscode.TextDocument, needle: string): [number, number][] {
  const text = doc.getText();
  const spans: [number, number][] = [];
  for (let i = text.indexOf(needle); i !== -1 && needle; i = text.indexOf(needle, i + needle.length)) spans.push([i, i + needle.length]);
  const existing = store.get(doc.uri);
  return spans.filter(([s, e]) => !existing?.sidecar.annotations.some((a) => {
    const l = existing.live?.get(a.id);
    return l && l.start === s && l.end === e;
  }));
}

/** Edit Annotation: the flow of Annotate Selection with the current values preselected. */
function editAnnotationCommand(store: AnnotationStore): (arg?: unknown, patch?: AnnotateArgs) => Promise<void> {
  return async (arg, patch) => {
    const ref = refOf(arg) ?? (await pickAnnotation(store, 'Annotation to edit'));
    const found = entryAndItem(store, ref);
    if (!found || !('kind' in found.item)) return;
    if (found.e.readOnly) {
      void showError(`Marginalia: ${found.e.readOnly}`, found.e);
      return;
    }
    const fields = await askFields(store.config, patch ?? (arg as { patch?: AnnotateArgs } | undefined)?.patch, found.item);
    if (!fields) return;
    await store.update(found.e, found.item.id, fields);
  };
}

/** Delete Annotation, with Undo on the message. */
function deleteAnnotationCommand({ store, wrap }: AnnotationCommandContext): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    const ref = refOf(arg) ?? (await pickAnnotation(store, 'Annotation to delete'));
    const found = entryAndItem(store, ref);
    if (!found) return;
    const removed = await store.remove(found.e, found.item.id);
    const label = 'note' in removed.item && removed.item.note ? clipWords(removed.item.note, 40) : clipWords(removed.item.target.exact, 40);
    void vscode.window.showInformationMessage(`Marginalia: deleted the annotation “${label}”.`, 'Undo').then((pick) => {
      if (pick === 'Undo') void wrap(() => store.restore(found.e, removed))();
    });
  };
}

/** Next/Previous Annotation: select the next annotation of the active source in that direction, wrapping around. */
async function moveToAnnotation(store: AnnotationStore, dir: 1 | -1): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const e = editor && store.get(editor.document.uri);
  if (!editor || !e?.live || e.live.size === 0) return;
  // Backward counts from the selection's start, so that Previous after Next leaves the annotation Next selected.
  const here = editor.document.offsetAt(dir === 1 ? editor.selection.active : editor.selection.start);
  const starts = e.sidecar.annotations.map((a) => e.live!.get(a.id)).filter((s): s is { start: number; end: number } => !!s).sort((a, b) => a.start - b.start);
  const next = dir === 1 ? starts.find((s) => s.start > here) ?? starts[0] : [...starts].reverse().find((s) => s.start < here) ?? starts[starts.length - 1];
  if (!next) return;
  const range = new vscode.Range(editor.document.positionAt(next.start), editor.document.positionAt(next.end));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Re-anchor to Selection: move an annotation (an orphan, when picked) onto the selected text of its own source. */
function reanchorAnnotationCommand(store: AnnotationStore): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Marginalia: select the text the annotation should be on, then run Re-anchor to Selection.');
      return;
    }
    const ref = refOf(arg) ?? (await pickAnnotation(store, 'Annotation to move onto the selection', true));
    const found = entryAndItem(store, ref);
    if (!found) return;
    if (found.e.sourceUri.toString() !== editor.document.uri.toString()) {
      void vscode.window.showWarningMessage('Marginalia: the selection must be in the annotation\'s own source.');
      return;
    }
    const doc = editor.document;
    await store.reanchorTo(found.e, found.item.id, doc, doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end));
  };
}

/** Reveal an annotation in its source (the Annotations view's click). */
function revealAnnotationCommand(store: AnnotationStore): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    const found = entryAndItem(store, refOf(arg));
    if (!found) return;
    const editor = await vscode.window.showTextDocument(found.e.sourceUri, { preserveFocus: false });
    if (found.e.liveDoc !== editor.document) await store.attach(editor.document);
    const range = found.e.rangeOf(found.item.id);
    if (!range) {
      void vscode.window.showWarningMessage(`Marginalia: this annotation is orphaned; its last known text was “${clipWords(found.item.target.exact, 80)}”. Select the new text and run Re-anchor to Selection.`);
      return;
    }
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };
}

/** Open Sidecar of the view's node or the active source, if it has one. */
function openSidecarCommand(store: AnnotationStore): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    const n = arg as AnnotationTreeNode | undefined;
    const uri = n && 'entry' in n ? n.entry.sourceUri : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return;
    if (store.isSidecar(uri)) return;
    const where = store.sidecarUriFor(uri);
    if (!where) {
      void vscode.window.showInformationMessage('Marginalia: only files in a workspace folder have sidecars.');
      return;
    }
    try {
      await vscode.workspace.fs.stat(where.uri);
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError)) throw err;
      void vscode.window.showInformationMessage(`Marginalia: ${vscode.workspace.asRelativePath(uri)} has no annotations yet (its sidecar would be ${vscode.workspace.asRelativePath(where.uri)}).`);
      return;
    }
    await vscode.window.showTextDocument(where.uri);
  };
}

/** Copy Annotation: the quoted text, kind, verdict and note as one line. */
function copyAnnotationCommand(store: AnnotationStore): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    const found = entryAndItem(store, refOf(arg));
    if (!found || !('kind' in found.item)) return;
    const a = found.item;
    const text = `“${a.target.exact}” — ${a.kind}${a.verdict ? ` (${a.verdict})` : ''}${a.note ? `: ${a.note}` : ''}`;
    await vscode.env.clipboard.writeText(text);
  };
}
