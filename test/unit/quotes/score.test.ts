import { strict as assert } from 'node:assert';
import { formatQuoteScores, matchSpans, overlapRatio, scoreQuotes, surname } from '../../../src/core/eval/quotes';
import type { Quote } from '../../../src/core/types';

const q = (start: number, end: number, name: string | null, extra: Partial<Quote> = {}): Quote => ({
  start,
  end,
  kind: 'full',
  speaker: name === null ? null : { start: 0, end: 3, name, via: 'name' },
  cue: null,
  confidence: 0.9,
  ...extra,
});

describe('quotation scorer', () => {
  it('matches spans overlapping by at least half of their union, one to one', () => {
    assert.equal(overlapRatio({ start: 0, end: 10 }, { start: 5, end: 10 }), 0.5);
    assert.equal(overlapRatio({ start: 0, end: 10 }, { start: 6, end: 10 }), 0.4);
    assert.deepEqual(matchSpans([{ start: 0, end: 10 }], [{ start: 0, end: 9 }, { start: 1, end: 10 }]).length, 1);
  });

  it('computes P/R/F1 and speaker accuracy on matched quotations', () => {
    const text = 'Ann said x. Bob said y. Cal said z.';
    const docs = [{ text, quotes: [
      { start: 0, end: 10, speaker: { name: 'Ann Smith' } },
      { start: 12, end: 22, speaker: { name: 'US representative' } },
      { start: 24, end: 34, speaker: null },
    ] }];
    const preds = [[q(0, 10, 'Smith'), q(12, 22, 'the US representative'), q(24, 34, 'Cal'), q(40, 45, null)]];
    const s = scoreQuotes(docs, preds);
    assert.equal(s.matched, 3);
    assert.equal(s.precision, 3 / 4);
    assert.equal(s.recall, 1);
    // Smith ~ Ann Smith (surname); "the US representative" ~ "US representative"; a null gold speaker needs a null prediction
    assert.equal(s.speakerCorrect, 2);
    assert.match(formatQuoteScores(s), /F1/);
  });

  it('accepts a gold speaker span by overlap or by surname', () => {
    const text = 'Sen. Claire Moss (D-Mo.) said “x”. She said “y”.';
    const docs = [{ text, quotes: [
      { start: 30, end: 33, speaker: { start: 0, end: 24 } },
      { start: 44, end: 47, speaker: { start: 35, end: 38 } },
    ] }];
    const preds = [[
      { ...q(30, 33, 'Claire Moss'), speaker: { start: 40, end: 43, name: 'Claire Moss', via: 'pronoun' as const } },
      { ...q(44, 47, 'Claire Moss'), speaker: { start: 35, end: 38, name: 'Claire Moss', via: 'pronoun' as const } },
    ]];
    const s = scoreQuotes(docs, preds);
    assert.equal(s.speakerCorrect, 2);
    assert.equal(surname('Michael Mulgrew, president of the union,'), 'mulgrew');
  });
});
