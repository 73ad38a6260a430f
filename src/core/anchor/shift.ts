/**
 * In-editor anchor shifting: pure arithmetic over edits, O(anchors) per event.
 *
 * An edit replaces `[offset, offset + length)` with `text` (the host converts VS Code's change
 * events to edits once). Rules for a span `[start, end)`:
 * - change entirely after the span (or an insertion at `end`): unchanged;
 * - change entirely before it (or an insertion at `start`): both ends move by the length delta;
 * - change inside it: the span grows or shrinks with it;
 * - change overlapping one edge: the span is clipped to what survives, plus the inserted text;
 * - change covering all of it (a deletion or replacement of the whole annotated text): `deleted` —
 *   an orphan candidate the host then tries to re-find (`reanchor`) and otherwise marks orphan.
 */
import type { Edit } from '../text/edits';
import type { Span } from '../types';

export interface ShiftedSpan extends Span {
  /** The change removed every character of a non-empty span. */
  deleted: boolean;
}

/** Shift one span through one change. */
export function shiftSpan(span: Span, change: Edit): ShiftedSpan {
  const { start, end } = span;
  const a = change.offset;
  const b = a + change.length;
  const inserted = change.text.length;
  const delta = inserted - change.length;
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
 * Shift spans through the changes of one event. Changes are applied in descending `offset`
 * order, each relative to the text before the event (VS Code's contract: the changes of one event
 * do not overlap). For sequential edits (each relative to the previous result) call once per edit.
 */
export function shiftSpans(spans: readonly Span[], changes: readonly Edit[]): ShiftedSpan[] {
  const ordered = changes.length > 1 ? [...changes].sort((x, y) => y.offset - x.offset) : changes;
  return spans.map((s) => {
    let cur: ShiftedSpan = { start: s.start, end: s.end, deleted: false };
    for (const c of ordered) {
      const next = shiftSpan(cur, c);
      cur = { start: next.start, end: next.end, deleted: cur.deleted || next.deleted };
    }
    return cur;
  });
}

/** Apply an edit to a text (what the editor does); handy for tests and the CLI. */
export function applyChange(text: string, change: Edit): string {
  return text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
}
