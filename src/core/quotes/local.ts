/**
 * Per-paragraph ("unit") analysis: quotation segments, their kind, and the phrase that attributes
 * each one (the speaker noun phrase and the cue), all relative to the unit. It reads only the unit's
 * text, so its result is cached by that text; resolving the phrase to an entity is the document pass.
 */
import { pairMarks, type Segment } from './marks';
import {
  ABBREVIATIONS,
  ADVERBIAL_OPENERS,
  BETWEEN,
  CUE_NOUNS,
  DETERMINERS,
  NON_NAME_CAPS,
  NP_STOP,
  PERSONAL_PRONOUNS,
  SPEECH_FORMS,
  WEAK_SPEECH,
  isParticiple,
} from './lexicon';
import type { QuoteKind, Span } from '../types';

export interface Tok {
  s: number;
  e: number;
  t: string;
  /** lower-case text */
  l: string;
  /** index into `segments` when this token stands for a whole top-level quotation */
  q?: number;
}

export interface LocalSpeaker extends Span {
  /** lower-case pronoun when the phrase is a single personal pronoun */
  pronoun?: string;
  /** for a pronoun right after a speech verb ("X said he …"): the verb's subject */
  antecedent?: Span;
}

export interface LocalQuote extends Span {
  kind: QuoteKind;
  closed: boolean;
  /** index in `LocalUnit.quotes` of the enclosing quotation */
  parent?: number;
  speaker?: LocalSpeaker;
  cue?: Span;
  /** how the attribution was found: 'adjacent' (verb next to the quote), 'sentence' (speech verb of the sentence), 'none' */
  how: 'adjacent' | 'sentence' | 'subject' | 'none';
  words: number;
  /** a word or short phrase (a scare quote when nobody is found to have said it) */
  short?: boolean;
  /** sentence index in `LocalUnit.sentences` (top-level quotes); nested quotes: the parent's */
  sentence: number;
  /** the quotation stands alone in its sentence or is introduced by an attribution ("X said: “…”") */
  standalone: boolean;
}

export interface SpeechEvent extends Span {
  /** the subject phrase of a speech verb in the writer's text (an antecedent candidate) */
  verb: number;
}

export interface LocalUnit {
  quotes: LocalQuote[];
  sentences: Span[];
  events: SpeechEvent[];
  /** the writer's text holds nothing but quotations and punctuation */
  quoteOnly: boolean;
  /** the unit starts with an opening double mark */
  opensWithQuote: boolean;
  /** the unit ends inside an unclosed double quotation */
  endsOpen: boolean;
  /** a Markdown block quote (`> ` lines) */
  block: boolean;
  /** the unit ends with an attribution and a colon ("X wrote:"): the speaker of what follows */
  introduces?: LocalSpeaker;
  /** reported statements (indirect speech and thought), see `attribution.ts` */
  reports: LocalReport[];
}

/** A reported statement of the unit: content span, speaker phrase, cue, and the quotations inside the content. */
export interface LocalReport extends Span {
  speaker?: LocalSpeaker;
  cue: Span;
  /** indices in `LocalUnit.quotes` of the top-level quotations inside the content */
  parts: number[];
  /** 0..1 */
  confidence: number;
}

const CONTRACTION = /^(he|she|it|they|we|i|you|who|that|there)[’'](?:s|re|ve|ll|d|m)$/i;

const TOKEN = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:[’'\-.&/][\p{L}\p{N}]+)*(?:[’']s)?|\S/gu;

export function isCap(t: string): boolean {
  const k = t.charCodeAt(0);
  if (k < 128) return (k >= 65 && k <= 90) || (k >= 48 && k <= 57);
  return /^[\p{Lu}\p{N}]/u.test(t);
}

export function isWordTok(t: Tok): boolean {
  return t.q === undefined && /^[\p{L}\p{N}]/u.test(t.t);
}


