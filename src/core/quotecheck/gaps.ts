/**
 * The second step of the alignment (see align.ts): aligning the words between chained blocks, and
 * before the first and after the last, with a small edit distance in which a bracket matches a run
 * of passage words; and placing the short segments between ellipses near their neighbours.
 */
import type { AlignDoc, AlignQuote, RawOp } from './align';

/** Gaps up to this many words on either side are local edits, not jumps. */
export const LOCAL = 6;
/** A bracket may stand for up to this many passage words. */
export const BRACKET_SPAN = 12;

export type GapItem = { word: number; item: number } | { bracket: number };

export interface GapResult {
  ops: RawOp[];
  matched: number;
  unmarked: number;
  brackets: number;
  /** Passage words consumed [s0, s1) (at open edges only the part up to the last match). */
  s0: number;
  s1: number;
}

type GapMode = 'global' | 'tail' | 'head' | 'first' | 'last';

/** The edit-distance table of one gap: `D` costs, `B` back-pointers, `A` where a bracket's run started. */
interface Table {
  q: AlignQuote;
  doc: AlignDoc;
  /** The items in alignment order (reversed for 'head'). */
  Q: GapItem[];
  n: number;
  /** Passage words in the window, and the row width. */
  m: number;
  W: number;
  rev: boolean;
  /** Both passage ends open ('first' / 'last'). */
  local: boolean;
  s0: number;
  s1: number;
  D: Float64Array;
  /** 1 match/sub, 2 insert (quote item alone), 3 delete (passage word alone), 4 bracket absorbs */
  B: Int8Array;
  A: Int32Array;
}

/** One step of the backtracked alignment. */
type Step = { kind: 'eq' | 'ins' | 'del' | 'sub' | 'br'; qi?: number; sj?: number; sFrom?: number; sTo?: number };

/**
 * Aligns quotation items (words and brackets) with passage words `ids[s0..s1)`.
 * mode 'global': both ends fixed; 'tail': the passage's end is open (words after the last aligned one
 * are cropped); 'head': its start is open.
 */
export function alignGap(q: AlignQuote, doc: AlignDoc, gap: GapItem[], s0: number, s1: number, mode: GapMode): GapResult {
  const t = newTable(q, doc, gap, s0, s1, mode);
  // At an open edge a match is worth skipping up to two passage words for (`without a [single
  // concrete] proposal`); beyond that the quotation's word is an insertion and the rest was cropped.
  const matchCost = mode === 'global' || t.local ? 0 : -1.1;
  for (let i = 1; i <= t.n; i++) {
    const it = t.Q[i - 1];
    if ('bracket' in it) fillBracketRow(t, i, it.bracket);
    else fillWordRow(t, i, t.q.ids[it.word], matchCost);
  }
  const endJ = bestEnd(t, mode);
  const { steps, j } = backtrack(t, endJ);
  return gapResult(t, steps, endJ, j);
}

/** The passage word id at position `j` of the window in alignment order. */
function sId(t: Table, j: number): number {
  return t.doc.ids[t.rev ? t.s1 - 1 - j : t.s0 + j];
}

function newTable(q: AlignQuote, doc: AlignDoc, gap: GapItem[], s0: number, s1: number, mode: GapMode): Table {
  const rev = mode === 'head';
  // 'first' / 'last': find the items anywhere in the window (both passage ends open), the earliest or latest best place.
  const local = mode === 'first' || mode === 'last';
  const Q = rev ? [...gap].reverse() : gap;
  const m = s1 - s0;
  const n = Q.length;
  const W = m + 1;
  const D = new Float64Array((n + 1) * W).fill(Infinity);
  const B = new Int8Array((n + 1) * W);
  const A = new Int32Array((n + 1) * W);
  D[0] = 0;
  for (let j = 1; j <= m; j++) {
    D[j] = local ? 0 : j;
    B[j] = local ? 0 : 3;
  }
  return { q, doc, Q, n, m, W, rev, local, s0, s1, D, B, A };
}

