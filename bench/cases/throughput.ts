/**
 * Recognition throughput on varied news text, tokens per second on one core (one Node thread).
 * Tokens are counted the same way for every engine: /\S+/ runs of the input text.
 *
 * Engines, all in the same run:
 * - floor: a trivial regex tokenizer pass (/\w+|[^\w\s]/g over the text), the cost of touching
 *   every token at all;
 * - our tokenizer (src/core/text/tokenize.ts), the tagger alone (tokenize + tag), entity
 *   recognition (`recognizeEntities`: the tagger plus the rule layers, dates, numbers and who is
 *   who — what the goal is about) and `analyze` (entities + quotations), as they ship: an esbuild
 *   bundle built in this run with the production build's options (`coreBundle`, bench/lib/child.ts). Entity
 *   recognition from the TypeScript sources through tsx is reported beside it;
 * - compromise: `nlp(text)` then `.people()`, `.places()`, `.organizations()` as arrays, its full
 *   named-entity pass. It is slow, so every engine is also measured on the same ~15k-token
 *   comparison sample and the ratio uses that sample.
 */
import { type BenchCase, type BenchContext, type Goal, type Metric, firstLine } from '../lib/harness';
import { rate, sample, sampleAsync } from '../lib/stats';
import { subset, type Corpus } from '../lib/corpus';
import { loadRecognizer, type Recognizer } from '../lib/project';
import { coreBundle } from '../lib/child';

const FLOOR = /\w+|[^\w\s]/g;

function floorPass(texts: string[]): number {
  let n = 0;
  for (const t of texts) {
    FLOOR.lastIndex = 0;
    while (FLOOR.exec(t) !== null) n++;
  }
  return n;
}

type Compromise = (text: string) => {
  people(): { out(f: 'array'): string[] };
  places(): { out(f: 'array'): string[] };
  organizations(): { out(f: 'array'): string[] };
};

async function loadCompromise(): Promise<Compromise> {
  const mod = (await import('compromise')) as unknown as { default: Compromise };
  return mod.default;
}

function compromisePass(nlp: Compromise, texts: string[]): number {
  let n = 0;
  for (const t of texts) {
    const doc = nlp(t);
    n += doc.people().out('array').length + doc.places().out('array').length + doc.organizations().out('array').length;
  }
  return n;
}

