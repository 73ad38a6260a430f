import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LineIndex, OffsetMap, splitAtLineBreaks, stripBom, toNormalizedOffsets } from '../../../src/core/interchange/codepoints';
import { HARBOUR } from './helpers';

describe('interchange: code points', () => {
  it('counts an emoji as one code point and two UTF-16 units', () => {
    const text = 'a🌊b👩‍👩‍👧c';
    const map = new OffsetMap(text);
    assert.equal(map.codePointLength, Array.from(text).length);
    const b = text.indexOf('b');
    assert.equal(b, 3);
    assert.equal(map.toCodePoint(b), 2);
    assert.equal(map.toUnit(2), 3);
    const c = text.indexOf('c');
    assert.equal(map.toCodePoint(c), Array.from(text).indexOf('c'));
    assert.equal(map.toUnit(map.toCodePoint(c)), c);
  });

  it('rounds an offset inside a surrogate pair down to the character start', () => {
    const map = new OffsetMap('x🌊y');
    assert.equal(map.toCodePoint(2), 1); // between the two halves of 🌊
    assert.equal(map.toCodePoint(3), 2);
  });

  it('is the identity on text without astral characters, and clamps', () => {
    const map = new OffsetMap('plain “text”');
    assert.equal(map.toCodePoint(5), 5);
    assert.equal(map.toUnit(7), 7);
    assert.equal(map.toUnit(999), 12);
    assert.equal(map.toCodePoint(-3), 0);
  });

  it('agrees with Array.from at every character boundary (property)', () => {
    const chars = fc.constantFrom('a', ' ', '\n', 'é', '“', '🌊', '👩', '\u200d', '𝔸', '\r');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (arr) => {
        const text = arr.join('');
        const map = new OffsetMap(text);
        const cps = Array.from(text);
        let unit = 0;
        for (let cp = 0; cp <= cps.length; cp++) {
          assert.equal(map.toUnit(cp), unit);
          assert.equal(map.toCodePoint(unit), cp);
          if (cp < cps.length) unit += cps[cp].length;
        }
      }),
    );
  });

  it('strips only a leading BOM', () => {
    assert.deepEqual(stripBom('\ufeffabc'), { text: 'abc', bom: true });
    assert.deepEqual(stripBom('a\ufeffbc'), { text: 'a\ufeffbc', bom: false });
  });

  it('splits spans at line breaks for brat fragments, dropping empty ones', () => {
    const text = 'ab\n\ncd\r\nef';
    assert.deepEqual(splitAtLineBreaks(text, 0, text.length), [[0, 2], [4, 6], [8, 10]]);
    assert.deepEqual(splitAtLineBreaks(text, 1, 3), [[1, 2]]);
    assert.deepEqual(splitAtLineBreaks(text, 2, 4), []);
  });

  it('gives 1-based lines and columns', () => {
    const idx = new LineIndex(HARBOUR);
    const at = HARBOUR.indexOf('Port Ellis');
    assert.deepEqual(idx.position(at), { line: 3, column: 1 });
    assert.deepEqual(new LineIndex('a\r\nb').position(3), { line: 2, column: 1 });
  });
});

describe('interchange: CRLF offsets', () => {
  it('maps raw CRLF offsets onto the LF-normalised text', () => {
    const raw = 'ab\r\ncd\r\n\r\nef\rg';
    const norm = raw.replace(/\r\n/g, '\n');
    const f = toNormalizedOffsets(raw);
    for (const ch of ['a', 'c', 'd', 'e', 'g']) assert.equal(norm[f(raw.indexOf(ch))], ch);
    assert.equal(f(raw.length), norm.length);
    assert.equal(toNormalizedOffsets('plain')(3), 3);
  });
});
