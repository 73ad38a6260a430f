/**
 * Per-paragraph recognition: everything that depends only on the paragraph's own text (plus the
 * model and the dictionary), so the result can be cached by content. Offsets are relative to the
 * paragraph start. The document-level pass (`document.ts`) adds consistency, identity, roles and
 * date values.
 */
import type { EntityType, MentionSource, Span } from '../types';
import { findBoilerplate } from './boilerplate';
import { capRunAt, nextUpper, upperAt, wordCharsEnd, type CapRun } from './capwords';
import { findDates, type DateSpec } from './dates';
import type { DictionaryEntry, DictionaryMatcher } from './dictionary';
import { groupCanonical, isCountry, orgCanonical, placeCanonical } from './lexicon';
import type { NameSpan, NameTagger } from './names';
import { findNumbers } from './numbers';
import { isHonorific, isTitleWord, roleAfter, roleBefore, roleBeforeComma } from './roles';

export interface RawMention {
  start: number;
  end: number;
  type: EntityType;
  source: MentionSource;
  confidence: number;
  /** Numbers: normalised value. */
  value?: string;
  /** Dates: structured, resolved in the document pass. */
  date?: DateSpec;
  /** Persons: role phrases the text attaches to this mention (relative spans). */
  roles?: Span[];
  /** Dictionary entry that produced the mention. */
  entry?: DictionaryEntry;
  /** The tagger read this name so because of what it learned from the user's corrections. */
  learned?: boolean;
  /** Index of the mention this one abbreviates (acronym defined in parentheses). */
  expands?: number;
}

export interface ParagraphResult {
  mentions: RawMention[];
  /** Capitalised words/runs left unmarked (for the document's consistency pass). */
  candidates: Span[];
  boilerplate: Span[];
}

const EVENT_OF = /^(?:[\p{Lu}][\p{L}-]*\s+){0,3}(?:Meeting|Summit|Conference|Session|Forum|Talks)\s+of\s+(?:the\s+)?/u;
const FACILITY_HEAD = /\s(?:Corridor|Crossing|Bridge|Canal|Pipeline|Airport|Highway|Motorway|Tunnel|Dam|Border|Checkpoint|Strip|Square|Street|Avenue|Road)$/;
const ORG_OF_HEAD = /^(?:Platform|Council|Commission|Committee|Organi[sz]ation|Fund|Agency|Institute|Centre|Center|Office|Ministry|Department|Association|Union|Bank|Forum|Court|Board|Authority|Foundation|Federation|League|Alliance|Programme|Program|Party|Front|Movement|Society|University|School|Academy|Coalition|Network|Initiative|Mission|Secretariat|Tribunal)$/;
/** Initials with periods ("U.S."): their final period stays. */
const INITIALS = /^(?:[A-Z]\.)+$/;
/** Scratch for the characters a paragraph's mentions cover, and how many recognitions are using it. */
let coveredBuf = new Uint8Array(4096);
let depth = 0;
const runScratch: CapRun = { start: 0, firstEnd: 0, end: 0, spaced: false };
const TITLE_ABBR = /^(?:FM|PM|DM|VP|SG|MP|MEP)$/;
/** A run of two or more capitalised words followed by " for|of [the] " and a capital (see the organisation-head rule). */
const ORG_RUN = /(\p{Lu}[\p{L}'’-]*(?: \p{Lu}[\p{L}'’-]*)+)(?= (?:for|of) (?:the )?\p{Lu})/gu;
const ORG_HEAD = /^(?:Ministry|Council|Union|Party|Government|Army|Forces|Parliament|Cabinet|Office|Department|Embassy|Commission|Committee|Agency|Police|Navy|Court)$/;

/** Interjections and discourse words that open a sentence ("Well, …", "Look, …"). */
const DISCOURSE = new Set([
  'Well', 'Look', 'Listen', 'Hey', 'Yes', 'Yeah', 'No', 'Now', 'So', 'Oh', 'OK', 'Okay', 'Sure', 'Thanks', 'Please', 'Sorry', 'Wow',
  'Alright', 'Absolutely', 'Actually', 'Anyway', 'Frankly', 'Honestly', 'Indeed', 'However', 'Meanwhile',
]);

