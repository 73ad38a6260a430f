import * as assert from 'node:assert/strict';
import { INDEX_JSON } from '../../../src/core/ner/gazetteer/index.generated';
import { gazetteerForms, indexData, lookupGazetteer, matchGazetteer } from '../../../src/core/ner/gazetteer/index';
import { tokenize } from '../../../src/core/text/tokenize';

describe('gazetteer: the precomputed phrase index', () => {
  it('is what the lists and the tokenizer make today (else run `npx tsx scripts/gen-gazetteer-index.ts`)', () => {
    assert.ok(INDEX_JSON.length > 10_000, 'index.generated.ts holds no index');
    assert.deepStrictEqual(JSON.parse(INDEX_JSON), JSON.parse(JSON.stringify(indexData())));
  });

  it('loads into an index that answers as the built one: acronyms exact, lower-case forms, several entries, multi-token phrases', () => {
    assert.deepEqual(lookupGazetteer('U.S.').map((e) => e.canonical), ['United States']);
    assert.deepEqual(lookupGazetteer('us'), []);
    assert.ok(lookupGazetteer('Georgia').some((e) => e.kind === 'country') && lookupGazetteer('Georgia').some((e) => e.kind === 'us-state'));
    assert.ok(lookupGazetteer('Russian').some((e) => e.type === 'group' && e.canonical === 'Russians'));
    const text = 'Delegates of the UN Security Council met in New York.';
    const found = matchGazetteer(tokenize(text)).map((m) => text.slice(m.start, m.end));
    assert.deepEqual(found, ['UN Security Council', 'New York']);
  });

  it('lists first names as one-token forms for the tagger, as the tokenizer splits them', () => {
    const names = gazetteerForms().filter((f) => f.types.includes('person-first-name'));
    assert.ok(names.length > 1000);
    for (const f of names.slice(0, 500)) {
      const t = tokenize(f.tokens.join(' '));
      assert.equal(t.count, f.tokens.length, f.tokens.join(' '));
    }
  });
});
