/**
 * Averaged structured perceptron training (pure TypeScript; the script scripts/train.ts does the
 * file I/O). Deterministic: fixed seed, fixed document order, fixed epochs.
 *
 * Two stages (Ratinov & Roth 2009, "two-stage prediction aggregation"): stage 1 uses local and
 * document-shape features; stage 2 adds, for each word, the label votes stage 1 gave the same word
 * across the document. Stage-2 training votes come from stage-1 models trained on the other folds
 * (jackknife), so they are as noisy as at run time.
 */
import { prng } from '../../prng';
import { tokenize, type TokenList } from '../../text/tokenize';
import type { ClusterTable } from './clusters';
import { viterbi } from './decode';
import { buildDocumentContext } from './doc-context';
import { computeAtoms, MAX_FEATURES, tokenFeatures, type Atoms, type DocumentContext } from './features';
import type { FloatStage } from './model';
import { addVotes } from './index';
import { NAME_LABELS, NUM_TAGS, spansFromTags, TAG_O, tagOf } from './tags';

export interface TrainEntity {
  start: number;
  end: number;
  /** 'person' | 'organization' | 'place' | 'misc' (others are ignored) */
  type: string;
}

export interface TrainDoc {
  id?: string;
  text: string;
  entities: TrainEntity[];
  /** Update weight of this document's sentences (default 1): mixes corpora of different sizes and quality. */
  weight?: number;
  /**
   * The corpus has no MISC class (its O covers names CoNLL calls MISC): a MISC span the tagger
   * predicts over gold-O tokens is not counted as an error (partial labels).
   */
  noMisc?: boolean;
}

export interface TrainOptions {
  bits?: number;
  epochs?: number;
  seed?: number;
  /** Train a second stage with first-pass votes. */
  twoStage?: boolean;
  /** Folds for the jackknifed stage-1 votes. */
  folds?: number;
  log?: (message: string) => void;
  /** Evaluate on these documents after each epoch (for the log only). */
  dev?: TrainDoc[];
  /** Word clusters (clusters.ts) for the cluster features; the same table must ship with the model. */
  clusters?: ClusterTable;
}

const TYPE_TO_LABEL: Record<string, number> = { person: 0, organization: 1, place: 2, misc: 3 };

export interface PreparedDoc {
  tokens: TokenList;
  atoms: Atoms;
  gold: Uint8Array;
  base: DocumentContext;
  /** Boundary mismatches between gold spans and tokens. */
  misaligned: number;
  /** Update weight (TrainDoc.weight). */
  weight: number;
  noMisc: boolean;
}

export function prepareDoc(doc: TrainDoc, clusters?: ClusterTable): PreparedDoc {
  const tokens = tokenize(doc.text);
  const atoms = computeAtoms(tokens, 0, tokens.count, false, clusters);
  const gold = new Uint8Array(tokens.count);
  let misaligned = 0;
  const ents = [...doc.entities].filter((e) => e.type in TYPE_TO_LABEL).sort((x, y) => x.start - y.start);
  let ti = 0;
  for (const e of ents) {
    while (ti < tokens.count && tokens.ends[ti] <= e.start) ti++;
    let tj = ti;
    while (tj < tokens.count && tokens.starts[tj] < e.end) tj++;
    if (tj === ti) {
      misaligned++;
      continue;
    }
    if (tokens.starts[ti] !== e.start || tokens.ends[tj - 1] !== e.end) misaligned++;
    const lab = TYPE_TO_LABEL[e.type];
    if (tj - ti === 1) gold[ti] = tagOf(lab, 4);
    else {
      gold[ti] = tagOf(lab, 1);
      for (let k = ti + 1; k < tj - 1; k++) gold[k] = tagOf(lab, 2);
      gold[tj - 1] = tagOf(lab, 3);
    }
  }
  // Sentences must not cut an entity: merge sentence breaks inside gold entities.
  return { tokens, atoms, gold, base: buildDocumentContext(atoms), misaligned, weight: doc.weight ?? 1, noMisc: !!doc.noMisc };
}

/** Features of a prepared doc as bucket indices: flat array + per-token offsets. */
interface DocFeatures {
  feats: Int32Array;
  off: Int32Array;
}

