/**
 * Constrained Viterbi decoding over BILOU tags, and max-marginals for span confidence.
 * Emission scores are a flat Float32Array (token × numTags). Ties break towards the lower tag
 * index, so decoding is deterministic.
 */
import { ALLOWED, ALLOWED_END, ALLOWED_START, NUM_TAGS } from './tags';

const NEG = -1e30;
// Module-local copies (hot loops must not go through import bindings).
const AL_START: Uint8Array = ALLOWED_START;
const AL_END: Uint8Array = ALLOWED_END;
/** Allowed predecessors of each tag: PRED[PRED_OFF[t] .. PRED_OFF[t + 1]). */
const PRED_OFF = new Int32Array(NUM_TAGS + 1);
const PRED = (() => {
  const list: number[] = [];
  for (let t = 0; t < NUM_TAGS; t++) {
    PRED_OFF[t] = list.length;
    for (let p = 0; p < NUM_TAGS; p++) if (ALLOWED[p * NUM_TAGS + t]) list.push(p);
  }
  PRED_OFF[NUM_TAGS] = list.length;
  return Int32Array.from(list);
})();
/** Allowed successors of each tag. */
const SUCC_OFF = new Int32Array(NUM_TAGS + 1);
const SUCC = (() => {
  const list: number[] = [];
  for (let p = 0; p < NUM_TAGS; p++) {
    SUCC_OFF[p] = list.length;
    for (let t = 0; t < NUM_TAGS; t++) if (ALLOWED[p * NUM_TAGS + t]) list.push(t);
  }
  SUCC_OFF[NUM_TAGS] = list.length;
  return Int32Array.from(list);
})();

/**
 * BILOU shape of the constraints (checked, not assumed): "closed" tags (O, L-x, U-x) precede
 * exactly the "opening" ones (O, B-y, U-y); B-x and I-x precede exactly I-x and L-x. The decoding
 * loops below are unrolled for it (a max over a set does not depend on the order it is taken in).
 */
const CLOSED = [0, 3, 4, 7, 8, 11, 12, 15, 16];
const OPENING = [0, 1, 4, 5, 8, 9, 12, 13, 16];
const OPEN_T = Int32Array.from(OPENING);
const CLOSED_T = Int32Array.from(CLOSED);
const BILOU17 = (() => {
  if (NUM_TAGS !== 17) return false;
  const same = (a: ArrayLike<number>, b: readonly number[]): boolean => a.length === b.length && b.every((x, k) => a[k] === x);
  for (let t = 0; t < NUM_TAGS; t++) {
    const preds = PRED.subarray(PRED_OFF[t], PRED_OFF[t + 1]);
    const succs = SUCC.subarray(SUCC_OFF[t], SUCC_OFF[t + 1]);
    const part = t === 0 ? 0 : ((t - 1) & 3) + 1;
    const b = t === 0 ? 0 : 1 + 4 * ((t - 1) >> 2);
    if (part === 0 || part === 1 || part === 4) {
      if (!same(preds, CLOSED)) return false;
    } else if (!same(preds, [b, b + 1])) return false;
    if (part === 0 || part === 3 || part === 4) {
      if (!same(succs, OPENING)) return false;
    } else if (!same(succs, [b + 1, b + 2])) return false;
  }
  return true;
})();

/**
 * The allowed transitions in predecessor-list order (`[PRED_OFF[t] + j]` = trans[PRED[..] → t])
 * and in successor-list order, as doubles: the decoding loops then read them in sequence.
 */
export interface OrderedTransitions {
  readonly pred: Float64Array;
  readonly succ: Float64Array;
}

export function orderTransitions(trans: Float32Array | Float64Array, T: number, into?: OrderedTransitions): OrderedTransitions {
  const pred = into?.pred ?? new Float64Array(PRED.length);
  const succ = into?.succ ?? new Float64Array(SUCC.length);
  for (let t = 0; t < T; t++) for (let q = PRED_OFF[t]; q < PRED_OFF[t + 1]; q++) pred[q] = trans[PRED[q] * T + t];
  for (let p = 0; p < T; p++) for (let q = SUCC_OFF[p]; q < SUCC_OFF[p + 1]; q++) succ[q] = trans[p * T + SUCC[q]];
  return { pred, succ };
}

