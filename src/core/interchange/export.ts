/** One entry point for every export format (used by the CLI and the palette's Export… command). */
import { toBrat } from './brat';
import { bratMarkerLine, markdownMarkerLine } from './marker';
import { toCsv } from './csv';
import { toMarkdown } from './markdown';
import type { ExportSource } from './model';
import { toW3C } from './w3cExport';
import { toClaimReviewJson, type ClaimReviewInput, type Publisher } from '../claims/claimreview';
import { toFactCheckMarkdown } from '../claims/factcheck';
import type { VerdictRatings } from '../claims/details';

export const EXPORT_FORMATS = ['w3c', 'brat', 'csv', 'md', 'claimreview'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const IMPORT_FORMATS = ['w3c', 'brat'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_LABEL: Record<ExportFormat, string> = {
  w3c: 'W3C Web Annotation (JSON-LD)',
  brat: 'brat standoff (.ann)',
  csv: 'CSV',
  md: 'Markdown report',
  claimreview: 'schema.org ClaimReview (JSON-LD)',
};

export const FORMAT_EXTENSION: Record<ExportFormat, string> = { w3c: 'jsonld', brat: 'ann', csv: 'csv', md: 'md', claimreview: 'jsonld' };

/** The Markdown layouts: the full report, or the fact-check draft (claims with verdicts, their evidence). */
export const MD_LAYOUTS = ['report', 'factcheck'] as const;
export type MdLayout = (typeof MD_LAYOUTS)[number];

export interface ExportOptions {
  /** CSV only (default true): the header row — false only to append a further source to the same stream. */
  header?: boolean;
  /** Markdown only: `report` (default) or `factcheck`. */
  layout?: MdLayout;
  /** ClaimReview and the fact-check draft: who publishes the review (settings marginalia.publisher.*). */
  publisher?: Publisher;
  /** ClaimReview and the fact-check draft: the verdict scale's ratings (setting marginalia.annotations.verdictRatings). */
  ratings?: VerdictRatings;
}

/** The ClaimReview / fact-check input for one exported source. */
export function claimInput(src: ExportSource, options: ExportOptions = {}): ClaimReviewInput {
  const input: ClaimReviewInput = { path: src.path, text: src.text, annotations: src.annotations };
  if (src.orphans) input.orphans = src.orphans;
  if (src.sidecar) input.sidecar = src.sidecar;
  if (src.analysis) input.analysis = src.analysis;
  if (src.evidenceTexts) input.evidenceTexts = src.evidenceTexts;
  if (options.publisher) input.publisher = options.publisher;
  if (options.ratings) input.ratings = options.ratings;
  return input;
}

/**
 * One source in `format`, with the format's export marker (see marker.ts) so a later export
 * recognises the file as its own. `header` (CSV only, default true): the header row, which is also
 * CSV's marker — false only to append a further source to the same stream. `claimreview` writes
 * only the reviews with every required field (see `buildClaimReviews` for the others' problems).
 */
export function exportSource(format: ExportFormat, src: ExportSource, options: ExportOptions = {}): string {
  switch (format) {
    case 'w3c':
      return JSON.stringify(toW3C(src), null, 2) + '\n';
    case 'brat':
      return bratMarkerLine(src) + '\n' + toBrat(src);
    case 'csv':
      return toCsv(src, { header: options.header !== false });
    case 'md':
      return markdownMarkerLine(src.path) + '\n' + (options.layout === 'factcheck' ? toFactCheckMarkdown(claimInput(src, options)) : toMarkdown(src));
    case 'claimreview':
      // Complete reviews only: `buildClaimReviews` tells what the others lack (the CLI reports it).
      return toClaimReviewJson(claimInput(src, options)).text;
  }
}
