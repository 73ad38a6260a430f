import * as assert from 'assert';
import fc from 'fast-check';
import type { Analysis } from '../../../src/core/types';
import { safeRelativeSegments } from '../../../src/core/sidecar/paths';
import { DECORATION_KINDS, type DecorationKind } from '../../../src/host/decorations/kinds';
import { planDecorations, speakerLabel } from '../../../src/host/decorations/plan';
import { namesSpeaker, speakerHintFor } from '../../../src/host/decorations/speakerLabels';
import { applyEdits, mapOffset, mergeEdits, type Edit } from '../../../src/core/text/edits';
import { nextSpan } from '../../../src/host/navigate';
import { statusText } from '../../../src/host/toggle-text';
import { context, groupEntities, groupQuotes } from '../../../src/host/views/group';

const allOn = () => Object.fromEntries(DECORATION_KINDS.map((k) => [k, true])) as Record<DecorationKind, boolean>;

const TEXT = 'Sergei Lavrov said “We agree” on Monday. “More,” he added.';
const ANALYSIS: Analysis = {
  mentions: [
    { start: 0, end: 13, type: 'person', text: 'Sergei Lavrov', canonical: 'Sergei Lavrov', entityId: 'p1', confidence: 1 },
    { start: 33, end: 39, type: 'date', text: 'Monday', canonical: 'Monday', entityId: 'd1', confidence: 1 },
    { start: 22, end: 27, type: 'place', text: 'agree', canonical: 'agree', entityId: 'x1', confidence: 1 },
  ],
  entities: [
    { id: 'p1', type: 'person', canonical: 'Sergei Lavrov', aliases: [], roles: ['minister'], mentions: [{ start: 0, end: 13 }] },
    { id: 'd1', type: 'date', canonical: 'Monday', aliases: [], roles: [], mentions: [{ start: 33, end: 39 }] },
    { id: 'x1', type: 'place', canonical: 'agree', aliases: [], roles: [], mentions: [{ start: 22, end: 27 }] },
  ],
  quotes: [
    { start: 19, end: 29, kind: 'full', speaker: { start: 0, end: 13, name: 'Sergei Lavrov', entityId: 'p1', via: 'name' }, cue: { start: 14, end: 18 }, confidence: 1 },
    { start: 41, end: 48, kind: 'full', speaker: { start: 49, end: 51, name: 'Sergei Lavrov', entityId: 'p1', via: 'pronoun' }, cue: { start: 49, end: 57 }, confidence: 1 },
    { start: 20, end: 28, kind: 'partial', speaker: { start: 0, end: 13, name: 'Sergei Lavrov', via: 'name' }, cue: null, confidence: 1, parent: 0 },
    { start: 0, end: 5, kind: 'scare', speaker: null, cue: null, confidence: 1 },
  ],
};

