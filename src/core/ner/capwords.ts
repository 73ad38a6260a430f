/**
 * Capitalised words of a paragraph, found with a character scan instead of Unicode-property
 * regular expressions. The paragraph rules visit every capitalised word, and most of them are
 * already marked: a scan lets them skip a marked word without making a match array or a string.
 * Each function gives exactly what the regular expression in its comment gives at the same
 * position (tests compare them on random text, surrogate pairs and Unicode spaces included).
 */

/** Called as `charCodeAt.call(text, i)`: stays inlined whatever kinds of strings come by (see tokenize.ts). */
const charCodeAt = String.prototype.charCodeAt;
const LU = /\p{Lu}/uy;
const L = /\p{L}/uy;
const LN = /[\p{L}\p{N}]/uy;

/**
 * Classes of the non-ASCII code units outside the surrogates, filled on first sight from the same
 * regular expressions: 1 known, 2 `\p{Lu}`, 4 `\p{L}`, 8 `[\p{L}\p{N}]`. Text in other scripts
 * (Cyrillic, Greek, accented Latin) then costs a table read per character, not a regex call.
 */
const BMP = new Uint8Array(0x10000);
const UPPER = 2;
const LETTER = 4;
const LETTER_OR_DIGIT = 8;

function bmpClass(c: number): number {
  let k = BMP[c];
  if (k === 0) {
    const ch = String.fromCharCode(c);
    k = 1 | (/\p{Lu}/u.test(ch) ? UPPER : 0) | (/\p{L}/u.test(ch) ? LETTER : 0) | (/[\p{L}\p{N}]/u.test(ch) ? LETTER_OR_DIGIT : 0);
    BMP[c] = k;
  }
  return k;
}

function isSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdfff;
}

/** Length (1 or 2 code units) of the upper-case letter at `p`, 0 when there is none. */
export function upperAt(text: string, p: number): number {
  const c = charCodeAt.call(text, p);
  if (c < 128) return c >= 65 && c <= 90 ? 1 : 0;
  if (!isSurrogate(c)) return bmpClass(c) & UPPER ? 1 : 0;
  LU.lastIndex = p;
  return LU.test(text) ? LU.lastIndex - p : 0;
}

/**
 * End of the run of `[\p{L}’'.-]` (`digits` false) or `[\p{L}\p{N}’'.-]` (`digits` true)
 * characters from `p`.
 */
export function wordCharsEnd(text: string, p: number, digits: boolean): number {
  const n = text.length;
  const re = digits ? LN : L;
  while (p < n) {
    const c = charCodeAt.call(text, p);
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 46 || c === 45 || (digits && c >= 48 && c <= 57)) p++;
      else break;
    } else if (c === 0x2019) p++;
    else if (!isSurrogate(c)) {
      if (bmpClass(c) & (digits ? LETTER_OR_DIGIT : LETTER)) p++;
      else break;
    } else {
      re.lastIndex = p;
      if (!re.test(text)) break;
      p = re.lastIndex;
    }
  }
  return p;
}

/** Is the code unit `c` matched by `\s` (with the `u` flag)? */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The next position ≥ `from` where an upper-case letter starts, scanning by code point as a
 * global `u` regular expression does (a surrogate pair is one step). -1 when none.
 */
export function nextUpper(text: string, from: number): number {
  const n = text.length;
  for (let p = from; p < n; ) {
    const c = charCodeAt.call(text, p);
    if (c < 128) {
      if (c >= 65 && c <= 90) return p;
      p++;
      continue;
    }
    if (upperAt(text, p) > 0) return p;
    p += c >= 0xd800 && c <= 0xdbff && p + 1 < n && (charCodeAt.call(text, p + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return -1;
}

/** A capitalised run: `[\p{Lu}][\p{L}’'.-]*(?:\s+[\p{Lu}][\p{L}’'.-]*)?` at `start`. */
export interface CapRun {
  start: number;
  /** End of the first word. */
  firstEnd: number;
  /** End of the run (= firstEnd without a second word). */
  end: number;
  /** The whitespace between the words includes a plain space. */
  spaced: boolean;
}

/** The run at `p` (an upper-case letter, see {@link nextUpper}) into `out`. */
export function capRunAt(text: string, p: number, out: CapRun): void {
  const firstEnd = wordCharsEnd(text, p + upperAt(text, p), false);
  out.start = p;
  out.firstEnd = firstEnd;
  out.end = firstEnd;
  out.spaced = false;
  let q = firstEnd;
  let spaced = false;
  while (q < text.length) {
    const c = charCodeAt.call(text, q);
    if (!isSpaceCode(c)) break;
    if (c === 32) spaced = true;
    q++;
  }
  if (q === firstEnd || q >= text.length) return;
  const u = upperAt(text, q);
  if (u === 0) return;
  out.end = wordCharsEnd(text, q + u, false);
  out.spaced = spaced;
}