const orderScratch = orderTransitions(new Float64Array(NUM_TAGS * NUM_TAGS), NUM_TAGS);

/** Scratch buffers reused across calls (grow as needed). */
let alpha = new Float64Array(0);
let beta = new Float64Array(0);

function ensure(n: number): void {
  if (alpha.length < n) {
    const cap = Math.max(n, alpha.length * 2, 1024);
    alpha = new Float64Array(cap);
    beta = new Float64Array(cap);
  }
}

/**
 * Best tag sequence for `n` tokens. Writes tags to `out[outAt ... outAt + n)`; returns the path score.
 * `ordered`: {@link orderTransitions} of `trans` when the caller keeps one (else built per call).
 */
export function viterbi(em: Float32Array | Float64Array, n: number, T: number, trans: Float32Array | Float64Array, start: Float32Array | Float64Array, end: Float32Array | Float64Array, out: Uint8Array, outAt = 0, ordered?: OrderedTransitions): number {
  if (n === 0) return 0;
  ensure(n * T);
  const tp = (ordered ?? orderTransitions(trans, T, orderScratch)).pred;
  const al = alpha;
  const po = PRED_OFF;
  const pr = PRED;
  for (let t = 0; t < T; t++) al[t] = AL_START[t] ? start[t] + em[t] : NEG;
  if (BILOU17 && T === 17) forward17(al, em, n, tp);
  else for (let i = 1; i < n; i++) {
    const base = i * T;
    const prev = base - T;
    let q = 0;
    for (let t = 0; t < T; t++) {
      let best = NEG;
      for (const qe = po[t + 1]; q < qe; q++) best = Math.max(best, al[prev + pr[q]] + tp[q]);
      al[base + t] = best + em[base + t];
    }
  }
  const last = (n - 1) * T;
  let best = NEG;
  let arg = 0;
  for (let t = 0; t < T; t++) {
    if (!AL_END[t]) continue;
    const s = al[last + t] + end[t];
    if (s > best) {
      best = s;
      arg = t;
    }
  }
  out[outAt + n - 1] = arg;
  // backtrack: recompute the best predecessor of the chosen tag (first maximum wins)
  for (let i = n - 1; i > 0; i--) {
    const prev = (i - 1) * T;
    let b = NEG;
    let parg = 0;
    for (let q = po[arg], qe = po[arg + 1]; q < qe; q++) {
      const p = pr[q];
      const s = al[prev + p] + tp[q];
      if (s > b) {
        b = s;
        parg = p;
      }
    }
    arg = parg;
    out[outAt + i - 1] = arg;
  }
  return best;
}

/**
 * Max-marginals after a {@link viterbi} call with the same arguments: `mm[i * T + t]` = score of
 * the best path that tags token i with t, for tokens i ≥ `from` (the entries before are not
 * computed). The returned array is reused by the next call.
 */
export function maxMarginals(em: Float32Array | Float64Array, n: number, T: number, trans: Float32Array | Float64Array, end: Float32Array | Float64Array, ordered?: OrderedTransitions, from = 0): Float64Array {
  ensure(n * T);
  const ts = (ordered ?? orderTransitions(trans, T, orderScratch)).succ;
  const al = alpha;
  const be = beta;
  const so = SUCC_OFF;
  const su = SUCC;
  const last = (n - 1) * T;
  for (let t = 0; t < T; t++) be[last + t] = AL_END[t] ? end[t] : NEG;
  if (BILOU17 && T === 17) backward17(be, em, n, ts, from);
  else for (let i = n - 2; i >= from; i--) {
    const base = i * T;
    const next = base + T;
    let q = 0;
    for (let p = 0; p < T; p++) {
      let best = NEG;
      for (const qe = so[p + 1]; q < qe; q++) {
        const t = next + su[q];
        best = Math.max(best, ts[q] + em[t] + be[t]);
      }
      be[base + p] = best;
    }
  }
  for (let k = from * T; k < n * T; k++) be[k] += al[k];
  return be;
}

