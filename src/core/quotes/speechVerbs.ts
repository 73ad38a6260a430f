/**
 * The speech-verb grammar: which tokens are verbs of saying (not a noun use, not passive), the
 * verb's subject, the cue span, and the speaker phrase a subject makes.
 */
import { BETWEEN, CUE_NOUNS, DETERMINERS, PERSONAL_PRONOUNS, SPEECH_FORMS, WEAK_SPEECH, isParticiple } from './lexicon';
import { isCap, isWordTok, type Tok } from './tokens';
import { contentful, firstNP, npLeft } from './nounPhrases';
import type { LocalSpeaker } from './local';
import type { Span } from '../types';

/** Set while analysing a headline-style unit, where verbs are capitalised ("Obama Says …"). */
let headlineMode = false;

/** Analyses of a headline-style unit read capitalised verbs as verbs (set around one analysis). */
export function setHeadlineMode(on: boolean): void {
  headlineMode = on;
}

/** Is the analysis in progress reading a headline-style unit? */
export function inHeadlineMode(): boolean {
  return headlineMode;
}

function isSpeech(t: Tok | undefined): boolean {
  return t !== undefined && t.q === undefined && SPEECH_FORMS.has(t.l) && (headlineMode || !isCap(t.t));
}

/** "as X put it" */
function isPutIt(toks: Tok[], v: number): boolean {
  return (toks[v]?.l === 'put' || toks[v]?.l === 'puts') && toks[v + 1]?.l === 'it' && toks[v]?.q === undefined;
}

