/**
 * Train the name tagger and write the compact model.
 *
 *   npm run train                      (the shipped model: the recipe below, from ../shared/data)
 *   npm run train -- TRAIN.jsonl[@FROM:TO][*WEIGHT][+nomisc]... \
 *     [--dev FILE.jsonl[@FROM:TO]]... [--out media/model/ner.bin] [--epochs 8] [--bits 18]
 *     [--seed 1] [--two-stage [--folds 4]] [--limit N] [--no-consistency]
 *     [--no-clusters] [--cluster-text FILE.jsonl]... [--cluster-words 30000]
 *     [--prune 0.7] [--prune-sweep 0.5,0.7,0.8]
 *   npm run train -- --eval-only MODEL.bin --dev FILE.jsonl...     (score a model file)
 *
 * The shipped media/model/ner.bin is exactly `npm run train` with no arguments: the files and
 * options of {@link RECIPE} (see the README's "The model's training data" for the licences).
 * `@FROM:TO` takes a fraction of a file's documents (in file order; the rest stays a held-out dev
 * slice), `*WEIGHT` scales its sentences' perceptron updates, `+nomisc` marks a corpus without a
 * MISC class (a predicted MISC span over its O tokens is not an error). Word clusters (clusters.ts) are
 * built from the training texts (plus --cluster-text) and shipped inside the model file.
 *
 * Input: JSON Lines in the format of ../shared/data/README.md (`text` + `entities` with UTF-16
 * offsets; types person/organization/place/misc are learned, others ignored). Deterministic: the
 * same files and options give byte-identical weights. With --dev, prints exact-span P/R/F1 of the
 * saved (quantised) model over person/organization/place (MISC excluded from the micro score).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { applyConsistency, loadTaggerModel, prepareDocument, tagNames, type TaggerModel } from '../src/core/ner/tagger';
import { buildClusters } from '../src/core/ner/tagger/clusters';
import { encodeModel, type FloatStage } from '../src/core/ner/tagger/model';
import { train, type TrainDoc } from '../src/core/ner/tagger/train';
import { tokenize } from '../src/core/text/tokenize';
import { numberOption, parseOptions } from './lib/args';

interface Args {
  files: string[];
  dev: string[];
  out: string;
  epochs: number;
  bits: number;
  twoStage: boolean;
  folds: number;
  seed: number;
  limit?: number;
  consistency: boolean;
  evalOnly?: string;
  /** Build word clusters from the training texts (plus clusterText) and ship them in the model. */
  clusters: boolean;
  clusterText: string[];
  clusterWords: number;
  /** Drop this fraction of the non-zero feature weights, the smallest in magnitude (size budget). */
  prune: number;
  /** Report dev scores and sizes for these prune fractions too (model selection). */
  pruneSweep: number[];
}

/** The shipped model's recipe (files under ../shared/data; chosen on dev, see the README). */
export const RECIPE = {
  files: ['conll2003-train.jsonl', 'uner-en-ewt-train.jsonl@0:0.9*0.3', 'btc-train.jsonl@0:0.9*0.3', 'wnut17-train.jsonl@0:0.9*0.3', 'sec-filings-train.jsonl*0.5'],
  dev: ['conll2003-dev.jsonl', 'uner-en-ewt-train.jsonl@0.9:1', 'btc-train.jsonl@0.9:1', 'wnut17-train.jsonl@0.9:1', 'polnear-dev.jsonl'],
  epochs: 8,
  prune: 0.7,
};

/** Whether the option was given at all (the recipe fills in only what was not). */
const given = new Set<string>();

function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseOptions({
    dev: { type: 'string', multiple: true }, out: { type: 'string' }, epochs: { type: 'string' }, bits: { type: 'string' },
    folds: { type: 'string' }, seed: { type: 'string' }, limit: { type: 'string' }, 'one-stage': { type: 'boolean' },
    'two-stage': { type: 'boolean' }, 'no-consistency': { type: 'boolean' }, 'no-clusters': { type: 'boolean' },
    'cluster-text': { type: 'string', multiple: true }, 'cluster-words': { type: 'string' }, prune: { type: 'string' },
    'prune-sweep': { type: 'string' }, 'eval-only': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, { positionals: true, argv });
  if (values.help) {
    console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
    process.exit(0);
  }
  for (const k of Object.keys(values)) given.add(k);
  const fraction = (v: string | undefined, name: string, fallback: number): number => numberOption(v, name, fallback, { min: 0, max: 1 });
  const a: Args = {
    files: positionals,
    dev: values.dev ?? [],
    out: values.out ?? 'media/model/ner.bin',
    epochs: numberOption(values.epochs, 'epochs', 8, { integer: true, positive: true }),
    bits: numberOption(values.bits, 'bits', 18, { integer: true, min: 10, max: 24 }),
    twoStage: !!values['two-stage'] && !values['one-stage'],
    folds: numberOption(values.folds, 'folds', 4, { integer: true, min: 2 }),
    seed: numberOption(values.seed, 'seed', 1, { integer: true }),
    consistency: !values['no-consistency'],
    clusters: !values['no-clusters'],
    clusterText: values['cluster-text'] ?? [],
    clusterWords: numberOption(values['cluster-words'], 'cluster-words', 30000, { integer: true, positive: true }),
    prune: fraction(values.prune, 'prune', 0),
    pruneSweep: (values['prune-sweep'] ?? '').split(',').filter((x) => x.trim()).map((x) => fraction(x, 'prune-sweep', 0)),
  };
  if (values.limit !== undefined) a.limit = numberOption(values.limit, 'limit', 0, { integer: true, positive: true });
  if (values['eval-only'] !== undefined) a.evalOnly = values['eval-only'];
  return a;
}

