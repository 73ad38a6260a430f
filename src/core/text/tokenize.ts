/**
 * Fast tokenizer and sentence splitter shared by the whole core.
 *
 * `tokenize(text, start?, end?)` returns a {@link TokenList}: parallel typed arrays of UTF-16
 * offsets (`starts[i]`, `ends[i]`, end exclusive, into the ORIGINAL text even when a sub-range is
 * tokenized) and per-token bit flags ({@link TOK_SENT_START}, {@link TOK_WORD}, ...). No per-token
 * objects are allocated; use {@link tokenText} or `text.slice(starts[i], ends[i])` when a string is
 * needed.
 *
 * Rules, in short:
 * - Whitespace (including NBSP, the U+2000 spaces, U+3000, BOM) separates tokens; CR, LF and CRLF
 *   are line breaks; a blank line starts a new paragraph (and sentence).
 * - Words are runs of letters/digits/marks. Internal hyphens between letters or digits stay inside
 *   (`Amir-Abdollahian`, `Nagorno-Karabakh`, `1996-08-30`, `38-run`). Internal apostrophes (`'` or
 *   `’`) stay inside (`O'Brien`, `d’Ivoire`) except English clitics, which become their own token
 *   (`China's` → `China` `'s`; `don't` → `do` `n't`; `'re 've 'll 'd 'm`). A trailing possessive
 *   apostrophe (`Jesus'`) is its own token.
 * - Numbers keep internal `,` and `.` before a digit (`5,000`, `3.5`, `1,234.56`).
 * - A period stays on a word for initials and acronyms (`J.`, `U.S.`, `U.N.`) and known
 *   abbreviations (`Mr.`, `Dr.`, `Inc.`, `Jan.`, ...). `...` and `--` are single tokens; every other
 *   symbol is one token of one code point (emoji and other astral symbols: 2 code units).
 * - Sentences end after `.` `!` `?` `…` (plus closing quotes/brackets) followed by whitespace and a
 *   token that can start a sentence, but not after titles and initials; and at blank lines.
 */

export interface TokenList {
  /** The text the offsets index into. */
  readonly text: string;
  /** Number of tokens. Arrays may be longer than `count`. */
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Bit set of TOK_* flags. */
  readonly flags: Uint8Array;
}

/** First token of a sentence. */
export const TOK_SENT_START = 1;
/** Token starting with a letter. */
export const TOK_WORD = 2;
/** Token starting with a digit. */
export const TOK_NUMBER = 4;
/** Anything else (punctuation, symbols, emoji). */
export const TOK_PUNCT = 8;
/** A line break lies between this token and the previous one. */
export const TOK_NEWLINE_BEFORE = 16;
/** Whitespace lies between this token and the previous one (or it is the first token). */
export const TOK_SPACE_BEFORE = 32;
/** First token of a paragraph (blank line before, or first token). */
export const TOK_PARA_START = 64;
/** Word whose first character is an upper-case letter. */
export const TOK_CAP = 128;

// Character classes for code units < 128.
const C_OTHER = 0;
const C_SPACE = 1;
const C_NL = 2;
const C_LETTER = 3;
const C_DIGIT = 4;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c === 10 || c === 13) ASCII[c] = C_NL;
  else if (c === 32 || c === 9 || c === 11 || c === 12) ASCII[c] = C_SPACE;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ASCII[c] = C_LETTER;
  else if (c >= 48 && c <= 57) ASCII[c] = C_DIGIT;
  else ASCII[c] = C_OTHER;
}

function isSpaceCode(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff || c === 0x85;
}

function isLineSep(c: number): boolean {
  return c === 0x2028 || c === 0x2029;
}

/** Letters and marks beyond ASCII (BMP). Surrogates are handled by the caller. */
function isWordCodeHigh(c: number): boolean {
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  if (c >= 0xfe10 && c <= 0xfe6f) return false;
  if (c >= 0xff00 && c <= 0xff20) return false;
  if (c >= 0xff3b && c <= 0xff40) return false;
  if (c >= 0xff5b && c <= 0xff65) return false;
  if (c === 0xfeff) return false;
  // Hebrew / Arabic punctuation that sits in letter blocks
  if (c === 0x5be || c === 0x5c0 || c === 0x5c3 || c === 0x60c || c === 0x61b || c === 0x61f || c === 0x6d4) return false;
  return true;
}

