/**
 * Memory added by a 1 MB source: in a fresh `node --expose-gc` process with the core bundle and the
 * model loaded, the heap and RSS after a full GC, before and after analysing the source with the
 * editor's engine (ChunkedEngine, else IncrementalEngine) (which keeps its per-paragraph caches, as the editor does) and
 * holding the result. The text itself is measured apart. No goal in the issue: reported.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BenchCase, type Metric } from '../lib/harness';
import { coreBundle, runChild } from '../lib/child';
import { oneMegabyteSource } from '../lib/fixtures';
import { MODEL_PATH } from '../lib/project';
import { median } from '../lib/stats';

interface Mem {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}
interface MemResult {
  base: Mem;
  model: Mem;
  text: Mem;
  analysis: Mem;
  mentions: number;
  quotes: number;
  chars: number;
  engine: string;
}

function memScript(core: string, model: string | null, source: string): string {
  return `'use strict';
const fs = require('node:fs');
const core = require(${JSON.stringify(core)});
const mem = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers }; };
const MODEL = ${JSON.stringify(model)};
const base = mem();
const model = MODEL ? core.loadTaggerModel(new Uint8Array(fs.readFileSync(MODEL))) : undefined;
const afterModel = mem();
const text = fs.readFileSync(${JSON.stringify(source)}, 'utf8');
const afterText = mem();
const Engine = core.ChunkedEngine || core.IncrementalEngine;
const engine = Engine ? new Engine() : null;
const a = engine ? engine.analyze('doc', text, undefined, { model }) : core.analyze(text, { model });
const afterAnalysis = mem();
globalThis.keep = [model, text, engine, a];
process.stdout.write(JSON.stringify({ base, model: afterModel, text: afterText, analysis: afterAnalysis, mentions: a.mentions.length, quotes: a.quotes.length, chars: text.length, engine: Engine ? (core.ChunkedEngine ? 'ChunkedEngine' : 'IncrementalEngine') : 'analyze (no engine)' }) + '\\n');
`;
}

const MB = 1024 * 1024;

export const memory: BenchCase = {
  id: 'memory',
  title: 'Memory added by a 1 MB source (heap/RSS after GC, fresh process)',
  async run(ctx) {
    const bundle = await coreBundle(ctx);
    const source = oneMegabyteSource(ctx);
    const sourceFile = join(bundle.dir, 'source-1mb.txt');
    writeFileSync(sourceFile, source);
    const modelFile = resolve(ctx.root, MODEL_PATH);
    const model = existsSync(modelFile) ? modelFile : null;
    // Memory figures barely vary between runs; one fresh process keeps the bench short.
    const runs = 1;
    const rs: MemResult[] = [];
    for (let i = 0; i < runs; i++) rs.push(await runChild<MemResult>(bundle, 'memory.cjs', memScript(bundle.file, model, sourceFile), ['--expose-gc'], 120_000));
    const metrics: Metric[] = [];
    const add = (name: string, f: (r: MemResult) => number): void => {
      metrics.push({ name, unit: 'MB', median: median(rs.map(f)) / MB, n: rs.length });
    };
    add('model: heap + array buffers', (r) => r.model.heapUsed + r.model.arrayBuffers - r.base.heapUsed - r.base.arrayBuffers);
    add('model: RSS', (r) => r.model.rss - r.base.rss);
    add('1 MB text itself: heap', (r) => r.text.heapUsed - r.model.heapUsed);
    add('analysis + caches: heap', (r) => r.analysis.heapUsed - r.text.heapUsed);
    add('analysis + caches: RSS', (r) => r.analysis.rss - r.text.rss);
    add('process RSS at the end', (r) => r.analysis.rss);
    const r0 = rs[0];
    const notes = [`source: ${r0.chars.toLocaleString('en-US')} UTF-16 code units → ${r0.mentions.toLocaleString('en-US')} mentions, ${r0.quotes.toLocaleString('en-US')} quotations, held by ${r0.engine}; RSS deltas are coarse (the allocator keeps freed pages)`];
    if (!model) notes.push(`${MODEL_PATH} not landed: interim tagger, no model`);
    return { metrics, notes };
  },
};
