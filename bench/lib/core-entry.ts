/**
 * What the throughput case measures, bundled the way the extension ships its code (see
 * bench/lib/shipped.ts): the tokenizer, the tagger, entity recognition and `analyze`.
 */
export { tokenize } from '../../src/core/text/tokenize';
export { loadTaggerModel, tagDocument } from '../../src/core/ner/tagger';
export { recognizeEntities } from '../../src/core/ner';
export { analyze } from '../../src/core/analyze';
