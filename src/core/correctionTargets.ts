// Which mentions, and which places in the text, a correction is about: its own span, and with
// scope `all` every whole-word occurrence of its text.
import type { Correction } from './sidecar/model';
import type { Mention } from './types';

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Does a correction apply to a mention: with scope `all`, the mention's text is the target's exact
 * text; otherwise (and also) the mention overlaps the target span, unless the correction is
 * orphaned. Here against many corrections at once, in O(log n) per mention: the scope-all texts in
 * a set, the target spans sorted by start with the running maximum of their ends.
 */
export function matcher(cs: readonly Correction[]): (m: Mention) => boolean {
  const texts = new Set<string>();
  const spans: { start: number; end: number }[] = [];
  for (const c of cs) {
    if ((c.scope ?? 'all') === 'all' && c.target.exact) texts.add(c.target.exact);
    if (!c.orphan) spans.push({ start: c.target.start, end: c.target.end });
  }
  spans.sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  let run = -Infinity;
  for (const s of spans) maxEnd.push((run = Math.max(run, s.end)));
  return (m) => {
    if (texts.has(m.text)) return true;
    // spans starting before the mention's end: does one of them end after its start?
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].start < m.end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1] > m.start;
  };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Is there a letter or digit (a whole code point, astral ones included) just before `i`? */
function wordBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const lo = text.charCodeAt(i - 1);
  const ch = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
  return WORD_CHAR.test(ch);
}

/** Is there a letter or digit starting at `i`? */
function wordAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const cp = text.codePointAt(i) as number;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** `text[start, end)` is not part of a longer word (a re-anchored correction can land inside one). */
export function isWholeWordAt(text: string, start: number, end: number): boolean {
  return !wordBefore(text, start) && !wordAt(text, end);
}

const LEADING_WORD = /^[\p{L}\p{N}\p{M}]+/u;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Where each word of a text starts, by the word: built once per text, so that many scope-all
 * corrections each find their occurrences in the time of their own matches, not a scan of the text.
 */
export class WordIndex {
  private readonly starts = new Map<string, number[]>();
  constructor(private readonly text: string) {
    WORDS.lastIndex = 0;
    for (let m = WORDS.exec(text); m; m = WORDS.exec(text)) {
      const list = this.starts.get(m[0]);
      if (list) list.push(m.index);
      else this.starts.set(m[0], [m.index]);
    }
  }

  /** As `wholeWordOccurrences(text, exact)`. */
  occurrences(exact: string): number[] {
    const first = LEADING_WORD.exec(exact);
    if (!first) return wholeWordOccurrences(this.text, exact);
    const out: number[] = [];
    let after = 0;
    for (const i of this.starts.get(first[0]) ?? []) {
      if (i < after || !this.text.startsWith(exact, i) || wordAt(this.text, i + exact.length)) continue;
      out.push(i);
      after = i + exact.length;
    }
    return out;
  }
}

/**
 * Where `exact` occurs in `text` as a whole word (not preceded or followed by a letter or digit:
 * "Iran" is not found in "Iranian"), in order and without overlaps.
 */
export function wholeWordOccurrences(text: string, exact: string): number[] {
  const out: number[] = [];
  if (!exact) return out;
  let i = text.indexOf(exact);
  while (i !== -1) {
    const end = i + exact.length;
    if (!wordBefore(text, i) && !wordAt(text, end)) {
      out.push(i);
      i = text.indexOf(exact, end);
    } else {
      i = text.indexOf(exact, i + 1);
    }
  }
  return out;
}
