/**
 * npm run train (second step) — or: tsx scripts/train-attribution.ts [options]
 *
 * Trains the attribution cue classifier (src/core/quotes/attributionTrain.ts) on PolNeAR train
 * (../shared/data/polnear-train.jsonl, 840 articles; see that folder's README for provenance and
 * terms) and writes media/model/attribution.json, which the core bundles. Deterministic: the same
 * data give the same file.
 *
 * Options:
 *   --data FILE      training data (default ../shared/data/polnear-train.jsonl)
 *   --first N        train on the first N documents only (e.g. 700, holding out the rest as a second dev set)
 *   --out FILE       where to write (default media/model/attribution.json)
 *   --epochs N       perceptron epochs (default 10)
 *   --threshold X    decision threshold on the (scaled) score (default 0)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { trainCueModel, type CueTrainDoc } from '../src/core/quotes/attributionTrain';
import { numberOption, parseOptions } from './lib/args';

function main(): void {
  const { values } = parseOptions({ data: { type: 'string' }, first: { type: 'string' }, out: { type: 'string' }, epochs: { type: 'string' }, threshold: { type: 'string' } });
  const data = resolve(values.data ?? resolve(__dirname, '../../shared/data/polnear-train.jsonl'));
  const out = resolve(values.out ?? resolve(__dirname, '../media/model/attribution.json'));
  if (!existsSync(data)) {
    console.error(`training data not found: ${data}`);
    process.exit(2);
  }
  let docs = readFileSync(data, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CueTrainDoc);
  if (values.first !== undefined) docs = docs.slice(0, numberOption(values.first, 'first', 0, { integer: true, positive: true }));
  const t0 = performance.now();
  const model = trainCueModel(docs, {
    epochs: numberOption(values.epochs, 'epochs', 10, { integer: true, positive: true }),
    threshold: numberOption(values.threshold, 'threshold', 0),
    trainedOn: `PolNeAR v1.0.0 train (${docs.length} articles, cue spans of their attributions)`,
    log: (m) => console.log(m),
  });
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${out} (${Object.keys(model.weights).length} weights, ${model.candidates.length} candidate words) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
