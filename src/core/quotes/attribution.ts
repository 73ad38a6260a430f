/**
 * Attributions beyond quotation marks: reported speech and thought ("X said (that) …", "according
 * to X, …", "X told reporters …", "X's claim that …", "…, he added"), per paragraph ("unit").
 *
 * Two steps, both reading only the unit (so the result is cached with the unit's analysis):
 *  1. cues: which words of the writer's text report someone's words or thoughts (`cues.ts`: a
 *     learned classifier, or the speech-verb lexicon without one);
 *  2. rules, as a grammar of reporting clauses would state them, give each cue its content and its
 *     source: the clause after the verb ("said (that) …", "told reporters (that) …"), the clause
 *     before it when the verb closes the sentence ("…, X said." / "…, said X."), the other side
 *     of "according to X", the clause after "that" for a noun of saying ("X's claim that …"); the
 *     source is the verb's subject (the speech-verb grammar of `speechVerbs.ts`), the inverted subject,
 *     the object of "according to", or the possessor of the noun.
 *
 * The document pass (`documentPass.ts`) resolves the source phrase as it resolves a quotation's speaker
 * and ties the quotation-mark quotations inside the content to the statement (`partOf`).
 * Time: linear in the unit (each cue looks at its own sentence, sentences are disjoint, a sentence
 * has at most {@link MAX_CUES_PER_SENTENCE} cues scored for content).
 */
import { DETERMINERS, PERSONAL_PRONOUNS } from './lexicon';
import { isCap, isWordTok, type Tok } from './tokens';
import { contentful, firstNP, npLeft, npRight } from './nounPhrases';
import { skipBetweenLeft, speakerOf, subjectOf } from './speechVerbs';
import { REPORT_NOUNS, cueScores, type LoadedCueModel } from './cues';
import type { LocalReport, LocalUnit, ParsedUnit } from './local';

/** Verbs whose object is the one spoken to ("told reporters that …", "warned them …"). */
const OBJECT_VERBS = new Set(
  `tell tells told telling warn warns warned warning assure assures assured assuring remind reminds reminded reminding inform
  informs informed informing urge urges urged urging ask asks asked asking convince convinces convinced convincing persuade
  persuaded promise promised promises promising notify notified advise advised advises advising caution cautioned`.split(/\s+/),
);

/** Words that open the object of a verb of telling ("told reporters", "warned them", "told the paper"). */
const OBJECT_STARTS = new Set(
  `him her them us me you reporters journalists supporters voters listeners viewers audiences crowd the his their cnn abc nbc
  cbs fox msnbc`.split(/\s+/),
);

/** Nouns of a medium or an occasion: "said in a statement", "told CNN in an interview", "said at a rally". */
const MEDIUM_NOUNS = new Set(
  `statement interview tweet tweets email e-mail letter post message speech release briefing conference call note memo blog
  podcast appearance address remarks testimony filing report video op-ed column essay radio television tv show rally event
  debate hearing meeting session forum town hall-style town-hall rally speech news program broadcast episode`.split(/\s+/),
);

/** Adverbs that may follow a cue before its content ("said again", "said Monday"). */
const AFTER_CUE_ADVERBS = new Set(`again also repeatedly publicly privately flatly bluntly simply recently previously later earlier`.split(/\s+/));

/** Time words: never a source. */
const TIME_WORDS = new Set(
  `monday tuesday wednesday thursday friday saturday sunday today yesterday tonight now week weekend month year years
  months weeks days day morning afternoon evening night time far then recently earlier later january february march april
  june july august september october november december`.split(/\s+/),
);

/** Cues scored for content per sentence at most (keeps a sentence of endless "said" linear). */
export const MAX_CUES_PER_SENTENCE = 8;

/** Index of the last token of the sentence that is not closing punctuation. */
function contentEnd(toks: readonly Tok[], a: number, b: number): number {
  let e = b;
  while (e > a && toks[e].q === undefined && !isWordTok(toks[e])) e--;
  return e;
}

function words(toks: readonly Tok[], a: number, b: number): number {
  let n = 0;
  for (let k = a; k <= b; k++) if (toks[k].q !== undefined || isWordTok(toks[k])) n++;
  return n;
}

/** Writer's words (not quotations) in a..b. */
function writerWords(toks: readonly Tok[], a: number, b: number): number {
  let n = 0;
  for (let k = a; k <= b; k++) if (toks[k].q === undefined && isWordTok(toks[k])) n++;
  return n;
}

