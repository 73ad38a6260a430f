/**
 * First recognition of the 5 KB seed (seeds/000_f0f083a2e182d3f1.txt).
 *
 * Cold: a fresh Node process per run (the core bundled and minified as shipped): `require` of the
 * bundle (module evaluation, gazetteers), the model decoded from its bytes (`loadTaggerModel`),
 * then the first `analyze(seed)` (entities + quotes). Reading the model file from disk is reported
 * apart (the extension reads it with `workspace.fs`). Warm: the same process then analyses the
 * seed again N times.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BenchCase, type Metric } from '../lib/harness';
import { coreBundle, runChild } from '../lib/child';
import { MODEL_PATH } from '../lib/project';
import { summarize } from '../lib/stats';

export const SEED_PATH = 'seeds/000_f0f083a2e182d3f1.txt';

interface ColdResult {
  requireMs: number;
  readMs: number;
  modelMs: number;
  firstMs: number;
  coldMs: number;
  afterWarmUpMs?: number;
  warm: number[];
  mentions: number;
  quotes: number;
  model: boolean;
}

function coldScript(core: string, model: string | null, seed: string, warmRuns: number): string {
  return `'use strict';
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const seed = fs.readFileSync(${JSON.stringify(seed)}, 'utf8');
const t0 = performance.now();
const core = require(${JSON.stringify(core)});
const t1 = performance.now();
const MODEL = ${JSON.stringify(model)};
const buf = MODEL ? fs.readFileSync(MODEL) : null;
const t2 = performance.now();
const model = buf ? core.loadTaggerModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) : undefined;
const t3 = performance.now();
const a = core.analyze(seed, { model });
const t4 = performance.now();
// The extension's warm-up (src/host/analysis/warmUp.ts) in a second fresh process: one analysis of
// its short text, then the seed's first analysis.
let afterWarmUpMs;
if (core.WARM_UP_TEXT) {
  const { execFileSync } = require('node:child_process');
  const child = \`const core = require(\${JSON.stringify(${JSON.stringify(core)})}); const fs = require('node:fs');
const buf = \${JSON.stringify(MODEL)} ? fs.readFileSync(\${JSON.stringify(MODEL)}) : null;
const model = buf ? core.loadTaggerModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) : undefined;
core.analyze(core.WARM_UP_TEXT, { model });
const seed = fs.readFileSync(\${JSON.stringify(${JSON.stringify(seed)})}, 'utf8');
const s = performance.now(); core.analyze(seed, { model }); process.stdout.write(String(performance.now() - s));\`;
  afterWarmUpMs = Number(execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' }));
}
const warm = [];
for (let i = 0; i < ${warmRuns}; i++) {
  const s = performance.now();
  core.analyze(seed, { model });
  warm.push(performance.now() - s);
}
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, readMs: t2 - t1, modelMs: t3 - t2, firstMs: t4 - t3,
  coldMs: (t1 - t0) + (t3 - t2) + (t4 - t3), afterWarmUpMs, warm: warm.slice(5), mentions: a.mentions.length, quotes: a.quotes.length, model: !!model }) + '\\n');
`;
}

export const seed: BenchCase = {
  id: 'seed',
  title: 'First recognition of the 5 KB seed: cold (fresh process, model decode included) and warm',
  async run(ctx) {
    const bundle = await coreBundle(ctx);
    const modelFile = resolve(ctx.root, MODEL_PATH);
    const model = existsSync(modelFile) ? modelFile : null;
    const seedFile = resolve(ctx.root, SEED_PATH);
    const runs = ctx.quick ? 3 : 5;
    const warmRuns = ctx.quick ? 15 : 30;
    const results: ColdResult[] = [];
    for (let i = 0; i < runs; i++) {
      results.push(await runChild<ColdResult>(bundle, 'seed-cold.cjs', coldScript(bundle.file, model, seedFile, warmRuns)));
    }
    const metrics: Metric[] = [];
    const push = (name: string, xs: number[]): number => {
      const s = summarize(xs);
      metrics.push({ name, unit: 'ms', median: s.median, p95: s.p95, n: s.n });
      return s.median;
    };
    push('cold: require(core bundle)', results.map((r) => r.requireMs));
    push('cold: read model file (not in total)', results.map((r) => r.readMs));
    push('cold: decode model from bytes', results.map((r) => r.modelMs));
    push('cold: first analyze(seed)', results.map((r) => r.firstMs));
    const cold = push('cold: total (require + decode + analyze)', results.map((r) => r.coldMs));
    const afterWarmUp = results.map((r) => r.afterWarmUpMs).filter((x): x is number => x !== undefined);
    if (afterWarmUp.length) push('first analyze(seed) after the extension\'s warm-up (fresh process)', afterWarmUp);
    const warm = push('warm: analyze(seed)', results.flatMap((r) => r.warm));
    metrics.push({ name: 'cold ÷ warm', unit: 'x', median: cold / warm });
    const r0 = results[0];
    const notes = [
      `seed: ${readFileSync(seedFile, 'utf8').length.toLocaleString('en-US')} chars → ${r0.mentions} mentions, ${r0.quotes} quotations; ${runs} fresh processes; bundle ${(readFileSync(bundle.file).length / 1024).toFixed(0)} KB minified`,
    ];
    if (!r0.model) notes.push(`${MODEL_PATH} not landed: analysed with the interim tagger, no model decode`);
    return { metrics, notes };
  },
};
