/**
 * The writer's text of a unit as tokens (each top-level quotation one token) and the sentences
 * those tokens make.
 */
import type { Segment } from './marks';
import { ABBREVIATIONS } from './lexicon';
import type { Span } from '../types';

export interface Tok {
  s: number;
  e: number;
  t: string;
  /** lower-case text */
  l: string;
  /** index into `segments` when this token stands for a whole top-level quotation */
  q?: number;
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

export function countWords(s: string): number {
  // (counted match by match: no array of every word of a long quotation, which nested quotations
  // would build again for each level)
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(s) !== null) n++;
  return n;
}

/** Tokens of the writer's text; each top-level quotation becomes one token. */
export function tokenize(u: string, segs: Segment[]): Tok[] {
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
export function sentences(u: string, toks: Tok[], segs: Segment[]): { sent: number[]; spans: Span[] } {
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
