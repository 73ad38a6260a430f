/**
 * schema.org `ClaimReview` (https://schema.org/ClaimReview), the format fact-check aggregators and
 * search engines read: one JSON-LD document per source, one ClaimReview per claim with a verdict.
 *
 * - `buildClaimReviews(input)` makes the reviews and validates each (`validateClaimReview`);
 * - `claimReviewDocument(source, reviews)` is the file: `@context` schema.org (plus the
 *   `marginalia` prefix), the export marker (`marginalia:generator`, `marginalia:exportOf`) and an
 *   `@graph` of the reviews;
 * - `validateClaimReview(review)` checks the fields Google's ClaimReview structured data requires
 *   (`claimReviewed`, `reviewRating.alternateName`, `url`, `author`, `itemReviewed` a `Claim` with
 *   an `author`) and recommends (`datePublished`, the claim's `datePublished`, `appearance` or
 *   `firstAppearance` with a `url`); missing fields are reported, never guessed.
 */
import type { AnnotationLike } from '../interchange/model';
import type { Annotation, Evidence, Sidecar } from '../sidecar/model';
import type { Analysis } from '../types';
import {
  DEFAULT_VERDICT_RATINGS, appearanceOf, claimDateOf, claimantOf, findSourceUrl, isWebUrl, ratingFor, type VerdictRatings,
} from './details';

export const SCHEMA_ORG = 'https://schema.org';
export const MARGINALIA_NS = 'https://marginalia-dev.github.io/ns#';
export const CLAIMREVIEW_CONTEXT = [SCHEMA_ORG, { marginalia: MARGINALIA_NS }] as const;
export const CLAIMREVIEW_GENERATOR = 'Marginalia';

/** Who publishes the fact-check (settings `marginalia.publisher.name` and `marginalia.publisher.url`). */
export interface Publisher {
  name?: string;
  /** The address of the fact-check: each review's `url`, and the publisher's. */
  url?: string;
}

export interface ClaimAnnotation extends AnnotationLike {
  claimant?: string;
  claimDate?: string;
  appearance?: string;
  evidence?: Evidence[];
  orphan?: boolean;
}

export interface ClaimReviewInput {
  /** The source's path as exported (workspace-relative). */
  path: string;
  /** The source's normalised text. */
  text: string;
  annotations: readonly ClaimAnnotation[];
  /** Ids of orphaned annotations (their text is gone). */
  orphans?: ReadonlySet<string>;
  /** The sidecar (for its top-level `url:`). */
  sidecar?: Pick<Sidecar, 'extra'>;
  analysis?: Analysis;
  publisher?: Publisher;
  ratings?: VerdictRatings;
  /** Current texts of the evidence sources (from `anchorEvidence`), for their URLs. */
  evidenceTexts?: ReadonlyMap<string, string | undefined>;
}

export type JsonObject = Record<string, unknown>;

export interface ClaimReviewProblem {
  /** The field, as a path in the review (`itemReviewed.author`). */
  field: string;
  level: 'required' | 'recommended';
  message: string;
}

export interface BuiltClaimReview {
  /** The annotation's id. */
  id: string;
  review: JsonObject;
  problems: ClaimReviewProblem[];
  /** No required field is missing. */
  complete: boolean;
}

/** The annotations a ClaimReview export reviews: claims and verdicts with a non-empty verdict. */
export function reviewedClaims<T extends { kind: string; verdict?: string }>(annotations: readonly T[]): T[] {
  return annotations.filter((a) => (a.kind === 'claim' || a.kind === 'verdict') && typeof a.verdict === 'string' && a.verdict.trim() !== '');
}

