/**
 * npm run train -- [entity-model options and files]
 *
 * Trains both shipped models: the entity tagger (scripts/train.ts, given every argument, as before)
 * and then the attribution cue classifier (scripts/train-attribution.ts, on
 * ../shared/data/polnear-train.jsonl; skipped with --no-attribution, or when that file is absent).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const skipAttribution = args.includes('--no-attribution');
const nerArgs = args.filter((a) => a !== '--no-attribution');
const tsx = resolve(__dirname, '../node_modules/.bin/tsx');
const run = (script: string, a: string[]): void => {
  const r = spawnSync(tsx, [resolve(__dirname, script), ...a], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('train.ts', nerArgs);
if (skipAttribution) process.exit(0);
if (!existsSync(resolve(__dirname, '../../shared/data/polnear-train.jsonl'))) {
  console.log('attribution model: ../shared/data/polnear-train.jsonl not found, not retrained');
  process.exit(0);
}
run('train-attribution.ts', []);
