/**
 * Keystroke-to-paint, recognition part: a one-character edit in a 1 MB source, re-analysed with
 * the editor's engine (src/core/live/chunked.ts `ChunkedEngine`, else
 * src/host/analysis/engine.ts `IncrementalEngine`), as it ships (the run's core bundle), exactly as the editor calls it:
 * `engine.analyze(key, newText, [edit], { model })`. Edits alternate between typing a letter inside
 * a word of a random paragraph and deleting it again. Building the new text string is not timed
 * (the editor's document already holds it). Goal: p95 ≤ 10 ms.
 * Baseline in the same run: the first (whole-document) analysis of the same source.
 * Beside it, the pure part of painting (src/host/decorations/plan.ts `planDecorations`: which
 * ranges each decoration kind paints, in the window the editor paints around the visible lines) on
 * each new result; VS Code's own `setDecorations` work is
 * measured only in the host (activation case: seed → first decorations).
 */
import { createRequire } from 'node:module';
import { type BenchCase, type BenchContext, type Metric, importLanded, skip, firstLine } from '../lib/harness';
import { coreBundle } from '../lib/child';
import { oneMegabyteSource } from '../lib/fixtures';
import { loadModel, readModelBytes } from '../lib/project';
import { prng, summarize } from '../lib/stats';

interface Edit {
  offset: number;
  length: number;
  text: string;
}
interface Engine {
  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: { model?: unknown }): { mentions: unknown[]; quotes?: unknown[] };
}
type PlanFn = (analysis: never, enabled: Record<string, boolean>, window?: { start: number; end: number }) => Record<string, unknown[]>;

/**
 * The editor paints a long source around what is visible: 300 lines above and below
 * (controller.ts), found from its line index. Line starts come from the source before the edits
 * (they add and remove one letter, never a line break; the drift is at most one character).
 */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}
function paintWindow(starts: number[], at: number, lines = 340): { start: number; end: number } {
  let a = 0;
  let b = starts.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (starts[mid] <= at) a = mid + 1;
    else b = mid;
  }
  const line = a - 1;
  return { start: starts[Math.max(0, line - lines)], end: starts[Math.min(starts.length - 1, line + lines + 1)] };
}
type EngineClass = new () => Engine;

/**
 * The engine as it ships (the run's core bundle, bench/lib/child.ts), with the bundle's model
 * loader; else from the TypeScript sources.
 */
async function loadEngine(ctx: BenchContext): Promise<{ Engine: EngineClass; name: string; loadModel?: (bytes: Uint8Array) => unknown }> {
  const reasons: string[] = [];
  try {
    const bundle = await coreBundle(ctx);
    const core = createRequire(bundle.file)(bundle.file) as { ChunkedEngine?: EngineClass; loadTaggerModel: (bytes: Uint8Array) => unknown };
    if (core.ChunkedEngine) return { Engine: core.ChunkedEngine, name: 'ChunkedEngine (in the core bundle as shipped)', loadModel: core.loadTaggerModel };
    reasons.push('the core bundle has no ChunkedEngine');
  } catch (err) {
    reasons.push(firstLine(err));
  }
  for (const [rel, name] of [['src/core/live/chunked.ts', 'ChunkedEngine'], ['src/host/live/chunked.ts', 'ChunkedEngine'], ['src/host/analysis/engine.ts', 'IncrementalEngine']] as const) {
    try {
      const mod = await importLanded<Record<string, unknown>>(ctx.root, rel, [name]);
      return { Engine: mod[name] as EngineClass, name: `${name} (${rel}, TypeScript sources; core bundle: ${reasons.join('; ')})` };
    } catch (err) {
      reasons.push(firstLine(err));
    }
  }
  skip(`no editor engine yet: ${reasons.join('; ')}`);
}

export const incremental: BenchCase = {
  id: 'incremental',
  title: 'Incremental update after a one-character edit in a 1 MB source (recognition part of keystroke-to-paint)',
  async run(ctx) {
    const { Engine, name, loadModel: loadBundled } = await loadEngine(ctx);
    const notes: string[] = [`engine: ${name}`];
    let model: unknown;
    try {
      model = loadBundled ? loadBundled(readModelBytes(ctx.root)) : await loadModel(ctx.root);
    } catch (err) {
      notes.push(`no model (${firstLine(err)}): interim tagger`);
    }
    const source = oneMegabyteSource(ctx);
    const engine = new Engine();
    const t0 = performance.now();
    const first = engine.analyze('bench', source, undefined, { model });
    const fullMs = performance.now() - t0;
    notes.push(`first analysis: ${first.mentions.length.toLocaleString('en-US')} mentions over ${source.length.toLocaleString('en-US')} code units`);

    const rnd = prng(5);
    const warmup = ctx.quick ? 3 : 6;
    const iterations = ctx.quick ? 12 : 60;
    const deadline = performance.now() + (ctx.quick ? 10_000 : 15_000);
    const times: number[] = [];
    const planTimes: number[] = [];
    let plan: PlanFn | undefined;
    let enabled: Record<string, boolean> = {};
    try {
      const mod = await importLanded<{ planDecorations: PlanFn }>(ctx.root, 'src/host/decorations/plan.ts', ['planDecorations']);
      const kinds = await importLanded<{ DECORATION_KINDS: readonly string[] }>(ctx.root, 'src/host/decorations/kinds.ts', ['DECORATION_KINDS']);
      plan = mod.planDecorations;
      enabled = Object.fromEntries(kinds.DECORATION_KINDS.map((k) => [k, true]));
    } catch (err) {
      notes.push(`paint plan: skipped: ${firstLine(err)}`);
    }
    const starts = lineStarts(source);
    let text = source;
    let pending: number | null = null; // offset of the letter typed last, to delete next
    for (let i = 0; times.length < iterations; i++) {
      let edit: Edit;
      if (pending === null) {
        let p = Math.floor(rnd() * (source.length - 100));
        while (!/\p{L}/u.test(source[p]) || !/\p{L}/u.test(source[p - 1] ?? '')) p++;
        edit = { offset: p, length: 0, text: 'e' };
        pending = p;
      } else {
        edit = { offset: pending, length: 1, text: '' };
        pending = null;
      }
      text = text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length);
      const s = performance.now();
      const result = engine.analyze('bench', text, [edit], { model });
      const dt = performance.now() - s;
      if (i >= warmup) times.push(dt);
      if (plan) {
        const p0 = performance.now();
        plan(result as never, enabled, paintWindow(starts, edit.offset));
        if (i >= warmup) planTimes.push(performance.now() - p0);
      }
      if (performance.now() > deadline && times.length >= 5) {
        notes.push(`time budget reached after ${times.length} timed edits`);
        break;
      }
    }
    const s = summarize(times);
    const metrics: Metric[] = [
      { name: 'baseline: first full analysis of 1 MB', unit: 'ms', median: fullMs, n: 1 },
      { name: 'one-character edit → re-analysis', unit: 'ms', median: s.median, p95: s.p95, n: s.n },
      { name: 'full ÷ incremental (median)', unit: 'x', median: fullMs / s.median },
    ];
    if (planTimes.length) {
      const ps = summarize(planTimes);
      metrics.push({ name: 'paint plan around the edit (±340 lines, all kinds on)', unit: 'ms', median: ps.median, p95: ps.p95, n: ps.n });
    }
    notes.push(`worst edit ${s.max.toFixed(1)} ms`);
    return { metrics, notes, goals: [{ text: 'p95 ≤ 10 ms', actual: `p50 ${s.median.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`, met: s.p95 <= 10 }] };
  },
};
