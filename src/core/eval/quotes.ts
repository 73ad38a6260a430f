/**
 * Quotation scorer. Pure: no I/O, no Node built-ins; `scripts/eval.ts` feeds it parsed
 * JSON Lines documents (`../shared/data/README.md` format) and the predictions of `findQuotes`.
 *
 * Matching. A predicted quotation matches a gold one when their spans overlap by at least half of
 * their union (`overlap / union >= 0.5`, spans include the quotation marks). Matching is one-to-one:
 * all candidate pairs are taken greedily, best overlap ratio first (ties: earlier gold first).
 * Precision = matched / predicted, recall = matched / gold, F1 their harmonic mean (micro, over
 * all documents).
 *
 * Speaker accuracy, over matched quotations only (`speakerCorrect / matched`):
 *  - gold speaker `null` (PolNeAR "Attribution-no-source", ~1%): correct iff we also say `null`;
 *  - gold speaker with a span (PolNeAR): correct when the predicted speaker span overlaps it, or
 *    the predicted name has the same surname (last word of the part before any comma, case-folded,
 *    parentheticals, possessive and Jr./Sr. dropped) as the gold span's text (or, when the caller passes `resolveGold`, as the name it
 *    resolves that span to);
 *  - gold speaker with only a `name` (the seed gold): correct when the normalised names are equal
 *    (case-folded, leading "the"/"a"/"an" dropped) or share the surname (so `US representative`
 *    and `the US representative` agree, as do `Lavrov` and `Sergei Lavrov`);
 *  - a predicted `null` speaker against a non-null gold speaker is wrong.
 *
 * Kinds. Gold kinds are `full`, `partial`, `scare`, `block` (and PolNeAR's `inside`, a sentence of
 * a longer quotation annotated on its own); `byKind` reports recall per gold kind and `kindAccuracy`
 * the share of matched quotations whose predicted kind equals the gold kind (`inside` gold counts
 * as `full`).
 */
import type { Quote, Span } from '../types';

export interface GoldSpeaker {
  start?: number;
  end?: number;
  name?: string;
}

export interface GoldQuote extends Span {
  kind?: string;
  speaker?: GoldSpeaker | null;
  cue?: Span | null;
}

export interface QuoteDoc {
  id?: string;
  text: string;
  quotes: GoldQuote[];
}

export interface KindScore {
  gold: number;
  matched: number;
  recall: number;
  speakerCorrect: number;
}

export interface QuoteMiss {
  doc: string;
  start: number;
  end: number;
  text: string;
  /** Gold or predicted speaker (as text) for speaker errors. */
  gold?: string;
  predicted?: string;
}

export interface QuoteScores {
  docs: number;
  gold: number;
  predicted: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  /** Matched quotations whose speaker is right. */
  speakerCorrect: number;
  /** speakerCorrect / matched */
  speakerAccuracy: number;
  /** Matched quotations whose kind is right (`inside` counts as `full`). */
  kindCorrect: number;
  kindAccuracy: number;
  byKind: Record<string, KindScore>;
  /** Examples of errors (capped), for the report. */
  errors: { missed: QuoteMiss[]; spurious: QuoteMiss[]; speaker: QuoteMiss[] };
}

export interface ScoreOptions {
  /** Optional resolver of a gold speaker span to a canonical name (e.g. via the entity pipeline). */
  resolveGold?: (doc: QuoteDoc, speaker: Span) => string | undefined;
  /** How many error examples of each sort to keep (default 50). */
  maxErrors?: number;
}

const ARTICLES = /^(?:the|a|an)\s+/i;

function normName(s: string): string {
  return s
    .replace(/[\u2019']s$/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(ARTICLES, '')
    .toLowerCase();
}

/**
 * Last word of a name, case-folded, without possessive, generational suffix, a parenthetical
 * ("(D-Mo.)") or an appositive after a comma ("Michael Mulgrew, president of …").
 */
export function surname(name: string): string {
  const head = name.replace(/\([^)]*\)/g, ' ').split(',').find((p) => p.trim().length > 0) ?? '';
  const words = normName(head)
    .split(/[\s,]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}-]/gu, ''))
    .filter((w) => w.length > 0 && !/^(?:jr|sr|ii|iii|iv)$/.test(w));
  return words.length > 0 ? words[words.length - 1] : '';
}

