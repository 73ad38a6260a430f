/**
 * Resolution of one paragraph against the document index: each mention's type (the majority the
 * document gave its surface form), canonical name (full name, expansion, long form, gazetteer
 * name), entity id and date value; candidates the document names elsewhere become mentions.
 */
import type { EntityType, Span } from '../types';
import { resolveDate, type YMD } from './dates';
import { isFirstName } from './gazetteer';
import { groupCanonical, isKnownName, phraseInfo } from './lexicon';
import { bestBy, byCount, type DocIndex } from './document-index';
import { facts, isNameType, isShouting, type Facts, type Item, type Resolved, type Slot } from './document-slot';
import { multiWord, slug, words } from './document-words';
import { isTitleOrHonorific } from './roles';

export interface DocumentContext {
  /** Reference date for relative dates. */
  refDate?: YMD;
  /** Span of the dateline's name (`The Cradle`), absolute, and its type. */
  datelineName?: Span & { type: EntityType };
  isIgnored(name: string): boolean;
}

const SENTENCE_WORDS = new Set([
  'The', 'A', 'An', 'In', 'On', 'At', 'By', 'For', 'From', 'To', 'Of', 'And', 'But', 'Or', 'If', 'When', 'While', 'It', 'He', 'She', 'We',
  'They', 'I', 'You', 'This', 'That', 'These', 'Those', 'His', 'Her', 'Their', 'Our', 'My', 'Its', 'There', 'Here', 'What', 'Who',
]);

const NOT_NAMES = /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/;

const byPosition = (a: Item, b: Item): number => a.start - b.start || b.end - a.end;
const ACRONYM_LIKE = /^[\p{Lu}.]{2,8}$/u;

/** `ACRONYM_LIKE.test(t)`, without the regular expression for ASCII text. */
function acronymLike(t: string): boolean {
  const n = t.length;
  if (n < 2 || n > 16) return false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 128) return ACRONYM_LIKE.test(t);
    if (!((c >= 65 && c <= 90) || c === 46)) return false;
  }
  return n <= 8;
}

function sortedByPosition(items: readonly Item[], from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (byPosition(items[i - 1], items[i]) > 0) return false;
  return true;
}


type Dateline = Span & { type: EntityType };

export function resolveSlot(slots: readonly Slot[], si: number, index: DocIndex, ctx: DocumentContext): Resolved[] {
  const slot = slots[si];
  const f = facts(slot);
  const dl = datelineIn(slot, ctx);
  slot.dateline = dl ? `${dl.start}:${dl.end}:${dl.type}` : undefined;
  const items = itemsToResolve(slot, f, dl, index, ctx);
  const out: Resolved[] = [];
  for (let k = 0; k < items.length; k++) out.push(resolveItem(slots, si, items, k, index, ctx, dl));
  return out;
}

/** The dateline's name (publisher / place before the dateline's date) when it lies in the slot, relative. */
function datelineIn(slot: Slot, ctx: DocumentContext): Dateline | undefined {
  const name = ctx.datelineName;
  if (!name || name.start < slot.offset || name.end > slot.offset + slot.text.length) return undefined;
  const dl = { start: name.start - slot.offset, end: name.end - slot.offset, type: name.type };
  return ctx.isIgnored(slot.text.slice(dl.start, dl.end)) ? undefined : dl;
}

/** The slot's mentions (the dateline's name overriding those it overlaps) and candidates taken as names, by position. */
function itemsToResolve(slot: Slot, f: Facts, dl: Dateline | undefined, index: DocIndex, ctx: DocumentContext): Item[] {
  let items = f.items;
  if (dl) {
    items = [];
    for (const it of f.items) if (!(it.start < dl.end && dl.start < it.end && isNameType(it.type))) items.push(it);
    items.push({ start: dl.start, end: dl.end, type: dl.type, source: 'rule', confidence: 0.8, value: undefined, date: undefined, entry: undefined, roles: undefined, text: slot.text.slice(dl.start, dl.end), learned: undefined });
  }
  const fixed = items.length;
  const named = namedCandidates(slot, f, dl, index, ctx);
  // `items` may still be the facts' array: copy before changing it.
  if (named.length > 0) items = items === f.items ? items.concat(named) : (items.push(...named), items);
  return sortByPosition(items, fixed, items === f.items);
}

