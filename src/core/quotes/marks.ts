/**
 * Quotation marks inside one paragraph ("unit"): which characters open or close a quotation,
 * which are apostrophes, and how they pair. Everything is local to the unit, so an unbalanced mark
 * never reaches past the paragraph.
 *
 * Families: double (“ ” „ ‟ "), guillemet (« »), single (‘ ’ ‚ ' ‹ ›). Within a family the marks
 * pair loosely (a “ may close with a stray " in sloppy copy). Apostrophes (we’d, Israel’s, the ’90s,
 * rock ’n’ roll, students’) never open a quotation, and close one only when a single quotation is
 * open and the mark stands at a word end.
 */

export interface Segment {
  /** Offset of the opening mark (relative to the unit). */
  start: number;
  /** Offset just past the closing mark, or the unit's trimmed end when left open. */
  end: number;
  /** The opening mark. */
  open: string;
  /** False when the quotation runs to the end of the unit without a closing mark. */
  closed: boolean;
  /** Nesting depth (0 = outermost). */
  depth: number;
  /** Index (in the returned array) of the enclosing segment. */
  parent?: number;
}

type Family = 'D' | 'G' | 'S';

const FAMILIES: readonly Family[] = ['D', 'G', 'S'];

/**
 * Open quotation marks kept at once (nesting depth). Real text nests three or four deep; past this,
 * further opening marks are ignored, which bounds the per-quotation work of the analysis
 * (each character lies inside at most this many quotations).
 */
export const MAX_DEPTH = 32;

interface Open {
  pos: number;
  ch: string;
  family: Family;
}

const ELISIONS = /^(?:em|til|till|cause|cos|cuz|n|tis|twas|bout|round|nother|kay|sup|ol|ello|ere)\b/i;

function isWord(c: string | undefined): boolean {
  if (c === undefined || c === '') return false;
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122);
  return /[\p{L}\p{N}]/u.test(c);
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || c === '' || /\s/u.test(c);
}

