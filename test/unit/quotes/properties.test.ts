import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { findQuotes } from '../../../src/core/quotes';
import { splitParagraphs } from '../../../src/core/text/paragraphs';
import { none } from './helpers';

const pieces = ['“', '”', '‘', '’', '"', "'", '«', '»', '„', 'said', 'he', 'Ann Lee', ' ', ' ', ',', '.', ':', '\n', '\n\n', '> ', 'the mayor', 'we’d', 'told', '—', '(', ')'];

describe('quotation finder properties', () => {
  it('never throws, keeps spans inside the text and inside one paragraph, and nests parents correctly', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const quotes = findQuotes(text, none);
        const paras = splitParagraphs(text);
        quotes.forEach((q, i) => {
          assert.ok(q.start >= 0 && q.end <= text.length && q.start < q.end);
          assert.ok(paras.some((p) => p.start <= q.start && q.end <= p.end), 'inside one paragraph');
          assert.ok(q.confidence >= 0 && q.confidence <= 1);
          if (q.parent !== undefined) {
            assert.ok(q.parent < i);
            const p = quotes[q.parent];
            assert.ok(p.start <= q.start && q.end <= p.end, 'parent contains child');
          }
          if (q.speaker) assert.ok(q.speaker.start >= 0 && q.speaker.end <= text.length && q.speaker.name.length > 0);
        });
      }),
      { numRuns: Number(process.env.MARGINALIA_FUZZ_RUNS ?? 400) },
    );
  });
});
