/**
 * Statistical name tagger: averaged structured perceptron over hashed features, BILOU tags for
 * PER / ORG / LOC / MISC, constrained Viterbi decoding, optional second stage that sees the
 * first stage's label votes for the same word across the document (Ratinov & Roth 2009).
 *
 * API
 * - `loadTaggerModel(bytes)` → model (throws `ModelFormatError` on a bad file). Load lazily.
 * - `prepareDocument(model, tokens)` → `DocumentContext`: document-level features (how each word
 *   is written elsewhere; first-pass label votes when the model has two stages). Build once per
 *   document and pass it to every paragraph.
 * - `tagNames(model, tokens, { from, to, doc })` → `NameSpan[]` `{start, end, label, confidence}`
 *   for tokens [from, to) (a paragraph or the whole document; UTF-16 offsets into tokens.text).
 * - `applyConsistency(tokens, spans)` → spans plus the same names elsewhere in the document with
 *   the type of their confident mentions (source 'consistency').
 * - `tagDocument(model, text)` = tokenize + prepareDocument + tagNames + applyConsistency.
 */
import { tokenize, TOK_CAP, type TokenList } from '../../text/tokenize';
import { maxMarginals, orderTransitions, viterbi, type OrderedTransitions } from './decode';
import { buildDocumentContext, computeAtoms, contextFeatures, IntMap, MAX_FEATURES, SMI, staticFeatures, type Atoms, type DocumentContext } from './features';
import { bitCount, bucketRow, type StageWeights, type TaggerModel } from './model';
import { deltaEmissions, isAdaptedStage, type AdaptedStage } from './adapt';
import { labelOf, NAME_LABELS, NUM_TAGS, partOf, spansFromTags, TAG_O, type NameLabel } from './tags';

export { loadTaggerModel, isTaggerModel, ModelFormatError, encodeModel, type TaggerModel } from './model';
export { NAME_LABELS, type NameLabel } from './tags';
export { adaptModel, baseModel, deltaOf, trainDelta, type LearningSentence, type WeightDelta } from './adapt';
export type { DocumentContext } from './features';

export interface NameSpan {
  start: number;
  end: number;
  label: NameLabel;
  /** 0..1, from the margin of the best path over the best path that tags the span otherwise. */
  confidence: number;
  /** Set on spans added by {@link applyConsistency}. */
  consistency?: boolean;
  /** Raw score margin behind `confidence` (model units). */
  margin?: number;
  /** The model's learned delta (adapt.ts) changed this span's tags from what the base model reads. */
  learned?: boolean;
}

/**
 * confidence = 1 / (1 + exp(-(margin - offset) / scale)). Defaults fitted (log-loss) on CoNLL-2003
 * dev for the shipped model: precision is ~0.6 at margin 0, ~0.8 at 20, ≥ 0.95 above 40. A model's
 * meta may carry its own `confidence: {scale, offset}`.
 */
const CONFIDENCE_SCALE = 18;
const CONFIDENCE_OFFSET = -5;
/** Consistency-pass thresholds (tuned on CoNLL-2003 dev). */
const CONSISTENCY_MIN = 0.8;
const CONSISTENCY_RELABEL_BELOW = 0.8;

function calibration(model: TaggerModel): { scale: number; offset: number } {
  const c = model.meta.confidence as { scale?: unknown; offset?: unknown } | undefined;
  if (c && typeof c.scale === 'number' && c.scale > 0 && typeof c.offset === 'number') return { scale: c.scale, offset: c.offset };
  return { scale: CONFIDENCE_SCALE, offset: CONFIDENCE_OFFSET };
}

export interface TagOptions {
  /** First token index (default 0). */
  from?: number;
  /** Token index end, exclusive (default tokens.count). */
  to?: number;
  /** Document context from {@link prepareDocument} over the whole document; default: built from [from, to) only. */
  doc?: DocumentContext;
  /** Score every token, not only the windows around capitalised and gazetteer words (slower; for comparison). */
  exhaustive?: boolean;
}

const featBuf = new Int32Array(MAX_FEATURES * 4);
let emBuf = new Float64Array(NUM_TAGS * 512);

/** Per-stage cache of the summed static (word-only) feature weights: word hash → offset into pool. */
interface StaticCache {
  map: IntMap;
  pool: Float64Array;
  used: number;
}
const STATIC_CACHE_MAX = 1 << 16;