/** Row `i` for a bracket: it stands for any run of passage words; a run as long as its own text is preferred. */
function fillBracketRow(t: Table, i: number, bracket: number): void {
  const { D, B, A, W, m } = t;
  const row = i * W;
  const up = (i - 1) * W;
  const bw = Math.max(1, (t.q.items[bracket] as { text: string }).text.split(/\s+/).filter(Boolean).length);
  for (let j = 0; j <= m; j++) {
    let bestV = Infinity;
    let bestK = 0;
    for (let k = Math.max(0, j - BRACKET_SPAN - bw); k <= j; k++) {
      const v = D[up + k] + 0.01 * Math.abs(j - k - bw);
      if (v < bestV) {
        bestV = v;
        bestK = k;
      }
    }
    D[row + j] = bestV;
    B[row + j] = 4;
    A[row + j] = bestK;
  }
}

/** Row `i` for a word (id `qid`): match or substitute, insert, delete. */
function fillWordRow(t: Table, i: number, qid: number, matchCost: number): void {
  const { D, B, W, m } = t;
  const row = i * W;
  const up = (i - 1) * W;
  D[row] = D[up] + 1;
  B[row] = 2;
  for (let j = 1; j <= m; j++) {
    const diag = D[up + j - 1] + (qid >= 0 && qid === sId(t, j - 1) ? matchCost : 1);
    const ins = D[up + j] + 1;
    const del = D[row + j - 1] + 1;
    let v = diag;
    let b = 1;
    if (ins < v) {
      v = ins;
      b = 2;
    }
    if (del < v) {
      v = del;
      b = 3;
    }
    D[row + j] = v;
    B[row + j] = b;
  }
}

/** Where the alignment ends in the window (in alignment order). */
function bestEnd(t: Table, mode: GapMode): number {
  const { D, n, W, m } = t;
  let endJ = m;
  if (t.local) {
    endJ = 0;
    for (let j = 1; j <= m; j++) {
      const v = D[n * W + j];
      const b = D[n * W + endJ];
      if (v < b - 1e-9 || (mode === 'last' && v <= b + 1e-9)) endJ = j;
    }
  } else if (mode !== 'global') {
    // The cheapest end; on a tie the later one (a changed last word is a substitution, not an insertion and a crop).
    endJ = 0;
    for (let j = 1; j <= m; j++) if (D[n * W + j] <= D[n * W + endJ] + 1e-9) endJ = j;
  }
  return endJ;
}

/** The steps from the table, in text order, and the window position the alignment starts at. */
function backtrack(t: Table, endJ: number): { steps: Step[]; j: number } {
  const { B, A, W, Q, q } = t;
  const steps: Step[] = [];
  let i = t.n;
  let j = endJ;
  while (i > 0 || (j > 0 && !t.local)) {
    const b = B[i * W + j];
    if (i > 0 && b === 4) {
      const k = A[i * W + j];
      steps.push({ kind: 'br', qi: i - 1, sFrom: k, sTo: j });
      i--;
      j = k;
    } else if (i > 0 && j > 0 && b === 1) {
      const it = Q[i - 1] as { word: number };
      steps.push({ kind: q.ids[it.word] >= 0 && q.ids[it.word] === sId(t, j - 1) ? 'eq' : 'sub', qi: i - 1, sj: j - 1 });
      i--;
      j--;
    } else if (i > 0 && (b === 2 || j === 0)) {
      steps.push({ kind: 'ins', qi: i - 1 });
      i--;
    } else {
      steps.push({ kind: 'del', sj: j - 1 });
      j--;
    }
  }
  steps.reverse(); // now in alignment order of Q (reversed text order for 'head')
  if (t.rev) steps.reverse(); // text order
  return { steps, j };
}

