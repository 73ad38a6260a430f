/**
 * Property tests in `npm test` run with a fixed fast-check seed, so a run is reproducible and CI
 * fails only on a real change. `npm run fuzz` explores fresh random seeds with many more runs;
 * `MARGINALIA_FC_SEED=random npm run test:unit` does the same here, `MARGINALIA_FC_SEED=<n>` replays one.
 */
import fc from 'fast-check';

const raw = process.env.MARGINALIA_FC_SEED ?? '20261128';
if (raw !== 'random') {
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`MARGINALIA_FC_SEED must be an integer or "random", not ${raw}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
