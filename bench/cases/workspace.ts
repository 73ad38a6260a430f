/**
 * A thousand sources: *Re-scan Workspace* over 1,000 generated news-like articles (about 5 MB,
 * bench/lib/corpus.ts `generateArticles`, seeded: the same text every run), measured inside a real
 * extension host (code-server's Node host, one fresh session; bench/host/workspaceProbe.ts): the
 * scan's time (its progress notification is cancellable), the longest block of the host's event
 * loop during it, the host's memory, and the time for the workspace Entities and Quotes views to
 * build (their providers' top level plus one group). Baselines in the same run: the scan's I/O
 * alone in the same host (find + read every file), and the core alone in a fresh Node process
 * (`analyze` of every article, one core, no host).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BenchCase, type Metric } from '../lib/harness';
import { coreBundle, runChild } from '../lib/child';
import { generateArticles } from '../lib/corpus';
import { buildProbe, requireHost, runProbe } from '../lib/hostSession';
import { MODEL_PATH } from '../lib/project';
import { countTokens } from '../lib/stats';

interface WorkspaceProbe {
  error?: string;
  files: number;
  bytes: number;
  ioMs: number;
  ioLongestBlockMs: number;
  scanMs: number;
  scanLongestBlockMs: number;
  scanCpuMs: number;
  scanLongestBlockCpuMs: number;
  ioCpuMs: number;
  entitiesViewCpuMs: number;
  quotesViewCpuMs: number;
  scanBlocksOver50: number;
  scanBlocksOver50Cpu: number;
  rssBeforeMB: number;
  heapBeforeMB: number;
  peakRssMB: number;
  peakHeapMB: number;
  rssAfterMB: number;
  heapAfterMB: number;
  scanned?: number;
  entitiesViewMs: number;
  quotesViewMs: number;
  viewsLongestBlockMs: number;
  viewsAgainMs: number;
  entitiesTop: number;
  quotesTop: number;
}

interface CoreOnly {
  modelError?: string;
  totalMs: number;
  cpuMs: number;
  longestMs: number;
  heapMB: number;
  rssMB: number;
}

function coreScript(core: string, model: string | null, dir: string, names: string[]): string {
  return `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const core = require(${JSON.stringify(core)});
const MODEL = ${JSON.stringify(model)};
const buf = MODEL ? fs.readFileSync(MODEL) : null;
let model, modelError;
try {
  model = buf ? core.loadTaggerModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) : undefined;
} catch (err) {
  modelError = String(err && err.message || err).split('\\n')[0];
}
const names = ${JSON.stringify(names)};
const t0 = performance.now();
const c0 = process.cpuUsage();
let longest = 0;
const keep = [];
for (const n of names) {
  const text = fs.readFileSync(path.join(${JSON.stringify(dir)}, n), 'utf8');
  const s = performance.now();
  keep.push(core.analyze(text, { model }));
  const d = performance.now() - s;
  if (d > longest) longest = d;
}
const totalMs = performance.now() - t0;
const cu = process.cpuUsage(c0);
const cpuMs = (cu.user + cu.system) / 1000;
const m = process.memoryUsage();
process.stdout.write(JSON.stringify({ totalMs, cpuMs, longestMs: longest, heapMB: m.heapUsed / 1048576, rssMB: m.rss / 1048576, kept: keep.length, modelError }) + '\\n');
`;
}

export const workspace: BenchCase = {
  id: 'workspace',
  title: 'A thousand sources: Re-scan Workspace over 1,000 articles (~5 MB) in the real host; the workspace views',
  async run(ctx) {
    requireHost(ctx.root);
    const count = ctx.quick ? 200 : 1000;
    const articles = generateArticles(count, 3800, 18);
    const chars = articles.reduce((s, a) => s + a.text.length, 0);
    const tokens = articles.reduce((s, a) => s + countTokens(a.text), 0);
    const setup = (ws: string): void => {
      mkdirSync(join(ws, 'articles'), { recursive: true });
      for (const a of articles) writeFileSync(join(ws, 'articles', a.name), a.text);
    };
    // Core alone, one fresh Node process.
    const bundle = await coreBundle(ctx);
    const modelFile = resolve(ctx.root, MODEL_PATH);
    const coreDir = join(bundle.dir, 'articles');
    setup(bundle.dir);
    const core = await runChild<CoreOnly>(bundle, 'workspace-core.cjs', coreScript(bundle.file, existsSync(modelFile) ? modelFile : null, coreDir, articles.map((a) => a.name)), [], 300_000);

    const probe = await buildProbe(ctx.root, 'workspaceProbe');
    ctx.log(`workspace: ${count} articles, ${(chars / 1e6).toFixed(1)} M chars, in a fresh code-server host`);
    const { result: r, sessionS } = await runProbe<WorkspaceProbe>(ctx.root, probe, setup, { timeoutMs: 300_000, log: ctx.log });

    // Wall times on a loaded, shared machine stretch with the load; the CPU time the host (one
    // thread) spent is the steadier "time on one core", and goals are judged on it.
    const views = Math.max(r.entitiesViewCpuMs, r.quotesViewCpuMs);
    const metrics: Metric[] = [
      { name: 'baseline: find + read every source (host workspace.fs), wall', unit: 'ms', median: r.ioMs, n: 1, note: `CPU ${r.ioCpuMs.toFixed(0)} ms` },
      { name: 'baseline: core analyze of every source (fresh Node, no host), CPU', unit: 'ms', median: core.cpuMs, n: 1, note: `wall ${core.totalMs.toFixed(0)} ms` },
      { name: 'Re-scan Workspace (in host, to the end), host CPU', unit: 'ms', median: r.scanCpuMs, n: 1 },
      { name: 'Re-scan Workspace, wall', unit: 'ms', median: r.scanMs, n: 1 },
      { name: 'Re-scan ÷ core alone (CPU)', unit: 'x', median: r.scanCpuMs / core.cpuMs },
      { name: 'Re-scan: tokens per CPU second', unit: 'tok/s', median: tokens / (r.scanCpuMs / 1000) },
      { name: 'longest host block during the scan: CPU in it', unit: 'ms', median: r.scanLongestBlockCpuMs, n: 1, note: `wall ${r.scanLongestBlockMs.toFixed(0)} ms` },
      { name: 'longest core analyze of one article (no host), wall', unit: 'ms', median: core.longestMs, n: 1 },
      { name: 'host heap: before → peak → after the scan', unit: 'MB', median: r.peakHeapMB, note: `${r.heapBeforeMB.toFixed(0)} → ${r.peakHeapMB.toFixed(0)} → ${r.heapAfterMB.toFixed(0)}` },
      { name: 'host RSS: peak during the scan', unit: 'MB', median: r.peakRssMB, note: `before ${r.rssBeforeMB.toFixed(0)}, after ${r.rssAfterMB.toFixed(0)}` },
      { name: 'Entities view builds (workspace), CPU', unit: 'ms', median: r.entitiesViewCpuMs, n: 1, note: `wall ${r.entitiesViewMs.toFixed(0)} ms` },
      { name: 'Quotes view builds (workspace), CPU', unit: 'ms', median: r.quotesViewCpuMs, n: 1, note: `wall ${r.quotesViewMs.toFixed(0)} ms` },
      { name: 'both views again (refresh)', unit: 'ms', median: r.viewsAgainMs, n: 1 },
    ];
    const notes = [
      `${count} generated articles, ${(chars / 1e6).toFixed(2)} M chars, ${tokens.toLocaleString('en-US')} tokens; ${r.files} files found, ${r.scanned ?? '?'} scanned; ` +
        `views: ${r.entitiesTop} entity groups, ${r.quotesTop} speakers; one code-server session ${sessionS.toFixed(1)} s`,
      'the extension host runs the scan on one thread; the machine is shared and loaded, so times are the CPU time the process spent (process.cpuUsage: GC helper threads included) and wall times are beside them',
    ];
    if (core.modelError) notes.push(`core alone ran WITHOUT the model (${core.modelError}); the host falls back the same way`);
    notes.push(`host event-loop gaps during the scan: ${r.scanBlocksOver50} over 50 ms of wall time, ${r.scanBlocksOver50Cpu} over 50 ms of CPU`);
    const goals = [
      { text: '≤ 10 s on one core (Re-scan Workspace, 1,000 sources, host CPU)', actual: `${(r.scanCpuMs / 1000).toFixed(1)} s`, met: r.scanCpuMs <= 10_000 },
      { text: '≤ 400 MB (extension host RSS, peak)', actual: `${r.peakRssMB.toFixed(0)} MB`, met: r.peakRssMB <= 400 },
      { text: 'no host block > 50 ms during the scan (CPU in the longest)', actual: `${r.scanLongestBlockCpuMs.toFixed(0)} ms`, met: r.scanLongestBlockCpuMs <= 50 },
      { text: '≤ 200 ms (workspace Entities and Quotes views build, CPU)', actual: `${views.toFixed(0)} ms`, met: views <= 200 },
    ];
    if (count !== 1000) notes.push(`--quick: ${count} articles, not 1,000; goals are not judged on a thousand`);
    return { metrics, goals, notes };
  },
};
