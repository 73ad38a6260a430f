// STUB — to be replaced by the entity recogniser (issue 3). The exported signatures are the contract.
import type { Entity, Mention } from '../types';

export interface EntityOptions {
  /** Opaque model object produced by the tagger's loader; absent → rules and gazetteers only. */
  model?: unknown;
  /** ISO date the relative dates are resolved against; default: the text's own dateline. */
  documentDate?: string;
}

export interface EntityResult {
  mentions: Mention[];
  entities: Entity[];
}

export function recognizeEntities(_text: string, _options: EntityOptions = {}): EntityResult {
  return { mentions: [], entities: [] };
}