/** The ops and counts of the steps; `j`: where a local alignment started in the window. */
function gapResult(t: Table, steps: readonly Step[], endJ: number, j: number): GapResult {
  const { q, doc, Q, rev, s0, s1 } = t;
  const res: GapResult = { ops: [], matched: 0, unmarked: 0, brackets: 0, s0: rev ? s1 - endJ : t.local ? s0 + j : s0, s1: rev ? s1 : s0 + endJ };
  const sPos = (jj: number) => (rev ? s1 - 1 - jj : s0 + jj);
  for (const st of steps) {
    if (st.kind === 'br') {
      const item = q.items[(Q[st.qi!] as { bracket: number }).bracket];
      const a = rev ? s1 - st.sTo! : s0 + st.sFrom!;
      const b = rev ? s1 - st.sFrom! : s0 + st.sTo!;
      if (b > a) res.ops.push({ op: 'delete', start: doc.starts[a], end: doc.ends[b - 1], mark: 'bracket' });
      res.ops.push({ op: 'insert', start: item.start, end: item.end, mark: 'bracket' });
      res.brackets++;
      continue;
    }
    if (st.kind === 'del') {
      const sp = sPos(st.sj!);
      res.ops.push({ op: 'delete', start: doc.starts[sp], end: doc.ends[sp] });
      res.unmarked++;
      continue;
    }
    const item = q.items[(Q[st.qi!] as { word: number; item: number }).item];
    if (st.kind === 'eq') {
      const sp = sPos(st.sj!);
      res.ops.push({ op: 'equal', start: item.start, end: item.end, sStart: sp, sEnd: sp + 1 });
      res.matched++;
    } else if (st.kind === 'sub') {
      const sp = sPos(st.sj!);
      res.ops.push({ op: 'delete', start: doc.starts[sp], end: doc.ends[sp] });
      res.ops.push({ op: 'insert', start: item.start, end: item.end });
      res.unmarked += 2;
    } else {
      res.ops.push({ op: 'insert', start: item.start, end: item.end });
      res.unmarked++;
    }
  }
  return res;
}

/**
 * At the end of an excerpt (another source's quotation), the quotation's words past the excerpt's
 * last word are unknown, not insertions: drops them from `r` and returns how many there were.
 */
export function dropOpenEnd(r: GapResult, side: 'head' | 'tail'): number {
  // The run of unmarked inserts and deletes at that end: as many inserts as deletes are substitutions
  // (the excerpt's words changed); the other inserts lie beyond the excerpt.
  const ops = r.ops;
  const plain = (o: RawOp) => !o.mark && o.op !== 'equal';
  let k = side === 'tail' ? ops.length : 0;
  if (side === 'tail') while (k > 0 && plain(ops[k - 1])) k--;
  else while (k < ops.length && plain(ops[k])) k++;
  const run = side === 'tail' ? ops.slice(k) : ops.slice(0, k);
  const dels = run.filter((o) => o.op === 'delete');
  const ins = run.filter((o) => o.op === 'insert');
  if (ins.length <= dels.length) return 0;
  const keep = side === 'tail' ? ins.slice(0, dels.length) : ins.slice(ins.length - dels.length);
  const dropped = ins.length - keep.length;
  r.ops = side === 'tail' ? [...ops.slice(0, k), ...dels, ...keep] : [...dels, ...keep, ...ops.slice(k)];
  r.unmarked -= dropped;
  return dropped;
}

export function gapItems(q: AlignQuote, fromItem: number, toItem: number): GapItem[] {
  const out: GapItem[] = [];
  for (let i = fromItem; i < toItem; i++) {
    const it = q.items[i];
    if (it.kind === 'word') out.push({ word: wordIndexOfItem(q, i), item: i });
    else if (it.kind === 'bracket') out.push({ bracket: i });
  }
  return out;
}

