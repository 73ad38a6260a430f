// STUB — to be replaced by the quotation finder (issue 4). The exported signature is the contract.
import type { Quote } from '../types';
import type { EntityResult } from '../ner';

export function findQuotes(_text: string, _entities: EntityResult): Quote[] {
  return [];
}
