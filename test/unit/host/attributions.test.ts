import * as assert from 'assert';
import type { Analysis, Quote } from '../../../src/core/types';
import { fragmentsOf, isReported, quoteIndexAt, speakerFollowers } from '../../../src/host/attributions';
import { DECORATION_KINDS, KIND_LABELS, type DecorationKind } from '../../../src/host/decorations/kinds';
import { enclosingQuote, planDecorations } from '../../../src/host/decorations/plan';
import { attributionCard, entityCard, quoteCard } from '../../../src/host/hover/cards';
import { nextSpan } from '../../../src/host/navigate';
import { statusText } from '../../../src/host/toggle-text';
import { groupQuotes } from '../../../src/host/views/group';

// Attributions (reported speech without quotation marks, kind `indirect`) in the editor's pure parts:
// decoration plan, hover cards, the Quotes view's grouping and filter, the cursor → quote lookup for
// Set Quotation Speaker and navigation. Hand-made analyses: independent of the recogniser's output.
const TEXT = 'The minister said the plan would fail. Lavrov told reporters that the deal was “a disaster” and would collapse.';

function at(needle: string, from = 0): { start: number; end: number } {
  const start = TEXT.indexOf(needle, from);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
}

function analysis(): Analysis {
  const lavrov = at('Lavrov');
  return {
    mentions: [{ ...lavrov, type: 'person', text: 'Lavrov', canonical: 'Sergei Lavrov', entityId: 'p1', confidence: 1 }],
    entities: [{ id: 'p1', type: 'person', canonical: 'Sergei Lavrov', aliases: ['Lavrov'], roles: [], mentions: [lavrov] }],
    quotes: [
      { ...at('the plan would fail'), kind: 'indirect', speaker: { ...at('The minister'), name: 'The minister', via: 'description' }, cue: at('said'), confidence: 0.8 },
      { ...at('“a disaster”'), kind: 'partial', speaker: { ...lavrov, name: 'Sergei Lavrov', entityId: 'p1', via: 'name' }, cue: null, confidence: 0.9, partOf: 2 },
      { ...at('the deal was “a disaster” and would collapse'), kind: 'indirect', speaker: { ...lavrov, name: 'Sergei Lavrov', entityId: 'p1', via: 'name' }, cue: at('told reporters that'), confidence: 0.9 },
    ],
  };
}

const allOn = () => Object.fromEntries(DECORATION_KINDS.map((k) => [k, true])) as Record<DecorationKind, boolean>;

