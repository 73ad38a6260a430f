/**
 * Three-way merge of sidecars by `id` (used by the store when the file changed on disk since it was
 * read, and by the git merge driver). Nothing is ever lost:
 * - an item changed on one side only takes that side's version;
 * - added on either side: kept; deleted on one side and unchanged on the other: deleted;
 * - deleted on one side but changed on the other: the changed version is kept (`changed-deleted`);
 * - changed differently on both sides: ours is kept and theirs is recorded in its `conflict` key
 *   (valid YAML, never conflict markers) — `both-changed`; `both-added` likewise for one id added
 *   twice with different content.
 * - conflicts recorded by earlier merges (`conflict:` on either side) are all kept: one recorded
 *   conflict is a mapping, several are a list of mappings (see `conflictEntries`); one that a side
 *   resolved (removed) since the base stays removed.
 * - top-level keys (`source`, unknown keys) merge the same way; with `recordKeyConflicts` (the git
 *   driver) a key changed differently on both sides keeps ours and records theirs in the
 *   top-level `conflict:` (`{key, theirs}` or `{key, deleted: true}`). A `hash` changed on both
 *   sides is dropped (the anchors are then re-found against the merged source).
 */
import { sidecarValuesEqual } from './valuesEqual';
import type { Annotation, ConflictList, ConflictValue, Correction, Sidecar } from './model';
import { compareIds, getOwn, setOwn } from './model';

export type MergeConflictKind = 'both-changed' | 'changed-deleted' | 'both-added';

export interface MergeConflict {
  /** The item's id, or the top-level key's name (`list: 'top'`). */
  id: string;
  list: 'annotations' | 'corrections' | 'top';
  kind: MergeConflictKind;
}

export interface MergeResult {
  sidecar: Sidecar;
  conflicts: MergeConflict[];
}

export interface MergeOptions {
  /** Store the other side of a `both-changed`/`both-added` item in its `conflict` key. Default true. */
  markConflicts?: boolean;
  /** Report (and record in the top-level `conflict`) top-level keys changed differently on both sides. Default false (ours kept). */
  recordKeyConflicts?: boolean;
}

type Item = Annotation | Correction;

/** The recorded conflicts of an item (or of the sidecar) as a list: none, one mapping, or a list. */
export function conflictEntries(c: ConflictValue | undefined): Record<string, unknown>[] {
  if (c === undefined || c === null) return [];
  return Array.isArray(c) ? c : [c];
}

/** The `conflict:` value for these entries: absent, one mapping (the older, single form), or a list. */
export function conflictValueOf(entries: Record<string, unknown>[]): ConflictValue | undefined {
  if (entries.length === 0) return undefined;
  return entries.length === 1 ? entries[0] : (entries as ConflictList);
}

function withoutConflict<T extends Item>(item: T): Omit<T, 'conflict'> {
  const { conflict: _c, ...rest } = item;
  return rest;
}

/** The same item, its recorded conflicts aside. */
function sameData(a: Item, b: Item): boolean {
  return sidecarValuesEqual(withoutConflict(a), withoutConflict(b));
}

/** `entries` plus each of `more` not already in it. */
function union(entries: Record<string, unknown>[], more: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const out = [...entries];
  for (const e of more) if (!out.some((x) => sidecarValuesEqual(x, e))) out.push(e);
  return out;
}

/**
 * Three-way merge of recorded conflicts: every entry of either side, except one the base had that
 * a side removed (resolved).
 */
export function mergeConflictEntries(base: ConflictValue | undefined, ours: ConflictValue | undefined, theirs: ConflictValue | undefined): Record<string, unknown>[] {
  const b = conflictEntries(base);
  const o = conflictEntries(ours);
  const t = conflictEntries(theirs);
  const has = (list: Record<string, unknown>[], e: Record<string, unknown>): boolean => list.some((x) => sidecarValuesEqual(x, e));
  return union(o, t).filter((e) => !has(b, e) || (has(o, e) && has(t, e)));
}

/** The other side's version of an item as a recorded conflict: every field but `id` and `conflict`. */
export function conflictEntryOf(item: Item): Record<string, unknown> {
  const { id: _id, ...rest } = withoutConflict(item);
  return rest as Record<string, unknown>;
}

function withConflicts<T extends Item>(item: T, entries: Record<string, unknown>[]): T {
  const value = conflictValueOf(entries);
  if (sidecarValuesEqual(item.conflict, value)) return item;
  const out = { ...withoutConflict(item) } as T;
  if (value !== undefined) out.conflict = value;
  return out;
}