const WORD = /[\p{L}\p{N}]+(?:[’'-][\p{L}\p{N}]+)*/gu;

function countWords(s: string): number {
  // (counted match by match: no array of every word of a long quotation, which nested quotations
  // would build again for each level)
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(s) !== null) n++;
  return n;
}

/** Tokens of the writer's text; each top-level quotation becomes one token. */
function tokenize(u: string, segs: Segment[]): Tok[] {
  const toks: Tok[] = [];
  const tops = segs.map((s, i) => ({ s, i })).filter((x) => x.s.depth === 0);
  let ti = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(u); m; m = TOKEN.exec(u)) {
    while (ti < tops.length && tops[ti].s.end <= m.index) ti++;
    if (ti < tops.length && m.index >= tops[ti].s.start) {
      const seg = tops[ti].s;
      toks.push({ s: seg.start, e: seg.end, t: '"', l: '"', q: tops[ti].i });
      TOKEN.lastIndex = seg.end;
      ti++;
      continue;
    }
    if (ti < tops.length && m.index + m[0].length > tops[ti].s.start) {
      // a token running into a quotation mark: cut it there
      const e = tops[ti].s.start;
      const t = u.slice(m.index, e);
      toks.push({ s: m.index, e, t, l: t.toLowerCase() });
      TOKEN.lastIndex = e;
      continue;
    }
    // (only a short token with an apostrophe can be a contraction: most tokens skip the regex)
    const cm = m[0].length <= 8 && (m[0].includes('’') || m[0].includes("'")) ? CONTRACTION.exec(m[0]) : null;
    if (cm) {
      // "He’s claiming": the pronoun and the auxiliary
      const e1 = m.index + cm[1].length;
      toks.push({ s: m.index, e: e1, t: cm[1], l: cm[1].toLowerCase() });
      toks.push({ s: e1, e: m.index + m[0].length, t: m[0].slice(cm[1].length), l: m[0].slice(cm[1].length).toLowerCase().replace('’', "'") });
      continue;
    }
    toks.push({ s: m.index, e: m.index + m[0].length, t: m[0], l: m[0].toLowerCase() });
  }
  return toks;
}

