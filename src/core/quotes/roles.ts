/**
 * Speaker phrases as words: normalised, matched against the roles the entity recogniser gave
 * people ("the Iranian president", "Russian FM"), stripped of titles; and the gender a title gives.
 */
import { BoundedMemo } from '../text/memo';
import { FEMALE_TITLES, MALE_TITLES, TITLES } from './lexicon';

export const DET_RE = /^(?:the|a|an)\s+/i;

// norm and roleMatches are pure and called per candidate role per quotation on every pass:
// memoised per string (bounded).
const NORM_MEMO = new BoundedMemo<string>(20_000);

/** Lower case, no possessive 's, letters, digits and hyphens only, single spaces. */
export function norm(s: string): string {
  return NORM_MEMO.get(s, normUncached);
}

function normUncached(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * One phrase's matches, by role. A memo per phrase, not one keyed by phrase and role: no key string
 * is built per call (this runs per role holder per role phrase). A document has a few roles (at
 * most a dozen in the bench corpus), so a phrase's memo rarely fills.
 */
class PhraseRoles {
  readonly memo = new BoundedMemo<boolean>(128);
  constructor(private readonly phrase: string) {}
  /** (one closure per phrase, made once: lookups allocate nothing) */
  readonly match = (role: string): boolean => roleMatchesUncached(this.phrase, role);
}

const ROLE_MATCH_MEMO = new BoundedMemo<PhraseRoles>(1_000);

function phraseRoles(phrase: string): PhraseRoles {
  return new PhraseRoles(phrase);
}

/** Does the role phrase (e.g. "the Iranian president", "Russian FM") name the role `role`? */
export function roleMatches(phrase: string, role: string): boolean {
  const byRole = ROLE_MATCH_MEMO.get(phrase, phraseRoles);
  return byRole.memo.get(role, byRole.match);
}


function roleMatchesUncached(phrase: string, role: string): boolean {
  const p = norm(phrase.replace(DET_RE, ''));
  const r = norm(role);
  if (!p || !r) return false;
  if (p === r) return true;
  const pw = phrase.replace(DET_RE, '').split(/\s+/).filter(Boolean);
  const rw = role.split(/\s+/).filter(Boolean);
  // acronyms: "Russian FM" ~ "Russian Foreign Minister"
  let j = 0;
  let used = false;
  for (const w of pw) {
    if (j >= rw.length) return false;
    if (/^\p{Lu}{2,4}$/u.test(w) && norm(w) !== norm(rw[j])) {
      const letters = w.split('');
      for (const ch of letters) {
        if (j >= rw.length || rw[j][0]?.toUpperCase() !== ch) return false;
        j++;
      }
      used = true;
      continue;
    }
    if (norm(w) !== norm(rw[j])) return false;
    j++;
  }
  return used && j === rw.length;
}

// The gendered title ending the 8 characters before a person mention ("Mrs. ", "Mr "): memoised
// per window (the pass looks at every person mention of the text on every run).
const TITLE_GENDER_MEMO = new BoundedMemo<'m' | 'f' | ''>(20_000);

/** 'm' or 'f' when `window` ends with a gendered title, else ''. */
export function titleGender(window: string): 'm' | 'f' | '' {
  return TITLE_GENDER_MEMO.get(window, titleGenderUncached);
}

function titleGenderUncached(window: string): 'm' | 'f' | '' {
  const before = /([A-Za-z]+)\.?\s+$/.exec(window);
  const t = before ? before[1].toLowerCase() : '';
  return t && MALE_TITLES.has(t) ? 'm' : t && FEMALE_TITLES.has(t) ? 'f' : '';
}

/** The phrase without a parenthesis, trailing punctuation, a possessive, a determiner or leading titles. */
export function stripTitles(s: string): string {
  let t = s.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/[,;:]+$/, '').replace(/[’']s$/, '').trim();
  t = t.replace(DET_RE, '');
  const words = t.split(/\s+/);
  while (words.length > 1 && TITLES.has(words[0].replace(/\.$/, '').toLowerCase())) words.shift();
  return words.join(' ');
}

/** The last word, lower case. */
export function lastWord(s: string): string {
  const w = s.split(/\s+/).filter(Boolean);
  return w.length ? w[w.length - 1].toLowerCase() : '';
}
