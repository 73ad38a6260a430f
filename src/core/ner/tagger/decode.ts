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

/** Scratch buffers reused across calls (grow as needed). */
let alpha = new Float64Array(0);
let beta = new Float64Array(0);
let back = new Int32Array(0);

function ensure(n: number): void {
  if (alpha.length < n) {
    const cap = Math.max(n, alpha.length * 2, 1024);
    alpha = new Float64Array(cap);
    beta = new Float64Array(cap);
    back = new Int32Array(cap);
  }
}

/**
 * Best tag sequence for `n` tokens. Writes tags to `out[outAt ... outAt + n)`; returns the path score.
 */
export function viterbi(em: ArrayLike<number>, n: number, T: number, trans: ArrayLike<number>, start: ArrayLike<number>, end: ArrayLike<number>, out: Uint8Array, outAt = 0): number {
  if (n === 0) return 0;
  ensure(n * T);
  for (let t = 0; t < T; t++) alpha[t] = AL_START[t] ? start[t] + em[t] : NEG;
  for (let i = 1; i < n; i++) {
    const base = i * T;
    const prev = base - T;
    for (let t = 0; t < T; t++) {
      let best = NEG;
      let arg = 0;
      for (let q = PRED_OFF[t], qe = PRED_OFF[t + 1]; q < qe; q++) {
        const p = PRED[q];
        const s = alpha[prev + p] + trans[p * T + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      alpha[base + t] = best + em[base + t];
      back[base + t] = arg;
    }
  }
  const last = (n - 1) * T;
  let best = NEG;
  let arg = 0;
  for (let t = 0; t < T; t++) {
    if (!AL_END[t]) continue;
    const s = alpha[last + t] + end[t];
    if (s > best) {
      best = s;
      arg = t;
    }
  }
  out[outAt + n - 1] = arg;
  for (let i = n - 1; i > 0; i--) {
    arg = back[i * T + arg];
    out[outAt + i - 1] = arg;
  }
  return best;
}

/**
 * Max-marginals after a {@link viterbi} call with the same arguments: `mm[i * T + t]` = score of
 * the best path that tags token i with t. Returns a new Float64Array.
 */
export function maxMarginals(em: ArrayLike<number>, n: number, T: number, trans: ArrayLike<number>, end: ArrayLike<number>): Float64Array {
  ensure(n * T);
  const last = (n - 1) * T;
  for (let t = 0; t < T; t++) beta[last + t] = AL_END[t] ? end[t] : NEG;
  for (let i = n - 2; i >= 0; i--) {
    const base = i * T;
    const next = base + T;
    for (let p = 0; p < T; p++) {
      let best = NEG;
      for (let q = SUCC_OFF[p], qe = SUCC_OFF[p + 1]; q < qe; q++) {
        const t = SUCC[q];
        const s = trans[p * T + t] + em[next + t] + beta[next + t];
        if (s > best) best = s;
      }
      beta[base + p] = best;
    }
  }
  const mm = new Float64Array(n * T);
  for (let k = 0; k < n * T; k++) mm[k] = alpha[k] + beta[k];
  return mm;
}