/** Whitespace runs as one space, trimmed. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One ClaimReview (not validated). */
export function buildClaimReview(input: ClaimReviewInput, a: ClaimAnnotation): JsonObject {
  const scale = input.ratings ?? DEFAULT_VERDICT_RATINGS;
  const verdict = (a.verdict ?? '').trim();
  const orphan = a.orphan === true || (input.orphans?.has(a.id) ?? false);
  const review: JsonObject = { '@type': 'ClaimReview' };
  if (nonEmpty(input.publisher?.url)) review.url = input.publisher!.url!.trim();
  review.claimReviewed = oneLine(a.target.exact);
  if (nonEmpty(input.publisher?.name)) {
    const author: JsonObject = { '@type': 'Organization', name: input.publisher!.name!.trim() };
    if (nonEmpty(input.publisher?.url)) author.url = input.publisher!.url!.trim();
    review.author = author;
  }
  const published = a.modified ?? a.created;
  if (nonEmpty(published)) review.datePublished = published;
  const rating: JsonObject = { '@type': 'Rating', alternateName: verdict };
  const r = ratingFor(verdict, scale);
  if (r) {
    rating.ratingValue = r.value;
    rating.bestRating = r.best;
    rating.worstRating = r.worst;
  }
  review.reviewRating = rating;

  const claim: JsonObject = { '@type': 'Claim' };
  const who = claimantOf({ claimant: a.claimant, target: a.target as Annotation['target'], orphan }, input.analysis);
  if (who) claim.author = { '@type': who.type === 'organization' || who.type === 'group' ? 'Organization' : 'Person', name: who.name };
  const when = claimDateOf(a, input.text);
  if (when) claim.datePublished = when.date;
  const where = appearanceOf(a, input.sidecar, input.text);
  if (where) {
    const work = { '@type': 'CreativeWork', url: where.url };
    claim.appearance = work;
    claim.firstAppearance = work;
  }
  review.itemReviewed = claim;

  const citations = (a.evidence ?? []).map((e) => {
    const c: JsonObject = { '@type': 'CreativeWork', name: e.source, text: oneLine(e.target.exact), 'marginalia:relation': e.relation };
    const t = input.evidenceTexts?.get(e.source);
    const url = e.source === input.path ? where?.url ?? findSourceUrl(input.text) : t !== undefined ? findSourceUrl(t) : undefined;
    if (url) c.url = url;
    if (e.orphan) c['marginalia:orphan'] = true;
    return c;
  });
  if (citations.length) review.citation = citations;
  review['marginalia:annotation'] = a.id;
  if (a.note && a.note.trim()) review.reviewBody = a.note.trim();
  return review;
}

/**
 * What a ClaimReview lacks for search engines (Google's ClaimReview structured data): required
 * `claimReviewed`, `reviewRating` (a Rating) with `alternateName`, `url` (an http(s) URL),
 * `author` with a `name`, `itemReviewed` a `Claim` whose `author` (Person or Organization) has a
 * `name`; a `ratingValue`, when given, needs `bestRating` and `worstRating` with the value between
 * them. Recommended: the review's `datePublished`, the claim's `datePublished`, and its
 * `appearance` or `firstAppearance` (a CreativeWork with a `url`). Pure.
 */
