/**
 * The git merge driver's merge: `mergeSidecars` (src/core/sidecar/merge.ts, three-way by id) with
 * what the driver needs on top:
 * - top-level keys changed differently on both branches are recorded (top-level `conflict:`), not
 *   silently resolved to ours;
 * - a `changed-deleted` item (changed on one branch, deleted on the other) is kept and ALSO gets a
 *   `{deleted: true}` entry in its `conflict`, so every conflict the driver reports (exit 1) is
 *   visible in the YAML and in `marginalia check`;
 * - an id used by both an annotation and a correction (each added on its own branch) would make
 *   the file unreadable: the item that came from theirs gets a new id (`renamed`).
 */
import { isMap, isScalar, isSeq, Lexer } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { conflictEntries, conflictValueOf, mergeSidecars, type MergeConflict } from '../sidecar/merge';
import { CANONICAL_HEADER } from '../sidecar/canonicalWriter';
import { serializeSidecar, type ParsedSidecar } from '../sidecar/codec';
import { stringifySidecarDocument } from '../sidecar/documentRender';
import { updateSidecarDocument } from '../sidecar/documentUpdate';
import { sidecarValuesEqual } from '../sidecar/valuesEqual';
import type { Annotation, Correction, Sidecar } from '../sidecar/model';
import { compareIds } from '../sidecar/model';
import { ulidFactory } from '../sidecar/ulid';

export interface GitMergeResult {
  sidecar: Sidecar;
  conflicts: MergeConflict[];
  /** Items given a new id because an annotation and a correction shared one. */
  renamed: { list: 'annotations' | 'corrections'; from: string; to: string }[];
}

export interface GitMergeOptions {
  /** New ids for renamed items (default: ULIDs). */
  newId?: () => string;
}

const DELETED = { deleted: true };

export function mergeSidecarsForGit(base: Sidecar | null, ours: Sidecar, theirs: Sidecar, options: GitMergeOptions = {}): GitMergeResult {
  const r = mergeSidecars(base, ours, theirs, { recordKeyConflicts: true });
  const deleted = new Set(r.conflicts.filter((c) => c.kind === 'changed-deleted' && c.list !== 'top').map((c) => `${c.list}\u0000${c.id}`));
  const mark = <T extends Annotation | Correction>(list: 'annotations' | 'corrections', items: T[]): T[] =>
    items.map((x) => {
      if (!deleted.has(`${list}\u0000${x.id}`)) return x;
      const entries = conflictEntries(x.conflict);
      if (entries.some((e) => sidecarValuesEqual(e, DELETED))) return x;
      return { ...x, conflict: conflictValueOf([...entries, { ...DELETED }]) };
    });
  const sidecar: Sidecar = { ...r.sidecar, annotations: mark('annotations', r.sidecar.annotations), corrections: mark('corrections', r.sidecar.corrections) };
  const renamed: GitMergeResult['renamed'] = [];
  const annotationIds = new Set(sidecar.annotations.map((a) => a.id));
  const clash = sidecar.corrections.filter((c) => annotationIds.has(c.id)).map((c) => c.id);
  if (clash.length > 0) {
    const newId = options.newId ?? ulidFactory();
    const taken = new Set([...annotationIds, ...sidecar.corrections.map((c) => c.id)]);
    const fresh = (): string => {
      let id = newId();
      while (taken.has(id)) id = newId();
      taken.add(id);
      return id;
    };
    const oursAnnotations = new Set(ours.annotations.map((a) => a.id));
    const oursCorrections = new Set(ours.corrections.map((c) => c.id));
    for (const id of clash) {
      // The one ours did not have came from their branch: it gets the new id. (Both from ours cannot
      // happen: ours would not have been read.)
      const list: 'annotations' | 'corrections' = oursAnnotations.has(id) && !oursCorrections.has(id) ? 'corrections' : 'annotations';
      const to = fresh();
      const items = sidecar[list] as (Annotation | Correction)[];
      const i = items.findIndex((x) => x.id === id);
      items[i] = { ...items[i]!, id: to };
      renamed.push({ list, from: id, to });
    }
    sidecar.annotations.sort((a, b) => compareIds(a.id, b.id));
    sidecar.corrections.sort((a, b) => compareIds(a.id, b.id));
  }
  return { sidecar, conflicts: r.conflicts, renamed };
}

// ---------------------------------------------------------------------------------------------
// Writing the merge: ours' file (its comments and layout) with theirs' comments where they can go

/** A comment of a sidecar's text: its text (after `#`, trimmed) and its 1-based line. */
export interface SidecarComment {
  text: string;
  line: number;
}

const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** Every comment of a YAML text (read with the yaml lexer: a `#` inside a string or block scalar is not one). */
export function commentsOf(text: string): SidecarComment[] {
  const out: SidecarComment[] = [];
  let line = 1;
  for (const tok of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(tok)) continue;
    if (tok.charCodeAt(0) === 35) out.push({ text: tok.slice(1).trim(), line });
    for (let i = tok.indexOf('\n'); i >= 0; i = tok.indexOf('\n', i + 1)) line++;
  }
  return out.filter((c) => c.text !== '');
}

/** The comment lines and blank lines a text starts with (raw), and where the rest begins. */
function leadingBlock(text: string): { block: string; comments: string[]; rest: number } {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const comments: string[] = [];
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, end).trim();
    if (pos >= text.length || (line !== '' && !line.startsWith('#'))) break;
    if (line !== '') comments.push(line.slice(1).trim());
    pos = end;
  }
  return { block: text.slice(0, pos), comments, rest: pos };
}

