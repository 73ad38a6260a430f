/**
 * The canonical writer: a sidecar as the text of the canonical layout (see `./canonicalLayout`),
 * reusing the blocks of the file it was read from for the items that did not change.
 */
import type { Annotation, Correction, Evidence, Sidecar, Target } from './model';
import { ANNOTATION_KEYS, CORRECTION_KEYS, compareIds } from './model';
import { CANONICAL_HEADER, evidenceRecord, json, keyText, scalar, value } from './canonicalLayout';
import type { CanonicalBlock, CanonicalRead } from './canonicalReader';

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
