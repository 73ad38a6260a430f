/**
 * Quotation fidelity: every quotation compared, word by word, with the primary sources (transcripts,
 * statements, press releases) and with the same quotation in other sources. Pure core: no `vscode`,
 * no Node built-ins.
 *
 * For an editor integration:
 * - keep one `QuoteIndex` per workspace; which files are primary: `isPrimarySource(relPath,
 *   globs = marginalia.primarySources, marked = readPrimaryList(project))`; "Mark as Primary Source"
 *   is `writePrimaryList(project, togglePrimary(list, relPath, true))`;
 * - on open, edit (debounced), save, rename and delete: `setSource(path, {text, primary, quotes})`
 *   with the quotations of `analyzeSource` (primary sources need no quotations), or `removeSource`;
 *   an edit costs what indexing that one source costs;
 * - to draw: `check(path)` → per quotation `status`, `matches[i].{path, start, end, parts, diff}`
 *   (UTF-16 offsets into the normalised texts); re-run when `version` changed. `checkSpan(text, s, e)`
 *   checks any selection; `bySpeaker()` lists quotations by person across sources.
 */
export { blocksOf } from './blocks';
export { QuoteIndex, MIN_WORDS, SHORT_WORDS, type DiffOp, type IndexStats, type QuoteCheck, type QuoteMatch, type QuoteRef, type SourceInput, type SpeakerGroup } from './quoteIndex';
export { align, classify, chainBlocks, MIN_COVERAGE, STATUS_ORDER, type Alignment, type QuoteStatus } from './align';
export { parseQuotation, countWords, type QuoteItem } from './quotation';
export { identifySpeakers, speakerKey } from './speakers';
export { words, normWord, Vocabulary, trigramKey } from './words';
export { Postings } from './postings';
export {
  DEFAULT_PRIMARY_SOURCES,
  PRIMARY_LIST_PATH,
  globToRegExp,
  isPrimarySource,
  matchesGlob,
  normalizeListPath,
  parsePrimaryList,
  readPrimaryList,
  readPrimaryListAt,
  serializePrimaryList,
  togglePrimary,
  writePrimaryList,
} from './primary';
