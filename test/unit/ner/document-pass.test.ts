import * as assert from 'node:assert/strict';
import { EntityRecognizer, recognizeEntities, type NameSpan, type NameTagger } from '../../../src/core/ner';
import { lookupGazetteer } from '../../../src/core/ner/gazetteer';
import { groupCanonical, isCountry, isFirstNameOnly, isKnownName, orgCanonical, phraseInfo, placeCanonical } from '../../../src/core/ner/lexicon';
import { isHonorific, isTitleOrHonorific, isTitleWord, roleAfter, roleBefore, roleBeforeComma } from '../../../src/core/ner/roles';
import { listTagger } from './helpers';

const phrase = (text: string, s: { start: number; end: number } | undefined): string | undefined => s && text.slice(s.start, s.end);

describe('document pass: the index built on a first recognition serves the first edit', () => {
  const model = listTagger([['Ines Moreau', 'PER'], ['Moreau', 'PER'], ['Lyon', 'LOC'], ['Red Cross', 'ORG'], ['Red Cross Society', 'ORG']]);
  const filler = (i: number): string => `Paragraph ${i} says nothing about anyone in particular.`;

  it('an edit naming a full name re-resolves the far paragraphs holding the surname, and only those', () => {
    const paras = Array.from({ length: 30 }, (_, i) => filler(i));
    paras[25] = 'Later Moreau flew to Lyon.';
    paras[28] = 'Moreau came back.';
    const text = paras.join('\n\n');
    const rec = new EntityRecognizer({ model });
    const first = rec.recognize(text);
    assert.deepEqual(first.mentions.filter((m) => m.text === 'Moreau').map((m) => m.canonical), ['Moreau', 'Moreau']);
    const at = text.indexOf('says nothing', text.indexOf('Paragraph 3 '));
    const edited = `${text.slice(0, at)}says Ines Moreau ${text.slice(at)}`;
    const r = rec.recognize(edited);
    assert.deepEqual(r, recognizeEntities(edited, { model }));
    assert.deepEqual(r.mentions.filter((m) => m.text === 'Moreau').map((m) => m.canonical), ['Ines Moreau', 'Ines Moreau']);
    // The edited paragraph and the two holding "Moreau"; not the 27 others.
    assert.equal(rec.stats.resolved, 3);
    // Undo: back to the first result.
    assert.deepEqual(rec.recognize(text), recognizeEntities(text, { model }));
    assert.equal(rec.stats.resolved, 3);
  });

  it('an edit that makes a form a strong majority (same majority type) marks its unmarked occurrences', () => {
    // The tagger marks "Moreau" only before "said": elsewhere it is a candidate for the consistency pass.
    const tagger: NameTagger = (text, start, end) => {
      const out: NameSpan[] = [];
      for (const m of text.slice(start, end).matchAll(/Moreau(?= said)/g)) out.push({ start: start + m.index, end: start + m.index + 6, label: 'PER', confidence: 0.9 });
      return out;
    };
    const text = 'Moreau said hello.\n\nLater, Moreau left.';
    const rec = new EntityRecognizer({ model: tagger });
    assert.deepEqual(rec.recognize(text).mentions.map((m) => m.start), [0]);
    // A second confident mention: "Moreau" is now a strong majority for a person (it was a majority already).
    const edited = `Moreau said goodbye.\n\n${text}`;
    const r = rec.recognize(edited);
    assert.deepEqual(r, recognizeEntities(edited, { model: tagger }));
    assert.deepEqual(r.mentions.map((m) => [m.text, m.source]), [['Moreau', 'model'], ['Moreau', 'model'], ['Moreau', 'consistency']]);
  });

  it('a full name written with a no-break space links its surname like one with a space', () => {
    const text = 'Ines\u00a0Moreau arrived.\n\nMoreau spoke.';
    const tagger = listTagger([['Ines\u00a0Moreau', 'PER'], ['Moreau', 'PER']]);
    const r = recognizeEntities(text, { model: tagger });
    assert.deepEqual(r.mentions.map((m) => m.canonical), ['Ines\u00a0Moreau', 'Ines\u00a0Moreau']);
    assert.equal(r.entities.length, 1);
    assert.deepEqual(r.entities[0].aliases, ['Moreau']);
  });

  it('a long form is found from its last words and its initials; one-word forms stay themselves', () => {
    const text = 'The Red Cross Society (RCS) met in Lyon.\n\nThe RCS and the Red Cross said Lyon was calm.';
    const tagger = listTagger([['Red Cross Society', 'ORG'], ['RCS', 'ORG'], ['Red Cross', 'ORG'], ['Lyon', 'LOC']]);
    const r = recognizeEntities(text, { model: tagger });
    const by = (t: string): string[] => r.mentions.filter((m) => m.text === t).map((m) => m.canonical);
    assert.deepEqual(by('RCS'), ['Red Cross Society', 'Red Cross Society']);
    assert.deepEqual(by('Red Cross'), ['Red Cross Society']);
    assert.deepEqual(by('Lyon'), ['Lyon', 'Lyon']);
    assert.equal(new Set(r.mentions.filter((m) => m.type === 'organization').map((m) => m.entityId)).size, 1);
  });
});

