import * as assert from 'node:assert/strict';
import { sentenceRanges, tokenize, tokenText, TOK_CAP, TOK_NEWLINE_BEFORE, TOK_NUMBER, TOK_PARA_START, TOK_PUNCT, TOK_SENT_START, TOK_WORD } from '../../../src/core/text/tokenize';

function words(text: string): string[] {
  const t = tokenize(text);
  const out: string[] = [];
  for (let i = 0; i < t.count; i++) out.push(tokenText(t, i));
  return out;
}

function sentences(text: string): string[] {
  const t = tokenize(text);
  const r = sentenceRanges(t);
  const out: string[] = [];
  for (let k = 0; k < r.length; k += 2) out.push(text.slice(t.starts[r[k]], t.ends[r[k + 1] - 1]));
  return out;
}

describe('tokenize', () => {
  it('splits words, numbers and punctuation with exact offsets', () => {
    const text = 'Over 5,000 people (3.5%) met in Baku on 1996-08-30.';
    const t = tokenize(text);
    assert.deepEqual(words(text), ['Over', '5,000', 'people', '(', '3.5', '%', ')', 'met', 'in', 'Baku', 'on', '1996-08-30', '.']);
    for (let i = 0; i < t.count; i++) assert.equal(text.slice(t.starts[i], t.ends[i]), tokenText(t, i));
    assert.ok(t.flags[1] & TOK_NUMBER);
    assert.ok(t.flags[3] & TOK_PUNCT);
    assert.ok(t.flags[9] & TOK_WORD && t.flags[9] & TOK_CAP);
  });

  it('keeps hyphenated names and internal apostrophes, splits clitics', () => {
    assert.deepEqual(words('Amir-Abdollahian visited Nagorno-Karabakh.'), ['Amir-Abdollahian', 'visited', 'Nagorno-Karabakh', '.']);
    assert.deepEqual(words("O'Brien and d’Ivoire"), ["O'Brien", 'and', 'd’Ivoire']);
    assert.deepEqual(words("China's army didn't go; Russia’s won't"), ['China', "'s", 'army', 'did', "n't", 'go', ';', 'Russia', '’s', 'wo', "n't"]);
    assert.deepEqual(words("the Jesus' disciples"), ['the', 'Jesus', "'", 'disciples']);
  });

  it('keeps acronyms, initials and titles with their period', () => {
    assert.deepEqual(words('Mr. J. Edgar Hoover of the U.S. and U.N. left.'), ['Mr.', 'J.', 'Edgar', 'Hoover', 'of', 'the', 'U.S.', 'and', 'U.N.', 'left', '.']);
  });

  it('treats NBSP and other Unicode spaces as spaces', () => {
    const text = 'Sergei\u00a0Lavrov\u2009said';
    assert.deepEqual(words(text), ['Sergei', 'Lavrov', 'said']);
    assert.equal(tokenize(text).starts[1], 7);
  });

  it('uses UTF-16 offsets with emoji and astral characters', () => {
    const text = 'Hi 😀 Zoë 𝐀bc!';
    const t = tokenize(text);
    assert.deepEqual(words(text), ['Hi', '😀', 'Zoë', '𝐀bc', '!']);
    assert.equal(t.starts[1], 3);
    assert.equal(t.ends[1], 5);
    assert.equal(t.starts[2], 6);
    assert.equal(t.starts[3], 10);
    assert.equal(t.ends[3], 14);
  });

  it('handles CRLF line breaks and paragraphs', () => {
    const text = 'First line\r\nsecond line\r\n\r\nNew paragraph';
    const t = tokenize(text);
    assert.deepEqual(words(text), ['First', 'line', 'second', 'line', 'New', 'paragraph']);
    assert.ok(t.flags[2] & TOK_NEWLINE_BEFORE);
    assert.ok(!(t.flags[2] & TOK_PARA_START));
    assert.ok(t.flags[4] & TOK_PARA_START && t.flags[4] & TOK_SENT_START);
    assert.equal(t.starts[4], text.indexOf('New'));
  });

  it('splits sentences but not after titles, initials or acronyms', () => {
    assert.deepEqual(sentences('Dr. Smith met Mr. Jones. They talked! "Really?" he asked. the end'), [
      'Dr. Smith met Mr. Jones.',
      'They talked!',
      '"Really?" he asked. the end',
    ]);
    assert.deepEqual(sentences('The U.S. President spoke. J. Edgar Hoover did not.'), ['The U.S. President spoke.', 'J. Edgar Hoover did not.']);
  });

  it('tokenizes a sub-range with offsets into the whole text', () => {
    const text = 'skip this. Keep these words';
    const t = tokenize(text, 11);
    assert.deepEqual([t.count, t.starts[0], tokenText(t, 0)], [3, 11, 'Keep']);
    assert.ok(t.flags[0] & TOK_SENT_START);
  });

  it('returns no tokens for empty or blank input', () => {
    assert.equal(tokenize('').count, 0);
    assert.equal(tokenize(' \u00a0\n\t').count, 0);
  });
});