/** The stage's static cache (kept on the stage: it goes with the model when the model is dropped). */
function staticCache(st: StageWeights): StaticCache {
  let c = st.memo.staticCache as StaticCache | undefined;
  if (!c) {
    c = { map: new IntMap(4096), pool: new Float64Array(st.numTags * 4096), used: 0 };
    st.memo.staticCache = c;
  }
  return c;
}

/** Per window: each context feature's row offset in the stage's codes, each token's end in that list and its static-cache offset. */
let rowBuf = new Int32Array(MAX_FEATURES * 64);
let featEnd = new Int32Array(64);
let staticOff = new Int32Array(64);

/** Sums of the static (word-only) feature weights of token k, computed into the static cache; returns its offset in the pool. */
function staticSums(st: StageWeights, cache: StaticCache, a: Atoms, k: number, wh: number): number {
  const T = st.numTags;
  if ((cache.used + 1) * T > cache.pool.length) {
    const grown = new Float64Array(cache.pool.length * 2);
    grown.set(cache.pool);
    cache.pool = grown;
  }
  const off = cache.used * T;
  cache.used++;
  const pool = cache.pool;
  for (let t = 0; t < T; t++) pool[off + t] = 0;
  const shift = 32 - st.bits;
  const cd = st.codes;
  const cw = st.weights;
  const fb = featBuf;
  const nf = staticFeatures(a, k, fb, 0);
  for (let q = 0; q < nf; q++) {
    const r = bucketRow(st, fb[q] >>> shift);
    for (let t = 0; t < T; t++) pool[off + t] += cw[cd[r + t]];
  }
  cache.map.set(wh, off);
  return off;
}

/**
 * Emission scores for tokens [s, e) of the sentence [ss, se) into emBuf: per token, the cached
 * static sums, then each context feature's row added in feature order (an absent weight adds 0,
 * which changes no sum). The window's rows are located first (independent loads, no branches),
 * then summed in registers.
 */
function emissions(st: StageWeights, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number): Float64Array {
  const n = e - s;
  const T = st.numTags;
  if (emBuf.length < n * T) emBuf = new Float64Array(n * T * 2);
  if (featEnd.length < n) {
    featEnd = new Int32Array(n * 2);
    staticOff = new Int32Array(n * 2);
  }
  if (rowBuf.length < n * MAX_FEATURES) rowBuf = new Int32Array(n * MAX_FEATURES * 2);
  const shift = 32 - st.bits;
  const cw = st.weights;
  const em = emBuf;
  const fb = featBuf;
  const rb = rowBuf;
  const gr = st.groups;
  const cd = st.codes;
  const cache = staticCache(st);
  // the window's static sums must stay in the pool until they are read below
  if (cache.used + n > STATIC_CACHE_MAX) {
    cache.map.clear();
    cache.used = 0;
  }
  let w = 0;
  for (let i = s; i < e; i++) {
    const k = i - a.from;
    const wh = a.word[k] & SMI;
    const off = cache.map.get(wh, -1);
    staticOff[i - s] = off === -1 ? staticSums(st, cache, a, k, wh) : off;
    const nf = contextFeatures(a, doc, i, ss, se, fb, 0);
    for (let q = 0; q < nf; q++) {
      const b = fb[q] >>> shift;
      const g = (b >>> 5) << 1;
      const set = gr[g];
      const sh = b & 31;
      // bucketRow inlined: an empty bucket reads row 0 (all zeros)
      rb[w++] = (gr[g + 1] + bitCount(set & ((1 << sh) - 1))) * ((set >>> sh) & 1) * T;
    }
    featEnd[i - s] = w;
  }
  const pool = cache.pool;
  if (T !== 17) {
    w = 0;
    for (let i = 0; i < n; i++) {
      const base = i * T;
      for (let t = 0; t < T; t++) em[base + t] = pool[staticOff[i] + t];
      for (const we = featEnd[i]; w < we; w++) for (let t = 0; t < T; t++) em[base + t] += cw[cd[rb[w] + t]];
    }
    return em;
  }
  w = 0;
  for (let i = 0; i < n; i++) {
    const base = i * T;
    const o = staticOff[i];
    let s0 = pool[o], s1 = pool[o + 1], s2 = pool[o + 2], s3 = pool[o + 3], s4 = pool[o + 4], s5 = pool[o + 5], s6 = pool[o + 6], s7 = pool[o + 7], s8 = pool[o + 8];
    let s9 = pool[o + 9], s10 = pool[o + 10], s11 = pool[o + 11], s12 = pool[o + 12], s13 = pool[o + 13], s14 = pool[o + 14], s15 = pool[o + 15], s16 = pool[o + 16];
    for (const we = featEnd[i]; w < we; w++) {
      const r = rb[w];
      s0 += cw[cd[r]];
      s1 += cw[cd[r + 1]];
      s2 += cw[cd[r + 2]];
      s3 += cw[cd[r + 3]];
      s4 += cw[cd[r + 4]];
      s5 += cw[cd[r + 5]];
      s6 += cw[cd[r + 6]];
      s7 += cw[cd[r + 7]];
      s8 += cw[cd[r + 8]];
      s9 += cw[cd[r + 9]];
      s10 += cw[cd[r + 10]];
      s11 += cw[cd[r + 11]];
      s12 += cw[cd[r + 12]];
      s13 += cw[cd[r + 13]];
      s14 += cw[cd[r + 14]];
      s15 += cw[cd[r + 15]];
      s16 += cw[cd[r + 16]];
    }
    em[base] = s0;
    em[base + 1] = s1;
    em[base + 2] = s2;
    em[base + 3] = s3;
    em[base + 4] = s4;
    em[base + 5] = s5;
    em[base + 6] = s6;
    em[base + 7] = s7;
    em[base + 8] = s8;
    em[base + 9] = s9;
    em[base + 10] = s10;
    em[base + 11] = s11;
    em[base + 12] = s12;
    em[base + 13] = s13;
    em[base + 14] = s14;
    em[base + 15] = s15;
    em[base + 16] = s16;
  }
  return em;
}