describe('lexicon: answers derived once per phrase agree with the gazetteer entries', () => {
  const phrases = ['Russian', 'Russians', 'US', 'U.S.', 'us', 'Georgia', 'UN Security Council', 'Security Council', 'Azeri', 'John', 'Paris', 'nothing here', 'United  States', 'al-Qaeda', ''];
  for (const p of phrases) {
    it(JSON.stringify(p), () => {
      const entries = lookupGazetteer(p);
      const group = entries.find((e) => e.type === 'group')?.canonical;
      const place = entries.find((e) => e.type === 'place')?.canonical;
      const org = entries.find((e) => e.type === 'organization')?.canonical;
      assert.equal(groupCanonical(p), group);
      assert.equal(placeCanonical(p), place);
      assert.equal(orgCanonical(p), org);
      assert.equal(isCountry(p), entries.some((e) => e.type === 'place' && e.kind === 'country'));
      assert.equal(isFirstNameOnly(p), entries.length > 0 && entries.every((e) => e.type === 'person-first-name'));
      assert.equal(isKnownName(p), !!(group || place || org));
      assert.deepEqual(phraseInfo(p), { group, place, org, country: isCountry(p), firstNameOnly: isFirstNameOnly(p) });
    });
  }
  it('knows the usual ones', () => {
    assert.equal(placeCanonical('US'), 'United States');
    assert.ok(isCountry('Georgia'));
    assert.equal(groupCanonical('Russian'), 'Russians');
  });
});