interface Draft {
  a: number;
  b: number;
  np: [number, number] | null;
  cue: [number, number];
  /** the source is a relative pronoun ("…, which said"): the phrase it stands for */
  antecedent?: [number, number];
}

/**
 * After the cue: skip time and manner words ("said Monday", "said again") and a prepositional phrase
 * of medium or occasion ("said in a statement", "said at a rally on Tuesday"). Bounded: a few tokens.
 */
function skipAfterCue(toks: readonly Tok[], k: number, b: number): number {
  let j = k;
  for (let guard = 0; guard < 4 && j <= b && toks[j].q === undefined; guard++) {
    const l = toks[j].l;
    if (TIME_WORDS.has(l) || AFTER_CUE_ADVERBS.has(l)) {
      j++;
      continue;
    }
    if ((l === 'last' || l === 'this' || l === 'next') && TIME_WORDS.has(toks[j + 1]?.l ?? '')) {
      j += 2;
      continue;
    }
    if (['in', 'on', 'at', 'during', 'via', 'over'].includes(l)) {
      // up to four words to a noun of medium or occasion, or a time word
      let m = j + 1;
      while (m <= b && m - j <= 4 && toks[m].q === undefined && isWordTok(toks[m]) && !MEDIUM_NOUNS.has(toks[m].l) && !TIME_WORDS.has(toks[m].l)) m++;
      if (m <= b && m - j <= 4 && toks[m].q === undefined && (MEDIUM_NOUNS.has(toks[m].l) || TIME_WORDS.has(toks[m].l))) {
        j = m + 1;
        continue;
      }
    }
    break;
  }
  return j;
}

/** The first word of the sentence from `a` (skipping punctuation and a clause opener), or -1 before `limit`. */
function firstWord(toks: readonly Tok[], a: number, limit: number): number {
  let k = a;
  while (k < limit && toks[k].q === undefined && (!isWordTok(toks[k]) || ['but', 'and', 'so', 'yet', 'still', 'also'].includes(toks[k].l))) k++;
  return k;
}

/**
 * When the speech-verb grammar finds no subject (a long subject, an appositive it does not take):
 * the noun phrase right before the verb, else the first noun phrase of the sentence.
 */
function nearestSubject(toks: Tok[], c0: number, a: number): [number, number] | null {
  let k = skipBetweenLeft(toks, c0 - 1, a);
  // "lawmakers on Tuesday proposed", "officials this week said": time words are not the subject
  while (k >= a && toks[k].q === undefined && (TIME_WORDS.has(toks[k].l) || (k > a && TIME_WORDS.has(toks[k + 1]?.l ?? '') && ['this', 'last', 'next', 'on', 'early', 'late', 'earlier', 'later'].includes(toks[k].l)))) k--;
  k = skipBetweenLeft(toks, k, a);
  if (k >= a && isWordTok(toks[k]) && toks[k].q === undefined) {
    const np = npLeft(toks, k, a);
    if (np && contentful(toks, np) && !TIME_WORDS.has(toks[np[1]].l) && (isCap(toks[np[0]].t) || PERSONAL_PRONOUNS.has(toks[np[0]].l) || DETERMINERS.has(toks[np[0]].l) || toks[np[0]].l === 'who')) return np;
  }
  const f = c0 > a ? firstNP(toks, a, c0) : null;
  return f && contentful(toks, f) && !TIME_WORDS.has(toks[f[1]].l) && !/^\p{Lu}{2,}$/u.test(toks[f[0]].t) ? f : null;
}

/** Content and source of the cue run c0..c1 in the sentence a..b, or null. */
function draftFor(toks: Tok[], c0: number, c1: number, a: number, b: number): Draft | null {
  const e = contentEnd(toks, a, b);
  const head = toks[c0];
  // according to X, CONTENT / CONTENT, according to X
  if (head.l === 'according' && toks[c1 + 1]?.l === 'to' && c1 + 1 <= b) return draftAccordingTo(toks, c0, c1 + 1, a, e);
  // a noun of saying with a "that" clause: "X's claim that …", "his warning that …"
  if (REPORT_NOUNS.has(head.l) && toks[c1 + 1]?.l === 'that' && c1 + 2 <= e) return draftReportNoun(toks, c0, c1, a, e);
  return draftVerb(toks, c0, c1, a, e);
}