const tagScratch = { tags: new Uint8Array(1024) };

/**
 * Decode tokens [s, e) of the sentence [ss, se) with one stage; writes tags into tagScratch at
 * [s - a.from, e - a.from). A range that starts (ends) inside the sentence follows (precedes) a
 * token fixed to O: its start (end) scores are the transitions from (to) O.
 */
function decodeRange(st: StageWeights, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number, wantMarginals: boolean): Float64Array | undefined {
  const em = emissions(st, a, doc, s, e, ss, se);
  const n = e - s;
  const tags = tagScratch.tags;
  const off = s - a.from;
  const bounds = s > ss || e < se ? oBounds(st) : undefined;
  const start = s > ss ? bounds!.start : st.start;
  const end = e < se ? bounds!.end : st.end;
  const ordered = orderedTransitions(st);
  if (isAdaptedStage(st)) learnedRange(st, a, doc, s, e, ss, se, em, start, end, ordered);
  viterbi(em, n, st.numTags, st.trans, start, end, tags, off, ordered);
  if (isAdaptedStage(st)) markLearned(off, n);
  if (!wantMarginals) return undefined;
  // max-marginals are read only inside names: from the first token not tagged O
  let first = 0;
  while (first < n && tags[off + first] === 0) first++;
  return first < n ? maxMarginals(em, n, st.numTags, st.trans, end, ordered, first) : undefined;
}

/** The stage's transitions in the decoder's loop order (a loaded stage never changes). */
function orderedTransitions(st: StageWeights): OrderedTransitions {
  let o = st.memo.ordered as OrderedTransitions | undefined;
  if (!o) {
    o = orderTransitions(st.trans, st.numTags);
    st.memo.ordered = o;
  }
  return o;
}

/** Start scores after an O token and end scores before one (rows and columns of the transition matrix). */
function oBounds(st: StageWeights): { start: Float64Array; end: Float64Array } {
  let b = st.memo.bounds as { start: Float64Array; end: Float64Array } | undefined;
  if (!b) {
    const T = st.numTags;
    const start = new Float64Array(T);
    const end = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      start[t] = st.trans[TAG_O * T + t];
      end[t] = st.trans[t * T + TAG_O];
    }
    b = { start, end };
    st.memo.bounds = b;
  }
  return b;
}

