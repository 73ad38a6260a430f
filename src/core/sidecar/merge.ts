/**
 * Three-way merge of sidecars by `id` (used by the store when the file changed on disk since it was
 * read, and by the git merge driver). Nothing is ever lost:
 * - an item changed on one side only takes that side's version;
 * - added on either side: kept; deleted on one side and unchanged on the other: deleted;
 * - deleted on one side but changed on the other: the changed version is kept (`changed-deleted`);
 * - changed differently on both sides: ours is kept and theirs is stored in its `conflict` key
 *   (valid YAML, never conflict markers) — `both-changed`; `both-added` likewise for one id added
 *   twice with different content.
 */
import { sidecarValuesEqual } from './codec';
import type { Annotation, Correction, Sidecar } from './model';
import { compareIds } from './model';

export type MergeConflictKind = 'both-changed' | 'changed-deleted' | 'both-added';

export interface MergeConflict {
  id: string;
  list: 'annotations' | 'corrections';
  kind: MergeConflictKind;
}

export interface MergeResult {
  sidecar: Sidecar;
  conflicts: MergeConflict[];
}

export interface MergeOptions {
  /** Store the other side of a `both-changed`/`both-added` item in its `conflict` key. Default true. */
  markConflicts?: boolean;
}

type Item = Annotation | Correction;

function withoutConflict<T extends Item>(item: T): Omit<T, 'conflict'> {
  const { conflict: _c, ...rest } = item;
  return rest;
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
  const conflicted = (mine: T, other: T, kind: MergeConflictKind): T => {
    conflicts.push({ id: mine.id, list, kind });
    if (!mark) return mine;
    const { id: _id, ...rest } = withoutConflict(other) as T;
    return { ...mine, conflict: rest as Record<string, unknown> };
  };
  for (const id of ids) {
    const bi = b.get(id);
    const oi = o.get(id);
    const ti = t.get(id);
    if (oi && ti) {
      if (sidecarValuesEqual(oi, ti)) out.push(oi);
      else if (bi && sidecarValuesEqual(bi, oi)) out.push(ti);
      else if (bi && sidecarValuesEqual(bi, ti)) out.push(oi);
      else out.push(conflicted(oi, ti, bi ? 'both-changed' : 'both-added'));
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

function pick<T>(base: T | undefined, ours: T, theirs: T): T {
  if (sidecarValuesEqual(ours, theirs)) return ours;
  if (base !== undefined && sidecarValuesEqual(base, ours)) return theirs;
  return ours;
}

/** Three-way merge. `base` may be null (no common ancestor: a union). */
export function mergeSidecars(base: Sidecar | null, ours: Sidecar, theirs: Sidecar, options: MergeOptions = {}): MergeResult {
  const mark = options.markConflicts ?? true;
  const conflicts: MergeConflict[] = [];
  const annotations = mergeLists('annotations', base?.annotations ?? [], ours.annotations, theirs.annotations, conflicts, mark);
  const corrections = mergeLists('corrections', base?.corrections ?? [], ours.corrections, theirs.corrections, conflicts, mark);
  const sidecar: Sidecar = {
    version: Math.max(ours.version, theirs.version),
    source: pick(base?.source, ours.source, theirs.source),
    annotations,
    corrections,
  };
  const hash = pick(base?.hash, ours.hash, theirs.hash);
  if (hash !== undefined) sidecar.hash = hash;
  const extraKeys = new Set([...Object.keys(ours.extra ?? {}), ...Object.keys(theirs.extra ?? {})]);
  if (extraKeys.size > 0) {
    const extra: Record<string, unknown> = {};
    for (const k of extraKeys) {
      const v = pick(base?.extra?.[k], ours.extra?.[k], theirs.extra?.[k]);
      if (v !== undefined) extra[k] = v;
    }
    sidecar.extra = extra;
  }
  return { sidecar, conflicts };
}
