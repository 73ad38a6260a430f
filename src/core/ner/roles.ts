/**
 * Titles and roles: "Russian Foreign Minister Sergei Lavrov" gives Lavrov the role
 * "Russian Foreign Minister"; "Lavrov, Russia's foreign minister," and "the Russian foreign
 * minister, Sergei Lavrov," too. A role phrase ("the Iranian president", "Russian FM") resolves to
 * the person the text gave that role ({@link resolveRolePhrase}).
 */
import type { Entity } from '../types';
import { BoundedMemo } from '../text/memo';

/** Title head words and multi-word titles (lower case). Multi-word first so they win. */
const TITLE_PHRASES = [
  'prime minister', 'foreign minister', 'defence minister', 'defense minister', 'interior minister', 'finance minister',
  'economy minister', 'health minister', 'justice minister', 'energy minister', 'oil minister', 'trade minister',
  'deputy prime minister', 'deputy foreign minister', 'vice president', 'vice-president', 'president-elect', 'vice premier',
  'secretary of state', 'secretary-general', 'secretary general', 'attorney general', 'chief justice', 'chief executive',
  'supreme leader', 'national security adviser', 'national security advisor', 'press secretary', 'white house press secretary',
  'foreign secretary', 'home secretary', 'defense secretary', 'defence secretary', 'chief of staff', 'crown prince',
  'house speaker', 'majority leader', 'minority leader', 'special envoy', 'un ambassador', 'first lady',
];
const TITLE_WORDS = new Set([
  'president', 'minister', 'premier', 'chancellor', 'secretary', 'king', 'queen', 'prince', 'princess', 'emperor', 'empress',
  'pope', 'senator', 'sen.', 'rep.', 'representative', 'congressman', 'congresswoman', 'governor', 'gov.', 'mayor', 'judge',
  'justice', 'ambassador', 'envoy', 'spokesman', 'spokeswoman', 'spokesperson', 'general', 'gen.', 'colonel', 'col.',
  'lieutenant', 'lt.', 'captain', 'capt.', 'sergeant', 'sgt.', 'admiral', 'adm.', 'commander', 'chief', 'chairman',
  'chairwoman', 'chair', 'ceo', 'director', 'leader', 'speaker', 'candidate', 'nominee', 'coach', 'manager', 'sheikh',
  'ayatollah', 'imam', 'rabbi', 'cardinal', 'archbishop', 'bishop', 'sir', 'dame', 'lord', 'lady', 'professor', 'prof.',
  'dr.', 'dr', 'mr.', 'mrs.', 'ms.', 'mr', 'mrs', 'ms', 'advisor', 'adviser', 'commissioner', 'head', 'founder', 'spokesperson',
  'lawmaker', 'legislator', 'diplomat', 'official', 'officer', 'president-elect', 'fm', 'pm', 'vp', 'ceo', 'cfo', 'coo',
  'mp', 'mep', 'monarch', 'sultan', 'emir', 'crown', 'deputy', 'pres.', 'amb.', 'sec.', 'supt.', 'inspector', 'detective',
  'journalist', 'reporter', 'correspondent', 'editor', 'analyst', 'economist', 'researcher', 'attorney', 'lawyer', 'strongman',
]);
/** Honorifics: part of the title, but not a role worth reporting on their own. */
const HONORIFICS = new Set(['mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'sir', 'dame', 'lord', 'lady', 'prof.', 'professor']);

/** Common abbreviations of titles (lower case, no trailing period) → expansion. */
export const TITLE_ABBREVIATIONS: Record<string, string> = {
  fm: 'foreign minister',
  pm: 'prime minister',
  dm: 'defence minister',
  vp: 'vice president',
  ceo: 'chief executive',
  sg: 'secretary-general',
  gen: 'general',
  sen: 'senator',
  rep: 'representative',
  gov: 'governor',
  pres: 'president',
  amb: 'ambassador',
  sec: 'secretary',
  secstate: 'secretary of state',
  secdef: 'defense secretary',
  col: 'colonel',
  lt: 'lieutenant',
  capt: 'captain',
  adm: 'admiral',
  sgt: 'sergeant',
  supt: 'superintendent',
  mp: 'member of parliament',
};

const SPELLING: Record<string, string> = { defense: 'defence', advisor: 'adviser', 'vice-president': 'vice president', 'secretary general': 'secretary-general' };

let phraseWords: Set<string> | undefined;
/** Every word of the multi-word titles ("prime", "minister", "secretary", "state", …). */
function titlePhraseWords(): Set<string> {
  phraseWords ??= new Set(TITLE_PHRASES.flatMap((t) => t.split(' ')));
  return phraseWords;
}

/** Is `word` (any case) a title word? */
export function isTitleWord(word: string): boolean {
  const w = word.toLowerCase();
  return TITLE_WORDS.has(w) || (w.charCodeAt(w.length - 1) === 46 && TITLE_WORDS.has(w.slice(0, -1)));
}

export function isHonorific(word: string): boolean {
  return HONORIFICS.has(word.toLowerCase());
}

/** `isTitleWord(word) || isHonorific(word)`, lower-casing once. */
export function isTitleOrHonorific(word: string): boolean {
  const w = word.toLowerCase();
  return TITLE_WORDS.has(w) || (w.charCodeAt(w.length - 1) === 46 && TITLE_WORDS.has(w.slice(0, -1))) || HONORIFICS.has(w);
}

/** Does the phrase contain a title (a title word, or a multi-word title)? */
export function hasTitle(phrase: string): boolean {
  const p = phrase.toLowerCase();
  if (TITLE_PHRASES.some((t) => p.includes(t))) return true;
  return p.split(/\s+/).some((w) => isTitleWord(w));
}


const ROLE_WORD_CHAR = /[\p{L}\p{N}.'’-]/u;

/** `ROLE_WORD_CHAR.test(text[i])` (one UTF-16 unit), without the regular expression for ASCII. */
function isRoleWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 39 || c === 45;
  return ROLE_WORD_CHAR.test(text[i]);
}

/** Any of the characters `\s` matches. */
function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The role phrase immediately before a name at `nameStart` in `text`: capitalised modifiers
 * (demonyms, countries, organisations, "Foreign") and title words, possibly "former"/"then-",
 * ending right before the name. Returns the span of the phrase or undefined when the words before
 * the name hold no title. `floor` bounds the search (start of the paragraph).
 */
export function roleBefore(text: string, nameStart: number, floor = 0): { start: number; end: number } | undefined {
  // Collect up to 7 words going left, stopping at punctuation other than '.', '’s', '-'.
  let i = nameStart;
  let start = nameStart;
  let titleSeen = false;
  let words = 0;
  const lower = Math.max(floor, nameStart - 120);
  while (i > lower && words < 7) {
    let j = i;
    while (j > lower && (text[j - 1] === ' ' || text[j - 1] === '\u00a0')) j--;
    if (j === i && i !== nameStart) break;
    if (j === i && i === nameStart) break; // no space before the name: not a title construction
    let k = j;
    while (k > lower && isRoleWordChar(text, k - 1)) k--;
    if (k === j) break;
    const w = text.slice(k, j);
    let wl = w.toLowerCase();
    if (wl.length >= 2 && wl.charCodeAt(wl.length - 1) === 115 && (wl.charCodeAt(wl.length - 2) === 39 || wl.charCodeAt(wl.length - 2) === 0x2019)) wl = wl.slice(0, -2);
    const c0 = w.charCodeAt(0);
    const cap = c0 < 128 ? c0 >= 65 && c0 <= 90 : /^\p{Lu}/u.test(w);
    const isTitle = isTitleWord(w) || titlePhraseWords().has(wl);
    if (isTitle) titleSeen = true;
    else if (wl === 'former' || wl === 'then' || wl.startsWith('then-') || wl === 'acting' || wl === 'deputy' || wl === 'new' || wl === 'late' || wl === 'top' || wl === 'senior' || wl === 'foreign' || wl === 'of' || wl === 'state' || wl === 'defence' || wl === 'defense' || wl === 'interior' || wl === 'national' || wl === 'security') {
      // modifiers allowed inside a role
    } else if (!cap) break;
    else if (!titleSeen) break; // capitalised word right before the name that is not a title: part of the name
    start = k;
    i = k;
    words++;
  }
  if (!titleSeen || start >= nameStart) return undefined;
  // Trim a leading "of" and trailing spaces.
  let s = start;
  while (/^(?:of|the)\s/i.test(text.slice(s, nameStart))) s = text.indexOf(' ', s) + 1;
  let e = nameStart;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e <= s) return undefined;
  const phrase = text.slice(s, e);
  // A lone honorific ("Mr.") is not a role.
  if (phrase.split(/\s+/).every((w) => isHonorific(w))) return undefined;
  return { start: s, end: e };
}

/**
 * Appositive role after a name: "Sergei Lavrov, Russia's foreign minister," / "Raisi, the
 * Iranian president," / "Lavrov, who is Russia's top diplomat" (not handled). Returns the role
 * phrase span (without "the"/"a") when the appositive contains a title.
 */
export function roleAfter(text: string, nameEnd: number, ceiling = text.length): { start: number; end: number } | undefined {
  // The pattern starts with a comma right after the name.
  if (text.charCodeAt(nameEnd) !== 44 || Math.min(ceiling, nameEnd + 100) <= nameEnd) return undefined;
  const m = /^,\s+((?:the|a|an)\s+)?([^,.;:()“”"]{3,80}?)(?=,|\.\s|\.$|;|\s+(?:said|says|told|added|wrote|announced)\b)/u.exec(text.slice(nameEnd, Math.min(ceiling, nameEnd + 100)));
  if (!m) return undefined;
  const phrase = m[2];
  if (!hasTitle(phrase)) return undefined;
  const words = phrase.split(/\s+/);
  if (words.length > 8) return undefined;
  // The last word must be a title word (a noun phrase headed by the title), allowing "of X" after it.
  const head = phrase.replace(/\s+of\s+.*$/, '').split(/\s+/).pop() ?? '';
  if (!isTitleWord(head) && !TITLE_PHRASES.some((t) => phrase.toLowerCase().replace(/\s+of\s+.*$/, '').endsWith(t))) return undefined;
  if (/^(?:who|which|that|and|but|or)\b/i.test(phrase)) return undefined;
  const s = nameEnd + m[0].indexOf(phrase, (m[1] ?? '').length + 1);
  return { start: s, end: s + phrase.length };
}

/**
 * The last word of `text[lo, end)` (as the word pattern of {@link roleBeforeComma} finds it), lower
 * case, when it ends at `end`; '' when no word ends there; undefined when its characters are not
 * all ASCII (then ask the pattern).
 */
function asciiWordBefore(text: string, lo: number, end: number): string | undefined {
  let i = end;
  while (i > lo) {
    const c = text.charCodeAt(i - 1);
    if (c >= 128) return undefined;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 39 || c === 45) i--;
    else break;
  }
  // The word starts at the run's first letter or digit.
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return text.slice(i, end).toLowerCase();
  }
  return '';
}

/**
 * Role phrase before a name introduced by an article: "the Russian foreign minister, Sergei
 * Lavrov," / "Iran's president, Ebrahim Raisi". `nameStart` is the name's start.
 */
export function roleBeforeComma(text: string, nameStart: number, floor = 0): { start: number; end: number } | undefined {
  const lo = Math.max(floor, nameStart - 90);
  // Quick test of what /,\s+$/ needs (white space, then a comma, before the name).
  let p = nameStart;
  while (p > lo && isSpaceCode(text.charCodeAt(p - 1))) p--;
  if (p === nameStart || p === lo || text.charCodeAt(p - 1) !== 44) return undefined;
  // The word right before the comma must be a title word (most commas before a name are not after one).
  const quick = asciiWordBefore(text, lo, p - 1);
  if (quick === '') return undefined;
  if (quick !== undefined && !isTitleWord(quick) && !TITLE_PHRASES.some((t) => t.endsWith(quick))) return undefined;
  const before = text.slice(lo, nameStart);
  const m = /,\s+$/.exec(before);
  if (!m) return undefined;
  const head = before.slice(0, m.index);
  const ws = [...head.matchAll(/[\p{L}\p{N}][\p{L}\p{N}.’'-]*/gu)];
  if (ws.length === 0) return undefined;
  const last = ws[ws.length - 1];
  if (last.index + last[0].length !== head.length) return undefined;
  const lastWord = last[0].toLowerCase();
  if (!isTitleWord(lastWord) && !TITLE_PHRASES.some((t) => t.endsWith(lastWord))) return undefined;
  let k = ws.length - 1;
  let article = false;
  while (k > 0 && ws.length - k < 6) {
    const w = ws[k - 1][0];
    const gap = head.slice(ws[k - 1].index + w.length, ws[k].index);
    if (!/^\s+$/.test(gap)) break;
    const wl = w.toLowerCase();
    if (wl === 'the' || wl === 'a' || wl === 'an') {
      article = true;
      break;
    }
    if (isTitleWord(w) || /^\p{Lu}/u.test(w) || /^(?:former|foreign|deputy|acting|then-\S+|interim|top|defence|defense|finance|interior|justice)$/.test(wl)) k--;
    else break;
  }
  const first = ws[k];
  // Without an article the phrase must start with a capital ("Iran's president, Ebrahim Raisi").
  if (!article && !/^\p{Lu}/u.test(first[0])) return undefined;
  const s = lo + first.index;
  return { start: s, end: lo + head.length };
}

// ---------------------------------------------------------------------------------------------
// Role phrases → people

export interface RoleResolveOptions {
  /** Offset of the role phrase: among equally good matches, the person mentioned last before it wins. */
  position?: number;
  /** Maps place names and demonyms to one key (`Russia`, `Russian` → `russia`). */
  nationKey?: (word: string) => string | undefined;
}

// normRoleWords is pure for a given nationKey: memoised per phrase (and per nationKey function).
// The returned arrays are shared: callers only read them.
const NORM_MAX = 20_000;
const NORM_PLAIN = new BoundedMemo<string[]>(NORM_MAX);
const makePlain = (phrase: string): string[] => normRoleWordsUncached(phrase);

/** The memo for one nationKey function, with its maker (no closure per lookup). */
interface KeyedNorm {
  memo: BoundedMemo<string[]>;
  make: (phrase: string) => string[];
}
const NORM_BY_KEY = new WeakMap<(w: string) => string | undefined, KeyedNorm>();

function normRoleWords(phrase: string, nationKey?: (w: string) => string | undefined): string[] {
  if (!nationKey) return NORM_PLAIN.get(phrase, makePlain);
  let m = NORM_BY_KEY.get(nationKey);
  if (!m) NORM_BY_KEY.set(nationKey, (m = { memo: new BoundedMemo<string[]>(NORM_MAX), make: (p) => normRoleWordsUncached(p, nationKey) }));
  return m.memo.get(phrase, m.make);
}

function normRoleWordsUncached(phrase: string, nationKey?: (w: string) => string | undefined): string[] {
  let p = phrase
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .replace(/^(?:the|a|an|former|then-)\s+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  p = p
    .split(' ')
    .map((w) => {
      const bare = w.replace(/\.$/, '');
      return TITLE_ABBREVIATIONS[bare] ?? SPELLING[w] ?? w;
    })
    .join(' ');
  for (const [a, b] of Object.entries(SPELLING)) p = p.split(a).join(b);
  return p
    .split(' ')
    .filter((w) => w && !['the', 'a', 'an', 'of', 'former', 'then', 'current', 'country', 'top'].includes(w))
    .map((w) => nationKey?.(w) ?? w);
}

/**
 * Resolves a role phrase ("the Iranian president", "Russian FM", "Iran's president", "the
 * foreign minister") to the person entity the text gave a matching role. Every word of the
 * phrase (abbreviations expanded, demonyms and countries unified when `nationKey` is given) must
 * occur in one of the entity's roles, and the title head must be the same. Returns undefined when
 * no person or more than one equally good person matches (unless `position` breaks the tie).
 */
export function resolveRolePhrase(phrase: string, entities: readonly Entity[], options: RoleResolveOptions = {}): Entity | undefined {
  const want = normRoleWords(phrase, options.nationKey);
  if (want.length === 0) return undefined;
  const head = want[want.length - 1];
  let best: Entity | undefined;
  let bestScore = -1;
  let tie = false;
  for (const e of entities) {
    if (e.type !== 'person' || e.roles.length === 0) continue;
    let score = -1;
    for (const r of e.roles) {
      const have = normRoleWords(r, options.nationKey);
      if (have.length === 0 || have[have.length - 1] !== head) {
        // Head may be followed by "of X" in the role ("minister of foreign affairs"): compare set only.
        if (!have.includes(head)) continue;
      }
      if (!want.every((w) => have.includes(w))) continue;
      // Prefer roles that say no more than the phrase (tighter match).
      score = Math.max(score, 100 - (have.length - want.length));
    }
    if (score < 0) continue;
    if (options.position !== undefined) {
      const before = e.mentions.filter((m) => m.start < options.position!);
      const last = before.length ? before[before.length - 1].start : -1;
      score = score * 1e7 + (last >= 0 ? last : -1e6);
    }
    if (score > bestScore) {
      best = e;
      bestScore = score;
      tie = false;
    } else if (score === bestScore) tie = true;
  }
  return tie ? undefined : best;
}
