import * as assert from 'node:assert/strict';
import { findNumbers } from '../../../src/core/ner/numbers';

function nums(text: string): [string, string | undefined][] {
  return findNumbers(text).map((h) => [text.slice(h.start, h.end), h.value]);
}

describe('numbers', () => {
  it('keeps the qualifier with counts', () => {
    assert.deepEqual(nums('The flood displaced over 5,000 villagers. More than 2,000 of them are elderly.'), [
      ['over 5,000', '>5000'],
      ['More than 2,000', '>2000'],
    ]);
    assert.deepEqual(nums('at least 15 people and nearly 300 cars'), [['at least 15', '>=15'], ['nearly 300', '~300']]);
  });
  it('reads money and percentages', () => {
    assert.deepEqual(nums('a $3.5 billion loan at 12% interest, up 4 percent'), [
      ['$3.5 billion', 'USD 3500000000'],
      ['12%', '12%'],
      ['4 percent', '4%'],
    ]);
    assert.deepEqual(nums('fined £5m'), [['£5m', 'GBP 5000000']]);
  });
  it('reads spelled numbers', () => {
    assert.deepEqual(nums('two million visitors and twenty-five boats'), [['two million', '2000000'], ['twenty-five', '25']]);
  });
  it('leaves ordinals, identifiers, years and times alone', () => {
    assert.deepEqual(nums('the first time, the 3rd round, a G20 summit, an F-16 jet, COVID-19, in 2019, at 10 a.m., No. 7'), []);
  });
});