export const throughput: BenchCase = {
  id: 'throughput',
  title: 'Recognition throughput on news text (tokens/s, one core)',
  async run(ctx: BenchContext) {
    const full = ctx.corpus;
    const cmp = subset(full, 15_000);
    const metrics: Metric[] = [];
    const goals: Goal[] = [];
    const notes: string[] = [
      `corpus: ${full.origin}: ${full.docs.length} docs, ${full.tokens.toLocaleString('en-US')} tokens (/\\S+/), ${(full.chars / 1024).toFixed(0)} K chars; ` +
        `comparison sample: first ${cmp.docs.length} docs, ${cmp.tokens.toLocaleString('en-US')} tokens`,
    ];
    // Budgets keep a slow engine from taking the whole bench (n in the table shows the runs made).
    const it = ctx.quick ? { warmup: 1, iterations: 3, budgetMs: 6_000 } : { warmup: 3, iterations: 10, budgetMs: 12_000 };
    const measure = (name: string, corpus: Corpus, fn: (texts: string[]) => unknown, opts = it): number => {
      const texts = corpus.docs.map((d) => d.text);
      const times = sample(() => fn(texts), opts);
      const r = rate(corpus.tokens, times);
      metrics.push({ name, unit: 'tok/s', median: r.median, p95: r.p95, n: times.length });
      return r.median;
    };

    // Full corpus.
    measure('floor: regex tokenizer (full)', full, floorPass);
    let rec: Recognizer | null = null;
    try {
      rec = await loadRecognizer(ctx.root, (await coreBundle(ctx)).file);
      notes.push('ours: the recogniser as it ships (the core bundle: esbuild, minified, built in this run; see bench/lib/child.ts)');
    } catch (err) {
      notes.push(`our core bundle: ${firstLine(err)}; measuring the TypeScript sources instead`);
      try {
        rec = await loadRecognizer(ctx.root);
      } catch (err2) {
        notes.push(`our recogniser: skipped: ${firstLine(err2)}`);
      }
    }
    let oursFull: number | null = null;
    let entFull: number | null = null;
    if (rec?.tokenize) measure('ours: tokenizer (full)', full, (ts) => ts.map((t) => rec.tokenize!(t)));
    if (rec?.tag) measure('ours: tagger alone (full)', full, (ts) => ts.map((t) => rec.tag!(t)));
    else if (rec) notes.push(`tagger alone: skipped: ${rec.tagSkip}`);
    if (rec?.entities && !rec.analyzeLabel) entFull = measure('ours: entities (full)', full, (ts) => ts.map((t) => rec.entities!(t)));
    // The same sources through the bench's TypeScript loader (one CommonJS module per file): for reference.
    try {
      const src = await loadRecognizer(ctx.root);
      if (src.entities && !src.analyzeLabel) measure('ours: entities, TypeScript sources via tsx (full)', full, (ts) => ts.map((t) => src.entities!(t)));
    } catch (err) {
      notes.push(`entities from the TypeScript sources: skipped: ${firstLine(err)}`);
    }
    const an = rec?.analyzeLabel ? 'ours: analyze, NO MODEL' : 'ours: analyze';
    if (rec?.analyzeLabel) notes.push(`analyze: ${rec.analyzeLabel}`);
    if (rec?.analyze) oursFull = measure(`${an} (full)`, full, (ts) => ts.map((t) => rec.analyze!(t)));
    else if (rec) notes.push(`analyze: skipped: ${rec.analyzeSkip}`);

    // Comparison sample: everything on the same text.
    const floorCmp = measure('floor: regex tokenizer (sample)', cmp, floorPass);
    let oursCmp: number | null = null;
    let entCmp: number | null = null;
    if (rec?.tag) measure('ours: tagger alone (sample)', cmp, (ts) => ts.map((t) => rec.tag!(t)));
    if (rec?.entities && !rec.analyzeLabel) entCmp = measure('ours: entities (sample)', cmp, (ts) => ts.map((t) => rec.entities!(t)));
    if (rec?.analyze) oursCmp = measure(`${an} (sample)`, cmp, (ts) => ts.map((t) => rec.analyze!(t)));
    const nlp = await loadCompromise();
    const cmpOpts = ctx.quick ? { warmup: 1, iterations: 1 } : { warmup: 1, iterations: 3, budgetMs: 15_000 };
    const cmpTexts = cmp.docs.map((d) => d.text);
    const cmpTimes = await sampleAsync(() => Promise.resolve(compromisePass(nlp, cmpTexts)), cmpOpts);
    const c = rate(cmp.tokens, cmpTimes);
    metrics.push({ name: 'compromise 14 people/places/orgs (sample)', unit: 'tok/s', median: c.median, p95: c.p95, n: cmpTimes.length });
    metrics.push({ name: 'floor ÷ compromise (sample)', unit: 'x', median: floorCmp / c.median });

    if (entCmp !== null && entFull !== null) {
      metrics.push({ name: 'entities ÷ compromise (sample)', unit: 'x', median: entCmp / c.median });
      goals.push({ text: '≥ 250,000 tok/s (entity recognition, full corpus)', actual: `${Math.round(entFull).toLocaleString('en-US')} tok/s`, met: entFull >= 250_000 });
      goals.push({ text: '≥ 30× compromise (entity recognition, same sample)', actual: `${(entCmp / c.median).toFixed(1)}×`, met: entCmp / c.median >= 30 });
    }
    if (oursCmp !== null && oursFull !== null) {
      metrics.push({ name: 'analyze ÷ compromise (sample)', unit: 'x', median: oursCmp / c.median });
      metrics.push({ name: 'analyze ÷ floor (sample)', unit: 'x', median: oursCmp / floorCmp });
      // The goal is the recogniser's (entities, above); analyze adds the quotation layer and is reported beside it.
      if (rec?.analyzeLabel) notes.push('analyze ran without the model: no goal is judged');
    }
    return { metrics, goals, notes };
  },
};
