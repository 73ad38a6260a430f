import type { Analysis } from './types';
import { recognizeEntities, type EntityOptions } from './ner';
import { findQuotes } from './quotes';

export type AnalyzeOptions = EntityOptions;

/** Entities, then quotations attributed with the help of those entities. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const entities = recognizeEntities(text, options);
  const quotes = findQuotes(text, entities);
  return { mentions: entities.mentions, entities: entities.entities, quotes };
}
