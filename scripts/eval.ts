/**
 * npm run eval -- [options] FILE.jsonl...
 *
 * Scores the entity recogniser (and, for documents with `quotes`, the quotation finder) on JSON
 * Lines files in the format of ../shared/data/README.md. Prints a table per file and writes JSON.
 * Files whose quotes carry `indirect` (PolNeAR attributions, e.g. polnear-dev.jsonl) are also scored
 * as attributions (src/core/eval/attributions.ts: reported speech and quotations, 30 % coverage);
 * the quotation-mark view (e.g. polnear-dev.quotes.jsonl) scores quotation-mark quotes only.
 *
 * Options:
 *   --types person,organization,place   score only these types (e.g. CoNLL on PER/ORG/LOC)
 *   --drop-orig ORDINAL,DURATION         drop gold entities with these source labels
 *   --out eval-results/eval.json         where to write the JSON (default shown)
 *   --model media/model/ner.bin          the tagger's weights (default; rules only when absent)
 *   --no-model                           do not load a model
 *   --errors                             print error examples
 *   --limit N                            only the first N documents of each file
 *   --no-quotes                          skip quotation and attribution scoring
 *   --no-learning-curve                  skip the learning curve (scripts/lib/learningCurve.ts: a
 *                                        simulated reader writes corrections into sidecars; runs
 *                                        by default, also with no FILE, when ../shared/data is there)
 *   --no-fidelity                        skip the quotation-fidelity section (runs by default, also
 *                                        with no FILE; skipped when ../shared/data is absent)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyze } from '../src/core/analyze';
import { formatEntityErrors, formatEntityScores, scoreEntities, type EntityDoc, type EntityScores } from '../src/core/eval/entities';
import { formatAttributionErrors, formatAttributionScores, scoreAttributions, type AttributionScores } from '../src/core/eval/attributions';
import { formatQuoteErrors, formatQuoteScores, scoreQuotes, type QuoteDoc, type QuoteScores } from '../src/core/eval/quotes';
import type { Quote } from '../src/core/types';
import { runQuoteFidelity } from './lib/quoteFidelity';
import { runLearningCurves } from './lib/learningCurve';
import { numberOption, parseOptions } from './lib/args';

/** Reads the tagger's weights and turns them into `EntityOptions.model` via the tagger module's loader. */
type Loader = (bytes: Uint8Array) => unknown;