function mergeLists<T extends Item>(
  list: 'annotations' | 'corrections', base: readonly T[], ours: readonly T[], theirs: readonly T[],
  conflicts: MergeConflict[], mark: boolean,
): T[] {
  const b = new Map(base.map((x) => [x.id, x]));
  const o = new Map(ours.map((x) => [x.id, x]));
  const t = new Map(theirs.map((x) => [x.id, x]));
  const ids = new Set([...o.keys(), ...t.keys(), ...b.keys()]);
  const out: T[] = [];
  for (const id of ids) {
    const bi = b.get(id);
    const oi = o.get(id);
    const ti = t.get(id);
    if (oi && ti) {
      if (sidecarValuesEqual(oi, ti)) {
        out.push(oi);
        continue;
      }
      const entries = mergeConflictEntries(bi?.conflict, oi.conflict, ti.conflict);
      let item: T;
      if (sameData(oi, ti)) item = oi;
      else if (bi && sameData(bi, oi)) item = ti;
      else if (bi && sameData(bi, ti)) item = oi;
      else {
        conflicts.push({ id, list, kind: bi ? 'both-changed' : 'both-added' });
        if (!mark) {
          out.push(oi);
          continue;
        }
        item = oi;
        const theirsEntry = conflictEntryOf(ti);
        if (!entries.some((x) => sidecarValuesEqual(x, theirsEntry))) entries.push(theirsEntry);
      }
      out.push(withConflicts(item, entries));
    } else if (oi) {
      if (!bi) out.push(oi); // added by us
      else if (!sidecarValuesEqual(bi, oi)) {
        conflicts.push({ id, list, kind: 'changed-deleted' }); // we changed what they deleted: keep it
        out.push(oi);
      } // else: they deleted it, we did not touch it → deleted
    } else if (ti) {
      if (!bi) out.push(ti);
      else if (!sidecarValuesEqual(bi, ti)) {
        conflicts.push({ id, list, kind: 'changed-deleted' });
        out.push(ti);
      }
    }
  }
  return out.sort((x, y) => compareIds(x.id, y.id));
}

/** A top-level value merged three ways; `conflict` is set when both sides changed it differently. */
function pick3(base: unknown, ours: unknown, theirs: unknown): { value: unknown; conflict?: MergeConflictKind } {
  if (sidecarValuesEqual(ours, theirs)) return { value: ours };
  if (base !== undefined && sidecarValuesEqual(base, ours)) return { value: theirs };
  if (base !== undefined && sidecarValuesEqual(base, theirs)) return { value: ours };
  if (base === undefined && (ours === undefined || theirs === undefined)) return { value: ours ?? theirs }; // added on one side
  if (ours === undefined) return { value: theirs, conflict: 'changed-deleted' }; // we deleted what they changed: keep it
  if (theirs === undefined) return { value: ours, conflict: 'changed-deleted' };
  return { value: ours, conflict: base === undefined ? 'both-added' : 'both-changed' };
}

/** Three-way merge. `base` may be null (no common ancestor: a union). */
export function mergeSidecars(base: Sidecar | null, ours: Sidecar, theirs: Sidecar, options: MergeOptions = {}): MergeResult {
  const mark = options.markConflicts ?? true;
  const record = options.recordKeyConflicts ?? false;
  const conflicts: MergeConflict[] = [];
  const annotations = mergeLists('annotations', base?.annotations ?? [], ours.annotations, theirs.annotations, conflicts, mark);
  const corrections = mergeLists('corrections', base?.corrections ?? [], ours.corrections, theirs.corrections, conflicts, mark);
  const topEntries = mergeConflictEntries(base?.conflict, ours.conflict, theirs.conflict);
  const keyConflict = (key: string, kind: MergeConflictKind, theirsValue: unknown): void => {
    if (!record) return;
    conflicts.push({ id: key, list: 'top', kind });
    const entry: Record<string, unknown> = { key };
    // (the version not kept: theirs, or — when we deleted what they changed — the deletion)
    if (kind === 'changed-deleted') setOwn(entry, 'deleted', true);
    else setOwn(entry, 'theirs', theirsValue);
    if (!topEntries.some((x) => sidecarValuesEqual(x, entry))) topEntries.push(entry);
  };
  const source = pick3(base?.source, ours.source, theirs.source);
  if (source.conflict) keyConflict('source', source.conflict, theirs.source);
  const sidecar: Sidecar = {
    version: Math.max(ours.version, theirs.version),
    source: source.value as string,
    annotations,
    corrections,
  };
  const hash = pick3(base?.hash, ours.hash, theirs.hash);
  // (changed on both sides: neither matches the merged source for sure; without a hash the anchors are re-found)
  if (hash.value !== undefined && !(record && hash.conflict === 'both-changed')) sidecar.hash = hash.value as string;
  const extraKeys = new Set([...Object.keys(ours.extra ?? {}), ...Object.keys(theirs.extra ?? {}), ...(record ? Object.keys(base?.extra ?? {}) : [])]);
  if (extraKeys.size > 0) {
    const extra: Record<string, unknown> = {};
    for (const k of extraKeys) {
      const b = getOwn(base?.extra, k);
      const o = getOwn(ours.extra, k);
      const t = getOwn(theirs.extra, k);
      const r = pick3(b, o, t);
      if (!record && r.conflict) {
        // (the store's merge: ours wins, as before)
        if (o !== undefined) setOwn(extra, k, o);
        continue;
      }
      if (r.conflict) keyConflict(k, r.conflict, t);
      if (r.value !== undefined) setOwn(extra, k, r.value);
    }
    if (Object.keys(extra).length > 0) sidecar.extra = extra;
  }
  const top = conflictValueOf(topEntries);
  if (top !== undefined) sidecar.conflict = top;
  return { sidecar, conflicts };
}
