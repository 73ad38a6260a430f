/**
 * Entity scorer. Pure: `scripts/eval.ts` feeds it parsed JSON Lines documents
 * (`../shared/data/README.md` format) and our mentions.
 *
 * - Exact: a prediction is right when a gold entity has the same start, end and type.
 * - Lenient: same type and overlapping spans (one-to-one, greedy by overlap).
 * - Gold spans of type `ignore` are not scored: predictions overlapping them are dropped.
 * - Gold `misc` spans are never counted as missed (we have no misc type); a predicted `group`
 *   overlapping a gold `misc` span is neutral (neither right nor wrong: group is our reading of
 *   CoNLL's MISC nationalities); predictions of other types on a misc span count as wrong.
 * - `types` restricts scoring to those types (gold and predicted), e.g. CoNLL on person,
 *   organization, place.
 * - `dropOrig` drops gold entities by their source label (`orig`), e.g. PolNeAR's ORDINAL.
 * - Person canonical check: every gold person mention with a `canonical` against the canonical
 *   of our person mention with the same span (or, failing that, overlapping it).
 */
import type { EntityType, Mention, Span } from '../types';
import { ENTITY_TYPES } from '../types';

export interface GoldEntity extends Span {
  type: string;
  canonical?: string;
  orig?: string;
}

export interface EntityDoc {
  id?: string;
  text: string;
  entities: GoldEntity[];
}

