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
 */
import type { Annotation, Correction, Evidence, Sidecar, Target } from './model';
import { ANNOTATION_KEYS, CORRECTION_KEYS, EVIDENCE_KEYS, compareIds, setOwn } from './model';

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
/** `text` with every unsafe character written as a `\uXXXX` escape (`text` itself when it has none). */
/** Does `text` hold a character the writers escape? */
export const hasUnsafe = (text: string): boolean => HAS_UNSAFE.test(text);
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
function plainSafeAt(s: string, from: number, to: number): boolean {
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
function json(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map((x) => json(x)).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${json(k)}: ${json(x)}`).join(', ')} }`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return escapeUnsafe(JSON.stringify(v) ?? 'null');
}

function value(v: unknown): string {
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
function keyText(k: string): string {
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

const KNOWN_TOP = ['version', 'source', 'hash', 'annotations', 'corrections'];
const KNOWN_TARGET = ['exact', 'prefix', 'suffix', 'start', 'end'];

function validKey(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) continue;
    if (i > 0 && ((c >= 48 && c <= 57) || c === 45)) continue;
    return false;
  }
  return true;
}

/** One JSON string literal and nothing else (no `"a","b":"c"` smuggling). */
function singleJsonString(raw: string): boolean {
  const n = raw.length;
  if (n < 2 || raw.charCodeAt(n - 1) !== 34) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34 || c < 32) return false;
  }
  return raw.charCodeAt(n - 2) !== 92 || (() => {
    let k = 0;
    for (let j = n - 2; j > 0 && raw.charCodeAt(j) === 92; j--) k++;
    return k % 2 === 0;
  })();
}

/** Where one list item's block lies in the text read, and whether `writeItem` writes exactly it back. */
export interface CanonicalBlock {
  /** Offset of the block's first line (`  - id: …`). */
  start: number;
  /** Offset just past the `\n` of its last line. */
  end: number;
  /**
   * The block is exactly what `writeItem` writes for the model the codec builds from `data`: every
   * line in the writer's layout and quoting, every value of the type the model keeps (no
   * `verdict: true` read as the text "true", no `start: 1.0`), the target in its nested form, no
   * mapping or list other than `tags` (which the model copies) and no `__proto__` key.
   */
  exact: boolean;
  /** The item has keys the format does not define (kept in the model's `extra`). */
  extra: boolean;
  /** The item as read (unvalidated; the codec's model copies its strings, target and tags). */
  data: Record<string, unknown>;
}

export interface CanonicalRead {
  data: Record<string, unknown>;
  /** The text is byte for byte what `canonicalStringify` writes for this data (so it can be rewritten wholesale). */
  canonical: boolean;
  /** One entry per item of `data.annotations` / `data.corrections` when they were read in block form. */
  blocks?: { annotations?: CanonicalBlock[]; corrections?: CanonicalBlock[] };
  /** Every id in `data.annotations` is a string, each greater than the one before (so none repeats). */
  annotationIdsIncreasing?: boolean;
  /**
   * A value was read into data that does not keep its text (`1.10` read as 1.1, a 20-digit number,
   * a `null` in a flow collection): the codec reads such a file with the YAML parser instead.
   */
  lossy?: boolean;
}

/** Flow collections nested deeper than this are left to the YAML path (which refuses them). */
const MAX_FLOW_DEPTH = 64;

