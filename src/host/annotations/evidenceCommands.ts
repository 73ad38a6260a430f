import * as vscode from 'vscode';
import { EVIDENCE_RELATIONS, type Annotation, type EvidenceRelation } from '../../core/sidecar/model';
import { heavy } from '../lazy';
import { clipWords } from './quickEntry';
import { BACK, pickStep, type PickItem } from './flow';
import { RELATION_DESCRIPTIONS, claimPickRows, isClaim, isOpenEvidenceArgs, sortClaims, type ClaimChoice } from './evidenceCard';
import { EvidenceTexts } from './evidenceTexts';
import { offsetMap } from './offsets';
import type { AnnotationStore, SourceEntry } from './store';
import type { AnnotationTreeNode } from './tree';

/** Arguments of Link Evidence (the test seam; from the palette all are asked or taken from the selection). */
export interface LinkEvidenceArgs {
  /** The evidence source (default: the active editor) and the span in document offsets (default: the selection). */
  uri?: string;
  start?: number;
  end?: number;
  /** The claim: its source's URI and the annotation's id. */
  claim?: { uri: string; id: string };
  relation?: EvidenceRelation;
}

export interface LinkedEvidence {
  claim: { uri: string; id: string };
  index: number;
}

interface Deps {
  store: AnnotationStore;
  texts: EvidenceTexts;
  log: { warn(m: string): void };
}

const rel = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');

/**
 * Link Evidence…, Open Evidence and Remove Evidence Link. The link is made and stored by the core
 * (`addEvidence`: the same anchor as a target — exact, prefix, suffix and offsets in the other
 * source's normalised text) in the CLAIM's sidecar, through the store's safe writer.
 */
export function evidenceCommands(deps: Deps): {
  linkEvidence: (args?: LinkEvidenceArgs) => Promise<LinkedEvidence | undefined>;
  openEvidence: (args?: unknown) => Promise<boolean>;
  removeEvidence: (args?: unknown) => Promise<void>;
} {
  return {
    linkEvidence: (args) => linkEvidence(deps.store, args),
    openEvidence: (arg) => openEvidence(deps, arg),
    removeEvidence: (arg) => removeEvidence(deps, arg),
  };
}

type Claim = { entry: SourceEntry; annotation: Annotation };

/** The selected evidence: a non-blank span of a saved file in a workspace folder. */
interface EvidenceSelection {
  doc: vscode.TextDocument;
  start: number;
  end: number;
  folder: vscode.WorkspaceFolder;
  /** The evidence file's workspace path, as the link stores it. */
  source: string;
}

/** Every claim of the workspace's sidecars (claims, verdicts, anything with a verdict). */
function claimsIn(store: AnnotationStore, folder: vscode.WorkspaceFolder): (ClaimChoice & Claim)[] {
  const out: (ClaimChoice & Claim)[] = [];
  for (const entry of store.all()) {
    if (entry.folder.uri.toString() !== folder.uri.toString()) continue;
    for (const a of entry.sidecar.annotations) if (isClaim(a)) out.push({ entry, source: rel(entry.sourceUri), annotation: a });
  }
  return sortClaims(out);
}

async function linkEvidence(store: AnnotationStore, args?: LinkEvidenceArgs): Promise<LinkedEvidence | undefined> {
  const sel = await evidenceSelection(args);
  if (!sel) return undefined;
  const chosen = args?.claim ? { claim: givenClaim(store, args.claim), relation: args.relation } : await pickClaim(store, sel, args?.relation);
  if (!chosen) return undefined;
  const { claim } = chosen;
  const relation = chosen.relation || (await pickRelation());
  if (!relation) return undefined;
  if (claim.entry.folder.uri.toString() !== sel.folder.uri.toString()) {
    throw new Error('the evidence and the claim must be in the same workspace folder (links are stored as paths inside it)');
  }
  if (claim.entry.readOnly) throw new Error(claim.entry.readOnly);
  const index = await storeLink(store, claim, sel, relation);
  const ref = { uri: claim.entry.sourceUri.toString(), id: claim.annotation.id };
  void vscode.window.showInformationMessage(`Marginalia: linked “${clipWords(sel.doc.getText().slice(sel.start, sel.end), 40)}” (${relation}) to the claim “${clipWords(claim.annotation.target.exact, 40)}” in ${rel(claim.entry.sourceUri)}.`);
  return { claim: ref, index };
}

