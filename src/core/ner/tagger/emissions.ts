/**
 * Emission scores of the name tagger: per token, the summed weights of its features for every
 * tag. A word's static (word-only) features are summed once and cached on the stage; a window's
 * context features are located in the stage's weight rows first, then summed.
 */
import { contextFeatures, MAX_FEATURES, SMI, staticFeatures, type Atoms, type DocumentContext } from './features';
import { IntMap } from './intmap';
import { bitCount, bucketRow, type StageWeights } from './model';
import { NUM_TAGS } from './tags';

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
export function emissions(st: StageWeights, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number): Float64Array {
  const n = e - s;
  const T = st.numTags;
  if (emBuf.length < n * T) emBuf = new Float64Array(n * T * 2);
  if (featEnd.length < n) {
    featEnd = new Int32Array(n * 2);
    staticOff = new Int32Array(n * 2);
  }
  if (rowBuf.length < n * MAX_FEATURES) rowBuf = new Int32Array(n * MAX_FEATURES * 2);
  const cache = staticCache(st);
  // the window's static sums must stay in the pool until they are read below
  if (cache.used + n > STATIC_CACHE_MAX) {
    cache.map.clear();
    cache.used = 0;
  }
  locateRows(st, cache, a, doc, s, e, ss, se);
  return T === 17 ? sumRows17(st, cache.pool, n) : sumRows(st, cache.pool, n);
}

/**
 * For tokens [s, e): the static-cache offset (`staticOff`), the row offset of each context
 * feature (`rowBuf`) and where each token's rows end (`featEnd`).
 */
function locateRows(st: StageWeights, cache: StaticCache, a: Atoms, doc: DocumentContext | undefined, s: number, e: number, ss: number, se: number): void {
  const T = st.numTags;
  const shift = 32 - st.bits;
  const fb = featBuf;
  const rb = rowBuf;
  const gr = st.groups;
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
}

/** Each token's static sums plus its context rows, for any number of tags. */
function sumRows(st: StageWeights, pool: Float64Array, n: number): Float64Array {
  const T = st.numTags;
  const cw = st.weights;
  const cd = st.codes;
  const em = emBuf;
  const rb = rowBuf;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const base = i * T;
    for (let t = 0; t < T; t++) em[base + t] = pool[staticOff[i] + t];
    for (const we = featEnd[i]; w < we; w++) for (let t = 0; t < T; t++) em[base + t] += cw[cd[rb[w] + t]];
  }
  return em;
}

/** {@link sumRows} for 17 tags (BILOU × 4 + O, the shipped models), the sums held in registers. */
function sumRows17(st: StageWeights, pool: Float64Array, n: number): Float64Array {
  const T = st.numTags;
  const cw = st.weights;
  const cd = st.codes;
  const em = emBuf;
  const rb = rowBuf;
  let w = 0;
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

/** Scratch sized for a window of this many tokens is kept between calls; a larger one is let go. */
const SCRATCH_KEEP_TOKENS = 4096;
export function shrinkScratch(): void {
  if (rowBuf.length > SCRATCH_KEEP_TOKENS * MAX_FEATURES) rowBuf = new Int32Array(MAX_FEATURES * 64);
  if (emBuf.length > SCRATCH_KEEP_TOKENS * NUM_TAGS) emBuf = new Float64Array(NUM_TAGS * 512);
}
