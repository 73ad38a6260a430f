/**
 * Attribution scorer (who said what, with or without quotation marks). Pure: no I/O, no Node
 * built-ins; `scripts/eval.ts` feeds it PolNeAR-style documents (`../shared/data/README.md`: one
 * gold entry per content fragment, `indirect` true when the fragment carries no quotation marks)
 * and the quotations `analyze` found.
 *
 * Protocol:
 *  - Predictions: every quotation except scare quotes (nobody is said to have said them) and
 *    quotation-mark fragments tied to a reported statement (`partOf`: the statement stands for
 *    them). Their span is the content (for quotation-mark quotes, marks included).
 *  - Recall: a gold content span is found (true positive) when the prediction covering the largest
 *    share of it covers at least 30 % of its characters.
 *  - Precision: a prediction is correct when it covers at least 30 % of some gold content span.
 *    Since that lets a very long prediction pass, a stricter view is reported beside it
 *    (`strictPrecision`): at least 30 % of the prediction's own characters lie in one gold span.
 *  - Speaker, over found gold spans, read off the prediction covering the largest share (ties: the
 *    shortest such prediction, e.g. the inner of two nested statements): right when
 *    the predicted speaker span overlaps the gold source span or the last names agree (the rule of
 *    the quotation scorer, {@link speakerMatches}); a gold attribution without a source is right
 *    only when the prediction has no speaker either.
 *  - By kind: recall and speaker accuracy per gold kind (`direct`: the fragment carries quotation
 *    marks; `indirect`: it does not); precision per predicted kind (`direct`: full/partial/block
 *    quotations; `indirect`: reported statements).
 */
import type { EntityError } from './entities';
import type { Quote, Span } from '../types';
import { speakerMatches, type GoldSpeaker } from './quotes';

export interface GoldAttribution extends Span {
  speaker?: GoldSpeaker | null;
  cue?: Span | null;
  /** true: no quotation marks in the fragment */
  indirect?: boolean;
}

export interface AttributionDoc {
  id?: string;
  text: string;
  quotes: GoldAttribution[];
}

export interface AttrKindScore {
  gold: number;
  found: number;
  recall: number;
  speakerCorrect: number;
  speakerAccuracy: number;
  predicted: number;
  correct: number;
  precision: number;
  f1: number;
}

/** An attribution error: the same record as an entity error (the gold and predicted text or speaker). */
export type AttrError = EntityError;

export interface AttributionScores {
  docs: number;
  gold: number;
  predicted: number;
  /** gold spans found */
  found: number;
  /** predictions counted correct (covering >= 30 % of some gold span) */
  correct: number;
  precision: number;
  recall: number;
  f1: number;
  /** predictions with >= 30 % of their characters inside one gold span */
  strictCorrect: number;
  strictPrecision: number;
  strictF1: number;
  speakerCorrect: number;
  speakerAccuracy: number;
  byKind: { direct: AttrKindScore; indirect: AttrKindScore };
  errors: { missed: AttrError[]; spurious: AttrError[]; speaker: AttrError[] };
}

export interface AttrScoreOptions {
  /** Share of a gold span a prediction must cover (default 0.3). */
  threshold?: number;
  maxErrors?: number;
}

/** The predictions the protocol scores: no scare quotes, no fragments standing for a statement. */
export function scoredPredictions(quotes: readonly Quote[]): Quote[] {
  return quotes.filter((q) => q.kind !== 'scare' && q.partOf === undefined);
}

function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** Trimmed of surrounding white space (gold spans and predictions alike), so blanks do not count. */
function trim(text: string, s: Span): Span {
  let a = s.start;
  let b = s.end;
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /\s/.test(text[b - 1])) b--;
  return { start: a, end: b };
}

function emptyKind(): AttrKindScore {
  return { gold: 0, found: 0, recall: 0, speakerCorrect: 0, speakerAccuracy: 0, predicted: 0, correct: 0, precision: 0, f1: 0 };
}

function snippet(text: string, s: Span): string {
  const t = text.slice(s.start, s.end).replace(/\s+/g, ' ');
  return t.length > 100 ? `${t.slice(0, 70)} … ${t.slice(-25)}` : t;
}

