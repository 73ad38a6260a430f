// Pure: quotations and attributions (reported speech without quotation marks, kind `indirect`) under
// the cursor, and what belongs with one. No `vscode` (unit-tested).
import type { Quote } from '../core/types';

/** Reported speech or thought without quotation marks: its span is the reported content. */
export function isReported(q: Pick<Quote, 'kind'>): boolean {
  return q.kind === 'indirect';
}

function holds(span: { start: number; end: number }, start: number, end: number, inclusiveEnd: boolean): boolean {
  if (start === end && !inclusiveEnd) return span.start <= start && start < span.end;
  return span.start <= start && end <= span.end;
}

/**
 * The index of the innermost quotation or reported statement whose span holds `[start, end)` (a
 * cursor: the character after it; `inclusiveEnd`: a cursor right after the span counts too), else of
 * the reported statement whose cue holds it (`said`, `according to`, `told reporters that`); -1 when
 * none. A quotation-mark fragment inside a reported statement is the innermost.
 */
export function quoteIndexAt(quotes: readonly Quote[], start: number, end: number, inclusiveEnd = false): number {
  let best = -1;
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i];
    if (!holds(q, start, end, inclusiveEnd)) continue;
    if (best < 0 || q.end - q.start < quotes[best].end - quotes[best].start) best = i;
  }
  if (best >= 0) return best;
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i];
    if (isReported(q) && q.cue && q.cue.end > q.cue.start && holds(q.cue, start, end, inclusiveEnd)) return i;
  }
  return -1;
}

/** The quotation-mark fragments that are part of the reported statement at `index` (their `partOf`). */
export function fragmentsOf(quotes: readonly Quote[], index: number): Quote[] {
  return quotes.filter((q) => q.partOf === index);
}

/**
 * The quotations a speaker correction of the quotation at `index` carries to: the fragments that
 * are part of it (a reported statement), then the continuation quotations that followed its
 * speaker (the next top-level quotations attributed by continuation to the same name; reported
 * statements in between are not part of that chain and do not end it).
 */
export function speakerFollowers(quotes: readonly Quote[], index: number): number[] {
  const q = quotes[index];
  const out: number[] = [];
  quotes.forEach((x, j) => {
    if (x.partOf === index) out.push(j);
  });
  if (!q?.speaker) return out;
  for (let j = index + 1; j < quotes.length; j++) {
    const next = quotes[j];
    if (next.parent !== undefined || next.partOf !== undefined || isReported(next)) continue;
    if (next.speaker?.via !== 'continuation' || next.speaker.name !== q.speaker.name) break;
    out.push(j);
  }
  return out;
}
