import * as vscode from 'vscode';
import { ANNOTATION_KINDS, VERDICTS } from '../../core/sidecar/model';
import type { Annotation, AnnotationKind, Correction } from '../../core/sidecar';
import { ENTITY_TYPES, type Analysis, type EntityType } from '../../core/types';
import type { AnnotationStore, SourceEntry } from './store';
import { GROUPINGS, type AnnotationTree, type AnnotationTreeNode, type Grouping } from './tree';

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

interface Deps {
  store: AnnotationStore;
  tree: AnnotationTree;
  view: vscode.TreeView<AnnotationTreeNode>;
  analysisFor: (uri: vscode.Uri) => Analysis | undefined;
}

const KIND_DESCRIPTIONS: Record<AnnotationKind, string> = {
  note: 'A note on the passage', claim: 'A claim to check', question: 'An open question', verdict: 'A fact-check verdict',
  tag: 'Tags only', link: 'A link to another source', correction: 'A correction of the text',
};

function verdictScale(): string[] {
  const custom = vscode.workspace.getConfiguration('marginalia').get<unknown>('annotations.verdicts');
  return Array.isArray(custom) && custom.every((v) => typeof v === 'string') && custom.length > 0 ? custom as string[] : [...VERDICTS];
}

function fail(err: unknown): void {
  void vscode.window.showErrorMessage(`Marginalia: ${err instanceof Error ? err.message : String(err)}`);
}

function isRef(x: unknown): x is ItemRef {
  return typeof x === 'object' && x !== null && typeof (x as ItemRef).id === 'string' && typeof (x as ItemRef).uri === 'string';
}