/**
 * A file spec: `PATH[@FROM:TO][*WEIGHT]` — the documents of PATH from fraction FROM to fraction TO
 * of the file (document order; `@0:0.9` = the first 90 %, the rest held out as a dev slice), each
 * sentence's updates weighted by WEIGHT (default 1).
 */
export function parseSpec(spec: string): { path: string; from: number; to: number; weight: number; noMisc: boolean } {
  const m = /^(.*?)(?:@([\d.]+):([\d.]+))?(?:\*([\d.]+))?(\+nomisc)?$/.exec(spec)!;
  return { path: m[1], from: m[2] ? Number(m[2]) : 0, to: m[3] ? Number(m[3]) : 1, weight: m[4] ? Number(m[4]) : 1, noMisc: !!m[5] };
}

function readJsonl(spec: string): TrainDoc[] {
  const { path, from, to, weight, noMisc } = parseSpec(spec);
  const docs = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TrainDoc);
  const out = docs.slice(Math.floor(docs.length * from), Math.floor(docs.length * to));
  if (weight !== 1) for (const d of out) d.weight = weight;
  if (noMisc) for (const d of out) d.noMisc = true;
  return out;
}

const LABEL_TYPE: Record<string, string> = { PER: 'person', ORG: 'organization', LOC: 'place', MISC: 'misc' };

/** Exact-span evaluation of the runtime tagger (quantised model) on gold documents. */
export function evaluate(model: TaggerModel, allDocs: TrainDoc[], consistency: boolean): { table: string; f1: number; tokens: number; seconds: number } {
  const counts: Record<string, [number, number, number]> = { person: [0, 0, 0], organization: [0, 0, 0], place: [0, 0, 0], misc: [0, 0, 0] };
  // documents whose entities are missing from the source (PolNeAR) are not scored
  const docs = allDocs.filter((d) => !(d as { entities_missing?: boolean }).entities_missing);
  let tokens = 0;
  const t0 = performance.now();
  const preds = docs.map((d) => {
    const tk = tokenize(d.text);
    tokens += tk.count;
    const doc = prepareDocument(model, tk);
    const spans = tagNames(model, tk, { doc });
    return consistency ? applyConsistency(tk, spans) : spans;
  });
  const seconds = (performance.now() - t0) / 1000;
  docs.forEach((d, k) => {
    const gold = new Set(d.entities.filter((e) => e.type in counts).map((e) => `${e.start}:${e.end}:${e.type}`));
    const pred = new Set(preds[k].map((s) => `${s.start}:${s.end}:${LABEL_TYPE[s.label]}`));
    for (const p of pred) counts[p.split(':')[2]][gold.has(p) ? 0 : 1]++;
    for (const g of gold) if (!pred.has(g)) counts[g.split(':')[2]][2]++;
  });
  const row = (name: string, [tp, fp, fn]: [number, number, number]): string => {
    const p = tp / Math.max(1, tp + fp);
    const r = tp / Math.max(1, tp + fn);
    const f = p + r ? (2 * p * r) / (p + r) : 0;
    return `${name.padEnd(14)} ${(100 * p).toFixed(2).padStart(6)} ${(100 * r).toFixed(2).padStart(6)} ${(100 * f).toFixed(2).padStart(6)}  (gold ${tp + fn})`;
  };
  const micro: [number, number, number] = [0, 0, 0];
  for (const t of ['person', 'organization', 'place']) for (let q = 0; q < 3; q++) micro[q] += counts[t][q];
  const p = micro[0] / Math.max(1, micro[0] + micro[1]);
  const r = micro[0] / Math.max(1, micro[0] + micro[2]);
  const lines = ['type               P      R     F1', ...Object.entries(counts).map(([k, v]) => row(k, v)), row('micro PER/ORG/LOC', micro)];
  return { table: lines.join('\n'), f1: p + r ? (2 * p * r) / (p + r) : 0, tokens, seconds };
}

