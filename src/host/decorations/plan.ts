// Pure: which ranges each decoration kind paints for one analysis. No `vscode` here (unit-tested).
import type { Analysis } from '../../core/types';
import { DECORATION_KINDS, type DecorationKind } from './kinds';

export interface PaintRange {
  start: number;
  end: number;
  /** Text drawn after the range (the speaker after a quotation). */
  after?: string;
}

export type PaintPlan = Record<DecorationKind, PaintRange[]>;

export function emptyPlan(): PaintPlan {
  const plan = {} as PaintPlan;
  for (const k of DECORATION_KINDS) plan[k] = [];
  return plan;
}

/** The speaker line drawn after a quotation: `— Sergei Lavrov`. */
export function speakerLabel(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  return `— ${clean.length > 60 ? `${clean.slice(0, 59)}…` : clean}`;
}

/**
 * Builds the ranges to paint. Disabled kinds get an empty list (so the editor clears them).
 * Entities inside quotations stay readable because the kinds use different channels: quotations
 * paint a background and a left border, entities a text colour and an underline.
 */
export function planDecorations(analysis: Analysis, enabled: Record<DecorationKind, boolean>, window?: { start: number; end: number }): PaintPlan {
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
    if (enabled[m.type] && m.end > m.start) plan[m.type].push({ start: m.start, end: m.end });
  }
  analysis.quotes.forEach((q) => {
    if (q.end <= q.start || q.end <= lo || q.start >= hi) return;
    if (enabled.quotation) plan.quotation.push({ start: q.start, end: q.end });
    if (!enabled.speaker || !q.speaker) return;
    const parent = q.parent !== undefined ? analysis.quotes[q.parent] : undefined;
    if (parent?.speaker && parent.speaker.name === q.speaker.name) return; // same voice: once is enough
    // The closing mark carries the after-text, so it sits right after the quotation.
    plan.speaker.push({ start: q.end - 1, end: q.end, after: speakerLabel(q.speaker.name) });
  });
  return plan;
}
