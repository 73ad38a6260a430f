import * as assert from 'node:assert/strict';
import { recognizeEntities, resolveRolePhrase } from '../../../src/core/ner';
import { listTagger } from './helpers';

describe('identity within a source', () => {
  const text = [
    'Norwegian Foreign Minister Anna Berg met Paul Okafor, Nigeria’s finance minister, in Oslo on Monday.',
    '',
    'Berg said the talks were useful. Okafor agreed, and Berg’s deputy took notes.',
    '',
    'The Northern Rail Authority (NRA) will fund the line. The NRA said the United States had offered help, but the US has not confirmed.',
    '',
    'The draft went to the UN Security Council. The Security Council did not vote.',
  ].join('\n');
  const model = listTagger([
    ['Norwegian', 'MISC'], ['Anna Berg', 'PER'], ['Paul Okafor', 'PER'], ['Nigeria', 'LOC'], ['Oslo', 'LOC'], ['Berg', 'PER'],
    ['Okafor', 'PER'], ['Northern Rail Authority', 'ORG'], ['NRA', 'ORG'], ['United States', 'LOC'], ['US', 'LOC'],
    ['UN Security Council', 'ORG'], ['Security Council', 'ORG'],
  ]);
  const r = recognizeEntities(text, { model, documentDate: '2023-10-24' });
  const canon = (s: string, nth = 0): string | undefined => r.mentions.filter((m) => m.text === s)[nth]?.canonical;

  it('links surnames to the full name', () => {
    assert.equal(canon('Berg'), 'Anna Berg');
    assert.equal(canon('Berg', 1), 'Anna Berg');
    assert.equal(canon('Okafor'), 'Paul Okafor');
    const berg = r.entities.find((e) => e.canonical === 'Anna Berg');
    assert.ok(berg);
    assert.equal(berg.mentions.length, 3);
    assert.ok(berg.aliases.includes('Berg'));
  });

  it('links acronyms to their parenthesised expansion, and known short forms', () => {
    assert.equal(canon('NRA'), 'Northern Rail Authority');
    assert.equal(canon('NRA', 1), 'Northern Rail Authority');
    assert.equal(canon('US'), 'United States');
    assert.equal(canon('Security Council', 0), 'UN Security Council');
    const sc = r.mentions.filter((m) => m.type === 'organization' && m.canonical === 'UN Security Council');
    assert.equal(sc.length, 2);
  });

  it('turns titles and appositives into roles', () => {
    const berg = r.entities.find((e) => e.canonical === 'Anna Berg');
    assert.deepEqual(berg?.roles, ['Norwegian Foreign Minister']);
    const okafor = r.entities.find((e) => e.canonical === 'Paul Okafor');
    assert.deepEqual(okafor?.roles, ['Nigeria’s finance minister']);
    // The title is not part of the name, the demonym is a group.
    assert.ok(r.mentions.some((m) => m.text === 'Norwegian' && m.type === 'group'));
    assert.ok(!r.mentions.some((m) => m.text.includes('Minister')));
  });

  it('resolves role phrases to the person given that role', () => {
    assert.equal(resolveRolePhrase('the Norwegian foreign minister', r.entities)?.canonical, 'Anna Berg');
    assert.equal(resolveRolePhrase('Norwegian FM', r.entities)?.canonical, 'Anna Berg');
    assert.equal(resolveRolePhrase("Norway's foreign minister", r.entities)?.canonical, 'Anna Berg');
    assert.equal(resolveRolePhrase('the Nigerian finance minister', r.entities)?.canonical, 'Paul Okafor');
    assert.equal(resolveRolePhrase('the finance minister', r.entities)?.canonical, 'Paul Okafor');
    assert.equal(resolveRolePhrase('the Kenyan president', r.entities), undefined);
    assert.equal(resolveRolePhrase('the minister', r.entities), undefined, 'ambiguous without a position');
  });

  it('two people sharing a surname: the one named most recently', () => {
    const t = 'John Park met Lisa Park. Later John Park left. Park said nothing. Then Lisa Park spoke, and Park smiled.';
    const res = recognizeEntities(t, { model: listTagger([['John Park', 'PER'], ['Lisa Park', 'PER'], ['Park', 'PER']]) });
    const parks = res.mentions.filter((m) => m.text === 'Park').map((m) => m.canonical);
    assert.deepEqual(parks, ['John Park', 'Lisa Park']);
  });

  it('a role before a comma-introduced name: "the Chilean president, Rosa Vidal,"', () => {
    const t = 'On Friday the Chilean president, Rosa Vidal, visited Lima.';
    const res = recognizeEntities(t, { model: listTagger([['Rosa Vidal', 'PER'], ['Lima', 'LOC']]) });
    assert.deepEqual(res.entities.find((e) => e.canonical === 'Rosa Vidal')?.roles, ['Chilean president']);
    assert.equal(resolveRolePhrase('the Chilean president', res.entities)?.canonical, 'Rosa Vidal');
  });
});

