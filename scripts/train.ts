/**
 * Train the name tagger and write the compact model.
 *
 *   npm run train -- ../shared/data/conll2003-train.jsonl [more.jsonl...] \
 *     [--dev ../shared/data/conll2003-dev.jsonl] [--out media/model/ner.bin] [--epochs 8] [--bits 18]
 *     [--seed 1] [--two-stage [--folds 4]] [--limit N] [--no-consistency]
 *   npm run train -- --eval-only MODEL.bin --dev FILE.jsonl     (score a model file)
 *
 * The shipped media/model/ner.bin is exactly `npm run train -- ../shared/data/conll2003-train.jsonl`
 * (defaults: 8 epochs, 2^18 hashed feature rows, seed 1, one stage).
 *
 * Input: JSON Lines in the format of ../shared/data/README.md (`text` + `entities` with UTF-16
 * offsets; types person/organization/place/misc are learned, others ignored). Deterministic: the
 * same files and options give byte-identical weights. With --dev, prints exact-span P/R/F1 of the
 * saved (quantised) model over person/organization/place (MISC excluded from the micro score).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { applyConsistency, loadTaggerModel, prepareDocument, tagNames, type TaggerModel } from '../src/core/ner/tagger';
import { encodeModel } from '../src/core/ner/tagger/model';
import { train, type TrainDoc } from '../src/core/ner/tagger/train';
import { tokenize } from '../src/core/text/tokenize';

interface Args {
  files: string[];
  dev?: string;
  out: string;
  epochs: number;
  bits: number;
  twoStage: boolean;
  folds: number;
  seed: number;
  limit?: number;
  consistency: boolean;
  evalOnly?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], out: 'media/model/ner.bin', epochs: 8, bits: 18, twoStage: false, folds: 4, seed: 1, consistency: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${x} needs a value`);
      return v;
    };
    if (x === '--dev') a.dev = next();
    else if (x === '--out') a.out = next();
    else if (x === '--epochs') a.epochs = Number(next());
    else if (x === '--bits') a.bits = Number(next());
    else if (x === '--folds') a.folds = Number(next());
    else if (x === '--seed') a.seed = Number(next());
    else if (x === '--limit') a.limit = Number(next());
    else if (x === '--one-stage') a.twoStage = false;
    else if (x === '--two-stage') a.twoStage = true;
    else if (x === '--no-consistency') a.consistency = false;
    else if (x === '--eval-only') a.evalOnly = next();
    else if (x === '-h' || x === '--help') {
      console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else if (x.startsWith('--')) throw new Error(`unknown option ${x}`);
    else a.files.push(x);
  }
  return a;
}

function readJsonl(file: string): TrainDoc[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TrainDoc);
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

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.evalOnly) {
    if (!args.dev) throw new Error('--eval-only MODEL needs --dev FILE');
    const model = loadTaggerModel(new Uint8Array(readFileSync(args.evalOnly)));
    const ev = evaluate(model, readJsonl(args.dev), args.consistency);
    console.log(ev.table);
    console.log(`${ev.tokens} tokens in ${ev.seconds.toFixed(2)} s = ${Math.round(ev.tokens / ev.seconds)} tokens/s (tokenize + tag${args.consistency ? ' + consistency' : ''})`);
    return;
  }
  if (!args.files.length) throw new Error('usage: npm run train -- TRAIN.jsonl... [--dev DEV.jsonl] [--out media/model/ner.bin]');
  let docs: TrainDoc[] = [];
  for (const f of args.files) docs.push(...readJsonl(f));
  if (args.limit) docs = docs.slice(0, args.limit);
  const dev = args.dev ? readJsonl(args.dev) : undefined;
  const t0 = Date.now();
  const stages = train(docs, { bits: args.bits, epochs: args.epochs, seed: args.seed, twoStage: args.twoStage, folds: args.folds, dev, log: (m) => console.log(m) });
  const meta = {
    trainedOn: args.files.map((f) => f.replace(/^.*[\\/]/, '')),
    epochs: args.epochs,
    bits: args.bits,
    seed: args.seed,
    stages: stages.length,
    folds: args.twoStage ? args.folds : 0,
    documents: docs.length,
    averagedPerceptron: true,
  };
  const bytes = encodeModel(stages, meta);
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`wrote ${args.out}: ${bytes.length} bytes (${gzipSync(bytes, { level: 9 }).length} gzipped) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (dev) {
    const model = loadTaggerModel(bytes);
    const ev = evaluate(model, dev, args.consistency);
    console.log(`dev (${args.dev}), saved model, exact spans:`);
    console.log(ev.table);
    console.log(`${ev.tokens} tokens in ${ev.seconds.toFixed(2)} s = ${Math.round(ev.tokens / ev.seconds)} tokens/s`);
  }
}

main();
