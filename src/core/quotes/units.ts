/** The units (paragraphs) the quotation finder analyses one at a time. */
import type { Span } from '../types';
import { splitParagraphs } from '../text/paragraphs';

/**
 * Paragraph units: blank-line separated blocks, further split at line breaks when the text is laid
 * out one paragraph per line (the line before ends a sentence or is short, or the next line opens
 * a quotation). Markdown block quotes (`>` lines) stay whole.
 */
export function splitUnits(text: string): Span[] {
  const out: Span[] = [];
  for (const p of splitParagraphs(text)) {
    const block = text.slice(p.start, p.end);
    if (!/[\r\n]/.test(block) || /^\s{0,3}>/.test(block)) {
      out.push(p);
      continue;
    }
    const re = /\r\n|\r|\n/g;
    let ls = 0;
    let unitStart = 0;
    for (let m = re.exec(block); m; m = re.exec(block)) {
      const line = block.slice(ls, m.index).replace(/\s+$/, '');
      const nextStart = m.index + m[0].length;
      const next = block.slice(nextStart, nextStart + 3);
      const split =
        /[.?!:;…"”’'»)\]]$/.test(line) || line.length < 60 || /^\s*(?:["“„«>#*+-]|\d+[.)]\s)/.test(next) || line.trim().length === 0;
      if (split) {
        pushUnit(text, p.start + unitStart, p.start + m.index, out);
        unitStart = nextStart;
      }
      ls = nextStart;
    }
    pushUnit(text, p.start + unitStart, p.end, out);
  }
  return out;
}

function pushUnit(text: string, start: number, end: number, out: Span[]): void {
  while (end > start && /[\r\n]/.test(text[end - 1])) end--;
  if (end > start && text.slice(start, end).trim().length > 0) out.push({ start, end });
}
