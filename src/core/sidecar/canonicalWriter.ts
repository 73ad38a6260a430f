/**
 * The canonical sidecar layout, written and read without the `yaml` package's Document model.
 *
 * The `yaml` Document API keeps comments and layout but costs ~1 s per MB; a 10,000-annotation
 * sidecar is ~3.5 MB. So files Marginalia writes use one fixed, line-oriented layout (a strict YAML
 * subset: JSON-quoted strings where a plain scalar would be ambiguous, JSON flow for lists and
 * unknown values, a blank line between annotation blocks), which `canonicalParse` reads line by
 * line. A file that deviates from that layout in any way (a comment, another quoting style, another
 * key order…) makes `canonicalParse` return undefined, and the codec falls back to the full YAML
 * parser and in-place Document edits, so nothing the user wrote is lost.
 *
 * This module is the writer: how the layout writes each piece of text (the header, scalars, keys,
 * flow values) and each block, reusing the blocks of the file a sidecar was read from for the items
 * that did not change. The reader (`./canonicalReader`) checks what it reads against these rules.
 */
import type { Annotation, Correction, Evidence, Sidecar, Target } from './model';
import { ANNOTATION_KEYS, CORRECTION_KEYS, EVIDENCE_KEYS, compareIds, setOwn } from './model';
import type { CanonicalBlock, CanonicalRead } from './canonicalReader';

/**
 * An evidence link as written: known keys in order (the target's too), `orphan` only when true,
 * then its unknown keys. Both writers write this (the canonical one as one JSON flow list, the
 * Document one as a block list).
 */
export function evidenceRecord(e: Evidence): Record<string, unknown> {
  const out: Record<string, unknown> = { relation: e.relation, source: e.source };
  const t = e.target;
  out.target = { exact: t.exact, prefix: t.prefix, suffix: t.suffix, start: t.start, end: t.end };
  if (e.orphan === true) out.orphan = true;
  if (e.extra) for (const [k, x] of Object.entries(e.extra)) if (x !== undefined && !(EVIDENCE_KEYS as readonly string[]).includes(k)) setOwn(out, k, x);
  return out;
}

export const CANONICAL_HEADER = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.';

const NUMBERISH = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const RESERVED = /^(?:true|false|null|True|TRUE|False|FALSE|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Characters the writers always escape: controls, invisible ones and the Unicode line/paragraph separators. */
const UNSAFE_CHARS = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g;
/** The same class without the global flag (no `lastIndex` state): a cheap test before replacing. */
const HAS_UNSAFE = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** Does `text` hold a character the writers escape? */
export const hasUnsafe = (text: string): boolean => HAS_UNSAFE.test(text);
/** `text` with every unsafe character written as a `\uXXXX` escape (`text` itself when it has none). */
export const escapeUnsafe = (text: string): string => (HAS_UNSAFE.test(text) ? text.replace(UNSAFE_CHARS, escapeChar) : text);

/** Plain-scalar character classes (ASCII): 1 letter, digit or `_`; 2 `. - + @ / , ' ( )`; 3 `:` and space (not before a space or at the end). */
const PLAIN_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) t[c] = 1;
    else if (".-+@/,'()".includes(String.fromCharCode(c))) t[c] = 2;
    else if (c === 58 || c === 32) t[c] = 3;
  }
  return t;
})();

/** Letters, digits and `_ . - + @ / : , ' ( )`, single inner spaces, no `: `; not a number or a YAML keyword. */
function plainSafe(s: string): boolean {
  return plainSafeAt(s, 0, s.length);
}

/** `plainSafe(s.slice(from, to))`, read in place (the reader checks values inside the file's text). */
export function plainSafeAt(s: string, from: number, to: number): boolean {
  const n = to - from;
  if (n <= 0) return false;
  const c0 = s.charCodeAt(from);
  if (c0 >= 128 || PLAIN_CLASS[c0] !== 1) return false; // starts with a letter, digit or _
  const cl = s.charCodeAt(to - 1);
  if (cl >= 128 || PLAIN_CLASS[cl] === 0 || PLAIN_CLASS[cl] === 3) return false; // no `:` or space at the end
  for (let i = from + 1; i < to - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return false;
    const k = PLAIN_CLASS[c]!;
    if (k === 0 || (k === 3 && s.charCodeAt(i + 1) === 32)) return false;
  }
  // a number ends in a digit, a dot or a hex digit
  if ((c0 >= 48 && c0 <= 57) && ((cl >= 48 && cl <= 57) || cl === 46 || (cl >= 97 && cl <= 102) || (cl >= 65 && cl <= 70))
    && NUMBERISH.test(s.slice(from, to))) return false;
  const lower = c0 | 32; // every YAML keyword starts with n, y, t, f or o (either case)
  if (n <= 5 && (lower === 110 || lower === 121 || lower === 116 || lower === 102 || lower === 111) && RESERVED.test(s.slice(from, to))) return false;
  return true;
}

