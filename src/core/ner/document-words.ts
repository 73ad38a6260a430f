/**
 * The words of the names the document pass indexes, memoised per distinct text: a name's words,
 * its long-form runs and initials, a full name's inner runs, and an entity's id slug.
 */
import type { EntityType } from '../types';
import { isSpaceCode } from './capwords';
import { BoundedMemo } from '../text/memo';

const MEMO_MAX = 100000;
/**
 * Memos outlive a recognition: only short keys are kept. A long "name" (a title-cased table of
 * contents read as one organisation) has O(words²) runs, and each keystroke in it a new key.
 */
const MEMO_KEY_MAX = 160;

/** A long form (organisation or place name) with its index keys, computed once per distinct text. */
export interface LongForm {
  text: string;
  /** Prefix and suffix word runs (k = 1 … words − 1, prefix then suffix). */
  runs: string[];
  /** Initials (two words or more), else undefined. */
  initials?: string;
}

/** A full person name with its words and inner word runs, computed once per distinct text. */
export interface FullName {
  text: string;
  words: string[];
  /** Word runs of ≥ 2 words shorter than the name (names of ≥ 3 words). */
  subRuns: string[];
}

/** One memo of `canonical → type:canonical-slug` per type, with its maker (no closure per lookup). */
interface SlugMemo {
  memo: BoundedMemo<string>;
  make: (canonical: string) => string;
}
const slugMemos = new Map<EntityType, SlugMemo>();

function slugMemoFor(type: EntityType): SlugMemo {
  let m = slugMemos.get(type);
  if (!m) {
    m = { memo: new BoundedMemo<string>(MEMO_MAX, MEMO_KEY_MAX), make: (canonical) => `${type}:${canonical.toLowerCase().replace(/\s+/g, '-')}` };
    slugMemos.set(type, m);
  }
  return m;
}

/** The entity id of a canonical name of a type (`person:ebrahim-raisi`). */
export function slug(type: EntityType, canonical: string): string {
  const m = slugMemoFor(type);
  return m.memo.get(canonical, m.make);
}

// The values below are made from the memo's copy of the key (their words are substrings of it).
const wordMemo = new BoundedMemo<string[]>(MEMO_MAX, MEMO_KEY_MAX);
const splitWords = (s: string): string[] => s.split(/\s+/).filter(Boolean);
export function words(s: string): string[] {
  return wordMemo.get(s, splitWords);
}

const MINOR_WORD = /^(?:of|the|for|and|on|in|de|du|la|le|des|der)$/i;

function initials(ws: readonly string[]): string {
  let out = '';
  for (const w of ws) {
    if (MINOR_WORD.test(w)) continue;
    for (const part of w.split('-')) out += part[0] ?? '';
  }
  return out.toUpperCase();
}

/** `words(s).length >= 2`, without splitting. */
export function multiWord(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  while (i < n && !isSpaceCode(s.charCodeAt(i))) i++;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  return i < n;
}

const longMemo = new BoundedMemo<LongForm>(MEMO_MAX, MEMO_KEY_MAX);
export function longForm(t: string): LongForm {
  return longMemo.get(t, makeLongForm);
}
/**
 * Longer runs never name anything: a long title-cased line read as one name (a table of contents)
 * would otherwise cost time and memory quadratic (long forms) or cubic (full names) in its words.
 */
const RUN_WORDS_MAX = 8;

function makeLongForm(t: string): LongForm {
  const ws = words(t);
  const runs: string[] = [];
  for (let k = 1, kn = Math.min(ws.length, RUN_WORDS_MAX + 1); k < kn; k++) {
    runs.push(ws.slice(0, k).join(' '));
    runs.push(ws.slice(ws.length - k).join(' '));
  }
  return { text: t, runs, initials: ws.length >= 2 ? initials(ws) : undefined };
}

const fullMemo = new BoundedMemo<FullName>(MEMO_MAX, MEMO_KEY_MAX);
export function fullName(n: string): FullName {
  return fullMemo.get(n, makeFullName);
}
function makeFullName(n: string): FullName {
  const ws = words(n);
  const subRuns: string[] = [];
  if (ws.length >= 3 && ws.length <= RUN_WORDS_MAX)
    for (let a = 0; a < ws.length; a++)
      for (let b = a + 2; b <= ws.length; b++) if (b - a < ws.length) subRuns.push(ws.slice(a, b).join(' '));
  return { text: n, words: ws, subRuns };
}
