import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { capRunAt, nextUpper, upperAt, wordCharsEnd, type CapRun } from '../../../src/core/ner/capwords';

// Text with ASCII and non-ASCII letters, digits, apostrophes, periods, hyphens, Unicode spaces,
// astral capitals (surrogate pairs) and lone surrogates.
const ch = fc.constantFrom(
  'A', 'B', 'z', 'q', 'É', 'é', 'Ω', 'ω', 'Ж', 'ж', '𝐀', '𝐚', '\ud835', '\udc00', '1', '٣', '’', "'", '.', '-', ',', ' ', ' ', '\n', '\u00a0',
  '\u2009', '\u3000', '\ufeff', '\t', 's', '(', '_', 'ǅ',
);
const text = fc.array(ch, { maxLength: 40 }).map((cs) => cs.join(''));

/** The runs the old rule found: a global `u` regex, going on at `restart(match)`. */
function regexRuns(t: string, restart: (s: number, m: string) => number): [number, number, number, boolean][] {
  const re = /[\p{Lu}][\p{L}’'.-]*(?:\s+[\p{Lu}][\p{L}’'.-]*)?/gu;
  const out: [number, number, number, boolean][] = [];
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const sp = m[0].search(/\s/);
    out.push([m.index, sp > 0 ? m.index + sp : m.index + m[0].length, m.index + m[0].length, m[0].includes(' ')]);
    re.lastIndex = restart(m.index, m[0]);
  }
  return out;
}

function scanRuns(t: string, restart: (r: CapRun) => number): [number, number, number, boolean][] {
  const out: [number, number, number, boolean][] = [];
  const r: CapRun = { start: 0, firstEnd: 0, end: 0, spaced: false };
  for (let p = nextUpper(t, 0); p >= 0; p = nextUpper(t, restart(r))) {
    capRunAt(t, p, r);
    out.push([r.start, r.firstEnd, r.end, r.spaced]);
  }
  return out;
}

describe('capitalised words without regular expressions', () => {
  it('finds the capitalised words of `[\\p{Lu}][\\p{L}\\p{N}’\'.-]*`', () => {
    fc.assert(
      fc.property(text, (t) => {
        const want = [...t.matchAll(/[\p{Lu}][\p{L}\p{N}’'.-]*/gu)].map((m) => [m.index, m.index + m[0].length]);
        const got: number[][] = [];
        for (let p = nextUpper(t, 0); p >= 0; ) {
          const end = wordCharsEnd(t, p + upperAt(t, p), true);
          got.push([p, end]);
          p = nextUpper(t, end);
        }
        assert.deepEqual(got, want);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the one- and two-word runs, going on after the run or after the first space', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (t, second) => {
        const wantAfter = regexRuns(t, (s, m) => s + m.length);
        assert.deepEqual(scanRuns(t, (r) => r.end), wantAfter);
        if (second) {
          const want = regexRuns(t, (s, m) => (m.search(/\s/) > 0 ? s + m.search(/\s/) + 1 : s + m.length));
          assert.deepEqual(scanRuns(t, (r) => (r.end > r.firstEnd ? r.firstEnd + 1 : r.end)), want);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads astral capitals as one letter and skips lone surrogates', () => {
    assert.equal(upperAt('𝐀bc', 0), 2);
    assert.equal(upperAt('\ud835x', 0), 0);
    assert.equal(nextUpper('x𝐚 𝐀', 0), 4);
    assert.equal(wordCharsEnd('Ab𝐚c d', 1, false), 5);
  });
});
