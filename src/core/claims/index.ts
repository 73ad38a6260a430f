/**
 * Claims and evidence (pure core; the editor and the command line call these):
 * - evidence links across sources: `addEvidence`, `removeEvidence`, `makeEvidence`,
 *   `anchorEvidence(project, loaded)` / `anchorEvidenceOn(sidecar, texts)`;
 * - claim details with their defaults: `claimantOf`, `claimDateOf`, `appearanceOf`,
 *   `sourceUrlOf`, `findSourceUrl`, `sidecarUrl` / `withSidecarUrl`;
 * - verdict ratings: `DEFAULT_VERDICT_RATINGS`, `verdictRatingsFrom(setting)`, `ratingFor`;
 * - schema.org ClaimReview: `buildClaimReviews`, `validateClaimReview`, `toClaimReviewJson`;
 * - the Markdown fact-check draft: `toFactCheckMarkdown`.
 */
export * from './evidence';
export * from './details';
export * from './claimreview';
export * from './factcheck';