function sameName(a: string, b: string): boolean {
  const na = normName(a);
  const nb = normName(b);
  if (!na || !nb) return false;
  if (na === nb) return true;
  const sa = surname(a);
  return sa.length > 0 && sa === surname(b);
}

function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** overlap / union, 0 when disjoint. */
export function overlapRatio(a: Span, b: Span): number {
  const o = overlap(a, b);
  if (o <= 0) return 0;
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? o / union : 0;
}

/** One-to-one matching of gold to predicted spans (ratio >= 0.5), best ratio first. Returns pairs [goldIndex, predIndex]. */
export function matchSpans(gold: readonly Span[], pred: readonly Span[]): [number, number][] {
  const gi = gold.map((_, i) => i).sort((a, b) => gold[a].start - gold[b].start);
  const pi = pred.map((_, i) => i).sort((a, b) => pred[a].start - pred[b].start);
  const cands: { g: number; p: number; r: number }[] = [];
  // Sweep: for each gold (by start), look at predictions that can overlap it.
  let lo = 0;
  for (const g of gi) {
    const gs = gold[g];
    // Predictions sorted by start; skip those ending before this gold starts only when all earlier do.
    while (lo < pi.length && pred[pi[lo]].end <= gs.start) {
      // Can only advance if no later gold could use it: gold sorted by start, so yes.
      lo++;
    }
    for (let k = lo; k < pi.length && pred[pi[k]].start < gs.end; k++) {
      const r = overlapRatio(gs, pred[pi[k]]);
      if (r >= 0.5) cands.push({ g, p: pi[k], r });
    }
  }
  cands.sort((a, b) => b.r - a.r || gold[a.g].start - gold[b.g].start);
  const usedG = new Set<number>();
  const usedP = new Set<number>();
  const out: [number, number][] = [];
  for (const c of cands) {
    if (usedG.has(c.g) || usedP.has(c.p)) continue;
    usedG.add(c.g);
    usedP.add(c.p);
    out.push([c.g, c.p]);
  }
  return out;
}

function goldKind(kind: string | undefined): string {
  if (!kind || kind === 'inside') return 'full';
  return kind;
}

function speakerCorrect(doc: QuoteDoc, gold: GoldSpeaker | null | undefined, pred: Quote, opts: ScoreOptions): boolean {
  const ps = pred.speaker;
  if (gold === null || gold === undefined) return ps === null;
  if (!ps) return false;
  if (typeof gold.start === 'number' && typeof gold.end === 'number') {
    const gspan = { start: gold.start, end: gold.end };
    if (overlap(gspan, ps) > 0) return true;
    const gtext = doc.text.slice(gold.start, gold.end);
    if (sameName(gtext, ps.name)) return true;
    const resolved = opts.resolveGold?.(doc, gspan);
    if (resolved && sameName(resolved, ps.name)) return true;
    if (gold.name && sameName(gold.name, ps.name)) return true;
    return false;
  }
  if (gold.name) return sameName(gold.name, ps.name);
  return false;
}

/** Is the predicted quotation's speaker right for this gold speaker? (the rule above; also used by the attribution scorer) */
export function speakerMatches(doc: { text: string; id?: string }, gold: GoldSpeaker | null | undefined, pred: Quote, opts: ScoreOptions = {}): boolean {
  return speakerCorrect({ id: doc.id, text: doc.text, quotes: [] }, gold, pred, opts);
}

function snippet(text: string, s: Span): string {
  const t = text.slice(s.start, s.end).replace(/\s+/g, ' ');
  return t.length > 90 ? `${t.slice(0, 60)} … ${t.slice(-25)}` : t;
}

function speakerText(doc: QuoteDoc, g: GoldSpeaker | null | undefined): string {
  if (!g) return '(none)';
  if (typeof g.start === 'number' && typeof g.end === 'number') return doc.text.slice(g.start, g.end);
  return g.name ?? '(?)';
}

