export * from './types';
export { analyze, type AnalyzeOptions } from './analyze';
export { splitParagraphs } from './text/paragraphs';
