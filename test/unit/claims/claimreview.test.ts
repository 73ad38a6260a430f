/**
 * schema.org ClaimReview: every review the builder makes is checked against the fields Google's
 * ClaimReview structured data requires (claimReviewed, reviewRating with alternateName, the
 * review's url and author, itemReviewed a Claim with an author) and recommends (datePublished,
 * the claim's date and appearance); the validator itself is tested field by field.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildClaimReviews, claimReviewDocument, reviewedClaims, toClaimReviewJson, validateClaimReview, type ClaimReviewInput,
} from '../../../src/core/claims/claimreview';
import { exportSource } from '../../../src/core/interchange/export';
import { isOwnExport } from '../../../src/core/interchange/marker';
import { parseSidecar } from '../../../src/core/sidecar/codec';
import type { Analysis } from '../../../src/core/types';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'claims');
const text = fs.readFileSync(path.join(DIR, 'article.txt'), 'utf8');
const transcript = fs.readFileSync(path.join(DIR, 'transcripts', 'press-conference.txt'), 'utf8');
const parsed = parseSidecar(fs.readFileSync(path.join(DIR, 'article.txt.marginalia.yaml'), 'utf8'));
if (!parsed.ok) throw new Error(parsed.error.message);
const sidecar = parsed.value.sidecar;

function analysis(): Analysis {
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  return {
    mentions: [],
    entities: [{ id: 'person:maria-lopez', type: 'person', canonical: 'Maria Lopez', aliases: [], roles: [], mentions: [at('Maria Lopez')] }],
    quotes: [{ ...at('“We exported 40 million tonnes of grain last year,”'), kind: 'full', speaker: { ...at('Maria Lopez'), name: 'Maria Lopez', entityId: 'person:maria-lopez', via: 'name' }, cue: null, confidence: 1 }],
  };
}

function input(over: Partial<ClaimReviewInput> = {}): ClaimReviewInput {
  return {
    path: 'article.txt', text, annotations: sidecar.annotations, sidecar, analysis: analysis(),
    publisher: { name: 'Check Desk', url: 'https://check.example.org/grain' },
    evidenceTexts: new Map([['transcripts/press-conference.txt', transcript + 'https://gov.example/transcript\n']]),
    ...over,
  };
}

/** A review with every field, to take apart. */
function full(): Record<string, unknown> {
  return structuredClone(buildClaimReviews(input())[0]!.review);
}