/** A speech form used as a noun: "her remark", "the claims", "Clinton's statement", "of claims". */
export function nounUse(toks: Tok[], v: number): boolean {
  const p = toks[v - 1];
  if (!p || p.q !== undefined) return false;
  return (DETERMINERS.has(p.l) && !isCap(p.t) && !['one', 'two', 'three', 'no', 'all', 'both', 'each'].includes(p.l)) || /[’']s$/.test(p.t) || p.l === 'of';
}

const BE_FORMS = new Set(['was', 'were', 'is', 'are', 'be', 'been', 'being', 'am']);

/**
 * A passive speech verb: "Stone was asked about …", "they were told". Its subject is the one spoken
 * to, not the speaker ("was saying" is active: -ing forms are not passive).
 */
export function passiveAt(toks: Tok[], v: number): boolean {
  if (isParticiple(toks[v].l)) return false;
  let k = v - 1;
  while (k >= 0 && toks[k].q === undefined && ['not', 'never', 'also', 'repeatedly', 'often', 'reportedly', 'later', 'then', 'recently', 'once', 'just'].includes(toks[k].l)) k--;
  return k >= 0 && toks[k].q === undefined && BE_FORMS.has(toks[k].l);
}

/** A speech verb at v (not a noun use, not passive). */
export function speechAt(toks: Tok[], v: number): boolean {
  return (isSpeech(toks[v]) && !nounUse(toks, v) && !passiveAt(toks, v)) || isPutIt(toks, v);
}

/** A speech verb strong enough to attribute an adjacent quotation ("continued" only when a clause ends after it). */
export function isStrongSpeech(toks: Tok[], v: number): boolean {
  const t = toks[v];
  if (isPutIt(toks, v)) return true;
  if (!isSpeech(t) || nounUse(toks, v) || passiveAt(toks, v)) return false;
  if (!WEAK_SPEECH.has(t.l)) return true;
  const n = toks[v + 1];
  return n === undefined || n.q !== undefined || /^[,.;:!?]$/.test(n.t);
}

const SUBJECT_BEFORE = new Set(
  `that which who what and but while as when because so then whom where if though although after before since until once
  whether than nor or yet also`.split(/\s+/),
);

/** A subject starts a clause: nothing, punctuation, a quotation, or a conjunction/relative word before it. */
export function clauseStart(toks: Tok[], i: number, floor: number): boolean {
  while (i > floor && ['even', 'only', 'also', 'just', 'still', 'now'].includes(toks[i - 1].l)) i--;
  if (i <= floor) return true;
  const p = toks[i - 1];
  if (p.q !== undefined) return true;
  if (!isWordTok(p)) return /^[,;:(\u2014\u2015\u2013\-"“‘'[]$/.test(p.t);
  return SUBJECT_BEFORE.has(p.l);
}

/** "according to" at i (returns the index of "to") */
export function accordingTo(toks: Tok[], i: number): boolean {
  return toks[i]?.l === 'according' && toks[i + 1]?.l === 'to';
}

/** Tokens worth skipping between a subject and its verb. */
export function skipBetweenLeft(toks: Tok[], k: number, floor: number): number {
  while (k >= floor && toks[k].q === undefined && (BETWEEN.has(toks[k].l) || (/ly$/.test(toks[k].l) && !isCap(toks[k].t) && toks[k].l.length > 4))) k--;
  return k;
}

export function cueSpan(toks: Tok[], v: number, ceil: number): Span {
  let e = v;
  // particle and "in a statement"
  if (toks[e + 1] && ['out', 'back', 'up', 'in', 'on', 'to'].includes(toks[e + 1].l) && toks[e + 2] && (toks[e + 1].l !== 'in' || !DETERMINERS.has(toks[e + 2].l))) {
    if (toks[e + 1].l === 'out' || toks[e + 1].l === 'back' || toks[e + 1].l === 'up') e++;
  }
  for (let k = e + 1; k <= Math.min(ceil, e + 5); k++) {
    if (CUE_NOUNS.has(toks[k].l) && ['in', 'on', 'via', 'during'].includes(toks[Math.max(k - 2, e + 1)].l)) {
      e = k;
      break;
    }
  }
  return { start: toks[v].s, end: toks[e].e };
}

/** Subject of speech verb at v, looking left (skipping adverbs) or, for participles and infinitives, the clause's first noun phrase. */
export function subjectOf(toks: Tok[], v: number, floor: number, sentFloor: number): [number, number] | null {
  const k = skipBetweenLeft(toks, v - 1, floor);
  const prepIng = isParticiple(toks[v].l) && k >= floor && ['despite', 'after', 'before', 'while', 'by', 'when', 'since', 'without', 'in', 'for', 'upon', 'on'].includes(toks[k].l);
  if (k >= floor && (toks[k].l === 'to' || toks[k].l === 'and' || toks[k].l === 'but' || prepIng)) {
    // "to accuse", "and vowed": the subject of the clause
    const np = firstNP(toks, sentFloor, v);
    return np && contentful(toks, np) ? np : null;
  }
  if (k >= floor && toks[k].t === ',' && isParticiple(toks[v].l)) return firstNP(toks, sentFloor, v);
  if (k >= floor && /^[\u2014\u2013-]$/.test(toks[k].t)) {
    // appositive between dashes: "John Dickey, the chief executive of X -- … -- told me"
    const dash = toks[k].t;
    const isOpen = (j: number): boolean => (dash === '-' ? toks[j].t === '-' && toks[j - 1]?.t === '-' : toks[j].t === dash);
    let j = k - (dash === '-' && toks[k - 1]?.t === '-' ? 2 : 1);
    while (j > floor && toks[j].q === undefined && k - j < 40 && !isOpen(j)) j--;
    if (dash === '-' && j > floor && isOpen(j)) j--;
    if (j > floor && toks[j].t === dash) {
      let h = j - 1;
      // "NAME, the chief executive of X --": the name before the comma
      let c = h;
      while (c >= floor && toks[c].t !== ',' && toks[c].q === undefined && h - c < 14) c--;
      if (c > floor && toks[c].t === ',') h = c - 1;
      const head = npLeft(toks, h, floor);
      if (head && contentful(toks, head) && clauseStart(toks, head[0], floor) && isCap(toks[head[1]].t)) return head;
    }
    return null;
  }
  if (k >= floor && toks[k].t === ',') {
    // appositive: "NAME, a spokesman for X, said"
    let j = k - 1;
    while (j >= floor && toks[j].t !== ',' && toks[j].q === undefined && k - j < 14) j--;
    if (j > floor && toks[j].t === ',') {
      const head = npLeft(toks, j - 1, floor);
      if (head && contentful(toks, head) && clauseStart(toks, head[0], floor) && toks.slice(head[0], head[1] + 1).some((t) => isCap(t.t) && isWordTok(t))) return head;
      // "His former partner at Lenox, Lawrence B. Cummings, called": the name in apposition
      const mid = npLeft(toks, k - 1, j + 1);
      if (mid && mid[0] === j + 1 && contentful(toks, mid) && isCap(toks[mid[0]].t) && isCap(toks[mid[1]].t)) return mid;
    }
    return null;
  }
  if (k < floor) return null;
  const np = npLeft(toks, k, floor);
  if (np && contentful(toks, np) && (clauseStart(toks, np[0], floor) || (np[0] === np[1] && ['he', 'she', 'they', 'we', 'i'].includes(toks[np[0]].l)))) return np;
  // "McConnell, now the Senate majority leader, who in 2010 said": the relative pronoun's antecedent
  if (toks[k]?.l === 'who' && k > floor) {
    let j = k - 1;
    const near = toks[j].t === ',' ? npLeft(toks, j - 1, floor) : null;
    if (near && contentful(toks, near) && isCap(toks[near[1]].t)) return near;
    if (toks[j].t === ',') {
      j--;
      while (j >= floor && toks[j].t !== ',' && toks[j].q === undefined && k - j < 14) j--;
      if (j >= floor && toks[j].t === ',') j--;
      else j = k - 2;
    }
    const head = npLeft(toks, j, floor);
    if (head && contentful(toks, head) && isCap(toks[head[1]].t)) return head;
  }
  return null;
}

/** Per token list (of one analysis, so one `headlineMode`): the first passive speech verb at or after each index. */
const NEXT_PASSIVE = new WeakMap<Tok[], Int32Array>();

export function nextPassiveSpeech(toks: Tok[], from: number): number {
  let next = NEXT_PASSIVE.get(toks);
  if (!next) {
    next = new Int32Array(toks.length + 1);
    next[toks.length] = toks.length;
    for (let k = toks.length - 1; k >= 0; k--) next[k] = isSpeech(toks[k]) && passiveAt(toks, k) ? k : next[k + 1];
    NEXT_PASSIVE.set(toks, next);
  }
  return from >= toks.length ? toks.length : next[from];
}

/** The speaker phrase of the noun phrase `np`; a pronoun after a speech verb keeps the verb's subject. */
export function speakerOf(toks: Tok[], np: [number, number]): LocalSpeaker {
  const a = toks[np[0]];
  const b = toks[np[1]];
  const sp: LocalSpeaker = { start: a.s, end: b.e };
  if (np[0] === np[1] && PERSONAL_PRONOUNS.has(a.l)) {
    sp.pronoun = a.l;
    // "X said he …": remember X
    const v = np[0] - 1;
    if (v >= 0 && speechAt(toks, v) && !isParticiple(toks[v].l)) {
      const subj = subjectOf(toks, v, 0, 0);
      if (subj) sp.antecedent = { start: toks[subj[0]].s, end: toks[subj[1]].e };
    }
  }
  return sp;
}
