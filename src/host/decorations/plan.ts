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
export function planDecorations(analysis: Analysis, enabled: Record<DecorationKind, boolean>): PaintPlan {
  const plan = emptyPlan();
  for (const m of analysis.mentions) {
    if (enabled[m.type] && m.end > m.start) plan[m.type].push({ start: m.start, end: m.end });
  }
  analysis.quotes.forEach((q) => {
    if (q.end <= q.start) return;
    if (enabled.quotation) plan.quotation.push({ start: q.start, end: q.end });
    if (!enabled.speaker || !q.speaker) return;
    const parent = q.parent !== undefined ? analysis.quotes[q.parent] : undefined;
    if (parent?.speaker && parent.speaker.name === q.speaker.name) return; // same voice: once is enough
    // The closing mark carries the after-text, so it sits right after the quotation.
    plan.speaker.push({ start: q.end - 1, end: q.end, after: speakerLabel(q.speaker.name) });
  });
  return plan;
}