/** "according to X, CONTENT" / "CONTENT, according to X": the cue is c0..to, the content ends at `e`. */
function draftAccordingTo(toks: Tok[], c0: number, to: number, a: number, e: number): Draft | null {
  let np = npRight(toks, to + 1, e);
  // "according to a statement from X", "according to a report by X": X
  let m = to + 1;
  while (m <= e && m - to <= 4 && toks[m].q === undefined && isWordTok(toks[m]) && !MEDIUM_NOUNS.has(toks[m].l) && !['from', 'by', 'of'].includes(toks[m].l)) m++;
  if (m + 1 <= e && MEDIUM_NOUNS.has(toks[m].l) && ['from', 'by', 'of'].includes(toks[m + 1]?.l ?? '')) np = npRight(toks, m + 2, e) ?? np;
  let k = a;
  while (k < c0 && toks[k].q === undefined && (!isWordTok(toks[k]) || ['but', 'and', 'yet', 'so', 'also'].includes(toks[k].l))) k++;
  if (k === c0) {
    // the content follows the comma after the source
    let c = np ? np[1] + 1 : to + 1;
    while (c <= e && toks[c].t !== ',') c++;
    if (c >= e) return null;
    return { a: c + 1, b: e, np, cue: [c0, to] };
  }
  let ce = c0 - 1;
  while (ce > a && toks[ce].q === undefined && !isWordTok(toks[ce])) ce--;
  return { a, b: ce, np, cue: [c0, to] };
}

