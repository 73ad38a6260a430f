// One edit type for every path (the editor's change events, the live engine, anchors, the
// recogniser's change hint): merging edits into one "dirty" region and shifting offsets.

/** One replacement, in the coordinates of the text as it was just before this edit (like a content change event's rangeOffset/rangeLength/text). */
export interface Edit {
  offset: number;
  length: number;
  text: string;
}

export interface Region {
  start: number;
  end: number;
}

/**
 * Maps an offset of the old text through an edit. Offsets before the edit stay, offsets after it
 * move by the length difference, offsets inside the replaced range go to its start (`bias` 'start')
 * or to the end of the inserted text ('end').
 */
export function mapOffset(pos: number, edit: Edit, bias: 'start' | 'end' = 'start'): number {
  if (pos < edit.offset) return pos;
  const oldEnd = edit.offset + edit.length;
  const delta = edit.text.length - edit.length;
  if (pos > oldEnd || (pos === oldEnd && edit.length > 0)) return pos + delta;
  return bias === 'start' ? edit.offset : edit.offset + edit.text.length;
}

/**
 * Folds a sequence of edits (each relative to the text after the previous ones) into one region of
 * the final text that covers everything touched. Returns null for no edits.
 */
export function mergeEdits(edits: readonly Edit[], previous: Region | null = null): Region | null {
  let region = previous;
  for (const e of edits) {
    const inserted = { start: e.offset, end: e.offset + e.text.length };
    if (!region) {
      region = inserted;
      continue;
    }
    const start = Math.min(mapOffset(region.start, e, 'start'), inserted.start);
    const end = Math.max(mapOffset(region.end, e, 'end'), inserted.end);
    region = { start, end };
  }
  return region;
}

/** Applies edits to a string (for tests and for keeping a text copy in step). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  return out;
}
