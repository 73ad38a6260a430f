import * as vscode from 'vscode';
import { guarded } from '../guard';
import type { Annotation, AnnotationKind, Correction } from '../../core/sidecar';
import type { Analysis } from '../../core/types';
import { clipWords } from './quickEntry';
import type { AnnotationStore, SourceEntry } from './store';
import type { AnnotationTree, AnnotationTreeNode } from './tree';

// What the annotation commands share: their arguments, the annotation or the range a command works
// on, the refusal of read-only sidecars and the error toast that leads to the fix.

/**
 * Command arguments. Every command also takes these as its first argument (the test seam and the
 * way keybindings/other extensions can drive them without the quick pick and input box).
 */
export interface AnnotateArgs {
  kind?: AnnotationKind;
  note?: string;
  tags?: string[];
  verdict?: string;
  /** Source (default: the active editor) and range in document offsets (default: the selection). */
  uri?: string;
  start?: number;
  end?: number;
}
export interface ItemRef {
  uri: string;
  id: string;
}

export interface AnnotationCommandDeps {
  store: AnnotationStore;
  tree: AnnotationTree;
  view: vscode.TreeView<AnnotationTreeNode>;
  analysisFor: (uri: vscode.Uri) => Analysis | undefined;
  /** Shows the Marginalia log (offered on unexpected errors). */
  showLog?: () => void;
  /** Where the view's grouping and filter are kept (the workspace state). */
  state?: vscode.Memento;
}

/** What each annotation command is made from: the deps, and the wrapper that reports its failures. */
export interface AnnotationCommandContext extends AnnotationCommandDeps {
  wrap: <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => (...a: A) => Promise<R | undefined>;
}

export function commandContext(deps: AnnotationCommandDeps): AnnotationCommandContext {
  return { ...deps, wrap: (fn) => guarded(fn, { log: deps.store.log, showLog: deps.showLog }) };
}

/** An error toast with the actions that lead to the fix: the sidecar (at the problem's line), the Problems panel, the log. */
export async function showError(message: string, entry?: SourceEntry, showLog?: () => void): Promise<void> {
  const actions: string[] = [];
  if (entry) actions.push('Open Sidecar');
  if (entry?.error) actions.push('Show Problem');
  if (showLog) actions.push('Show Log');
  const pick = await vscode.window.showErrorMessage(message, ...actions);
  if (pick === 'Open Sidecar' && entry) {
    const line = Math.max(0, (entry.error?.line ?? 1) - 1);
    await vscode.window.showTextDocument(entry.sidecarUri, { selection: new vscode.Range(line, 0, line, 0) });
  } else if (pick === 'Show Problem') {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  } else if (pick === 'Show Log') showLog?.();
}

function isRef(x: unknown): x is ItemRef {
  return typeof x === 'object' && x !== null && typeof (x as ItemRef).id === 'string' && typeof (x as ItemRef).uri === 'string';
}

/** The annotation a command argument names: an `ItemRef`, or a node of the Annotations view. */
export function refOf(x: unknown): ItemRef | undefined {
  if (isRef(x)) return x;
  const n = x as AnnotationTreeNode | undefined;
  if (n && n.type === 'annotation') return { uri: n.entry.sourceUri.toString(), id: n.item.id };
  return undefined;
}

async function editorFor(uri: string | undefined): Promise<vscode.TextEditor | undefined> {
  if (!uri) return vscode.window.activeTextEditor;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  if (visible) return visible;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.showTextDocument(doc);
}

export function entryAndItem(store: AnnotationStore, ref: ItemRef | undefined): { e: SourceEntry; item: Annotation | Correction } | undefined {
  if (!ref) return undefined;
  const e = store.get(vscode.Uri.parse(ref.uri));
  const found = e?.find(ref.id);
  return e && found ? { e, item: found.item } : undefined;
}

/** The annotation under the cursor (or picked from the active source's list). */
export async function pickAnnotation(store: AnnotationStore, placeHolder: string, onlyOrphans = false): Promise<ItemRef | undefined> {
  const editor = vscode.window.activeTextEditor;
  const e = editor && store.get(editor.document.uri);
  if (!editor || !e) {
    void vscode.window.showInformationMessage('Marginalia: open an annotated source first.');
    return undefined;
  }
  const offset = editor.document.offsetAt(editor.selection.active);
  if (!onlyOrphans) {
    const under = e.sidecar.annotations.find((a) => {
      const s = e.live?.get(a.id);
      return s && s.start <= offset && offset <= s.end;
    });
    if (under) return { uri: e.key, id: under.id };
  }
  const items = e.sidecar.annotations.filter((a) => !onlyOrphans || a.orphan).map((a) => ({
    label: a.note ? clipWords(a.note.split('\n')[0]!, 80) : `“${clipWords(a.target.exact, 60)}”`,
    description: `${a.kind}${a.orphan ? ' · orphaned' : ''}`,
    detail: a.target.exact.slice(0, 120),
    id: a.id,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(onlyOrphans ? 'Marginalia: this source has no orphaned annotations.' : 'Marginalia: this source has no annotations.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder });
  return pick ? { uri: e.key, id: pick.id } : undefined;
}

/**
 * Refuse before the first prompt when the source's annotations cannot be written (a broken
 * sidecar, a newer format, restricted mode), with the actions that lead to the fix.
 */
export async function refuseIfReadOnly(store: AnnotationStore, uri: vscode.Uri): Promise<boolean> {
  const e = store.entryFor(uri);
  if (!e) return false;
  await store.load(e);
  const reason = e.readOnly;
  if (!reason) return false;
  void showError(`Marginalia: ${reason}`, e);
  return true;
}

/** The range a command works on: its arguments, else the selection, else the word under the cursor. */
export async function rangeOf(args: AnnotateArgs | undefined): Promise<{ editor: vscode.TextEditor; start: number; end: number } | undefined> {
  const editor = await editorFor(args?.uri);
  if (!editor) {
    void vscode.window.showInformationMessage('Marginalia: open a source and select text to annotate.');
    return undefined;
  }
  const doc = editor.document;
  const start = args?.start ?? doc.offsetAt(editor.selection.start);
  const end = args?.end ?? doc.offsetAt(editor.selection.end);
  if (end <= start) {
    // No selection: the word under the cursor.
    const word = doc.getWordRangeAtPosition(editor.selection.active);
    if (!word) {
      void vscode.window.showInformationMessage('Marginalia: select the text to annotate first.');
      return undefined;
    }
    return { editor, start: doc.offsetAt(word.start), end: doc.offsetAt(word.end) };
  }
  return { editor, start, end };
}