export interface GitMergeText {
  text: string;
  /** Comments added on their branch that the merged file does not hold (with their line in theirs). */
  unplaced: SidecarComment[];
}

/**
 * The merged sidecar's text: ours' Document (or ours' canonical layout) updated to the result;
 * items that come from theirs (added or changed there, taken as they are) are copied from theirs'
 * Document with their comments; the comment block at the top of the file is merged three ways.
 * Comments theirs added that end up nowhere are returned in `unplaced`.
 */
export function serializeGitMerge(result: Sidecar, base: ParsedSidecar | null, ours: ParsedSidecar, theirs: ParsedSidecar): GitMergeText {
  // (a canonical file has no comment but Marginalia's own header line)
  const plain = (): GitMergeText => ({ text: serializeSidecar(result, ours), unplaced: [] });
  if (theirs.canonical || theirs.text.indexOf('#') < 0) return plain();
  const theirsComments = commentsOf(theirs.text).filter((c) => `# ${c.text}` !== CANONICAL_HEADER);
  if (theirsComments.length === 0) return plain();
  const known = new Set([...commentsOf(ours.text), ...(base ? commentsOf(base.text) : [])].map((c) => c.text));
  const added = theirsComments.filter((c) => !known.has(c.text));
  if (added.length === 0) return plain();
  const doc = ours.doc;
  updateSidecarDocument(doc, result);
  const theirsDoc = theirs.doc;
  for (const key of ['annotations', 'corrections'] as const) {
    const oursItems = new Map<string, Annotation | Correction>(ours.sidecar[key].map((x) => [x.id, x]));
    const theirsItems = new Map<string, Annotation | Correction>(theirs.sidecar[key].map((x) => [x.id, x]));
    const seq = doc.get(key, true);
    const theirsSeq = theirsDoc.get(key, true);
    if (!isSeq(seq) || !isSeq(theirsSeq)) continue;
    const theirsNodes = new Map<string, unknown>();
    for (const n of theirsSeq.items) {
      const id = idOf(n);
      if (id !== undefined && !theirsNodes.has(id)) theirsNodes.set(id, n);
    }
    const oursAt = new Map<string, number>();
    seq.items.forEach((n, i) => {
      const id = idOf(n);
      if (id !== undefined && !oursAt.has(id)) oursAt.set(id, i);
    });
    for (const item of result[key] as (Annotation | Correction)[]) {
      const t = theirsItems.get(item.id);
      const o = oursItems.get(item.id);
      // Theirs' version, taken as it is, and not ours' too (then ours' node, and its comments, stay).
      if (!t || !sidecarValuesEqual(t, item) || (o && sidecarValuesEqual(o, item))) continue;
      const from = theirsNodes.get(item.id);
      const at = oursAt.get(item.id) ?? -1;
      if (!from || at < 0) continue;
      // (ours' node may hold comments of ours that theirs' does not: then it stays, theirs' are reported)
      const theirsNotes = new Set(nodeComments(from));
      if (nodeComments(seq.items[at]).some((c) => !theirsNotes.has(c))) continue;
      const node = (from as YamlNode).clone() as YamlNode;
      node.spaceBefore = (seq.items[at] as YamlNode).spaceBefore;
      seq.items[at] = node;
    }
  }
  let text = stringifySidecarDocument(doc);
  // The comment block at the top of the file, merged three ways (one side's change wins; both: ours, then theirs' new lines).
  const b = base ? leadingBlock(base.text) : undefined;
  const o = leadingBlock(ours.text);
  const t = leadingBlock(theirs.text);
  const same = (x: string[], y: string[] | undefined): boolean => y !== undefined && x.length === y.length && x.every((c, i) => c === y[i]);
  if (!same(t.comments, o.comments) && !same(t.comments, b?.comments)) {
    const out = leadingBlock(text);
    const lines = same(o.comments, b?.comments) ? t.comments : [...o.comments, ...t.comments.filter((c) => !o.comments.includes(c))];
    // (ours' own top comments are in the text already, as yaml wrote them; only replace the block when it holds exactly them)
    if (same(out.comments, o.comments)) text = `${lines.map((c) => `# ${c}`).join('\n')}\n${out.comments.length > 0 && /\n\s*\n$/.test(out.block) ? '\n' : ''}${text.slice(out.rest)}`;
  }
  const present = new Set(commentsOf(text).map((c) => c.text));
  return { text, unplaced: added.filter((c) => !present.has(c.text)) };
}

function idOf(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const v = node.get('id', true);
  return isScalar(v) ? (typeof v.value === 'string' ? v.value : v.source ?? String(v.value)) : undefined;
}

/** The comments attached to a node and everything inside it (each line, trimmed). */
function nodeComments(node: unknown): string[] {
  const out: string[] = [];
  const add = (c: unknown): void => {
    if (typeof c === 'string') for (const line of c.split('\n')) if (line.trim()) out.push(line.trim());
  };
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const x = n as { commentBefore?: unknown; comment?: unknown; items?: unknown[]; key?: unknown; value?: unknown };
    add(x.commentBefore);
    add(x.comment);
    if (isMap(n) || isSeq(n)) for (const it of x.items ?? []) walk(it);
    else if ('key' in x && 'value' in x && !isScalar(n)) {
      walk(x.key);
      walk(x.value);
    }
  };
  walk(node);
  return out;
}
