/** Interchange formats (pure; used by the CLI and by the palette's Export… / Import… commands). */
export * from './model';
export * from './codepoints';
export { toW3C, fromW3C, W3C_CONTEXT, MARGINALIA_NS, ANNOTATION_IRI_PREFIX, type W3CAnnotation, type W3CCollection } from './w3c';
export { toBrat, fromBrat, escapeNote, unescapeNote } from './brat';
export { toCsv, parseCsv, csvField, CSV_COLUMNS } from './csv';
export { toMarkdown, escapeMarkdown, markdownBlockQuote } from './markdown';
export { remapAnalysis } from './remap';
