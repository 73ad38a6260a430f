import * as assert from 'node:assert/strict';
import { isFirstName, lookupGazetteer, matchGazetteer } from '../../../src/core/ner/gazetteer';
import { tokenize } from '../../../src/core/text/tokenize';

const first = (p: string): string | undefined => {
  const e = lookupGazetteer(p)[0];
  return e ? `${e.type}:${e.canonical}` : undefined;
};

describe('gazetteer', () => {
  it('maps demonyms and peoples to groups with the people plural', () => {
    assert.equal(first('Russian'), 'group:Russians');
    assert.equal(first('Russians'), 'group:Russians');
    assert.equal(first('Azeri'), 'group:Azerbaijanis');
    assert.equal(first('Palestinian'), 'group:Palestinians');
    assert.equal(first('Israelis'), 'group:Israelis');
    assert.equal(first('Chinese'), 'group:Chinese');
    assert.equal(first('Kenyan'), 'group:Kenyans');
  });

  it('knows countries, short forms, capitals and organisations', () => {
    assert.equal(first('US'), 'place:United States');
    assert.equal(first('U.S.'), 'place:United States');
    assert.equal(first('UK'), 'place:United Kingdom');
    assert.equal(first('Turkey'), 'place:Turkey');
    assert.equal(first('Baku'), 'place:Baku');
    assert.equal(first('UN Security Council'), 'organization:UN Security Council');
    assert.equal(first('NATO'), 'organization:NATO');
    assert.equal(first('EU'), 'organization:European Union');
  });

  it('applies the case rules', () => {
    assert.equal(first('us'), undefined);
    assert.equal(first('turkey'), undefined);
    assert.equal(first('al-Qaeda'), 'organization:al-Qaeda');
    assert.equal(lookupGazetteer('turkey', { ignoreCase: true })[0]?.canonical, 'Turkey');
  });

  it('knows common first names', () => {
    assert.ok(isFirstName('Mary'));
    assert.ok(isFirstName('john'));
    assert.ok(!isFirstName('Lavrov'));
  });

  it('matches leftmost-longest over tokens with offsets', () => {
    const text = 'The UN Security Council met in New York as Azeri forces entered Nagorno-Karabakh.';
    const found = matchGazetteer(tokenize(text)).map((m) => [text.slice(m.start, m.end), m.entries[0].type]);
    assert.deepEqual(found, [
      ['UN Security Council', 'organization'],
      ['New York', 'place'],
      ['Azeri', 'group'],
      ['Nagorno-Karabakh', 'place'],
    ]);
  });

  it('returns overlapping matches and first names on request', () => {
    const text = 'Georgia and the UN Security Council';
    const all = matchGazetteer(tokenize(text), { all: true, types: ['place', 'organization', 'person-first-name'] });
    const spans = all.map((m) => text.slice(m.start, m.end));
    assert.ok(spans.includes('UN Security Council'));
    assert.ok(spans.includes('Security Council'));
    assert.ok(all.some((m) => m.entries.some((e) => e.type === 'person-first-name')));
  });
});
