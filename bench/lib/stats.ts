import { prng } from '../../src/core/prng';
/**
 * Statistics and timing helpers for the benchmark. Pure functions (unit-tested in
 * test/unit/bench/stats.test.ts) plus a small sampler around `performance.now()`.
 */

/** Sorted copy, ascending; throws on an empty or non-finite sample. */
export function sortedSample(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('empty sample');
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`non-finite value in sample: ${v}`);
  return [...values].sort((a, b) => a - b);
}

/** Median: the middle value, or the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const s = sortedSample(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Percentile by the nearest-rank method: the smallest value such that at least `p`% of the
 * sample is ≤ it (rank = ceil(p/100 · n)). p95 of 20 values is the 19th smallest; of 5 values it
 * is the largest. No interpolation, so the result is always an observed value.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`);
  const s = sortedSample(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1];
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = sortedSample(values);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    n: s.length,
    min: s[0],
    median: median(s),
    p95: percentile(s, 95),
    max: s[s.length - 1],
    mean: sum / s.length,
  };
}

/**
 * Throughput from per-pass times: `units / time`. The median pass gives the typical rate; the p95
 * pass (a slow pass) gives the low-tail rate, so `p95` here is the rate of the slowest 5% of passes.
 */
export function rate(units: number, timesMs: readonly number[]): { median: number; p95: number } {
  const med = median(timesMs);
  const slow = percentile(timesMs, 95);
  return { median: (units / med) * 1000, p95: (units / slow) * 1000 };
}

export interface SampleOptions {
  /** Untimed runs first (JIT, caches). */
  warmup: number;
  /** Timed runs. */
  iterations: number;
  /** Called before every run (untimed), e.g. to prepare fresh input. */
  before?: (i: number) => void;
  /**
   * Wall-clock budget in ms for the whole measurement (warm-up included). Once spent, warm-up ends
   * and timing stops after the current run; at least one timed run is always made. A warm-up run
   * that alone takes more than the whole budget is kept as the (only) timed run rather than
   * repeated, and warm-up ends early once half the budget is spent (so a slow engine gets timed
   * runs rather than only warm-ups). Keeps a slow engine from blowing the bench's total time; `n`
   * in the report shows how many runs were made.
   */
  budgetMs?: number;
  /** Clock in ms (default `performance.now`); tests pass a fake one. */
  clock?: () => number;
}

/** Runs `fn` warmup + iterations times and returns the timed durations in ms. */
export function sample(fn: (i: number) => unknown, options: SampleOptions): number[] {
  const times: number[] = [];
  let sink: unknown;
  const now = options.clock ?? (() => performance.now());
  const started = now();
  const deadline = started + (options.budgetMs ?? Infinity);
  let warm = 0;
  for (let i = 0; times.length < options.iterations; i++) {
    options.before?.(i);
    const t0 = now();
    sink = fn(i);
    const t1 = now();
    if (warm < options.warmup && t1 - t0 <= (options.budgetMs ?? Infinity)) {
      warm++;
      if (t1 - started > (options.budgetMs ?? Infinity) / 2) warm = options.warmup;
    } else times.push(t1 - t0);
    if (t1 > deadline) {
      if (times.length > 0) break;
      warm = options.warmup; // out of time: the next run is timed
    }
  }
  keep(sink);
  return times;
}

export async function sampleAsync(fn: (i: number) => Promise<unknown>, options: SampleOptions): Promise<number[]> {
  const times: number[] = [];
  let sink: unknown;
  const now = options.clock ?? (() => performance.now());
  const started = now();
  const deadline = started + (options.budgetMs ?? Infinity);
  let warm = 0;
  for (let i = 0; times.length < options.iterations; i++) {
    options.before?.(i);
    const t0 = now();
    sink = await fn(i);
    const t1 = now();
    if (warm < options.warmup && t1 - t0 <= (options.budgetMs ?? Infinity)) {
      warm++;
      if (t1 - started > (options.budgetMs ?? Infinity) / 2) warm = options.warmup;
    } else times.push(t1 - t0);
    if (t1 > deadline) {
      if (times.length > 0) break;
      warm = options.warmup;
    }
  }
  keep(sink);
  return times;
}

let blackhole: unknown;
/** Keeps a result reachable so the optimiser cannot drop the work that produced it. */
export function keep(value: unknown): void {
  blackhole = value;
}
export function kept(): unknown {
  return blackhole;
}


/** Tokens are counted the same way for every engine: maximal runs of non-space characters. */
export function countTokens(text: string): number {
  let n = 0;
  const re = /\S+/g;
  while (re.exec(text) !== null) n++;
  return n;
}

export { prng };
