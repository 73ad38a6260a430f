import { strict as assert } from 'node:assert';
import { Vocabulary, normWord, parseQuotation, trigramKey, words } from '../../../src/core/quotecheck';

describe('quotecheck: words', () => {
  it('drops punctuation and quotation marks, lower-cases, straightens apostrophes, keeps clitics on their word', () => {
    const w = words('“We don’t — can’t — accept THE plan,” he said.');
    assert.deepEqual(w.norm, ["we", "don't", "can't", 'accept', 'the', 'plan', 'he', 'said']);
  });

  it('splits hyphens and dashes, keeps numbers with separators whole', () => {
    assert.deepEqual(words('well-known 5,000 people—3.5 percent').norm, ['well', 'known', '5,000', 'people', '3.5', 'percent']);
  });

  it('gives UTF-16 offsets into the original text (astral characters count two)', () => {
    const text = '😀 Ünïcode café “naïve”';
    const w = words(text);
    assert.deepEqual(w.norm, ['ünïcode', 'café', 'naïve']);
    for (let i = 0; i < w.norm.length; i++) assert.equal(text.slice(w.starts[i], w.ends[i]).toLowerCase(), w.norm[i]);
  });

  it('offsets of a sub-range are offsets into the whole text', () => {
    const text = 'aaa “bb cc” dd';
    const w = words(text, 4, 11);
    assert.deepEqual(w.norm, ['bb', 'cc']);
    assert.equal(text.slice(w.starts[0], w.ends[1]), 'bb cc');
  });

  it('normWord agrees with words', () => {
    assert.equal(normWord('O’Brien'), "o'brien");
  });

  it('Vocabulary interns words; trigramKey is a 32-bit integer', () => {
    const v = new Vocabulary();
    assert.equal(v.id('a'), 0);
    assert.equal(v.id('b'), 1);
    assert.equal(v.id('a'), 0);
    assert.equal(v.lookup('zzz'), -1);
    const k = trigramKey(1, 2, 3);
    assert.equal(k | 0, k);
    assert.notEqual(k, trigramKey(3, 2, 1));
  });
});

describe('quotecheck: parseQuotation', () => {
  const show = (s: string) =>
    parseQuotation(s).map((i) => (i.kind === 'word' ? i.norm : i.kind === 'ellipsis' ? '…' : `[${i.text}]`));

  it('finds ellipses in every spelling', () => {
    assert.deepEqual(show('a … b ... c . . . d [...] e […] f'), ['a', '…', 'b', '…', 'c', '…', 'd', '…', 'e', '…', 'f']);
  });

  it('finds brackets, attached to a word or standing alone', () => {
    assert.deepEqual(show('[W]e said [the president] will reform[s]'), ['[We]', 'said', '[the president]', 'will', '[reforms]']);
  });

  it('keeps offsets of the marks', () => {
    const s = '“We … win”';
    const items = parseQuotation(s);
    assert.equal(s.slice(items[1].start, items[1].end), '…');
  });
});
