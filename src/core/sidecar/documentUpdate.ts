/**
 * In-place edits of a sidecar's YAML Document: only the keys whose value changed are replaced,
 * annotations are matched by `id`, new ones are inserted at their sorted position, removed ones
 * deleted. Comments, key order and unknown keys elsewhere survive.
 */
import { isMap, isScalar, isSeq, Scalar, YAMLSeq } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { ANNOTATION_KEYS, CORRECTION_KEYS, compareIds, setOwn } from './model';
import type { Annotation, Correction, Evidence, Sidecar, Target } from './model';
import { evidenceRecord } from './canonicalWriter';
import { FIXED_TOP, TOP_KEYS, isPlainObject } from './validate';
import { sidecarValuesEqual } from './valuesEqual';

const TARGET_KEYS = ['exact', 'prefix', 'suffix', 'start', 'end'] as const;

/** An annotation/correction as the ordered record written to YAML (known keys first, then extra). */
function toRecord(item: Annotation | Correction, keys: readonly string[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  const obj = item as unknown as Record<string, unknown>;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (k === 'orphan' && v !== true) continue;
    if (k === 'tags' && Array.isArray(v) && v.length === 0) continue;
    if (k === 'target') {
      const t = v as Target;
      out.push([k, Object.fromEntries(TARGET_KEYS.map((tk) => [tk, t[tk]]))]);
    } else if (k === 'evidence' && Array.isArray(v)) {
      if (v.length > 0) out.push([k, (v as Evidence[]).map(evidenceRecord)]);
    } else out.push([k, v]);
  }
  if (item.extra) for (const [k, v] of Object.entries(item.extra)) if (!keys.includes(k) && v !== undefined) out.push([k, v]);
  return out;
}

/** An object with these entries (`__proto__` as an own key). */
function objectOf(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) setOwn(o, k, v);
  return o;
}

/**
 * The node already holds `v` as the model reads it: a plain scalar the model keeps as text
 * (`0012`, `1.10`, `yes`) holds the string of its source text. Then the node (its text, style and
 * comments) is kept as it is.
 */
function nodeHolds(node: unknown, v: unknown): boolean {
  if (isScalar(node)) {
    if (node.value === v) return true;
    if (typeof v === 'string' && typeof node.value !== 'string' && node.type === Scalar.PLAIN && node.source) return node.source === v;
    return false;
  }
  if (isSeq(node)) {
    if (!Array.isArray(v) || v.length !== node.items.length) return false;
    for (let i = 0; i < v.length; i++) if (!nodeHolds(node.items[i], v[i])) return false;
    return true;
  }
  if (isMap(node)) {
    if (!isPlainObject(v)) return false;
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length !== node.items.length) return false;
    for (const pair of node.items) {
      const k = keyOf(pair);
      if (!Object.prototype.hasOwnProperty.call(v, k) || !nodeHolds(pair.value, v[k])) return false;
    }
    return true;
  }
  return sidecarValuesEqual(nodeValue(node), v);
}

function nodeValue(node: unknown): unknown {
  if (node && typeof node === 'object' && 'toJSON' in node && typeof (node as { toJSON: () => unknown }).toJSON === 'function') {
    return (node as { toJSON: () => unknown }).toJSON();
  }
  return node;
}

function keyOf(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? (typeof k.value === 'string' ? k.value : String(k.value)) : String(k);
}

/**
 * Give `pair` the value `v`. A node that already holds it is kept as it is (text, style, comments);
 * a scalar node gets the new value and keeps its comments.
 */
function setPairValue(doc: Document, pair: Pair, v: unknown): void {
  if (isScalar(pair.value) && !isPlainObject(v) && !Array.isArray(v)) {
    if (!nodeHolds(pair.value, v)) {
      pair.value.value = v;
      pair.value.type = undefined; // let the new text pick its own style (comments stay)
    }
  } else if (!nodeHolds(pair.value, v)) pair.value = doc.createNode(v);
}

/** Update `map` in place so that it holds exactly `entries`; unchanged keys keep their nodes (and comments). */
function updateMap(doc: Document, map: YAMLMap, entries: [string, unknown][], order: readonly string[]): void {
  const wanted = new Map(entries);
  // Delete keys no longer present.
  for (let i = map.items.length - 1; i >= 0; i--) {
    if (!wanted.has(keyOf(map.items[i]!))) map.items.splice(i, 1);
  }
  for (const [key, value] of entries) {
    const idx = map.items.findIndex((p) => keyOf(p) === key);
    if (idx >= 0) {
      const pair = map.items[idx]!;
      if (isMap(pair.value) && isPlainObject(value)) {
        updateMap(doc, pair.value, Object.entries(value), key === 'target' ? TARGET_KEYS : []);
      } else setPairValue(doc, pair, value);
      continue;
    }
    // A new key: insert before the first existing key that comes after it in the canonical order.
    const pair = doc.createPair(key, value);
    const rank = order.indexOf(key);
    let at = map.items.length;
    if (rank >= 0) {
      const j = map.items.findIndex((p) => {
        const r = order.indexOf(keyOf(p));
        return r > rank;
      });
      if (j >= 0) at = j;
    }
    map.items.splice(at, 0, pair as Pair);
  }
}

