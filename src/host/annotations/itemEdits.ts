import type * as vscode from 'vscode';
import { makeTarget } from '../../core/anchor';
import { hashText } from '../../core/sidecar/hash';
import type { Annotation, Correction, Target } from '../../core/sidecar/model';
import type { Item, SourceEntry } from './entry';
import { anchorToDocument } from './live';
import { offsetMap } from './offsets';

// The user's edits of an entry's items, in memory: the store runs each in the entry's queue and
// saves after it.

export type ItemList = 'annotations' | 'corrections';

/** What a new item is stamped with: its id, author (if set) and creation time. */
export interface Stamp {
  id: string;
  author: string;
  now: string;
}

/** Adds an annotation or a correction on `[start, end)` of `doc` (document offsets), anchored there. */
export function addItem(e: SourceEntry, doc: vscode.TextDocument, start: number, end: number, fields: Partial<Annotation> | Partial<Correction>, list: ItemList, stamp: Stamp): Item {
  if (e.liveDoc !== doc) anchorToDocument(e, doc);
  const map = offsetMap(doc);
  const target: Target = makeTarget(map.text, map.toNorm(start), map.toNorm(end));
  const { now } = stamp;
  const base = { id: stamp.id, ...(stamp.author ? { author: stamp.author } : {}), created: now };
  let item: Item;
  if (list === 'annotations') {
    const a = { ...base, kind: 'note', ...(fields as Partial<Annotation>), modified: now, target } as Annotation;
    e.sidecar.annotations.push(a);
    item = a;
  } else {
    const c = { ...base, action: 'ignore', ...(fields as Partial<Correction>), target } as Correction;
    e.sidecar.corrections.push(c);
    item = c;
  }
  clean(item);
  e.live ??= new Map();
  e.live.set(item.id, { start, end });
  e.liveDoc = doc;
  e.sidecar.hash = hashText(map.text);
  return item;
}

export function updateItem(e: SourceEntry, id: string, patch: Partial<Annotation> & Partial<Correction>, now: () => string): { list: ItemList; item: Item } {
  const found = e.find(id);
  if (!found) throw new Error('That annotation no longer exists.');
  Object.assign(found.item, patch);
  if (found.list === 'annotations') (found.item as Annotation).modified = now();
  clean(found.item);
  return found;
}

export function removeItem(e: SourceEntry, id: string): { item: Item; list: ItemList; span?: { start: number; end: number } } {
  const found = e.find(id);
  if (!found) throw new Error('That annotation no longer exists.');
  const span = e.live?.get(id);
  if (found.list === 'annotations') e.sidecar.annotations = e.sidecar.annotations.filter((x) => x.id !== id);
  else e.sidecar.corrections = e.sidecar.corrections.filter((x) => x.id !== id);
  e.live?.delete(id);
  return { item: found.item, list: found.list, span };
}

/** Puts back an item removed by `removeItem`; false when it is there already. */
export function restoreItem(e: SourceEntry, removed: { item: Item; list: ItemList }): boolean {
  if (e.find(removed.item.id)) return false;
  if (removed.list === 'annotations') e.sidecar.annotations.push(removed.item as Annotation);
  else e.sidecar.corrections.push(removed.item as Correction);
  if (e.liveDoc) anchorToDocument(e, e.liveDoc);
  return true;
}

/** Moves an item (typically an orphan) onto `[start, end)` of its open document. */
export function reanchorItem(e: SourceEntry, id: string, doc: vscode.TextDocument, start: number, end: number, now: () => string): void {
  const found = e.find(id);
  if (!found) throw new Error('That annotation no longer exists.');
  const map = offsetMap(doc);
  found.item.target = makeTarget(map.text, map.toNorm(start), map.toNorm(end));
  delete found.item.orphan;
  if (found.list === 'annotations') (found.item as Annotation).modified = now();
  e.live ??= new Map();
  e.live.set(id, { start, end });
  e.liveDoc = doc;
}

/** Drop empty optional fields so the YAML stays small. */
function clean(item: Item): void {
  const o = item as unknown as Record<string, unknown>;
  for (const k of ['note', 'verdict', 'author', 'canonical', 'speaker', 'type', 'scope']) {
    if (o[k] === undefined || o[k] === '') {
      if (!(k === 'speaker' && (item as Correction).action === 'speaker')) delete o[k];
    }
  }
  if (Array.isArray(o.tags) && o.tags.length === 0) delete o.tags;
}
