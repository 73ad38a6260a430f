/**
 * Words for quotation checking: runs of letters and digits with their UTF-16 offsets, normalised for
 * comparison. Pure; no `vscode`, no Node built-ins.
 *
 * Why not the core tokenizer (src/core/text/tokenize.ts)? It is built for recognition: it splits
 * clitics (`don't` → `do` `n't`), keeps hyphenated words whole and emits punctuation tokens. For
 * alignment we want the opposite trade-offs: punctuation is not a word at all (so quotation marks,
 * edge punctuation, commas and dashes vanish without a special case), clitics stay on their word,
 * and hyphens separate words (`well-known` = `well known`, which writers and transcribers vary).
 *
 * Normalisation (see `normWord`): lower case (so the case of a first letter — and any other — never
 * counts as an alteration), curly and modifier apostrophes → `'`, a trailing possessive apostrophe
 * dropped. Numbers keep internal `,` and `.` between digits (`5,000`, `3.5`).
 */

/**
 * The word rule, as a regular expression (for reading; `words` implements it with a faster scanner):
 * letters, digits and combining marks, with internal apostrophes (`don't`, `O’Brien`), and `,` or
 * `.` between digits (`5,000`, `3.5`).
 */
export const WORD_RE = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u2018\u02BC][\p{L}\p{N}\p{M}]+|(?<=\p{N})[.,]\p{N}+)*/gu;

export interface Words {
  /** Normalised form of each word. */
  norm: string[];
  /** UTF-16 offsets into the text, end exclusive. */
  starts: number[];
  ends: number[];
}

/** The normalised form of one word as `words` finds it. */
export function normWord(w: string): string {
  let s = w.toLowerCase();
  if (/[\u2019\u2018\u02BC]/.test(s)) s = s.replace(/[\u2019\u2018\u02BC]/g, "'");
  return s;
}

// Character classes: 1 letter or mark, 2 digit, 0 other. ASCII in a table; the rest tested once and cached.
const LETTER = 1;
const DIGIT = 2;
const cls = new Uint8Array(65536);
const known = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  known[c] = 1;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) cls[c] = LETTER;
  else if (c >= 48 && c <= 57) cls[c] = DIGIT;
}
const IS_LM = /^[\p{L}\p{M}]$/u;
const IS_N = /^\p{N}$/u;

function classOf(c: number): number {
  if (known[c]) return cls[c];
  const ch = String.fromCharCode(c);
  const k = IS_LM.test(ch) ? LETTER : IS_N.test(ch) ? DIGIT : 0;
  cls[c] = k;
  known[c] = 1;
  return k;
}

/** Class of the character at `i` (a high surrogate: of its code point). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return cls[c];
  if (c >= 0xd800 && c <= 0xdbff) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    return IS_LM.test(ch) ? LETTER : IS_N.test(ch) ? DIGIT : 0;
  }
  return classOf(c);
}

/** The words of `text.slice(start, end)` (offsets into `text`). */
export function words(text: string, start = 0, end = text.length): Words {
  const norm: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  // Lower-case once when that keeps every offset (it does unless a character changes length, e.g. İ).
  const lowered = slice.toLowerCase();
  const same = lowered.length === slice.length;
  const n = slice.length;
  let i = 0;
  while (i < n) {
    const c0 = slice.charCodeAt(i);
    if (classAt(slice, i) === 0) {
      i++;
      continue;
    }
    const ws = i;
    let curly = false;
    let lastDigit = false;
    while (i < n) {
      const c = slice.charCodeAt(i);
      const k = classAt(slice, i);
      if (k !== 0) {
        lastDigit = k === DIGIT;
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        continue;
      }
      if (i + 1 < n) {
        const k2 = classAt(slice, i + 1);
        if (k2 !== 0 && (c === 39 || c === 0x2019 || c === 0x2018 || c === 0x2bc)) {
          if (c !== 39) curly = true;
          i++;
          continue;
        }
        if (k2 === DIGIT && lastDigit && (c === 46 || c === 44)) {
          i++;
          continue;
        }
      }
      break;
    }
    if (i === ws) i = ws + (c0 >= 0xd800 && c0 <= 0xdbff ? 2 : 1);
    let w = same ? lowered.slice(ws, i) : slice.slice(ws, i).toLowerCase();
    if (curly) w = w.replace(/[\u2019\u2018\u02BC]/g, "'");
    norm.push(w);
    starts.push(start + ws);
    ends.push(start + i);
  }
  return { norm, starts, ends };
}

/**
 * Interns normalised words as small integers so that alignment compares numbers. Grows only (an
 * edit that introduces new words adds them; removing a source leaves them — a few bytes each).
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  id(word: string): number {
    let i = this.ids.get(word);
    if (i === undefined) {
      i = this.list.length;
      this.ids.set(word, i);
      this.list.push(word);
    }
    return i;
  }

  /** The id of a known word, or -1. */
  lookup(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  word(id: number): string {
    return this.list[id];
  }

  get size(): number {
    return this.list.length;
  }
}

/** The hash of a word 3-gram (ids), 32-bit. */
export function trigramKey(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  return (h ^ (h >>> 15)) | 0;
}