function idOfNode(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const v = node.get('id');
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function updateList(doc: Document, root: YAMLMap, key: string, items: (Annotation | Correction)[], keys: readonly string[]): void {
  const pair = root.items.find((p) => keyOf(p) === key);
  if (!pair) return;
  if (!isSeq(pair.value)) pair.value = new YAMLSeq(doc.schema);
  const seq = pair.value as YAMLSeq;
  const s = seq;
  const byId = new Map(items.map((it) => [it.id, it]));
  // Remove nodes whose id is gone (or that are not annotations at all).
  s.items = s.items.filter((n) => {
    const id = idOfNode(n);
    return id !== undefined && byId.has(id);
  });
  const present = new Map<string, YAMLMap>();
  for (const n of s.items) present.set(idOfNode(n)!, n as YAMLMap);
  const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
  const fresh: YAMLMap[] = [];
  const freshIds: string[] = [];
  for (const item of sorted) {
    const record = toRecord(item, keys);
    const existing = present.get(item.id);
    if (existing) updateMap(doc, existing, record, keys);
    else {
      fresh.push(doc.createNode(objectOf(record)) as YAMLMap);
      freshIds.push(item.id);
    }
  }
  if (fresh.length > 0) {
    // A list written `[]` (flow style) would put every item inside one `[ {…}, {…} ]`: one block
    // per item instead, so that git diffs stay small.
    seq.flow = false;
    // Each new item goes before the first existing item with a greater id (a sorted file stays sorted).
    const merged: unknown[] = [];
    let f = 0;
    for (const n of s.items) {
      const id = idOfNode(n) ?? '';
      while (f < fresh.length && compareIds(freshIds[f]!, id) < 0) merged.push(fresh[f++]);
      merged.push(n);
    }
    while (f < fresh.length) merged.push(fresh[f++]);
    s.items = merged;
  }
  // One block per item: a blank line between items.
  s.items.forEach((n, i) => {
    if (i > 0) (n as YamlNode).spaceBefore = true;
  });
}

function topEntries(sidecar: Sidecar): [string, unknown][] {
  const out: [string, unknown][] = [['version', sidecar.version], ['source', sidecar.source]];
  if (sidecar.hash !== undefined) out.push(['hash', sidecar.hash]);
  if (sidecar.conflict !== undefined) out.push(['conflict', sidecar.conflict]);
  return out;
}

/** Edit `doc` in place so it represents `sidecar`; untouched parts keep their comments and layout. */
export function updateSidecarDocument(doc: Document, sidecar: Sidecar): void {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as YAMLMap;
  const root = doc.contents as YAMLMap;
  const entries = topLevelEntries(root, sidecar);
  removeTopKeysNotIn(root, entries);
  updateTopValues(doc, root, entries);
  updateTopLists(doc, root, sidecar);
}

/**
 * The top-level keys `root` should hold, in their order: the keys it has (the lists as their own
 * nodes, which `updateList` edits; `updateMap` sees them as equal objects), then the new ones.
 */
function topLevelEntries(root: YAMLMap, sidecar: Sidecar): [string, unknown][] {
  const existingKeys = root.items.map((p) => keyOf(p));
  const entries: [string, unknown][] = [];
  const scalars = new Map(topEntries(sidecar));
  const extra = sidecar.extra ?? {};
  for (const k of existingKeys) {
    if (scalars.has(k)) entries.push([k, scalars.get(k)]);
    else if (k === 'annotations' || k === 'corrections') entries.push([k, root.get(k, true)]);
    else if (Object.prototype.hasOwnProperty.call(extra, k) && !FIXED_TOP.includes(k)) entries.push([k, extra[k]]);
  }
  for (const [k, v] of scalars) if (!existingKeys.includes(k)) entries.push([k, v]);
  for (const [k, v] of Object.entries(extra)) if (!existingKeys.includes(k) && !scalars.has(k) && !FIXED_TOP.includes(k)) entries.push([k, v]);
  return entries;
}

function removeTopKeysNotIn(root: YAMLMap, entries: [string, unknown][]): void {
  for (let i = root.items.length - 1; i >= 0; i--) {
    const k = keyOf(root.items[i]!);
    if (!entries.some(([kk]) => kk === k)) root.items.splice(i, 1);
  }
}

/** Scalars (and unknown keys) at the top: replaced in place, new ones inserted in the canonical order. */
function updateTopValues(doc: Document, root: YAMLMap, entries: [string, unknown][]): void {
  for (const [k, v] of entries) {
    if (k === 'annotations' || k === 'corrections') continue;
    const pair = root.items.find((p) => keyOf(p) === k);
    if (pair) setPairValue(doc, pair, v);
    else root.items.splice(topInsertionIndex(root, k), 0, doc.createPair(k, v) as Pair);
  }
}

/** The annotations (always) and corrections (when there are some) lists, edited item by item. */
function updateTopLists(doc: Document, root: YAMLMap, sidecar: Sidecar): void {
  for (const key of ['annotations', 'corrections'] as const) {
    const list = sidecar[key];
    const has = root.items.some((p) => keyOf(p) === key);
    if (!has && (key === 'annotations' || list.length > 0)) {
      const pair = doc.createPair(key, new YAMLSeq(doc.schema)) as Pair;
      root.items.splice(topInsertionIndex(root, key), 0, pair);
    }
    if (root.items.some((p) => keyOf(p) === key)) {
      updateList(doc, root, key, list, key === 'annotations' ? ANNOTATION_KEYS : CORRECTION_KEYS);
    }
  }
}

/** Where a new top-level key goes: before the first key that comes after it in the canonical order (unknown keys: at the end). */
function topInsertionIndex(root: YAMLMap, key: string): number {
  const rank = TOP_KEYS.indexOf(key as never);
  if (rank < 0) return root.items.length;
  const j = root.items.findIndex((p) => TOP_KEYS.indexOf(keyOf(p) as never) > rank);
  return j >= 0 ? j : root.items.length;
}
