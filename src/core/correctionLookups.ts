// Lookups by position for `applyCorrections`: the quotation a speaker correction falls on, the
// mention of an entity nearest a quotation, and a map keyed by span.
import type { Quote } from './types';
import { overlaps } from './correctionTargets';

/**
 * The quotation a speaker correction's target falls on: the one whose span is exactly the target
 * (a reported statement and a quotation-mark fragment inside it overlap: each keeps its own
 * correction), else the first (in order) overlapping it, or holding an empty target. Binary search
 * over the running maximum of ends when the quotations are sorted by start (as the recognisers give
 * them); otherwise a scan.
 */
export function quoteFinder(quotes: Quote[]): (t: { start: number; end: number }) => Quote | undefined {
  const exact = new Map<string, Quote>();
  for (const q of quotes) if (!exact.has(`${q.start}:${q.end}`)) exact.set(`${q.start}:${q.end}`, q);
  const overlapping = overlapFinder(quotes);
  return (t) => exact.get(`${t.start}:${t.end}`) ?? overlapping(t);
}

function overlapFinder(quotes: Quote[]): (t: { start: number; end: number }) => Quote | undefined {
  const hits = (x: Quote, t: { start: number; end: number }): boolean => overlaps(x, t) || (t.start === t.end && x.start <= t.start && t.start < x.end);
  let sorted = true;
  for (let i = 1; i < quotes.length && sorted; i++) if (quotes[i].start < quotes[i - 1].start) sorted = false;
  if (!sorted) return (t) => quotes.find((x) => hits(x, t));
  const maxEnd: number[] = [];
  let run = -Infinity;
  for (const q of quotes) maxEnd.push((run = Math.max(run, q.end)));
  return (t) => {
    // the first quotation ending after the target's start (any earlier one ends before it)
    let lo = 0;
    let hi = quotes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maxEnd[mid] > t.start) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < quotes.length && quotes[i].start <= t.end; i++) if (hits(quotes[i], t)) return quotes[i];
    return undefined;
  };
}

/** The span (sorted by start) nearest `pos` by start; the earlier one on a tie (as a left-to-right scan keeping strict improvements). */
const SORTED_SPANS = new WeakMap<readonly { start: number }[], boolean>();

export function nearestSpan(spans: readonly { start: number; end: number }[], pos: number): { start: number; end: number } {
  let sorted = SORTED_SPANS.get(spans);
  if (sorted === undefined) {
    sorted = true;
    for (let i = 1; i < spans.length && sorted; i++) if (spans[i].start < spans[i - 1].start) sorted = false;
    SORTED_SPANS.set(spans, sorted);
  }
  if (!sorted) return spans.reduce((best, s) => (Math.abs(s.start - pos) < Math.abs(best.start - pos) ? s : best));
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  // the first span at or after pos, and the last before it (among equal starts, the first)
  let best = lo < spans.length ? lo : spans.length - 1;
  if (lo > 0) {
    let b = lo - 1;
    while (b > 0 && spans[b - 1].start === spans[b].start) b--;
    if (lo >= spans.length || Math.abs(spans[b].start - pos) <= Math.abs(spans[lo].start - pos)) best = b;
  }
  return spans[best];
}

/** A map keyed by span: one number per span (a string only for a span longer than 65,535). */
export class SpanMap<V> {
  private readonly byKey = new Map<number | string, V>();
  private static key(s: { start: number; end: number }): number | string {
    const len = s.end - s.start;
    return len >= 0 && len < 65536 && s.start >= 0 && s.start < 2 ** 36 ? s.start * 65536 + len : `${s.start}:${s.end}`;
  }
  /** Sets the value for the span unless it has one. */
  setFirst(s: { start: number; end: number }, v: V): void {
    const k = SpanMap.key(s);
    if (!this.byKey.has(k)) this.byKey.set(k, v);
  }
  get(s: { start: number; end: number }): V | undefined {
    return this.byKey.get(SpanMap.key(s));
  }
}