describe('attributions in the editor (pure parts)', () => {
  it('is a decoration kind of its own, with a label for the legend and the toggle', () => {
    assert.ok((DECORATION_KINDS as readonly string[]).includes('attribution'));
    assert.strictEqual(KIND_LABELS.attribution, 'Reported speech (attributions)');
  });

  it('paints reported speech as attributions, apart from quotations; the fragment in quotation marks stays a quotation', () => {
    const plan = planDecorations(analysis(), allOn(), undefined, TEXT);
    assert.deepStrictEqual(plan.attribution.map((r) => TEXT.slice(r.start, r.end)), ['the plan would fail', 'the deal was “a disaster” and would collapse']);
    assert.deepStrictEqual(plan.quotation.map((r) => TEXT.slice(r.start, r.end)), ['“a disaster”']);
    // the speakers are named right before their statements: no labels; the fragment has its statement's speaker: none either
    assert.deepStrictEqual(plan.speaker, []);
  });

  it('marginalia.decorations.attribution off: no attribution ranges and no speaker label for reported speech; quotations unaffected', () => {
    const a = analysis();
    // a speaker named after the statement by a pronoun gets a label when on
    a.quotes[0].speaker = { start: 0, end: 0, name: 'The minister', via: 'continuation' };
    const on = planDecorations(a, allOn(), undefined, TEXT);
    assert.deepStrictEqual(on.speaker.map((r) => [r.start, r.after]), [[at('the plan would fail').end, '— The minister']]);
    const off = planDecorations(a, { ...allOn(), attribution: false }, undefined, TEXT);
    assert.deepStrictEqual(off.attribution, []);
    assert.deepStrictEqual(off.speaker, []);
    assert.strictEqual(off.quotation.length, 1);
    const noQuotes = planDecorations(a, { ...allOn(), quotation: false }, undefined, TEXT);
    assert.deepStrictEqual(noQuotes.quotation, []);
    assert.strictEqual(noQuotes.attribution.length, 2);
  });

  it('a window paints only the attributions that overlap it', () => {
    const second = at('the deal was');
    const plan = planDecorations(analysis(), allOn(), { start: second.start, end: second.end });
    assert.deepStrictEqual(plan.attribution.map((r) => r.start), [second.start]);
  });

  it('the enclosing quote of a fragment is the statement it is part of (the speaker label is not repeated)', () => {
    const a = analysis();
    assert.strictEqual(enclosingQuote(a, a.quotes[1]), a.quotes[2]);
    assert.strictEqual(enclosingQuote(a, a.quotes[0]), undefined);
  });

  it('finds the quote under the cursor: the innermost (the fragment inside a statement), else the statement whose cue it is', () => {
    const { quotes } = analysis();
    assert.strictEqual(quoteIndexAt(quotes, at('plan would').start, at('plan would').start), 0);
    assert.strictEqual(quoteIndexAt(quotes, at('disaster').start, at('disaster').start), 1);
    assert.strictEqual(quoteIndexAt(quotes, at('collapse').start, at('collapse').end), 2);
    // on the cue
    assert.strictEqual(quoteIndexAt(quotes, at('said').start + 1, at('said').start + 1), 0);
    assert.strictEqual(quoteIndexAt(quotes, at('reporters').start, at('reporters').end), 2);
    // on the speaker's name, outside any content or cue: nothing
    assert.strictEqual(quoteIndexAt(quotes, at('minister').start, at('minister').start), -1);
    // a cursor right after a statement counts only when asked (Set Quotation Speaker)
    const end = at('the plan would fail').end;
    assert.strictEqual(quoteIndexAt(quotes, end, end), -1);
    assert.strictEqual(quoteIndexAt(quotes, end, end, true), 0);
  });

  it('a speaker correction of a statement carries to its fragments; of a quotation, to the continuation quotations after it', () => {
    const { quotes } = analysis();
    assert.deepStrictEqual(speakerFollowers(quotes, 2), [1]);
    assert.deepStrictEqual(fragmentsOf(quotes, 2), [quotes[1]]);
    assert.deepStrictEqual(speakerFollowers(quotes, 0), []);
    const q = (start: number, via: 'name' | 'continuation', extra: Partial<Quote> = {}): Quote => ({ start, end: start + 5, kind: 'full', speaker: { start: 0, end: 6, name: 'Lavrov', via }, cue: null, confidence: 1, ...extra });
    // (a reported statement between them, by anyone, does not end the chain)
    const chain = [q(10, 'name'), q(20, 'continuation'), q(22, 'continuation', { parent: 1 }), q(25, 'name', { kind: 'indirect' }), q(30, 'continuation'), q(40, 'name'), q(50, 'continuation')];
    assert.deepStrictEqual(speakerFollowers(chain, 0), [1, 4]);
    assert.ok(isReported(quotes[0]) && !isReported(quotes[1]));
  });

  it('navigation: quotations and reported speech are stepped through apart', () => {
    const { quotes } = analysis();
    const reported = quotes.filter(isReported);
    const marked = quotes.filter((x) => !isReported(x));
    assert.strictEqual(nextSpan(reported, 0, true), quotes[0]);
    assert.strictEqual(nextSpan(reported, quotes[0].start, true), quotes[2]);
    assert.strictEqual(nextSpan(marked, 0, true), quotes[1]);
    assert.strictEqual(nextSpan(reported, quotes[0].start, false), quotes[2], 'wraps backwards');
  });

  it('the Quotes view lists reported statements under the speaker, marked reported, in text order; "Quotations Only" leaves them out', () => {
    const sources = [{ source: 'file:///a.txt', text: TEXT, analysis: analysis() }];
    const groups = groupQuotes(sources);
    assert.deepStrictEqual(groups.map((g) => [g.name, g.quotes.map((r) => [r.text, r.reported ?? false, r.partOfReported ?? false])]), [
      ['Sergei Lavrov', [['the deal was “a disaster” and would collapse', true, false], ['“a disaster”', false, true]]],
      ['The minister', [['the plan would fail', true, false]]],
    ]);
    const only = groupQuotes(sources, 'quotations');
    assert.deepStrictEqual(only.map((g) => [g.name, g.quotes.map((r) => r.text)]), [['Sergei Lavrov', ['“a disaster”']]]);
  });

  it('the hover card of an attribution: "Reported speech", the speaker, the cue and the content, all escaped and clipped', () => {
    const a = analysis();
    const card = attributionCard({ quote: a.quotes[2], text: TEXT, others: [], fragments: [a.quotes[1]], wrongSpeaker: 'command:marginalia.setQuoteSpeaker?x' });
    assert.match(card, /^\*\*Reported speech\*\* — by \*\*Sergei Lavrov\*\*, attributed by name/);
    assert.match(card, /Cue: \*told reporters that\*/);
    assert.match(card, /Reported: the deal was “a disaster” and would collapse/);
    assert.match(card, /In quotation marks: “a disaster”/);
    assert.match(card, /\[Wrong speaker\\\?\]\(command:marginalia\.setQuoteSpeaker\?x\)/);
    // quoteCard gives the same card for kind indirect
    assert.strictEqual(quoteCard({ quote: a.quotes[2], text: TEXT, others: [], fragments: [a.quotes[1]], wrongSpeaker: 'command:marginalia.setQuoteSpeaker?x' } as Parameters<typeof quoteCard>[0]), card);
    // an unnamed speaker shows the words the text uses
    assert.match(attributionCard({ quote: a.quotes[0], text: TEXT, others: [] }), /by \*\*The minister\*\*, attributed to an unnamed speaker \(“The minister”\)/);
  });

  it('untrusted text in an attribution card stays inert, and long content is clipped', () => {
    const evil = `Ann [click](javascript:alert(1)) <img src=x> said that ${'the *plan* '.repeat(60)}would fail.`;
    const start = evil.indexOf('the *plan*');
    const q: Quote = { start, end: evil.length - 1, kind: 'indirect', speaker: { start: 0, end: 3, name: 'Ann [x](https://evil.example)', via: 'name' }, cue: { start: evil.indexOf('said'), end: evil.indexOf('said') + 9 }, confidence: 0.3 };
    const card = attributionCard({ quote: q, text: evil, others: [] });
    assert.ok(!/\]\(https:\/\/evil/.test(card), card);
    assert.ok(!/<img/.test(card));
    assert.ok(!/\*plan\*/.test(card), 'emphasis escaped');
    const reported = card.split('\n\n').find((p) => p.startsWith('Reported: '))!;
    assert.ok(reported.replace(/\\(.)/g, '$1').length <= 'Reported: '.length + 300, 'clipped');
    assert.match(card, /Uncertain attribution/);
  });

  it('an entity card lists the speaker\'s reported statements marked as such', () => {
    const a = analysis();
    const card = entityCard({ entity: a.entities[0], text: TEXT, quotes: [a.quotes[2], a.quotes[1]] });
    assert.match(card, /Quotations and reported speech \(2\):/);
    assert.match(card, /- \*reported:\* the deal was “a disaster” and would collapse/);
    assert.match(card, /- “a disaster”/);
  });

  it('the card of a quotation-mark fragment says it is part of a reported statement by the speaker', () => {
    const a = analysis();
    const card = quoteCard({ quote: a.quotes[1], text: TEXT, others: [], statement: a.quotes[2] });
    assert.match(card, /^\*\*Quotation\*\* — partial · said by \*\*Sergei Lavrov\*\*/);
    assert.match(card, /Part of a reported statement by \*\*Sergei Lavrov\*\*: the deal was “a disaster” and would collapse/);
  });

  it('the status item counts reported statements apart', () => {
    assert.strictEqual(statusText(allOn(), { names: 3, quotes: 1, reported: 2, annotations: 0 }), '$(eye) Marginalia: 3 names · 1 quote · 2 reported');
    assert.strictEqual(statusText(allOn(), { names: 3, quotes: 1, reported: 0, annotations: 0 }), '$(eye) Marginalia: 3 names · 1 quote');
  });
});