describe('decoration plan', () => {
  it('paints each entity type with its own kind and each quotation once', () => {
    const plan = planDecorations(ANALYSIS, allOn());
    assert.deepStrictEqual(plan.person, [{ start: 0, end: 13 }]);
    assert.deepStrictEqual(plan.date, [{ start: 33, end: 39 }]);
    assert.deepStrictEqual(plan.place, [{ start: 22, end: 27 }]);
    assert.strictEqual(plan.quotation.length, 4);
  });

  it('puts the speaker after the closing mark, once per voice, never for unattributed quotations', () => {
    const plan = planDecorations(ANALYSIS, allOn());
    // the nested quotation has the same speaker as its parent → no second label
    assert.deepStrictEqual(plan.speaker, [
      { start: 29, end: 29, after: '— Sergei Lavrov' },
      { start: 48, end: 48, after: '— Sergei Lavrov' },
    ]);
  });

  it('with a window (a long source around what is visible), paints only what overlaps it', () => {
    const plan = planDecorations(ANALYSIS, allOn(), { start: 30, end: 45 });
    assert.deepStrictEqual(plan.person, []);
    assert.deepStrictEqual(plan.date, [{ start: 33, end: 39 }]);
    assert.deepStrictEqual(plan.place, []);
    // everything a whole-document plan paints inside the window, and nothing else; a quotation
    // reaching into the window keeps its speaker label (drawn after its closing mark)
    const whole = planDecorations(ANALYSIS, allOn());
    for (const k of DECORATION_KINDS) {
      if (k === 'speaker') continue;
      assert.deepStrictEqual(plan[k], whole[k].filter((r) => r.end > 30 && r.start < 45), k);
    }
    assert.deepStrictEqual(plan.speaker, [{ start: 48, end: 48, after: '— Sergei Lavrov' }]);
  });

  it('paints nothing for a kind that is switched off', () => {
    const enabled = { ...allOn(), person: false, speaker: false };
    const plan = planDecorations(ANALYSIS, enabled);
    assert.deepStrictEqual(plan.person, []);
    assert.deepStrictEqual(plan.speaker, []);
    assert.strictEqual(plan.date.length, 1);
  });

  it('with the text, leaves the label out where the words next to the quotation already name the speaker', () => {
    const plan = planDecorations(ANALYSIS, allOn(), undefined, TEXT);
    // “We agree”: Sergei Lavrov is named before it in the same sentence → no label;
    // “More,” he added: a pronoun → the label, after the closing mark
    assert.deepStrictEqual(plan.speaker, [{ start: 48, end: 48, after: '— Sergei Lavrov' }]);
  });

  it('in Markdown, leaves the marker of an ordered list item unmarked, and a number in the text marked', () => {
    const text = '1. Over 5,000 people\n  2) More\nIn 2023.';
    const num = (start: number, end: number) => ({ start, end, type: 'number' as const, text: text.slice(start, end), canonical: text.slice(start, end), entityId: `n${start}`, confidence: 1 });
    const analysis: Analysis = { mentions: [num(0, 1), num(8, 13), num(23, 24), num(34, 38)], entities: [], quotes: [] };
    assert.deepStrictEqual(planDecorations(analysis, allOn(), undefined, text, true).number.map((r) => text.slice(r.start, r.end)), ['5,000', '2023']);
    assert.strictEqual(planDecorations(analysis, allOn(), undefined, text, false).number.length, 4);
  });

  it('clips long speaker descriptions', () => {
    assert.strictEqual(speakerLabel('the  US\nrepresentative'), '— the US representative');
    assert.ok(speakerLabel('x'.repeat(200)).length <= 62);
  });

  it('status text says how many kinds are on', () => {
    assert.strictEqual(statusText(allOn()), '$(eye) Marginalia');
    assert.strictEqual(statusText({ ...allOn(), date: false }), `$(eye) Marginalia: ${DECORATION_KINDS.length - 1}/${DECORATION_KINDS.length}`);
    // with the active source's counts, and a sidecar problem first of all
    assert.strictEqual(statusText(allOn(), { names: 97, quotes: 13, annotations: 2 }), '$(eye) Marginalia: 97 names · 13 quotes · 2 notes');
    assert.strictEqual(statusText({ ...allOn(), date: false }, { names: 1, quotes: 0, annotations: 0 }), `$(eye) Marginalia ${DECORATION_KINDS.length - 1}/${DECORATION_KINDS.length} on: 1 name · 0 quotes`);
    assert.strictEqual(statusText(allOn(), { names: 1, quotes: 0, annotations: 0, problem: true }), '$(error) Marginalia: sidecar problem');
    const off = Object.fromEntries(DECORATION_KINDS.map((k) => [k, false])) as Record<DecorationKind, boolean>;
    assert.strictEqual(statusText(off), '$(eye-closed) Marginalia: off');
  });
});

describe('edits', () => {
  it('maps offsets through an edit', () => {
    const e: Edit = { offset: 10, length: 5, text: 'abc' };
    assert.strictEqual(mapOffset(9, e), 9);
    assert.strictEqual(mapOffset(15, e), 13);
    assert.strictEqual(mapOffset(20, e), 18);
    assert.strictEqual(mapOffset(12, e, 'start'), 10);
    assert.strictEqual(mapOffset(12, e, 'end'), 13);
    const ins: Edit = { offset: 10, length: 0, text: 'xy' };
    assert.strictEqual(mapOffset(10, ins, 'start'), 10);
    assert.strictEqual(mapOffset(10, ins, 'end'), 12);
  });

  it('merges edits into one region that covers every changed character of the final text', () => {
    const arbEdits = fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 80 }), arbEdits, (base, raw) => {
        let text = base;
        const edits: Edit[] = [];
        const marker = '\u0001';
        let marked = base.split(marker).join('');
        text = marked;
        for (const [o, l, t0] of raw) {
          const t = t0.split(marker).join('');
          const offset = Math.min(o, text.length);
          const length = Math.min(l, text.length - offset);
          const e = { offset, length, text: t };
          edits.push(e);
          text = applyEdits(text, [e]);
          marked = applyEdits(marked, [{ offset, length, text: marker.repeat(t.length) }]);
        }
        const region = mergeEdits(edits);
        assert.ok(region);
        assert.strictEqual(marked.length, text.length);
        for (let i = 0; i < marked.length; i++) {
          if (marked[i] === marker) assert.ok(i >= region.start && i < region.end, `inserted char ${i} outside ${JSON.stringify(region)}`);
        }
        assert.ok(region.start >= 0 && region.end <= text.length && region.start <= region.end);
      }),
    );
  });
});

describe('model path', () => {
  it('accepts workspace-relative paths', () => {
    assert.deepStrictEqual(safeRelativeSegments('models/ner.bin'), ['models', 'ner.bin']);
    assert.deepStrictEqual(safeRelativeSegments('./models//x/../ner.bin'), ['models', 'ner.bin']);
    assert.deepStrictEqual(safeRelativeSegments('models\\ner.bin'), ['models', 'ner.bin']);
  });
  it('refuses anything that leaves the workspace', () => {
    for (const p of ['', '/etc/passwd', '../x.bin', 'a/../../x.bin', 'C:\\x.bin', 'c:x.bin', '\\\\server\\share', 'file:///x', 'https://x/y', '~/x.bin', '..']) {
      assert.strictEqual(safeRelativeSegments(p), undefined, p);
    }
  });
});