/** Candidates equal to a name marked elsewhere, as items of the type the document gives them. */
function namedCandidates(slot: Slot, f: Facts, dl: Dateline | undefined, index: DocIndex, ctx: DocumentContext): Item[] {
  const named: Item[] = [];
  const candidates = slot.result.candidates;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    const t = f.candTexts[i];
    if (dl && c.start < dl.end && dl.start < c.end) continue;
    const type: EntityType | undefined = index.isNameEnd(t) ? 'person' : index.strongMajority(t);
    if (!type || (type === 'group' && !groupCanonical(t))) continue;
    if (SENTENCE_WORDS.has(t) || NOT_NAMES.test(t) || ctx.isIgnored(t)) continue;
    // In text set in capitals (headlines, tables) words are left to the tagger.
    if (t.length > 4 && t === t.toUpperCase() && (f.shouting ??= isShouting(slot.text))) continue;
    named.push({ start: c.start, end: c.end, type, source: 'consistency', confidence: 0.6, value: undefined, date: undefined, entry: undefined, roles: undefined, text: t, learned: undefined });
  }
  return named;
}

/**
 * Stable sort by position; the usual case, two sorted runs (`items[0, fixed)` the mentions,
 * the rest candidates), is a merge. A `shared` array is not changed.
 */
function sortByPosition(items: Item[], fixed: number, shared: boolean): Item[] {
  if (!(sortedByPosition(items, 0, fixed) && sortedByPosition(items, fixed, items.length))) return (shared ? items.slice() : items).sort(byPosition);
  if (!(fixed > 0 && fixed < items.length && byPosition(items[fixed - 1], items[fixed]) > 0)) return items;
  const merged: Item[] = [];
  let i = 0;
  let j = fixed;
  while (i < fixed && j < items.length) merged.push(byPosition(items[i], items[j]) <= 0 ? items[i++] : items[j++]);
  while (i < fixed) merged.push(items[i++]);
  while (j < items.length) merged.push(items[j++]);
  return merged;
}

/** Item k resolved: its type, canonical name, id and value. */
function resolveItem(slots: readonly Slot[], si: number, items: readonly Item[], k: number, index: DocIndex, ctx: DocumentContext, dl: Dateline | undefined): Resolved {
  const m = items[k];
  const t = m.text;
  const entry = m.entry;
  const type = consistentType(m, index, dl);
  let canonical = t;
  let value = m.value;
  switch (type) {
    case 'person':
      canonical = entry ? entry.name : personCanonical(slots, si, items, k, index);
      break;
    case 'organization':
    case 'place':
      canonical = entry ? entry.name : longFormCanonical(t, type === 'place', index);
      break;
    case 'group':
      canonical = entry?.name ?? groupCanonical(t) ?? groupCanonical(t.replace(/s$/, '')) ?? t;
      break;
    case 'date':
      value = m.date ? resolveDate(m.date, ctx.refDate) : undefined;
      canonical = entry?.name ?? t;
      break;
    case 'number':
      canonical = entry?.name ?? t;
      break;
  }
  const id = type === 'date' && value ? `date:${value}` : slug(type, canonical);
  const roles = m.roles;
  // Every field present (one object shape); `undefined` where there is nothing.
  return {
    start: m.start,
    end: m.end,
    type,
    text: t,
    canonical,
    id,
    confidence: m.confidence,
    source: m.source,
    value,
    roles: roles && roles.length && type === 'person' ? roles : undefined,
    entry: entry || undefined,
    learned: m.learned,
  };
}

/** Consistency: the majority type of this surface form (groups stay groups). */
function consistentType(m: Item, index: DocIndex, dl: Dateline | undefined): EntityType {
  const { text: t, source, confidence } = m;
  let type = m.type;
  if (!isNameType(type) || source === 'dictionary' || source === 'consistency' || (dl && m.start === dl.start)) return type;
  let maj = confidence < 0.9 ? index.strongMajority(t) : undefined;
  // A word of a person's full name named in this text ("Raisi" after "Ebrahim Raisi").
  if (confidence < 0.9 && type !== 'person' && !t.includes(' ') && index.isNameEnd(t)) maj = 'person';
  // An acronym defined in the text has its expansion's type ("… Corridor (INSTC)").
  if (type === 'organization' || type === 'place') {
    const long = bestBy(index.acronyms.map.get(t), byCount);
    if (long) {
      const lt = index.majority(long);
      if (lt === 'organization' || lt === 'place') maj = lt;
    }
  }
  if (maj && maj !== type && type !== 'group' && maj !== 'group') type = maj;
  // "Donald Trump" read as an organisation in a text that names "Trump" as a person: a known
  // first name before a surname the document gives to a person makes a person.
  if (type === 'organization' && source === 'model' && looksLikePersonName(t, index)) type = 'person';
  return type;
}

