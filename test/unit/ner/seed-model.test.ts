import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recognizeEntities, resolveRolePhrase, type EntityResult } from '../../../src/core/ner';
import { loadTaggerModel, ModelFormatError } from '../../../src/core/ner/tagger';

const MODEL = join(__dirname, '../../../media/model/ner.bin');

describe('the seed source with the shipped model', function () {
  const text = readFileSync(join(__dirname, '../../fixtures/ner/seed-000.txt'), 'utf8');
  let r: EntityResult = { mentions: [], entities: [] };
  before(function () {
    // The model file belongs to the tagger: absent or being retrained (format mismatch) → skip.
    if (!existsSync(MODEL)) this.skip();
    let model: unknown;
    try {
      model = loadTaggerModel(new Uint8Array(readFileSync(MODEL)));
    } catch (err) {
      if (err instanceof ModelFormatError) this.skip();
      throw err;
    }
    r = recognizeEntities(text, { model });
  });
  const PEOPLE = ['Sergei Lavrov', 'Ebrahim Raisi', 'Vladimir Putin', 'Joe Biden', 'Hossein Amir-Abdollahian'];

  it('links every person mention to one of the five people, surnames included', () => {
    const persons = r.mentions.filter((m) => m.type === 'person');
    assert.ok(persons.length >= 15, `only ${persons.length} person mentions`);
    for (const m of persons) assert.ok(PEOPLE.includes(m.canonical), `${m.text} → ${m.canonical}`);
    for (const m of persons.filter((x) => x.text === 'Lavrov')) assert.equal(m.canonical, 'Sergei Lavrov');
    for (const m of persons.filter((x) => x.text === 'Raisi')) assert.equal(m.canonical, 'Ebrahim Raisi');
    assert.equal(r.mentions.find((m) => m.text === 'Biden')?.canonical, 'Joe Biden');
  });

  it('gives roles from titles and resolves role phrases', () => {
    const lavrov = r.entities.find((e) => e.canonical === 'Sergei Lavrov');
    assert.ok(lavrov?.roles.includes('Russian Foreign Minister'), JSON.stringify(lavrov?.roles));
    assert.equal(resolveRolePhrase('the Iranian president', r.entities)?.canonical, 'Ebrahim Raisi');
    assert.equal(resolveRolePhrase('Russian FM', r.entities)?.canonical, 'Sergei Lavrov');
    assert.equal(resolveRolePhrase('the US president', r.entities)?.canonical, 'Joe Biden');
  });

  it('marks nationalities as groups and the title words as nothing', () => {
    assert.ok(r.mentions.filter((m) => m.text === 'Iranian').every((m) => m.type === 'group'));
    assert.ok(!r.mentions.some((m) => /President|Minister/.test(m.text) && m.type === 'person'));
  });
});
