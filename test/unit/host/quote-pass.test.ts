import * as assert from 'assert';
import { recognizeEntities } from '../../../src/core/ner';
import { QuoteFinder, roleMatches } from '../../../src/core/quotes';

// The quote pass keeps per-pass caches of role lookups (role phrase → role holders) and a
// module-wide roleMatches memo: they must never carry one text's people into another's pass.
describe('quote pass: role phrases (per-pass caches)', () => {
  const texts = {
    raisi: 'Ebrahim Raisi, the Iranian president, met officials on Monday.\n\n“We will not yield,” the president said.\n',
    biden: 'Joe Biden, the US president, met officials on Monday.\n\n“We will not yield,” the president said.\n',
    lavrov: 'Sergei Lavrov, the Russian foreign minister, spoke on Monday.\n\n“We agree,” the Russian FM said.\n',
  };
  const speakers = (f: QuoteFinder, text: string) => f.find(text, recognizeEntities(text, {})).map((q) => q.speaker && { name: q.speaker.name, via: q.speaker.via });

  it('resolves "the president" and "the Russian FM" by the roles the text gives, pass after pass', () => {
    // Without the entity pipeline's resolver, so the pass's own role matching does the work.
    const f = new QuoteFinder({ resolveRolePhrase: () => undefined });
    for (let round = 0; round < 2; round++) {
      assert.deepStrictEqual(speakers(f, texts.raisi), [{ name: 'Ebrahim Raisi', via: 'role' }]);
      assert.deepStrictEqual(speakers(f, texts.biden), [{ name: 'Joe Biden', via: 'role' }]);
      assert.deepStrictEqual(speakers(f, texts.lavrov), [{ name: 'Sergei Lavrov', via: 'role' }]);
    }
    // the default finder (with the pipeline's resolver) agrees
    const g = new QuoteFinder();
    assert.deepStrictEqual(speakers(g, texts.biden), [{ name: 'Joe Biden', via: 'role' }]);
  });

  it('matches role phrases and acronyms the same whether memoised or not', () => {
    for (let k = 0; k < 2; k++) {
      assert.strictEqual(roleMatches('Russian FM', 'Russian Foreign Minister'), true);
      assert.strictEqual(roleMatches('the Russian FM', 'Russian Foreign Minister'), true);
      assert.strictEqual(roleMatches('Russian FM', 'president'), false);
      assert.strictEqual(roleMatches('the Iranian president', 'Iranian president'), true);
      assert.strictEqual(roleMatches('the president', 'Iranian president'), false);
    }
  });
});
