/**
 * Noun phrases of the writer's text: scanned left or right of a token, the first one of a clause,
 * and whether a phrase has content (more than determiners).
 */
import { ABBREVIATIONS, ADVERBIAL_OPENERS, DETERMINERS, NON_NAME_CAPS, NP_STOP, PERSONAL_PRONOUNS, SPEECH_FORMS } from './lexicon';
import { isCap, isWordTok, type Tok } from './tokens';

/** Does the phrase hold a word besides determiners and "of"? */
export function contentful(toks: Tok[], np: [number, number]): boolean {
  for (let k = np[0]; k <= np[1]; k++) if (isWordTok(toks[k]) && !DETERMINERS.has(toks[k].l) && toks[k].l !== 'of') return true;
  return false;
}

function npTokOk(t: Tok): boolean {
  if (t.q !== undefined) return false;
  if (isWordTok(t)) {
    if (NP_STOP.has(t.l)) return false;
    if (!isCap(t.t) && SPEECH_FORMS.has(t.l)) return false;
    return true;
  }
  return t.t === '.' || t.t === '-' || t.t === '&' || t.t === '’s' || t.t === "'s";
}

/** Scan a noun phrase leftwards ending at token index `end` (inclusive). Returns [first, last] token indices or null. */
export function npLeft(toks: Tok[], end: number, floor: number): [number, number] | null {
  let i = end;
  // skip a parenthetical right before the verb: "McCaskill (D-Mo.) said"
  let last = end;
  if (toks[i]?.t === ')') {
    let k = i - 1;
    while (k >= floor && toks[k].t !== '(' && i - k < 8) k--;
    if (k >= floor && toks[k].t === '(') {
      i = k - 1;
      last = end;
    }
  }
  const first0 = i;
  if (i < floor || !toks[i] || !isWordTok(toks[i])) return null;
  if (PERSONAL_PRONOUNS.has(toks[i].l)) return [i, last];
  let first = i + 1;
  let n = 0;
  for (let k = i; k >= floor && n < 10; k--, n++) {
    const t = toks[k];
    if (t.t === '.' ) {
      const p = toks[k - 1];
      if (p && p.e === t.s && (ABBREVIATIONS.has(p.l) || /^\p{Lu}$/u.test(p.t))) continue;
      break;
    }
    if (t.t === ')' || t.t === '(') break;
    if (!npTokOk(t)) {
      if (t.l === 'of' && k > floor && isWordTok(toks[k - 1]) && !NP_STOP.has(toks[k - 1].l)) {
        first = k;
        continue;
      }
      break;
    }
    if (PERSONAL_PRONOUNS.has(t.l) && k !== i) break;
    if (!isCap(t.t) && t.l.length > 5 && t.l.endsWith('ing') && !DETERMINERS.has(toks[k - 1]?.l ?? '')) break;
    first = k;
    if (DETERMINERS.has(t.l) && !isCap(t.t)) {
      if (toks[k - 1]?.l === 'of') continue;
      break;
    }
    if (DETERMINERS.has(t.l) && isCap(t.t)) break; // "The officials" at sentence start
  }
  // a lone lowercase word that is not a noun-ish phrase start ("officials" is fine; "also" was filtered)
  while (first <= first0 && toks[first].l === 'of') first++;
  if (first > first0) return null;
  return [first, last];
}

/** Scan a noun phrase rightwards starting at token index `start`. */
export function npRight(toks: Tok[], start: number, ceil: number): [number, number] | null {
  const t0 = toks[start];
  if (!t0 || start > ceil || !isWordTok(t0)) return null;
  if (PERSONAL_PRONOUNS.has(t0.l)) return [start, start];
  let last = -1;
  let sawDet = false;
  for (let k = start; k <= ceil && k - start < 10; k++) {
    const t = toks[k];
    if (t.t === '.') {
      const p = toks[k - 1];
      if (p && p.e === t.s && (ABBREVIATIONS.has(p.l) || /^\p{Lu}$/u.test(p.t)) && toks[k + 1] && isCap(toks[k + 1].t)) continue;
      break;
    }
    if (t.t === '(') {
      let j = k + 1;
      while (j <= ceil && toks[j].t !== ')' && j - k < 8) j++;
      if (j <= ceil && toks[j].t === ')') {
        last = j;
        k = j;
        continue;
      }
      break;
    }
    if (!isWordTok(t)) break;
    if (NON_NAME_CAPS.has(t.l)) break;
    if (t.l === 'of' && last >= 0 && toks[k + 1] && isWordTok(toks[k + 1])) continue;
    if (!npTokOk(t)) break;
    if (DETERMINERS.has(t.l) && !isCap(t.t)) {
      if (k !== start && toks[k - 1]?.l !== 'of') break;
      sawDet = true;
      continue;
    }
    if (!isCap(t.t) && !sawDet && last >= 0 && /(?:ed|ly)$/.test(t.l)) break;
    last = k;
  }
  if (last < start) return null;
  return [start, last];
}

/** Per token list: the index of the first word token at or after each index (toks.length when none). */
const NEXT_WORD = new WeakMap<Tok[], Int32Array>();

function nextWordTok(toks: Tok[], from: number): number {
  let next = NEXT_WORD.get(toks);
  if (!next) {
    next = new Int32Array(toks.length + 1);
    next[toks.length] = toks.length;
    for (let k = toks.length - 1; k >= 0; k--) next[k] = isWordTok(toks[k]) ? k : next[k + 1];
    NEXT_WORD.set(toks, next);
  }
  return from >= toks.length ? from : next[from];
}

/** First noun phrase of the clause starting at token `from` (skipping an introductory adverbial). */
export function firstNP(toks: Tok[], from: number, before: number): [number, number] | null {
  // (the first word token from `from`, looked up: a sentence of thousands of quotations stays linear)
  const i0 = from < before ? Math.min(nextWordTok(toks, from), before) : from;
  let i = i0;
  if (i + 1 < before && toks[i + 1].t === ',' && /ly$|^(?:however|meanwhile|still|yet|instead|now|then|indeed|moreover|also|so|thus|later|earlier|today|yesterday)$/.test(toks[i].l)) {
    i += 2;
  } else if (i < before && toks[i] && ADVERBIAL_OPENERS.has(toks[i].l)) {
    let j = i;
    while (j < before && toks[j].t !== ',' && j - i < 25) j++;
    if (j < before && toks[j].t === ',') i = j + 1;
  }
  if (i >= before) return null;
  const np = npRight(toks, i, before - 1);
  if (!np) return null;
  // must be a plausible subject: a pronoun, a capitalised name, or a determiner phrase
  const t0 = toks[np[0]];
  if (PERSONAL_PRONOUNS.has(t0.l) || isCap(t0.t) || DETERMINERS.has(t0.l)) return np;
  return null;
}
