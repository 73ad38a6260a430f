/**
 * `npm run bench` — Marginalia's benchmark. Not part of `npm test`.
 *
 * Every case runs warm-up + N timed iterations and reports the median and p95; ratios are against
 * baselines measured in the same run (the machines are shared and noisy). A case whose dependency
 * has not landed (or whose tool is not set up) prints "skipped: <reason>" and the run goes on.
 * Writes bench/results.json and prints the machine's description and a table.
 *
 * Options:
 *   --only=id,id     run only these cases      --skip=id,id   leave these out
 *   --quick          fewer iterations (checks the bench itself, figures are rough)
 *   --no-build       measure dist/ as it is (no `node scripts/build.mjs --production` first)
 *   --generated      use the generated corpus even when ../shared/data is present
 *   --list           list the cases
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCorpus } from './lib/corpus';
import { type BenchCase, type BenchContext, type CaseResult, Skip, describeMachine, firstLine } from './lib/harness';
import { renderMachine, renderResults, renderSummary } from './lib/report';
import { activation } from './cases/activation';
import { anchoring } from './cases/anchoring';
import { bundle } from './cases/bundle';
import { incremental } from './cases/incremental';
import { memory } from './cases/memory';
import { quotecheck } from './cases/quotecheck';
import { seed } from './cases/seed';
import { sidecar } from './cases/sidecar';
import { throughput } from './cases/throughput';
import { workspace } from './cases/workspace';
import { parseOptions } from '../scripts/lib/args';

const CASES: BenchCase[] = [bundle, throughput, seed, incremental, anchoring, quotecheck, sidecar, memory, activation, workspace];

async function main(): Promise<void> {
  const { values } = parseOptions({
    list: { type: 'boolean' }, only: { type: 'string' }, skip: { type: 'string' }, quick: { type: 'boolean' },
    'no-build': { type: 'boolean' }, generated: { type: 'boolean' },
  });
  const opt = (name: 'only' | 'skip'): string | undefined => values[name];
  const flag = (name: 'list' | 'quick' | 'no-build' | 'generated'): boolean => values[name] === true;
  if (flag('list')) {
    for (const c of CASES) console.log(`${c.id.padEnd(14)} ${c.title}`);
    return;
  }
  const only = opt('only')?.split(',');
  const skipIds = opt('skip')?.split(',') ?? [];
  const unknown = [...(only ?? []), ...skipIds].filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length > 0) throw new Error(`unknown case(s): ${unknown.join(', ')} (see --list)`);

  const root = resolve(__dirname, '..');
  const started = new Date();
  const machine = describeMachine();
  const corpus = loadCorpus(root, flag('generated'));
  const ctx: BenchContext = {
    root,
    corpus,
    quick: flag('quick'),
    noBuild: flag('no-build'),
    shared: new Map(),
    log: (m) => process.stderr.write(`  … ${m}\n`),
  };
  console.log(`Marginalia bench — ${started.toISOString()}${ctx.quick ? ' (--quick: rough figures)' : ''}`);
  console.log(renderMachine(machine));
  console.log(`Corpus: ${corpus.origin}: ${corpus.docs.length} docs, ${corpus.tokens.toLocaleString('en-US')} tokens`);

  const results: CaseResult[] = [];
  for (const c of CASES) {
    if ((only && !only.includes(c.id)) || skipIds.includes(c.id)) continue;
    process.stderr.write(`▶ ${c.id}: ${c.title}\n`);
    const t0 = performance.now();
    const base = { id: c.id, title: c.title, metrics: [], goals: [], notes: [] };
    let result: CaseResult;
    try {
      const out = await c.run(ctx);
      result = { ...base, ...out, goals: out.goals ?? [], notes: out.notes ?? [], status: 'ok', seconds: 0 };
    } catch (err) {
      result =
        err instanceof Skip
          ? { ...base, status: 'skipped', reason: err.message, seconds: 0 }
          : { ...base, status: 'error', reason: firstLine(err), seconds: 0 };
      if (!(err instanceof Skip)) console.error(err);
    }
    result.seconds = (performance.now() - t0) / 1000;
    results.push(result);
    console.log(renderResults([result]));
  }

  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  console.log('\nSummary');
  console.log(renderSummary(results));
  console.log(`\nTotal ${seconds.toFixed(1)} s.`);
  const out = resolve(root, 'bench/results.json');
  writeFileSync(out, JSON.stringify({ started: started.toISOString(), machine, corpus: { origin: corpus.origin, docs: corpus.docs.length, tokens: corpus.tokens, chars: corpus.chars }, options: { quick: ctx.quick, noBuild: ctx.noBuild }, results }, null, 2) + '\n');
  console.log(`Wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
