/**
 * Learning from the user's corrections: a sparse overlay of weight changes ("delta") for the last
 * stage of a loaded model, keyed by the same feature hashes the tagger extracts, added to the
 * frozen base weights when a window is scored. The base model and its file are never changed.
 *
 * - `trainDelta(model, sentences, options)`: a few passes of a cost-augmented passive-aggressive
 *   perceptron over the corrected sentences (gold = the base model's own tags with the corrected
 *   tokens overwritten), base weights frozen. Deterministic: same sentences in the same order →
 *   the same delta. O(sentence tokens × features × passes).
 * - `adaptModel(model, delta)`: a model object that scores with base + delta (the base model's
 *   stages are shared, not copied). Spans whose tags differ from the base model's in a window the
 *   delta touched carry `learned: true` (see tagNames).
 */
import { MAX_FEATURES, SMI, tokenFeatures, type Atoms, type DocumentContext } from './features';
import { IntMap } from './intmap';
import { viterbi } from './decode';
import { bucketRow, type StageWeights, type TaggerModel } from './model';
import { NUM_TAGS } from './tags';

/** A sparse weight change: feature hash (& SMI) → a row of numTags weights. */
export interface WeightDelta {
  readonly numTags: number;
  /** feature key → row index */
  readonly rows: IntMap;
  /** row × numTags weights */
  readonly weights: Float64Array;
  /** Number of rows in use. */
  readonly size: number;
  /** The feature key of each row, in row order. */
  readonly keys: Int32Array;
}

/** Do two deltas hold the same weights for the same features (in the same order)? */
export function sameDelta(a: WeightDelta | undefined, b: WeightDelta | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.size !== b.size || a.numTags !== b.numTags) return false;
  for (let k = 0; k < a.size; k++) if (a.keys[k] !== b.keys[k]) return false;
  for (let k = 0; k < a.size * a.numTags; k++) if (a.weights[k] !== b.weights[k]) return false;
  return true;
}

/** A last stage scored with a delta (the base stage's arrays and caches, shared). */
export interface AdaptedStage extends StageWeights {
  readonly delta: WeightDelta;
}

export function isAdaptedStage(st: StageWeights): st is AdaptedStage {
  return (st as Partial<AdaptedStage>).delta !== undefined;
}

/** The model that scores with `delta` added to its last stage (the model itself when the delta is empty). */
export function adaptModel(model: TaggerModel, delta: WeightDelta | undefined): TaggerModel {
  if (!delta || delta.size === 0) return model;
  const stages = model.stages.slice();
  const last = stages[stages.length - 1];
  const base = isAdaptedStage(last) ? baseOf(last) : last;
  const adapted = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as object, base, { delta, base }) as AdaptedStage;
  stages[stages.length - 1] = adapted;
  return { ...model, stages, meta: model.meta };
}

/** The unadapted model behind an adapted one. */
export function baseModel(model: TaggerModel): TaggerModel {
  const last = model.stages[model.stages.length - 1];
  if (!isAdaptedStage(last)) return model;
  const stages = model.stages.slice();
  stages[stages.length - 1] = baseOf(last);
  return { ...model, stages };
}

function baseOf(st: AdaptedStage): StageWeights {
  return (st as unknown as { base: StageWeights }).base;
}

/** The delta of a model's last stage, if it has one. */
export function deltaOf(model: TaggerModel): WeightDelta | undefined {
  const last = model.stages[model.stages.length - 1];
  return isAdaptedStage(last) ? last.delta : undefined;
}

const featBuf = new Int32Array(MAX_FEATURES * 4);

/**
 * Adds the delta's weights for tokens [s, e) of the sentence [ss, se) to `out` (row (i - s) ×
 * numTags, zeroed first). Returns true when any feature of these tokens has a delta row.
 */
export function deltaEmissions(delta: WeightDelta, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number, out: Float64Array): boolean {
  const T = delta.numTags;
  const n = e - s;
  out.fill(0, 0, n * T);
  const rows = delta.rows;
  const w = delta.weights;
  let touched = false;
  for (let i = s; i < e; i++) {
    const nf = tokenFeatures(a, doc, i, ss, se, featBuf, 0);
    const base = (i - s) * T;
    for (let q = 0; q < nf; q++) {
      const r = rows.get(featBuf[q] & SMI, -1);
      if (r < 0) continue;
      touched = true;
      const o = r * T;
      for (let t = 0; t < T; t++) out[base + t] += w[o + t];
    }
  }
  return touched;
}

/** Counts of every feature of every token of a document's sentences (for {@link DeltaOptions.counts}). */
export function countFeatures(a: Atoms, doc: DocumentContext | undefined, into: { map: IntMap; tokens: number }): void {
  const S = a.sentences;
  for (let k = 0; k < S.length; k += 2) {
    for (let i = S[k]; i < S[k + 1]; i++) {
      const nf = tokenFeatures(a, doc, i, S[k], S[k + 1], featBuf, 0);
      for (let q = 0; q < nf; q++) {
        const key = featBuf[q] & SMI;
        into.map.set(key, into.map.get(key, 0) + 1);
      }
      into.tokens++;
    }
  }
}

