/** One entry point for every export format (used by the CLI and the palette's Export… command). */
import { toBrat } from './brat';
import { bratMarkerLine, markdownMarkerLine } from './marker';
import { toCsv } from './csv';
import { toMarkdown } from './markdown';
import type { ExportSource } from './model';
import { toW3C } from './w3c';

export const EXPORT_FORMATS = ['w3c', 'brat', 'csv', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const IMPORT_FORMATS = ['w3c', 'brat'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_LABEL: Record<ExportFormat, string> = {
  w3c: 'W3C Web Annotation (JSON-LD)',
  brat: 'brat standoff (.ann)',
  csv: 'CSV',
  md: 'Markdown report',
};

export const FORMAT_EXTENSION: Record<ExportFormat, string> = { w3c: 'jsonld', brat: 'ann', csv: 'csv', md: 'md' };

/**
 * One source in `format`, with the format's export marker (see marker.ts) so a later export
 * recognises the file as its own. `header` (CSV only, default true): the header row, which is also
 * CSV's marker — false only to append a further source to the same stream.
 */
export function exportSource(format: ExportFormat, src: ExportSource, options: { header?: boolean } = {}): string {
  switch (format) {
    case 'w3c':
      return JSON.stringify(toW3C(src), null, 2) + '\n';
    case 'brat':
      return bratMarkerLine(src) + '\n' + toBrat(src);
    case 'csv':
      return toCsv(src, { header: options.header !== false });
    case 'md':
      return markdownMarkerLine(src.path) + '\n' + toMarkdown(src);
  }
}