export interface PRF {
  gold: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EntityScores {
  docs: number;
  exact: { micro: PRF; byType: Record<string, PRF> };
  lenient: { micro: PRF; byType: Record<string, PRF> };
  /** Predictions dropped because they overlap an `ignore` gold span. */
  ignoredPredictions: number;
  /** Predicted groups on gold misc spans (neutral). */
  groupOnMisc: number;
  /** Gold misc spans (not scored). */
  goldMisc: number;
  canonical: { total: number; correct: number; accuracy: number };
  errors: { missed: EntityError[]; spurious: EntityError[]; wrongType: EntityError[]; canonical: EntityError[] };
}

export interface EntityError {
  doc: string;
  start: number;
  end: number;
  text: string;
  gold?: string;
  predicted?: string;
}

export interface EntityScoreOptions {
  types?: readonly string[];
  dropOrig?: readonly string[];
  maxErrors?: number;
}

function prf(gold: number, predicted: number, correct: number): PRF {
  const precision = predicted ? correct / predicted : 0;
  const recall = gold ? correct / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { gold, predicted, correct, precision, recall, f1 };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function overlapLen(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

type Counts = Map<string, { g: number; p: number; c: number }>;

/** The options, the counts over all documents so far, and the errors kept. */
interface Tally {
  types: Set<string>;
  dropOrig: Set<string>;
  maxErrors: number;
  counts: { exact: Counts; lenient: Counts };
  ignoredPredictions: number;
  groupOnMisc: number;
  goldMisc: number;
  canTotal: number;
  canCorrect: number;
  errors: EntityScores['errors'];
}

/** Scores `predicted[i]` (our mentions) against `docs[i]`. */
export function scoreEntities(docs: readonly EntityDoc[], predicted: readonly (readonly Mention[])[], opts: EntityScoreOptions = {}): EntityScores {
  const tally = newTally(opts);
  docs.forEach((doc, d) => {
    const docId = doc.id ?? String(d);
    const gold = doc.entities.filter((e) => tally.types.has(e.type) && !(e.orig && tally.dropOrig.has(e.orig)));
    const preds = keptPredictions(doc, gold, predicted[d] ?? [], tally);
    countExact(gold, preds, tally.counts.exact);
    countLenient(gold, preds, tally.counts.lenient);
    recordExactErrors(doc, docId, gold, preds, tally);
    checkPersonCanonicals(doc, docId, predicted[d] ?? [], tally);
  });
  return {
    docs: docs.length,
    exact: prfTable(tally.counts.exact),
    lenient: prfTable(tally.counts.lenient),
    ignoredPredictions: tally.ignoredPredictions,
    groupOnMisc: tally.groupOnMisc,
    goldMisc: tally.goldMisc,
    canonical: { total: tally.canTotal, correct: tally.canCorrect, accuracy: tally.canTotal ? tally.canCorrect / tally.canTotal : 1 },
    errors: tally.errors,
  };
}

function newTally(opts: EntityScoreOptions): Tally {
  const types = new Set<string>(opts.types ?? ENTITY_TYPES);
  const counts = { exact: new Map() as Counts, lenient: new Map() as Counts };
  for (const t of types) {
    counts.exact.set(t, { g: 0, p: 0, c: 0 });
    counts.lenient.set(t, { g: 0, p: 0, c: 0 });
  }
  return {
    types,
    dropOrig: new Set(opts.dropOrig ?? []),
    maxErrors: opts.maxErrors ?? 100,
    counts,
    ignoredPredictions: 0,
    groupOnMisc: 0,
    goldMisc: 0,
    canTotal: 0,
    canCorrect: 0,
    errors: { missed: [], spurious: [], wrongType: [], canonical: [] },
  };
}

function pushError(tally: Tally, list: EntityError[], e: EntityError): void {
  if (list.length < tally.maxErrors) list.push(e);
}

const exactKey = (s: { start: number; end: number; type: string }): string => `${s.start}:${s.end}:${s.type}`;

/**
 * The predictions scored: of the scored types, not on an `ignore` span or a dropped gold span
 * (unless on a scored one too), and no group on a misc span (neutral) — both counted.
 */
function keptPredictions(doc: EntityDoc, gold: readonly GoldEntity[], predicted: readonly Mention[], tally: Tally): Mention[] {
  const ignore = doc.entities.filter((e) => e.type === 'ignore');
  const misc = doc.entities.filter((e) => e.type === 'misc');
  tally.goldMisc += misc.length;
  const droppedGold = doc.entities.filter((e) => e.orig && tally.dropOrig.has(e.orig));
  const preds: Mention[] = [];
  for (const p of predicted) {
    if (!tally.types.has(p.type)) continue;
    if (ignore.some((g) => overlaps(g, p)) || droppedGold.some((g) => overlaps(g, p) && !gold.some((x) => overlaps(x, p)))) {
      tally.ignoredPredictions++;
      continue;
    }
    if (p.type === 'group' && misc.some((g) => overlaps(g, p)) && !gold.some((g) => overlaps(g, p))) {
      tally.groupOnMisc++;
      continue;
    }
    preds.push(p);
  }
  return preds;
}

/** Exact: same start, end and type (each gold entity matched once). */
function countExact(gold: readonly GoldEntity[], preds: readonly Mention[], counts: Counts): void {
  const goldKey = new Map<string, GoldEntity>();
  for (const g of gold) goldKey.set(exactKey(g), g);
  for (const g of gold) counts.get(g.type)!.g++;
  const matchedExact = new Set<GoldEntity>();
  for (const p of preds) {
    counts.get(p.type)!.p++;
    const g = goldKey.get(exactKey(p));
    if (g && !matchedExact.has(g)) {
      matchedExact.add(g);
      counts.get(p.type)!.c++;
    }
  }
}

/** Lenient: same type, overlap, one-to-one by largest overlap. */
function countLenient(gold: readonly GoldEntity[], preds: readonly Mention[], counts: Counts): void {
  const cands: { g: number; p: number; o: number }[] = [];
  gold.forEach((g, gi) =>
    preds.forEach((p, pi) => {
      if (p.type === g.type && overlaps(g, p)) cands.push({ g: gi, p: pi, o: overlapLen(g, p) });
    }),
  );
  cands.sort((a, b) => b.o - a.o);
  const ug = new Set<number>();
  const up = new Set<number>();
  for (const c of cands) {
    if (ug.has(c.g) || up.has(c.p)) continue;
    ug.add(c.g);
    up.add(c.p);
  }
  for (const g of gold) counts.get(g.type)!.g++;
  for (const p of preds) counts.get(p.type)!.p++;
  for (const gi of ug) counts.get(gold[gi].type)!.c++;
}

/** The exact view's errors: gold entities missed or given another type, and spurious predictions. */
function recordExactErrors(doc: EntityDoc, docId: string, gold: readonly GoldEntity[], preds: readonly Mention[], tally: Tally): void {
  const { errors } = tally;
  const predKey = new Set(preds.map(exactKey));
  for (const g of gold) {
    if (predKey.has(exactKey(g))) continue;
    const o = preds.find((p) => overlaps(p, g));
    if (o && o.type !== g.type) pushError(tally, errors.wrongType, { doc: docId, start: g.start, end: g.end, text: doc.text.slice(g.start, g.end), gold: g.type, predicted: `${o.type} "${o.text}"` });
    else pushError(tally, errors.missed, { doc: docId, start: g.start, end: g.end, text: doc.text.slice(g.start, g.end), gold: g.type, predicted: o ? `"${o.text}"` : undefined });
  }
  const goldKeys = new Set(gold.map(exactKey));
  for (const p of preds) {
    if (goldKeys.has(exactKey(p))) continue;
    if (gold.some((g) => overlaps(g, p))) continue; // reported as missed/wrong type above
    pushError(tally, errors.spurious, { doc: docId, start: p.start, end: p.end, text: p.text, predicted: p.type });
  }
}

/** Every gold person with a canonical against our person mention on (else overlapping) its span. */
function checkPersonCanonicals(doc: EntityDoc, docId: string, all: readonly Mention[], tally: Tally): void {
  for (const g of doc.entities) {
    if (g.type !== 'person' || !g.canonical) continue;
    tally.canTotal++;
    const p = all.find((m) => m.type === 'person' && m.start === g.start && m.end === g.end) ?? all.find((m) => m.type === 'person' && overlaps(m, g));
    if (p && p.canonical === g.canonical) tally.canCorrect++;
    else pushError(tally, tally.errors.canonical, { doc: docId, start: g.start, end: g.end, text: doc.text.slice(g.start, g.end), gold: g.canonical, predicted: p ? p.canonical : '(no person mention)' });
  }
}

/** Precision, recall and F1 per type and over all (micro). */
function prfTable(m: Counts): { micro: PRF; byType: Record<string, PRF> } {
  const byType: Record<string, PRF> = {};
  let g = 0;
  let p = 0;
  let c = 0;
  for (const [t, v] of m) {
    byType[t] = prf(v.g, v.p, v.c);
    g += v.g;
    p += v.p;
    c += v.c;
  }
  return { micro: prf(g, p, c), byType };
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);

/** Plain-text table. */
export function formatEntityScores(s: EntityScores, title: string): string {
  const lines = [`${title}: ${s.docs} docs`];
  lines.push(`  ${'type'.padEnd(13)} ${'gold'.padStart(6)} ${'pred'.padStart(6)} | exact  P     R     F1  | lenient P     R     F1`);
  const row = (name: string, e: PRF, l: PRF): string =>
    `  ${name.padEnd(13)} ${String(e.gold).padStart(6)} ${String(e.predicted).padStart(6)} |     ${pct(e.precision)} ${pct(e.recall)} ${pct(e.f1)} |      ${pct(l.precision)} ${pct(l.recall)} ${pct(l.f1)}`;
  for (const t of Object.keys(s.exact.byType)) {
    const e = s.exact.byType[t];
    if (e.gold === 0 && e.predicted === 0) continue;
    lines.push(row(t, e, s.lenient.byType[t]));
  }
  lines.push(row('micro', s.exact.micro, s.lenient.micro));
  lines.push(`  gold misc ${s.goldMisc} (not scored; ${s.groupOnMisc} predicted groups on them, neutral); predictions on ignore spans: ${s.ignoredPredictions}`);
  if (s.canonical.total) lines.push(`  person canonical: ${s.canonical.correct}/${s.canonical.total} = ${pct(s.canonical.accuracy)}`);
  return lines.join('\n');
}

export function formatEntityErrors(s: EntityScores): string {
  const out: string[] = [];
  for (const e of s.errors.missed) out.push(`MISSED    ${e.doc} ${e.start}-${e.end} ${e.gold} "${e.text}"${e.predicted ? ` (we: ${e.predicted})` : ''}`);
  for (const e of s.errors.wrongType) out.push(`WRONGTYPE ${e.doc} ${e.start}-${e.end} gold ${e.gold} "${e.text}" we ${e.predicted}`);
  for (const e of s.errors.spurious) out.push(`SPURIOUS  ${e.doc} ${e.start}-${e.end} ${e.predicted} "${e.text}"`);
  for (const e of s.errors.canonical) out.push(`CANONICAL ${e.doc} ${e.start}-${e.end} "${e.text}" gold=${e.gold} we=${e.predicted}`);
  return out.join('\n');
}

export type { EntityType };
