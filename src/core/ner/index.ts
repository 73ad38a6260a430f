/**
 * Entity recognition: people, organisations, places, groups, dates and numbers, and who
 * is who within a source.
 *
 * - `recognizeEntities(text, options)` → `{ mentions, entities }` (UTF-16 offsets).
 * - `EntityRecognizer`: the same, incremental (per-paragraph cache + cheap document pass).
 * - `resolveRolePhrase(phrase, entities)`: "the Iranian president" → the person given that role.
 * - `findBoilerplate(text)`: web page furniture spans (left unmarked).
 * - `parseDictionary(text)`: the workspace dictionary (YAML) → entries + errors.
 * - `findDates`, `resolveDate`, `findDateline`, `findNumbers`: the rule layers, exported for reuse.
 */
import type { Entity, Mention } from '../types';
import { EntityRecognizer } from './recognizer';
import type { Dictionary } from './dictionary';
import { nationKey } from './lexicon';
import { resolveRolePhrase as resolveRole, type RoleResolveOptions } from './roles';

export interface EntityOptions {
  /** Opaque model object produced by the tagger's loader; absent → rules and gazetteers only. */
  model?: unknown;
  /** ISO date the relative dates are resolved against; default: the text's own dateline. */
  documentDate?: string;
  /** Workspace dictionary (`parseDictionary(text).dictionary`): its names win, its ignored names are never marked. */
  dictionary?: Dictionary;
}

export interface EntityResult {
  mentions: Mention[];
  entities: Entity[];
}

/**
 * Mentions and entities of `text`. The returned objects are shared with the recogniser's paragraph
 * cache (an `EntityRecognizer` hands out the same objects again after an edit elsewhere): treat them
 * as read-only and copy before changing one, as every caller in the extension does.
 */
export function recognizeEntities(text: string, options: EntityOptions = {}): EntityResult {
  return new EntityRecognizer(options).recognize(text);
}

/**
 * Resolves a role phrase ("the Iranian president", "Russian FM", "Iran's president") to the
 * person entity the text gave that role; undefined when none or ambiguous. `position` (offset of
 * the phrase) prefers the person mentioned last before it when several match.
 */
export function resolveRolePhrase(phrase: string, entities: readonly Entity[], options: RoleResolveOptions = {}): Entity | undefined {
  return resolveRole(phrase, entities, { nationKey: lowerNationKey, ...options });
}

// One function for every call, so the role resolver's per-phrase memo is shared between calls.
const lowerNationKey = (w: string): string | undefined => nationKey(w)?.toLowerCase();

export { EntityRecognizer, type RecognizerOptions, type RecognizerStats } from './recognizer';
export { findBoilerplate } from './boilerplate';
export { parseDictionary, compileDictionary, emptyDictionary, type Dictionary, type DictionaryEntry, type DictionaryProblem, type ParsedDictionary } from './dictionary';
export { findDates, resolveDate, findDateline, parseIsoDate, type DateSpec, type DateHit, type Dateline } from './dates';
export { findNumbers, type NumberHit } from './numbers';
export { TITLE_ABBREVIATIONS, type RoleResolveOptions } from './roles';
export type { NameSpan, NameTagger, NameLabel } from './names';
