/**
 * `npm run fuzz`: every fuzzing property of test/unit/fuzz/properties.ts at its full count
 * (≥ 100,000 cases in total), printing the cases and time per property and the total.
 *
 *   npm run fuzz                       all properties, full counts
 *   npm run fuzz -- --scale=0.1        a tenth of each count
 *   npm run fuzz -- --only=codec       properties whose name matches
 *   npm run fuzz -- --seed=42          replay with a seed (fast-check prints it on failure)
 *
 * Exit status 1 on the first failing property (its counterexample and seed are printed).
 */
import fc from 'fast-check';
import { PROPERTIES } from '../test/unit/fuzz/properties';
import { LARGE_CASES } from '../test/unit/adversarial/large';
import { numberOption, parseOptions } from './lib/args';

const { values } = parseOptions({ scale: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' } });
const scale = numberOption(values.scale, 'scale', 1, { positive: true });
const only = values.only ? new RegExp(values.only, 'i') : undefined;
const seed = values.seed !== undefined ? numberOption(values.seed, 'seed', 0, { integer: true }) : undefined;

let total = 0;
let failed = 0;
const t0 = performance.now();
for (const p of PROPERTIES) {
  if (only && !only.test(p.name)) continue;
  const runs = Math.max(1, Math.round(p.fuzzRuns * scale));
  const t = performance.now();
  try {
    fc.assert(p.property() as fc.IProperty<unknown>, { numRuns: runs, ...(seed !== undefined ? { seed } : {}) });
    total += runs;
    console.log(`${String(runs).padStart(7)} cases  ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s  ✓ ${p.name}`);
  } catch (err) {
    failed++;
    const e = err as Error & { cause?: unknown };
    console.log(`${String(runs).padStart(7)} cases  ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s  ✗ ${p.name}`);
    console.log(e.message.slice(0, 4000));
    if (e.cause instanceof Error) console.log(`caused by: ${e.cause.message.slice(0, 4000)}`);
  }
}
// The largest adversarial inputs (linear time, bounded stack): too heavy for `npm test`.
for (const c of LARGE_CASES) {
  if (only && !only.test(c.name)) continue;
  const t = performance.now();
  try {
    c.run();
    total++;
    console.log(`${'1'.padStart(7)} case   ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s  ✓ ${c.name}`);
  } catch (err) {
    failed++;
    console.log(`${'1'.padStart(7)} case   ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s  ✗ ${c.name}`);
    console.log(String((err as Error).stack ?? err).slice(0, 4000));
  }
}
console.log(`total: ${total} cases passed in ${((performance.now() - t0) / 1000).toFixed(1)} s${failed ? `, ${failed} propert${failed === 1 ? 'y' : 'ies'} FAILED` : ''}`);
process.exitCode = failed ? 1 : 0;
