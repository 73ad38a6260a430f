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
  for (let i = 1; i < n; i++) {
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
 * the best path that tags token i with t. The returned array is reused by the next call.
 */
export function maxMarginals(em: Float32Array | Float64Array, n: number, T: number, trans: Float32Array | Float64Array, end: Float32Array | Float64Array, ordered?: OrderedTransitions): Float64Array {
  ensure(n * T);
  const ts = (ordered ?? orderTransitions(trans, T, orderScratch)).succ;
  const al = alpha;
  const be = beta;
  const so = SUCC_OFF;
  const su = SUCC;
  const last = (n - 1) * T;
  for (let t = 0; t < T; t++) be[last + t] = AL_END[t] ? end[t] : NEG;
  for (let i = n - 2; i >= 0; i--) {
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
  for (let k = 0; k < n * T; k++) be[k] += al[k];
  return be;
}
