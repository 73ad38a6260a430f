import { ENTITY_TYPES, type EntityType } from '../../core/types';

/**
 * What can be painted and toggled: the six entity types, quotations, attributions (reported speech
 * without quotation marks, kind `indirect`: its content), and the speaker after each quotation.
 */
export const DECORATION_KINDS = [...ENTITY_TYPES, 'quotation', 'attribution', 'speaker'] as const;
export type DecorationKind = EntityType | 'quotation' | 'attribution' | 'speaker';

export const KIND_LABELS: Record<DecorationKind, string> = {
  person: 'People',
  organization: 'Organisations',
  place: 'Places',
  group: 'Groups and nationalities',
  date: 'Dates',
  number: 'Numbers',
  quotation: 'Quotations',
  attribution: 'Reported speech (attributions)',
  speaker: 'Speaker after quotations',
};