describe('MISC mapping and consistency', () => {
  it('nationalities and peoples become groups; other MISC is dropped', () => {
    const t = 'Kenyan farmers and Palestinians watched the World Cup on a Samsung TV.';
    const r = recognizeEntities(t, { model: listTagger([['Kenyan', 'MISC'], ['Palestinians', 'MISC'], ['World Cup', 'MISC']]) });
    const got = r.mentions.filter((m) => m.type === 'group').map((m) => [m.text, m.canonical]);
    assert.deepEqual(got, [['Kenyan', 'Kenyans'], ['Palestinians', 'Palestinians']]);
    assert.ok(!r.mentions.some((m) => m.text === 'World Cup'));
  });

  it('a hyphenated demonym marks the demonym: "a Russian-drafted text"', () => {
    const r = recognizeEntities('They rejected a Russian-drafted text.', { model: listTagger([]) });
    assert.deepEqual(r.mentions.map((m) => [m.text, m.type]), [['Russian', 'group']]);
  });

  it('a name tagged once is marked where the tagger missed it', () => {
    const t = 'Talks with Farid Osmani went well.\n\nLater Osmani flew home.';
    const tagger = listTagger([['Farid Osmani', 'PER']]);
    const r = recognizeEntities(t, { model: tagger });
    const m = r.mentions.find((x) => x.text === 'Osmani');
    assert.ok(m);
    assert.equal(m.type, 'person');
    assert.equal(m.canonical, 'Farid Osmani');
    assert.equal(m.source, 'consistency');
  });

  it('a given name and a surname the text gives to a person are a person, even when the tagger says organisation', () => {
    const t = 'Zorbin Kessel spoke on Monday. Kessel said the plan works.\n\nLater, Kessel left and Kessel Industries shares fell.';
    const r = recognizeEntities(t, { model: listTagger([['Zorbin Kessel', 'ORG'], ['Kessel Industries', 'ORG'], ['Kessel', 'PER']]) });
    assert.deepEqual(r.mentions.filter((m) => m.text.includes('Kessel')).map((m) => [m.text, m.type]), [
      ['Zorbin Kessel', 'person'],
      ['Kessel', 'person'],
      ['Kessel', 'person'],
      ['Kessel Industries', 'organization'],
    ]);
    // without a person "Kessel" in the text the tagger's organisation stands
    const alone = recognizeEntities('Zorbin Kessel reported profits.', { model: listTagger([['Zorbin Kessel', 'ORG']]) });
    assert.equal(alone.mentions.find((m) => m.text === 'Zorbin Kessel')?.type, 'organization');
  });

  it('the dateline name is the publisher (organisation) and its date the reference', () => {
    const t = 'Flood hits the valley\n\nThe Morning Ledger, May 3, 2022 —\n\nRain fell today and on 30 April.';
    const r = recognizeEntities(t, { model: listTagger([]) });
    const ledger = r.mentions.find((m) => m.text === 'The Morning Ledger');
    assert.equal(ledger?.type, 'organization');
    assert.equal(r.mentions.find((m) => m.text === 'today')?.value, '2022-05-03');
    assert.equal(r.mentions.find((m) => m.text === '30 April')?.value, '2022-04-30');
  });

  it('offsets are UTF-16 code units', () => {
    const t = '😀 Lima 😀 welcomed 5,000 visitors.';
    const r = recognizeEntities(t, { model: listTagger([['Lima', 'LOC']]) });
    for (const m of r.mentions) assert.equal(t.slice(m.start, m.end), m.text);
    assert.ok(r.mentions.some((m) => m.text === 'Lima'));
  });
});
