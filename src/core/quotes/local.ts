/**
 * Per-paragraph ("unit") analysis: quotation segments, their kind, and the phrase that attributes
 * each one (the speaker noun phrase and the cue), all relative to the unit. It reads only the unit's
 * text, so its result is cached by that text; resolving the phrase to an entity is the document pass.
 * The grammar it applies: `tokens.ts` (tokens, sentences), `nounPhrases.ts`, `speechVerbs.ts` (verbs
 * of saying and their subjects) and `quoteAttribution.ts` (where a quotation's attribution lies).
 */
import { pairMarks, type Segment } from './marks';
import { DETERMINERS, PERSONAL_PRONOUNS } from './lexicon';
import { countWords, isCap, isWordTok, sentences, tokenize, type Tok } from './tokens';
import { inHeadlineMode, setHeadlineMode, speakerOf, speechAt, subjectOf } from './speechVerbs';
import {
  analyzeNested,
  attributeClause,
  attributeLabel,
  attributeLeft,
  attributeRight,
  attributeSentence,
  attributeSubject,
  transcriptLabel,
  type Found,
} from './quoteAttribution';
import { isBlockQuote, isHeadline, isJunk, isTitleLike } from './shapes';
import type { QuoteKind, Span } from '../types';

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
  setHeadlineMode(isHeadline(u));
  try {
    return analyzeUnitInner(u);
  } finally {
    setHeadlineMode(false);
  }
}

/** The unit as the analysis reads it, and the quotations it keeps. */
interface UnitScan extends ParsedUnit {
  block: boolean;
  segs: Segment[];
  /** sentence spans */
  spans: Span[];
  /** top-level segment index → the token standing for it */
  tokOfSeg: Map<number, number>;
  quotes: LocalQuote[];
  /** segments not reported (titles, web debris, and what they hold) */
  dropped: Set<number>;
  /** index in `quotes` of the unit's Markdown block quote */
  blockIdx: number | undefined;
}