export function validateClaimReview(review: unknown): ClaimReviewProblem[] {
  const out: ClaimReviewProblem[] = [];
  const req = (field: string, message: string): void => void out.push({ field, level: 'required', message });
  const rec = (field: string, message: string): void => void out.push({ field, level: 'recommended', message });
  if (!isObject(review)) {
    req('@type', 'not a ClaimReview object');
    return out;
  }
  if (review['@type'] !== 'ClaimReview') req('@type', '@type must be ClaimReview');
  if (!nonEmpty(review.claimReviewed)) req('claimReviewed', 'the text of the claim is missing');
  const rating = review.reviewRating;
  if (!isObject(rating)) req('reviewRating', 'the rating (a Rating with alternateName) is missing');
  else {
    if (rating['@type'] !== 'Rating') req('reviewRating.@type', '@type must be Rating');
    if (!nonEmpty(rating.alternateName)) req('reviewRating.alternateName', 'the verdict (alternateName) is missing');
    const v = rating.ratingValue;
    if (v !== undefined) {
      const best = rating.bestRating;
      const worst = rating.worstRating;
      if (typeof v !== 'number') req('reviewRating.ratingValue', 'ratingValue must be a number');
      if (typeof best !== 'number') req('reviewRating.bestRating', 'a ratingValue needs bestRating');
      if (typeof worst !== 'number') req('reviewRating.worstRating', 'a ratingValue needs worstRating');
      if (typeof v === 'number' && typeof best === 'number' && typeof worst === 'number' && !(Math.min(best, worst) <= v && v <= Math.max(best, worst))) {
        req('reviewRating.ratingValue', `ratingValue ${v} is not between worstRating ${worst} and bestRating ${best}`);
      }
    }
  }
  if (!nonEmpty(review.url)) req('url', 'the address of the review is missing (marginalia.publisher.url, --publisher-url)');
  else if (!isWebUrl(review.url)) req('url', `the address of the review is not an http(s) URL: ${review.url}`);
  const author = review.author;
  if (!isObject(author) || !nonEmpty(author.name)) req('author', 'the publisher of the review is missing (marginalia.publisher.name, --publisher-name)');
  const claim = review.itemReviewed;
  if (!isObject(claim) || claim['@type'] !== 'Claim') req('itemReviewed', 'itemReviewed must be a Claim');
  else {
    const ca = claim.author;
    if (!isObject(ca) || !nonEmpty(ca.name)) req('itemReviewed.author', 'who made the claim is unknown: set the claimant (it defaults to the speaker of the quotation holding the claim)');
    else if (ca['@type'] !== 'Person' && ca['@type'] !== 'Organization') req('itemReviewed.author.@type', 'the claimant must be a Person or an Organization');
    if (!nonEmpty(claim.datePublished)) rec('itemReviewed.datePublished', 'when the claim was made is unknown: set claimDate (it defaults to the source\'s dateline)');
    const app = isObject(claim.appearance) ? claim.appearance : isObject(claim.firstAppearance) ? claim.firstAppearance : undefined;
    if (!app || !nonEmpty(app.url)) rec('itemReviewed.appearance', 'where the claim appeared is unknown: set the sidecar\'s url (or the claim\'s appearance)');
    else if (!isWebUrl(app.url)) req('itemReviewed.appearance.url', `the appearance is not an http(s) URL: ${app.url}`);
  }
  if (!nonEmpty(review.datePublished)) rec('datePublished', 'the review has no date (the annotation\'s modified or created)');
  return out;
}

/** A ClaimReview for each claim with a verdict, in text order, each validated. */
export function buildClaimReviews(input: ClaimReviewInput): BuiltClaimReview[] {
  const claims = reviewedClaims(input.annotations).slice().sort((x, y) => x.target.start - y.target.start || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return claims.map((a) => {
    const review = buildClaimReview(input, a);
    const problems = validateClaimReview(review);
    return { id: a.id, review, problems, complete: !problems.some((p) => p.level === 'required') };
  });
}

/**
 * The JSON-LD document for one source: the export marker (`marginalia:generator`, then
 * `marginalia:exportOf`, right after `@context`; see marker.ts) and the reviews as an `@graph`.
 */
export function claimReviewDocument(sourcePath: string, reviews: readonly JsonObject[]): JsonObject {
  return {
    '@context': CLAIMREVIEW_CONTEXT,
    'marginalia:generator': CLAIMREVIEW_GENERATOR,
    'marginalia:exportOf': sourcePath,
    '@graph': reviews,
  };
}

/** The document as text (what `marginalia export --format claimreview` writes): complete reviews only. */
export function toClaimReviewJson(input: ClaimReviewInput): { text: string; built: BuiltClaimReview[] } {
  const built = buildClaimReviews(input);
  const doc = claimReviewDocument(input.path, built.filter((b) => b.complete).map((b) => b.review));
  return { text: JSON.stringify(doc, null, 2) + '\n', built };
}