function featurize(d: PreparedDoc, doc: DocumentContext, bits: number): DocFeatures {
  const n = d.tokens.count;
  const buf = new Int32Array(MAX_FEATURES);
  const parts: number[] = [];
  const off = new Int32Array(n + 1);
  const shift = 32 - bits;
  const S = d.atoms.sentences;
  for (let k = 0; k < S.length; k += 2) {
    for (let i = S[k]; i < S[k + 1]; i++) {
      off[i] = parts.length;
      const nf = tokenFeatures(d.atoms, doc, i, S[k], S[k + 1], buf, 0);
      for (let q = 0; q < nf; q++) parts.push(buf[q] >>> shift);
    }
  }
  off[n] = parts.length;
  return { feats: Int32Array.from(parts), off };
}

class Perceptron {
  readonly T = NUM_TAGS;
  readonly w: Float32Array;
  readonly u: Float64Array;
  readonly tr: Float64Array;
  readonly trU: Float64Array;
  c = 1;
  constructor(readonly bits: number) {
    this.w = new Float32Array((1 << bits) * this.T);
    this.u = new Float64Array((1 << bits) * this.T);
    // transitions T*T, then start T, then end T
    this.tr = new Float64Array(this.T * this.T + 2 * this.T);
    this.trU = new Float64Array(this.tr.length);
  }

  emissions(f: DocFeatures, s: number, e: number, out: Float64Array): void {
    const T = this.T;
    const w = this.w;
    out.fill(0, 0, (e - s) * T);
    for (let i = s; i < e; i++) {
      const base = (i - s) * T;
      for (let q = f.off[i]; q < f.off[i + 1]; q++) {
        const r = f.feats[q] * T;
        for (let t = 0; t < T; t++) out[base + t] += w[r + t];
      }
    }
  }

  decode(f: DocFeatures, s: number, e: number, em: Float64Array, out: Uint8Array): void {
    this.emissions(f, s, e, em);
    const T = this.T;
    viterbi(em, e - s, T, this.tr.subarray(0, T * T), this.tr.subarray(T * T, T * T + T), this.tr.subarray(T * T + T), out, s);
  }

  private bumpFeat(f: DocFeatures, i: number, tag: number, d: number): void {
    const T = this.T;
    const c = this.c;
    for (let q = f.off[i]; q < f.off[i + 1]; q++) {
      const k = f.feats[q] * T + tag;
      this.w[k] += d;
      this.u[k] += c * d;
    }
  }

  private bumpTr(k: number, d: number): void {
    this.tr[k] += d;
    this.trU[k] += this.c * d;
  }

  update(f: DocFeatures, s: number, e: number, gold: Uint8Array, pred: Uint8Array, wt = 1): void {
    const T = this.T;
    for (let i = s; i < e; i++) {
      if (gold[i] !== pred[i]) {
        this.bumpFeat(f, i, gold[i], wt);
        this.bumpFeat(f, i, pred[i], -wt);
      }
      const gp = i === s ? -1 : gold[i - 1];
      const pp = i === s ? -1 : pred[i - 1];
      if (gp !== pp || gold[i] !== pred[i]) {
        if (gp < 0) this.bumpTr(T * T + gold[i], wt);
        else this.bumpTr(gp * T + gold[i], wt);
        if (pp < 0) this.bumpTr(T * T + pred[i], -wt);
        else this.bumpTr(pp * T + pred[i], -wt);
      }
    }
    if (gold[e - 1] !== pred[e - 1]) {
      this.bumpTr(T * T + T + gold[e - 1], wt);
      this.bumpTr(T * T + T + pred[e - 1], -wt);
    }
  }

  /** Averaged weights as a float stage. */
  averaged(): FloatStage {
    const T = this.T;
    const weights = new Float32Array(this.w.length);
    for (let k = 0; k < weights.length; k++) weights[k] = this.w[k] - this.u[k] / this.c;
    const tr = new Float32Array(this.tr.length);
    for (let k = 0; k < tr.length; k++) tr[k] = this.tr[k] - this.trU[k] / this.c;
    return { bits: this.bits, numTags: T, weights, trans: tr.slice(0, T * T), start: tr.slice(T * T, T * T + T), end: tr.slice(T * T + T) };
  }
}


interface SentRef {
  d: number;
  s: number;
  e: number;
}