function analyzeUnitInner(u: string): { local: LocalUnit; parsed: ParsedUnit } {
  const block = isBlockQuote(u);
  const scan = scanUnit(block ? maskBlockPrefixes(u) : u, block);
  if (block) {
    scan.blockIdx = 0;
    scan.quotes.push(blockQuote(u, scan.w));
  }
  scan.segs.forEach((seg, si) => addQuotation(scan, seg, si));
  const { w, toks, sent, sentStartTok, sentEndTok, segToQuote, headline, segs } = scan;
  const events = speechEvents(toks, sent, sentStartTok);
  // does the writer's text hold a word (besides quotations)? — stops at the first one
  const writerWords = toks.some((t) => t.q === undefined && /[\p{L}\p{N}]/u.test(t.t));
  const lastTop = [...segs].reverse().find((s) => s.depth === 0);
  const local: LocalUnit = {
    introduces: block ? undefined : introducedSpeaker(toks, sent, sentStartTok),
    quotes: scan.quotes,
    sentences: scan.spans,
    events,
    quoteOnly: segs.length > 0 && !writerWords,
    opensWithQuote: /^[\s>]*["“„«”]/.test(w),
    endsOpen: lastTop !== undefined && !lastTop.closed,
    block,
    reports: [],
  };
  return { local, parsed: { w, toks, sent, sentStartTok, sentEndTok, segToQuote, headline } };
}

/** Blanks for the `>` prefixes of a block quote, so they do not look like punctuation. */
function maskBlockPrefixes(u: string): string {
  return u.replace(/^(\s{0,3})(>+)/gm, (_m, sp: string, gt: string) => sp + ' '.repeat(gt.length));
}

/** Marks paired, tokens and sentences, with the token of each top-level quotation and the first and last token of each sentence. */
function scanUnit(w: string, block: boolean): UnitScan {
  const segs = pairMarks(w);
  const toks = tokenize(w, segs);
  const { sent, spans } = sentences(w, toks, segs);
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
  const headline = isHeadline(w);
  return { w, toks, sent, sentStartTok, sentEndTok, segToQuote: new Map(), headline, block, segs, spans, tokOfSeg, quotes: [], dropped: new Set(), blockIdx: undefined };
}

/** The unit as one block quote (blanks around it left out). */
function blockQuote(u: string, w: string): LocalQuote {
  let s = 0;
  while (s < u.length && /\s/.test(u[s])) s++;
  let e = u.length;
  while (e > s && /\s/.test(u[e - 1])) e--;
  return { start: s, end: e, kind: 'block', closed: true, how: 'none', words: countWords(w), sentence: 0, standalone: true };
}

/** The quotation of segment `si`, attributed and classified, unless it is dropped. */
function addQuotation(scan: UnitScan, seg: Segment, si: number): void {
  const inner = scan.w.slice(seg.start + 1, seg.closed ? seg.end - 1 : seg.end);
  const words = countWords(inner);
  const q: LocalQuote = { start: seg.start, end: seg.end, kind: 'full', closed: seg.closed, how: 'none', words, sentence: 0, standalone: false };
  if (seg.parent !== undefined) attributeNestedQuote(scan, q, seg, inner);
  else if (!attributeTopQuote(scan, q, seg, si, inner)) return;
  if (scan.dropped.has(seg.parent ?? -1)) {
    scan.dropped.add(si);
    return;
  }
  q.short = words <= 4 && !/[.?!]$/.test(inner.replace(/[\s”’"'»›,]+$/, ''));
  // titles and names in quotation marks are not quotations ("On “Fox News Sunday,” Pence said …"),
  // unless a verb of the sentence says someone called something that ("Trump called her “Miss Piggy”")
  const unattributed = !q.speaker || q.how === 'subject' || (q.kind === 'partial' && q.how !== 'sentence');
  if (seg.parent === undefined && !scan.block && (isJunk(inner) || (unattributed && isTitleLike(inner) && !alone(scan, si) && !scan.headline))) {
    scan.dropped.add(si);
    return;
  }
  if (!q.speaker && q.kind === 'partial' && q.short) q.kind = 'scare';
  scan.segToQuote.set(si, scan.quotes.length);
  scan.quotes.push(q);
}

/** The quotation (top-level segment `si`) is its sentence's only content. */
function alone(scan: UnitScan, si: number): boolean {
  const qi = scan.tokOfSeg.get(si);
  if (qi === undefined) return false;
  const sIdx = scan.sent[qi];
  for (let k = scan.sentStartTok[sIdx]; k <= scan.sentEndTok[sIdx]; k++) if (k !== qi && isWordTok(scan.toks[k])) return false;
  return true;
}

/** A quotation inside another: the enclosing one's sentence, an attribution inside the enclosing text. */
function attributeNestedQuote(scan: UnitScan, q: LocalQuote, seg: Segment, inner: string): void {
  const parent = seg.parent as number;
  q.parent = scan.segToQuote.get(parent);
  q.sentence = q.parent !== undefined ? scan.quotes[q.parent].sentence : 0;
  // attribution inside the enclosing quotation ("…he said, ‘X’…")
  const sub = analyzeNested(scan.w, scan.segs[parent], seg);
  if (sub?.speaker && !(sub.speaker.pronoun && ['i', 'we', 'you'].includes(sub.speaker.pronoun))) {
    // ("I"/"we" inside a quotation is its speaker: inherit it in the document pass)
    q.speaker = sub.speaker;
    q.cue = sub.cue;
    q.how = 'adjacent';
  }
  q.standalone = sub?.standalone ?? false;
  q.kind = q.standalone && /^[\s“‘"'«‹]*[\p{Lu}\p{N}]/u.test(inner) ? 'full' : 'partial';
}

/** Where a top-level quotation stands in its sentence (token indices). */
interface QuoteSite {
  /** the quotation's token */
  qi: number;
  /** its sentence, and the sentence's first and last token */
  sIdx: number;
  sFloor: number;
  sEnd: number;
  /** the writer's text around it: after the previous quotation of the sentence, before the next */
  floor: number;
  ceil: number;
  /** the token before it in the sentence */
  prev: Tok | undefined;
}

/** A quotation of the writer's text: its kind, then its attribution. False when no token stands for it. */
function attributeTopQuote(scan: UnitScan, q: LocalQuote, seg: Segment, si: number, inner: string): boolean {
  if (scan.blockIdx !== undefined) q.parent = scan.blockIdx;
  const qi = scan.tokOfSeg.get(si);
  if (qi === undefined) return false;
  const site = siteOf(scan, qi);
  q.sentence = site.sIdx;
  classifyTopQuote(scan.toks, q, site, inner);
  const { found, how } = findAttribution(scan, q, site, inner);
  if (found) {
    q.speaker = speakerOf(scan.toks, found.np);
    if (found.pronoun) q.speaker.pronoun = found.pronoun;
    q.cue = how === 'subject' ? undefined : found.cue;
    q.how = how;
    return true;
  }
  // transcript: "WALLACE: Let's start …"
  const label = transcriptLabel(inner, seg.start + 1);
  if (label) {
    q.speaker = label.speaker;
    q.cue = label.cue;
    q.how = 'adjacent';
  }
  return true;
}

function siteOf(scan: UnitScan, qi: number): QuoteSite {
  const { toks } = scan;
  const sIdx = scan.sent[qi];
  const sFloor = scan.sentStartTok[sIdx];
  const sEnd = scan.sentEndTok[sIdx];
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
  return { qi, sIdx, sFloor, sEnd, floor, ceil, prev: qi > sFloor ? toks[qi - 1] : undefined };
}

/** Standalone (introduced by nothing, punctuation or a quotation) or not; full or partial. */
function classifyTopQuote(toks: Tok[], q: LocalQuote, site: QuoteSite, inner: string): void {
  const { qi, sFloor, sEnd, floor, prev } = site;
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
}

/** The attribution rules in turn, and how the one that applied found the phrase. */
function findAttribution(scan: UnitScan, q: LocalQuote, site: QuoteSite, inner: string): { found: Found | null; how: LocalQuote['how'] } {
  const { toks, sentStartTok, sentEndTok } = scan;
  const { qi, sIdx, sFloor, sEnd, floor, ceil, prev } = site;
  let found: Found | null = null;
  let how: LocalQuote['how'] = 'adjacent';
  const endsClause = /[,?!.…—-]$/.test(inner.replace(/[\s”’"'»›]+$/, '')) || (toks[qi + 1]?.t === ',');
  if (endsClause || q.kind === 'full') found = attributeRight(toks, qi, ceil);
  if (!found) found = attributeLeft(toks, qi, floor, sFloor);
  // attribution-only next sentence: “…” Clinton said.
  if (!found && qi === sEnd && q.kind === 'full' && sIdx + 1 < scan.spans.length) {
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
  if (!found && (q.kind === 'partial' || prev?.t === ':')) {
    found = attributeSubject(toks, qi, sFloor);
    if (found) how = 'subject';
  }
  if (!found || inHeadlineMode()) {
    const label = attributeLabel(toks, qi, sFloor);
    if (label) {
      found = label;
      how = 'adjacent';
    }
  }
  return { found, how };
}

/** Speech events (antecedent candidates): subjects of speech verbs in the writer's text. */
function speechEvents(toks: Tok[], sent: number[], sentStartTok: number[]): SpeechEvent[] {
  const events: SpeechEvent[] = [];
  for (let v = 0; v < toks.length; v++) {
    if (!speechAt(toks, v)) continue;
    const sIdx = sent[v];
    const np = subjectOf(toks, v, sentStartTok[sIdx], sentStartTok[sIdx]);
    if (np) events.push({ start: toks[np[0]].s, end: toks[np[1]].e, verb: toks[v].s });
  }
  return events;
}

/** "The mayor wrote on her blog:" — a paragraph that introduces the next one (a block quote). */
function introducedSpeaker(toks: Tok[], sent: number[], sentStartTok: number[]): LocalSpeaker | undefined {
  const lastTok = toks[toks.length - 1];
  if (!lastTok || lastTok.t !== ':' || lastTok.q !== undefined) return undefined;
  const floor = sentStartTok[sent[toks.length - 1]];
  const found = attributeLeft(toks, toks.length, floor, floor);
  return found ? speakerOf(toks, found.np) : undefined;
}
