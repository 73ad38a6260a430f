import { strict as assert } from 'node:assert';
import { EXPECTED, PERTURBATIONS, buildFidelityArticles, makeFidelityCases, scoreFidelity } from '../../../src/core/eval/quotecheck';
import { QuoteIndex } from '../../../src/core/quotecheck';
import { analyzeSource } from '../../../src/core/project';
import { fixture } from './helpers';

/** Small texts made inside the project: four "primary" documents and one held out. */
function docs() {
  const b = fixture('transcripts/briefing.txt');
  const p = fixture('statements/press-release.txt');
  const extra =
    'The committee met on Monday to discuss the budget for the coming year. Members agreed that spending on roads should rise by a tenth. Several members asked for more money for schools in the northern districts. The chair said that a final vote would take place next month after a public hearing.\n\nThe mayor welcomed the decision and promised to publish the full figures before the hearing. Critics said the plan ignored the needs of the rural villages entirely.';
  const held = 'Farmers in the valley reported an unusually wet spring this season. Several roads were closed by floods for most of the week. The regional office promised new drainage works before the autumn rains arrive.';
  return [
    { id: 'b', text: b },
    { id: 'p', text: p },
    { id: 'x', text: extra },
    { id: 'y', text: extra.replace(/committee/g, 'council').replace(/mayor/g, 'governor') },
    { id: 'h', text: held },
  ];
}

describe('quotecheck: the fidelity benchmark generator', () => {
  it('makes every perturbation, each with its expected status, deterministically', () => {
    const a = makeFidelityCases(docs(), { perKind: 3, seed: 1, holdOut: 1 });
    const b = makeFidelityCases(docs(), { perKind: 3, seed: 1, holdOut: 1 });
    assert.deepEqual(a, b);
    assert.equal(a.primaries.length, 4);
    for (const c of a.cases) assert.equal(c.expected, EXPECTED[c.kind]);
    const kinds = new Set(a.cases.map((c) => c.kind));
    for (const k of PERTURBATIONS) assert.ok(kinds.has(k), `made ${k}`);
  });

  it('runs through the real pipeline (analyzeSource, QuoteIndex) with high accuracy and no false alarms', () => {
    const { cases, primaries } = makeFidelityCases(docs(), { perKind: 4, seed: 3, holdOut: 1 });
    const index = new QuoteIndex();
    for (const d of primaries) index.setSource(d.id, { text: d.text, primary: true });
    const predicted = cases.map(() => null as null | ReturnType<QuoteIndex['check']>[number]['status']);
    for (const a of buildFidelityArticles(cases)) {
      index.setSource(a.path, { text: a.text, primary: false, quotes: analyzeSource(a.text).quotes });
      const rs = index.check(a.path);
      for (const sp of a.spans) predicted[sp.index] = rs.find((r) => r.start < sp.end && sp.start < r.end)?.status ?? null;
    }
    const s = scoreFidelity(cases, predicted);
    assert.ok(s.accuracy >= 0.9, `accuracy ${s.accuracy} ${JSON.stringify(s.errors)}`);
    assert.equal(s.falseAlarms, 0);
  });

  it('scores: accuracy per status, confusion, false alarms', () => {
    const cases = [
      { kind: 'verbatim' as const, expected: 'verbatim' as const, text: 'a', doc: 'd', fromQuote: false },
      { kind: 'ellipsis' as const, expected: 'marked-edit' as const, text: 'b', doc: 'd', fromQuote: false },
      { kind: 'sub1' as const, expected: 'altered' as const, text: 'c', doc: 'd', fromQuote: false },
    ];
    const s = scoreFidelity(cases, ['verbatim', 'altered', null]);
    assert.equal(s.accuracy, 1 / 3);
    assert.equal(s.falseAlarms, 1);
    assert.equal(s.faithful, 2);
    assert.equal(s.notFound, 1);
    assert.equal(s.confusion['marked-edit'].altered, 1);
    assert.equal(s.confusion.altered.missing, 1);
  });
});