describe('roles: title words and role phrases', () => {
  it('title words with or without a final period, any case; honorifics', () => {
    for (const w of ['President', 'GEN.', 'gen.', 'Sen.', 'Dr', 'dr.', 'Mr', 'Prof.', 'minister']) assert.equal(isTitleWord(w), true, w);
    for (const w of ['Gen', 'sen', 'Generals', 'Lavrov', '', '.', 'presidents', 'Mr..x']) assert.equal(isTitleWord(w), false, w);
    assert.equal(isTitleWord('Dr..'), true);
    for (const w of ['President', 'Mr.', 'mrs', 'Sir', 'Lavrov', 'Gen', 'gen.', 'Professor', '', 'LADY', 'dame.']) assert.equal(isTitleOrHonorific(w), isTitleWord(w) || isHonorific(w), w);
  });

  it('a role before a name, with apostrophes and hyphens (ASCII or not)', () => {
    const cases: [string, string | undefined][] = [
      ['Russian Foreign Minister Sergei Lavrov said', 'Russian Foreign Minister'],
      ['Russia’s Foreign Minister Sergei Lavrov said', 'Russia’s Foreign Minister'],
      ["Russia's Vice-President Sergei Lavrov said", "Russia's Vice-President"],
      ['US Sec. of State Sergei Lavrov said', 'US Sec. of State'],
      ['In Moscow Sergei Lavrov said', undefined],
      ['said Mr. Sergei Lavrov', undefined],
      ['the minister\u00a0Sergei Lavrov', 'minister'],
      ['Minister Ümit Lavrov', 'Minister'],
    ];
    for (const [text, want] of cases) {
      const at = text.search(/Sergei|Ümit/);
      assert.equal(phrase(text, roleBefore(text, at)), want, text);
    }
  });

  it('a role before a comma and a name; an appositive role after a name', () => {
    const t1 = 'He met the Russian foreign minister, Sergei Lavrov, in Geneva.';
    assert.equal(phrase(t1, roleBeforeComma(t1, t1.indexOf('Sergei'))), 'Russian foreign minister');
    const t2 = 'He met the Russian foreign minister,\u00a0 Sergei Lavrov, in Geneva.';
    assert.equal(phrase(t2, roleBeforeComma(t2, t2.indexOf('Sergei'))), 'Russian foreign minister');
    const t4 = 'Iran’s president, Sergei Lavrov, said';
    assert.equal(phrase(t4, roleBeforeComma(t4, t4.indexOf('Sergei'))), 'Iran’s president');
    const t5 = 'the secretary-general, Sergei Lavrov, said';
    assert.equal(phrase(t5, roleBeforeComma(t5, t5.indexOf('Sergei'))), 'secretary-general');
    for (const t of ['He met the Russian foreign minister Sergei Lavrov.', 'He met the Russian foreign minister,Sergei Lavrov.', ', Sergei Lavrov', 'In Moscow, Sergei Lavrov said', 'the new présidenT, Sergei Lavrov', 'x -, Sergei Lavrov']) {
      assert.equal(roleBeforeComma(t, t.indexOf('Sergei')), undefined, t);
    }
    const t3 = 'Sergei Lavrov, Russia’s foreign minister, said so.';
    assert.equal(phrase(t3, roleAfter(t3, 'Sergei Lavrov'.length)), 'Russia’s foreign minister');
    for (const t of ['Sergei Lavrov said so, the foreign minister, said', 'Sergei Lavrov', 'Sergei Lavrov , the foreign minister, said']) {
      assert.equal(roleAfter(t, 'Sergei Lavrov'.length), undefined, t);
    }
    assert.equal(roleAfter(t3, 'Sergei Lavrov'.length, 'Sergei Lavrov'.length), undefined);
  });
});

describe('document pass: an edit re-resolves what depends on other surfaces', () => {
  /** A tagging function from a rule per paragraph (deterministic, no document context). */
  const tagger = (rule: (text: string) => [RegExp, (m: string, paragraph: string) => NameSpan['label']]): NameTagger => (text, start, end) => {
    const [re, label] = rule(text);
    const out: NameSpan[] = [];
    for (const m of text.slice(start, end).matchAll(re)) out.push({ start: start + m.index, end: start + m.index + m[0].length, label: label(m[0], text), confidence: 0.95 });
    return out;
  };

  it('a two-word name read as an organisation becomes a person once its surname is a person', () => {
    const model = tagger(() => [/John Smith|Smith/g, (m) => (m === 'Smith' ? 'PER' : 'ORG')]);
    const rec = new EntityRecognizer({ model });
    rec.recognize('John Smith met the board.\n\nThey left.');
    const edited = 'John Smith met the board.\n\nSmith left.';
    const r = rec.recognize(edited);
    assert.deepEqual(r, recognizeEntities(edited, { model }));
    assert.deepEqual(r.mentions.map((m) => `${m.text}=${m.type}`), ['John Smith=person', 'Smith=person']);
  });

  it('an acronym follows its expansion when the expansion’s type changes elsewhere', () => {
    const model = tagger(() => [/Foo Bar Holdings|FH/g, (m, p) => (m === 'FH' ? 'ORG' : p.includes('route') ? 'LOC' : 'ORG')]);
    const head = 'The Foo Bar Holdings (FH) opened.\n\nFH grew.\n\nFiller one.\n\nFiller two.\n\n';
    const rec = new EntityRecognizer({ model });
    rec.recognize(`${head}Nothing here.\n\nNothing here either.`);
    const edited = `${head}The Foo Bar Holdings route.\n\nThe Foo Bar Holdings route again.`;
    const r = rec.recognize(edited);
    assert.deepEqual(r, recognizeEntities(edited, { model }));
    assert.deepEqual(r.mentions.filter((m) => m.text === 'FH').map((m) => m.type), ['place', 'place']);
  });
});