/** For each span of `a`, the index of the span of `b` overlapping it most (-1 when none) and that overlap. */
function bestCover(a: readonly Span[], b: readonly Span[]): { idx: Int32Array; ov: Float64Array } {
  // (per document: a few dozen spans each side, so the plain double loop is fine for an eval)
  const idx = new Int32Array(a.length).fill(-1);
  const ov = new Float64Array(a.length);
  a.forEach((s, i) => {
    b.forEach((p, j) => {
      const o = overlap(s, p);
      // (ties: the shorter prediction, the one fitting the gold span best — an inner statement rather than the one reporting it)
      if (o > ov[i] || (o > 0 && o === ov[i] && p.end - p.start < b[idx[i]].end - b[idx[i]].start)) {
        ov[i] = o;
        idx[i] = j;
      }
    });
  });
  return { idx, ov };
}

/** The counts over all documents so far, and the errors kept. */
interface Tally {
  th: number;
  maxErrors: number;
  direct: AttrKindScore;
  indirect: AttrKindScore;
  gold: number;
  pred: number;
  found: number;
  correct: number;
  strict: number;
  spk: number;
  errors: AttributionScores['errors'];
}

/** One document's gold spans and predictions, trimmed for the overlaps. */
interface DocSpans {
  doc: AttributionDoc;
  id: string;
  /** trimmed gold spans, as `doc.quotes` */
  gs: Span[];
  /** the scored predictions, and `ps` the same trimmed */
  all: Quote[];
  ps: Span[];
}

/** Scores predicted quotations (`predicted[i]` for `docs[i]`, all of them: the scorer filters) against the gold attributions. */
export function scoreAttributions(docs: readonly AttributionDoc[], predicted: readonly (readonly Quote[])[], opts: AttrScoreOptions = {}): AttributionScores {
  const tally: Tally = {
    th: opts.threshold ?? 0.3,
    maxErrors: opts.maxErrors ?? 50,
    direct: emptyKind(),
    indirect: emptyKind(),
    gold: 0,
    pred: 0,
    found: 0,
    correct: 0,
    strict: 0,
    spk: 0,
    errors: { missed: [], spurious: [], speaker: [] },
  };
  docs.forEach((doc, d) => {
    const all = scoredPredictions(predicted[d] ?? []);
    const spans: DocSpans = { doc, id: doc.id ?? String(d), gs: doc.quotes.map((g) => trim(doc.text, g)), all, ps: all.map((p) => trim(doc.text, p)) };
    tally.gold += spans.gs.length;
    tally.pred += spans.ps.length;
    scoreGold(spans, tally);
    scorePredictions(spans, tally);
  });
  return totals(tally, docs.length);
}

/** Recall and speakers: each gold span, found or missed, and the speaker of the prediction covering it most. */
function scoreGold({ doc, id, gs, all, ps }: DocSpans, tally: Tally): void {
  const { errors, maxErrors } = tally;
  const g2p = bestCover(gs, ps);
  doc.quotes.forEach((g, i) => {
    const k = g.indirect ? tally.indirect : tally.direct;
    k.gold++;
    const len = gs[i].end - gs[i].start;
    const pi = g2p.idx[i];
    if (pi < 0 || len <= 0 || g2p.ov[i] / len < tally.th) {
      if (errors.missed.length < maxErrors) errors.missed.push({ doc: id, start: g.start, end: g.end, text: snippet(doc.text, g) });
      return;
    }
    k.found++;
    tally.found++;
    const p = all[pi];
    if (speakerMatches(doc, g.speaker, p)) {
      k.speakerCorrect++;
      tally.spk++;
    } else if (errors.speaker.length < maxErrors) {
      errors.speaker.push(speakerError(doc, id, g, p));
    }
  });
}

