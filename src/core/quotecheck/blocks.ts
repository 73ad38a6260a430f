/**
 * From 3-gram hits to alignment blocks (maximal runs of equal words on each diagonal), and from an
 * alignment's raw operations to the word diff shown to the user.
 */
import { STATUS_ORDER, type AlignDoc, type AlignQuote, type Block, type RawOp } from './align';
import type { DiffOp } from './quoteIndex';

/** Maximal runs of equal words on each diagonal, grown from the 3-gram hits (`hits`: k, pos pairs). */
export function blocksOf(q: AlignQuote, doc: AlignDoc, hits: number[]): Block[] {
  const m = hits.length / 2;
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  const diag = (i: number) => hits[2 * i + 1] - hits[2 * i];
  // Hits whose words differ (a hash collision) are dropped.
  const verified = Array.from(order).filter((i) => {
    const k = hits[2 * i];
    const p = hits[2 * i + 1];
    return p + 2 < doc.ids.length && q.ids[k] === doc.ids[p] && q.ids[k + 1] === doc.ids[p + 1] && q.ids[k + 2] === doc.ids[p + 2];
  });
  const sorted = verified.sort((x, y) => diag(x) - diag(y) || hits[2 * x] - hits[2 * y]);
  const blocks: Block[] = [];
  const sameSeg = (k: number) => q.itemOf[k + 1] - q.itemOf[k] === 1; // words k and k+1 adjacent (no mark between)
  let i = 0;
  while (i < sorted.length) {
    const d = diag(sorted[i]);
    let k0 = hits[2 * sorted[i]];
    let k1 = k0 + 3;
    let j = i + 1;
    while (j < sorted.length && diag(sorted[j]) === d && hits[2 * sorted[j]] <= k1 && sameRun(q, k1 - 1, hits[2 * sorted[j]])) {
      k1 = Math.max(k1, hits[2 * sorted[j]] + 3);
      j++;
    }
    // Grow to the maximal run.
    while (k0 > 0 && k0 + d > 0 && sameSeg(k0 - 1) && q.ids[k0 - 1] >= 0 && q.ids[k0 - 1] === doc.ids[k0 - 1 + d]) k0--;
    while (k1 < q.ids.length && k1 + d < doc.ids.length && sameSeg(k1 - 1) && q.ids[k1] >= 0 && q.ids[k1] === doc.ids[k1 + d]) k1++;
    const last = blocks[blocks.length - 1];
    if (!last || last.q0 !== k0 || last.s0 !== k0 + d) blocks.push({ q0: k0, q1: k1, s0: k0 + d });
    else last.q1 = Math.max(last.q1, k1);
    i = j;
  }
  return blocks;
}

/** True when every quotation word from `a` to `b` follows the previous with no mark between. */
function sameRun(q: AlignQuote, a: number, b: number): boolean {
  for (let k = Math.min(a, b); k < Math.max(a, b); k++) if (q.itemOf[k + 1] - q.itemOf[k] !== 1) return false;
  return true;
}

export function renderDiff(rawOps: RawOp[], quoteText: string, sourceText: string): DiffOp[] {
  // Within a run of changes with the same mark, the passage's words first, then the quotation's
  // (`-{and we are} +{faster than}` rather than alternating single words).
  const ops: RawOp[] = [];
  for (let i = 0; i < rawOps.length; ) {
    const o = rawOps[i];
    if (o.op === 'equal') {
      ops.push(o);
      i++;
      continue;
    }
    let j = i;
    while (j < rawOps.length && rawOps[j].op !== 'equal' && rawOps[j].mark === o.mark) j++;
    const run = rawOps.slice(i, j);
    for (const x of run) if (x.op === 'delete') ops.push(x);
    for (const x of run) if (x.op === 'insert') ops.push(x);
    i = j;
  }
  const out: DiffOp[] = [];
  let prev: RawOp | undefined;
  let cur: { op: RawOp['op']; mark?: RawOp['mark']; start: number; end: number } | undefined;
  const flush = () => {
    if (!cur) return;
    const text = (cur.op === 'delete' ? sourceText : quoteText).slice(cur.start, cur.end);
    out.push(cur.mark ? { op: cur.op, text, mark: cur.mark } : { op: cur.op, text });
    cur = undefined;
  };
  for (const o of ops) {
    const contiguous =
      cur && prev && cur.op === o.op && cur.mark === o.mark && o.start >= cur.end && (o.op !== 'equal' || (prev.sEnd !== undefined && prev.sEnd === o.sStart));
    if (contiguous && cur) cur.end = o.end;
    else {
      flush();
      cur = { op: o.op, mark: o.mark, start: o.start, end: o.end };
    }
    prev = o;
  }
  flush();
  return out;
}

export { STATUS_ORDER };