function trainStage(docs: PreparedDoc[], feats: DocFeatures[], bits: number, epochs: number, seed: number, log: (m: string) => void, label: string, evalFn?: (st: FloatStage) => string): FloatStage {
  const p = new Perceptron(bits);
  const sents: SentRef[] = [];
  docs.forEach((d, di) => {
    const S = d.atoms.sentences;
    for (let k = 0; k < S.length; k += 2) sents.push({ d: di, s: S[k], e: S[k + 1] });
  });
  let maxLen = 1; // (a loop, not a spread: a corpus has more sentences than the stack holds arguments)
  for (const x of sents) if (x.e - x.s > maxLen) maxLen = x.e - x.s;
  const em = new Float64Array(maxLen * NUM_TAGS);
  const preds = docs.map((d) => new Uint8Array(d.tokens.count));
  let longest = 1;
  for (const d of docs) if (d.tokens.count > longest) longest = d.tokens.count;
  const goldScratch = new Uint8Array(longest);
  const rnd = prng(seed);
  for (let ep = 0; ep < epochs; ep++) {
    // Fisher–Yates with the fixed PRNG
    for (let k = sents.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      const tmp = sents[k];
      sents[k] = sents[j];
      sents[j] = tmp;
    }
    let errors = 0;
    const t0 = Date.now();
    for (const x of sents) {
      const pred = preds[x.d];
      p.decode(feats[x.d], x.s, x.e, em, pred);
      let gold = docs[x.d].gold;
      if (docs[x.d].noMisc) gold = acceptMisc(gold, pred, x.s, x.e, goldScratch);
      let wrong = false;
      for (let i = x.s; i < x.e; i++) if (gold[i] !== pred[i]) wrong = true;
      if (wrong) {
        errors++;
        p.update(feats[x.d], x.s, x.e, gold, pred, docs[x.d].weight);
      }
      p.c++;
    }
    let extra = '';
    if (evalFn && (ep === epochs - 1 || ep % 3 === 2)) extra = ` ${evalFn(p.averaged())}`;
    log(`${label} epoch ${ep + 1}/${epochs}: ${errors}/${sents.length} sentences wrong (${((Date.now() - t0) / 1000).toFixed(1)} s)${extra}`);
  }
  return p.averaged();
}

const MISC = TYPE_TO_LABEL.misc;

/**
 * Gold tags for a sentence of a corpus without MISC: the gold, except that each predicted MISC
 * span lying wholly on gold-O tokens is taken as right (written into `scratch`, returned).
 */
function acceptMisc(gold: Uint8Array, pred: Uint8Array, s: number, e: number, scratch: Uint8Array): Uint8Array {
  scratch.set(gold.subarray(s, e), s);
  for (const sp of spansFromTags(pred, s, e)) {
    if (sp.label !== MISC) continue;
    let free = true;
    for (let i = sp.s; i < sp.e; i++) if (gold[i] !== TAG_O) free = false;
    if (free) for (let i = sp.s; i < sp.e; i++) scratch[i] = pred[i];
  }
  return scratch;
}

/** Decode all sentences of a doc with float weights. */
export function decodeFloat(st: FloatStage, d: PreparedDoc, f: DocFeatures, out: Uint8Array): void {
  const T = st.numTags;
  const S = d.atoms.sentences;
  let em = new Float64Array(64 * T);
  for (let k = 0; k < S.length; k += 2) {
    const s = S[k];
    const e = S[k + 1];
    if (em.length < (e - s) * T) em = new Float64Array((e - s) * T);
    em.fill(0, 0, (e - s) * T);
    for (let i = s; i < e; i++) {
      const base = (i - s) * T;
      for (let q = f.off[i]; q < f.off[i + 1]; q++) {
        const r = f.feats[q] * T;
        for (let t = 0; t < T; t++) em[base + t] += st.weights[r + t];
      }
    }
    viterbi(em, e - s, T, st.trans, st.start, st.end, out, s);
  }
}

export interface Scores {
  /** label → [tp, fp, fn] over PER/ORG/LOC/MISC */
  counts: Record<string, [number, number, number]>;
  /** micro P/R/F1 over PER, ORG, LOC (MISC excluded) */
  p: number;
  r: number;
  f1: number;
}