/** A string as a YAML scalar: plain when unambiguous, else a JSON (= YAML double-quoted) string. */
export function scalar(s: string): string {
  if (plainSafe(s)) return s;
  return escapeUnsafe(JSON.stringify(s));
}

/** JSON in YAML's own flow spacing (`[ "a", "b" ]`, `{ "k": 1 }`), so a YAML re-render keeps it byte for byte. */
export function json(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map((x) => json(x)).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${json(k)}: ${json(x)}`).join(', ')} }`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return escapeUnsafe(JSON.stringify(v) ?? 'null');
}

export function value(v: unknown): string {
  if (typeof v === 'string') return scalar(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return json(v);
}

/**
 * A key as written: identifiers plain, anything else (`reviewed by`, `x.y`) as a quoted scalar, so that
 * a user's unknown keys are never dropped. (The canonical reader does not take quoted keys: such a
 * file is read by the full YAML parser, which is fine.)
 */
export function keyText(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : json(k);
}

/** `items` in id order: the array itself when it already is (a stable sort would not move anything). */
function sortedById<T extends { id: string }>(items: readonly T[]): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if (compareIds(items[i - 1]!.id, items[i]!.id) > 0) return [...items].sort((a, b) => compareIds(a.id, b.id));
  }
  return items;
}

/** `  - key: ` (the item's first line) and `    key: ` for each known key, by position in the key list. */
const linePrefixes = new WeakMap<readonly string[], { first: string[]; next: string[] }>();
function prefixesFor(keys: readonly string[]): { first: string[]; next: string[] } {
  let p = linePrefixes.get(keys);
  if (!p) {
    p = { first: keys.map((k) => `  - ${k}: `), next: keys.map((k) => `    ${k}: `) };
    linePrefixes.set(keys, p);
  }
  return p;
}

/**
 * One block (every line ending in `\n`) as pieces pushed on `out`: known keys in `keys` order, then
 * the unknown ones. (Pieces joined once at the end: no chain of intermediate strings to flatten.)
 */
function writeItem(out: string[], item: Annotation | Correction, keys: readonly string[]): void {
  const obj = item as unknown as Record<string, unknown>;
  const prefix = prefixesFor(keys);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (k === 'orphan' && v !== true) continue;
    if (k === 'tags') {
      if (Array.isArray(v) && v.length > 0) {
        out.push(first ? prefix.first[i]! : prefix.next[i]!, json(v), '\n');
        first = false;
      }
      continue;
    }
    if (k === 'evidence') {
      // One JSON flow list (the line reader reads it back as it reads any flow value).
      if (Array.isArray(v) && v.length > 0) {
        out.push(first ? prefix.first[i]! : prefix.next[i]!, json((v as Evidence[]).map(evidenceRecord)), '\n');
        first = false;
      }
      continue;
    }
    if (k === 'target') {
      const t = v as Target;
      out.push('    target:\n      exact: ', scalar(t.exact), '\n      prefix: ', scalar(t.prefix), '\n      suffix: ', scalar(t.suffix),
        `\n      start: ${t.start}\n      end: ${t.end}\n`);
      continue;
    }
    out.push(first ? prefix.first[i]! : prefix.next[i]!, value(v), '\n');
    first = false;
  }
  if (item.extra) {
    for (const [k, v] of Object.entries(item.extra)) {
      if (v === undefined || keys.includes(k)) continue;
      out.push(first ? '  - ' : '    ', keyText(k), ': ', value(v), '\n');
      first = false;
    }
  }
}

/**
 * The blocks of a canonical file just read, to be written back as they are for items that did not
 * change (see `reuseBlocks`): `lists[0]` the annotations, `lists[1]` the corrections.
 */
export interface BlockReuse {
  readonly text: string;
  readonly lists: readonly [ListBlocks, ListBlocks];
}
interface ListBlocks {
  blocks: readonly CanonicalBlock[] | undefined;
  byId?: Map<string, CanonicalBlock>;
}

/** What `canonicalStringify` may reuse of `text` (the text `read` was read from). */
export function reuseBlocks(text: string, read: CanonicalRead): BlockReuse {
  return { text, lists: [{ blocks: read.blocks?.annotations }, { blocks: read.blocks?.corrections }] };
}