/** A noun of saying and its "that" clause; the source is the possessor ("X's claim", "his warning"). */
function draftReportNoun(toks: Tok[], c0: number, c1: number, a: number, e: number): Draft {
  const p = toks[c0 - 1];
  let np: [number, number] | null = null;
  if (p && p.q === undefined && /[’']s$/.test(p.t)) {
    let s = c0 - 1;
    while (s - 1 >= a && toks[s - 1].q === undefined && isCap(toks[s - 1].t) && isWordTok(toks[s - 1])) s--;
    np = [s, c0 - 1];
  } else if (p && ['his', 'her', 'their', 'its'].includes(p.l)) np = [c0 - 1, c0 - 1];
  // the clause ends at the next comma or the sentence end
  let ce = c1 + 2;
  while (ce < e && toks[ce].t !== ',' && toks[ce].t !== ';') ce++;
  if (toks[ce].t === ',' || toks[ce].t === ';') ce--;
  return { a: c1 + 2, b: ce, np, cue: [c0, c1] };
}

/** A verb of saying: its content after it, or before it when it closes the clause; its source the subject. */
function draftVerb(toks: Tok[], c0: number, c1: number, a: number, e: number): Draft | null {
  const head = toks[c0];
  const before = toks[c0 - 1];
  const participleAfterComma = /ing$/.test(head.l) && before?.t === ',';
  if (/ing$/.test(head.l) && c0 === firstWord(toks, a, c0)) {
    const d = draftOpeningParticiple(toks, c0, c1, e);
    if (d) return d;
  }
  // "…, which said", "X, who argued": the relative pronoun is the source, standing for the phrase before it
  const rel = skipBetweenLeft(toks, c0 - 1, a);
  const antecedent = relativeAntecedent(toks, rel, a);
  const np = antecedent ? ([rel, rel] as [number, number]) : subjectOf(toks, c0, a, a);
  const k = skipAfterCue(toks, c1 + 1, e);
  const tail = cueClosesClause(toks, c0, c1, a, e, np, k);
  const inverted = !tail && k <= e && !np ? invertedSource(toks, k, e) : null;
  if (tail || inverted) return draftBeforeCue(toks, c0, c1, a, np, inverted, antecedent);
  if (participleAfterComma && np === null) return null;
  // "The plan, he said, is a disaster": the source set off by commas inside the content
  if (np && toks[k]?.t === ',' && np[0] - 1 > a && toks[np[0] - 1].t === ',' && k < e) return { a, b: e, np, cue: [c0, c1] };
  return draftAfterCue(toks, c0, c1, a, e, np, k, antecedent);
}

/** "Noting that …, X said": a participle opening the sentence; its subject follows the clause. */
function draftOpeningParticiple(toks: Tok[], c0: number, c1: number, e: number): Draft | null {
  let k = c1 + 1;
  if (toks[k]?.l === 'that') k++;
  let c = k;
  while (c <= e && toks[c].t !== ',') c++;
  if (c < e && c - 1 >= k) return { a: k, b: c - 1, np: npRight(toks, c + 1, e), cue: [c0, c1] };
  return null;
}

/** For a relative pronoun at `rel` ("X, who argued"), the phrase it stands for. */
function relativeAntecedent(toks: Tok[], rel: number, a: number): [number, number] | undefined {
  if (rel > a && (toks[rel].l === 'who' || toks[rel].l === 'which') && toks[rel].q === undefined) {
    const h = toks[rel - 1].t === ',' ? rel - 2 : rel - 1;
    const ante = h >= a ? npLeft(toks, h, a) : null;
    if (ante && contentful(toks, ante)) return ante;
  }
  return undefined;
}

/**
 * The verb closes the sentence (or its clause): "…, X said." / "…, said X." (`k`: the first token
 * after the cue and its time and manner words).
 */
function cueClosesClause(toks: Tok[], c0: number, c1: number, a: number, e: number, np: [number, number] | null, k: number): boolean {
  const head = toks[c0];
  // “…,” he added, and …: the cue attributes the quotation before it, not what follows
  const s0 = np ? np[0] : c0;
  const afterQuote = (toks[s0 - 1]?.q !== undefined || (toks[s0 - 1]?.t === ',' && toks[s0 - 2]?.q !== undefined)) && s0 - 1 >= a;
  // "…, Lopez told reporters." — the one spoken to closes the sentence
  let objectEnd = -1;
  if ((OBJECT_VERBS.has(head.l) || OBJECT_VERBS.has(toks[c1].l)) && k <= e && toks[k].q === undefined && OBJECT_STARTS.has(toks[k].l)) {
    const obj = npRight(toks, k, e);
    if (obj) objectEnd = skipAfterCue(toks, obj[1] + 1, e);
  }
  return k > e || objectEnd > e || (afterQuote && (toks[k]?.t === ',' || toks[k]?.t === ';'));
}

/** The source after the verb that closes the clause: "…, said X." / "…, said the spokesman, …". */
function invertedSource(toks: Tok[], k: number, e: number): [number, number] | null {
  const r = npRight(toks, k, e);
  if (r && (r[1] >= e || toks[r[1] + 1]?.t === ',') && (isCap(toks[r[0]].t) || ['the', 'a', 'an'].includes(toks[r[0]].l) || PERSONAL_PRONOUNS.has(toks[r[0]].l))) return r;
  return null;
}

/** The content is what comes before the source (or before the cue), up to the comma. */
function draftBeforeCue(
  toks: Tok[],
  c0: number,
  c1: number,
  a: number,
  np: [number, number] | null,
  inverted: [number, number] | null,
  antecedent: [number, number] | undefined,
): Draft | null {
  let s = np ? np[0] - 1 : c0 - 1;
  while (s >= a && toks[s].q === undefined && !isWordTok(toks[s])) s--;
  if (s < a) return null;
  const src = np ?? inverted ?? nearestSubject(toks, c0, a);
  // "…, X said, CONTENT" (the cue in the middle) has its content on both sides: the first part
  let from = a;
  // a clause opener ("But", "And") is not content
  while (from < s && toks[from].q === undefined && ['but', 'and', 'so', 'yet'].includes(toks[from].l)) from++;
  return { a: from, b: s, np: src, cue: [c0, c1], antecedent: src === np ? antecedent : undefined };
}

/** The content follows the cue (after a colon or comma, the one spoken to, a "that"). */
function draftAfterCue(
  toks: Tok[],
  c0: number,
  c1: number,
  a: number,
  e: number,
  np: [number, number] | null,
  k: number,
  antecedent: [number, number] | undefined,
): Draft | null {
  const head = toks[c0];
  if (toks[k]?.t === ',' && toks[k + 1] && toks[k + 1].q !== undefined) k++;
  if (toks[k]?.t === ':' || toks[k]?.t === ',') k++;
  if (OBJECT_VERBS.has(head.l) || OBJECT_VERBS.has(toks[c1].l)) k = skipSpokenTo(toks, k, e);
  if (toks[k]?.l === 'that' || toks[k]?.t === ':') k++;
  if (toks[k]?.t === ',' ) k++;
  if (k > e) return null;
  return { a: k, b: e, np: np ?? nearestSubject(toks, c0, a), cue: [c0, c1], antecedent };
}

/** "told reporters (that) …", "warned him …": past the one spoken to (and a time or medium after it). */
function skipSpokenTo(toks: Tok[], k: number, e: number): number {
  let j = k;
  while (j <= e && j - k < 8 && toks[j].q === undefined && toks[j].l !== 'that' && isWordTok(toks[j])) j++;
  if (j <= e && toks[j].l === 'that') k = j;
  else if (toks[k] && OBJECT_STARTS.has(toks[k].l)) {
    const obj = npRight(toks, k, e);
    if (obj) k = obj[1] + 1;
  }
  return skipAfterCue(toks, k, e);
}

/**
 * The reported statements of a unit. `local.quotes` are the unit's quotation-mark quotations
 * (their indices go into `parts`).
 */
export function findReports(parsed: ParsedUnit, local: LocalUnit, model: LoadedCueModel | undefined): LocalReport[] {
  if (local.block || parsed.headline) return [];
  const { toks, sent, sentStartTok, sentEndTok } = parsed;
  const scores = cueScores(parsed, model);
  const out: LocalReport[] = [];
  const seen = new Set<string>();
  let i = 0;
  let perSentence = 0;
  let curSent = -1;
  const sentenceDrafts: SentenceDraft[] = [];
  while (i < toks.length) {
    if (!(scores[i] > 0)) {
      i++;
      continue;
    }
    const s = sent[i];
    if (s !== curSent) {
      curSent = s;
      perSentence = 0;
    }
    // a cue run: consecutive cue words ("called for", "according to")
    let j = i;
    let best = scores[i];
    while (j + 1 < toks.length && sent[j + 1] === s && scores[j + 1] > 0) {
      j++;
      best = Math.max(best, scores[j]);
    }
    if (perSentence++ >= MAX_CUES_PER_SENTENCE) {
      i = j + 1;
      continue;
    }
    const d = draftFor(toks, i, j, sentStartTok[s], sentEndTok[s]);
    i = j + 1;
    if (!d || d.b < d.a || !fitIntoSentence(toks, d, s, sentenceDrafts)) continue;
    if (words(toks, d.a, d.b) < 2 && !(d.a === d.b && toks[d.a].q !== undefined)) continue;
    // content that is nothing but a quotation: the quotation is the statement (the quotation finder has it)
    if (writerWords(toks, d.a, d.b) === 0) continue;
    const key = `${toks[d.a].s}:${toks[d.b].e}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // (scores are scaled so the largest weight is 100: a margin of 25 reads as about 0.73)
    const confidence = model ? Math.min(0.95, Math.max(0.5, Math.round(100 / (1 + Math.exp(-best / 25))) / 100)) : 0.6;
    out.push(reportOf(toks, d, parsed.segToQuote, confidence));
  }
  return out;
}

/** The content span of a statement found earlier in the sentence `s`. */
interface SentenceDraft {
  s: number;
  a: number;
  b: number;
}

/**
 * Statements of one sentence nest or stay apart ("A said B, C said": the second stops before the
 * first): trims `d` against those of its sentence so far and to its words, and records it. False
 * when nothing is left.
 */
function fitIntoSentence(toks: Tok[], d: Draft, s: number, sentenceDrafts: SentenceDraft[]): boolean {
  if (sentenceDrafts.length > 0 && sentenceDrafts[0].s !== s) sentenceDrafts.length = 0;
  for (const o of sentenceDrafts) {
    if (d.a < o.a && o.a <= d.b && d.b < o.b) d.b = o.a - 1;
    else if (o.a < d.a && d.a <= o.b && o.b < d.b) d.a = o.b + 1;
  }
  while (d.b > d.a && toks[d.b].q === undefined && !isWordTok(toks[d.b])) d.b--;
  while (d.a < d.b && toks[d.a].q === undefined && !isWordTok(toks[d.a])) d.a++;
  if (d.b < d.a) return false;
  sentenceDrafts.push({ s, a: d.a, b: d.b });
  return true;
}

/** The statement of a draft: spans, the quotations inside its content, its speaker phrase. */
function reportOf(toks: Tok[], d: Draft, segToQuote: Map<number, number>, confidence: number): LocalReport {
  const parts: number[] = [];
  for (let k = d.a; k <= d.b; k++) {
    const q = toks[k].q;
    if (q === undefined) continue;
    const qi = segToQuote.get(q);
    if (qi !== undefined) parts.push(qi);
  }
  const r: LocalReport = {
    start: toks[d.a].s,
    end: toks[d.b].e,
    cue: { start: toks[d.cue[0]].s, end: toks[d.cue[1]].e },
    parts,
    confidence,
  };
  if (d.np) r.speaker = speakerOf(toks, d.np);
  if (r.speaker && d.antecedent) {
    r.speaker.pronoun = toks[d.np![0]].l;
    r.speaker.antecedent = { start: toks[d.antecedent[0]].s, end: toks[d.antecedent[1]].e };
  }
  return r;
}
