/**
 * A paragraph occurrence in the document (a slot) and what the document pass reads from its
 * paragraph result, computed once per slot.
 */
import type { EntityType, Mention, Span } from '../types';
import type { DateSpec } from './dates';
import type { DictionaryEntry } from './dictionary';
import { fullName, longForm, multiWord, type FullName, type LongForm } from './document-words';
import type { ParagraphResult, RawMention } from './paragraph';

/** One paragraph occurrence in the document. Kept across edits while its text is unchanged. */
export interface Slot {
  text: string;
  result: ParagraphResult;
  /** Absolute offset in the current text. */
  offset: number;
  /** Resolved mentions (relative offsets); undefined → resolve again. */
  resolved?: Resolved[];
  /** Output objects for `resolved` at `abs.offset`. */
  abs?: Output;
  /** Dateline override applied when resolved (relative span), to notice changes. */
  dateline?: string;
  /** What the document index and the resolution read from the paragraph result (computed once). */
  facts?: Facts;
}

/** A slot's output objects at one offset; the entity spans are made when entities are first asked for. */
export interface Output {
  offset: number;
  mentions: Mention[];
  spans: Span[] | undefined;
}

export interface Resolved {
  start: number;
  end: number;
  type: EntityType;
  text: string;
  canonical: string;
  id: string;
  confidence: number;
  source: RawMention['source'];
  value: string | undefined;
  roles: string[] | undefined;
  entry: DictionaryEntry | undefined;
  /** The tagger's label came from learning (see RawMention.learned). */
  learned: boolean | undefined;
}

// ---------------------------------------------------------------------------------------------
// Per-paragraph facts (computed once per slot)

/**
 * A mention to resolve: the paragraph's mentions (copied once per slot into objects of one shape,
 * read many times), the dateline's name and candidates taken as names.
 */
export interface Item {
  start: number;
  end: number;
  type: EntityType;
  source: RawMention['source'];
  confidence: number;
  value: string | undefined;
  date: DateSpec | undefined;
  entry: DictionaryEntry | undefined;
  /** Role phrases (without a leading article). */
  roles: string[] | undefined;
  /** The mention's text. */
  text: string;
  learned: boolean | undefined;
}

export interface Facts {
  /** One per paragraph mention (same order). */
  items: Item[];
  /** Texts of the paragraph's candidates (same order). */
  candTexts: string[];
  /** Person mentions of two words or more: their texts, and their words and runs. */
  fullNames: string[];
  full: FullName[];
  /** Organisation and place mentions of two words or more (one-word forms add nothing to the index). */
  longType: EntityType[];
  longForms: LongForm[];
  /** Parenthesised definitions: `acrShort[i]` stands for `acrLong[i]`. */
  acrShort: string[];
  acrLong: string[];
  /** Most letters are capitals (a headline, a results table); computed when first asked. */
  shouting?: boolean;
}

export function isNameType(t: EntityType): boolean {
  return t === 'person' || t === 'organization' || t === 'place' || t === 'group';
}

function stripArticle(s: string): string {
  return s.replace(/^(?:the|a|an)\s+/i, '').trim();
}

/** Most letters are capitals (a headline, a results table). */
export function isShouting(text: string): boolean {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  return letters > 0 && upper / letters > 0.5;
}

export function facts(slot: Slot): Facts {
  return (slot.facts ??= computeFacts(slot.text, slot.result));
}

function computeFacts(text: string, r: ParagraphResult): Facts {
  const f: Facts = {
    items: [],
    candTexts: [],
    fullNames: [],
    full: [],
    longType: [],
    longForms: [],
    acrShort: [],
    acrLong: [],
    shouting: undefined,
  };
  const ms = r.mentions;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    const start = m.start;
    const end = m.end;
    const type = m.type;
    const t = text.slice(start, end);
    let roles: string[] | undefined;
    const mr = m.roles;
    if (mr) {
      roles = [];
      for (const s of mr) roles.push(stripArticle(text.slice(s.start, s.end)));
    }
    f.items.push({ start, end, type, source: m.source, confidence: m.confidence, value: m.value, date: m.date as DateSpec | undefined, entry: m.entry, roles, text: t, learned: m.learned });
    if (type === 'person') {
      if (multiWord(t)) {
        f.fullNames.push(t);
        f.full.push(fullName(t));
      }
    } else if ((type === 'organization' || type === 'place') && multiWord(t)) {
      // (A one-word long form has no runs and no initials: nothing to index.)
      f.longType.push(type);
      f.longForms.push(longForm(t));
    }
    const ex = m.expands;
    if (ex !== undefined && ms[ex]) {
      const long = ms[ex];
      f.acrShort.push(t);
      f.acrLong.push(text.slice(long.start, long.end));
    }
  }
  for (const c of r.candidates) f.candTexts.push(text.slice(c.start, c.end));
  return f;
}

