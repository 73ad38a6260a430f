// Run in a fresh process by time.test.ts: times applyCorrections with many entity-type corrections,
// each on its own name, at 1× and 4× (a fresh heap: the whole test run's heap would otherwise make
// the collector's share, not the algorithm, decide the ratio). Prints {"t1": ms, "t4": ms}.
import { applyCorrections } from '../../../../src/core/corrections';
import type { Correction } from '../../../../src/core/sidecar/model';
import type { Analysis, Mention } from '../../../../src/core/types';

function make(k: number): { text: string; analysis: Analysis; c: Correction[] } {
  const words = Array.from({ length: k / 10 }, (_, i) => `Name${i}`);
  const text = words.join(' , ');
  const mentions: Mention[] = [];
  let p = 0;
  for (const w of words) {
    mentions.push({ start: p, end: p + w.length, type: 'person', text: w, canonical: w, entityId: `person:${w.toLowerCase()}`, confidence: 1, source: 'model' } as Mention);
    p += w.length + 3;
  }
  const entities = mentions.map((m) => ({ id: m.entityId, type: m.type, canonical: m.canonical, aliases: [m.text], roles: [], mentions: [{ start: m.start, end: m.end }] }));
  const c = mentions
    .filter((_m, i) => i % 2 === 0)
    .map((m) => ({ id: `c-${m.start}`, action: 'entity-type', type: 'organization', scope: 'all', target: { exact: m.text, prefix: '', suffix: '', start: m.start, end: m.end } }) as Correction);
  return { text, analysis: { mentions, entities, quotes: [] } as unknown as Analysis, c };
}

/** The fastest of five runs: load only ever adds time. */
function fastest(fn: () => unknown): number {
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[0];
}

const units = Number(process.argv[2] ?? 10_000);
const small = make(units);
const large = make(units * 4);
applyCorrections(small.text, small.analysis, small.c);
applyCorrections(large.text, large.analysis, large.c);
const t1 = fastest(() => applyCorrections(small.text, small.analysis, small.c));
const t4 = fastest(() => applyCorrections(large.text, large.analysis, large.c));
const r = applyCorrections(small.text, small.analysis, small.c);
process.stdout.write(JSON.stringify({ t1, t4, organizations: r.mentions.filter((m) => m.type === 'organization').length, mentions: r.mentions.length }));