/**
 * The block read for the item with this id, if it was written as the writer writes it. Found by id,
 * not by object: the store edits items in place, merges produce copies, and a sidecar read again
 * holds new objects; `sameAsRead` decides whether the block still is the item.
 */
function blockOf(list: ListBlocks, id: string): CanonicalBlock | undefined {
  if (!list.byId) {
    const map = new Map<string, CanonicalBlock>();
    // (an exact block's id was read as a string: the model's id is that string)
    for (const b of list.blocks ?? []) if (b.exact) map.set(b.data.id as string, b);
    list.byId = map;
  }
  return list.byId.get(id);
}

/**
 * `item` holds what was read into `data` for every field the writer writes (so `writeItem(item)`
 * is the block `data` was read from). Items are edited in place (`item.note = …`): `data` is the
 * reader's own copy, never handed out, so any edit shows here.
 */
function sameAsRead(item: Annotation | Correction, data: Record<string, unknown>, keys: readonly string[], extra: boolean): boolean {
  const obj = item as unknown as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    const d = data[k];
    if (k === 'target') {
      const t = v as Target | null | undefined;
      const dt = d as Record<string, unknown> | undefined;
      if (typeof t !== 'object' || t === null || typeof dt !== 'object' || dt === null) return false;
      if (t.exact !== dt.exact || t.prefix !== dt.prefix || t.suffix !== dt.suffix || t.start !== dt.start || t.end !== dt.end) return false;
    } else if (k === 'tags' && d !== undefined) {
      if (!Array.isArray(v) || !Array.isArray(d) || v.length !== d.length) return false;
      for (let j = 0; j < v.length; j++) if (v[j] !== d[j]) return false;
    } else if (v !== d) return false;
  }
  const x = item.extra as Record<string, unknown> | undefined;
  if (!extra) return x === undefined;
  if (typeof x !== 'object' || x === null) return false;
  const xKeys = Object.keys(x);
  let j = 0;
  for (const k of Object.keys(data)) {
    if (keys.includes(k)) continue;
    if (xKeys[j] !== k || x[k] !== data[k]) return false;
    j++;
  }
  return j === xKeys.length;
}

/**
 * The canonical text of a sidecar. Same data → same bytes. With `reuse` (the blocks of the canonical
 * file the sidecar was read from), an item still holding what was read is copied from that text
 * instead of being written again (runs of such items as one slice): the bytes are the same.
 */
export function canonicalStringify(sidecar: Sidecar, reuse?: BlockReuse): string {
  const out: string[] = [`${CANONICAL_HEADER}\nversion: ${sidecar.version}\nsource: ${scalar(sidecar.source)}\n`];
  if (sidecar.hash !== undefined) out.push(`hash: ${scalar(sidecar.hash)}\n`);
  for (let l = 0; l < 2; l++) {
    const key = l === 0 ? 'annotations' : 'corrections';
    const keys: readonly string[] = l === 0 ? ANNOTATION_KEYS : CORRECTION_KEYS;
    const items = sortedById<Annotation | Correction>(sidecar[key]);
    if (items.length === 0) {
      if (l === 0) out.push('annotations: []\n');
      continue;
    }
    out.push(`${key}:\n`);
    const blocks = reuse?.lists[l];
    const text = reuse?.text ?? '';
    // A run of reused blocks, adjacent in `text` (one blank line apart): [runStart, runEnd).
    let runStart = -1;
    let runEnd = -1;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      let b = blocks ? blockOf(blocks, item.id) : undefined;
      if (b && !sameAsRead(item, b.data, keys, b.extra)) b = undefined;
      if (b && runStart >= 0 && b.start === runEnd + 1 && text.charCodeAt(runEnd) === 10) {
        runEnd = b.end;
        continue;
      }
      if (runStart >= 0) {
        out.push(text.slice(runStart, runEnd));
        runStart = -1;
      }
      if (i > 0) out.push('\n');
      if (b) {
        runStart = b.start;
        runEnd = b.end;
      } else writeItem(out, item, keys);
    }
    if (runStart >= 0) out.push(text.slice(runStart, runEnd));
  }
  if (sidecar.conflict !== undefined) out.push(`conflict: ${json(sidecar.conflict)}\n`);
  if (sidecar.extra) {
    for (const [k, v] of Object.entries(sidecar.extra)) {
      if (v !== undefined && (k !== 'conflict' || sidecar.conflict === undefined)) out.push(`${keyText(k)}: ${value(v)}\n`);
    }
  }
  return out.join('');
}
