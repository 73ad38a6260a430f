/**
 * Word-level alignment of one quotation with one indexed passage, and the status it implies.
 *
 * Input: the quotation's items (words, ellipses, brackets; see `parseQuotation`) with word ids, the
 * passage's word ids, and the passage's exact-match blocks (maximal runs of equal words, found by the
 * index from shared 3-grams). Three steps:
 *  1. **Chain** the blocks (dynamic programming over the blocks in quotation order): covered words
 *     score, each transition costs — nothing when the next block follows in both texts, the unmatched
 *     words for a small local edit, almost nothing for an in-order jump at an ellipsis, and a fixed
 *     `SPLICE_COST` for a jump without a mark (elsewhere in the passage, or backwards).
 *  2. **Align the gaps** between chained blocks, and the words before the first and after the last,
 *     with a small edit-distance alignment (match 0, insert/delete/substitute 1) in which a bracketed
 *     item matches any run of passage words (a marked change). At the edges the passage side is
 *     open (what lies beyond the last matched word was cropped, not deleted). Segments cut off by
 *     ellipses that are too short for a 3-gram of their own (`And despite [his] disdain … PACs`)
 *     are looked for near their neighbours (`placeSegments`); the words they skip are omissions.
 *  3. **Classify** (`classify`): see the rules there.
 *
 * Why our own alignment instead of the `diff` package: the sequences are short (a quotation's words,
 * gaps of a few words), we need wildcards for brackets and open ends for crops, and we need the
 * positions on both sides — a small DP does exactly that, with no dependency in the core.
 */
import type { QuoteItem } from './quotation';
import { BRACKET_SPAN, LOCAL, alignGap, dropOpenEnd, gapItems, hasBracket, placeSegments, segmentsOf, wordsIn, type GapItem, type GapResult, type Placed } from './gaps';

export type QuoteStatus = 'verbatim' | 'marked-edit' | 'altered' | 'spliced' | 'unmatched';

/** Worst first: the order `--check` and summaries use. */
export const STATUS_ORDER: readonly QuoteStatus[] = ['spliced', 'altered', 'marked-edit', 'verbatim', 'unmatched'];

/** One operation of a word diff from the passage to the quotation: `insert` = words only in the quotation, `delete` = passage words left out. */
export interface RawOp {
  op: 'equal' | 'insert' | 'delete';
  /** Offsets in the quotation's text (equal, insert) or the passage's text (delete). */
  start: number;
  end: number;
  /** Words of the passage an `equal` run covers (for locations). */
  sStart?: number;
  sEnd?: number;
  /** A marked edit: an omission at an ellipsis, or a change in square brackets. */
  mark?: 'ellipsis' | 'bracket';
}

/** A passage as the aligner sees it. */
export interface AlignDoc {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  /** The passage is itself an excerpt (a quotation in another article): words beyond its ends are unknown, not crops or insertions. */
  open: boolean;
}

export interface AlignQuote {
  items: readonly QuoteItem[];
  /** Word ids of the quotation's words (-1: a word no source has). */
  ids: Int32Array;
  /** Index in `items` of each word. */
  itemOf: Int32Array;
}

export interface Block {
  q0: number;
  q1: number;
  s0: number;
}

export interface Alignment {
  status: QuoteStatus;
  /** Quotation words found in the passage, and the quotation's words that were compared. */
  matched: number;
  words: number;
  /** Words inserted, deleted or substituted without a mark. */
  unmarked: number;
  /** Unmarked jumps (parts joined without an ellipsis). */
  splices: number;
  /** Ellipses that stand for omitted words, and brackets. */
  marked: number;
  /** Passage word ranges [s0, s1) of the matched parts, in quotation order. */
  parts: { s0: number; s1: number }[];
  ops: RawOp[];
}

export const SPLICE_COST = 2.5;
const MAX_BLOCKS = 64;

interface GapInfo {
  ellipsis: boolean;
  bracket: boolean;
}

function gapInfo(q: AlignQuote, fromItem: number, toItem: number): GapInfo {
  const g: GapInfo = { ellipsis: false, bracket: false };
  for (let i = fromItem; i < toItem; i++) {
    const k = q.items[i].kind;
    if (k === 'ellipsis') g.ellipsis = true;
    else if (k === 'bracket') g.bracket = true;
  }
  return g;
}