/** The span of the arguments (else the selection), refused with a message when it cannot be evidence. */
async function evidenceSelection(args?: LinkEvidenceArgs): Promise<EvidenceSelection | undefined> {
  const want = args?.uri;
  const editor = want
    ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === want) ?? (await vscode.window.showTextDocument(vscode.Uri.parse(want)))
    : vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Marginalia: select the evidence in a source, then run Link Evidence.');
    return undefined;
  }
  const doc = editor.document;
  const start = args?.start ?? doc.offsetAt(editor.selection.start);
  const end = args?.end ?? doc.offsetAt(editor.selection.end);
  if (!(end > start) || doc.getText().slice(start, end).trim() === '') {
    void vscode.window.showInformationMessage('Marginalia: select the evidence text first (in any source), then run Link Evidence.');
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!folder || doc.uri.scheme === 'untitled') {
    void vscode.window.showWarningMessage('Marginalia: evidence must be in a saved file inside the workspace (links are stored as workspace paths).');
    return undefined;
  }
  const source = heavy().normalizeEvidenceSource(rel(doc.uri));
  if (source === undefined) throw new Error(`${rel(doc.uri)} is not a path inside the workspace`);
  return { doc, start, end, folder, source };
}

function givenClaim(store: AnnotationStore, given: { uri: string; id: string }): Claim {
  const entry = store.get(vscode.Uri.parse(given.uri));
  const annotation = entry?.sidecar.annotations.find((a) => a.id === given.id);
  if (!entry || !annotation) throw new Error('that claim no longer exists');
  return { entry, annotation };
}

/**
 * The claim, picked among the folder's claims (scanning the workspace's sidecars if none is known
 * yet), then the relation unless given: two steps with Back.
 */
async function pickClaim(store: AnnotationStore, sel: EvidenceSelection, given: EvidenceRelation | undefined): Promise<{ claim: Claim; relation: EvidenceRelation } | undefined> {
  let claims = claimsIn(store, sel.folder);
  if (claims.length === 0) {
    await store.scanWorkspace();
    claims = claimsIn(store, sel.folder);
  }
  if (claims.length === 0) {
    void vscode.window.showInformationMessage('Marginalia: no claims in this workspace yet. Annotate a claim (kind claim, with or without a verdict) first, then link evidence to it.');
    return undefined;
  }
  const rows = claimPickRows(claims);
  const items: PickItem<number>[] = rows.map((r, i) => ({ ...r, value: i }));
  let relation = given;
  let claim: Claim | undefined;
  const what = clipWords(sel.doc.getText().slice(sel.start, sel.end), 40);
  for (let step = 0; step < (relation ? 1 : 2);) {
    const title = `Marginalia: Link Evidence “${what}”`;
    if (step === 0) {
      const r = await pickStep<number>({ title, step: 1, totalSteps: relation ? 1 : 2, items, placeholder: 'The claim this text is evidence for or against (type to filter by text, verdict or source)' });
      if (r === undefined) return undefined;
      if (r === BACK) continue;
      claim = claims[r];
      step = 1;
    } else {
      const r = await pickStep<EvidenceRelation>({ title, step: 2, totalSteps: 2, placeholder: RELATION_PROMPT, items: relationItems(), active: 'supports' });
      if (r === undefined) return undefined;
      if (r === BACK) {
        step = 0;
        continue;
      }
      relation = r;
      step = 2;
    }
  }
  if (!claim || !relation) return undefined;
  return { claim, relation };
}

const RELATION_PROMPT = 'How does the selected text bear on the claim?';

function relationItems(): PickItem<EvidenceRelation>[] {
  return EVIDENCE_RELATIONS.map((x) => ({ label: x, description: RELATION_DESCRIPTIONS[x], value: x }));
}

/** The relation alone (the claim was given). */
async function pickRelation(): Promise<EvidenceRelation | undefined> {
  const r = await pickStep<EvidenceRelation>({ title: 'Marginalia: Link Evidence', step: 1, totalSteps: 1, placeholder: RELATION_PROMPT, items: relationItems(), active: 'supports' });
  return r === undefined || r === BACK ? undefined : r;
}

