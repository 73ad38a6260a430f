import { strict as assert } from 'node:assert';
import { splitParagraphs } from '../../../src/core/text/paragraphs';

describe('splitParagraphs', () => {
  it('splits on blank lines, including lines holding only NBSP', () => {
    const text = 'One.\n\nTwo a.\nTwo b.\u00a0\n \u00a0\nThree.';
    const spans = splitParagraphs(text).map((s) => text.slice(s.start, s.end));
    assert.deepEqual(spans, ['One.', 'Two a.\nTwo b.\u00a0', 'Three.']);
  });
  it('handles CRLF and leading blank lines', () => {
    const text = '\r\n\r\nA\r\n\r\nB\r\n';
    assert.deepEqual(splitParagraphs(text).map((s) => text.slice(s.start, s.end)), ['A', 'B']);
  });
  it('returns nothing for empty text', () => {
    assert.deepEqual(splitParagraphs(''), []);
  });
});