/** The stage with the fraction `q` of its non-zero weights (the smallest in magnitude) set to 0. */
function pruned(st: FloatStage, q: number): FloatStage {
  if (q <= 0) return st;
  const abs: number[] = [];
  for (let k = 0; k < st.weights.length; k++) if (st.weights[k] !== 0) abs.push(Math.abs(st.weights[k]));
  abs.sort((x, y) => x - y);
  const cut = abs[Math.min(abs.length - 1, Math.floor(abs.length * q))];
  const weights = st.weights.map((w) => (Math.abs(w) < cut ? 0 : w));
  return { ...st, weights };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.evalOnly) {
    if (!args.dev.length) throw new Error('--eval-only MODEL needs --dev FILE');
    const model = loadTaggerModel(new Uint8Array(readFileSync(args.evalOnly)));
    for (const d of args.dev) {
      const ev = evaluate(model, readJsonl(d), args.consistency);
      console.log(`dev ${d}:`);
      console.log(ev.table);
      console.log(`${ev.tokens} tokens in ${ev.seconds.toFixed(2)} s = ${Math.round(ev.tokens / ev.seconds)} tokens/s (tokenize + tag${args.consistency ? ' + consistency' : ''})`);
    }
    return;
  }
  if (!args.files.length) {
    // the shipped model's recipe
    const data = resolve(__dirname, '..', '..', 'shared', 'data');
    args.files = RECIPE.files.map((f) => join(data, f));
    if (!args.dev.length) args.dev = RECIPE.dev.map((f) => join(data, f));
    if (!given.has('epochs')) args.epochs = RECIPE.epochs;
    if (!given.has('prune')) args.prune = RECIPE.prune;
    console.log(`recipe: ${RECIPE.files.join(' ')} (${args.epochs} epochs, prune ${args.prune})`);
  }
  let docs: TrainDoc[] = [];
  for (const f of args.files) docs.push(...readJsonl(f));
  if (args.limit) docs = docs.slice(0, args.limit);
  const dev = args.dev.length ? readJsonl(args.dev[0]) : undefined;
  const t0 = Date.now();
  let clusters: ReturnType<typeof buildClusters> | undefined;
  if (args.clusters) {
    const texts = docs.map((d) => d.text);
    for (const f of args.clusterText) texts.push(...readJsonl(f).map((d) => d.text));
    clusters = buildClusters(texts, { maxWords: args.clusterWords, seed: args.seed, log: (m) => console.log(m) });
    console.log(`clusters: ${clusters.keys.length} words in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const stages = train(docs, { bits: args.bits, epochs: args.epochs, seed: args.seed, twoStage: args.twoStage, folds: args.folds, dev, clusters, log: (m) => console.log(m) });
  const meta = {
    trainedOn: args.files.map((f) => f.replace(/^.*[\\/]/, '')),
    epochs: args.epochs,
    bits: args.bits,
    seed: args.seed,
    stages: stages.length,
    folds: args.twoStage ? args.folds : 0,
    documents: docs.length,
    averagedPerceptron: true,
    clusters: clusters ? { words: clusters.keys.length, depth: clusters.depth, text: [...args.files, ...args.clusterText].map((f) => f.replace(/^.*[\\/]/, '')) } : null,
  };
  for (const q of args.pruneSweep) {
    const b = encodeModel(stages.map((st) => pruned(st, q)), meta, clusters);
    const m = loadTaggerModel(b);
    const parts = args.dev.map((d) => `${d.replace(/^.*[\\/]/, '').replace(/\.jsonl/, '')} ${(100 * evaluate(m, readJsonl(d), args.consistency).f1).toFixed(2)}`);
    console.log(`prune ${q}: ${gzipSync(b, { level: 9 }).length} bytes gzipped; ${parts.join(', ')}`);
  }
  const bytes = encodeModel(args.prune ? stages.map((st) => pruned(st, args.prune)) : stages, { ...meta, prune: args.prune }, clusters);
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`wrote ${args.out}: ${bytes.length} bytes (${gzipSync(bytes, { level: 9 }).length} gzipped) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const model = loadTaggerModel(bytes);
  for (const d of args.dev) {
    const ev = evaluate(model, readJsonl(d), args.consistency);
    console.log(`dev ${d}, saved model, exact spans:`);
    console.log(ev.table);
    console.log(`${ev.tokens} tokens in ${ev.seconds.toFixed(2)} s = ${Math.round(ev.tokens / ev.seconds)} tokens/s`);
  }
}

main();