function speakerError(doc: AttributionDoc, id: string, g: GoldAttribution, p: Quote): AttrError {
  const gsp = g.speaker;
  return {
    doc: id,
    start: g.start,
    end: g.end,
    text: snippet(doc.text, g),
    gold: gsp && typeof gsp.start === 'number' && typeof gsp.end === 'number' ? doc.text.slice(gsp.start, gsp.end) : '(none)',
    predicted: p.speaker ? `${doc.text.slice(p.speaker.start, p.speaker.end)} → ${p.speaker.name} (${p.speaker.via})` : '(none)',
  };
}

/** Precision: the gold span each prediction covers the largest share of. */
function scorePredictions({ doc, id, gs, all, ps }: DocSpans, tally: Tally): void {
  const { th } = tally;
  ps.forEach((p, j) => {
    const k = all[j].kind === 'indirect' ? tally.indirect : tally.direct;
    k.predicted++;
    let ok = false;
    let okStrict = false;
    const plen = p.end - p.start;
    for (const g of gs) {
      if (g.start >= p.end || g.end <= p.start) continue;
      const o = overlap(p, g);
      const glen = g.end - g.start;
      if (glen > 0 && o / glen >= th) ok = true;
      if (plen > 0 && o / plen >= th) okStrict = true;
    }
    if (ok) {
      tally.correct++;
      k.correct++;
    } else if (tally.errors.spurious.length < tally.maxErrors) tally.errors.spurious.push({ doc: id, start: all[j].start, end: all[j].end, text: `[${all[j].kind}] ${snippet(doc.text, p)}` });
    if (okStrict) tally.strict++;
  });
}

/** The scores from the counts: rates per kind and over all. */
function totals(tally: Tally, docs: number): AttributionScores {
  const { direct, indirect, gold, pred, found, correct, strict, spk, errors } = tally;
  const f = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
  for (const k of [direct, indirect]) {
    k.recall = k.gold ? k.found / k.gold : 0;
    k.precision = k.predicted ? k.correct / k.predicted : 0;
    k.f1 = f(k.precision, k.recall);
    k.speakerAccuracy = k.found ? k.speakerCorrect / k.found : 0;
  }
  const precision = pred ? correct / pred : 0;
  const recall = gold ? found / gold : 0;
  const strictPrecision = pred ? strict / pred : 0;
  return {
    docs,
    gold,
    predicted: pred,
    found,
    correct,
    precision,
    recall,
    f1: f(precision, recall),
    strictCorrect: strict,
    strictPrecision,
    strictF1: f(strictPrecision, recall),
    speakerCorrect: spk,
    speakerAccuracy: found ? spk / found : 0,
    byKind: { direct, indirect },
    errors,
  };
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);

/** A short plain-text table. */
export function formatAttributionScores(s: AttributionScores, title = 'attributions'): string {
  const row = (name: string, k: AttrKindScore): string =>
    `  ${name.padEnd(9)} gold ${String(k.gold).padStart(5)}  pred ${String(k.predicted).padStart(5)}  P ${pct(k.precision)}  R ${pct(k.recall)}  F1 ${pct(k.f1)}  speaker ${pct(k.speakerAccuracy)} (${k.speakerCorrect}/${k.found})`;
  return [
    `${title}: ${s.docs} docs, gold ${s.gold}, predicted ${s.predicted}, found ${s.found} (>= 30 % of a gold content span covered)`,
    `  all       P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   speaker ${pct(s.speakerAccuracy)} (${s.speakerCorrect}/${s.found})   [strict P ${pct(s.strictPrecision)}  F1 ${pct(s.strictF1)}]`,
    row('direct', s.byKind.direct),
    row('indirect', s.byKind.indirect),
  ].join('\n');
}

export function formatAttributionErrors(s: AttributionScores): string {
  const out: string[] = [];
  for (const m of s.errors.missed) out.push(`ATTR MISSED   ${m.doc} ${m.start}-${m.end} ${m.text}`);
  for (const m of s.errors.spurious) out.push(`ATTR SPURIOUS ${m.doc} ${m.start}-${m.end} ${m.text}`);
  for (const m of s.errors.speaker) out.push(`ATTR SPEAKER  ${m.doc} ${m.start}-${m.end} gold=${m.gold} pred=${m.predicted} :: ${m.text}`);
  return out.join('\n');
}