/**
 * Where names can be: tokens that are capitalised (or mixed case) or in a gazetteer, joined
 * across gaps of up to GAP other tokens ("Bank of the Philippine Islands") and widened by MARGIN_BEFORE
 * tokens before and MARGIN_AFTER after (the right margin is what CoNLL dev needs; measured). Tokens outside every such window are lower case, digits or punctuation
 * far from any capital: they are fixed to O without scoring them (most of running text). Writes
 * window bounds [s0, e0, s1, e1, …] for the sentence [ss, se) into `out`; returns their count × 2.
 */
const GAP = 3;
const MARGIN_BEFORE = 0;
const MARGIN_AFTER = 1;
let windowBuf = new Int32Array(256);
function nameWindows(a: Atoms, ss: number, se: number): number {
  if (windowBuf.length < (se - ss) * 2 + 2) windowBuf = new Int32Array((se - ss) * 4 + 4);
  const w = windowBuf;
  let n = 0;
  let lastLive = -1_000_000;
  for (let i = ss; i < se; i++) {
    const k = i - a.from;
    const c = a.cls[k];
    if (!(c === 1 || c === 2 || c === 3 || a.gaz[k] !== 0)) continue;
    if (n > 0 && i - lastLive - 1 <= GAP) w[n - 1] = Math.min(se, i + 1 + MARGIN_AFTER);
    else if (n > 0 && Math.max(ss, i - MARGIN_BEFORE) <= w[n - 1]) w[n - 1] = Math.min(se, i + 1 + MARGIN_AFTER);
    else {
      w[n++] = Math.max(ss, i - MARGIN_BEFORE);
      w[n++] = Math.min(se, i + 1 + MARGIN_AFTER);
    }
    lastLive = i;
  }
  return n;
}

/**
 * Decode the sentence [ss, se) (clipped to the atoms' range) window by window (see
 * {@link nameWindows}); tokens outside the windows are tagged O. `onRange` receives each window's
 * max-marginals when it holds a name.
 */
function decodeWindows(st: StageWeights, a: Atoms, doc: DocumentContext | undefined, ss: number, se: number, wantMarginals: boolean, onRange: ((s: number, e: number, mm: Float64Array) => void) | undefined, exhaustive = false): void {
  const tags = tagScratch.tags;
  tags.fill(0, ss - a.from, se - a.from);
  if (exhaustive) {
    const mm = decodeRange(st, a, doc, ss, se, ss, se, wantMarginals);
    if (mm && onRange) onRange(ss, se, mm);
    return;
  }
  const nw = nameWindows(a, ss, se);
  if (nw === 0) return;
  const w = windowBuf; // not reallocated while decoding
  for (let q = 0; q < nw; q += 2) {
    const mm = decodeRange(st, a, doc, w[q], w[q + 1], ss, se, wantMarginals);
    if (mm && onRange) onRange(w[q], w[q + 1], mm);
  }
}

function ensureTags(n: number): void {
  if (tagScratch.tags.length < n) tagScratch.tags = new Uint8Array(Math.max(n, tagScratch.tags.length * 2));
}

/**
 * Learning (adapt.ts): in a window a stage's delta touches, the base model's tags go into
 * `learnScratch.base` and the delta is added to the emissions; after decoding, tokens whose tag
 * differs from the base model's are marked in `learnScratch.mark` (read by tagNames).
 */
const learnScratch = { base: new Uint8Array(1024), mark: new Uint8Array(1024), em: new Float64Array(NUM_TAGS * 64), touched: false };
function learnedRange(st: AdaptedStage, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number, em: Float64Array, start: Float32Array | Float64Array, end: Float32Array | Float64Array, ordered: OrderedTransitions): void {
  const n = e - s;
  const T = st.numTags;
  const L = learnScratch;
  const need = tagScratch.tags.length;
  if (L.base.length < need) {
    L.base = new Uint8Array(need);
    L.mark = new Uint8Array(need);
  }
  if (L.em.length < n * T) L.em = new Float64Array(n * T * 2);
  L.touched = deltaEmissions(st.delta, a, doc, s, e, ss, se, L.em);
  if (!L.touched) return;
  viterbi(em, n, T, st.trans, start, end, L.base, s - a.from, ordered);
  for (let k = 0; k < n * T; k++) em[k] += L.em[k];
}
function markLearned(off: number, n: number): void {
  const L = learnScratch;
  const tags = tagScratch.tags;
  for (let k = off; k < off + n; k++) L.mark[k] = L.touched && L.base[k] !== tags[k] ? 1 : 0;
}

