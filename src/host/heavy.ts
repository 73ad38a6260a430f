/**
 * The heavy half of the extension: recognition (tagger, gazetteers, quotations), the workspace
 * dictionary and sidecar codecs (the `yaml` package), merging and the interchange formats.
 *
 * Nothing on the activation path imports this module: host code reaches it through `heavy()`
 * (./lazy.ts) the first time it is needed (first source analysed, first sidecar read, an export).
 * In the Node bundle it is a second file, dist/node/heavy.js, that `require` loads on that first
 * use (scripts/build.mjs); in the web bundle it stays in dist/web/extension.js (esbuild defers its
 * module bodies until that first `require`).
 *
 * Keep `vscode` out of here: only pure core code and the engine built on it.
 */
export { ChunkedEngine } from '../core/live/chunked';
export { loadTaggerModel } from '../core/ner/tagger';
export { parseDictionary } from '../core/ner/dictionary';
export { parseSidecar, serializeSidecar } from '../core/sidecar/codec';
export { mergeSidecars } from '../core/sidecar/merge';
export { claimInput, exportSource, EXPORT_FORMATS, FORMAT_EXTENSION, FORMAT_LABEL } from '../core/interchange/export';
export { importIntoSidecar, readInterchange } from '../core/interchange/import';
export { placeTargets } from '../core/interchange/anchoring';
export { importSummary } from '../core/project/import';
export { writeSidecar, replaceFile, recoverLeftovers, UNCHANGED } from '../core/project/writer';
export { EXPORT_SUFFIX } from '../core/project/exportPlan';
export { toNormalizedOffsets } from '../core/interchange/codepoints';
export { remapAnalysis } from '../core/interchange/remap';
export { QuoteIndex } from '../core/quotecheck/quoteIndex';
export { addEvidence, removeEvidence, anchorEvidence, anchorEvidenceOn, normalizeEvidenceSource, buildClaimReviews, reviewedClaims, verdictRatingsFrom } from '../core/claims';
export { anchorSidecar, readSourceText } from '../core/project/load';
export { WorkspaceLearner } from '../core/project/learning';
export { readLearningState } from '../core/project/workspace';