/** Viterbi forward pass for the 17 BILOU tags (same values as the generic loop). */
function forward17(al: Float64Array, em: Float32Array | Float64Array, n: number, tp: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const base = i * 17;
    const prev = base - 17;
    const c0 = al[prev];
    const c1 = al[prev + 3];
    const c2 = al[prev + 4];
    const c3 = al[prev + 7];
    const c4 = al[prev + 8];
    const c5 = al[prev + 11];
    const c6 = al[prev + 12];
    const c7 = al[prev + 15];
    const c8 = al[prev + 16];
    // opening tags: O (0), B-x (1 + 4x), U-x (4 + 4x), each after any closed tag (9 terms at PRED_OFF[t])
    for (let k = 0; k < 9; k++) {
      const t = OPEN_T[k];
      const q = PRED_OFF[t];
      const m = Math.max(
        Math.max(Math.max(NEG, c0 + tp[q]), Math.max(c1 + tp[q + 1], c2 + tp[q + 2])),
        Math.max(Math.max(c3 + tp[q + 3], c4 + tp[q + 4]), Math.max(c5 + tp[q + 5], c6 + tp[q + 6])),
        Math.max(c7 + tp[q + 7], c8 + tp[q + 8]),
      );
      al[base + t] = m + em[base + t];
    }
    // I-x and L-x after B-x or I-x
    for (let x = 0; x < 4; x++) {
      const b = prev + 1 + 4 * x;
      const cb = al[b];
      const ci = al[b + 1];
      const qi = PRED_OFF[2 + 4 * x];
      const ql = PRED_OFF[3 + 4 * x];
      al[base + 2 + 4 * x] = Math.max(NEG, cb + tp[qi], ci + tp[qi + 1]) + em[base + 2 + 4 * x];
      al[base + 3 + 4 * x] = Math.max(NEG, cb + tp[ql], ci + tp[ql + 1]) + em[base + 3 + 4 * x];
    }
  }
}

/** Max-marginals backward pass for the 17 BILOU tags (same values as the generic loop). */
function backward17(be: Float64Array, em: Float32Array | Float64Array, n: number, ts: Float64Array, from: number): void {
  for (let i = n - 2; i >= from; i--) {
    const base = i * 17;
    const next = base + 17;
    const e0 = em[next];
    const e1 = em[next + 1];
    const e2 = em[next + 4];
    const e3 = em[next + 5];
    const e4 = em[next + 8];
    const e5 = em[next + 9];
    const e6 = em[next + 12];
    const e7 = em[next + 13];
    const e8 = em[next + 16];
    const b0 = be[next];
    const b1 = be[next + 1];
    const b2 = be[next + 4];
    const b3 = be[next + 5];
    const b4 = be[next + 8];
    const b5 = be[next + 9];
    const b6 = be[next + 12];
    const b7 = be[next + 13];
    const b8 = be[next + 16];
    // closed tags: O, L-x, U-x, each before any opening tag (9 terms at SUCC_OFF[p])
    for (let k = 0; k < 9; k++) {
      const p = CLOSED_T[k];
      const q = SUCC_OFF[p];
      be[base + p] = Math.max(
        Math.max(Math.max(NEG, ts[q] + e0 + b0), Math.max(ts[q + 1] + e1 + b1, ts[q + 2] + e2 + b2)),
        Math.max(Math.max(ts[q + 3] + e3 + b3, ts[q + 4] + e4 + b4), Math.max(ts[q + 5] + e5 + b5, ts[q + 6] + e6 + b6)),
        Math.max(ts[q + 7] + e7 + b7, ts[q + 8] + e8 + b8),
      );
    }
    // B-x and I-x before I-x or L-x
    for (let x = 0; x < 4; x++) {
      const ti = next + 2 + 4 * x;
      const ei = em[ti];
      const el = em[ti + 1];
      const bi = be[ti];
      const bl = be[ti + 1];
      const qb = SUCC_OFF[1 + 4 * x];
      const qi = SUCC_OFF[2 + 4 * x];
      be[base + 1 + 4 * x] = Math.max(NEG, ts[qb] + ei + bi, ts[qb + 1] + el + bl);
      be[base + 2 + 4 * x] = Math.max(NEG, ts[qi] + ei + bi, ts[qi + 1] + el + bl);
    }
  }
}