/** The items strictly between word `a - 1` and word `b` (a, b word indices; a = 0 is the start, b = n the end). */
function itemRange(q: AlignQuote, a: number, b: number): [number, number] {
  const from = a === 0 ? 0 : q.itemOf[a - 1] + 1;
  const to = b >= q.ids.length ? q.items.length : q.itemOf[b];
  return [from, to];
}

function transitionCost(q: AlignQuote, q1: number, s1: number, q0: number, s0: number): number {
  const qgap = q0 - q1;
  const sgap = s0 - s1;
  const [from, to] = itemRange(q, q1, q0);
  const g = gapInfo(q, from, to);
  if (g.ellipsis) return sgap >= 0 ? qgap + 0.01 * Math.log2(1 + sgap) : SPLICE_COST + qgap;
  const span = LOCAL + (g.bracket ? BRACKET_SPAN : 0);
  if (sgap >= 0 && sgap <= span && qgap <= LOCAL) return g.bracket ? qgap * 0.5 + 0.1 : Math.max(qgap, sgap);
  return SPLICE_COST + qgap;
}

/** The best chain of blocks (see the module comment), trimmed so that they do not overlap in the quotation. */
export function chainBlocks(q: AlignQuote, blocks: readonly Block[]): Block[] {
  if (blocks.length === 0) return [];
  let bs = [...blocks];
  if (bs.length > MAX_BLOCKS) bs = bs.sort((a, b) => b.q1 - b.q0 - (a.q1 - a.q0)).slice(0, MAX_BLOCKS);
  bs.sort((a, b) => a.q0 - b.q0 || a.s0 - b.s0);
  const n = bs.length;
  const score = new Float64Array(n);
  const prev = new Int32Array(n).fill(-1);
  const trim = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const bi = bs[i];
    score[i] = bi.q1 - bi.q0 - 0.001 * bi.q0;
    for (let j = 0; j < i; j++) {
      const bj = bs[j];
      if (bj.q1 >= bi.q1 || bj.q0 >= bi.q0) continue;
      // bj's chain may itself have been trimmed at its start, never at its end. bi is trimmed where it
      // overlaps bj in the quotation, and where it overlaps it in the passage just after bj's start
      // (a repeated word: "did not not immediately" is an insertion, not a jump back).
      const s1j = bj.s0 + (bj.q1 - bj.q0);
      const sOverlap = bi.s0 >= bj.s0 && bi.s0 < s1j ? s1j - bi.s0 : 0;
      const t = Math.max(0, bj.q1 - bi.q0, sOverlap);
      const len = bi.q1 - bi.q0 - t;
      if (len < 1) continue;
      const c = score[j] + len - transitionCost(q, bj.q1, s1j, bi.q0 + t, bi.s0 + t);
      if (c > score[i] + 1e-9) {
        score[i] = c;
        prev[i] = j;
        trim[i] = t;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (score[i] > score[best] + 1e-9) best = i;
  const chain: Block[] = [];
  for (let i = best; i >= 0; i = prev[i]) {
    const t = trim[i];
    chain.push({ q0: bs[i].q0 + t, q1: bs[i].q1, s0: bs[i].s0 + t });
  }
  return chain.reverse();
}

/** What the alignment has found so far, in quotation order. */
class Tally {
  readonly ops: RawOp[] = [];
  matched = 0;
  unmarked = 0;
  splices = 0;
  marked = 0;
  /** Quotation words beyond the ends of an excerpt (not compared). */
  beyond = 0;
  readonly parts: { s0: number; s1: number }[] = [];
  /** Passage word where the current part started. */
  partStart = 0;

  constructor(private readonly q: AlignQuote) {}

  pushEqual(b: Block): void {
    const q = this.q;
    const first = q.items[q.itemOf[b.q0]];
    const last = q.items[q.itemOf[b.q1 - 1]];
    this.ops.push({ op: 'equal', start: first.start, end: last.end, sStart: b.s0, sEnd: b.s0 + (b.q1 - b.q0) });
    this.matched += b.q1 - b.q0;
  }

  addGap(r: GapResult): void {
    for (const o of r.ops) this.ops.push(o);
    this.matched += r.matched;
    this.unmarked += r.unmarked;
    this.marked += r.brackets;
  }

  addPlaced(p: Placed): void {
    for (const o of p.ops) this.ops.push(o);
    this.matched += p.matched;
    this.unmarked += p.unmarked;
    this.marked += p.brackets + p.marked;
    this.beyond += p.beyond;
    for (const x of p.parts) this.parts.push(x);
  }
}

/** How many passage words a gap's items may be looked for in. */
function spanOf(g: GapItem[]): number {
  return wordsIn(g) + 3 + (hasBracket(g) ? BRACKET_SPAN : 0);
}

/**
 * Aligns the quotation with a passage along the best chain of `blocks`; null when there is none.
 */
export function align(q: AlignQuote, doc: AlignDoc, blocks: readonly Block[]): Alignment | null {
  const chain = chainBlocks(q, blocks);
  if (chain.length === 0) return null;
  const nWords = q.ids.length;
  const t = new Tally(q);
  alignHead(q, doc, chain[0], t);
  for (let k = 0; k < chain.length; k++) {
    const b = chain[k];
    t.pushEqual(b);
    const bEnd = b.s0 + (b.q1 - b.q0);
    const next = chain[k + 1];
    if (!next) {
      alignTail(q, doc, b, bEnd, t);
      break;
    }
    alignBetween(q, doc, b, bEnd, next, t);
  }
  const words = nWords - t.beyond;
  // Against another source's quotation (an excerpt itself) the overlap must cover at least half of the shorter of the two.
  const need = doc.open ? Math.max(words, Math.min(nWords, doc.ids.length)) : words;
  let longest = 0;
  for (const b of chain) longest = Math.max(longest, b.q1 - b.q0);
  const { matched, unmarked, splices, marked, parts, ops } = t;
  return { status: classify(matched, need, unmarked, splices, marked, longest), matched, words, unmarked, splices, marked, parts, ops };
}

/** Before the first block: the segment next to it, then (backwards) any segments cut off by ellipses. */
function alignHead(q: AlignQuote, doc: AlignDoc, first: Block, t: Tally): void {
  t.partStart = first.s0;
  const [from, to] = itemRange(q, 0, first.q0);
  const segs = segmentsOf(q, from, to);
  const adj = segs.pop()!;
  let adjRes: GapResult | undefined;
  if (adj.length) {
    const s0 = Math.max(0, first.s0 - spanOf(adj));
    if (doc.open && s0 === first.s0) t.beyond += wordsIn(adj);
    else {
      // An excerpt's first words are all there is: align with all of them, then drop what lies before.
      adjRes = alignGap(q, doc, adj, s0, first.s0, doc.open && s0 === 0 ? 'global' : 'head');
      if (doc.open && adjRes.s0 === 0) t.beyond += dropOpenEnd(adjRes, 'head');
      t.partStart = Math.min(t.partStart, adjRes.s0);
    }
  }
  if (segs.some((g) => g.length)) t.addPlaced(placeSegments(q, doc, segs, 0, t.partStart, 'backward'));
  if (adjRes) t.addGap(adjRes);
}

/** After the last block (ending at passage word `bEnd`): the segment next to it, then any segments cut off by ellipses. */
function alignTail(q: AlignQuote, doc: AlignDoc, b: Block, bEnd: number, t: Tally): void {
  const [from, to] = itemRange(q, b.q1, q.ids.length);
  const segs = segmentsOf(q, from, to);
  const adj = segs.shift()!;
  let partEnd = bEnd;
  if (adj.length) {
    const s1 = Math.min(doc.ids.length, bEnd + spanOf(adj));
    if (doc.open && s1 === bEnd) t.beyond += wordsIn(adj);
    else {
      const r = alignGap(q, doc, adj, bEnd, s1, doc.open && s1 === doc.ids.length ? 'global' : 'tail');
      if (doc.open && r.s1 === doc.ids.length) t.beyond += dropOpenEnd(r, 'tail');
      t.addGap(r);
      partEnd = Math.max(partEnd, r.s1);
    }
  }
  t.parts.push({ s0: t.partStart, s1: partEnd });
  if (segs.some((g) => g.length)) t.addPlaced(placeSegments(q, doc, segs, partEnd, doc.ids.length, 'forward'));
}

/** The gap between block `b` (ending at passage word `bEnd`) and the next: an omission, a local edit or a splice. */
function alignBetween(q: AlignQuote, doc: AlignDoc, b: Block, bEnd: number, next: Block, t: Tally): void {
  const [from, to] = itemRange(q, b.q1, next.q0);
  const sgap = next.s0 - bEnd;
  const gi = gapInfo(q, from, to);
  const g = gapItems(q, from, to);
  if (gi.ellipsis && sgap >= 0) {
    alignOmission(q, doc, from, to, bEnd, next, t);
    return;
  }
  const span = LOCAL + (gi.bracket ? BRACKET_SPAN : 0);
  if (!gi.ellipsis && sgap >= 0 && sgap <= span && wordsIn(g) <= LOCAL) {
    t.addGap(alignGap(q, doc, g, bEnd, next.s0, 'global'));
    return;
  }
  // A jump without a mark (or backwards across an ellipsis): a splice. The gap's items join the parts as they can.
  t.splices++;
  if (g.length) {
    const r = alignGap(q, doc, g, bEnd, Math.min(doc.ids.length, bEnd + wordsIn(g) + 3), 'tail');
    t.addGap(r);
    t.parts.push({ s0: t.partStart, s1: Math.max(bEnd, r.s1) });
  } else t.parts.push({ s0: t.partStart, s1: bEnd });
  t.partStart = next.s0;
}

/**
 * An omission (items `from .. to` hold an ellipsis, and the next block lies ahead in the passage):
 * the segment before the first ellipsis continues this part, the one after the last leads into the
 * next; segments between ellipses are placed in between.
 */
function alignOmission(q: AlignQuote, doc: AlignDoc, from: number, to: number, bEnd: number, next: Block, t: Tally): void {
  const segs = segmentsOf(q, from, to);
  const left = segs.shift()!;
  const right = segs.pop()!;
  let leftEnd = bEnd;
  let leftRes: GapResult | undefined;
  if (left.length) {
    leftRes = alignGap(q, doc, left, bEnd, Math.min(next.s0, bEnd + spanOf(left)), 'tail');
    leftEnd = leftRes.s1;
  }
  let rightStart = next.s0;
  let rightRes: GapResult | undefined;
  if (right.length) {
    rightRes = alignGap(q, doc, right, Math.max(leftEnd, next.s0 - spanOf(right)), next.s0, 'head');
    rightStart = rightRes.s0;
  }
  if (leftRes) t.addGap(leftRes);
  t.parts.push({ s0: t.partStart, s1: leftEnd });
  let cur = leftEnd;
  if (segs.some((x) => x.length)) {
    const placed = placeSegments(q, doc, segs, leftEnd, rightStart, 'forward');
    t.addPlaced(placed);
    cur = placed.cur;
  }
  if (rightStart > cur) {
    t.ops.push({ op: 'delete', start: doc.starts[cur], end: doc.ends[rightStart - 1], mark: 'ellipsis' });
    t.marked++;
  }
  if (rightRes) t.addGap(rightRes);
  t.partStart = rightStart;
}

/**
 * The rules:
 * - `unmatched`: fewer than 3 words found, or fewer than `MIN_COVERAGE` (half) of the quotation's
 *   words; and unless every word was found, weak evidence — no run of `STRONG_RUN` (5) words in a
 *   row and fewer than 4 words or `STRONG_COVERAGE` (three quarters) found — is unmatched too (a
 *   short quotation sharing a common phrase, `It was the …`, is another sentence, not an alteration);
 * - `spliced`: parts that are not adjacent in the passage (elsewhere, or in another order) joined
 *   without an ellipsis — or put out of order across one;
 * - `altered`: words inserted, deleted or substituted without a mark;
 * - `marked-edit`: only omissions at ellipses and changes in brackets;
 * - `verbatim`: the words appear contiguously (after normalisation; an ellipsis that omits nothing
 *   does not count).
 */
export function classify(matched: number, words: number, unmarked: number, splices: number, marked: number, longest = Infinity): QuoteStatus {
  if (matched < 3 || matched < MIN_COVERAGE * words) return 'unmatched';
  if (matched < words && longest < STRONG_RUN && (matched < 4 || matched < STRONG_COVERAGE * words)) return 'unmatched';
  if (splices > 0) return 'spliced';
  if (unmarked > 0) return 'altered';
  if (marked > 0) return 'marked-edit';
  return 'verbatim';
}

export const STRONG_RUN = 5;
export const STRONG_COVERAGE = 0.75;
export const MIN_COVERAGE = 0.5;