/** Is the astral code point a letter-like (word) character? Emoji and symbols (U+1F000..U+1FFFF) are not. */
function isWordAstral(cp: number): boolean {
  return !(cp >= 0x1f000 && cp <= 0x1ffff) && !(cp >= 0xe0000 && cp <= 0xe007f);
}

function isUpperCode(c: number): boolean {
  if (c < 128) return c >= 65 && c <= 90;
  const s = String.fromCharCode(c);
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

function isLowerCode(c: number): boolean {
  if (c < 128) return c >= 97 && c <= 122;
  const s = String.fromCharCode(c);
  return s !== s.toUpperCase() && s === s.toLowerCase();
}

const APOS = 0x27;
const RSQUO = 0x2019;

function isApos(c: number): boolean {
  return c === APOS || c === RSQUO;
}

/** Abbreviations that keep their period (lower-case, without the period). */
const ABBREV = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'sen', 'rep', 'gov', 'lt', 'col', 'capt', 'sgt', 'cpl', 'maj', 'adm', 'cmdr', 'st', 'mt', 'ft',
  'jr', 'sr', 'rev', 'hon', 'pres', 'supt', 'insp', 'fr', 'messrs', 'mme', 'mlle', 'sen', 'reps', 'sens', 'gens', 'esq',
  'inc', 'corp', 'co', 'ltd', 'bros', 'plc', 'llc', 'dept', 'univ', 'assn', 'no', 'nos', 'vs', 'v', 'etc', 'approx', 'est', 'vol', 'fig', 'eg', 'ie', 'al', 'cf', 'pp', 'op', 'ed', 'eds',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'ala', 'ariz', 'ark', 'calif', 'colo', 'conn', 'del', 'fla', 'ga', 'ill', 'ind', 'kan', 'kans', 'ky', 'la', 'md', 'mass', 'mich', 'minn', 'miss', 'mo', 'mont', 'neb', 'nev', 'okla', 'ore', 'pa', 'penn', 'tenn', 'tex', 'va', 'vt', 'wash', 'wis', 'wyo',
  'a.m', 'p.m', 'u.s', 'u.k', 'u.n', 'e.u',
]);
/** Abbreviations after which a sentence never ends (titles). */
const NO_BREAK_AFTER = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'sen', 'rep', 'gov', 'lt', 'col', 'capt', 'sgt', 'cpl', 'maj', 'adm', 'cmdr', 'st', 'mt', 'rev', 'hon', 'pres', 'fr', 'messrs', 'mme', 'mlle', 'no', 'nos', 'vs', 'v', 'cf', 'pp', 'vol', 'fig', 'sens', 'reps', 'gens', 'supt', 'insp', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);