/** `raw` (JSON flow text) nests deeper than `max` (brackets inside strings do not count). */
function tooDeep(raw: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) {
      for (i++; i < raw.length && raw.charCodeAt(i) !== 34; i++) if (raw.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** `v` (JSON data) holds a null (`nulls`) or else a number anywhere. */
function holds(v: unknown, nulls: boolean): boolean {
  if (v === null) return nulls;
  if (typeof v === 'number') return !nulls;
  if (Array.isArray(v)) return v.some((x) => holds(x, nulls));
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).some((x) => holds(x, nulls));
  return false;
}

/** Returned by the value reader for text outside the canonical subset. */
const OUTSIDE: unique symbol = Symbol('outside');
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** A character that ends a JSON string body early (a quote, a backslash, a control character). */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const JSON_SPECIAL = /["\\\u0000-\u001f]/g;
/** Unsafe characters and surrogates (paired ones are fine: see `hasRawUnsafe`). */
const UNSAFE_OR_SURROGATE = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff\ud800-\udfff]/g;

/** `text` holds a character the writer never leaves raw in a string: an unsafe one or a lone surrogate. */
function hasRawUnsafe(text: string): boolean {
  UNSAFE_OR_SURROGATE.lastIndex = 0;
  for (let m = UNSAFE_OR_SURROGATE.exec(text); m; m = UNSAFE_OR_SURROGATE.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c < 0xd800 || c > 0xdbff) return true; // unsafe, or a low surrogate not after a high one
    const d = text.charCodeAt(m.index + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
    UNSAFE_OR_SURROGATE.lastIndex = m.index + 2;
  }
  return false;
}
/** Keys the model reads as text (a number or boolean there is turned into a string, so written back quoted). */
const TEXT_KEYS = new Set([
  'id', 'kind', 'verdict', 'note', 'author', 'created', 'modified', 'action', 'scope', 'type', 'canonical', 'speaker', 'exact', 'prefix', 'suffix',
  'claimant', 'claimDate', 'appearance',
]);
/** Every key the writer writes, by length: matched against the text so that the same (interned) strings are used each time. */
const WRITTEN_KEYS: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = [];
  for (const k of new Set<string>([...KNOWN_TARGET, ...ANNOTATION_KEYS, ...CORRECTION_KEYS, ...KNOWN_TOP])) (byLength[k.length] ??= []).push(k);
  return Array.from(byLength, (x) => x ?? []);
})();
/** A JSON string whose only escapes are the short ones `JSON.stringify` writes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`). */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const SHORT_ESCAPES_ONLY = /^"(?:[^"\\\u0000-\u001f]|\\["\\bfnrt])*"$/;

/**
 * An annotation block exactly in the writer's layout (known keys in order, the target nested), seen
 * in one match instead of line by line. Each value is `[^ \n][^\n]*`, as the line reader splits
 * `key: value`; the values are then read by the same code. Anything else (unknown keys, a
 * conflict, another order) goes through the line reader.
 */
const VALUE = '[^ \\n][^\\n]*\\n';
const ANNOTATION_BLOCK = new RegExp(
  `  - id: ${VALUE}    kind: ${VALUE}`
  + ['tags', 'verdict', 'note', 'author', 'created', 'modified'].map((k) => `(?:    ${k}: ${VALUE})?`).join('')
  + '(?:    orphan: true\\n)?    target:\\n'
  + KNOWN_TARGET.map((k) => `      ${k}: ${VALUE}`).join(''),
  'y',
);
const ORPHAN_LINE = '    orphan: true\n'.length;
const TARGET_LINE = '    target:\n'.length;
const TARGET_RANK = ANNOTATION_KEYS.indexOf('target');

/** Set `obj[key]` as JSON.parse would (an own `__proto__` property, not the prototype). */
/** Sets obj[key]; false when the key is already there (a duplicate key: the YAML parser reports it). */
function put(obj: Record<string, unknown>, key: string, v: unknown): boolean {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return false;
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
  else obj[key] = v;
  return true;
}

/**
 * Read a sidecar written in the canonical layout into plain data (not yet validated), or undefined
 * if the text deviates from the layout anywhere (then the full YAML parser reads it). The text is
 * scanned once, line by line, and each value is read as the JSON it is (a JSON string, number or
 * flow collection, or a plain scalar the writer would write unquoted); the result is what
 * `JSON.parse` of the equivalent JSON text gives.
 */
export function canonicalParse(text: string): CanonicalRead | undefined {
  const n = text.length;
  if (n > 0 && text.charCodeAt(n - 1) !== 10) return undefined;
  let canonical = true;
  let pos = 0;
  if (n > CANONICAL_HEADER.length && text.startsWith(CANONICAL_HEADER) && text.charCodeAt(CANONICAL_HEADER.length) === 10) pos = CANONICAL_HEADER.length + 1;
  else canonical = false;
  const root: Record<string, unknown> = {};
  const blocks: { annotations?: CanonicalBlock[]; corrections?: CanonicalBlock[] } = {};
  // Whole-text check: a raw unsafe character or lone surrogate anywhere may sit in a quoted string
  // the writer would escape (the canonical flag does not see it): then no block is reused as is.
  const rawOk = !hasRawUnsafe(text);
  type Mode = 0 | 1 | 2 | 3; // root, list, item, target
  let mode: Mode = 0;
  let rootRank = -1;
  let rootExtra = false;
  let list: unknown[] = [];
  let listBlocks: CanonicalBlock[] = [];
  let listFirst = true;
  let listKeys: readonly string[] = ANNOTATION_KEYS;
  let prevId = '';
  let annotationIdsIncreasing = true;
  let item: Record<string, unknown> = {};
  let block: CanonicalBlock | undefined;
  let itemRank = -1;
  let itemExtra = false;
  let target: Record<string, unknown> = {};
  let targetCount = 0;
  let blank = false;
  /** The current block is still exactly what the writer writes (see `CanonicalBlock.exact`). */
  let exact = false;
  // The raw text of the value being read: [vStart, vEnd).
  let vStart = 0;
  let vEnd = 0;
  let lossy = false;

  const closeTarget = (): void => {
    if (mode === 3) {
      if (targetCount !== 5) canonical = exact = false;
      mode = 2;
    }
  };
  const closeItem = (): void => {
    closeTarget();
    if (mode === 2) {
      block!.exact = exact && rawOk;
      mode = 1;
    }
  };
  /**
   * An item's id (the value just read at [vStart, vEnd)): the writer sorts ids, so one not after
   * the previous is not the canonical layout; in the annotations list it also means the codec must
   * check for duplicates itself.
   */
  const noteId = (v: unknown, annotations: boolean): void => {
    const id = typeof v === 'string' ? v : text.slice(vStart, vEnd);
    if (id <= prevId || typeof v !== 'string') {
      if (id <= prevId) canonical = false;
      if (annotations) annotationIdsIncreasing = false;
    }
    prevId = id;
  };
  /** A new list item (its block starts at `start`); false when not inside a list. */
  const openItem = (start: number, end: number): boolean => {
    closeItem();
    if (mode !== 1) return false;
    item = {};
    block = { start, end, exact: false, extra: false, data: item };
    list.push(item);
    listBlocks.push(block);
    listFirst = false;
    itemExtra = false;
    exact = true;
    return true;
  };
  const closeList = (): void => {
    closeItem();
    if (mode === 1) {
      if (listFirst) canonical = false; // `annotations:` with no items (the writer writes `[]`)
      mode = 0;
    }
  };
  /** Split the line at `at` into a key (returned) and its value [vStart, vEnd) (empty for `key:`). */
  const splitKey = (at: number, end: number): string | undefined => {
    const colon = text.indexOf(':', at);
    if (colon <= at || colon >= end) return undefined;
    let key: string | undefined;
    const len = colon - at;
    if (len < WRITTEN_KEYS.length) {
      const candidates = WRITTEN_KEYS[len]!;
      for (let k = 0; k < candidates.length && key === undefined; k++) {
        const known = candidates[k]!;
        let j = 0;
        while (j < len && known.charCodeAt(j) === text.charCodeAt(at + j)) j++;
        if (j === len) key = known;
      }
    }
    if (key === undefined) {
      key = text.slice(at, colon);
      if (!validKey(key)) return undefined;
    }
    if (colon === end - 1) {
      vStart = vEnd = end;
      return key;
    }
    if (text.charCodeAt(colon + 1) !== 32 || colon + 2 >= end || text.charCodeAt(colon + 2) === 32) return undefined;
    vStart = colon + 2;
    vEnd = end;
    return key;
  };
  /** The value [vStart, vEnd) as data, or OUTSIDE if it is outside the canonical subset. */
  const readValue = (key: string): unknown => {
    const c0 = text.charCodeAt(vStart);
    if (c0 === 34) {
      // A JSON string: one token, nothing after it.
      const last = vEnd - 1;
      if (last <= vStart || text.charCodeAt(last) !== 34) return OUTSIDE;
      JSON_SPECIAL.lastIndex = vStart + 1;
      // (test, not exec: no match array; the special character is the one before lastIndex)
      if (JSON_SPECIAL.test(text) && JSON_SPECIAL.lastIndex - 1 === last) {
        // No escape: the body is the value.
        if ((canonical || exact) && plainSafeAt(text, vStart + 1, last)) canonical = exact = false; // the writer would not quote it
        return text.slice(vStart + 1, last);
      }
      const raw = text.slice(vStart, vEnd);
      if (rawOk && SHORT_ESCAPES_ONLY.test(raw)) {
        // Only the escapes JSON.stringify writes, and no raw character the writer escapes (rawOk):
        // scalar(value) is raw itself (a quote, backslash or control character is never plain).
        return JSON.parse(raw) as string;
      }
      if (!singleJsonString(raw)) return OUTSIDE;
      let s: string;
      try {
        s = JSON.parse(raw) as string;
      } catch {
        return OUTSIDE; // not a JSON escape: the YAML parser reads it
      }
      if ((canonical || exact) && scalar(s) !== raw) canonical = exact = false; // an escape the writer would not write
      return s;
    }
    if (c0 >= 48 && c0 <= 57 && vEnd - vStart <= 15 && (c0 !== 48 || vEnd - vStart === 1)) {
      // A small integer without leading zeros (offsets): String(value) is its text.
      let k = vStart + 1;
      let v = c0 - 48;
      while (k < vEnd) {
        const c = text.charCodeAt(k);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
        k++;
      }
      if (k === vEnd) {
        // (the model reads it as text, which the writer quotes: not the canonical layout)
        if (TEXT_KEYS.has(key)) canonical = exact = false;
        return v;
      }
    }
    const raw = text.slice(vStart, vEnd);
    if (c0 === 91 || c0 === 123) {
      if (raw.length > MAX_FLOW_DEPTH && tooDeep(raw, MAX_FLOW_DEPTH)) return OUTSIDE; // the YAML path refuses it
      let v: unknown;
      try {
        v = JSON.parse(raw) as unknown;
      } catch {
        return OUTSIDE; // not JSON flow: the YAML parser decides
      }
      const written = json(v);
      // A number whose text is not what the writer writes (`1.10`, `1e3`, 20 digits) or a null
      // (which the model may read as text): the YAML parser keeps their source text.
      if (holds(v, true) || (written !== raw && holds(v, false))) lossy = true;
      if ((canonical || exact) && written !== raw) canonical = exact = false;
      if (key === 'tags' && Array.isArray(v) && !v.every((t) => typeof t === 'string')) canonical = exact = false; // the model reads them as text
      if (exact && (key !== 'tags' || !Array.isArray(v) || !v.every((t) => typeof t === 'string'))) exact = false;
      return v;
    }
    if (raw === 'true' || raw === 'false') {
      if (key === 'orphan' && raw === 'false') canonical = exact = false;
      if (TEXT_KEYS.has(key)) canonical = exact = false;
      return raw === 'true';
    }
    if (((c0 >= 48 && c0 <= 57) || c0 === 45) && JSON_NUMBER.test(raw)) {
      const v = Number(raw);
      if (String(v) !== raw) lossy = true;
      if (TEXT_KEYS.has(key) || String(v) !== raw) canonical = exact = false;
      return v;
    }
    return plainSafeAt(text, vStart, vEnd) ? raw : OUTSIDE;
  };

  while (pos < n) {
    const end = text.indexOf('\n', pos);
    if (end === pos) {
      blank = true;
      pos++;
      continue;
    }
    const next = end + 1;
    // Indentation: 0 (a top-level key), 4 (`  - ` starts an item, 4 spaces continue it) or 6 (target).
    let indent = 0;
    let isItemStart = false;
    if (text.charCodeAt(pos) === 32 && text.charCodeAt(pos + 1) === 32) {
      const c2 = text.charCodeAt(pos + 2);
      if (c2 === 45) isItemStart = text.charCodeAt(pos + 3) === 32;
      else if (c2 === 32 && text.charCodeAt(pos + 3) === 32) indent = text.charCodeAt(pos + 4) === 32 && text.charCodeAt(pos + 5) === 32 ? 6 : 4;
    }
    if (blank !== (isItemStart && !listFirst && mode !== 0)) canonical = exact = false;
    blank = false;
    if (indent === 6) {
      if (mode !== 3) return undefined;
      const key = splitKey(pos + 6, end);
      if (key === undefined || vStart === vEnd) return undefined;
      const v = readValue(key);
      if (v === OUTSIDE) return undefined;
      if (KNOWN_TARGET[targetCount] !== key) canonical = exact = false;
      targetCount++;
      if (!put(target, key, v)) return undefined;
      block!.end = next;
      pos = next;
      continue;
    }
    if (isItemStart && listKeys === ANNOTATION_KEYS) {
      ANNOTATION_BLOCK.lastIndex = pos;
      if (ANNOTATION_BLOCK.test(text)) {
        // What the line reader does for these lines, without splitting them again: the match says
        // which line holds which key (the optional ones by their first letters).
        const blockEnd = ANNOTATION_BLOCK.lastIndex;
        if (!openItem(pos, blockEnd)) return undefined;
        let p = pos;
        for (;;) {
          let key: string;
          if (p === pos) key = 'id';
          else {
            switch (text.charCodeAt(p + 4)) {
              case 107: key = 'kind'; break; // k
              case 116: key = text.charCodeAt(p + 6) === 103 ? 'tags' : 'target'; break; // t: ta(g)s / ta(r)get
              case 118: key = 'verdict'; break;
              case 110: key = 'note'; break;
              case 97: key = 'author'; break;
              case 99: key = 'created'; break;
              case 109: key = 'modified'; break;
              default: key = 'orphan'; // o
            }
          }
          if (key === 'target') break;
          if (key === 'orphan') {
            item.orphan = true;
            p += ORPHAN_LINE;
            continue;
          }
          vStart = p + key.length + 6;
          vEnd = text.indexOf('\n', vStart);
          p = vEnd + 1;
          const v = readValue(key);
          if (v === OUTSIDE) return undefined;
          if (key === 'id') noteId(v, true);
          else if (key === 'tags' && vEnd - vStart === 2 && text.startsWith('[]', vStart)) canonical = exact = false;
          switch (key) { // named stores: the items share their shapes
            case 'id': item.id = v; break;
            case 'kind': item.kind = v; break;
            case 'tags': item.tags = v; break;
            case 'verdict': item.verdict = v; break;
            case 'note': item.note = v; break;
            case 'author': item.author = v; break;
            case 'created': item.created = v; break;
            default: item.modified = v;
          }
        }
        p += TARGET_LINE;
        target = {};
        item.target = target;
        for (let t = 0; t < 5; t++) {
          const key = KNOWN_TARGET[t]!;
          vStart = p + key.length + 8;
          vEnd = text.indexOf('\n', vStart);
          p = vEnd + 1;
          const v = readValue(key);
          if (v === OUTSIDE) return undefined;
          switch (t) {
            case 0: target.exact = v; break;
            case 1: target.prefix = v; break;
            case 2: target.suffix = v; break;
            case 3: target.start = v; break;
            default: target.end = v;
          }
        }
        mode = 3;
        targetCount = 5;
        itemRank = TARGET_RANK;
        pos = blockEnd;
        continue;
      }
    }
    if (isItemStart || indent === 4) {
      if (isItemStart) {
        if (!openItem(pos, next)) return undefined;
        mode = 2;
        itemRank = -1;
      } else {
        closeTarget();
        if (mode !== 2) return undefined;
      }
      const key = splitKey(pos + 4, end);
      if (key === undefined) return undefined;
      if (Object.prototype.hasOwnProperty.call(item, key)) return undefined;
      const rank = listKeys.indexOf(key);
      if (rank >= 0) {
        if (rank <= itemRank || itemExtra) canonical = exact = false;
        itemRank = rank;
      } else {
        itemExtra = true;
        block!.extra = true;
        if (key === '__proto__') exact = false;
      }
      if (isItemStart && key !== 'id') canonical = exact = false;
      block!.end = next;
      pos = next;
      if (vStart === vEnd) {
        if (key !== 'target') return undefined;
        target = {};
        if (!put(item, key, target)) return undefined;
        mode = 3;
        targetCount = 0;
        continue;
      }
      const v = readValue(key);
      if (v === OUTSIDE) return undefined;
      if (key === 'id') {
        noteId(v, listKeys === ANNOTATION_KEYS);
      } else if (key === 'tags' || key === 'evidence') {
        // (the writer leaves out an empty list)
        if (vEnd - vStart === 2 && text.startsWith('[]', vStart)) canonical = exact = false;
      } else if (key === 'target' || key === 'conflict') exact = false; // the target in flow form; a conflict the model shares
      if (!put(item, key, v)) return undefined;
      continue;
    }
    const c0 = text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9 || c0 === 35 || c0 === 45) return undefined;
    closeList();
    const key = splitKey(pos, end);
    if (key === undefined) return undefined;
    if (Object.prototype.hasOwnProperty.call(root, key)) return undefined;
    const rank = KNOWN_TOP.indexOf(key);
    if (rank >= 0) {
      if (rank <= rootRank || rootExtra) canonical = false;
      rootRank = rank;
    } else {
      if (key === 'conflict' && rootExtra) canonical = false; // the writer writes a top-level conflict before unknown keys
      rootExtra = true;
    }
    pos = next;
    if (vStart === vEnd) {
      if (key !== 'annotations' && key !== 'corrections') return undefined;
      list = [];
      listBlocks = [];
      if (!put(root, key, list)) return undefined;
      blocks[key] = listBlocks;
      mode = 1;
      listFirst = true;
      listKeys = key === 'annotations' ? ANNOTATION_KEYS : CORRECTION_KEYS;
      prevId = '';
      continue;
    }
    const v = readValue(key);
    if (v === OUTSIDE) return undefined;
    if ((key === 'annotations' || key === 'corrections') && (key !== 'annotations' || vEnd - vStart !== 2 || !text.startsWith('[]', vStart))) canonical = false;
    if (key === 'annotations') annotationIdsIncreasing = false; // a flow list: not looked at
    if (!put(root, key, v)) return undefined;
  }
  closeList();
  if (blank) canonical = false;
  if (!Object.prototype.hasOwnProperty.call(root, 'annotations')) canonical = false;
  return { data: root, canonical, blocks, annotationIdsIncreasing, lossy };
}