/** Does a sentence, an utterance or a quotation open at `start` (only quotes, brackets and spaces after such a point)? */
function isOpening(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s([—–-]/.test(text[i])) i--;
  if (i >= 0 && /["'“‘«]/.test(text[i])) return true;
  return i < 0 || /[.!?:;]/.test(text[i]);
}

/**
 * Sorts by start (then longest first when `byEnd`), stable: the same order as
 * `Array.prototype.sort` with that comparator, without a comparator call per pair (the lists are
 * short and nearly sorted).
 */
function sortByStart(list: { start: number; end: number }[], byEnd: boolean): void {
  for (let i = 1; i < list.length; i++) {
    const x = list[i];
    let j = i - 1;
    while (j >= 0 && (list[j].start > x.start || (byEnd && list[j].start === x.start && list[j].end < x.end))) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
}

/** Could `short` abbreviate `long`? Its letters are, in order, capitals of `long`, starting with the first. */
export function abbreviates(short: string, long: string): boolean {
  const a = short.replace(/[^\p{Lu}\p{N}]/gu, '');
  const caps = long.replace(/[^\p{Lu}\p{N}]/gu, '');
  if (a.length < 2 || caps.length < a.length || a[0] !== caps[0]) return false;
  let j = 0;
  for (const ch of caps) if (ch === a[j]) j++;
  return j === a.length;
}

/**
 * Recognises one paragraph. `text` is the paragraph's own text.
 */
export function recognizeParagraph(text: string, tagger: NameTagger, dict: DictionaryMatcher, modelled = true, context?: unknown): ParagraphResult {
  // Characters already taken by a mention or by boilerplate: the shared buffer, or a fresh one when
  // a tagging function recognises text itself while the outer call is using it.
  const n = text.length + 1;
  let covered: Uint8Array;
  if (depth === 0) {
    if (coveredBuf.length < n) coveredBuf = new Uint8Array(Math.max(n, coveredBuf.length * 2));
    covered = coveredBuf;
    covered.fill(0, 0, n);
  } else covered = new Uint8Array(n);
  depth++;
  try {
    return recognizeWith(text, tagger, dict, modelled, context, covered);
  } finally {
    depth--;
  }
}

/** One recognition's state: the paragraph, the characters taken and the mentions found so far. */
interface Work {
  text: string;
  dict: DictionaryMatcher;
  /** A model tags names (else gazetteers fill in places and organisations). */
  modelled: boolean;
  /** Characters already taken by a mention or by boilerplate. */
  covered: Uint8Array;
  mentions: RawMention[];
}

function isFree(w: Work, s: Span): boolean {
  for (let i = s.start; i < s.end; i++) if (w.covered[i]) return false;
  return true;
}

function take(w: Work, s: Span): void {
  w.covered.fill(1, s.start, s.end);
}

/** Adds the mention when its characters are free. */
function add(w: Work, m: RawMention): boolean {
  if (!isFree(w, m)) return false;
  w.mentions.push(m);
  take(w, m);
  return true;
}

type FoundDate = ReturnType<typeof findDates>[number];

/** A full date (day and month, or month and year) or a clock time. */
function isStrongDate(d: FoundDate): boolean {
  return (d.spec.kind === 'abs' && d.spec.m !== undefined && (d.spec.d !== undefined || d.spec.y !== undefined)) || d.spec.kind === 'time';
}

function recognizeWith(text: string, tagger: NameTagger, dict: DictionaryMatcher, modelled: boolean, context: unknown, covered: Uint8Array): ParagraphResult {
  const boilerplate = findBoilerplate(text);
  const w: Work = { text, dict, modelled, covered, mentions: [] };
  for (const b of boilerplate) covered.fill(1, b.start, b.end);
  // 1. Dictionary names win.
  for (const d of dict.find(text, 0, text.length)) add(w, { start: d.start, end: d.end, type: d.entry.type, source: 'dictionary', confidence: 1, entry: d.entry });
  // Full dates (day and month, or month and year) and clock times before names: "Sept. 26" is a
  // date even when the tagger reads "Sept" as a name, "9 a.m. Eastern" a time.
  const dates = findDates(text);
  for (const d of dates) if (isStrongDate(d)) add(w, { start: d.start, end: d.end, type: 'date', source: 'rule', confidence: 0.9, date: d.spec });
  // 2. Names from the tagger, mapped to our types.
  for (const m of nameMentions(w, tagger(text, 0, text.length, context))) if (m.end > m.start) add(w, m);
  // 3. Gazetteer words the tagger left: demonyms and peoples (group), countries and places.
  addGazetteerWords(w);
  // 4. Dates and numbers.
  for (const d of dates) if (!isStrongDate(d)) add(w, { start: d.start, end: d.end, type: 'date', source: 'rule', confidence: 0.9, date: d.spec });
  for (const n of findNumbers(text)) add(w, { start: n.start, end: n.end, type: 'number', source: 'rule', confidence: 0.9, value: n.value });
  sortByStart(w.mentions, true);
  // 5. Acronyms defined in parentheses: "International North-South Transport Corridor (INSTC)".
  addAcronyms(w);
  // 6. Roles for people.
  attachRoles(text, w.mentions);
  // 7. Candidates for the consistency pass.
  return { mentions: w.mentions, candidates: candidates(w), boilerplate };
}

/** The tagger's names as mentions of our types, with organisation runs the tagger left and merged neighbours (emptied ones dropped by the caller). */
function nameMentions(w: Work, names: readonly NameSpan[]): RawMention[] {
  const text = w.text;
  const out: RawMention[] = [];
  for (const n of names) {
    const name = typedName(text, n);
    if (!name || notAName(w, name)) continue;
    const { start, end, type } = name;
    out.push(n.learned ? { start, end, type, source: 'model', confidence: n.confidence, learned: true } : { start, end, type, source: 'model', confidence: n.confidence });
  }
  if (w.modelled) addOrganisationRuns(text, out);
  // Merge "Russian" + "Foreign Ministry" (group/place + organisation) into one organisation.
  sortByStart(out, false);
  mergeNationalOrganisations(text, out);
  mergeOrganisationsOf(text, out);
  return out;
}

interface TypedName {
  start: number;
  end: number;
  type: EntityType;
  /** The name's text before a group's hyphenated word was cut ("Russian-backed" → "Russian"). */
  surface: string;
}

/** A tagged name's span and our type for its label; undefined when the label gives none. */
function typedName(text: string, n: NameSpan): TypedName | undefined {
  let { start, end } = n;
  let surface = text.slice(start, end);
  // Possessive / trailing punctuation never belongs to the name.
  const lastc = surface.charCodeAt(surface.length - 1);
  if ((lastc === 46 || lastc === 44 || lastc === 59 || lastc === 58) && !INITIALS.test(surface) && !/\b(?:Inc|Corp|Ltd|Co|Jr|Sr|St)\.$/.test(surface)) {
    end -= 1;
    surface = text.slice(start, end);
  }
  let type: EntityType | undefined;
  if (n.label === 'PER') {
    // Titles are roles, not part of the name ("President Ebrahim Raisi").
    const w = /^(\S+)\s+/.exec(surface);
    if (w && (isTitleWord(w[1]) || isHonorific(w[1])) && surface.split(/\s+/).length > 1) {
      start += w[0].length;
      surface = text.slice(start, end);
    }
    type = 'person';
  } else if (n.label === 'ORG') {
    type = 'organization';
    // "Ministerial Meeting of the Consultative Platform": the event is not the organisation.
    const ev = EVENT_OF.exec(surface);
    if (ev && /^\p{Lu}\S*\s+\p{Lu}/u.test(surface.slice(ev[0].length))) {
      start += ev[0].length;
      surface = text.slice(start, end);
    }
    // Facilities and infrastructure are places (a border crossing, a transport corridor).
    if (FACILITY_HEAD.test(surface)) type = 'place';
  } else if (n.label === 'LOC') type = 'place';
  else {
    const misc = miscType(surface);
    if (misc) {
      type = misc.type;
      if (misc.length !== undefined) end = start + misc.length;
    }
  }
  return type && end > start ? { start, end, type, surface } : undefined;
}

/**
 * MISC: nationalities, peoples, religious and political groups → group (`length`: only the first
 * word of a hyphenated one, "Russian-backed"); named facilities → place; else nothing.
 */
function miscType(surface: string): { type: EntityType; length?: number } | undefined {
  if (groupCanonical(surface)) return { type: 'group' };
  if (FACILITY_HEAD.test(surface) && /^\p{Lu}/u.test(surface)) return { type: 'place' };
  const hy = /^([\p{Lu}][\p{L}]+)-(\p{Ll}|\p{Lu})/u.exec(surface);
  if (hy && groupCanonical(hy[1])) return { type: 'group', length: hy[1].length };
  if (/^[\p{Lu}][\p{L}]+s$/u.test(surface) && groupCanonical(surface.slice(0, -1))) return { type: 'group' };
  return undefined;
}

/** An interjection, an abbreviated title after a nationality, or an ignored name. */
function notAName(w: Work, name: TypedName): boolean {
  const { text } = w;
  const { start, end, surface } = name;
  // "PENCE: Well, look", "‘Hey, go vote’": an interjection opening a sentence is not a name.
  if (DISCOURSE.has(surface) && isOpening(text, start) && /^[,!]/.test(text.slice(end, end + 1))) return true;
  // "Russian FM", "British PM": an abbreviated title after a nationality is not a name.
  if (TITLE_ABBR.test(surface) && /\p{Lu}[\p{L}]+\s+$/u.test(text.slice(Math.max(0, start - 30), start))) return true;
  return w.dict.isIgnored(text.slice(start, end));
}

/**
 * A capitalised run the tagger left whole, ending in an organisation head word and followed by
 * "for/of (the)" + a name ("the Consultative Regional Platform for the South Caucasus"): an
 * organisation (merged with what follows by {@link mergeOrganisationsOf}). Only untagged runs of
 * two or more words.
 */
function addOrganisationRuns(text: string, names: RawMention[]): void {
  for (const m of text.matchAll(ORG_RUN)) {
    const s = m.index;
    const e = s + m[1].length;
    const head = m[1].slice(m[1].lastIndexOf(' ') + 1);
    if (!ORG_OF_HEAD.test(head) || /^The /.test(m[1])) continue;
    if (s > 0 && /[\p{L}\p{N}]/u.test(text[s - 1])) continue;
    if (names.some((x) => x.start < e && s < x.end)) continue;
    names.push({ start: s, end: e, type: 'organization', source: 'rule', confidence: 0.6 });
  }
}

/** "Russian" + "Foreign Ministry" (group/place + organisation): one organisation (the first emptied). */
function mergeNationalOrganisations(text: string, names: RawMention[]): void {
  for (let i = 0; i + 1 < names.length; i++) {
    const a = names[i];
    const b = names[i + 1];
    if ((a.type === 'group' || a.type === 'place') && b.type === 'organization' && /^ $/.test(text.slice(a.end, b.start))) {
      const head = text.slice(b.start, b.end).split(/\s+/).pop() ?? '';
      if (ORG_HEAD.test(head)) {
        b.start = a.start;
        a.end = a.start; // dropped by the caller
      }
    }
  }
}

/**
 * "Consultative Platform" + "for the" + "South Caucasus": one organisation when the first ends in
 * an organisation head word (the first emptied).
 */
function mergeOrganisationsOf(text: string, names: RawMention[]): void {
  for (let i = 0; i + 1 < names.length; i++) {
    const a = names[i];
    const b = names[i + 1];
    if (a.end <= a.start || a.type !== 'organization' || (b.type !== 'place' && b.type !== 'organization')) continue;
    if (!/^ (?:for|of|on|in) (?:the )?$/.test(text.slice(a.end, b.start))) continue;
    const head = text.slice(a.start, a.end).split(/\s+/).pop() ?? '';
    if (!ORG_OF_HEAD.test(head)) continue;
    b.start = a.start;
    b.type = 'organization';
    a.end = a.start;
  }
}

/** Capitalised runs of one or two words (`[\p{Lu}][\p{L}’'.-]*(?:\s+[\p{Lu}][\p{L}’'.-]*)?`) the gazetteers name. */
function addGazetteerWords(w: Work): void {
  const { text, covered } = w;
  const run = runScratch;
  for (let p = nextUpper(text, 0); p >= 0; ) {
    capRunAt(text, p, run);
    const { start: s, firstEnd, end: e } = run;
    const two = e > firstEnd;
    // Go on after the run, or (two words) from the character after the first whitespace.
    let next = e;
    if (covered[s]) {
      // Already a mention (most capitalised words): nothing can start here; go on from the second word.
      if (two) next = firstEnd + 1;
    } else if (!addGazetteerWord(w, s, e) && two && run.spaced) {
      // Try the first word alone, then continue from the second.
      addGazetteerWord(w, s, firstEnd);
      next = firstEnd + 1;
    }
    p = nextUpper(text, next);
  }
}

/** Adds `text[s, e)` (without a possessive or final period) as the group, place or organisation the gazetteers name. */
function addGazetteerWord(w: Work, s: number, e: number): boolean {
  const { text, modelled } = w;
  // Possessive, then a final period (kept in initials: "U.S.").
  const last = text.charCodeAt(e - 1);
  if (last === 39 || last === 0x2019) e--;
  else if (last === 115 && e - s >= 2 && (text.charCodeAt(e - 2) === 39 || text.charCodeAt(e - 2) === 0x2019)) e -= 2;
  let surface = text.slice(s, e);
  if (surface.endsWith('.') && !INITIALS.test(surface)) surface = surface.slice(0, -1);
  e = s + surface.length;
  if (e <= s || w.dict.isIgnored(surface)) return false;
  if (groupCanonical(surface)) return add(w, { start: s, end: e, type: 'group', source: 'gazetteer', confidence: 0.8 });
  const hy = surface.includes('-') ? /^([\p{Lu}][\p{L}]+)-\p{Ll}/u.exec(surface) : null;
  if (hy && groupCanonical(hy[1])) return add(w, { start: s, end: s + hy[1].length, type: 'group', source: 'gazetteer', confidence: 0.7 });
  // Places and organisations are the tagger's call (it sees the gazetteers as features); without
  // a model, countries and multi-word gazetteer names fill in.
  if (!modelled && placeCanonical(surface) && (isCountry(surface) || surface.includes(' '))) return add(w, { start: s, end: e, type: 'place', source: 'gazetteer', confidence: 0.7 });
  if (!modelled && orgCanonical(surface) && (surface.includes(' ') || /^[A-Z]{2,}$/.test(surface))) return add(w, { start: s, end: e, type: 'organization', source: 'gazetteer', confidence: 0.7 });
  return false;
}

/**
 * Acronyms defined in parentheses after an organisation or place: typed like it and pointing at
 * it (`expands`). `w.mentions` is sorted by start, and stays so.
 */
function addAcronyms(w: Work): void {
  const { text, mentions } = w;
  const sortedCount = mentions.length;
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    if (m.type !== 'organization' && m.type !== 'place') continue;
    const after = /^\s*\(([\p{Lu}][\p{Lu}\p{N}&.-]{1,9})\)/u.exec(text.slice(m.end, m.end + 16));
    if (!after || !abbreviates(after[1], text.slice(m.start, m.end))) continue;
    const s = m.end + after[0].indexOf(after[1]);
    const e = s + after[1].length;
    const existing = mentions.findIndex((x) => x.start === s && x.end === e);
    if (existing >= 0) {
      mentions[existing].type = m.type;
      mentions[existing].expands = i;
    } else if (isFree(w, { start: s, end: e })) {
      mentions.push({ start: s, end: e, type: m.type, source: 'rule', confidence: 0.9, expands: i });
      take(w, { start: s, end: e });
    }
  }
  if (mentions.length > sortedCount) sortByStart(mentions, true);
  // Re-point `expands` after the sort.
  // (Indices were into the pre-sort array; recompute by span.)
  const spans = mentions.map((m) => m);
  for (const m of mentions) {
    if (m.expands === undefined) continue;
    const target = spans.find((x) => x !== m && x.end <= m.start && text.slice(x.end, m.start).trim() === '(' && x.type === m.type);
    m.expands = target ? mentions.indexOf(target) : undefined;
  }
}

/** The role phrases before (title or comma construction) and after (appositive) each person. */
function attachRoles(text: string, mentions: readonly RawMention[]): void {
  for (const m of mentions) {
    if (m.type !== 'person') continue;
    const roles: Span[] = [];
    const b = roleBefore(text, m.start, 0);
    if (b) roles.push(b);
    else {
      const c = roleBeforeComma(text, m.start, 0);
      if (c) roles.push(c);
    }
    const a = roleAfter(text, m.end);
    if (a) roles.push(a);
    if (roles.length) m.roles = roles;
  }
}

/**
 * Capitalised words (`[\p{Lu}][\p{L}\p{N}’'.-]*`) not marked, without a final possessive or
 * period: candidates for the consistency pass.
 */
function candidates(w: Work): Span[] {
  const { text, covered } = w;
  const out: Span[] = [];
  for (let p = nextUpper(text, 0); p >= 0; ) {
    const end = wordCharsEnd(text, p + upperAt(text, p), true);
    if (!covered[p]) {
      let e = end;
      const last = text.charCodeAt(e - 1);
      if (last === 115 && e - p >= 2 && (text.charCodeAt(e - 2) === 39 || text.charCodeAt(e - 2) === 0x2019)) e -= 2;
      else if (last === 39 || last === 0x2019 || last === 46) e--;
      const span = { start: p, end: e };
      if (e > p && isFree(w, span)) out.push(span);
    }
    p = nextUpper(text, end);
  }
  return out;
}
