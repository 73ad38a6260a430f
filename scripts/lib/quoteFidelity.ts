/**
 * The quotation-fidelity section of `npm run eval`: real texts
 * from ../shared/data/polnear-dev.quotes.jsonl (PolNeAR dev, with its quote-marked spans) become
 * the primary sources; `makeFidelityCases` (src/core/eval/quotecheck.ts) makes quotations from their
 * sentences and quotations with one perturbation each; the quotations are laid out in articles and
 * run through the real pipeline — `analyzeSource` finds them, `QuoteIndex` checks them, as
 * `marginalia quotes` does. Prints accuracy per status, the confusion matrix and the false-alarm rate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildFidelityArticles, formatFidelityScores, makeFidelityCases, scoreFidelity, type FidelityDoc, type FidelityScores } from '../../src/core/eval/quotecheck';
import { analyzeSource } from '../../src/core/project/analyze';
import { QuoteIndex, type QuoteStatus } from '../../src/core/quotecheck';

export const FIDELITY_DATA = resolve(__dirname, '..', '..', '..', 'shared', 'data', 'polnear-dev.quotes.jsonl');

export interface FidelityResult extends FidelityScores {
  data: string;
  primaries: number;
  articles: number;
  seconds: number;
}

/** Runs the section; undefined (after saying so) when the data is absent. */
export function runQuoteFidelity(model: unknown, file = FIDELITY_DATA, perKind = 200, errors = false): FidelityResult | undefined {
  console.log('\n== quotation fidelity (marginalia quotes) ==');
  if (!existsSync(file)) {
    console.log(`  skipped: ${file} is absent (the eval data is not in this checkout)`);
    return undefined;
  }
  const docs = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as FidelityDoc);
  const t0 = performance.now();
  const { cases, primaries } = makeFidelityCases(docs, { perKind, seed: 7 });
  const index = new QuoteIndex();
  for (const d of primaries) index.setSource(`primary/${d.id}.txt`, { text: d.text, primary: true });
  const articles = buildFidelityArticles(cases);
  const predicted: (QuoteStatus | null)[] = cases.map(() => null);
  for (const a of articles) {
    const analysis = analyzeSource(a.text, model === undefined ? {} : { model });
    index.setSource(a.path, { text: a.text, primary: false, quotes: analysis.quotes });
  }
  for (const a of articles) {
    const results = index.check(a.path);
    for (const sp of a.spans) {
      const r = results.find((x) => x.start < sp.end && sp.start < x.end);
      predicted[sp.index] = r ? r.status : null;
    }
  }
  const scores = scoreFidelity(cases, predicted);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  primary sources: ${primaries.length} PolNeAR dev texts; ${docs.length - primaries.length} held out for fabrications; ${articles.length} generated articles`);
  console.log(formatFidelityScores(scores, '  quotation fidelity').replace(/\n/g, '\n'));
  console.log(`  time: ${seconds.toFixed(2)} s`);
  if (errors) for (const e of scores.errors) console.log(`  ✗ ${e.kind}: expected ${e.expected}, got ${e.predicted}: ${e.text}`);
  return { ...scores, data: file, primaries: primaries.length, articles: articles.length, seconds };
}
