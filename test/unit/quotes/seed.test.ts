import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analyze';

// Our own reading of the seed article (seeds/ is part of the project): every quotation, its kind
// and who said it. Keys are the first words of each quotation.
const EXPECTED: [string, string, string, string?][] = [
  ['‘collective’', 'partial', 'Sergei Lavrov', 'role'],
  ['“In a traditionally trusting', 'full', 'Russian Foreign Ministry', 'organization'],
  ['“in accordance with', 'partial', 'Russian Foreign Ministry'],
  ['“highlighted the implementation', 'partial', 'Russian Foreign Ministry'],
  ['“Additional steps', 'full', 'Russian Foreign Ministry', 'organization'],
  ['“I am convinced', 'full', 'Sergei Lavrov', 'name'],
  ['“It is necessary', 'full', 'Sergei Lavrov', 'pronoun'],
  ['“a horrible crime', 'partial', 'Ebrahim Raisi', 'name'],
  ['“Today, the US', 'full', 'Ebrahim Raisi', 'role'],
  ['“This is why nations', 'full', 'Ebrahim Raisi', 'continuation'],
  ['“If there were not an Israel', 'full', 'Joe Biden', 'pronoun'],
  ['“that the US seeks', 'partial', 'Ebrahim Raisi', 'name'],
  ['“to condemn Hamas.”', 'partial', 'the US representative', 'description'],
];

describe('quotations in the seed article', () => {
  const text = readFileSync(join(__dirname, '../../../seeds/000_f0f083a2e182d3f1.txt'), 'utf8');
  // quotation-mark quotations (the article's reported statements are tested in reported.test.ts)
  const quotes = analyze(text).quotes.filter((q) => q.kind !== 'indirect');

  it('finds exactly the 13 quotations', () => {
    assert.deepEqual(
      quotes.map((q) => text.slice(q.start, q.end).slice(0, 12)),
      EXPECTED.map(([k]) => k.slice(0, 12)),
    );
  });

  for (const [key, kind, speaker, via] of EXPECTED) {
    it(`${key} → ${kind}, ${speaker}`, () => {
      const q = quotes.find((x) => text.slice(x.start, x.end).startsWith(key));
      assert.ok(q, `quotation ${key} found`);
      assert.equal(q.kind, kind);
      assert.equal(q.speaker?.name, speaker);
      if (via) assert.equal(q.speaker?.via, via);
    });
  }

  it('links named speakers to entities but keeps the unnamed representative as a description', () => {
    const lavrov = quotes.find((q) => text.slice(q.start, q.end).startsWith('“I am convinced'));
    assert.ok(lavrov?.speaker?.entityId);
    const rep = quotes.find((q) => text.slice(q.start, q.end).startsWith('“to condemn'));
    assert.equal(rep?.speaker?.entityId, undefined);
    assert.equal(text.slice(rep!.cue!.start, rep!.cue!.end), 'called');
  });

  it('never takes the apostrophes of the article for quotation marks', () => {
    for (const q of quotes) {
      const s = text.slice(q.start, q.end);
      assert.ok(!/^’|^['’]s\b/.test(s), s);
    }
    assert.ok(!quotes.some((q) => text.slice(q.start, q.end).includes('Israel’s ongoing')));
  });
});