/** A person's canonical name: the full name a lone surname stands for (the nearest when several). */
function personCanonical(slots: readonly Slot[], si: number, items: readonly Item[], k: number, index: DocIndex): string {
  const t = items[k].text;
  if (multiWord(t)) return index.fullCanon(t);
  const byName = index.tokenToFull.map.get(t);
  if (!byName || byName.size === 0) return t;
  let only: string | undefined;
  for (const n of byName.keys()) {
    const c = index.fullCanon(n);
    if (only === undefined) only = c;
    else if (c !== only) return index.fullCanon(nearestFullName(slots, si, items, k, byName) ?? [...byName.keys()].sort()[0]);
  }
  return only as string;
}

/** An organisation's or place's canonical name: its expansion, initials' or run's long form, gazetteer name. */
function longFormCanonical(t: string, place: boolean, index: DocIndex): string {
  let c = bestBy(index.acronyms.map.get(t), byCount) ?? t;
  if (c === t && acronymLike(t)) c = bestBy((place ? index.placeInitials : index.orgInitials).map.get(t.includes('.') ? t.replace(/\./g, '') : t), byCount) ?? c;
  let ci = phraseInfo(c);
  if (!ci.country) {
    const run = bestBy((place ? index.placeRuns : index.orgRuns).map.get(c), byCount);
    if (run !== undefined && run !== c) {
      c = run;
      ci = phraseInfo(c);
    }
  }
  return (place ? ci.place : ci.org) ?? c;
}

const CAPITALISED = /^\p{Lu}\p{Ll}/u;

/** `CAPITALISED.test(w)`, without the regular expression for ASCII letters. */
function capitalised(w: string): boolean {
  const a = w.charCodeAt(0);
  const b = w.charCodeAt(1);
  if (a < 128 && b < 128) return a >= 65 && a <= 90 && b >= 97 && b <= 122;
  return CAPITALISED.test(w);
}

/**
 * Two or three capitalised words, the first a given name (a known first name, or a word the text
 * does not use for anything else) and the last a surname the document gives to a person, none of
 * them a title or a known organisation, place or group.
 */
function looksLikePersonName(t: string, index: DocIndex): boolean {
  // Every test is pure: the cheap ones first (the document's votes, rarely "person" for the last word).
  const ws = words(t);
  if (ws.length < 2 || ws.length > 3) return false;
  const last = ws[ws.length - 1];
  if (index.majority(last) !== 'person') return false;
  const first = ws[0];
  if (!isFirstName(first) && index.majority(first) !== undefined) return false;
  const ti = phraseInfo(t);
  if (ti.org || ti.place) return false;
  for (const w of ws) if (!capitalised(w) || isTitleOrHonorific(w) || isKnownName(w)) return false;
  return true;
}

/** The full name (among `byName`) mentioned last before item k of slot si. */
function nearestFullName(slots: readonly Slot[], si: number, items: readonly Item[], k: number, byName: Map<string, number>): string | undefined {
  for (let j = k - 1; j >= 0; j--) if (byName.has(items[j].text)) return items[j].text;
  for (let s = si - 1; s >= 0; s--) {
    const f = facts(slots[s]);
    for (let j = f.fullNames.length - 1; j >= 0; j--) if (byName.has(f.fullNames[j])) return f.fullNames[j];
  }
  // None before: the first one after.
  for (let j = k + 1; j < items.length; j++) if (byName.has(items[j].text)) return items[j].text;
  for (let s = si + 1; s < slots.length; s++) {
    const f = facts(slots[s]);
    for (const n of f.fullNames) if (byName.has(n)) return n;
  }
  return undefined;
}