async function loadModelFile(path: string): Promise<unknown> {
  const bytes = new Uint8Array(readFileSync(path));
  let mod: Record<string, unknown>;
  try {
    const spec = '../src/core/ner/tagger/index';
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    console.error(`cannot load the tagger module: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  for (const name of ['loadModel', 'loadTaggerModel', 'decodeModel', 'readModel']) {
    const fn = mod[name];
    if (typeof fn === 'function') return (fn as Loader)(bytes);
  }
  console.error('the tagger module exports no model loader (loadModel)');
  return undefined;
}

interface Args {
  files: string[];
  types?: string[];
  dropOrig: string[];
  out: string;
  model?: string;
  errors: boolean;
  limit?: number;
  quotes: boolean;
  fidelity: boolean;
  curve: boolean;
}

function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseOptions({
    types: { type: 'string' }, 'drop-orig': { type: 'string' }, out: { type: 'string' }, model: { type: 'string' },
    'no-model': { type: 'boolean' }, errors: { type: 'boolean' }, limit: { type: 'string' }, 'no-quotes': { type: 'boolean' },
    'no-fidelity': { type: 'boolean' }, 'no-learning-curve': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, { positionals: true, argv });
  if (values.help) {
    console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
    process.exit(0);
  }
  const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const a: Args = {
    files: positionals,
    dropOrig: list(values['drop-orig']),
    out: values.out ?? 'eval-results/eval.json',
    model: values['no-model'] ? undefined : values.model ?? 'media/model/ner.bin',
    errors: values.errors ?? false,
    quotes: !values['no-quotes'],
    fidelity: !values['no-fidelity'],
    curve: !values['no-learning-curve'],
  };
  if (values.types !== undefined) a.types = list(values.types);
  if (values.limit !== undefined) a.limit = numberOption(values.limit, 'limit', 0, { integer: true, positive: true });
  return a;
}

interface Doc extends EntityDoc {
  silver?: boolean;
  entities_missing?: boolean;
  quotes?: (QuoteDoc['quotes'][number] & { indirect?: boolean })[];
  date?: string;
}

interface FileResult {
  path: string;
  docs: number;
  silver: boolean;
  skipped: number;
  seconds: number;
  entities: EntityScores;
  quotes?: QuoteScores;
  attributions?: AttributionScores;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.files.length === 0 && !args.fidelity && !args.curve) {
    console.error('usage: npm run eval -- [--types a,b] [--out FILE] [--errors] FILE.jsonl...');
    process.exit(2);
  }
  let model: unknown;
  if (args.model && existsSync(args.model)) {
    model = await loadModelFile(resolve(args.model));
    console.log(model ? `model: ${args.model}` : `model: ${args.model} present but no loader available — rules only`);
  } else console.log('model: none (interim rules and gazetteers)');
  if (args.types) console.log(`types: ${args.types.join(', ')}`);

  const results: FileResult[] = [];
  for (const file of args.files) {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    let docs: Doc[] = lines.map((l) => JSON.parse(l) as Doc);
    if (args.limit) docs = docs.slice(0, args.limit);
    const skipped = docs.filter((d) => d.entities_missing).length;
    const scored = docs.filter((d) => !d.entities_missing);
    const silver = docs.some((d) => d.silver);
    const t0 = performance.now();
    const analyses = docs.map((d) => analyze(d.text, { model, documentDate: typeof d.date === 'string' ? d.date : undefined }));
    const seconds = (performance.now() - t0) / 1000;
    const byDoc = new Map(docs.map((d, i) => [d, analyses[i]]));
    const entities = scoreEntities(
      scored,
      scored.map((d) => byDoc.get(d)!.mentions),
      { types: args.types, dropOrig: args.dropOrig },
    );
    const res: FileResult = { path: file, docs: docs.length, silver, skipped, seconds, entities };
    const withQuotes = docs.filter((d) => Array.isArray(d.quotes) && d.quotes.length > 0);
    if (args.quotes && withQuotes.length > 0) {
      const qdocs: QuoteDoc[] = withQuotes.map((d) => ({ id: d.id, text: d.text, quotes: d.quotes ?? [] }));
      // the quotation-mark view: reported statements (kind `indirect`) are not quotations
      const qpred: Quote[][] = withQuotes.map((d) => byDoc.get(d)!.quotes.filter((q) => q.kind !== 'indirect'));
      const attributionData = withQuotes.some((d) => (d.quotes ?? []).some((q) => typeof q.indirect === 'boolean'));
      if (attributionData) {
        res.attributions = scoreAttributions(
          withQuotes.map((d) => ({ id: d.id, text: d.text, quotes: d.quotes ?? [] })),
          withQuotes.map((d) => byDoc.get(d)!.quotes),
        );
      }
      res.quotes = scoreQuotes(qdocs, qpred);
    }
    results.push(res);
    const label = `${file}${silver ? ' [SILVER: machine-made labels]' : ' [gold]'}${skipped ? ` (${skipped} docs without entities skipped)` : ''}`;
    console.log(`\n${formatEntityScores(entities, label)}`);
    console.log(`  time: ${seconds.toFixed(2)} s for ${docs.length} docs`);
    if (res.quotes) console.log(formatQuoteScores(res.quotes, '  quotations').replace(/^/gm, ''));
    if (res.attributions) console.log(formatAttributionScores(res.attributions, '  attributions'));
    if (args.errors) {
      console.log(formatEntityErrors(entities));
      if (res.quotes) console.log(formatQuoteErrors(res.quotes));
      if (res.attributions) console.log(formatAttributionErrors(res.attributions));
    }
  }
  const quoteFidelity = args.fidelity ? runQuoteFidelity(model, undefined, 200, args.errors) : undefined;
  const learningCurves = args.curve ? (await runLearningCurves(model && args.model ? resolve(args.model) : undefined)).map(({ name, docs, firstHalf, secondHalf, errors, points }) => ({ name, docs, firstHalf, secondHalf, errors, points: points.map(({ mentions: _m, ...p }) => p) })) : undefined;
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify({ date: new Date().toISOString(), options: { types: args.types ?? null, dropOrig: args.dropOrig, model: model ? args.model : null }, files: results, quoteFidelity: quoteFidelity ?? null, learningCurves: learningCurves ?? null }, null, 2));
  console.log(`\nwrote ${args.out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