export function wordIndexOfItem(q: AlignQuote, item: number): number {
  // itemOf is increasing: binary search.
  let lo = 0;
  let hi = q.itemOf.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = q.itemOf[mid];
    if (v === item) return mid;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function hasBracket(g: GapItem[]): boolean {
  return g.some((x) => 'bracket' in x);
}

export function wordsIn(g: GapItem[]): number {
  let n = 0;
  for (const x of g) if ('word' in x) n++;
  return n;
}

/** How far from its neighbour a segment cut off by ellipses is looked for (words). */
const LOCATE_WINDOW = 60;

/** The word and bracket items of items[from, to) split at ellipses: k ellipses give k + 1 segments (some maybe empty). */
export function segmentsOf(q: AlignQuote, from: number, to: number): GapItem[][] {
  const segs: GapItem[][] = [[]];
  for (let i = from; i < to; i++) {
    const it = q.items[i];
    if (it.kind === 'ellipsis') segs.push([]);
    else if (it.kind === 'word') segs[segs.length - 1].push({ word: wordIndexOfItem(q, i), item: i });
    else segs[segs.length - 1].push({ bracket: i });
  }
  return segs;
}

export interface Placed {
  ops: RawOp[];
  matched: number;
  unmarked: number;
  brackets: number;
  /** Omissions (ellipses that left words out). */
  marked: number;
  /** Quotation words past the end of an excerpt. */
  beyond: number;
  parts: { s0: number; s1: number }[];
  /** Where the placement ended: after the last segment (forward), before the first (backward). */
  cur: number;
}

/**
 * Places segments that ellipses separate from their neighbours (too short for a 3-gram of their own)
 * one after the other within passage words [lo, hi): forward from `lo` (each the earliest best match
 * within `LOCATE_WINDOW` words) or backward from `hi`. The words skipped before each are an omission
 * at an ellipsis; a segment not found (under half its words) is inserted words.
 */
export function placeSegments(q: AlignQuote, doc: AlignDoc, segs: GapItem[][], lo: number, hi: number, dir: 'forward' | 'backward'): Placed {
  const out: Placed = { ops: [], matched: 0, unmarked: 0, brackets: 0, marked: 0, beyond: 0, parts: [], cur: dir === 'forward' ? lo : hi };
  const chunks: { ops: RawOp[]; part?: { s0: number; s1: number } }[] = [];
  const order = dir === 'forward' ? segs : [...segs].reverse();
  for (const seg of order) {
    if (!seg.length) continue;
    const w0 = dir === 'forward' ? out.cur : Math.max(lo, out.cur - LOCATE_WINDOW);
    const w1 = dir === 'forward' ? Math.min(hi, out.cur + LOCATE_WINDOW) : out.cur;
    const n = wordsIn(seg);
    const r = w1 > w0 ? alignGap(q, doc, seg, w0, w1, dir === 'forward' ? 'first' : 'last') : undefined;
    if (r && r.s1 > r.s0 && r.matched * 2 >= n && (r.matched > 0 || n === 0)) {
      const gapFrom = dir === 'forward' ? out.cur : r.s1;
      const gapTo = dir === 'forward' ? r.s0 : out.cur;
      const omission: RawOp[] = gapTo > gapFrom ? [{ op: 'delete', start: doc.starts[gapFrom], end: doc.ends[gapTo - 1], mark: 'ellipsis' }] : [];
      if (omission.length) out.marked++;
      chunks.push({ ops: dir === 'forward' ? [...omission, ...r.ops] : [...r.ops, ...omission], part: { s0: r.s0, s1: r.s1 } });
      out.matched += r.matched;
      out.unmarked += r.unmarked;
      out.brackets += r.brackets;
      out.cur = dir === 'forward' ? r.s1 : r.s0;
      continue;
    }
    if (doc.open && w1 === w0) {
      out.beyond += n;
      continue;
    }
    const ops: RawOp[] = [];
    for (const x of seg) {
      if ('word' in x) {
        const it = q.items[x.item];
        ops.push({ op: 'insert', start: it.start, end: it.end });
        out.unmarked++;
      } else {
        const it = q.items[x.bracket];
        ops.push({ op: 'insert', start: it.start, end: it.end, mark: 'bracket' });
        out.brackets++;
      }
    }
    chunks.push({ ops });
  }
  if (dir === 'backward') chunks.reverse();
  for (const c of chunks) {
    for (const o of c.ops) out.ops.push(o);
    if (c.part) out.parts.push(c.part);
  }
  return out;
}
