/**
 * Workloads to profile, one per missed goal. Only the measured section is profiled (the V8
 * profiler through node:inspector, started after the set-up), written to
 * $TMPDIR/marginalia-<WORKLOAD>.cpuprofile and summarised (self time by function and file):
 *   npx tsx bench/tools/profile-target.ts WORKLOAD [--top=N]
 * WORKLOAD: analyze | entities | rules | tagger | incremental | anchoring | sidecar-load | sidecar-save
 * (`node --cpu-prof` works too but also profiles the set-up and tsx's loader thread.)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Profile, summarizeProfile } from './profile-summary';
import { loadCorpus, subset } from '../lib/corpus';
import { applyEdits, makeAnnotations, makeOutsideEdits, ONE_MB } from '../lib/fixtures';
import { buildSource } from '../lib/corpus';
import { readModelBytes } from '../lib/project';
import { stringify } from 'yaml';
import { analyze } from '../../src/core/analyze';
import { recognizeEntities } from '../../src/core/ner';
import { reanchor } from '../../src/core/anchor';
import { loadTaggerModel, tagDocument } from '../../src/core/ner/tagger';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar/codec';
import { ChunkedEngine } from '../../src/core/live/chunked';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const what = process.argv[2] ?? 'analyze';
  const corpus = loadCorpus(root);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((res, rej) => session.post(method, params, (err, out) => (err ? rej(err) : res(out))));
  let t0 = 0;
  const start = async (): Promise<void> => {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    t0 = performance.now();
  };
  if (what === 'analyze' || what === 'tagger' || what === 'entities' || what === 'rules') {
    const model = loadTaggerModel(readModelBytes(root));
    const texts = subset(corpus, process.env.PROFILE_TOKENS ? Number(process.env.PROFILE_TOKENS) : 40_000).docs.map((d) => d.text);
    await start();
    if (what === 'analyze') {
      for (let k = 0; k < 3; k++) for (const t of texts) analyze(t, { model });
    } else if (what === 'entities') {
      for (let k = 0; k < 3; k++) for (const t of texts) recognizeEntities(t, { model });
    } else if (what === 'rules') {
      // entity recognition with a tagger that finds nothing: the rule layers and the document pass alone
      for (let k = 0; k < 3; k++) for (const t of texts) recognizeEntities(t, { model: () => [] });
    } else {
      for (let k = 0; k < 3; k++) for (const t of texts) tagDocument(model as never, t);
    }
  } else if (what === 'incremental') {
    const model = loadTaggerModel(readModelBytes(root));
    const text0 = buildSource(corpus, ONE_MB);
    const engine = new ChunkedEngine();
    engine.analyze('p', text0, undefined, { model });
    await start();
    const t1 = performance.now();
    let text = text0;
    for (let i = 0; i < 40; i++) {
      const p = 1000 + ((Math.floor(i / 2) * 104_729) % (text0.length - 2000));
      const edit = i % 2 === 0 ? { offset: p, length: 0, text: 'e' } : { offset: p, length: 1, text: '' };
      text = text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length);
      engine.analyze('p', text, [edit], { model });
    }
    console.error(`edits: ${((performance.now() - t1) / 40).toFixed(1)} ms each`);
  } else if (what === 'anchoring') {
    const text = buildSource(corpus, ONE_MB);
    const anns = makeAnnotations(text, 10_000);
    const edited = applyEdits(text, makeOutsideEdits(text, anns, 100));
    await start();
    for (let k = 0; k < 10; k++) reanchor(edited, anns.map((a) => a.target));
  } else if (what === 'sidecar-load' || what === 'sidecar-save') {
    const text = buildSource(corpus, ONE_MB);
    const anns = makeAnnotations(text, 10_000);
    const data = { version: 1, source: 'a.txt', annotations: anns, corrections: [] };
    // The codec's own (canonical) output, as a sidecar Marginalia wrote; `--yaml`: yaml.stringify's.
    const yamlText = process.argv.includes('--yaml') ? stringify(data, { lineWidth: 0 }) : serializeSidecar(data as never);
    const parsed = parseSidecar(yamlText, { maxBytes: 1 << 26 });
    if (!parsed.ok) throw new Error(parsed.error.message);
    await start();
    if (what === 'sidecar-load') parseSidecar(yamlText, { maxBytes: 1 << 26 });
    else serializeSidecar(parsed.value.sidecar, parsed.value.doc);
  }
  const ms = performance.now() - t0;
  const { profile } = (await post('Profiler.stop')) as { profile: Profile };
  const file = join(tmpdir(), `marginalia-${what}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
  console.log(`${what}: ${ms.toFixed(0)} ms profiled → ${file}`);
  console.log(summarizeProfile([profile], top));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
