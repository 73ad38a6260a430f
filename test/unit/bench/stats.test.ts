import { strict as assert } from 'node:assert';
import { countTokens, median, percentile, prng, rate, sample, summarize } from '../../../bench/lib/stats';

describe('bench statistics', () => {
  it('median of odd and even samples, order-independent', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it('p95 by nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    assert.equal(percentile(hundred, 95), 95);
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 100), 100);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentile(twenty, 95), 19);
    assert.equal(percentile([1, 2, 3, 4, 5], 95), 5);
    assert.equal(percentile([1, 2, 3, 4, 5], 1), 1);
  });

  it('one outlier moves p95 but not the median', () => {
    const xs = [...Array.from({ length: 19 }, () => 10), 1000];
    assert.equal(median(xs), 10);
    assert.equal(percentile(xs, 95), 10);
    const ys = [...Array.from({ length: 18 }, () => 10), 1000, 1000];
    assert.equal(percentile(ys, 95), 1000);
  });

  it('rejects empty or non-finite samples and bad percentiles', () => {
    assert.throws(() => median([]), /empty/);
    assert.throws(() => percentile([1, Number.NaN], 50), /non-finite/);
    assert.throws(() => percentile([1], 0), /range/);
    assert.throws(() => percentile([1], 101), /range/);
  });

  it('summarize agrees with the single functions', () => {
    const xs = [3, 9, 1, 7, 5, 11, 2];
    const s = summarize(xs);
    assert.deepEqual(s, { n: 7, min: 1, median: 5, p95: 11, max: 11, mean: 38 / 7 });
  });

  it('rate: median pass gives the typical rate, p95 pass the slow-tail rate', () => {
    const r = rate(1000, [10, 20, 10, 10, 40]);
    assert.equal(r.median, 100_000);
    assert.equal(r.p95, 25_000);
  });

  it('sample runs warm-up untimed and returns one time per iteration', () => {
    const seen: number[] = [];
    const times = sample((i) => seen.push(i), { warmup: 2, iterations: 3, before: (i) => seen.push(-i - 1) });
    assert.equal(times.length, 3);
    assert.deepEqual(seen, [-1, 0, -2, 1, -3, 2, -4, 3, -5, 4]);
    for (const t of times) assert.ok(t >= 0);
  });

  it('sample stops at the budget with at least one timed run', () => {
    // A fake clock: every run of `fn` takes `cost` ms.
    let t = 0;
    let cost = 5;
    const clock = (): number => t;
    const work = (): void => {
      t += cost;
    };
    let runs = 0;
    const times = sample(() => {
      runs++;
      work();
    }, { warmup: 3, iterations: 100, budgetMs: 12, clock });
    // Half the budget (6 ms) is spent after warm-up run 2 (10 ms): warm-up ends; run 3 is timed
    // and ends past the budget (15 ms > 12), so timing stops.
    assert.deepEqual(times, [5]);
    assert.equal(runs, 3);

    // One warm-up run longer than the whole budget is kept as the timed run, not repeated.
    cost = 8;
    let slowRuns = 0;
    const slow = sample(() => {
      slowRuns++;
      work();
    }, { warmup: 2, iterations: 5, budgetMs: 4, clock });
    assert.deepEqual(slow, [8]);
    assert.equal(slowRuns, 1);

    // A slow engine gets timed runs instead of only warm-ups: 4 ms runs, budget 20 ms, 3 warm-ups
    // asked: warm-up ends after run 3 (12 ms > 10), runs 4 and 5 are timed (20 ms), run 5 ends at
    // the deadline, not past it, so run 6 is timed too (24 ms > 20) and timing stops.
    cost = 4;
    let midRuns = 0;
    const mid = sample(() => {
      midRuns++;
      work();
    }, { warmup: 3, iterations: 10, budgetMs: 20, clock });
    assert.deepEqual(mid, [4, 4, 4]);
    assert.equal(midRuns, 6);

    // Within the budget: every warm-up and timed run happens.
    cost = 1;
    let fastRuns = 0;
    const fast = sample(() => {
      fastRuns++;
      work();
    }, { warmup: 2, iterations: 5, budgetMs: 10_000, clock });
    assert.deepEqual(fast, [1, 1, 1, 1, 1]);
    assert.equal(fastRuns, 7);
  });

  it('counts tokens as runs of non-space', () => {
    assert.equal(countTokens(''), 0);
    assert.equal(countTokens('  Lavrov said, "yes."\n\nRaisi  '), 4);
  });

  it('prng is deterministic and in [0, 1)', () => {
    const a = prng(42);
    const b = prng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
    assert.notEqual(prng(1)(), prng(2)());
  });
});
