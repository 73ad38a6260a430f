import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyChange, makeTarget, reanchor, shiftSpan, shiftSpans,
} from '../../../src/core/anchor';
import type { Edit } from '../../../src/core/text/edits';

const RUNS = Number(process.env.MARGINALIA_FUZZ_RUNS ?? 300);

const ARTICLE = [
  'MOSCOW, 23 October (Reuters) - Russian Foreign Minister Sergei Lavrov said on Monday that talks',
  'with the United Nations had stalled. "We are not going to wait forever," Lavrov told reporters',
  'in the capital, adding that more than 5,000 people had been displaced since the summer.',
  'Linus, a local shopkeeper, said the machines in the market had stopped working in September.',
  'Officials in Geneva declined to comment on the figures, which could not be independently verified.',
].join('\n');

function span(text: string, needle: string, from = 0): { start: number; end: number } {
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, `missing ${needle}`);
  return { start, end: start + needle.length };
}

describe('shiftSpan (in-editor edits)', () => {
  const s = { start: 10, end: 20 };
  const cases: [string, Edit, { start: number; end: number; deleted: boolean }][] = [
    ['insert before', { offset: 2, length: 0, text: 'abc' }, { start: 13, end: 23, deleted: false }],
    ['delete before', { offset: 2, length: 5, text: '' }, { start: 5, end: 15, deleted: false }],
    ['insert at start pushes', { offset: 10, length: 0, text: 'ab' }, { start: 12, end: 22, deleted: false }],
    ['insert at end does not grow', { offset: 20, length: 0, text: 'ab' }, { start: 10, end: 20, deleted: false }],
    ['after', { offset: 25, length: 3, text: 'x' }, { start: 10, end: 20, deleted: false }],
    ['inside grows', { offset: 12, length: 1, text: 'xyz' }, { start: 10, end: 22, deleted: false }],
    ['inside shrinks', { offset: 12, length: 5, text: '' }, { start: 10, end: 15, deleted: false }],
    ['overlap start', { offset: 8, length: 4, text: 'Q' }, { start: 8, end: 17, deleted: false }],
    ['overlap end', { offset: 18, length: 4, text: 'Q' }, { start: 10, end: 19, deleted: false }],
    ['whole deleted', { offset: 5, length: 20, text: '' }, { start: 5, end: 5, deleted: true }],
    ['whole replaced', { offset: 10, length: 10, text: 'new' }, { start: 10, end: 10, deleted: true }],
  ];
  for (const [name, change, want] of cases) {
    it(name, () => assert.deepEqual(shiftSpan(s, change), want));
  }

  it('applies the changes of one event in descending order', () => {
    const out = shiftSpans([{ start: 10, end: 20 }], [
      { offset: 0, length: 0, text: 'aa' },
      { offset: 30, length: 0, text: 'bb' },
      { offset: 15, length: 0, text: 'c' },
    ]);
    assert.deepEqual(out[0], { start: 12, end: 23, deleted: false });
  });
});

describe('reanchor (outside edits)', () => {
  it('finds unchanged text at its place', () => {
    const t = makeTarget(ARTICLE, ...Object.values(span(ARTICLE, 'Sergei Lavrov')) as [number, number]);
    const [r] = reanchor(ARTICLE, [t]);
    assert.deepEqual(r, { status: 'exact', start: t.start, end: t.end });
  });

  it('follows text moved by an edit before it', () => {
    const s = span(ARTICLE, 'more than 5,000');
    const t = makeTarget(ARTICLE, s.start, s.end);
    const edited = 'BREAKING: ' + ARTICLE;
    const [r] = reanchor(edited, [t]);
    assert.equal(r!.status, 'moved');
    assert.equal(edited.slice(r!.start, r!.end), 'more than 5,000');
  });

  it('uses context to pick the right one of repeated text', () => {
    const second = span(ARTICLE, 'Lavrov', span(ARTICLE, 'Lavrov').end);
    const t = makeTarget(ARTICLE, second.start, second.end);
    // Shift everything so the old offset lands nowhere useful.
    const edited = ARTICLE.replace('Russian Foreign Minister ', '');
    const [r] = reanchor(edited, [t]);
    assert.equal(edited.slice(r!.start, r!.end), 'Lavrov');
    assert.equal(r!.start, span(edited, 'Lavrov', span(edited, 'Lavrov').end).start);
  });

  it('fuzzy-matches a long text that was edited', () => {
    const s = span(ARTICLE, 'talks\nwith the United Nations had stalled');
    const t = makeTarget(ARTICLE, s.start, s.end);
    const edited = ARTICLE.replace('had stalled', 'have stalled');
    const [r] = reanchor(edited, [t]);
    assert.equal(r!.status, 'fuzzy');
    assert.match(edited.slice(r!.start, r!.end), /^talks\nwith the United Nations ha(d|ve) stalle/);
  });

  it('a short text needs its context: "Linus" does not match "chines"', () => {
    const s = span(ARTICLE, 'Linus');
    const t = makeTarget(ARTICLE, s.start, s.end);
    const edited = ARTICLE.replace('Linus, a local shopkeeper, said', 'A local shopkeeper said');
    const [r] = reanchor(edited, [t]);
    assert.equal(r!.status, 'orphan');
    // a typo in the name with the context intact is still found
    const typo = ARTICLE.replace('Linus,', 'Linos,');
    const [r2] = reanchor(typo, [t]);
    assert.equal(r2!.status, 'fuzzy');
    assert.equal(typo.slice(r2!.start, r2!.end), 'Linos');
  });

  it('an annotation whose text is gone is an orphan kept at its old place', () => {
    const s = span(ARTICLE, 'Officials in Geneva declined to comment');
    const t = makeTarget(ARTICLE, s.start, s.end);
    const edited = ARTICLE.slice(0, s.start) + 'Nothing else was said.';
    const [r] = reanchor(edited, [t]);
    assert.equal(r!.status, 'orphan');
    assert.ok(r!.start <= edited.length && r!.end <= edited.length);
  });

  it('returns results in input order, one per target', () => {
    const a = makeTarget(ARTICLE, ...Object.values(span(ARTICLE, 'Geneva')) as [number, number]);
    const b = makeTarget(ARTICLE, ...Object.values(span(ARTICLE, 'MOSCOW')) as [number, number]);
    const out = reanchor('x' + ARTICLE, [a, b]);
    assert.equal(out.length, 2);
    assert.equal(out[0]!.start, a.start + 1);
    assert.equal(out[1]!.start, b.start + 1);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const WORDS = ['the', 'minister', 'said', 'on', 'Monday', 'talks', 'had', 'stalled', 'Lavrov', 'Geneva', 'people',
  'more', 'than', 'five', 'thousand', 'displaced', 'reporters', 'told', 'a', 'shop', 'market', 'in', 'of', 'and'];
const textArb = fc.array(fc.constantFrom(...WORDS), { minLength: 20, maxLength: 200 }).chain((words) =>
  fc.array(fc.constantFrom(' ', ' ', ' ', ', ', '. ', '\n'), { minLength: words.length, maxLength: words.length })
    .map((seps) => words.map((w, i) => w + seps[i]).join('')));

interface Scenario { text: string; spans: { start: number; end: number }[] }
const scenarioArb: fc.Arbitrary<Scenario> = textArb.chain((text) =>
  fc.array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 8 })
    .map((raw) => ({ text, spans: raw.map(([s, l]) => ({ start: s, end: Math.min(text.length, s + l) })) })));

const editArb = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat(15),
  text: fc.stringMatching(/^[a-z ,.\n]{0,20}$/) });

