/**
 * Decoding with one stage: sentence by sentence, window by window around the tokens that may be
 * names (the rest is tagged O unscored), with the learned delta's effect marked per token.
 */
import { maxMarginals, orderTransitions, viterbi, type OrderedTransitions } from './decode';
import type { Atoms, DocumentContext } from './features';
import { emissions } from './emissions';
import type { StageWeights } from './model';
import { deltaEmissions, isAdaptedStage, type AdaptedStage } from './adapt';
import { NUM_TAGS, TAG_O } from './tags';

/** Tags of the tokens decoded last (atom indices). */
export const tagScratch = { tags: new Uint8Array(1024) };

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
export function decodeWindows(st: StageWeights, a: Atoms, doc: DocumentContext | undefined, ss: number, se: number, wantMarginals: boolean, onRange: ((s: number, e: number, mm: Float64Array) => void) | undefined, exhaustive = false): void {
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

export function ensureTags(n: number): void {
  if (tagScratch.tags.length < n) tagScratch.tags = new Uint8Array(Math.max(n, tagScratch.tags.length * 2));
}

/**
 * Learning (adapt.ts): in a window a stage's delta touches, the base model's tags go into
 * `learnScratch.base` and the delta is added to the emissions; after decoding, tokens whose tag
 * differs from the base model's are marked in `learnScratch.mark` (read by tagNames).
 */
export const learnScratch = { base: new Uint8Array(1024), mark: new Uint8Array(1024), em: new Float64Array(NUM_TAGS * 64), touched: false };
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
