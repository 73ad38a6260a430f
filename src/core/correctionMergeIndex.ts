// The index the merge step of `applyCorrections` works through.
import type { Correction } from './sidecar/model';
import type { Mention } from './types';

/**
 * Indexes over the mentions for the merge step (whose corrections change only mentions' `entityId`,
 * `canonical` and `source`): by text, by span (sorted, with the running maximum end), by entity id
 * and by canonical name (a min-heap of array positions per name, stale entries dropped lazily).
 */
export class MergeIndex {
  private readonly byText = new Map<string, number[]>();
  private readonly byStart: number[];
  private readonly maxEnd: number[] = [];
  private readonly byEntity = new Map<string, Set<number>>();
  private readonly byCanonical = new Map<string, number[]>();

  constructor(private readonly mentions: Mention[]) {
    mentions.forEach((m, i) => {
      let t = this.byText.get(m.text);
      if (!t) this.byText.set(m.text, (t = []));
      t.push(i);
      this.entitySet(m.entityId).add(i);
      this.heapPush(m.canonical, i);
    });
    this.byStart = mentions.map((_, i) => i).sort((a, b) => mentions[a].start - mentions[b].start || a - b);
    let run = -Infinity;
    for (const i of this.byStart) this.maxEnd.push((run = Math.max(run, mentions[i].end)));
  }

  /** Positions (ascending) of the mentions the correction applies to (as `matcher` in correctionTargets.ts decides). */
  matching(c: Correction): number[] {
    const out = new Set<number>();
    if ((c.scope ?? 'all') === 'all' && c.target.exact) for (const i of this.byText.get(c.target.exact) ?? []) out.add(i);
    if (!c.orphan) {
      const { start, end } = c.target;
      let lo = 0;
      let hi = this.byStart.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.mentions[this.byStart[mid]].start < end) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo - 1; k >= 0 && this.maxEnd[k] > start; k--) {
        const i = this.byStart[k];
        if (this.mentions[i].end > start) out.add(i);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  withEntity(id: string): Iterable<number> {
    return this.byEntity.get(id) ?? [];
  }

  /** The first mention (array position) named `canonical` now, outside `skip`. */
  firstWithCanonical(canonical: string, skip: Set<number>): number | undefined {
    const heap = this.byCanonical.get(canonical);
    if (!heap) return undefined;
    const held: number[] = [];
    let found: number | undefined;
    while (heap.length > 0) {
      const i = heap[0];
      if (this.mentions[i].canonical !== canonical) {
        heapPop(heap); // renamed since: stale
        continue;
      }
      if (skip.has(i)) {
        held.push(heapPop(heap));
        continue;
      }
      found = i;
      break;
    }
    for (const i of held) this.heapPush(canonical, i);
    return found;
  }

  relabel(i: number, entityId: string, canonical: string): void {
    const m = this.mentions[i];
    if (m.entityId !== entityId) {
      this.byEntity.get(m.entityId)?.delete(i);
      this.entitySet(entityId).add(i);
      m.entityId = entityId;
    }
    if (m.canonical !== canonical) {
      m.canonical = canonical;
      this.heapPush(canonical, i);
    }
    m.source = m.source ?? 'correction';
  }

  private entitySet(id: string): Set<number> {
    let set = this.byEntity.get(id);
    if (!set) this.byEntity.set(id, (set = new Set()));
    return set;
  }

  private heapPush(key: string, v: number): void {
    let h = this.byCanonical.get(key);
    if (!h) this.byCanonical.set(key, (h = []));
    h.push(v);
    for (let k = h.length - 1; k > 0; ) {
      const p = (k - 1) >> 1;
      if (h[p] <= h[k]) break;
      [h[p], h[k]] = [h[k], h[p]];
      k = p;
    }
  }
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop() as number;
  if (h.length > 0) {
    h[0] = last;
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < h.length && h[l] < h[m]) m = l;
      if (r < h.length && h[r] < h[m]) m = r;
      if (m === k) break;
      [h[m], h[k]] = [h[k], h[m]];
      k = m;
    }
  }
  return top;
}
