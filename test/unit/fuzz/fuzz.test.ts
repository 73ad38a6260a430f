// The fuzzing properties at a small count (MARGINALIA_FUZZ_RUNS per property, default 40) so the
// unit suite stays fast; `npm run fuzz` runs the same properties ≥ 100,000 times in total.
import fc from 'fast-check';
import { PROPERTIES } from './properties';

const RUNS = Math.max(1, Number(process.env.MARGINALIA_FUZZ_RUNS ?? '') || 40);

describe(`fuzzing properties (fast-check, ${RUNS} runs each; npm run fuzz for the full count)`, function () {
  this.timeout(120_000);
  for (const p of PROPERTIES) {
    it(p.name, () => {
      fc.assert(p.property() as fc.IProperty<unknown>, { numRuns: RUNS });
    });
  }
});
