import type { Span } from '../types';

/**
 * Paragraphs are runs of lines separated by one or more blank lines (a blank line may hold
 * spaces, tabs or NBSPs). Returned spans cover the paragraph's text without its trailing
 * line break. Works with LF, CRLF and CR line endings.
 */
export function splitParagraphs(text: string): Span[] {
  const out: Span[] = [];
  const blank = /(?:\r\n|\r|\n)[ \t\u00a0\u3000]*(?:\r\n|\r|\n)(?:[ \t\u00a0\u3000]*(?:\r\n|\r|\n))*/g;
  let start = 0;
  for (let m = blank.exec(text); m; m = blank.exec(text)) {
    if (m.index > start || text.slice(start, m.index).trim()) pushTrimmed(text, start, m.index, out);
    start = m.index + m[0].length;
  }
  pushTrimmed(text, start, text.length, out);
  return out;
}

function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  // Keep the paragraph's own characters (including a trailing NBSP), drop only line-break junk.
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  if (end > start && text.slice(start, end).trim().length > 0) out.push({ start, end });
}
