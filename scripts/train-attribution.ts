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

function main(): void {
  const args = process.argv.slice(2);
  const val = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const data = resolve(val('data') ?? resolve(__dirname, '../../shared/data/polnear-train.jsonl'));
  const out = resolve(val('out') ?? resolve(__dirname, '../media/model/attribution.json'));
  if (!existsSync(data)) {
    console.error(`training data not found: ${data}`);
    process.exit(2);
  }
  let docs = readFileSync(data, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CueTrainDoc);
  const first = val('first');
  if (first) docs = docs.slice(0, Number(first));
  const t0 = performance.now();
  const model = trainCueModel(docs, {
    epochs: Number(val('epochs') ?? 10),
    threshold: Number(val('threshold') ?? 0),
    trainedOn: `PolNeAR v1.0.0 train (${docs.length} articles, cue spans of their attributions)`,
    log: (m) => console.log(m),
  });
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${out} (${Object.keys(model.weights).length} weights, ${model.candidates.length} candidate words) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
