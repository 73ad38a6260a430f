/**
 * Re-anchoring 10,000 annotations on a 1 MB source after 100 scattered outside edits (the source
 * changed on disk; the hash differs), with the project's anchoring (src/core/anchor). Goal ≤ 100 ms
 * (median). Every annotation's expected new position is known (edits never touch annotated text),
 * so the case also counts how many came back exactly there.
 *
 * Baseline in the same run: the naive whole-document approach — `approx-string-match` of each
 * annotation's text over the whole new text (max errors = ⌊length/4⌋), for a small sample of
 * annotations, extrapolated to 10,000.
 */
import { type BenchCase, type Metric, importLanded, skip } from '../lib/harness';
import { keep, median, sample, summarize } from '../lib/stats';
import { applyEdits, makeAnnotations, makeOutsideEdits, oneMegabyteSource, shiftOffset, type BenchTarget } from '../lib/fixtures';

type Search = (text: string, pattern: string, maxErrors: number) => { start: number; end: number; errors: number }[];

interface AnchorModule {
  [name: string]: unknown;
}

/** Adapts whichever batch re-anchoring function src/core/anchor exports to (text, targets) → starts. */
function batchReanchor(mod: AnchorModule): (text: string, targets: BenchTarget[]) => (number | null)[] {
  const fn = (mod.reanchor ?? mod.reanchorAll) as
    | ((text: string, targets: BenchTarget[]) => unknown[])
    | undefined;
  if (typeof fn === 'function') {
    return (text, targets) => fn(text, targets).map(startOf);
  }
  const one = mod.anchorOne as ((text: string, t: BenchTarget, expected: number) => unknown) | undefined;
  if (typeof one === 'function') return (text, targets) => targets.map((t) => startOf(one(text, t, t.start)));
  skip(`src/core/anchor exports no reanchor(text, targets) (found: ${Object.keys(mod).join(', ')})`);
}

function startOf(r: unknown): number | null {
  if (r === null || r === undefined) return null;
  if (typeof r === 'object') {
    const o = r as { start?: unknown; target?: { start?: unknown }; range?: { start?: unknown }; orphan?: unknown; status?: unknown };
    if (o.orphan === true || o.status === 'orphan') return null;
    const s = o.start ?? o.target?.start ?? o.range?.start;
    return typeof s === 'number' ? s : null;
  }
  return null;
}

export const anchoring: BenchCase = {
  id: 'anchoring',
  title: 'Re-anchor 10,000 annotations on a 1 MB source after 100 outside edits',
  async run(ctx) {
    const source = oneMegabyteSource(ctx);
    const annotations = makeAnnotations(source, 10_000);
    const edits = makeOutsideEdits(source, annotations, 100);
    const edited = applyEdits(source, edits);
    const targets = annotations.map((a) => a.target);
    const expected = targets.map((t) => shiftOffset(t.start, edits));
    const metrics: Metric[] = [];
    const notes = [`${edits.length} edits (insert/delete/replace in the gaps between annotations); source ${(source.length / 1024).toFixed(0)} K code units`];

    // Baseline: whole-document fuzzy search per annotation, for a sample, extrapolated.
    const search = ((await import('approx-string-match')) as unknown as { default: Search }).default;
    const sampleN = ctx.quick ? 5 : 20;
    const per: number[] = [];
    for (let i = 0; i < sampleN; i++) {
      const t = targets[Math.floor((i * targets.length) / sampleN)];
      const t0 = performance.now();
      keep(search(edited, t.exact, Math.floor(t.exact.length / 4)));
      per.push(performance.now() - t0);
    }
    const perMed = median(per);
    metrics.push({ name: 'baseline: whole-text approx search, 1 annotation', unit: 'ms', median: perMed, p95: summarize(per).p95, n: per.length });
    metrics.push({ name: 'baseline extrapolated to 10,000', unit: 'ms', median: perMed * targets.length, note: `(${sampleN} sampled × ${targets.length / sampleN})` });

    const mod = await importLanded<AnchorModule>(ctx.root, 'src/core/anchor/index.ts', []);
    const reanchor = batchReanchor(mod);
    let starts: (number | null)[] = [];
    const times = sample(() => (starts = reanchor(edited, targets)), ctx.quick ? { warmup: 1, iterations: 3 } : { warmup: 2, iterations: 10 });
    const s = summarize(times);
    metrics.push({ name: 'ours: re-anchor all 10,000', unit: 'ms', median: s.median, p95: s.p95, n: s.n });
    metrics.push({ name: 'baseline ÷ ours', unit: 'x', median: (perMed * targets.length) / s.median });
    let exact = 0;
    let orphans = 0;
    for (let i = 0; i < targets.length; i++) {
      if (starts[i] === null) orphans++;
      else if (starts[i] === expected[i]) exact++;
    }
    notes.push(`found at the expected position: ${exact}/${targets.length}; orphans: ${orphans}; elsewhere: ${targets.length - exact - orphans}`);
    return { metrics, notes, goals: [{ text: '≤ 100 ms (median)', actual: `${s.median.toFixed(1)} ms`, met: s.median <= 100 }] };
  },
};
