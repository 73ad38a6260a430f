/**
 * The git merge driver's merge: `mergeSidecars` (src/core/sidecar/merge.ts, the annotations
 * engineer's three-way merge by id) plus one addition the driver needs: a `changed-deleted` item
 * (changed on one branch, deleted on the other) is kept, and ALSO gets an explicit
 * `conflict: { deleted: true }` entry, so every conflict the driver reports (exit 1) is visible
 * in the YAML and in `marginalia check`. The user keeps it by deleting the `conflict` key, or
 * deletes the annotation.
 */
import { mergeSidecars, type MergeConflict } from '../sidecar/merge';
import type { Sidecar } from '../sidecar/model';

export interface GitMergeResult {
  sidecar: Sidecar;
  conflicts: MergeConflict[];
}

export function mergeSidecarsForGit(base: Sidecar | null, ours: Sidecar, theirs: Sidecar): GitMergeResult {
  const r = mergeSidecars(base, ours, theirs);
  const deleted = new Set(r.conflicts.filter((c) => c.kind === 'changed-deleted').map((c) => `${c.list}\u0000${c.id}`));
  if (deleted.size === 0) return r;
  const mark = <T extends { id: string; conflict?: Record<string, unknown> }>(list: 'annotations' | 'corrections', items: T[]): T[] =>
    items.map((x) => (deleted.has(`${list}\u0000${x.id}`) && !x.conflict ? { ...x, conflict: { deleted: true } } : x));
  return {
    sidecar: { ...r.sidecar, annotations: mark('annotations', r.sidecar.annotations), corrections: mark('corrections', r.sidecar.corrections) },
    conflicts: r.conflicts,
  };
}
