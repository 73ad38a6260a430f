/**
 * Claim details and their defaults: the claimant is the speaker of the quotation holding the claim
 * (a pure function over an Analysis), the date the source's dateline, the appearance the sidecar's
 * url or the first URL line of the source; the verdict scale maps to ratings.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_VERDICT_RATINGS, appearanceOf, claimDateOf, claimantOf, datelineDate, entityNamed, findSourceUrl, isWebUrl, ratingFor, sourceUrlOf,
  speakerOf, verdictRatingsFrom,
} from '../../../src/core/claims/details';
import type { Analysis } from '../../../src/core/types';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'claims', 'article.txt');
const text = fs.readFileSync(FIXTURE, 'utf8');
const span = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });

/** The analysis the recognisers give for the fixture's quotation, by hand (the default is a pure function of it). */
function analysis(): Analysis {
  const quote = span('“We exported 40 million tonnes of grain last year,”');
  const speaker = span('Maria Lopez');
  const org = span('The ministry');
  return {
    mentions: [],
    entities: [
      { id: 'person:maria-lopez', type: 'person', canonical: 'Maria Lopez', aliases: ['Lopez'], roles: ['the agriculture minister'], mentions: [speaker] },
      { id: 'organization:ministry', type: 'organization', canonical: 'Ministry of Agriculture', aliases: ['The ministry'], roles: [], mentions: [org] },
    ],
    quotes: [
      { ...quote, kind: 'full', speaker: { ...speaker, name: 'Maria Lopez', entityId: 'person:maria-lopez', via: 'name' }, cue: span('said'), confidence: 0.9 },
      { ...span('grain figures'), kind: 'scare', speaker: { ...speaker, name: 'Scare', via: 'name' }, cue: null, confidence: 0.5 },
    ],
  };
}

const target = (s: string) => ({ exact: s, prefix: '', suffix: '', ...span(s) });

describe('claims: claimant, date, appearance and ratings', () => {
  it('the claimant defaults to the speaker of the quotation the claim sits in, typed from the analysis', () => {
    const a = analysis();
    assert.deepStrictEqual(claimantOf({ target: target('We exported 40 million tonnes') }, a), { name: 'Maria Lopez', from: 'quotation', type: 'person', entityId: 'person:maria-lopez' });
    // A claim outside any attributed quotation has no default; a scare quote is not a statement.
    assert.equal(claimantOf({ target: target("The ministry's own report") }, a), undefined);
    assert.equal(speakerOf(a, span('grain figures')), undefined);
    // An orphan has no position: only a given claimant counts.
    assert.equal(claimantOf({ target: target('We exported 40 million tonnes'), orphan: true }, a), undefined);
  });

  it('a claimant given in the annotation wins, and is typed when the recogniser knows the name (canonical or alias)', () => {
    const a = analysis();
    assert.deepStrictEqual(claimantOf({ claimant: 'the ministry', target: target('We exported 40 million tonnes') }, a), { name: 'the ministry', from: 'annotation', type: 'organization', entityId: 'organization:ministry' });
    assert.deepStrictEqual(claimantOf({ claimant: 'Someone Else', target: target('We exported 40 million tonnes') }, a), { name: 'Someone Else', from: 'annotation' });
    assert.equal(entityNamed(a, '  '), undefined);
    assert.equal(entityNamed(undefined, 'x'), undefined);
  });

  it('the date defaults to the source\'s dateline; a given claimDate wins', () => {
    assert.equal(datelineDate(text), '2023-10-24');
    assert.deepStrictEqual(claimDateOf({}, text), { date: '2023-10-24', from: 'dateline' });
    assert.deepStrictEqual(claimDateOf({ claimDate: '2023-10-20' }, text), { date: '2023-10-20', from: 'annotation' });
    assert.equal(claimDateOf({}, 'No date here.\nJust text.'), undefined);
  });

  it('the source URL: the sidecar\'s url, else the first line that is a URL (not one inside a sentence)', () => {
    assert.equal(findSourceUrl(text), 'https://news.example.org/2023/10/grain-figures');
    assert.equal(findSourceUrl('See https://a.example/x for more.\nSource: <https://b.example/y>\nhttps://c.example/'), 'https://b.example/y');
    assert.equal(findSourceUrl('URL: https://a.example/p?q=1#f\n'), 'https://a.example/p?q=1#f');
    assert.equal(findSourceUrl('javascript:alert(1)\nftp://x.example/\nhttps://\n'), undefined);
    assert.equal(findSourceUrl('x\n'.repeat(20_000) + 'https://late.example/'), undefined, 'only the head of the text is looked at');
    assert.deepStrictEqual(sourceUrlOf({ extra: { url: 'https://sidecar.example/' } }, text), { url: 'https://sidecar.example/', from: 'sidecar' });
    assert.deepStrictEqual(sourceUrlOf({}, text), { url: 'https://news.example.org/2023/10/grain-figures', from: 'text' });
    assert.deepStrictEqual(appearanceOf({ appearance: 'https://tv.example/clip' }, {}, text), { url: 'https://tv.example/clip', from: 'annotation' });
    assert.deepStrictEqual(appearanceOf({ appearance: 'not a url' }, {}, 'no url'), undefined);
    assert.ok(isWebUrl('http://a.example'));
    assert.ok(!isWebUrl('https://a.example/<script>'));
    assert.ok(!isWebUrl('https://a.example/ x'));
  });

  it('verdict ratings: the default scale, unverified without a rating, a scale from the setting', () => {
    assert.deepStrictEqual(ratingFor('true'), { value: 5, best: 5, worst: 1 });
    assert.deepStrictEqual(ratingFor('FALSE'), { value: 1, best: 5, worst: 1 });
    assert.deepStrictEqual(ratingFor('misleading'), { value: 2, best: 5, worst: 1 });
    assert.equal(ratingFor('unverified'), undefined);
    assert.equal(ratingFor('pants on fire'), undefined);
    const custom = verdictRatingsFrom({ 'pants on fire': 0, 'half true': 3, true: 6, unverified: null });
    assert.deepStrictEqual(custom.problems, []);
    assert.deepStrictEqual(ratingFor('Pants on Fire', custom.ratings), { value: 0, best: 6, worst: 0 });
    const explicit = verdictRatingsFrom({ ratings: { a: 2, b: 3 }, best: 10, worst: 1 });
    assert.deepStrictEqual(ratingFor('a', explicit.ratings), { value: 2, best: 10, worst: 1 });
    const bad = verdictRatingsFrom({ a: 'high' });
    assert.equal(bad.ratings, DEFAULT_VERDICT_RATINGS);
    assert.equal(bad.problems.length, 2);
    assert.equal(verdictRatingsFrom([1]).ratings, DEFAULT_VERDICT_RATINGS);
  });
});
