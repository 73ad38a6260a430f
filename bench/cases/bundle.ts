/**
 * Bundle sizes: dist/node/extension.js and dist/web/extension.js (raw and gzip -9) after
 * `node scripts/build.mjs --production` (skipped with --no-build), plus the model
 * media/model/ner.bin. Goal: each bundle + the model ≤ 600 KB gzip (KB = 1024 bytes).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BenchCase, type Goal, type Metric, skip } from '../lib/harness';
import { MODEL_PATH } from '../lib/project';

const KB = 1024;

function sizes(file: string): { raw: number; gz: number } {
  const buf = readFileSync(file);
  return { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
}

export const bundle: BenchCase = {
  id: 'bundle',
  title: 'Bundle sizes (production build), raw and gzip',
  async run(ctx) {
    const notes: string[] = [];
    if (!ctx.noBuild) {
      const t0 = performance.now();
      execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: ctx.root, stdio: ['ignore', 'pipe', 'inherit'] });
      notes.push(`built with node scripts/build.mjs --production in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      notes.push('--no-build: measured dist/ as found (may be a development build)');
    }
    const metrics: Metric[] = [];
    const goals: Goal[] = [];
    const model = existsSync(resolve(ctx.root, MODEL_PATH)) ? sizes(resolve(ctx.root, MODEL_PATH)) : null;
    if (model) {
      metrics.push({ name: `${MODEL_PATH} raw`, unit: 'KB', median: model.raw / KB });
      metrics.push({ name: `${MODEL_PATH} gzip`, unit: 'KB', median: model.gz / KB });
    } else notes.push(`${MODEL_PATH} not landed yet: goal judged without the model`);
    let found = 0;
    for (const [label, rel] of [['node', 'dist/node/extension.js'], ['web', 'dist/web/extension.js']] as const) {
      const file = resolve(ctx.root, rel);
      if (!existsSync(file)) {
        notes.push(`${rel} missing`);
        continue;
      }
      found++;
      const s = sizes(file);
      metrics.push({ name: `${rel} raw`, unit: 'KB', median: s.raw / KB });
      metrics.push({ name: `${rel} gzip`, unit: 'KB', median: s.gz / KB });
      // The Node bundle's part loaded on first use rather than at activation (scripts/build.mjs) counts too.
      const heavy = label === 'node' ? resolve(ctx.root, 'dist/node/heavy.js') : undefined;
      if (heavy && existsSync(heavy)) {
        const h = sizes(heavy);
        metrics.push({ name: 'dist/node/heavy.js raw', unit: 'KB', median: h.raw / KB });
        metrics.push({ name: 'dist/node/heavy.js gzip', unit: 'KB', median: h.gz / KB });
        s.gz += h.gz;
      }
      const withModel = (s.gz + (model?.gz ?? 0)) / KB;
      metrics.push({ name: `${label} bundle + model, gzip`, unit: 'KB', median: withModel });
      goals.push({ text: `${label}: bundle + model ≤ 600 KB gzip`, actual: `${withModel.toFixed(1)} KB${model ? '' : ' (no model yet)'}`, met: withModel <= 600 });
    }
    if (found === 0) skip('no bundle in dist/ (build failed or --no-build without a build)');
    const cli = resolve(ctx.root, 'dist/cli/marginalia.js');
    if (existsSync(cli)) {
      const s = sizes(cli);
      metrics.push({ name: 'dist/cli/marginalia.js gzip', unit: 'KB', median: s.gz / KB });
    }
    return { metrics, goals, notes };
  },
};
