/**
 * Workloads to profile with `node --cpu-prof`, one per missed goal:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/tools/profile-target.ts WORKLOAD
 *   npx tsx bench/tools/profile-summary.ts /tmp/prof/<file>.cpuprofile
 * WORKLOAD: analyze | tagger | incremental | anchoring | sidecar-load | sidecar-save
 */
import { resolve } from 'node:path';
import { loadCorpus, subset } from '../lib/corpus';
import { applyEdits, makeAnnotations, makeOutsideEdits, ONE_MB } from '../lib/fixtures';
import { buildSource } from '../lib/corpus';
import { loadModel } from '../lib/project';
import { stringify } from 'yaml';
import { analyze } from '../../src/core/analyze';
import { reanchor } from '../../src/core/anchor';
import { tagDocument } from '../../src/core/ner/tagger';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar/codec';
import { ChunkedEngine } from '../../src/host/live/chunked';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const what = process.argv[2] ?? 'analyze';
  const corpus = loadCorpus(root);
  const t0 = performance.now();
  if (what === 'analyze' || what === 'tagger') {
    const model = await loadModel(root);
    const texts = subset(corpus, 40_000).docs.map((d) => d.text);
    if (what === 'analyze') {
      for (let k = 0; k < 3; k++) for (const t of texts) analyze(t, { model });
    } else {
      for (let k = 0; k < 3; k++) for (const t of texts) tagDocument(model as never, t);
    }
  } else if (what === 'incremental') {
    const model = await loadModel(root);
    const text0 = buildSource(corpus, ONE_MB);
    const engine = new ChunkedEngine();
    engine.analyze('p', text0, undefined, { model });
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
    for (let k = 0; k < 10; k++) reanchor(edited, anns.map((a) => a.target));
  } else if (what === 'sidecar-load' || what === 'sidecar-save') {
    const text = buildSource(corpus, ONE_MB);
    const anns = makeAnnotations(text, 10_000);
    const data = { version: 1, source: 'a.txt', annotations: anns, corrections: [] };
    const yamlText = stringify(data, { lineWidth: 0 });
    const parsed = parseSidecar(yamlText, { maxBytes: 1 << 26 });
    if (!parsed.ok) throw new Error(parsed.error.message);
    if (what === 'sidecar-load') parseSidecar(yamlText, { maxBytes: 1 << 26 });
    else serializeSidecar(parsed.value.sidecar, parsed.value.doc);
  }
  console.error(`${what}: ${(performance.now() - t0).toFixed(0)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
