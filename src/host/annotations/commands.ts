import * as vscode from 'vscode';
import { guarded } from '../guard';
import { Commands } from '../commands';
import { ANNOTATION_KINDS, VERDICTS } from '../../core/sidecar/model';
import type { Annotation, AnnotationKind, Correction } from '../../core/sidecar';
import type { Analysis } from '../../core/types';
import { BACK, inputStep, pickStep, type PickItem, type StepResult } from './flow';
import { clipWords, describeQuickEntry, parseQuickEntry, type QuickEntry } from './quickEntry';
import { correctionCommands } from './correctionCommands';
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
  /** Shows the Marginalia log (offered on unexpected errors). */
  showLog?: () => void;
  /** Where the view's grouping and filter are kept (the workspace state). */
  state?: vscode.Memento;
}

const STATE_GROUPING = 'marginalia.annotations.grouping';
const STATE_FILTER = 'marginalia.annotations.filter';

const KIND_DESCRIPTIONS: Record<AnnotationKind, string> = {
  note: 'A note on the passage', claim: 'A claim to check', question: 'An open question', verdict: 'A fact-check verdict',
  tag: 'Tags only', link: 'A link to another source', correction: 'A correction of the text',
};

function verdictScale(): string[] {
  const custom = vscode.workspace.getConfiguration('marginalia').get<unknown>('annotations.verdicts');
  return Array.isArray(custom) && custom.every((v) => typeof v === 'string') && custom.length > 0 ? custom as string[] : [...VERDICTS];
}

