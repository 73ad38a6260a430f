import * as fs from 'node:fs';
import * as path from 'node:path';
import { QuoteIndex, type QuoteCheck } from '../../../src/core/quotecheck';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'quotes-fidelity');

export function fixture(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
}

/** An index holding the fixture workspace's two primary sources. */
export function primaryIndex(): QuoteIndex {
  const index = new QuoteIndex();
  index.setSource('transcripts/briefing.txt', { text: fixture('transcripts/briefing.txt'), primary: true });
  index.setSource('statements/press-release.txt', { text: fixture('statements/press-release.txt'), primary: true });
  return index;
}

/** Checks `quote` (its words, put in curly quotation marks) against `index`. */
export function check(index: QuoteIndex, quote: string, excludePath?: string): Omit<QuoteCheck, 'path' | 'speaker'> {
  const text = `“${quote}”`;
  return index.checkSpan(text, 0, text.length, excludePath);
}

/** A diff as one line: equal text, -{deleted}, +{inserted}. */
export function diffLine(r: Omit<QuoteCheck, 'path' | 'speaker'>, i = 0): string {
  const m = r.matches[i];
  if (!m) return '';
  return m.diff.map((d) => (d.op === 'equal' ? d.text : `${d.op === 'insert' ? '+' : '-'}{${d.text}}`)).join(' ');
}