/** Exact-span scores of predicted tags against gold tags. */
export function scoreTags(pairs: { gold: Uint8Array; pred: Uint8Array; n: number }[]): Scores {
  const counts: Record<string, [number, number, number]> = {};
  for (const l of NAME_LABELS) counts[l] = [0, 0, 0];
  for (const { gold, pred, n } of pairs) {
    const g = spansFromTags(gold, 0, n);
    const p = spansFromTags(pred, 0, n);
    const gk = new Set(g.map((x) => `${x.s}:${x.e}:${x.label}`));
    const pk = new Set(p.map((x) => `${x.s}:${x.e}:${x.label}`));
    for (const x of p) counts[NAME_LABELS[x.label]][gk.has(`${x.s}:${x.e}:${x.label}`) ? 0 : 1]++;
    for (const x of g) if (!pk.has(`${x.s}:${x.e}:${x.label}`)) counts[NAME_LABELS[x.label]][2]++;
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const l of ['PER', 'ORG', 'LOC']) {
    tp += counts[l][0];
    fp += counts[l][1];
    fn += counts[l][2];
  }
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { counts, p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

export function formatScores(s: Scores): string {
  const parts = Object.entries(s.counts).map(([l, [tp, fp, fn]]) => {
    const p = tp / Math.max(1, tp + fp);
    const r = tp / Math.max(1, tp + fn);
    return `${l} ${(p + r ? (200 * p * r) / (p + r) : 0).toFixed(2)}`;
  });
  return `P ${(100 * s.p).toFixed(2)} R ${(100 * s.r).toFixed(2)} F1 ${(100 * s.f1).toFixed(2)} (${parts.join(', ')})`;
}

function votesFor(st: FloatStage, d: PreparedDoc, bits: number): Map<number, Uint16Array> {
  const f = featurize(d, d.base, bits);
  const tags = new Uint8Array(d.tokens.count);
  decodeFloat(st, d, f, tags);
  const votes = new Map<number, Uint16Array>();
  addVotes(d.atoms, tags, votes);
  return votes;
}

/** Train one or two stages. Returns the float stages (encode them with encodeModel). */
export function train(docsIn: TrainDoc[], options: TrainOptions = {}): FloatStage[] {
  const bits = options.bits ?? 18;
  const epochs = options.epochs ?? 12;
  const seed = options.seed ?? 1;
  const log = options.log ?? (() => undefined);
  const docs = docsIn.map((d) => prepareDoc(d, options.clusters));
  const mis = docs.reduce((a, d) => a + d.misaligned, 0);
  log(`prepared ${docs.length} documents, ${docs.reduce((a, d) => a + d.tokens.count, 0)} tokens, ${mis} entity spans not on token boundaries`);
  const dev = options.dev?.map((d) => prepareDoc(d, options.clusters));
  const evalStage1 = dev
    ? (st: FloatStage): string => {
        const pairs = dev.map((d) => {
          const pred = new Uint8Array(d.tokens.count);
          decodeFloat(st, d, featurize(d, d.base, bits), pred);
          return { gold: d.gold, pred, n: d.tokens.count };
        });
        return `dev ${formatScores(scoreTags(pairs))}`;
      }
    : undefined;
  const feats1 = docs.map((d) => featurize(d, d.base, bits));
  const stage1 = trainStage(docs, feats1, bits, epochs, seed, log, 'stage 1', evalStage1);
  if (!options.twoStage) return [stage1];
  const folds = options.folds ?? 4;
  const votes: Map<number, Uint16Array>[] = new Array(docs.length);
  for (let k = 0; k < folds; k++) {
    const trainIdx: number[] = [];
    const heldIdx: number[] = [];
    docs.forEach((_, i) => (i % folds === k ? heldIdx : trainIdx).push(i));
    const st = trainStage(trainIdx.map((i) => docs[i]), trainIdx.map((i) => feats1[i]), bits, epochs, seed + 1 + k, log, `fold ${k + 1}/${folds}`);
    for (const i of heldIdx) votes[i] = votesFor(st, docs[i], bits);
  }
  const feats2 = docs.map((d, i) => featurize(d, { words: d.base.words, votes: votes[i] }, bits));
  const evalStage2 = dev
    ? (st2: FloatStage): string => {
        const pairs = dev.map((d) => {
          const v = votesFor(stage1, d, bits);
          const pred = new Uint8Array(d.tokens.count);
          decodeFloat(st2, d, featurize(d, { words: d.base.words, votes: v }, bits), pred);
          return { gold: d.gold, pred, n: d.tokens.count };
        });
        return `dev ${formatScores(scoreTags(pairs))}`;
      }
    : undefined;
  const stage2 = trainStage(docs, feats2, bits, epochs, seed + 100, log, 'stage 2', evalStage2);
  return [stage1, stage2];
}
