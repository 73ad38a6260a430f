import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityRecognizer, recognizeEntities } from '../../../src/core/ner';
import { listTagger } from './helpers';

const model = listTagger([
  ['Ines Moreau', 'PER'], ['Moreau', 'PER'], ['Lyon', 'LOC'], ['Geneva', 'LOC'], ['Red Cross', 'ORG'], ['Swiss', 'MISC'],
]);

function doc(n: number): string {
  const paras: string[] = [];
  for (let i = 0; i < n; i++) paras.push(`Paragraph ${i}: Ines Moreau of the Red Cross met Swiss officials in Geneva on 3 May. Moreau flew to Lyon with 40 staff.`);
  return paras.join('\n\n');
}

describe('EntityRecognizer (incremental)', () => {
  it('re-recognises only the edited paragraph and agrees with a fresh run', () => {
    const rec = new EntityRecognizer({ model, documentDate: '2024-05-10' });
    const text = doc(50);
    rec.recognize(text);
    assert.equal(rec.stats.recognised, 50);
    const at = text.indexOf('Geneva', text.indexOf('Paragraph 20'));
    const edited = `${text.slice(0, at)}Lyon${text.slice(at + 'Geneva'.length)}`;
    const inc = rec.recognize(edited);
    assert.equal(rec.stats.recognised, 1);
    const fresh = recognizeEntities(edited, { model, documentDate: '2024-05-10' });
    assert.deepEqual(inc, fresh);
    // The edited place is now Lyon, offsets shifted correctly after it.
    const m = inc.mentions.find((x) => x.start === at);
    assert.equal(m?.text, 'Lyon');
    for (const x of inc.mentions) assert.equal(edited.slice(x.start, x.end), x.text);
  });

  it('the document pass links across cached paragraphs', () => {
    const rec = new EntityRecognizer({ model: listTagger([['Ines Moreau', 'PER'], ['Moreau', 'PER']]) });
    rec.recognize('Moreau spoke.\n\nMoreau left.');
    const r = rec.recognize('Ines Moreau arrived.\n\nMoreau spoke.\n\nMoreau left.');
    assert.equal(rec.stats.recognised, 1);
    assert.deepEqual(r.mentions.map((m) => m.canonical), ['Ines Moreau', 'Ines Moreau', 'Ines Moreau']);
  });

  it('changing the dictionary invalidates the cache', () => {
    const rec = new EntityRecognizer({ model });
    rec.recognize(doc(3));
    rec.setOptions({ dictionary: { entries: [{ name: 'Paragraph', type: 'organization', aliases: [] }], ignore: [] } });
    const r = rec.recognize(doc(3));
    assert.equal(rec.stats.recognised, 3);
    assert.ok(r.mentions.some((m) => m.text === 'Paragraph' && m.source === 'dictionary'));
  });

  it('exposes boilerplate spans of the last text', () => {
    const rec = new EntityRecognizer({ model });
    const t = 'Moreau spoke in Lyon.\n\nLeave a Reply\n\nYour email address will not be published.';
    rec.recognize(t);
    assert.deepEqual(rec.boilerplate().map((s) => t.slice(s.start, s.end)), ['Leave a Reply', 'Your email address will not be published.']);
  });
});

describe('the seed source (rules and gazetteers only, no model)', () => {
  const text = readFileSync(join(__dirname, '../../fixtures/ner/seed-000.txt'), 'utf8');
  const r = recognizeEntities(text);
  const at = (s: string, from = 0): { type: string; canonical: string; value?: string } | undefined => {
    const i = text.indexOf(s, from);
    const m = r.mentions.find((x) => x.start === i && x.end === i + s.length);
    return m && { type: m.type, canonical: m.canonical, value: m.value };
  };
  it('reads the dateline and normalises dates against it', () => {
    assert.deepEqual(at('23 October'), { type: 'date', canonical: '23 October', value: '2023-10-23' });
    assert.equal(at('Last year')?.value, '2022');
    assert.equal(at('the weekend')?.type, 'date');
    assert.equal(at('The Cradle')?.type, 'organization');
  });
  it('finds qualified numbers and leaves the comment form unmarked', () => {
    assert.equal(at('over 5,000')?.value, '>5000');
    assert.equal(at('More than 2,000')?.value, '>2000');
    assert.ok(!r.mentions.some((m) => m.start >= text.indexOf('Leave a Reply')));
  });
  it('links the INSTC acronym and US to their long forms', () => {
    assert.equal(at('INSTC')?.canonical, 'International North-South Transport Corridor');
    assert.equal(at('US')?.canonical, 'United States');
  });
});

describe('EntityRecognizer: random edits agree with a fresh run', () => {
  const base = [
    'Ines Moreau of the Red Cross met Swiss officials in Geneva on 3 May.',
    'Moreau flew to Lyon with over 40 staff.',
    'The Red Cross (RC) said the RC would stay. Lyon welcomed them.',
    'Later that week Moreau said she would return to Geneva.',
  ].join('\n\n');
  const pieces = ['\n\n', '\n', ' ', 'Moreau ', 'Lyon', 'x', 'Ines Moreau', '(RC)', '.', 'Geneva '];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  it('300 random edits (insertions, deletions, paragraph breaks)', () => {
    const rec = new EntityRecognizer({ model, documentDate: '2024-05-10' });
    let text = base;
    rec.recognize(text);
    for (let i = 0; i < 300; i++) {
      const at = rand(text.length + 1);
      const del = rand(3) === 0 ? rand(Math.min(12, text.length - at) + 1) : 0;
      const ins = rand(4) === 0 ? '' : pieces[rand(pieces.length)];
      const next = text.slice(0, at) + ins + text.slice(at + del);
      const hint = rand(2) === 0 ? { offset: at, length: del, text: ins } : undefined;
      const inc = rec.recognize(next, hint);
      const fresh = recognizeEntities(next, { model, documentDate: '2024-05-10' });
      assert.deepEqual(inc, fresh, `edit ${i}: ${JSON.stringify({ at, del, ins })}`);
      text = next.length > 2000 ? base : next;
      if (text === base) rec.recognize(text);
    }
  });
});
