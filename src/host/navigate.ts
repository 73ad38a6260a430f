// Pure: choosing the next/previous span from the cursor. No `vscode` (unit-tested).
import type { Span } from '../core/types';

/**
 * The span after (forward) or before (backward) the cursor, wrapping around. A span that starts
 * at the cursor counts as "current": forward skips it, backward goes to the one before it.
 * Returns undefined for no spans.
 */
export function nextSpan<T extends Span>(spans: readonly T[], offset: number, forward: boolean): T | undefined {
  if (!spans.length) return undefined;
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  if (forward) return sorted.find((s) => s.start > offset) ?? sorted[0];
  for (let i = sorted.length - 1; i >= 0; i--) if (sorted[i].start < offset) return sorted[i];
  return sorted[sorted.length - 1];
}