function refOf(x: unknown): ItemRef | undefined {
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

export function registerAnnotationCommands(deps: Deps): vscode.Disposable {
  const { store, tree, view } = deps;

  const entryAndItem = (ref: ItemRef | undefined): { e: SourceEntry; item: Annotation | Correction } | undefined => {
    if (!ref) return undefined;
    const e = store.get(vscode.Uri.parse(ref.uri));
    const found = e?.find(ref.id);
    return e && found ? { e, item: found.item } : undefined;
  };

  /** The annotation under the cursor (or picked from the active source's list). */
  const pickAnnotation = async (placeHolder: string, onlyOrphans = false): Promise<ItemRef | undefined> => {
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
      label: a.note ? a.note.split('\n')[0]! : `“${a.target.exact.slice(0, 60)}”`,
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
  };

  /** Ask for kind, note, tags, verdict (skipping what `args` already gives). */
  const askFields = async (args: AnnotateArgs | undefined, current?: Annotation): Promise<Partial<Annotation> | undefined> => {
    let kind = args?.kind ?? current?.kind;
    if (!args?.kind) {
      const pick = await vscode.window.showQuickPick(
        ANNOTATION_KINDS.map((k) => ({ label: k, description: KIND_DESCRIPTIONS[k], picked: k === kind })),
        { placeHolder: current ? `Kind (now: ${current.kind})` : 'Kind of annotation', title: 'Marginalia: Annotate' },
      );
      if (!pick) return undefined;
      kind = pick.label as AnnotationKind;
    }
    let note = args?.note;
    if (note === undefined) {
      note = await vscode.window.showInputBox({ title: 'Marginalia: Note', prompt: 'Your note (Enter to save, empty for none)', value: current?.note ?? '' });
      if (note === undefined) return undefined;
    }
    const fields: Partial<Annotation> = { kind, note: note || undefined };
    const interactive = args?.note === undefined && args?.kind === undefined;
    if (args?.tags) fields.tags = args.tags;
    else if (interactive || kind === 'tag') {
      const tags = await vscode.window.showInputBox({ title: 'Marginalia: Tags (optional)', prompt: 'Comma-separated tags; Enter to skip', value: (current?.tags ?? []).join(', ') });
      if (tags === undefined) return undefined;
      fields.tags = tags.split(',').map((t) => t.trim()).filter(Boolean);
    }
    if (args?.verdict !== undefined) fields.verdict = args.verdict || undefined;
    else if (interactive || kind === 'verdict') {
      const scale = verdictScale();
      const none = '(no verdict)';
      const pick = await vscode.window.showQuickPick([none, ...scale], { title: 'Marginalia: Verdict (optional)', placeHolder: current?.verdict ?? 'Escape or Enter to skip' });
      fields.verdict = pick && pick !== none ? pick : current?.verdict;
    }
    return fields;
  };

  const rangeOf = async (args: AnnotateArgs | undefined): Promise<{ editor: vscode.TextEditor; start: number; end: number } | undefined> => {
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
  };

  const annotateSelection = async (args?: AnnotateArgs): Promise<ItemRef | undefined> => {
    const r = await rangeOf(args);
    if (!r) return undefined;
    const fields = await askFields(args);
    if (!fields) return undefined;
    const { entry, item } = await store.add(r.editor.document, r.start, r.end, fields);
    return { uri: entry.key, id: item.id };
  };

  const annotateAll = async (args?: AnnotateArgs): Promise<ItemRef[]> => {
    const r = await rangeOf(args);
    if (!r) return [];
    const doc = r.editor.document;
    const needle = doc.getText().slice(r.start, r.end);
    const text = doc.getText();
    const spans: [number, number][] = [];
    for (let i = text.indexOf(needle); i !== -1 && needle; i = text.indexOf(needle, i + needle.length)) spans.push([i, i + needle.length]);
    const existing = store.get(doc.uri);
    const fresh = spans.filter(([s, e]) => !existing?.sidecar.annotations.some((a) => {
      const l = existing.live?.get(a.id);
      return l && l.start === s && l.end === e;
    }));
    if (fresh.length === 0) return [];
    const fields = await askFields(args);
    if (!fields) return [];
    const out: ItemRef[] = [];
    for (const [s, e] of fresh) {
      const { entry, item } = await store.add(doc, s, e, fields);
      out.push({ uri: entry.key, id: item.id });
    }
    void vscode.window.showInformationMessage(`Marginalia: annotated ${out.length} occurrence${out.length === 1 ? '' : 's'} of “${needle.slice(0, 40)}”.`);
    return out;
  };

  const editAnnotation = async (arg?: unknown, patch?: AnnotateArgs): Promise<void> => {
    const ref = refOf(arg) ?? (await pickAnnotation('Annotation to edit'));
    const found = entryAndItem(ref);
    if (!found || !('kind' in found.item)) return;
    const fields = await askFields(patch ?? (arg as { patch?: AnnotateArgs } | undefined)?.patch, found.item);
    if (!fields) return;
    await store.update(found.e, found.item.id, fields);
  };

  const deleteAnnotation = async (arg?: unknown): Promise<void> => {
    const ref = refOf(arg) ?? (await pickAnnotation('Annotation to delete'));
    const found = entryAndItem(ref);
    if (!found) return;
    const removed = await store.remove(found.e, found.item.id);
    const label = 'note' in removed.item && removed.item.note ? removed.item.note.slice(0, 40) : removed.item.target.exact.slice(0, 40);
    void vscode.window.showInformationMessage(`Marginalia: deleted the annotation “${label}”.`, 'Undo').then((pick) => {
      if (pick === 'Undo') store.restore(found.e, removed).then(undefined, fail);
    });
  };

  const move = async (dir: 1 | -1): Promise<void> => {
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
  };

  const reanchor = async (arg?: unknown): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Marginalia: select the text the annotation should be on, then run Re-anchor to Selection.');
      return;
    }
    const ref = refOf(arg) ?? (await pickAnnotation('Annotation to move onto the selection', true));
    const found = entryAndItem(ref);
    if (!found) return;
    if (found.e.sourceUri.toString() !== editor.document.uri.toString()) {
      void vscode.window.showWarningMessage('Marginalia: the selection must be in the annotation\'s own source.');
      return;
    }
    const doc = editor.document;
    await store.reanchorTo(found.e, found.item.id, doc, doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end));
  };

  const reveal = async (arg?: unknown): Promise<void> => {
    const found = entryAndItem(refOf(arg));
    if (!found) return;
    const editor = await vscode.window.showTextDocument(found.e.sourceUri, { preserveFocus: false });
    if (found.e.liveDoc !== editor.document) await store.attach(editor.document);
    const range = found.e.rangeOf(found.item.id);
    if (!range) {
      void vscode.window.showWarningMessage(`Marginalia: this annotation is orphaned; its last known text was “${found.item.target.exact.slice(0, 80)}”. Select the new text and run Re-anchor to Selection.`);
      return;
    }
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  const openSidecar = async (arg?: unknown): Promise<void> => {
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

  const copy = async (arg?: unknown): Promise<void> => {
    const found = entryAndItem(refOf(arg));
    if (!found || !('kind' in found.item)) return;
    const a = found.item;
    const text = `“${a.target.exact}” — ${a.kind}${a.verdict ? ` (${a.verdict})` : ''}${a.note ? `: ${a.note}` : ''}`;
    await vscode.env.clipboard.writeText(text);
  };

  const group = async (arg?: unknown): Promise<void> => {
    let g = typeof arg === 'string' && (GROUPINGS as readonly string[]).includes(arg) ? (arg as Grouping) : undefined;
    if (!g) {
      const pick = await vscode.window.showQuickPick(GROUPINGS.map((x) => ({ label: x, description: x === tree.grouping ? '(current)' : '' })), { placeHolder: 'Group annotations by' });
      if (!pick) return;
      g = pick.label as Grouping;
    }
    tree.grouping = g;
    describeView();
    tree.refresh();
  };

  const describeView = (): void => {
    const parts = [tree.grouping !== 'source' ? `by ${tree.grouping}` : '', tree.filter ? `filter: ${tree.filter}` : ''].filter(Boolean);
    view.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'marginalia.annotationFilter', !!tree.filter);
  };

  const filter = async (arg?: unknown): Promise<void> => {
    let f = typeof arg === 'string' ? arg : undefined;
    if (f === undefined) {
      f = await vscode.window.showInputBox({ title: 'Marginalia: Filter Annotations', prompt: 'Show annotations whose note, kind, tags, verdict, author or text contain…', value: tree.filter });
      if (f === undefined) return;
    }
    tree.filter = f.trim();
    describeView();
    tree.refresh();
  };

  // Corrections ---------------------------------------------------------------------------

  const correctionRange = async (args?: AnnotateArgs): Promise<{ editor: vscode.TextEditor; start: number; end: number } | undefined> => {
    const r = await rangeOf(args);
    if (!r) return undefined;
    // Snap to the recognised mention under the selection, if any.
    const analysis = deps.analysisFor(r.editor.document.uri);
    const m = analysis?.mentions.find((x) => x.start <= r.start && r.end <= x.end) ?? analysis?.mentions.find((x) => x.start < r.end && r.start < x.end);
    if (m && r.end - r.start <= 1) return { editor: r.editor, start: m.start, end: m.end };
    return r;
  };

  const correct = async (fields: Partial<Correction>, args?: AnnotateArgs): Promise<ItemRef | undefined> => {
    const r = await correctionRange(args);
    if (!r) return undefined;
    const { entry, item } = await store.add(r.editor.document, r.start, r.end, fields, 'corrections');
    return { uri: entry.key, id: item.id };
  };

  const setEntityType = async (args?: AnnotateArgs & { type?: EntityType }): Promise<ItemRef | undefined> => {
    let type = args?.type;
    if (!type) {
      const pick = await vscode.window.showQuickPick(ENTITY_TYPES.map((t) => ({ label: t })), { placeHolder: 'This text is a…' });
      if (!pick) return undefined;
      type = pick.label as EntityType;
    }
    return correct({ action: 'entity-type', type }, args);
  };

  const mergeEntity = async (args?: AnnotateArgs & { canonical?: string }): Promise<ItemRef | undefined> => {
    let canonical = args?.canonical;
    if (!canonical) {
      const editor = vscode.window.activeTextEditor;
      const analysis = editor && deps.analysisFor(editor.document.uri);
      const names = [...new Set((analysis?.entities ?? []).map((e) => e.canonical))].sort();
      const pick = await vscode.window.showQuickPick([...names.map((n) => ({ label: n })), { label: '$(edit) Another name…' }], { placeHolder: 'Merge with the entity…' });
      if (!pick) return undefined;
      canonical = pick.label.startsWith('$(edit)') ? await vscode.window.showInputBox({ prompt: 'Canonical name of the entity' }) : pick.label;
      if (!canonical) return undefined;
    }
    return correct({ action: 'merge', canonical }, args);
  };

  const ignoreEntity = (args?: AnnotateArgs): Promise<ItemRef | undefined> => correct({ action: 'ignore' }, args);

  const setSpeaker = async (args?: AnnotateArgs & { speaker?: string }): Promise<ItemRef | undefined> => {
    let speaker = args?.speaker;
    if (speaker === undefined) {
      const editor = vscode.window.activeTextEditor;
      const analysis = editor && deps.analysisFor(editor.document.uri);
      const people = [...new Set((analysis?.entities ?? []).filter((e) => e.type === 'person' || e.type === 'organization').map((e) => e.canonical))].sort();
      const pick = await vscode.window.showQuickPick([...people.map((n) => ({ label: n })), { label: '$(edit) Another speaker…' }, { label: '$(circle-slash) No speaker' }], { placeHolder: 'Who said this quotation?' });
      if (!pick) return undefined;
      if (pick.label.startsWith('$(circle-slash)')) speaker = '';
      else if (pick.label.startsWith('$(edit)')) {
        speaker = await vscode.window.showInputBox({ prompt: 'Speaker' });
        if (speaker === undefined) return undefined;
      } else speaker = pick.label;
    }
    return correct({ action: 'speaker', speaker }, args);
  };

  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R | undefined> => {
    try {
      return await fn(...a);
    } catch (err) {
      fail(err);
      return undefined;
    }
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('marginalia.annotateSelection', wrap(annotateSelection)),
    vscode.commands.registerCommand('marginalia.annotateAllOccurrences', wrap(annotateAll)),
    vscode.commands.registerCommand('marginalia.editAnnotation', wrap(editAnnotation)),
    vscode.commands.registerCommand('marginalia.deleteAnnotation', wrap(deleteAnnotation)),
    vscode.commands.registerCommand('marginalia.nextAnnotation', wrap(() => move(1))),
    vscode.commands.registerCommand('marginalia.previousAnnotation', wrap(() => move(-1))),
    vscode.commands.registerCommand('marginalia.reanchorAnnotation', wrap(reanchor)),
    vscode.commands.registerCommand('marginalia.revealAnnotation', wrap(reveal)),
    vscode.commands.registerCommand('marginalia.openSidecar', wrap(openSidecar)),
    vscode.commands.registerCommand('marginalia.copyAnnotation', wrap(copy)),
    vscode.commands.registerCommand('marginalia.groupAnnotations', wrap(group)),
    vscode.commands.registerCommand('marginalia.filterAnnotations', wrap(filter)),
    vscode.commands.registerCommand('marginalia.clearAnnotationFilter', wrap(() => filter(''))),
    vscode.commands.registerCommand('marginalia.setEntityType', wrap(setEntityType)),
    vscode.commands.registerCommand('marginalia.mergeEntity', wrap(mergeEntity)),
    vscode.commands.registerCommand('marginalia.ignoreEntity', wrap(ignoreEntity)),
    vscode.commands.registerCommand('marginalia.setQuoteSpeaker', wrap(setSpeaker)),
  );
}