/** An error toast with the actions that lead to the fix: the sidecar (at the problem's line), the Problems panel, the log. */
async function showError(message: string, entry?: SourceEntry, showLog?: () => void): Promise<void> {
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
  };

  /**
   * Ask for the fields, one step at a time with a step count and Back (skipping what `args` gives):
   * kind (where a one-line quick entry such as `claim: false #casualties the note` saves at once),
   * then the verdict for claims and verdicts, the note and the tags. Editing preselects the current
   * values, so pressing Enter through the steps changes nothing.
   */
  const askFields = async (args: AnnotateArgs | undefined, current?: Annotation, about?: string): Promise<Partial<Annotation> | undefined> => {
    if (args?.kind !== undefined && args.note !== undefined) {
      const fields: Partial<Annotation> = { kind: args.kind, note: args.note || undefined };
      if (args.tags) fields.tags = args.tags;
      if (args.verdict !== undefined) fields.verdict = args.verdict || undefined;
      return fields;
    }
    const scale = verdictScale();
    const draft: { kind?: AnnotationKind; verdict?: string; note?: string; tags?: string[] } = {
      kind: args?.kind ?? current?.kind,
      verdict: args?.verdict ?? current?.verdict,
      note: args?.note ?? current?.note,
      tags: args?.tags ?? current?.tags,
    };
    const what = about ? ` “${clipWords(about, 40)}”` : '';
    const titleFor = (kind?: AnnotationKind): string => `Marginalia: ${current ? 'Edit Annotation' : `Annotate${what}`}${kind ? ` — ${kind}` : ''}`;
    type Step = 'kind' | 'verdict' | 'note' | 'tags';
    const stepsFor = (kind?: AnnotationKind): Step[] => {
      const steps: Step[] = [];
      if (args?.kind === undefined) steps.push('kind');
      if (args?.verdict === undefined && (kind === 'claim' || kind === 'verdict')) steps.push('verdict');
      if (args?.note === undefined) steps.push('note');
      if (args?.tags === undefined) steps.push('tags');
      return steps;
    };
    type KindPick = AnnotationKind | { quick: QuickEntry };
    for (let i = 0; ;) {
      const steps = stepsFor(draft.kind);
      if (i >= steps.length) break;
      const at = { title: titleFor(steps[i] === 'kind' ? undefined : draft.kind), step: i + 1, totalSteps: steps.length };
      const step = steps[i];
      let r: StepResult<unknown>;
      if (step === 'kind') {
        r = await pickStep<KindPick>({
          ...at,
          items: ANNOTATION_KINDS.map((k) => ({ label: k, description: `${KIND_DESCRIPTIONS[k]}${current?.kind === k ? ' (current)' : ''}`, value: k })),
          active: draft.kind ?? 'note',
          placeholder: current ? `Kind (now: ${current.kind})` : 'Kind — or type a whole entry: claim: false #casualties the figure is from 2021',
          onValue: (v) => {
            const q = parseQuickEntry(v, ANNOTATION_KINDS, scale);
            // A verdict annotation needs its verdict: without one the steps go on.
            if (!q || (q.kind === 'verdict' && !q.verdict)) return [];
            return [{ label: `$(check) Save ${describeQuickEntry(q)}`, description: 'quick entry', alwaysShow: true, value: { quick: q } }];
          },
        });
        if (r && r !== BACK && typeof r === 'object') {
          const q = (r as { quick: QuickEntry }).quick;
          const fields: Partial<Annotation> = { kind: q.kind as AnnotationKind, note: q.note };
          if (q.tags.length || current?.tags) fields.tags = q.tags.length ? q.tags : current?.tags;
          fields.verdict = q.verdict ?? current?.verdict;
          return fields;
        }
        if (typeof r === 'string') draft.kind = r as AnnotationKind;
      } else if (step === 'verdict') {
        const none = Symbol('none');
        const items: PickItem<string | typeof none>[] = scale.map((v) => ({ label: v, description: current?.verdict === v ? '(current)' : undefined, value: v }));
        if (draft.kind !== 'verdict') items.unshift({ label: 'no verdict yet', description: current && !current.verdict ? '(current)' : undefined, value: none });
        const active = draft.verdict && scale.includes(draft.verdict) ? draft.verdict : draft.kind === 'verdict' ? scale[0] : none;
        r = await pickStep<string | typeof none>({ ...at, items, active, placeholder: draft.kind === 'verdict' ? 'The verdict' : 'The verdict, if you have one' });
        if (r === none) draft.verdict = undefined;
        else if (typeof r === 'string') draft.verdict = r;
      } else if (step === 'note') {
        r = await inputStep({ ...at, value: draft.note ?? '', prompt: 'Your note (optional)', placeholder: 'e.g. The figure is from 2021' });
        if (typeof r === 'string') draft.note = r;
      } else {
        r = await inputStep({ ...at, value: (draft.tags ?? []).join(', '), prompt: 'Tags, separated by commas (optional)', placeholder: 'e.g. casualties, sources' });
        if (typeof r === 'string') draft.tags = r.split(',').map((t) => t.trim().replace(/^#/, '')).filter(Boolean);
      }
      if (r === undefined) return undefined;
      i = r === BACK ? Math.max(0, i - 1) : i + 1;
    }
    const fields: Partial<Annotation> = { kind: draft.kind ?? 'note', note: draft.note || undefined, tags: draft.tags?.length ? draft.tags : undefined };
    fields.verdict = draft.verdict || undefined;
    return fields;
  };

  /**
   * Refuse before the first prompt when the source's annotations cannot be written (a broken
   * sidecar, a newer format, restricted mode), with the actions that lead to the fix.
   */
  const refuseIfReadOnly = async (uri: vscode.Uri): Promise<boolean> => {
    const e = store.entryFor(uri);
    if (!e) return false;
    await store.load(e);
    const reason = e.readOnly;
    if (!reason) return false;
    void showError(`Marginalia: ${reason}`, e);
    return true;
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
    if (await refuseIfReadOnly(r.editor.document.uri)) return undefined;
    const fields = await askFields(args, undefined, r.editor.document.getText().slice(r.start, r.end));
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
    if (await refuseIfReadOnly(doc.uri)) return [];
    const fields = await askFields(args, undefined, needle);
    if (!fields) return [];
    const out: ItemRef[] = [];
    for (const [s, e] of fresh) {
      const { entry, item } = await store.add(doc, s, e, fields);
      out.push({ uri: entry.key, id: item.id });
    }
    void vscode.window.showInformationMessage(`Marginalia: annotated ${out.length} occurrence${out.length === 1 ? '' : 's'} of “${clipWords(needle, 40)}”.`);
    return out;
  };

  const editAnnotation = async (arg?: unknown, patch?: AnnotateArgs): Promise<void> => {
    const ref = refOf(arg) ?? (await pickAnnotation('Annotation to edit'));
    const found = entryAndItem(ref);
    if (!found || !('kind' in found.item)) return;
    if (found.e.readOnly) {
      void showError(`Marginalia: ${found.e.readOnly}`, found.e);
      return;
    }
    const fields = await askFields(patch ?? (arg as { patch?: AnnotateArgs } | undefined)?.patch, found.item);
    if (!fields) return;
    await store.update(found.e, found.item.id, fields);
  };

  const deleteAnnotation = async (arg?: unknown): Promise<void> => {
    const ref = refOf(arg) ?? (await pickAnnotation('Annotation to delete'));
    const found = entryAndItem(ref);
    if (!found) return;
    const removed = await store.remove(found.e, found.item.id);
    const label = 'note' in removed.item && removed.item.note ? clipWords(removed.item.note, 40) : clipWords(removed.item.target.exact, 40);
    void vscode.window.showInformationMessage(`Marginalia: deleted the annotation “${label}”.`, 'Undo').then((pick) => {
      if (pick === 'Undo') void wrap(() => store.restore(found.e, removed))();
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
      void vscode.window.showWarningMessage(`Marginalia: this annotation is orphaned; its last known text was “${clipWords(found.item.target.exact, 80)}”. Select the new text and run Re-anchor to Selection.`);
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
      const items: PickItem<Grouping>[] = GROUPINGS.map((x) => ({ label: x, description: x === tree.grouping ? '(current)' : x === 'source' ? '' : 'across sources', value: x }));
      const pick = await pickStep<Grouping>({ title: 'Marginalia: Group Annotations By', step: 1, totalSteps: 1, items, active: tree.grouping, placeholder: 'Group annotations by' });
      if (!pick || pick === BACK) return;
      g = pick;
    }
    tree.grouping = g;
    void deps.state?.update(STATE_GROUPING, g);
    describeView();
    tree.refresh();
  };

  /** How many annotations the filter lets through, of all. */
  const counts = (): { shown: number; total: number } => {
    let shown = 0;
    let total = 0;
    for (const e of store.all()) {
      total += e.sidecar.annotations.length;
      shown += tree.visible(e).length;
    }
    return { shown, total };
  };

  const describeView = (): void => {
    const c = tree.filter ? counts() : undefined;
    const parts = [tree.grouping !== 'source' ? `by ${tree.grouping}` : '', tree.filter && c ? `filter: ${tree.filter} (${c.shown} of ${c.total})` : ''].filter(Boolean);
    view.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'marginalia.annotationFilter', !!tree.filter);
  };

  const applyFilter = (f: string, persist: boolean): void => {
    tree.filter = f.trim();
    if (persist) void deps.state?.update(STATE_FILTER, tree.filter);
    describeView();
    tree.refresh();
  };

  /** The filter applies as you type, with the count of what it lets through; Escape restores the previous one. */
  const filter = async (arg?: unknown): Promise<void> => {
    if (typeof arg === 'string') {
      applyFilter(arg, true);
      return;
    }
    const before = tree.filter;
    const box = vscode.window.createInputBox();
    box.title = 'Marginalia: Filter Annotations';
    box.placeholder = 'Words in the note, kind, tags, verdict, author or text';
    box.value = before;
    const say = (): void => {
      const c = counts();
      box.prompt = tree.filter ? `${c.shown} of ${c.total} annotations match. Enter keeps the filter; Escape restores the previous one.` : `${c.total} annotations. Type to filter.`;
    };
    say();
    await new Promise<void>((resolve) => {
      let accepted = false;
      box.onDidChangeValue((v) => {
        applyFilter(v, false);
        say();
      });
      box.onDidAccept(() => {
        accepted = true;
        applyFilter(box.value, true);
        box.hide();
      });
      box.onDidHide(() => {
        if (!accepted) applyFilter(before, false);
        box.dispose();
        resolve();
      });
      box.show();
    });
  };

  // The grouping and the filter are kept per workspace.
  const savedGrouping = deps.state?.get<string>(STATE_GROUPING);
  if (savedGrouping && (GROUPINGS as readonly string[]).includes(savedGrouping)) tree.grouping = savedGrouping as Grouping;
  const savedFilter = deps.state?.get<string>(STATE_FILTER);
  if (typeof savedFilter === 'string') tree.filter = savedFilter;
  describeView();
  const recount = store.onDidChange(() => {
    if (tree.filter) describeView();
  });

  const { setEntityType, mergeEntity, ignoreEntity, setSpeaker } = correctionCommands({ store, analysisFor: deps.analysisFor, rangeOf, refuseIfReadOnly });

  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => guarded(fn, { log: deps.store.log, showLog: deps.showLog });

  return vscode.Disposable.from(
    recount,
    vscode.commands.registerCommand(Commands.annotateSelection, wrap(annotateSelection)),
    vscode.commands.registerCommand(Commands.annotateAllOccurrences, wrap(annotateAll)),
    vscode.commands.registerCommand(Commands.editAnnotation, wrap(editAnnotation)),
    vscode.commands.registerCommand(Commands.deleteAnnotation, wrap(deleteAnnotation)),
    vscode.commands.registerCommand(Commands.nextAnnotation, wrap(() => move(1))),
    vscode.commands.registerCommand(Commands.previousAnnotation, wrap(() => move(-1))),
    vscode.commands.registerCommand(Commands.reanchorAnnotation, wrap(reanchor)),
    vscode.commands.registerCommand(Commands.revealAnnotation, wrap(reveal)),
    vscode.commands.registerCommand(Commands.openSidecar, wrap(openSidecar)),
    vscode.commands.registerCommand(Commands.copyAnnotation, wrap(copy)),
    vscode.commands.registerCommand(Commands.groupAnnotations, wrap(group)),
    vscode.commands.registerCommand(Commands.filterAnnotations, wrap(filter)),
    vscode.commands.registerCommand(Commands.clearAnnotationFilter, wrap(() => filter(''))),
    vscode.commands.registerCommand(Commands.setEntityType, wrap(setEntityType)),
    vscode.commands.registerCommand(Commands.mergeEntity, wrap(mergeEntity)),
    vscode.commands.registerCommand(Commands.ignoreEntity, wrap(ignoreEntity)),
    vscode.commands.registerCommand(Commands.setQuoteSpeaker, wrap(setSpeaker)),
  );
}
