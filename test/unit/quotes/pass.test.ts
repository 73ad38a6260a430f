import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import fc from 'fast-check';
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

// A finder resumes its last document pass: the leading units before an edit are taken over with
// the state they left (antecedents, speakers, names and genders learnt). Always equal to a fresh pass.
describe('quote pass: resuming the previous pass after an edit', () => {
  const none = { mentions: [], entities: [] };
  const names = (qs: { speaker: { name: string } | null }[]) => qs.map((q) => q.speaker?.name ?? null);
  const filler = 'The weather was mild and nobody minded.\n\n';

  it('keeps the surnames and genders learnt before the edit', () => {
    let text = `“We will win,” Mr. Doe said.\n\n“No,” Mrs. Roe said.\n\n${filler}“Later,” Doe said.\n\n“Fine,” she said.\n`;
    const f = new QuoteFinder();
    assert.deepStrictEqual(names(f.find(text, none)), ['Doe', 'Roe', 'Doe', 'Roe']);
    const at = text.indexOf('Later') + 2;
    text = `${text.slice(0, at)}x${text.slice(at)}`;
    assert.deepStrictEqual(names(f.find(text, none)), ['Doe', 'Roe', 'Doe', 'Roe']);
    assert.ok(f.reusedUnits >= 2, `${f.reusedUnits} units taken over`);
    // a full name learnt before the edit names the lone surname after it
    let text2 = `“We will win,” Jane Doe said.\n\n${filler}${filler}“Later,” Doe said.\n`;
    const g = new QuoteFinder();
    g.find(text2, none);
    const at2 = text2.indexOf('Later') + 2;
    text2 = `${text2.slice(0, at2)}x${text2.slice(at2)}`;
    assert.deepStrictEqual(names(g.find(text2, none)), ['Jane Doe', 'Jane Doe']);
    assert.ok(g.reusedUnits >= 2);
  });

  it('after random edits, equals a fresh pass (with and without the recogniser)', () => {
    const seed = readFileSync(path.join(__dirname, '../../../seeds/000_f0f083a2e182d3f1.txt'), 'utf8');
    const piece = fc.constantFrom('e', '', ' ', 'Mr. ', 'Mrs. Clinton ', 'he said ', '“', '”', '\n\n', 'Lavrov ', ', she said.', 'the president ', 'They ');
    let resumed = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(seed.length), fc.nat(4), piece), { minLength: 1, maxLength: 6 }), fc.boolean(), (edits, withEntities) => {
        const f = new QuoteFinder();
        let text = seed;
        const er = (t: string) => (withEntities ? recognizeEntities(t, {}) : none);
        f.find(text, er(text));
        for (const [at, del, ins] of edits) {
          const o = Math.min(at, text.length);
          text = text.slice(0, o) + ins + text.slice(o + Math.min(del, text.length - o));
          const e = er(text);
          const live = f.find(text, e);
          if (f.reusedUnits > 0) resumed++;
          assert.deepStrictEqual(JSON.parse(JSON.stringify(live)), JSON.parse(JSON.stringify(new QuoteFinder().find(text, e))));
        }
      }),
      { numRuns: 30 },
    );
    assert.ok(resumed > 10, `only ${resumed} passes resumed`);
  });
});