describe('navigation', () => {
  const spans = [{ start: 30, end: 35 }, { start: 5, end: 9 }, { start: 50, end: 52 }];
  it('goes to the next span after the cursor, wrapping', () => {
    assert.deepStrictEqual(nextSpan(spans, 0, true), { start: 5, end: 9 });
    assert.deepStrictEqual(nextSpan(spans, 5, true), { start: 30, end: 35 });
    assert.deepStrictEqual(nextSpan(spans, 51, true), { start: 5, end: 9 });
  });
  it('goes to the previous span before the cursor, wrapping', () => {
    assert.deepStrictEqual(nextSpan(spans, 30, false), { start: 5, end: 9 });
    assert.deepStrictEqual(nextSpan(spans, 31, false), { start: 30, end: 35 });
    assert.deepStrictEqual(nextSpan(spans, 2, false), { start: 50, end: 52 });
    assert.strictEqual(nextSpan([], 2, false), undefined);
  });
});

describe('view grouping', () => {
  const sources = [{ source: 'file:///a.txt', text: TEXT, analysis: ANALYSIS }];
  it('groups quotations by speaker, unattributed last', () => {
    const groups = groupQuotes(sources);
    assert.deepStrictEqual(groups.map((g) => [g.name, g.quotes.length]), [['Sergei Lavrov', 3], ['', 1]]);
    assert.strictEqual(groups[0].quotes[0].text, '“We agree”');
  });
  it('groups mentions by type then entity, in the canonical type order', () => {
    const groups = groupEntities(sources);
    assert.deepStrictEqual(groups.map((g) => g.type), ['person', 'place', 'date']);
    assert.deepStrictEqual(groups[0].entities[0].roles, ['minister']);
    assert.strictEqual(groups[0].entities[0].mentions[0].text, 'Sergei Lavrov');
  });
  it('gives a one-line context around a mention', () => {
    assert.strictEqual(context('line one\nthe  word here\nnext', 14, 18), 'the word here');
    assert.strictEqual(context('x'.repeat(100) + 'word' + 'y'.repeat(100), 100, 104, 5), '…xxxxxwordyyyyy…');
  });
});

describe('speaker labels (inlay hints)', () => {
  const quote = (start: number, end: number, sp: { start: number; end: number; name: string; via: 'name' | 'pronoun' | 'role' | 'organization' | 'description' | 'continuation' }, confidence = 0.9) =>
    ({ start, end, kind: 'full' as const, speaker: sp, cue: null, confidence });

  it('knows when the words name the speaker', () => {
    assert.ok(namesSpeaker('Lavrov', 'Sergei Lavrov'));
    assert.ok(namesSpeaker('the Russian Foreign Ministry', 'Russian Foreign Ministry'));
    assert.ok(namesSpeaker('the US representative', 'the US representative'));
    assert.ok(!namesSpeaker('he', 'Sergei Lavrov'));
    assert.ok(!namesSpeaker('the Iranian president', 'Ebrahim Raisi'));
    assert.ok(!namesSpeaker('Russian FM', 'Sergei Lavrov'));
  });

  it('“…,” Lavrov said: no label; “…” he added: the label after the closing mark', () => {
    const text = '“We agree,” Lavrov said. “More,” he added.';
    const q1 = quote(0, 11, { start: 12, end: 18, name: 'Sergei Lavrov', via: 'name' });
    assert.equal(speakerHintFor(text, q1), undefined);
    const q2 = quote(25, 32, { start: 33, end: 35, name: 'Sergei Lavrov', via: 'pronoun' });
    assert.deepEqual(speakerHintFor(text, q2), { at: 32, label: '— Sergei Lavrov', low: false });
  });

  it('a headline with the speaker named by a role before a partial quotation: the label after the role, not mid-sentence', () => {
    const text = 'Russian FM calls for ‘collective’ Palestine action';
    const q = { ...quote(21, 33, { start: 0, end: 10, name: 'Sergei Lavrov', via: 'role' }), kind: 'partial' as const };
    assert.deepEqual(speakerHintFor(text, q), { at: 10, label: '— Sergei Lavrov', low: false });
  });

  it('a speaker named in an earlier sentence or paragraph keeps the label after the quotation', () => {
    const text = 'Lavrov spoke.\n\n“We agree.”';
    const q = quote(15, 26, { start: 0, end: 6, name: 'Sergei Lavrov', via: 'name' });
    assert.equal(speakerHintFor(text, q)?.at, 26);
  });

  it('an uncertain attribution ends with "?"', () => {
    const text = 'The ministry said.\n\n“in accordance with it”';
    const q = quote(20, 44, { start: 0, end: 12, name: 'Russian Foreign Ministry', via: 'continuation' }, 0.4);
    assert.deepEqual(speakerHintFor(text, q), { at: 44, label: '— Russian Foreign Ministry?', low: true });
  });
});
