export * from './types';
export { analyze, type AnalyzeOptions } from './analyze';
export { splitParagraphs } from './text/paragraphs';
export {
  recognizeEntities,
  resolveRolePhrase,
  EntityRecognizer,
  findBoilerplate,
  parseDictionary,
  findDates,
  resolveDate,
  findDateline,
  findNumbers,
  type EntityOptions,
  type EntityResult,
  type RecognizerOptions,
  type RecognizerStats,
  type TextChange,
  type Dictionary,
  type DictionaryEntry,
  type DictionaryProblem,
  type ParsedDictionary,
} from './ner';