/** Adds the link to the claim's sidecar; its index in the claim's evidence list. */
async function storeLink(store: AnnotationStore, claim: Claim, sel: EvidenceSelection, relation: EvidenceRelation): Promise<number> {
  const { doc, start, end, source } = sel;
  const map = offsetMap(doc);
  const id = claim.annotation.id;
  let index = -1;
  await store.editSidecar(claim.entry, (sidecar) => {
    const next = heavy().addEvidence(sidecar, id, { relation, source, target: { start: map.toNorm(start), end: map.toNorm(end) }, text: map.text }, store.now());
    const list = next.annotations.find((a) => a.id === id)?.evidence ?? [];
    const ns = map.toNorm(start);
    const ne = map.toNorm(end);
    index = list.findIndex((e) => e.relation === relation && e.source === source && e.target.start === ns && e.target.end === ne);
    return next;
  });
  return index;
}

/** The claim and link index from a command argument (hover link or tree node). */
function linkOf(store: AnnotationStore, arg: unknown): { entry: SourceEntry; annotation: Annotation; index: number } | undefined {
  const n = arg as AnnotationTreeNode | undefined;
  if (n && typeof n === 'object' && 'type' in n && n.type === 'evidence') return { entry: n.entry, annotation: n.item, index: n.index };
  if (!isOpenEvidenceArgs(arg)) return undefined;
  const entry = store.get(vscode.Uri.parse(arg.uri));
  const annotation = entry?.sidecar.annotations.find((a) => a.id === arg.id);
  if (!entry || !annotation || !(annotation.evidence && arg.index < annotation.evidence.length)) return undefined;
  return { entry, annotation, index: arg.index };
}

/** Open Evidence: the linked text beside, selected (true), or a warning why it cannot be (false). */
async function openEvidence({ store, texts }: Deps, arg?: unknown): Promise<boolean> {
  const found = linkOf(store, arg);
  if (!found) {
    void vscode.window.showInformationMessage('Marginalia: that evidence link no longer exists.');
    return false;
  }
  const link = found.annotation.evidence![found.index]!;
  // Only paths inside the claim's workspace folder are followed (a `..` or absolute path is refused).
  const uri = EvidenceTexts.uriOf(found.entry.folder, link.source);
  if (!uri) throw new Error(`the evidence path ${JSON.stringify(link.source)} leaves the workspace; it is not opened`);
  const views = await texts.viewsNow(found.entry, found.annotation);
  const v = views[found.index]!;
  if (v.orphan && v.reason && v.reason !== 'text-gone') {
    void vscode.window.showWarningMessage(`Marginalia: cannot open the evidence in ${link.source}: ${v.reason}. The link is kept with its last known text “${clipWords(link.target.exact, 60)}”.`);
    return false;
  }
  const editor = await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  if (v.orphan) {
    void vscode.window.showWarningMessage(`Marginalia: this evidence is orphaned: “${clipWords(link.target.exact, 60)}” is no longer in ${link.source}. The link is kept.`);
    return false;
  }
  const anchored = texts.anchoredEvidence(found.entry, found.annotation)?.[found.index];
  const map = offsetMap(editor.document);
  const t = anchored && !anchored.orphan ? anchored.target : link.target;
  if (t.end > map.text.length) return false;
  const range = new vscode.Range(editor.document.positionAt(map.toDoc(t.start)), editor.document.positionAt(map.toDoc(t.end)));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}

/** Remove Evidence Link, with Undo on the message (the link put back at its place). */
async function removeEvidence({ store, log }: Deps, arg?: unknown): Promise<void> {
  const found = linkOf(store, arg);
  if (!found) return;
  const { entry, annotation, index } = found;
  const link = annotation.evidence![index]!;
  await store.editSidecar(entry, (sidecar) => heavy().removeEvidence(sidecar, annotation.id, index, store.now()));
  void vscode.window.showInformationMessage(`Marginalia: removed the evidence link to “${clipWords(link.target.exact, 40)}” in ${link.source}.`, 'Undo').then((pick) => {
    if (pick !== 'Undo') return;
    store.editSidecar(entry, (sidecar) => {
      const i = sidecar.annotations.findIndex((a) => a.id === annotation.id);
      if (i < 0) return sidecar;
      const annotations = [...sidecar.annotations];
      const a = annotations[i]!;
      const list = [...(a.evidence ?? [])];
      list.splice(Math.min(index, list.length), 0, link);
      annotations[i] = { ...a, evidence: list };
      return { ...sidecar, annotations };
    }).then(undefined, (err: unknown) => log.warn(`Undo remove evidence: ${String(err)}`));
  });
}