/** Scores predicted quotations (`predicted[i]` for `docs[i]`) against the gold. */
export function scoreQuotes(docs: readonly QuoteDoc[], predicted: readonly (readonly Quote[])[], opts: ScoreOptions = {}): QuoteScores {
  const maxErrors = opts.maxErrors ?? 50;
  let gold = 0;
  let pred = 0;
  let matched = 0;
  let spk = 0;
  let kindOk = 0;
  const byKind: Record<string, KindScore> = {};
  const errors: QuoteScores['errors'] = { missed: [], spurious: [], speaker: [] };
  docs.forEach((doc, d) => {
    const g = doc.quotes;
    const p = predicted[d] ?? [];
    gold += g.length;
    pred += p.length;
    const pairs = matchSpans(g, p);
    matched += pairs.length;
    const gMatched = new Set<number>();
    const pMatched = new Set<number>();
    for (const gq of g) {
      const k = goldKind(gq.kind);
      byKind[k] ??= { gold: 0, matched: 0, recall: 0, speakerCorrect: 0 };
      byKind[k].gold++;
    }
    for (const [gi, pi] of pairs) {
      gMatched.add(gi);
      pMatched.add(pi);
      const gq = g[gi];
      const pq = p[pi];
      const k = goldKind(gq.kind);
      byKind[k].matched++;
      if (pq.kind === k) kindOk++;
      if (speakerCorrect(doc, gq.speaker, pq, opts)) {
        spk++;
        byKind[k].speakerCorrect++;
      } else if (errors.speaker.length < maxErrors) {
        errors.speaker.push({
          doc: doc.id ?? String(d),
          start: gq.start,
          end: gq.end,
          text: snippet(doc.text, gq),
          gold: speakerText(doc, gq.speaker),
          predicted: pq.speaker ? `${doc.text.slice(pq.speaker.start, pq.speaker.end)} → ${pq.speaker.name} (${pq.speaker.via})` : '(none)',
        });
      }
    }
    g.forEach((gq, i) => {
      if (!gMatched.has(i) && errors.missed.length < maxErrors) errors.missed.push({ doc: doc.id ?? String(d), start: gq.start, end: gq.end, text: snippet(doc.text, gq) });
    });
    p.forEach((pq, i) => {
      if (!pMatched.has(i) && errors.spurious.length < maxErrors) errors.spurious.push({ doc: doc.id ?? String(d), start: pq.start, end: pq.end, text: snippet(doc.text, pq) });
    });
  });
  for (const k of Object.keys(byKind)) byKind[k].recall = byKind[k].gold ? byKind[k].matched / byKind[k].gold : 0;
  const precision = pred ? matched / pred : 0;
  const recall = gold ? matched / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    docs: docs.length,
    gold,
    predicted: pred,
    matched,
    precision,
    recall,
    f1,
    speakerCorrect: spk,
    speakerAccuracy: matched ? spk / matched : 0,
    kindCorrect: kindOk,
    kindAccuracy: matched ? kindOk / matched : 0,
    byKind,
    errors,
  };
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);

/** A short plain-text table of the scores (no error examples). */
export function formatQuoteScores(s: QuoteScores, title = 'quotations'): string {
  const lines = [
    `${title}: ${s.docs} docs, gold ${s.gold}, predicted ${s.predicted}, matched ${s.matched}`,
    `  P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   speaker ${pct(s.speakerAccuracy)} (${s.speakerCorrect}/${s.matched})   kind ${pct(s.kindAccuracy)}`,
  ];
  for (const [k, v] of Object.entries(s.byKind).sort()) {
    lines.push(`  ${k.padEnd(8)} gold ${String(v.gold).padStart(5)}  recall ${pct(v.recall)}  speaker ${pct(v.matched ? v.speakerCorrect / v.matched : 0)}`);
  }
  return lines.join('\n');
}

/** Error examples, for a `--errors` flag of the eval script. */
export function formatQuoteErrors(s: QuoteScores): string {
  const out: string[] = [];
  for (const m of s.errors.missed) out.push(`MISSED   ${m.doc} ${m.start}-${m.end} ${m.text}`);
  for (const m of s.errors.spurious) out.push(`SPURIOUS ${m.doc} ${m.start}-${m.end} ${m.text}`);
  for (const m of s.errors.speaker) out.push(`SPEAKER  ${m.doc} ${m.start}-${m.end} gold=${m.gold} pred=${m.predicted} :: ${m.text}`);
  return out.join('\n');
}
