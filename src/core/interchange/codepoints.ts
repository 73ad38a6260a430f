/**
 * Offsets at the edges. Inside Marginalia every offset is a UTF-16 code unit (a JavaScript string
 * index, what VS Code uses). W3C Web Annotation and brat count Unicode code points, so an emoji
 * (one astral character, two UTF-16 units) counts 1 there and 2 here.
 *
 * Conventions for every interchange format (documented in the report and README):
 * - Positions are over the source text WITHOUT a leading byte-order mark (U+FEFF). VS Code drops the
 *   BOM from `document.getText()`, and the CLI strips it when it reads a file ({@link stripBom}), so
 *   a BOM never shifts a position in the sidecar, in W3C or in brat.
 * - Line endings are counted as they are in the text (CRLF is two characters), as brat's own tools
 *   and W3C position selectors do. Imports compare quotes with line endings normalised
 *   ({@link sameModuloLineEndings}), so a file converted between CRLF and LF re-anchors to the same
 *   text rather than shifting.
 */

/** A leading U+FEFF is not part of the text positions. */
export function stripBom(text: string): { text: string; bom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/**
 * Converts offsets between UTF-16 code units and code points for one text. Construction is O(n);
 * each conversion is O(log a) where a is the number of astral characters (O(1) when there are none).
 */
export class OffsetMap {
  /** UTF-16 index of the high surrogate of each astral character, ascending. */
  private readonly astral: number[] = [];
  readonly unitLength: number;
  readonly codePointLength: number;

  constructor(text: string) {
    this.unitLength = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    this.codePointLength = text.length - this.astral.length;
  }

  /** UTF-16 offset → code-point offset. An offset inside a surrogate pair maps to that character's start. */
  toCodePoint(unit: number): number {
    if (this.astral.length === 0) return clamp(unit, 0, this.unitLength);
    const u = clamp(unit, 0, this.unitLength);
    // Astral characters that start strictly before u each contribute one extra unit.
    const before = lowerBound(this.astral, u);
    // If u points at the low surrogate (astral[before-1] === u-1), the character started before u
    // but did not end: round down to its start.
    if (before > 0 && this.astral[before - 1] === u - 1) return u - 1 - (before - 1);
    return u - before;
  }

  /** Code-point offset → UTF-16 offset. */
  toUnit(codePoint: number): number {
    const cp = clamp(codePoint, 0, this.codePointLength);
    if (this.astral.length === 0) return cp;
    // Find how many astral characters start before code point cp: astral[k] - k is the code-point
    // index of the k-th astral character (ascending), so binary search on that.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.astral[mid] - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }
}

/** 1-based line and column (column in UTF-16 units, 1-based) of offsets in one text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  get lineCount(): number {
    return this.starts.length;
  }
  position(offset: number): { line: number; column: number } {
    const k = upperBound(this.starts, offset) - 1;
    return { line: k + 1, column: offset - this.starts[Math.max(0, k)] + 1 };
  }
  /** UTF-16 offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[clamp(line - 1, 0, this.starts.length - 1)];
  }
}

/** Line-break aware split of [start, end) into fragments that contain no line break (brat discontinuous spans). Empty fragments are dropped. */
export function splitAtLineBreaks(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85) {
      if (i > s) out.push([s, i]);
      s = i + 1;
    }
  }
  if (end > s) out.push([s, end]);
  return out;
}

export function normalizeLineEndings(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

export function sameModuloLineEndings(a: string, b: string): boolean {
  return a === b || normalizeLineEndings(a) === normalizeLineEndings(b);
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

/** First index i with a[i] >= x. */
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with a[i] > x. */
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Maps offsets in a raw text (as an editor holds it: CRLF kept, BOM already dropped) to offsets in
 * its normalised form (`\r\n` → `\n`), which sidecars and exports use. Identity when there is no CR.
 */
export function toNormalizedOffsets(raw: string): (offset: number) => number {
  const removed: number[] = []; // raw index of each \r dropped (those followed by \n)
  for (let i = raw.indexOf('\r'); i !== -1; i = raw.indexOf('\r', i + 1)) {
    if (raw.charCodeAt(i + 1) === 10) removed.push(i);
  }
  if (removed.length === 0) return (o) => o;
  return (o) => {
    let lo = 0;
    let hi = removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (removed[mid] < o) lo = mid + 1;
      else hi = mid;
    }
    return o - lo;
  };
}