describe('claims: ClaimReview builder and validator', () => {
  it('builds a complete review for a claim in a quotation: rating, claimant, date, appearance, citation', () => {
    const built = buildClaimReviews(input());
    assert.equal(built.length, 2);
    const a = built[0]!;
    assert.equal(a.id, '01JCLAIM00000000000000000A');
    assert.deepStrictEqual(a.problems, []);
    assert.equal(a.complete, true);
    assert.deepStrictEqual(a.review, {
      '@type': 'ClaimReview',
      url: 'https://check.example.org/grain',
      claimReviewed: 'We exported 40 million tonnes of grain last year',
      author: { '@type': 'Organization', name: 'Check Desk', url: 'https://check.example.org/grain' },
      datePublished: '2026-11-28T10:12:00.000Z',
      reviewRating: { '@type': 'Rating', alternateName: 'false', ratingValue: 1, bestRating: 5, worstRating: 1 },
      itemReviewed: {
        '@type': 'Claim',
        author: { '@type': 'Person', name: 'Maria Lopez' },
        datePublished: '2023-10-24',
        appearance: { '@type': 'CreativeWork', url: 'https://news.example.org/2023/10/grain-figures' },
        firstAppearance: { '@type': 'CreativeWork', url: 'https://news.example.org/2023/10/grain-figures' },
      },
      citation: [{ '@type': 'CreativeWork', name: 'transcripts/press-conference.txt', text: 'Our exports reached 32 million tonnes of grain last year', 'marginalia:relation': 'contradicts', url: 'https://gov.example/transcript' }],
      'marginalia:annotation': '01JCLAIM00000000000000000A',
      reviewBody: 'The transcript gives 32 million tonnes.',
    });
    // The claim outside any quotation has no claimant: reported, not guessed.
    const b = built[1]!;
    assert.equal(b.complete, false);
    assert.deepStrictEqual(b.problems.map((p) => [p.field, p.level]), [['itemReviewed.author', 'required']]);
  });

  it('every review built from a complete input passes the validator; the file holds complete reviews only, with its marker', () => {
    const withClaimant = { ...input(), annotations: sidecar.annotations.map((a) => (a.id.endsWith('B') ? { ...a, claimant: 'The ministry' } : a)) };
    const built = buildClaimReviews(withClaimant);
    for (const b of built) assert.deepStrictEqual(validateClaimReview(b.review), [], b.id);
    // the claimant unknown to the recogniser is written as a Person
    assert.deepStrictEqual((built[1]!.review.itemReviewed as Record<string, unknown>).author, { '@type': 'Person', name: 'The ministry' });
    const { text: json } = toClaimReviewJson(input());
    const doc = JSON.parse(json) as Record<string, unknown>;
    assert.equal((doc['@graph'] as unknown[]).length, 1, 'the incomplete review is left out');
    assert.ok(isOwnExport('claimreview', json));
    assert.ok(!isOwnExport('claimreview', JSON.stringify({ '@context': 'https://schema.org', '@type': 'ClaimReview' })));
    assert.ok(!isOwnExport('w3c', json));
    assert.equal(exportSource('claimreview', { path: 'article.txt', text, annotations: sidecar.annotations, sidecar, analysis: analysis() }, { publisher: input().publisher }), json.replace(/,\n\s*"url": "https:\/\/gov\.example\/transcript"/, ''));
  });

  it('unverified has no rating (its name only); a verdict outside the scale likewise; only claims and verdicts with a verdict are reviewed', () => {
    const anns = [
      { ...sidecar.annotations[0]!, verdict: 'unverified' },
      { ...sidecar.annotations[0]!, id: 'n', kind: 'note' as const, verdict: 'false' },
      { ...sidecar.annotations[0]!, id: 'v', kind: 'verdict' as const, verdict: '  ' },
    ];
    assert.deepStrictEqual(reviewedClaims(anns).map((a) => a.id), ['01JCLAIM00000000000000000A']);
    const r = buildClaimReviews(input({ annotations: anns }))[0]!;
    assert.deepStrictEqual(r.review.reviewRating, { '@type': 'Rating', alternateName: 'unverified' });
    assert.deepStrictEqual(r.problems, []);
  });

  it('the validator: each required field missing is reported as required, each recommended one as recommended', () => {
    const cases: [(r: Record<string, unknown>) => void, string, 'required' | 'recommended'][] = [
      [(r) => delete r.claimReviewed, 'claimReviewed', 'required'],
      [(r) => { r.claimReviewed = '  '; }, 'claimReviewed', 'required'],
      [(r) => delete r.reviewRating, 'reviewRating', 'required'],
      [(r) => delete (r.reviewRating as Record<string, unknown>).alternateName, 'reviewRating.alternateName', 'required'],
      [(r) => { (r.reviewRating as Record<string, unknown>)['@type'] = 'AggregateRating'; }, 'reviewRating.@type', 'required'],
      [(r) => delete (r.reviewRating as Record<string, unknown>).bestRating, 'reviewRating.bestRating', 'required'],
      [(r) => { (r.reviewRating as Record<string, unknown>).ratingValue = 9; }, 'reviewRating.ratingValue', 'required'],
      [(r) => delete r.url, 'url', 'required'],
      [(r) => { r.url = 'javascript:alert(1)'; }, 'url', 'required'],
      [(r) => delete r.author, 'author', 'required'],
      [(r) => { r.itemReviewed = { '@type': 'CreativeWork' }; }, 'itemReviewed', 'required'],
      [(r) => delete (r.itemReviewed as Record<string, unknown>).author, 'itemReviewed.author', 'required'],
      [(r) => { (r.itemReviewed as Record<string, unknown>).author = { '@type': 'Thing', name: 'x' }; }, 'itemReviewed.author.@type', 'required'],
      [(r) => delete (r.itemReviewed as Record<string, unknown>).datePublished, 'itemReviewed.datePublished', 'recommended'],
      [(r) => { const c = r.itemReviewed as Record<string, unknown>; delete c.appearance; delete c.firstAppearance; }, 'itemReviewed.appearance', 'recommended'],
      [(r) => delete r.datePublished, 'datePublished', 'recommended'],
      [(r) => { r['@type'] = 'Review'; }, '@type', 'required'],
    ];
    for (const [edit, field, level] of cases) {
      const r = full();
      edit(r);
      const problems = validateClaimReview(r);
      assert.deepStrictEqual(problems.map((p) => [p.field, p.level]), [[field, level]], `${field}: ${JSON.stringify(problems)}`);
    }
    assert.deepStrictEqual(validateClaimReview(null).map((p) => p.field), ['@type']);
    // Without a publisher: the review's url and author are missing (the CLI names them).
    const noPub = buildClaimReviews(input({ publisher: undefined }))[0]!;
    assert.deepStrictEqual(noPub.problems.map((p) => p.field), ['url', 'author']);
    // Without a dateline or a URL: recommended only, still complete.
    const bare = buildClaimReviews(input({ text: text.replace(/^https:.*\n/m, '').replace('October 24, 2023', 'Tuesday') }))[0]!;
    assert.equal(bare.complete, true);
    assert.deepStrictEqual(bare.problems.map((p) => [p.field, p.level]), [['itemReviewed.datePublished', 'recommended'], ['itemReviewed.appearance', 'recommended']]);
  });

  it('the document: schema.org context, the marker first, the reviews as @graph', () => {
    const doc = claimReviewDocument('a.txt', []);
    assert.deepStrictEqual(Object.keys(doc), ['@context', 'marginalia:generator', 'marginalia:exportOf', '@graph']);
    assert.deepStrictEqual(doc['@context'], ['https://schema.org', { marginalia: 'https://marginalia-dev.github.io/ns#' }]);
  });
});