/** Sentence ranges of the atoms clipped to [from, to). */
function clippedSentences(a: Atoms, from: number, to: number): number[] {
  const out: number[] = [];
  const S = a.sentences;
  for (let k = 0; k < S.length; k += 2) {
    const s = Math.max(S[k], from);
    const e = Math.min(S[k + 1], to);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** First-pass label votes (per lower-case word hash) over tokens [from, to). */
function stageOneVotes(model: TaggerModel, a: Atoms, doc: DocumentContext, from: number, to: number): Map<number, Uint16Array> {
  const st = model.stages[0];
  ensureTags(a.to - a.from);
  const S = clippedSentences(a, from, to);
  for (let k = 0; k < S.length; k += 2) decodeWindows(st, a, doc, S[k], S[k + 1], false, undefined);
  const votes = new Map<number, Uint16Array>();
  addVotes(a, tagScratch.tags, votes, from - a.from, to - a.from);
  return votes;
}

/** Count, for every capitalised word in [kFrom, kTo) (atom indices), the labels the first pass gave it. */
export function addVotes(a: Atoms, tags: Uint8Array, votes: Map<number, Uint16Array>, kFrom = 0, kTo = a.to - a.from): void {
  for (let k = kFrom; k < kTo; k++) {
    const c = a.cls[k];
    if (c < 1 || c > 3) continue; // capitalised words only
    const lw = a.lower[k] & SMI;
    let v = votes.get(lw);
    if (!v) {
      v = new Uint16Array(5);
      votes.set(lw, v);
    }
    const lab = labelOf(tags[k]);
    const q = lab < 0 ? 4 : lab;
    if (v[q] < 65535) v[q]++;
  }
}

/** Document context carrying the atoms it was built from (reused when tagging its paragraphs). */
interface PreparedContext extends DocumentContext {
  readonly atoms?: Atoms;
}

/**
 * Document context over the whole token list: word-shape statistics and, for two-stage models,
 * the first pass's label votes. O(tokens); one first-stage tagging pass for two-stage models.
 */
export function prepareDocument(model: TaggerModel | undefined, tokens: TokenList, from = 0, to = tokens.count, options: { full?: boolean } = {}): DocumentContext {
  const twoStage = !!model && model.stages.length >= 2;
  // Full atoms when they will be tagged (two-stage votes, or the caller tags this token list).
  const a = computeAtoms(tokens, from, to, !twoStage && !options.full, model?.clusters);
  const base = buildDocumentContext(a);
  if (!model || model.stages.length < 2) return { words: base.words, atoms: a } as PreparedContext;
  return { words: base.words, votes: stageOneVotes(model, a, base, from, to), atoms: a } as PreparedContext;
}

/** Paragraphs tokenized once, their atoms and the document context merged from them. */
export interface PreparedParagraphs extends DocumentContext {
  readonly paragraphs: Map<string, { tokens: TokenList; atoms: Atoms }>;
}

/**
 * The document context built paragraph by paragraph (each tokenized on its own, as the recogniser
 * tags it), keeping each paragraph's tokens and atoms so tagging does not redo them. Only for
 * single-stage models (two-stage votes need a first tagging pass); undefined otherwise.
 */
export function prepareParagraphs(model: TaggerModel, texts: readonly string[]): PreparedParagraphs | undefined {
  if (model.stages.length >= 2) return undefined;
  // about one distinct word per 10 characters: sized so that it rarely grows
  let chars = 0;
  for (const t of texts) chars += t.length;
  const words = new IntMap(chars / 10);
  const paragraphs = new Map<string, { tokens: TokenList; atoms: Atoms }>();
  for (const t of texts) {
    if (paragraphs.has(t)) {
      // a repeated paragraph counts again (its words' statistics are OR-ed bits: no change)
      continue;
    }
    const tokens = tokenize(t);
    const atoms = computeAtoms(tokens, 0, tokens.count, false, model.clusters);
    buildDocumentContext(atoms, undefined, words);
    paragraphs.set(t, { tokens, atoms });
  }
  return { words, paragraphs };
}

/** Tag a paragraph prepared by {@link prepareParagraphs}; undefined when it was not prepared. */
export function tagPrepared(model: TaggerModel, prepared: PreparedParagraphs, text: string): NameSpan[] | undefined {
  const p = prepared.paragraphs.get(text);
  if (!p) return undefined;
  return tagNames(model, p.tokens, { doc: { words: prepared.words, atoms: p.atoms } as PreparedContext });
}

let lastDoc: { text: string; model: TaggerModel; ctx: DocumentContext } | undefined;

/**
 * Context when the caller gave none: built over the whole `tokens.text` (so a paragraph tokenized
 * with `tokenize(text, start, end)` still sees the document), cached for the last text.
 */
function documentContextFor(model: TaggerModel, tokens: TokenList, a: Atoms, from: number, to: number): DocumentContext {
  const text = tokens.text;
  const whole = from === 0 && to === tokens.count && (tokens.count === 0 || (tokens.starts[0] <= 0 || !/\S/.test(text.slice(0, tokens.starts[0])))) && (tokens.count === 0 || !/\S/.test(text.slice(tokens.ends[tokens.count - 1])));
  if (whole) return model.stages.length >= 2 ? prepareDocument(model, tokens) : buildDocumentContext(a);
  if (lastDoc && lastDoc.model === model && lastDoc.text === text) return lastDoc.ctx;
  const ctx = prepareDocument(model, tokenize(text));
  lastDoc = { text, model, ctx };
  return ctx;
}

/** Tag names in tokens [from, to). Without `options.doc`, document features come from the whole `tokens.text`. */
export function tagNames(model: TaggerModel, tokens: TokenList, options: TagOptions = {}): NameSpan[] {
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(tokens.count, options.to ?? tokens.count);
  if (to <= from) return [];
  const given = options.doc as PreparedContext | undefined;
  const a = given?.atoms && !given.atoms.lite && given.atoms.tokens === tokens && given.atoms.from <= from && given.atoms.to >= to && given.atoms.clusDepth === (model.clusters?.depth ?? 0) ? given.atoms : computeAtoms(tokens, from, to, false, model.clusters);
  let doc: DocumentContext = given ?? documentContextFor(model, tokens, a, from, to);
  if (model.stages.length >= 2 && !doc.votes) doc = { words: doc.words, votes: stageOneVotes(model, a, doc, from, to) };
  const st = model.stages[model.stages.length - 1];
  const T = st.numTags;
  const cal = calibration(model);
  ensureTags(a.to - a.from);
  const out: NameSpan[] = [];
  const S = clippedSentences(a, from, to);
  const tags = tagScratch.tags;
  const onRange = (s: number, e: number, mm: Float64Array): void => {
    const off = s - a.from;
    for (const sp of spansFromTags(tags, off, off + (e - s))) {
      // margin: best path score minus the best path that tags any token of the span differently
      let best = -Infinity;
      let alt = -Infinity;
      for (let j = sp.s; j < sp.e; j++) {
        const i = j - off;
        const pred = tags[j];
        for (let t = 0; t < T; t++) {
          const v = mm[i * T + t];
          if (t === pred) {
            if (v > best) best = v;
          } else if (v > alt) alt = v;
        }
      }
      const margin = best - alt;
      const confidence = 1 / (1 + Math.exp(-(margin - cal.offset) / cal.scale));
      const span: NameSpan = { start: tokens.starts[a.from + sp.s], end: tokens.ends[a.from + sp.e - 1], label: NAME_LABELS[sp.label], confidence: Math.round(confidence * 1000) / 1000, margin: Math.round(margin * 100) / 100 };
      if (isAdaptedStage(st)) for (let j = sp.s; j < sp.e; j++) if (learnScratch.mark[j]) span.learned = true;
      out.push(span);
    }
  };
  for (let k = 0; k < S.length; k += 2) decodeWindows(st, a, doc, S[k], S[k + 1], true, onRange, options.exhaustive);
  shrinkScratch();
  return out;
}

/** Scratch sized for a window of this many tokens is kept between calls; a larger one is let go. */
const SCRATCH_KEEP_TOKENS = 4096;
function shrinkScratch(): void {
  if (rowBuf.length > SCRATCH_KEEP_TOKENS * MAX_FEATURES) rowBuf = new Int32Array(MAX_FEATURES * 64);
  if (emBuf.length > SCRATCH_KEEP_TOKENS * NUM_TAGS) emBuf = new Float64Array(NUM_TAGS * 512);
}

export interface ConsistencyOptions {
  /** A mention gives its label to others when its confidence is at least this. */
  minConfidence?: number;
  /** Only mentions below this confidence are relabelled. */
  relabelBelow?: number;
}

/**
 * Document-level consistency: a name (exact surface) tagged with confidence ≥ `minConfidence`
 * gives its label to its other occurrences tagged otherwise with confidence < `relabelBelow`, and
 * to its untagged capitalised occurrences (not inside or next to another capitalised word).
 */
export function applyConsistency(tokens: TokenList, spans: readonly NameSpan[], options: ConsistencyOptions = {}): NameSpan[] {
  const minConfidence = options.minConfidence ?? CONSISTENCY_MIN;
  const relabelBelow = options.relabelBelow ?? CONSISTENCY_RELABEL_BELOW;
  const text = tokens.text;
  // best label per surface
  const bySurface = new Map<string, NameSpan>();
  for (const s of spans) {
    const key = text.slice(s.start, s.end);
    const cur = bySurface.get(key);
    if (!cur || s.confidence > cur.confidence) bySurface.set(key, s);
  }
  const result: NameSpan[] = spans.map((s) => {
    const best = bySurface.get(text.slice(s.start, s.end));
    if (best && best.label !== s.label && best.confidence >= minConfidence && s.confidence < relabelBelow) {
      return { ...s, label: best.label, confidence: Math.round(Math.min(s.confidence, best.confidence) * 900) / 1000, consistency: true };
    }
    return s;
  });
  // untagged occurrences of confident multi-letter names
  const confident = [...bySurface.entries()].filter(([k, s]) => s.confidence >= minConfidence && k.length > 1);
  if (!confident.length) return result;
  const covered = new Uint8Array(tokens.count);
  let si = 0;
  const sorted = [...result].sort((x, y) => x.start - y.start);
  for (let i = 0; i < tokens.count; i++) {
    while (si < sorted.length && sorted[si].end <= tokens.starts[i]) si++;
    if (si < sorted.length && sorted[si].start < tokens.ends[i] && sorted[si].end > tokens.starts[i]) covered[i] = 1;
  }
  const firstTok = new Map<string, { key: string; span: NameSpan; n: number }[]>();
  for (const [key, span] of confident) {
    const t = tokenize(key);
    if (!t.count) continue;
    const head = key.slice(t.starts[0], t.ends[0]);
    const list = firstTok.get(head) ?? [];
    list.push({ key, span, n: t.count });
    firstTok.set(head, list);
  }
  const added: NameSpan[] = [];
  for (let i = 0; i < tokens.count; i++) {
    if (covered[i] || !(tokens.flags[i] & TOK_CAP)) continue;
    const list = firstTok.get(text.slice(tokens.starts[i], tokens.ends[i]));
    if (!list) continue;
    for (const cand of list.sort((x, y) => y.n - x.n)) {
      const j = i + cand.n - 1;
      if (j >= tokens.count) continue;
      let free = true;
      for (let q = i; q <= j; q++) if (covered[q]) free = false;
      if (!free || text.slice(tokens.starts[i], tokens.ends[j]) !== cand.key) continue;
      if (j + 1 < tokens.count && tokens.flags[j + 1] & TOK_CAP && tokens.starts[j + 1] - tokens.ends[j] <= 1) continue; // part of a longer name
      if (i > 0 && tokens.flags[i - 1] & TOK_CAP && tokens.starts[i] - tokens.ends[i - 1] <= 1 && !(tokens.flags[i] & 1)) continue;
      added.push({ start: tokens.starts[i], end: tokens.ends[j], label: cand.span.label, confidence: Math.round(cand.span.confidence * 0.8 * 1000) / 1000, consistency: true });
      for (let q = i; q <= j; q++) covered[q] = 1;
      break;
    }
  }
  return [...result, ...added].sort((x, y) => x.start - y.start || x.end - y.end);
}

/** Tokenize, prepare the document context, tag and apply the consistency pass. */
export function tagDocument(model: TaggerModel, text: string, options: { consistency?: boolean } = {}): NameSpan[] {
  const tokens = tokenize(text);
  const doc = prepareDocument(model, tokens, 0, tokens.count, { full: true });
  const spans = tagNames(model, tokens, { doc });
  return options.consistency === false ? spans : applyConsistency(tokens, spans);
}

/** Is the tag inside an entity (B/I/L/U)? */
export function isEntityTag(tag: number): boolean {
  return partOf(tag) !== 0;
}