/** An opening context: start of text, whitespace, or an opening bracket/dash/other quotation mark. */
function openerBefore(c: string | undefined): boolean {
  return isSpace(c) || /[([{\u2014\u2015\u2013\-/“‘„‚«‹"'>:]/.test(c as string);
}

function digitsAfter(u: string, i: number): boolean {
  return /^\d\d?s?\b/.test(u.slice(i + 1, i + 5));
}

/**
 * The marks open so far, innermost last, and the segments closed so far. Per family, the stack
 * indices of its open marks (ascending): the innermost open mark of a family in O(1), so a long run
 * of one family's marks over another's open ones stays linear.
 */
class MarkStack {
  readonly stack: Open[] = [];
  readonly segs: Segment[] = [];
  private readonly byFamily: Record<Family, number[]> = { D: [], G: [], S: [] };

  open(pos: number, ch: string, family: Family): void {
    if (this.stack.length >= MAX_DEPTH) return; // nested absurdly deep: further opening marks are text
    this.byFamily[family].push(this.stack.length);
    this.stack.push({ pos, ch, family });
  }

  /** Closes the open mark at stack index `idx` with a mark ending at `endPos`. */
  closeTo(idx: number, endPos: number): void {
    const o = this.stack[idx];
    this.stack.length = idx; // opens above it were never closed: drop them
    for (const f of FAMILIES) {
      const a = this.byFamily[f];
      while (a.length > 0 && a[a.length - 1] >= idx) a.pop();
    }
    this.segs.push({ start: o.pos, end: endPos, open: o.ch, closed: true, depth: idx });
  }

  /** Stack index of the innermost open mark of the family, or -1. */
  findOpen(f: Family): number {
    const a = this.byFamily[f];
    return a.length > 0 ? a[a.length - 1] : -1;
  }

  /** The opening character of the mark at stack index `k`. */
  chAt(k: number): string {
    return this.stack[k].ch;
  }
}

/** Pairs the quotation marks of one unit. Segments come out ordered by start. */
export function pairMarks(u: string): Segment[] {
  const marks = new MarkStack();
  const MARK = /[“”„‟"«»‘’‚'‹›`]/g;
  for (let mm = MARK.exec(u); mm; mm = MARK.exec(u)) {
    const i = mm.index;
    let c = mm[0];
    let len = 1;
    // `''` and the TeX-style pair `` … '' stand for a double mark
    if ((c === "'" && u[i + 1] === "'") || (c === '`' && u[i + 1] === '`')) {
      c = '"';
      len = 2;
      MARK.lastIndex = i + 2;
    } else if (c === '`') {
      continue;
    }
    const prev = i > 0 ? u[i - 1] : '';
    const next = i + len < u.length ? u[i + len] : '';
    if (c === "'" || c === '’' || c === '‘' || c === '‚') singleMark(marks, u, c, i, prev, next);
    else doubleOrAngleMark(marks, c, i, len, prev, next);
  }
  closeLeftOpen(marks, u);
  const segs = marks.segs;
  segs.sort((a, b) => a.start - b.start || b.end - a.end);
  nestByContainment(segs);
  return dropOverlapping(segs);
}

/** A double mark (“ ” „ ‟ "), a guillemet (« ») or an angle single mark (‹ ›): opens, closes or is text. */
function doubleOrAngleMark(marks: MarkStack, c: string, i: number, len: number, prev: string, next: string): void {
  switch (c) {
    case '“': {
      const k = marks.findOpen('D');
      if (k >= 0 && (marks.chAt(k) === '„' || (!isSpace(prev) && (isSpace(next) || /[.,;:!?)]/.test(next))))) marks.closeTo(k, i + 1);
      else marks.open(i, c, 'D');
      break;
    }
    case '„':
    case '‟':
      marks.open(i, c, 'D');
      break;
    case '”': {
      const k = marks.findOpen('D');
      if (k >= 0) marks.closeTo(k, i + 1);
      else if (openerBefore(prev) && (isWord(next) || /[.…'‘]/.test(next))) marks.open(i, c, 'D'); // ”Typo-opened
      break;
    }
    case '"': {
      const k = marks.findOpen('D');
      if (k >= 0) {
        marks.closeTo(k, i + len);
      } else if (!isSpace(next) && !(isWord(prev) && /\d/.test(prev))) {
        // Right-flanking only (`foo," and`) with nothing open is a stray closer; a digit before is an inch mark.
        if (!(isWord(prev) || /[.,;!?]/.test(prev)) || openerBefore(prev)) marks.open(i, c, 'D');
      }
      break;
    }
    case '«':
      marks.open(i, c, 'G');
      break;
    case '»': {
      const k = marks.findOpen('G');
      if (k >= 0) marks.closeTo(k, i + 1);
      break;
    }
    case '‹':
      marks.open(i, c, 'S');
      break;
    case '›': {
      const k = marks.findOpen('S');
      if (k >= 0 && marks.chAt(k) === '‹') marks.closeTo(k, i + 1);
      break;
    }
  }
}

/** A single mark (‚ ‘ ’ '): opens, closes, or is an apostrophe. */
function singleMark(marks: MarkStack, u: string, c: string, i: number, prev: string, next: string): void {
  switch (c) {
    case '‚':
      if (!isWord(prev)) marks.open(i, c, 'S');
      break;
    case '‘': {
      const k = marks.findOpen('S');
      if (k >= 0 && marks.chAt(k) === '‚') marks.closeTo(k, i + 1);
      else if (isWord(prev)) {
        // mis-curled apostrophe inside a word (don‘t) — or a closer written with the wrong mark
        if (k >= 0 && !isWord(next)) marks.closeTo(k, i + 1);
      } else if (digitsAfter(u, i)) {
        // ‘90s
      } else if (!isSpace(next)) marks.open(i, c, 'S');
      break;
    }
    case '’': {
      if (isWord(prev) && isWord(next)) break; // we’d, Israel’s
      if (!isWord(prev) && !/[.,;:!?…)\]”"'’]/.test(prev)) break; // ’90s, ’n’, ’em: never opens
      const k = marks.findOpen('S');
      if (k >= 0 && marks.chAt(k) !== '‚') marks.closeTo(k, i + 1);
      break; // students’ when nothing is open
    }
    case "'": {
      if (isWord(prev) && isWord(next)) break; // don't, O'Brien
      const k = marks.findOpen('S');
      if (openerBefore(prev) && !isSpace(next)) {
        const rest = u.slice(i + 1, i + 8);
        if (ELISIONS.test(rest) || digitsAfter(u, i)) break; // 'em, 'til, '90s
        if (k >= 0 && marks.stack[k].pos === i - 1) break;
        marks.open(i, c, 'S');
        break;
      }
      if (k >= 0 && !isSpace(prev)) marks.closeTo(k, i + 1);
      break; // students' when nothing is open
    }
  }
}

/**
 * Left open at the unit end: the outermost double/guillemet runs to the end (news convention
 * for quotations continued in the next paragraph); single marks left open are dropped.
 */
function closeLeftOpen(marks: MarkStack, u: string): void {
  for (let k = 0; k < marks.stack.length; k++) {
    const o = marks.stack[k];
    if (o.family === 'S') continue;
    let end = u.length;
    while (end > o.pos + 1 && /\s/.test(u[end - 1])) end--;
    marks.segs.push({ start: o.pos, end, open: o.ch, closed: false, depth: 0 });
    break;
  }
}

/** Recompute depth and parent from containment (robust to the drop rules above); `segs` sorted by start. */
function nestByContainment(segs: Segment[]): void {
  const chain: number[] = [];
  segs.forEach((s, idx) => {
    while (chain.length > 0 && segs[chain[chain.length - 1]].end <= s.start) chain.pop();
    if (chain.length > 0) {
      const p = chain[chain.length - 1];
      if (segs[p].end >= s.end) {
        s.parent = p;
        s.depth = segs[p].depth + 1;
      } else {
        s.depth = 0;
      }
    } else {
      s.depth = 0;
    }
    chain.push(idx);
  });
}

/**
 * Segments that overlap without nesting (sloppy marks) are dropped, keeping the earlier one.
 * (`topEnd`: the furthest end of the outermost segments kept so far, so each test is O(1).)
 */
function dropOverlapping(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  const remap = new Map<number, number>();
  let topEnd = -1;
  segs.forEach((s, idx) => {
    if (s.parent !== undefined && !remap.has(s.parent)) return;
    if (s.parent === undefined && topEnd > s.start) return;
    remap.set(idx, out.length);
    out.push({ ...s, parent: s.parent !== undefined ? remap.get(s.parent) : undefined });
    if (s.parent === undefined && s.end > topEnd) topEnd = s.end;
  });
  return out;
}

/** Does this unit start (after blanks and a `> ` prefix) with an opening double quotation mark? */
export function opensWithQuote(u: string): boolean {
  const m = /^[\s>]*(["“„«”])/.exec(u);
  return m !== null;
}
