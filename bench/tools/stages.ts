/**
 * Inclusive time per stage of entity recognition over the bench corpus (each stage run on its own
 * over every paragraph, best of N passes), to see where a token's microseconds go:
 *   npx tsx bench/tools/stages.ts [--passes=5]
 */
import { resolve } from 'node:path';
import { loadCorpus } from '../lib/corpus';
import { readModelBytes } from '../lib/project';
import { recognizeEntities } from '../../src/core/ner';
import { findBoilerplate } from '../../src/core/ner/boilerplate';
import { findDates } from '../../src/core/ner/dates';
import { findNumbers } from '../../src/core/ner/numbers';
import { recognizeParagraph } from '../../src/core/ner/paragraph';
import { compileDictionary } from '../../src/core/ner/dictionary';
import { documentContextFor, taggerFor } from '../../src/core/ner/names';
import { loadTaggerModel, prepareParagraphs, tagPrepared } from '../../src/core/ner/tagger';
import { splitParagraphs } from '../../src/core/text/paragraphs';
import { tokenize } from '../../src/core/text/tokenize';

const root = resolve(__dirname, '..', '..');
const passes = Number(process.argv.find((a) => a.startsWith('--passes='))?.slice(9) ?? 5);
const corpus = loadCorpus(root);
const texts = corpus.docs.map((d) => d.text);
const model = loadTaggerModel(readModelBytes(root));
const paras = texts.map((t) => splitParagraphs(t).map((s) => t.slice(s.start, s.end)));
const dict = compileDictionary(undefined);
const tagger = taggerFor(model);
const none = taggerFor(() => []);

function time(name: string, fn: () => void): void {
  let best = Infinity;
  for (let k = 0; k < passes; k++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  const us = (best * 1000) / corpus.tokens;
  console.log(`${name.padEnd(44)} ${best.toFixed(1).padStart(8)} ms  ${us.toFixed(2).padStart(6)} µs/tok  ${Math.round(corpus.tokens / (best / 1000)).toLocaleString('en-US').padStart(10)} tok/s`);
}

console.log(`${corpus.docs.length} docs, ${corpus.tokens} tokens`);
time('recognizeEntities', () => texts.forEach((t) => recognizeEntities(t, { model })));
time('recognizeEntities, tagger finds nothing', () => texts.forEach((t) => recognizeEntities(t, { model: () => [] })));
time('split paragraphs', () => texts.forEach((t) => splitParagraphs(t).map((s) => t.slice(s.start, s.end))));
time('tokenize paragraphs', () => paras.forEach((ps) => ps.forEach((p) => tokenize(p))));
time('prepareParagraphs (tokenize+atoms+ctx)', () => paras.forEach((ps) => prepareParagraphs(model, ps)));
time('prepare + tag', () =>
  paras.forEach((ps) => {
    const pp = prepareParagraphs(model, ps)!;
    for (const p of ps) tagPrepared(model, pp, p);
  }),
);
time('boilerplate', () => paras.forEach((ps) => ps.forEach((p) => findBoilerplate(p))));
time('dates', () => paras.forEach((ps) => ps.forEach((p) => findDates(p))));
time('numbers', () => paras.forEach((ps) => ps.forEach((p) => findNumbers(p))));
time('recognizeParagraph, tagger finds nothing', () => paras.forEach((ps) => ps.forEach((p) => recognizeParagraph(p, none, dict, true))));
time('prepare + recognizeParagraph (model)', () =>
  paras.forEach((ps, i) => {
    const ctx = documentContextFor(model, texts[i], ps);
    for (const p of ps) recognizeParagraph(p, tagger, dict, true, ctx);
  }),
);