/** One sentence to learn from: its atoms and document context, the range and the gold tags. */
export interface LearningSentence {
  atoms: Atoms;
  doc: DocumentContext | undefined;
  /** Sentence token range (absolute indices into atoms.tokens). */
  from: number;
  to: number;
  /**
   * Gold tags for [from, to) (BILOU, tags.ts numbering); 255 where the gold is the base model's own
   * tag (filled in by {@link trainDelta}).
   */
  gold: Uint8Array;
}

export interface DeltaOptions {
  /**
   * How often a feature (hash & SMI) fires per token in the corrected documents (0..): a feature
   * firing on more than `commonShare` of the tokens
   * (bias, word shape, position…) is updated in proportion (a change there would move every name).
   */
  frequency?: (feature: number) => number;
  /** Default 0.0005 (tuned on the learning curves of CoNLL-2003 dev and UNER EWT). */
  commonShare?: number;
  /** Passes over the sentences (default 4). */
  epochs?: number;
  /** Margin (model score units) a corrected token's gold tag must win by (default 10). */
  margin?: number;
  /** Largest step of one update (default 8). */
  maxStep?: number;
}

/** Dense weights of the base stage for one token's features, summed into `out` at `at`. */
function baseScores(st: StageWeights, feats: Int32Array, f0: number, f1: number, out: Float64Array, at: number): void {
  const T = st.numTags;
  const shift = 32 - st.bits;
  for (let t = 0; t < T; t++) out[at + t] = 0;
  for (let q = f0; q < f1; q++) {
    const r = bucketRow(st, feats[q] >>> shift);
    for (let t = 0; t < T; t++) out[at + t] += st.weights[st.codes[r + t]];
  }
}

function pathScore(st: StageWeights, em: Float64Array, tags: Uint8Array, n: number): number {
  const T = st.numTags;
  let s = st.start[tags[0]] + st.end[tags[n - 1]];
  for (let i = 0; i < n; i++) {
    s += em[i * T + tags[i]];
    if (i > 0) s += st.trans[tags[i - 1] * T + tags[i]];
  }
  return s;
}

/** A growable delta under construction. */
class DeltaBuilder {
  readonly rows = new IntMap(256);
  readonly keys: number[] = [];
  weights = new Float64Array(NUM_TAGS * 256);
  size = 0;
  constructor(readonly numTags: number) {}

  row(key: number): number {
    let r = this.rows.get(key, -1);
    if (r >= 0) return r;
    r = this.size++;
    if (this.size * this.numTags > this.weights.length) {
      const grown = new Float64Array(this.weights.length * 2);
      grown.set(this.weights);
      this.weights = grown;
    }
    this.rows.set(key, r);
    this.keys.push(key);
    return r;
  }

  get(key: number, t: number): number {
    const r = this.rows.get(key, -1);
    return r < 0 ? 0 : this.weights[r * this.numTags + t];
  }

  freeze(): WeightDelta {
    return { numTags: this.numTags, rows: this.rows, weights: this.weights.slice(0, this.size * this.numTags), size: this.size, keys: Int32Array.from(this.keys) };
  }
}

/**
 * Learns a delta for the last stage of `model` from the sentences (see {@link LearningSentence}).
 * Each pass decodes every sentence with base + delta, cost-augmented (a wrong tag on a corrected
 * token scores `margin` more), and when the result is not the gold makes the smallest update that
 * puts the gold `margin` per wrong token ahead (passive-aggressive, step ≤ `maxStep`), on the
 * emission features of the tokens whose tags differ. Transitions are not changed.
 */
export function trainDelta(model: TaggerModel, sentences: readonly LearningSentence[], options: DeltaOptions = {}): WeightDelta {
  const st0 = model.stages[model.stages.length - 1];
  const st = isAdaptedStage(st0) ? baseOf(st0) : st0;
  const epochs = options.epochs ?? 4;
  const builder = new DeltaBuilder(st.numTags);
  const frequency = options.frequency;
  const share = options.commonShare ?? 0.0005;
  /** Update scale of a feature: 1 for rare ones, less for common ones. */
  const scaleOf = (f: number): number => {
    if (!frequency) return 1;
    const c = frequency(f & SMI);
    return c <= share ? 1 : share / c;
  };
  const prepared = sentences.map((s) => prepareSentence(st, s, scaleOf));
  const pass: Pass = { st, builder, margin: options.margin ?? 10, maxStep: options.maxStep ?? 8, pred: new Uint8Array(1024), work: new Float64Array(1024 * st.numTags) };
  for (let epoch = 0; epoch < epochs; epoch++) {
    let mistakes = 0;
    for (const p of prepared) if (p.any && p.n > 0 && learnSentence(pass, p)) mistakes++;
    if (mistakes === 0) break;
  }
  return builder.freeze();
}