const EMPTY = new Int32Array(0);

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, i)`: the call target is then a
 * known builtin that the optimiser inlines whatever kinds of strings (flat, sliced, concatenated,
 * one- or two-byte) the tokenizer has seen. Written `text.charCodeAt(i)`, the method lookup goes
 * megamorphic once callers have passed more than four kinds of strings, and every character read
 * becomes a generic call (measured: tokenizing the bench paragraphs after a few recognizeEntities
 * passes went from 0.34 to 0.17 µs per token).
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * Token arrays under construction: module-level scratch (tokenize is synchronous and does not
 * nest), copied at the end into one exact-size buffer per token list (one allocation, not three
 * over-sized ones per call).
 */
class Builder {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  flags = new Uint8Array(1024);
  n = 0;
  push(s: number, e: number, f: number): void {
    if (this.n === this.starts.length) this.grow();
    this.starts[this.n] = s;
    this.ends[this.n] = e;
    this.flags[this.n] = f;
    this.n++;
  }
  private grow(): void {
    const cap = this.starts.length * 2;
    const s = new Int32Array(cap);
    s.set(this.starts);
    const e = new Int32Array(cap);
    e.set(this.ends);
    const f = new Uint8Array(cap);
    f.set(this.flags);
    this.starts = s;
    this.ends = e;
    this.flags = f;
  }
  /** The tokens pushed so far as a token list over `text` (starts, ends and flags share one buffer). */
  finish(text: string): TokenList {
    const n = this.n;
    const buf = new ArrayBuffer(n * 9);
    const starts = new Int32Array(buf, 0, n);
    const ends = new Int32Array(buf, n * 4, n);
    const flags = new Uint8Array(buf, n * 8, n);
    const s = this.starts;
    const e = this.ends;
    const f = this.flags;
    for (let k = 0; k < n; k++) {
      starts[k] = s[k];
      ends[k] = e[k];
      flags[k] = f[k];
    }
    return { text, count: n, starts, ends, flags };
  }
}

const builder = new Builder();

/** Lower-cased ASCII-ish text of a word without its final period, for the abbreviation tables. */
function abbrevKey(text: string, s: number, e: number): string {
  return text.slice(s, e).toLowerCase();
}

/**
 * Tokenize `text[start, end)`. Offsets are into `text`. Runs in one pass over the code units.
 */
export function tokenize(text: string, start = 0, end = text.length): TokenList {
  if (start < 0) start = 0;
  if (end > text.length) end = text.length;
  if (end <= start) return { text, count: 0, starts: EMPTY, ends: EMPTY, flags: new Uint8Array(0) };
  const b = builder;
  b.n = 0;
  let i = start;
  let pendingFlags = TOK_SENT_START | TOK_PARA_START | TOK_SPACE_BEFORE;
  let newlines = 0;
  // whether the previous token ends a sentence if followed by a suitable start
  let sentenceEndPending = false;
  while (i < end) {
    const c = charCodeAt.call(text, i);
    let cls: number;
    if (c < 128) cls = ASCII[c];
    else if (isSpaceCode(c)) cls = C_SPACE;
    else if (isLineSep(c)) cls = C_NL;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = charCodeAt.call(text, i + 1);
      cls = d >= 0xdc00 && d <= 0xdfff && isWordAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) ? C_LETTER : C_OTHER;
    } else cls = isWordCodeHigh(c) ? C_LETTER : C_OTHER;

    if (cls === C_SPACE) {
      pendingFlags |= TOK_SPACE_BEFORE;
      i++;
      continue;
    }
    if (cls === C_NL) {
      pendingFlags |= TOK_SPACE_BEFORE | TOK_NEWLINE_BEFORE;
      if (c === 13 && i + 1 < end && charCodeAt.call(text, i + 1) === 10) i++;
      newlines++;
      if (newlines >= 2) pendingFlags |= TOK_PARA_START | TOK_SENT_START;
      i++;
      continue;
    }
    newlines = 0;
    const tokStart = i;
    let kind: number;
    if (cls === C_LETTER || cls === C_DIGIT) {
      kind = cls === C_DIGIT ? TOK_NUMBER : TOK_WORD;
      i = scanWord(text, i, end);
    } else {
      kind = TOK_PUNCT;
      i = scanPunct(text, i, end, c);
    }
    // Sentence break decision for the token that starts here.
    if (sentenceEndPending && (pendingFlags & TOK_SPACE_BEFORE) !== 0 && canStartSentence(text, tokStart, i, kind)) {
      pendingFlags |= TOK_SENT_START;
    }
    if (kind === TOK_WORD && isUpperCode(charCodeAt.call(text, tokStart))) kind |= TOK_CAP;
    // Markdown-ish line starts (headings, list items, quotes) begin sentences.
    if ((pendingFlags & TOK_NEWLINE_BEFORE) !== 0 && kind === TOK_PUNCT) {
      const ch = charCodeAt.call(text, tokStart);
      if (ch === 35 /* # */ || ch === 45 /* - */ || ch === 42 /* * */ || ch === 62 /* > */ || ch === 0x2022) pendingFlags |= TOK_SENT_START;
    }
    b.push(tokStart, i, pendingFlags | kind);
    pendingFlags = 0;
    // Does this token end a sentence?
    sentenceEndPending = computeSentenceEnd(text, b, tokStart, i, kind, sentenceEndPending);
  }
  return b.finish(text);
}

function computeSentenceEnd(text: string, b: Builder, s: number, e: number, kind: number, prevPending: boolean): boolean {
  const c = charCodeAt.call(text, e - 1);
  if (kind === TOK_PUNCT) {
    if (c === 46 /* . */ || c === 33 || c === 63 || c === 0x2026 /* … */ || c === 0x203c || c === 0x2049) return true;
    // closing quotes / brackets keep a pending sentence end
    if (prevPending && (c === 34 || c === 0x201d || c === 0x2019 || c === 39 || c === 41 || c === 93 || c === 0xbb || c === 0x201c)) return true;
    return false;
  }
  if (c === 46 && e - s > 1) {
    // word with attached period: abbreviation or initial
    const key = abbrevKey(text, s, e - 1);
    if (NO_BREAK_AFTER.has(key)) return false;
    // single initial (J.) — person initials rarely end sentences
    if (e - s === 2) return false;
    // acronyms with dots (U.S., U.N.) usually precede a name ("U.S. President"): no break
    if (charCodeAt.call(text, s + 1) === 46) return false;
    void b;
    return true;
  }
  return false;
}

function canStartSentence(text: string, s: number, _e: number, kind: number): boolean {
  if (kind === TOK_NUMBER) return true;
  const c = charCodeAt.call(text, s);
  if (kind === TOK_PUNCT) {
    return c === 34 || c === 0x201c || c === 0x2018 || c === 39 || c === 40 || c === 91 || c === 0xab || c === 45 || c === 0x2014 || c === 0x2013;
  }
  return !isLowerCode(c);
}

/** Scan a word/number starting at i; returns its end. */
function scanWord(text: string, i: number, end: number): number {
  const s = i;
  let allDigits = true;
  for (;;) {
    // consume word chars
    while (i < end) {
      const c = charCodeAt.call(text, i);
      if (c < 128) {
        const k = ASCII[c];
        if (k === C_LETTER) {
          allDigits = false;
          i++;
          continue;
        }
        if (k === C_DIGIT) {
          i++;
          continue;
        }
        break;
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        if (i + 1 < end) {
          const d = charCodeAt.call(text, i + 1);
          if (d >= 0xdc00 && d <= 0xdfff && isWordAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)) {
            allDigits = false;
            i += 2;
            continue;
          }
        }
        break;
      }
      if (isSpaceCode(c) || isLineSep(c) || !isWordCodeHigh(c)) break;
      allDigits = false;
      i++;
    }
    if (i >= end) return i;
    const c = charCodeAt.call(text, i);
    const next = i + 1 < end ? charCodeAt.call(text, i + 1) : -1;
    // number punctuation: 5,000 3.5
    if ((c === 44 || c === 46) && allDigits && next >= 48 && next <= 57) {
      i++;
      continue;
    }
    // internal hyphen (also non-breaking hyphen U+2011)
    if ((c === 45 || c === 0x2011) && next >= 0 && isWordStartCode(next)) {
      i++;
      continue;
    }
    if (isApos(c)) {
      if (next >= 0 && isLetterCode(next)) {
        // clitics: 's 're 've 'll 'd 'm (then a non-letter), and n't
        const cl = cliticLength(text, i, end);
        if (cl > 0) return i;
        if (i - s >= 1 && (charCodeAt.call(text, i - 1) === 110 || charCodeAt.call(text, i - 1) === 78) && (next === 116 || next === 84) && !isLetterAt(text, i + 2, end)) {
          // n't: split before the n, unless the word is just "n"
          return i - 1 > s ? i - 1 : i + 2;
        }
        i++;
        continue;
      }
      return i;
    }
    if (c === 46) return endAtPeriod(text, s, i, end, allDigits);
    return i;
  }
}

/**
 * The end of the word `text[s, i)` that stops at the period at `i`: past the period for an initial
 * (`J.`), an acronym (`U.S.`) or a known abbreviation (`Mr.`), at it otherwise.
 */
function endAtPeriod(text: string, s: number, i: number, end: number, allDigits: boolean): number {
  const len = i - s;
  if (!allDigits && len === 1 && isLetterCode(charCodeAt.call(text, s))) {
    // J. or U.S. — take the period; continue if a letter follows directly (U.S)
    i++;
    if (i < end && isLetterCode(charCodeAt.call(text, i)) && (i + 1 >= end || charCodeAt.call(text, i + 1) === 46)) {
      // U.S.: letter followed by a period
      return scanAcronym(text, i, end);
    }
    return i;
  }
  if (!allDigits && len <= 5 && ABBREV.has(abbrevKey(text, s, i))) {
    // don't eat a sentence-final period when the abbreviation is also an ordinary word at a line end ("Miss.")
    return i + 1;
  }
  return i;
}

/** After "U.", scan "S." "N." ... pairs of letter + period. */
function scanAcronym(text: string, i: number, end: number): number {
  while (i + 1 < end && isLetterCode(charCodeAt.call(text, i)) && charCodeAt.call(text, i + 1) === 46) {
    i += 2;
    if (i < end && !isLetterCode(charCodeAt.call(text, i))) break;
  }
  return i;
}

function isLetterAt(text: string, i: number, end: number): boolean {
  return i < end && isLetterCode(charCodeAt.call(text, i));
}

function isLetterCode(c: number): boolean {
  if (c < 128) return ASCII[c] === C_LETTER;
  if (c >= 0xd800 && c <= 0xdbff) return true;
  return !isSpaceCode(c) && !isLineSep(c) && isWordCodeHigh(c);
}

function isWordStartCode(c: number): boolean {
  if (c < 128) return ASCII[c] === C_LETTER || ASCII[c] === C_DIGIT;
  return isLetterCode(c);
}

/** Length of an English clitic starting with the apostrophe at i ('s 're 've 'll 'd 'm), or 0. */
function cliticLength(text: string, i: number, end: number): number {
  const a = i + 1 < end ? charCodeAt.call(text, i + 1) | 0x20 : -1;
  const b = i + 2 < end ? charCodeAt.call(text, i + 2) | 0x20 : -1;
  if (a === 115 /* s */ || a === 100 /* d */ || a === 109 /* m */) return isLetterAt(text, i + 2, end) ? 0 : 2;
  if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return isLetterAt(text, i + 3, end) ? 0 : 3;
  return 0;
}

/** Punctuation token starting at i. */
function scanPunct(text: string, i: number, end: number, c: number): number {
  if (isApos(c)) {
    // clitic token after a word: 's 're n't handled in scanWord; here the apostrophe starts the token
    const cl = cliticLength(text, i, end);
    if (cl > 0 && i > 0 && isLetterCode(charCodeAt.call(text, i - 1))) return i + cl;
    return i + 1;
  }
  if (c === 110 || c === 78) return i + 1; // not reached (letters are words)
  if (c === 46 && i + 2 < end && charCodeAt.call(text, i + 1) === 46 && charCodeAt.call(text, i + 2) === 46) {
    let j = i + 3;
    while (j < end && charCodeAt.call(text, j) === 46) j++;
    return j;
  }
  if (c === 45 && i + 1 < end && charCodeAt.call(text, i + 1) === 45) {
    let j = i + 2;
    while (j < end && charCodeAt.call(text, j) === 45) j++;
    return j;
  }
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = charCodeAt.call(text, i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return i + 2;
  }
  return i + 1;
}

/** The text of token i. */
export function tokenText(tokens: TokenList, i: number): string {
  return tokens.text.slice(tokens.starts[i], tokens.ends[i]);
}

/**
 * Sentences as token index ranges: `[s0, e0, s1, e1, ...]` (end exclusive) in an Int32Array.
 */
export function sentenceRanges(tokens: TokenList): Int32Array {
  const out: number[] = [];
  let s = 0;
  for (let i = 1; i < tokens.count; i++) {
    if (tokens.flags[i] & TOK_SENT_START) {
      out.push(s, i);
      s = i;
    }
  }
  if (tokens.count > 0) out.push(s, tokens.count);
  return Int32Array.from(out);
}