function quoteInnerEnd(u: string, seg: Segment): string {
  let e = seg.closed ? seg.end - 1 : seg.end;
  while (e > seg.start && /[\s”’"'»›]/.test(u[e - 1])) e--;
  return e > seg.start ? u[e - 1] : '';
}

const OPENERS = '([“‘"\'';
const SENTENCE_ENDS = '.?!…';
const CLOSERS = '”"’\')]';

/** Sentence index of each token. A quotation token ends a sentence when its text ends with . ? ! and a capital follows. */
function sentences(u: string, toks: Tok[], segs: Segment[]): { sent: number[]; spans: Span[] } {
  const sent: number[] = new Array<number>(toks.length);
  const spans: Span[] = [];
  let cur = 0;
  let startTok = 0;
  for (let i = 0; i < toks.length; i++) {
    sent[i] = cur;
    const t = toks[i];
    const n = toks[i + 1];
    if (!n) break;
    let boundary = false;
    // (single-character checks without regexes: this runs for every token of the unit)
    const nextStarts = n.q !== undefined || isCap(n.t) || OPENERS.includes(n.t[0]);
    if (t.q !== undefined) {
      const last = quoteInnerEnd(u, segs[t.q]);
      boundary = last !== '' && SENTENCE_ENDS.includes(last) && nextStarts && n.q === undefined;
    } else if (t.t.length === 1 && SENTENCE_ENDS.includes(t.t) && nextStarts) {
      boundary = true;
      if (t.t === '.' && i > 0) {
        const p = toks[i - 1];
        if (p.e === t.s && (ABBREVIATIONS.has(p.l) || /^\p{Lu}$/u.test(p.t))) boundary = false;
      }
    } else if (t.t.length === 1 && CLOSERS.includes(t.t) && i > 0 && toks[i - 1].t.length === 1 && '.?!'.includes(toks[i - 1].t) && nextStarts) {
      boundary = true;
    }
    if (boundary) {
      spans.push({ start: toks[startTok].s, end: t.e });
      cur++;
      startTok = i + 1;
    }
  }
  if (toks.length > 0) spans.push({ start: toks[startTok].s, end: toks[toks.length - 1].e });
  return { sent, spans };
}

/** Set while analysing a headline-style unit, where verbs are capitalised ("Obama Says …"). */
let headlineMode = false;

function isSpeech(t: Tok | undefined): boolean {
  return t !== undefined && t.q === undefined && SPEECH_FORMS.has(t.l) && (headlineMode || !isCap(t.t));
}

/** "as X put it" */
function isPutIt(toks: Tok[], v: number): boolean {
  return (toks[v]?.l === 'put' || toks[v]?.l === 'puts') && toks[v + 1]?.l === 'it' && toks[v]?.q === undefined;
}

/** A speech verb strong enough to attribute an adjacent quotation ("continued" only when a clause ends after it). */
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
function speechAt(toks: Tok[], v: number): boolean {
  return (isSpeech(toks[v]) && !nounUse(toks, v) && !passiveAt(toks, v)) || isPutIt(toks, v);
}

function isStrongSpeech(toks: Tok[], v: number): boolean {
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

export function contentful(toks: Tok[], np: [number, number]): boolean {
  for (let k = np[0]; k <= np[1]; k++) if (isWordTok(toks[k]) && !DETERMINERS.has(toks[k].l) && toks[k].l !== 'of') return true;
  return false;
}

/** "according to" at i (returns the index of "to") */
export function accordingTo(toks: Tok[], i: number): boolean {
  return toks[i]?.l === 'according' && toks[i + 1]?.l === 'to';
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

interface Found {
  np: [number, number];
  cue: Span;
  /** the pronoun a possessive stands for ("his claim" → he) */
  pronoun?: string;
}

const POSSESSIVE_PRONOUNS: Record<string, string | undefined> = { his: 'he', her: 'she', their: 'they', its: 'it' };

/** Nouns of saying: "her remark that …", "Trump's claim that …". */
const SPEECH_NOUNS = new Set(
  `claim claims statement statements remark remarks comment comments words assertion assertions description promise promises
  warning warnings call calls tweet tweets suggestion argument arguments insistence accusation accusations charge charges
  prediction predictions contention view views complaint complaints boast boasts pledge pledges declaration`.split(/\s+/),
);

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

/** First noun phrase of the clause starting at token `from` (skipping an introductory adverbial). */
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

/** Per token list (of one analysis, so one `headlineMode`): the first passive speech verb at or after each index. */
const NEXT_PASSIVE = new WeakMap<Tok[], Int32Array>();

function nextPassiveSpeech(toks: Tok[], from: number): number {
  let next = NEXT_PASSIVE.get(toks);
  if (!next) {
    next = new Int32Array(toks.length + 1);
    next[toks.length] = toks.length;
    for (let k = toks.length - 1; k >= 0; k--) next[k] = isSpeech(toks[k]) && passiveAt(toks, k) ? k : next[k + 1];
    NEXT_PASSIVE.set(toks, next);
  }
  return from >= toks.length ? toks.length : next[from];
}

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

/** Attribution after the quotation: `,” NP said` / `,” said NP` / `” — NP`. */
function attributeRight(toks: Tok[], qi: number, sentEnd: number): Found | null {
  let i = qi + 1;
  while (i <= sentEnd && toks[i].q === undefined && /^[,;]$/.test(toks[i].t)) i++;
  if (i > sentEnd || toks[i].q !== undefined) return null;
  // dash attribution: ” ― Carlos Raúl
  if (/^[\u2014\u2015\u2013-]$/.test(toks[i].t) && toks[i + 1] && i + 1 <= sentEnd) {
    const np = npRight(toks, i + 1, sentEnd);
    if (np && isCap(toks[np[0]].t)) return { np, cue: { start: toks[i].s, end: toks[i].e } };
    return null;
  }
  if (accordingTo(toks, i)) {
    const np = npRight(toks, i + 2, sentEnd);
    if (np) return { np, cue: { start: toks[i].s, end: toks[i + 1].e } };
  }
  // inverted: said NP
  if (isStrongSpeech(toks, i)) {
    const np = npRight(toks, i + 1, sentEnd);
    if (np && contentful(toks, np)) return { np, cue: cueSpan(toks, i, sentEnd) };
    return null;
  }
  // NP (adverbs) said — the verb within a few tokens, nothing clausal in between
  const t0 = toks[i];
  if (!isWordTok(t0) || (NP_STOP.has(t0.l) && !PERSONAL_PRONOUNS.has(t0.l)) || t0.l === 'of') return null;
  let commas = 0;
  for (let v = i + 1; v <= sentEnd && v - i <= (commas > 0 ? 45 : 16); v++) {
    const t = toks[v];
    if (t.q !== undefined) return null;
    if (t.t === '(') {
      let j = v + 1;
      while (j <= sentEnd && toks[j].t !== ')' && j - v < 10) j++;
      if (j <= sentEnd && toks[j].t === ')') {
        v = j;
        continue;
      }
    }
    if (t.t === ',' && commas === 0 && isCap(toks[i].t) && v - i <= 8) commas++;
    if (isStrongSpeech(toks, v)) {
      const k = skipBetweenLeft(toks, v - 1, i);
      if (k < i) return null;
      // the whole stretch i..k is the speaker phrase (with appositives); its head is the part before a comma
      let headEnd = k;
      for (let j = i; j <= k; j++) {
        if (toks[j].t === ',') {
          headEnd = j - 1;
          break;
        }
      }
      const np = npRight(toks, i, headEnd) ?? npLeft(toks, headEnd, i);
      if (!np || !contentful(toks, np) || np[0] !== i) return null;
      return { np: [np[0], Math.max(np[1], Math.min(headEnd, np[1]))], cue: cueSpan(toks, v, sentEnd) };
    }
    if (t.q === undefined && commas === 0 && ['that', 'which', 'when', 'because', 'but', 'if', 'while'].includes(t.l)) return null;
    if (/^[.?!;:]$/.test(t.t) && !(t.t === '.' && toks[v - 1] && (ABBREVIATIONS.has(toks[v - 1].l) || /^\p{Lu}$/u.test(toks[v - 1].t) || (toks[v - 1].e === t.s && toks[v + 1]?.t === ',')))) return null;
  }
  return null;
}

/** Attribution before the quotation: `NP said, “` / `said NP: “` / `according to NP, “`. */
function attributeLeft(toks: Tok[], qi: number, floor: number, sentFloor: number): Found | null {
  let k = qi - 1;
  while (k >= floor && toks[k].q === undefined && /^[,:\u2014\u2015\u2013-]$/.test(toks[k].t)) k--;
  if (k < floor) return null;
  const punct = k < qi - 1;
  // "said in a statement:" / "told reporters:" — look back a few tokens for the verb
  for (let v = k; v >= floor && k - v <= (punct ? 6 : 2); v--) {
    const t = toks[v];
    if (t.q !== undefined) return null;
    if (accordingTo(toks, v)) {
      const np = npRight(toks, v + 2, k);
      if (np) return { np, cue: { start: t.s, end: toks[v + 1].e } };
    }
    if (isStrongSpeech(toks, v)) {
      const subj = subjectOf(toks, v, floor, sentFloor);
      if (subj) return { np: subj, cue: cueSpan(toks, v, k) };
      const np = punct ? npRight(toks, v + 1, k) : null; // inverted: "said Kenneth Baer:"
      if (np && np[1] === k && contentful(toks, np) && (isCap(toks[np[0]].t) || DETERMINERS.has(toks[np[0]].l))) return { np, cue: cueSpan(toks, v, k) };
      return null;
    }
    if (/^[.?!;]$/.test(t.t)) return null;
  }
  return null;
}

/**
 * An attribution clause set off by a comma later in the sentence: "“…” for criminal behavior, she said." /
 * "…, according to the organiser." / "…, Lindsey Graham Says." The verb must close the clause.
 */
function attributeClause(toks: Tok[], qi: number, sentEnd: number): Found | null {
  for (let c = qi + 1; c <= sentEnd; c++) {
    const t = toks[c];
    if (t.q !== undefined) return null;
    if (t.t !== ',' && !/^[\u2014\u2015\u2013]$/.test(t.t)) continue;
    const n = toks[c + 1];
    if (!n || c + 1 > sentEnd) return null;
    if (accordingTo(toks, c + 1)) {
      const np = npRight(toks, c + 3, sentEnd);
      if (np) return { np, cue: { start: n.s, end: toks[c + 2].e } };
      continue;
    }
    if (isStrongSpeech(toks, c + 1)) {
      const np = npRight(toks, c + 2, sentEnd);
      if (np && contentful(toks, np) && (isCap(toks[np[0]].t) || DETERMINERS.has(toks[np[0]].l) || PERSONAL_PRONOUNS.has(toks[np[0]].l))) {
        const after = toks[np[1] + 1];
        if (!after || np[1] + 1 > sentEnd || /^[,.;!?]$/.test(after.t)) return { np, cue: cueSpan(toks, c + 1, sentEnd) };
      }
      continue;
    }
    const np = npRight(toks, n.l === 'as' ? c + 2 : c + 1, sentEnd);
    if (!np || !contentful(toks, np)) continue;
    const k0 = np[1] + 1;
    let v = k0;
    while (v <= sentEnd && toks[v].q === undefined && (BETWEEN.has(toks[v].l) || (/ly$/.test(toks[v].l) && !isCap(toks[v].t)))) v++;
    if (v > sentEnd || !isStrongSpeech(toks, v)) continue;
    const after = toks[v + 1];
    if (!after || v + 1 > sentEnd || /^[,.;!?:]$/.test(after.t) || ['in', 'on', 'at', 'during', 'after', 'before', 'friday', 'monday', 'tuesday', 'wednesday', 'thursday', 'saturday', 'sunday', 'yesterday', 'today', 'tonight', 'later', 'recently', 'last', 'this', 'earlier'].includes(after.l)) {
      return { np, cue: cueSpan(toks, v, sentEnd) };
    }
  }
  return null;
}

/** Verbs that do not make their subject the source of a quotation further on in the sentence. */
const NEVER_SENTENCE = new Set(
  ['compare', 'post', 'charge', 'counter', 'point', 'order', 'project', 'read', 'sing', 'begin', 'finish', 'continue', 'invite', 'thank', 'welcome']
    .flatMap((b) => [b, `${b}s`, `${b}d`, `${b}ed`, `${b.replace(/e$/, '')}ing`, 'began', 'begun', 'sang', 'sung']),
);

/**
 * How far (in tokens) the sentence-wide attribution looks back from a quotation. Real sentences are
 * far shorter; the bound keeps a unit that is one endless sentence of quotations linear.
 */
const SENTENCE_LOOKBACK = 250;

/** For a quotation embedded in the writer's sentence: the nearest speech verb to its left in the sentence, and its subject. */
function attributeSentence(toks: Tok[], qi: number, sentFloor: number): Found | null {
  // (looks back at most SENTENCE_LOOKBACK tokens: a sentence of thousands of quotations stays linear)
  const lo = Math.max(sentFloor, qi - SENTENCE_LOOKBACK);
  for (let v = qi - 1; v >= lo; v--) {
    const t = toks[v];
    if (accordingTo(toks, v)) {
      const np = npRight(toks, v + 2, qi - 1);
      if (np) return { np, cue: { start: t.s, end: toks[v + 1].e } };
    }
    if (speechAt(toks, v) && !NEVER_SENTENCE.has(t.l)) {
      const subj = subjectOf(toks, v, sentFloor, sentFloor);
      if (subj) {
        // "She said she speaks … because “…”": the source is the subject of the reporting verb
        const w = subj[0] - 1;
        if (subj[0] === subj[1] && PERSONAL_PRONOUNS.has(toks[subj[0]].l) && w >= sentFloor && speechAt(toks, w) && !isParticiple(toks[w].l)) {
          const outer = subjectOf(toks, w, sentFloor, sentFloor);
          if (outer) return { np: outer, cue: cueSpan(toks, w, qi - 1) };
        }
        return { np: subj, cue: cueSpan(toks, v, qi - 1) };
      }
    }
  }
  // "Trump's claim that …", "his remark": the possessor said it
  for (let v = qi - 1; v >= lo; v--) {
    const t = toks[v];
    if (SPEECH_NOUNS.has(t.l) && t.q === undefined && v > sentFloor) {
      const p = toks[v - 1];
      if (POSSESSIVE_PRONOUNS[p.l] && p.q === undefined) return { np: [v - 1, v - 1], cue: { start: t.s, end: t.e }, pronoun: POSSESSIVE_PRONOUNS[p.l] };
      if (/[’']s$/.test(p.t) && isCap(p.t)) {
        // the capitalised name that owns the noun ("Senator Paul Dunn’s claim")
        let a = v - 1;
        while (a - 1 >= sentFloor && toks[a - 1].q === undefined && (isCap(toks[a - 1].t) || (toks[a - 1].t === '.' && ABBREVIATIONS.has(toks[a - 2]?.l ?? '')))) a--;
        while (a < v - 1 && !isWordTok(toks[a])) a++;
        return { np: [a, v - 1], cue: { start: t.s, end: t.e } };
      }
    }
  }
  return null;
}

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

const MINOR = new Set(['a', 'an', 'the', 'of', 'with', 'in', 'on', 'for', 'and', 'or', 'to', 'at', 'by', 'from', 'is', 'are', 'vs']);

/** A quoted title or name ("Fox News Sunday", ‘The 411’, “Contract with America”): every word capitalised. */
function isTitleLike(inner: string): boolean {
  if (/[!?][\s”’"'»›]*$/.test(inner)) return false;
  const t = inner.replace(/^[\s“‘"'«‹]+|[\s,.;:!?”’"'»›]+$/g, '');
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 8) return false;
  if (!isCap(words[0])) return false;
  return words.every((w) => isCap(w.replace(/^[^\p{L}\p{N}]+/u, '')) || MINOR.has(w.toLowerCase()) || !/[\p{L}\p{N}]/u.test(w));
}

/** A headline-style unit (one line, most words capitalised): titles in it are quotations. */
function isHeadline(u: string): boolean {
  if (/[\r\n]/.test(u.trim()) || u.length > 200) return false;
  const words = u.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !MINOR.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')));
  if (words.length < 3) return false;
  const caps = words.filter((w) => isCap(w.replace(/^[^\p{L}\p{N}]+/u, ''))).length;
  return caps / words.length >= 0.7;
}

/** Web-page debris in quotation marks: no letters, a URL, a handle, an id. */
function isJunk(inner: string): boolean {
  const t = inner.trim();
  if (!/\p{L}/u.test(t)) return true;
  if (/^\([^()]*\)[.,]?$/.test(t)) return true; // (CROSSTALK.)
  return !/\s/.test(t) && (/[/@]|\.com\b|^\d+$/.test(t) || /^[a-z]+[A-Z0-9_]/.test(t));
}

/** Markdown block quote: every non-blank line starts with `>`. */
function isBlockQuote(u: string): boolean {
  const lines = u.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  return lines.length > 0 && lines.every((l) => /^\s{0,3}>/.test(l));
}

/** Analyse one unit (paragraph). Pure function of `u`. */
export function analyzeUnit(u: string): LocalUnit {
  return analyzeUnitParsed(u).local;
}

/** The unit's writer's-text tokens and sentences, as the analysis saw them (for the attribution finder). */
export interface ParsedUnit {
  /** the unit text (block-quote prefixes masked) */
  w: string;
  toks: Tok[];
  /** sentence index of each token */
  sent: number[];
  sentStartTok: number[];
  sentEndTok: number[];
  /** quotation-mark segment index → index in `LocalUnit.quotes` (dropped segments absent) */
  segToQuote: Map<number, number>;
  headline: boolean;
}

/** {@link analyzeUnit} with the tokens and sentences it worked on. */
export function analyzeUnitParsed(u: string): { local: LocalUnit; parsed: ParsedUnit } {
  headlineMode = isHeadline(u);
  try {
    return analyzeUnitInner(u);
  } finally {
    headlineMode = false;
  }
}

function analyzeUnitInner(u: string): { local: LocalUnit; parsed: ParsedUnit } {
  const block = isBlockQuote(u);
  // mask the `>` prefixes so they do not look like punctuation
  const w = block ? u.replace(/^(\s{0,3})(>+)/gm, (_m, sp: string, gt: string) => sp + ' '.repeat(gt.length)) : u;
  const segs = pairMarks(w);
  const toks = tokenize(w, segs);
  const { sent, spans } = sentences(w, toks, segs);
  const quotes: LocalQuote[] = [];
  const segToQuote = new Map<number, number>();
  const tokOfSeg = new Map<number, number>();
  toks.forEach((t, i) => {
    if (t.q !== undefined) tokOfSeg.set(t.q, i);
  });
  const sentStartTok: number[] = [];
  toks.forEach((_t, i) => {
    if (sentStartTok[sent[i]] === undefined) sentStartTok[sent[i]] = i;
  });
  const sentEndTok: number[] = [];
  toks.forEach((_t, i) => {
    sentEndTok[sent[i]] = i;
  });

  let blockIdx: number | undefined;
  if (block) {
    let s = 0;
    while (s < u.length && /\s/.test(u[s])) s++;
    let e = u.length;
    while (e > s && /\s/.test(u[e - 1])) e--;
    blockIdx = 0;
    quotes.push({ start: s, end: e, kind: 'block', closed: true, how: 'none', words: countWords(w), sentence: 0, standalone: true });
  }

  const dropped = new Set<number>();
  const headline = isHeadline(w);
  /** the quotation is its sentence's only content */
  const alone = (si: number): boolean => {
    const qi = tokOfSeg.get(si);
    if (qi === undefined) return false;
    const sIdx = sent[qi];
    for (let k = sentStartTok[sIdx]; k <= sentEndTok[sIdx]; k++) if (k !== qi && isWordTok(toks[k])) return false;
    return true;
  };
  segs.forEach((seg, si) => {
    const inner = w.slice(seg.start + 1, seg.closed ? seg.end - 1 : seg.end);
    const words = countWords(inner);
    const q: LocalQuote = { start: seg.start, end: seg.end, kind: 'full', closed: seg.closed, how: 'none', words, sentence: 0, standalone: false };
    if (seg.parent !== undefined) {
      q.parent = segToQuote.get(seg.parent);
      q.sentence = q.parent !== undefined ? quotes[q.parent].sentence : 0;
      // attribution inside the enclosing quotation ("…he said, ‘X’…")
      const outer = segs[seg.parent];
      const sub = analyzeNested(w, outer, seg);
      if (sub?.speaker && !(sub.speaker.pronoun && ['i', 'we', 'you'].includes(sub.speaker.pronoun))) {
        // ("I"/"we" inside a quotation is its speaker: inherit it in the document pass)
        q.speaker = sub.speaker;
        q.cue = sub.cue;
        q.how = 'adjacent';
      }
      q.standalone = sub?.standalone ?? false;
      q.kind = q.standalone && /^[\s“‘"'«‹]*[\p{Lu}\p{N}]/u.test(inner) ? 'full' : 'partial';
    } else {
      if (blockIdx !== undefined) q.parent = blockIdx;
      const qi = tokOfSeg.get(si);
      if (qi === undefined) return;
      const sIdx = sent[qi];
      q.sentence = sIdx;
      const sFloor = sentStartTok[sIdx];
      const sEnd = sentEndTok[sIdx];
      // writer's floor for the left scan: the previous quotation in the sentence
      let floor = sFloor;
      for (let k = qi - 1; k >= sFloor; k--) {
        if (toks[k].q !== undefined) {
          floor = k + 1;
          break;
        }
      }
      let ceil = sEnd;
      for (let k = qi + 1; k <= sEnd; k++) {
        if (toks[k].q !== undefined) {
          ceil = k - 1;
          break;
        }
      }
      const prev = qi > sFloor ? toks[qi - 1] : undefined;
      const introduced = prev === undefined || /^[,:\u2014\u2015\u2013-]$/.test(prev.t) || prev.q !== undefined;
      const capital = /^[\s“‘"'«‹.…]*[\p{Lu}\p{N}]/u.test(inner);
      q.standalone = introduced;
      q.kind = introduced && capital ? 'full' : 'partial';
      // “A,” he said, “and b.” — the second half of a split sentence is still a full quotation
      if (introduced && !capital && prev?.t === ',' && floor > sFloor) q.kind = 'full';
      // said that, “…” — the quotation is the object of the writer's clause
      const beforePrev = qi - 2 >= sFloor ? toks[qi - 2] : undefined;
      if (prev?.l === 'that' || (prev?.t === ',' && beforePrev?.l === 'that')) q.kind = 'partial';
      // “I have admiration for the mechanics” of the proposals — the writer's sentence goes on
      const nx = qi + 1 <= sEnd ? toks[qi + 1] : undefined;
      if (q.kind === 'full' && nx && isWordTok(nx) && !isCap(nx.t) && !/[,.!?…:;—-]$/.test(inner.replace(/[\s”’"'»›]+$/, '')) && !speechAt(toks, qi + 1) && !PERSONAL_PRONOUNS.has(nx.l) && !DETERMINERS.has(nx.l)) q.kind = 'partial';
      let found: Found | null = null;
      let how: LocalQuote['how'] = 'adjacent';
      const endsClause = /[,?!.…—-]$/.test(inner.replace(/[\s”’"'»›]+$/, '')) || (toks[qi + 1]?.t === ',');
      if (endsClause || q.kind === 'full') found = attributeRight(toks, qi, ceil);
      if (!found) found = attributeLeft(toks, qi, floor, sFloor);
      // attribution-only next sentence: “…” Clinton said.
      if (!found && qi === sEnd && q.kind === 'full' && sIdx + 1 < spans.length) {
        const nEnd = sentEndTok[sIdx + 1];
        if (nEnd - sentStartTok[sIdx + 1] <= 12) {
          const f = attributeRight(toks, qi, nEnd);
          if (f) found = f;
        }
      }
      if (!found) found = attributeClause(toks, qi, sEnd);
      if (!found && q.kind === 'partial') {
        found = attributeSentence(toks, qi, sFloor);
        how = 'sentence';
      }
      // the subject of the sentence, to be accepted only if it names a person or organisation
      if (!found && (q.kind === 'partial' || prev?.t === ':')) {
        const np = firstNP(toks, sFloor, qi);
        // not the subject of a passive speech verb: "Stone was asked about the “reform”" (Stone is asked, not speaking)
        // (looked up: the first passive speech verb from each token on, so a long sentence stays linear)
        const passive = np !== null && nextPassiveSpeech(toks, np[1] + 1) < qi;
        if (np && !passive && contentful(toks, np)) {
          found = { np, cue: { start: toks[np[1]].e, end: toks[np[1]].e } };
          how = 'subject';
        }
      }
      // "Pence: … ‘Mocking’" — a label and a colon opening the sentence (headlines, transcripts)
      if (!found || headlineMode) {
        for (let c = sFloor + 1; c < qi && c <= sFloor + 7; c++) {
          if (toks[c].t !== ':') continue;
          const label = toks.slice(sFloor, c);
          // A label names someone: it needs at least one word ("::" or "— :" is no speaker).
          if (!label.some((t) => isWordTok(t))) break;
          const allCaps = label.every((t) => !isWordTok(t) || isCap(t.t));
          const named = headlineMode && label.some((t) => isWordTok(t) && isCap(t.t)) && label.every((t) => t.q === undefined);
          if (allCaps || named) {
            found = { np: [sFloor, c - 1], cue: { start: toks[c].s, end: toks[c].e } };
            how = 'adjacent';
          }
          break;
        }
      }
      // transcript: "WALLACE: Let's start …"
      if (!found) {
        const m = /^(\s*)(\p{Lu}[\p{Lu}.'’\- ]{1,40}\p{Lu})(:)\s/u.exec(inner);
        if (m) {
          const ls = seg.start + 1 + m[1].length;
          q.speaker = { start: ls, end: ls + m[2].length };
          q.cue = { start: ls + m[2].length, end: ls + m[2].length + 1 };
          q.how = 'adjacent';
        }
      }
      if (found) {
        q.speaker = speakerOf(toks, found.np);
        if (found.pronoun) q.speaker.pronoun = found.pronoun;
        q.cue = how === 'subject' ? undefined : found.cue;
        q.how = how;
      }
    }
    if (dropped.has(seg.parent ?? -1)) {
      dropped.add(si);
      return;
    }
    q.short = words <= 4 && !/[.?!]$/.test(inner.replace(/[\s”’"'»›,]+$/, ''));
    // titles and names in quotation marks are not quotations ("On “Fox News Sunday,” Pence said …"),
    // unless a verb of the sentence says someone called something that ("Trump called her “Miss Piggy”")
    const unattributed = !q.speaker || q.how === 'subject' || (q.kind === 'partial' && q.how !== 'sentence');
    if (seg.parent === undefined && !block && (isJunk(inner) || (unattributed && isTitleLike(inner) && !alone(si) && !headline))) {
      dropped.add(si);
      return;
    }
    if (!q.speaker && q.kind === 'partial' && q.short) q.kind = 'scare';
    segToQuote.set(si, quotes.length);
    quotes.push(q);
  });

  // speech events (antecedent candidates): subjects of speech verbs in the writer's text
  const events: SpeechEvent[] = [];
  for (let v = 0; v < toks.length; v++) {
    if (!speechAt(toks, v)) continue;
    const sIdx = sent[v];
    const np = subjectOf(toks, v, sentStartTok[sIdx], sentStartTok[sIdx]);
    if (np) events.push({ start: toks[np[0]].s, end: toks[np[1]].e, verb: toks[v].s });
  }

  // does the writer's text hold a word (besides quotations)? — stops at the first one
  const writerWords = toks.some((t) => t.q === undefined && /[\p{L}\p{N}]/u.test(t.t));
  const lastTop = [...segs].reverse().find((s) => s.depth === 0);
  // "The mayor wrote on her blog:" — a paragraph that introduces the next one (a block quote)
  let introduces: LocalSpeaker | undefined;
  const lastTok = toks[toks.length - 1];
  if (!block && lastTok && lastTok.t === ':' && lastTok.q === undefined) {
    const found = attributeLeft(toks, toks.length, sentStartTok[sent[toks.length - 1]], sentStartTok[sent[toks.length - 1]]);
    if (found) introduces = speakerOf(toks, found.np);
  }
  const local: LocalUnit = {
    introduces,
    quotes,
    sentences: spans,
    events,
    quoteOnly: segs.length > 0 && !writerWords,
    opensWithQuote: /^[\s>]*["“„«”]/.test(w),
    endsOpen: lastTop !== undefined && !lastTop.closed,
    block,
    reports: [],
  };
  return { local, parsed: { w, toks, sent, sentStartTok, sentEndTok, segToQuote, headline } };
}

/** How much of the enclosing quotation's text (characters on each side) a nested quotation's attribution reads. */
const NESTED_WINDOW = 1000;

/** Attribution of a quotation nested in another, inside the outer one's text. */
function analyzeNested(u: string, outer: Segment, seg: Segment): { speaker?: LocalSpeaker; cue?: Span; standalone: boolean } | null {
  // Only the outer quotation's text around this one is read (NESTED_WINDOW characters each side,
  // cut at a blank): the attribution lies in its sentence, and a quotation holding thousands of
  // nested ones is not read again for each of them.
  let innerStart = outer.start + 1;
  let innerEnd = outer.closed ? outer.end - 1 : outer.end;
  if (seg.start - innerStart > NESTED_WINDOW) {
    innerStart = seg.start - NESTED_WINDOW;
    while (innerStart < seg.start && !/\s/.test(u[innerStart - 1])) innerStart++;
  }
  if (innerEnd - seg.end > NESTED_WINDOW) {
    innerEnd = seg.end + NESTED_WINDOW;
    while (innerEnd > seg.end && !/\s/.test(u[innerEnd])) innerEnd--;
  }
  const sub = u.slice(innerStart, innerEnd);
  const rel: Segment = { ...seg, start: seg.start - innerStart, end: seg.end - innerStart, depth: 0, parent: undefined };
  const toks = tokenize(sub, [rel]);
  const qi = toks.findIndex((t) => t.q !== undefined);
  if (qi < 0) return null;
  const { sent } = sentences(sub, toks, [rel]);
  let sFloor = qi;
  while (sFloor > 0 && sent[sFloor - 1] === sent[qi]) sFloor--;
  let sEnd = qi;
  while (sEnd + 1 < toks.length && sent[sEnd + 1] === sent[qi]) sEnd++;
  const prev = qi > sFloor ? toks[qi - 1] : undefined;
  const standalone = prev === undefined || /^[,:]$/.test(prev.t);
  const found = attributeLeft(toks, qi, sFloor, sFloor) ?? attributeRight(toks, qi, sEnd);
  if (!found) return { standalone };
  const sp = speakerOf(toks, found.np);
  return {
    speaker: { ...sp, start: sp.start + innerStart, end: sp.end + innerStart },
    cue: { start: found.cue.start + innerStart, end: found.cue.end + innerStart },
    standalone,
  };
}