/** A sentence ready for the passes: features (flat, with per-token ends), base emissions, gold and the corrected-token mask. */
interface PreparedSentence {
  n: number;
  feats: Int32Array;
  /** Update scale of each feature occurrence. */
  scale: Float64Array;
  ends: Int32Array;
  baseEm: Float64Array;
  gold: Uint8Array;
  fixed: Uint8Array;
  /** Some token is corrected. */
  any: boolean;
}

function prepareSentence(st: StageWeights, s: LearningSentence, scaleOf: (f: number) => number): PreparedSentence {
  const T = st.numTags;
  const n = s.to - s.from;
  const feats: number[] = [];
  const ends = new Int32Array(n);
  for (let i = s.from; i < s.to; i++) {
    const nf = tokenFeatures(s.atoms, s.doc, i, s.from, s.to, featBuf, 0);
    for (let q = 0; q < nf; q++) feats.push(featBuf[q]);
    ends[i - s.from] = feats.length;
  }
  const f = Int32Array.from(feats);
  const scale = new Float64Array(f.length);
  for (let q = 0; q < f.length; q++) scale[q] = scaleOf(f[q]);
  const em = new Float64Array(n * T);
  for (let i = 0; i < n; i++) baseScores(st, f, i ? ends[i - 1] : 0, ends[i], em, i * T);
  const gold = s.gold.slice(0, n);
  const fixed = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (gold[i] === 255) continue;
    fixed[i] = 1;
    any = true;
  }
  if (any && fixed.some((x) => !x)) {
    // the rest of the sentence: the base model's own reading (so only the corrected tokens teach)
    const own = new Uint8Array(n);
    viterbi(em, n, T, st.trans, st.start, st.end, own, 0);
    for (let i = 0; i < n; i++) if (!fixed[i]) gold[i] = own[i];
  }
  return { n, feats: f, scale, ends, baseEm: em, gold, fixed, any };
}

/** What every sentence of a pass shares: the base stage, the delta being learned, the options and scratch. */
interface Pass {
  st: StageWeights;
  builder: DeltaBuilder;
  margin: number;
  maxStep: number;
  pred: Uint8Array;
  work: Float64Array;
}

/** Decodes the sentence with base + delta, cost-augmented, and updates the delta when it is wrong; true when it was. */
function learnSentence(pass: Pass, p: PreparedSentence): boolean {
  const { st, builder, margin } = pass;
  const T = st.numTags;
  const { n, ends, scale, gold, fixed } = p;
  if (pass.work.length < n * T) pass.work = new Float64Array(n * T * 2);
  const em = pass.work;
  emissionsWithDelta(p, builder, em, T);
  const goldScore = pathScore(st, em, gold, n);
  // cost-augmented decoding: a wrong tag on a corrected token gets the margin
  for (let i = 0; i < n; i++) if (fixed[i]) for (let t = 0; t < T; t++) if (t !== gold[i]) em[i * T + t] += margin;
  const out = pass.pred.length >= n ? pass.pred : new Uint8Array(n);
  viterbi(em, n, T, st.trans, st.start, st.end, out, 0);
  let wrong = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    if (out[i] === gold[i]) continue;
    wrong++;
    for (let q = i ? ends[i - 1] : 0; q < ends[i]; q++) norm += 2 * scale[q] * scale[q];
  }
  if (wrong === 0 || norm === 0) return false;
  const augScore = pathScore(st, em, out, n); // includes the margins
  const loss = augScore - goldScore;
  if (loss > 0) updateDelta(p, builder, out, Math.min(pass.maxStep, loss / norm), T);
  return true;
}

/** The base emissions plus the delta's weights of each token's features, into `em`. */
function emissionsWithDelta(p: PreparedSentence, builder: DeltaBuilder, em: Float64Array, T: number): void {
  const { n, feats, ends, baseEm } = p;
  for (let i = 0; i < n; i++) {
    const f0 = i ? ends[i - 1] : 0;
    for (let t = 0; t < T; t++) em[i * T + t] = baseEm[i * T + t];
    for (let q = f0; q < ends[i]; q++) {
      const r = builder.rows.get(feats[q] & SMI, -1);
      if (r < 0) continue;
      for (let t = 0; t < T; t++) em[i * T + t] += builder.weights[r * T + t];
    }
  }
}

/** Moves the features of the wrongly tagged tokens `step` (scaled) towards the gold tag and away from the predicted one. */
function updateDelta(p: PreparedSentence, builder: DeltaBuilder, out: Uint8Array, step: number, T: number): void {
  const { n, feats, scale, ends, gold } = p;
  for (let i = 0; i < n; i++) {
    if (out[i] === gold[i]) continue;
    for (let q = i ? ends[i - 1] : 0; q < ends[i]; q++) {
      if (scale[q] === 0) continue;
      const r = builder.row(feats[q] & SMI);
      builder.weights[r * T + gold[i]] += step * scale[q];
      builder.weights[r * T + out[i]] -= step * scale[q];
    }
  }
}