describe('anchoring properties (fast-check)', () => {
  it('random edit sequences never lose an annotation (in-editor shifting)', () => {
    fc.assert(fc.property(scenarioArb, fc.array(editArb, { maxLength: 30 }), ({ text, spans }, edits) => {
      let cur = text;
      let state = spans.map((s) => ({ ...s, deleted: false }));
      for (const e of edits) {
        const at = Math.floor(e.at * cur.length);
        const change = { offset: at, length: Math.min(e.len, cur.length - at), text: e.text };
        cur = applyChange(cur, change);
        state = shiftSpans(state, [change]).map((s, i) => ({ ...s, deleted: s.deleted || state[i]!.deleted }));
      }
      assert.equal(state.length, spans.length);
      for (const s of state) {
        assert.ok(s.start >= 0 && s.start <= s.end && s.end <= cur.length, `span ${s.start}-${s.end} in ${cur.length}`);
      }
    }), { numRuns: RUNS });
  });

  it('an edit outside an annotated text never moves the annotation off it (shifting and re-anchoring)', () => {
    fc.assert(fc.property(scenarioArb, fc.array(editArb, { maxLength: 12 }), ({ text, spans }, edits) => {
      const targets = spans.map((s) => makeTarget(text, s.start, s.end));
      let cur = text;
      let state = spans.map((s) => ({ ...s }));
      for (const e of edits) {
        const at = Math.floor(e.at * cur.length);
        const len = Math.min(e.len, cur.length - at);
        // Keep only edits that touch no annotated text (insertions at an edge are outside).
        if (state.some((s) => at < s.end && at + len > s.start) || state.some((s) => len === 0 && at > s.start && at < s.end)) continue;
        const change = { offset: at, length: len, text: e.text };
        cur = applyChange(cur, change);
        state = shiftSpans(state, [change]);
      }
      // In the editor: every span still covers its own text.
      state.forEach((s, i) => assert.equal(cur.slice(s.start, s.end), targets[i]!.exact));
      // Outside the editor: re-anchoring from the stored targets lands on the same text, never an orphan,
      // and exactly on the shifted span whenever that text is unique.
      const results = reanchor(cur, targets);
      assert.equal(results.length, targets.length);
      results.forEach((r, i) => {
        const exact = targets[i]!.exact;
        assert.notEqual(r.status, 'orphan');
        assert.equal(cur.slice(r.start, r.end), exact);
        if (cur.indexOf(exact) === cur.lastIndexOf(exact)) assert.equal(r.start, state[i]!.start);
      });
    }), { numRuns: RUNS });
  });

  it('re-anchoring after arbitrary edits never drops a target and stays inside the text', () => {
    fc.assert(fc.property(scenarioArb, fc.array(editArb, { maxLength: 20 }), ({ text, spans }, edits) => {
      const targets = spans.map((s) => makeTarget(text, s.start, s.end));
      let cur = text;
      for (const e of edits) {
        const at = Math.floor(e.at * cur.length);
        cur = applyChange(cur, { offset: at, length: Math.min(e.len, cur.length - at), text: e.text });
      }
      const results = reanchor(cur, targets);
      assert.equal(results.length, targets.length);
      for (const r of results) assert.ok(r.start >= 0 && r.start <= r.end && r.end <= cur.length);
      results.forEach((r, i) => {
        if (r.status === 'exact' || r.status === 'moved') assert.equal(cur.slice(r.start, r.end), targets[i]!.exact);
      });
    }), { numRuns: RUNS });
  });
});
