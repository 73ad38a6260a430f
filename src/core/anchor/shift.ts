/**
 * In-editor anchor shifting: pure arithmetic over change events, O(anchors) per event.
 *
 * A change replaces `[rangeOffset, rangeOffset + rangeLength)` with `text` (the shape of VS Code's
 * `TextDocumentContentChangeEvent`). Rules for a span `[start, end)`:
 * - change entirely after the span (or an insertion at `end`): unchanged;
 * - change entirely before it (or an insertion at `start`): both ends move by the length delta;
 * - change inside it: the span grows or shrinks with it;
 * - change overlapping one edge: the span is clipped to what survives, plus the inserted text;
 * - change covering all of it (a deletion or replacement of the whole annotated text): `deleted` —
 *   an orphan candidate the host then tries to re-find (`reanchor`) and otherwise marks orphan.
 */
import type { Span } from '../types';

export interface ContentChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface ShiftedSpan extends Span {
  /** The change removed every character of a non-empty span. */
  deleted: boolean;
}

/** Shift one span through one change. */
export function shiftSpan(span: Span, change: ContentChange): ShiftedSpan {
  const { start, end } = span;
  const a = change.rangeOffset;
  const b = a + change.rangeLength;
  const inserted = change.text.length;
  const delta = inserted - change.rangeLength;
  if (a >= end) {
    // Entirely after (an insertion exactly at `end` does not grow the span).
    return { start, end, deleted: false };
  }
  if (b <= start) {
    // Entirely before (an insertion exactly at `start` pushes the span right).
    return { start: start + delta, end: end + delta, deleted: false };
  }
  if (a <= start && b >= end) {
    // Covers the whole span.
    if (end > start) return { start: a, end: a, deleted: true };
    return { start: a + inserted, end: a + inserted, deleted: false };
  }
  if (a >= start && b <= end) {
    // Inside: grow or shrink.
    return { start, end: end + delta, deleted: false };
  }
  if (a < start) {
    // Overlaps the start: what was deleted from the span is gone; the new text joins it.
    return { start: a, end: end + delta, deleted: false };
  }
  // Overlaps the end.
  return { start, end: a + inserted, deleted: false };
}

/**
 * Shift spans through the changes of one event. Changes are applied in descending `rangeOffset`
 * order, each relative to the text before the event (VS Code's contract: the changes of one event
 * do not overlap). For sequential edits (each relative to the previous result) call once per edit.
 */
export function shiftSpans(spans: readonly Span[], changes: readonly ContentChange[]): ShiftedSpan[] {
  const ordered = changes.length > 1 ? [...changes].sort((x, y) => y.rangeOffset - x.rangeOffset) : changes;
  return spans.map((s) => {
    let cur: ShiftedSpan = { start: s.start, end: s.end, deleted: false };
    for (const c of ordered) {
      const next = shiftSpan(cur, c);
      cur = { start: next.start, end: next.end, deleted: cur.deleted || next.deleted };
    }
    return cur;
  });
}

/** Apply a change to a text (what the editor does); handy for tests and the CLI. */
export function applyChange(text: string, change: ContentChange): string {
  return text.slice(0, change.rangeOffset) + change.text + text.slice(change.rangeOffset + change.rangeLength);
}
