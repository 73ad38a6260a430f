// Pure: which ranges each decoration kind paints for one analysis. No `vscode` here (unit-tested).
import type { Analysis, Quote } from '../../core/types';
import { DECORATION_KINDS, type DecorationKind } from './kinds';
import { speakerHintFor, speakerLabel } from './speakerLabels';

export { speakerLabel };

export interface PaintRange {
  start: number;
  end: number;
  /** Text drawn at `end` (the speaker label of a quotation, an inlay hint: start = end). */
  after?: string;
  /** The speaker label is uncertain (low confidence). */
  low?: boolean;
}

export type PaintPlan = Record<DecorationKind, PaintRange[]>;

export function emptyPlan(): PaintPlan {
  const plan = {} as PaintPlan;
  for (const k of DECORATION_KINDS) plan[k] = [];
  return plan;
}

/** In Markdown, is this number the marker of an ordered list item (`1.` or `2)` at the start of a line)? */
export function isListMarker(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[\s>]*$/.test(text.slice(lineStart, start))) return false;
  return /^[.)](\s|$)/.test(text.slice(end, end + 2));
}

/** The quotation `q` is nested in, else the reported statement it is part of (for the speaker label). */
export function enclosingQuote(analysis: Analysis, q: Quote): Quote | undefined {
  if (q.parent !== undefined) return analysis.quotes[q.parent];
  return q.partOf !== undefined ? analysis.quotes[q.partOf] : undefined;
}

/**
 * Builds the ranges to paint. Disabled kinds get an empty list (so the editor clears them).
 * Entities inside quotations stay readable because the kinds use different channels: quotations
 * and attributions paint a background (attributions also a dotted underline), entities a text colour
 * and an underline.
 */
export function planDecorations(analysis: Analysis, enabled: Record<DecorationKind, boolean>, window?: { start: number; end: number }, text = '', markdown = false): PaintPlan {
  const plan = emptyPlan();
  // With a window (the visible part of a long source and a margin), only what overlaps it.
  const lo = window ? window.start : -Infinity;
  const hi = window ? window.end : Infinity;
  const ms = analysis.mentions;
  // Mentions are sorted and disjoint, so their ends increase too: start at the first one ending
  // after the window's start (binary search) and stop at the first one starting after its end.
  let i = 0;
  if (window) {
    let a = 0;
    let b = ms.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (ms[mid].end <= lo) a = mid + 1;
      else b = mid;
    }
    i = a;
  }
  for (; i < ms.length; i++) {
    const m = ms[i];
    if (m.start >= hi) break;
    if (m.end <= lo) continue;
    // Markdown syntax is left unmarked: `1.` opening a list item is not a number of the text.
    if (markdown && m.type === 'number' && isListMarker(text, m.start, m.end)) continue;
    if (enabled[m.type] && m.end > m.start) plan[m.type].push({ start: m.start, end: m.end });
  }
  analysis.quotes.forEach((q) => {
    if (q.end <= q.start || q.end <= lo || q.start >= hi) return;
    // Reported speech (no quotation marks) is drawn apart from quotations, and switched off with its label.
    const reported = q.kind === 'indirect';
    if (reported ? enabled.attribution : enabled.quotation) (reported ? plan.attribution : plan.quotation).push({ start: q.start, end: q.end });
    if (!enabled.speaker || !q.speaker || (reported && !enabled.attribution)) return;
    // Left out where the text next to the quotation already names the speaker (see speakerLabels.ts),
    // and for a quotation (or a fragment of a reported statement) of the same speaker as the one it is in.
    const hint = speakerHintFor(text, q, enclosingQuote(analysis, q));
    if (hint) plan.speaker.push({ start: hint.at, end: hint.at, after: hint.label, ...(hint.low ? { low: true } : {}) });
  });
  return plan;
}
