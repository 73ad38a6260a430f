import * as assert from 'node:assert/strict';
import { parseDictionary, recognizeEntities } from '../../../src/core/ner';

describe('user dictionary', () => {
  const yaml = [
    'entries:',
    '  - name: Marta Quill',
    '    type: person',
    '    aliases: [Quill, M. Quill]',
    '    description: Harbour master of Port Verrin since 2019.',
    '  - name: Blue Heron Trust',
    '    type: organization',
    'ignore:',
    '  - Grand Opening',
  ].join('\n');

  it('parses entries and the ignore list', () => {
    const { dictionary, errors } = parseDictionary(yaml);
    assert.deepEqual(errors, []);
    assert.equal(dictionary.entries.length, 2);
    assert.deepEqual(dictionary.entries[0].aliases, ['Quill', 'M. Quill']);
    assert.deepEqual(dictionary.ignore, ['Grand Opening']);
  });

  it('reports problems with their line and keeps the valid entries', () => {
    const bad = ['entries:', '  - name: A Person', '    type: wizard', '  - name: Good Org', '    type: organization', '  - type: place', 'colour: blue'].join('\n');
    const { dictionary, errors } = parseDictionary(bad);
    assert.equal(dictionary.entries.length, 1);
    assert.ok(errors.some((e) => /type/.test(e.message) && e.line === 2), JSON.stringify(errors));
    assert.ok(errors.some((e) => /name/.test(e.message) && e.line === 6), JSON.stringify(errors));
    assert.ok(errors.some((e) => /unknown key `colour`/.test(e.message)), JSON.stringify(errors));
  });

  it('reports YAML syntax errors and refuses alias bombs', () => {
    assert.ok(parseDictionary('entries: [').errors.length > 0);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const r = parseDictionary(bomb);
    assert.ok(r.errors.length > 0);
    assert.ok(parseDictionary('x'.repeat(1_000_001)).errors[0].message.includes('too large'));
  });

  it('dictionary names win, descriptions land on the entity, ignored names are never marked', () => {
    const { dictionary } = parseDictionary(yaml);
    const text = 'Marta Quill praised the Blue Heron Trust at the Grand Opening in Oslo. Later, Quill left.';
    const r = recognizeEntities(text, { dictionary });
    const quill = r.entities.find((e) => e.canonical === 'Marta Quill');
    assert.ok(quill);
    assert.equal(quill.type, 'person');
    assert.equal(quill.description, 'Harbour master of Port Verrin since 2019.');
    assert.equal(quill.mentions.length, 2);
    assert.ok(r.mentions.some((m) => m.text === 'Blue Heron Trust' && m.type === 'organization' && m.source === 'dictionary'));
    assert.ok(!r.mentions.some((m) => m.text.includes('Grand') || m.text.includes('Opening')));
  });
});
