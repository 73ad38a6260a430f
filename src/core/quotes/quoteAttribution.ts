/**
 * Where the phrase attributing a quotation-mark quotation lies: next to it (before or after), in an
 * attribution clause later in the sentence, at the sentence's speech verb, in a label and colon
 * opening the sentence, or (for a nested quotation) inside the enclosing quotation's text.
 */
import { ABBREVIATIONS, BETWEEN, DETERMINERS, NP_STOP, PERSONAL_PRONOUNS, isParticiple } from './lexicon';
import type { Segment } from './marks';
import { isCap, isWordTok, sentences, tokenize, type Tok } from './tokens';
import { contentful, firstNP, npLeft, npRight } from './nounPhrases';
import * as verbs from './speechVerbs';
import type { LocalSpeaker } from './local';
import type { Span } from '../types';

// Bound once: attributeSentence calls these per token of a sentence, and where modules stay apart
// (the tests' loader) an imported name costs a property read through a getter on every call.
const { accordingTo, cueSpan, inHeadlineMode, isStrongSpeech, nextPassiveSpeech, skipBetweenLeft, speakerOf, speechAt, subjectOf } = verbs;

export interface Found {
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

/** Attribution after the quotation: `,” NP said` / `,” said NP` / `” — NP`. */
export function attributeRight(toks: Tok[], qi: number, sentEnd: number): Found | null {
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
export function attributeLeft(toks: Tok[], qi: number, floor: number, sentFloor: number): Found | null {
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
export function attributeClause(toks: Tok[], qi: number, sentEnd: number): Found | null {
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
export function attributeSentence(toks: Tok[], qi: number, sentFloor: number): Found | null {
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

/** How much of the enclosing quotation's text (characters on each side) a nested quotation's attribution reads. */
const NESTED_WINDOW = 1000;

/** Attribution of a quotation nested in another, inside the outer one's text. */
export function analyzeNested(u: string, outer: Segment, seg: Segment): { speaker?: LocalSpeaker; cue?: Span; standalone: boolean } | null {
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

/** "Pence: … ‘Mocking’" — a label and a colon opening the sentence (headlines, transcripts). */
export function attributeLabel(toks: Tok[], qi: number, sFloor: number): Found | null {
  for (let c = sFloor + 1; c < qi && c <= sFloor + 7; c++) {
    if (toks[c].t !== ':') continue;
    const label = toks.slice(sFloor, c);
    // A label names someone: it needs at least one word ("::" or "— :" is no speaker).
    if (!label.some((t) => isWordTok(t))) return null;
    const allCaps = label.every((t) => !isWordTok(t) || isCap(t.t));
    const named = inHeadlineMode() && label.some((t) => isWordTok(t) && isCap(t.t)) && label.every((t) => t.q === undefined);
    return allCaps || named ? { np: [sFloor, c - 1], cue: { start: toks[c].s, end: toks[c].e } } : null;
  }
  return null;
}

/**
 * A transcript's speaker label opening the quotation ("WALLACE: Let's start …"): the speaker and
 * the colon, relative to the unit (`innerStart`: where the quotation's text starts).
 */
export function transcriptLabel(inner: string, innerStart: number): { speaker: LocalSpeaker; cue: Span } | null {
  const m = /^(\s*)(\p{Lu}[\p{Lu}.'’\- ]{1,40}\p{Lu})(:)\s/u.exec(inner);
  if (!m) return null;
  const ls = innerStart + m[1].length;
  return { speaker: { start: ls, end: ls + m[2].length }, cue: { start: ls + m[2].length, end: ls + m[2].length + 1 } };
}

/**
 * The subject of the quotation's sentence (to be accepted only if it names a person or
 * organisation), not the subject of a passive speech verb: "Stone was asked about the “reform”"
 * (Stone is asked, not speaking).
 */
export function attributeSubject(toks: Tok[], qi: number, sFloor: number): Found | null {
  const np = firstNP(toks, sFloor, qi);
  // (looked up: the first passive speech verb from each token on, so a long sentence stays linear)
  const passive = np !== null && nextPassiveSpeech(toks, np[1] + 1) < qi;
  if (np && !passive && contentful(toks, np)) return { np, cue: { start: toks[np[1]].e, end: toks[np[1]].e } };
  return null;
}
