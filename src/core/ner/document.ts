/**
 * Document-level pass over cached paragraph results: consistency (a name marked once is marked,
 * with the same type, wherever it recurs), identity (surnames → full names, acronyms → expansions,
 * short forms → long forms, gazetteer aliases), roles per person, date values against the
 * source's dateline.
 *
 * Incremental. The document's global facts (type votes per surface form, full names by word,
 * long forms by prefix/suffix run and initials, acronym definitions) live in a {@link DocIndex}
 * that paragraphs are added to and removed from. After an edit, only the surface forms whose
 * resolution changed are "dirty", and only paragraphs containing a dirty surface form are
 * re-resolved; the others keep their resolved mentions (and, when their offset did not move,
 * even their output objects). Known approximation: when two full names share a word ("John Park",
 * "Lisa Park"), a lone "Park" resolves to the one named last before it; that choice is refreshed
 * whenever a paragraph naming either of them changes.
 */
import type { Entity, EntityType, Mention, Span } from '../types';
import { resolveDate, type DateSpec, type YMD } from './dates';
import type { DictionaryEntry } from './dictionary';
import { isSpaceCode } from './capwords';
import { isFirstName } from './gazetteer';
import { groupCanonical, isKnownName, phraseInfo } from './lexicon';
import { ownKey } from '../text/memo';
import type { ParagraphResult, RawMention } from './paragraph';
import { isTitleOrHonorific } from './roles';

export interface DocumentContext {
  /** Reference date for relative dates. */
  refDate?: YMD;
  /** Span of the dateline's name (`The Cradle`), absolute, and its type. */
  datelineName?: Span & { type: EntityType };
  isIgnored(name: string): boolean;
}

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
interface Output {
  offset: number;
  mentions: Mention[];
  spans: Span[] | undefined;
}

interface Resolved {
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

/** A long form (organisation or place name) with its index keys, computed once per distinct text. */
interface LongForm {
  text: string;
  /** Prefix and suffix word runs (k = 1 … words − 1, prefix then suffix). */
  runs: string[];
  /** Initials (two words or more), else undefined. */
  initials?: string;
}

/** A full person name with its words and inner word runs, computed once per distinct text. */
interface FullName {
  text: string;
  words: string[];
  /** Word runs of ≥ 2 words shorter than the name (names of ≥ 3 words). */
  subRuns: string[];
}

/**
 * A mention to resolve: the paragraph's mentions (copied once per slot into objects of one shape,
 * read many times), the dateline's name and candidates taken as names.
 */
interface Item {
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

function isNameType(t: EntityType): boolean {
  return t === 'person' || t === 'organization' || t === 'place' || t === 'group';
}
const SENTENCE_WORDS = new Set([
  'The', 'A', 'An', 'In', 'On', 'At', 'By', 'For', 'From', 'To', 'Of', 'And', 'But', 'Or', 'If', 'When', 'While', 'It', 'He', 'She', 'We',
  'They', 'I', 'You', 'This', 'That', 'These', 'Those', 'His', 'Her', 'Their', 'Our', 'My', 'Its', 'There', 'Here', 'What', 'Who',
]);

const NOT_NAMES = /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/;

function stripArticle(s: string): string {
  return s.replace(/^(?:the|a|an)\s+/i, '').trim();
}

const MEMO_MAX = 100000;

/** type → canonical → `type:canonical-slug`. */
const slugMemo = new Map<EntityType, Map<string, string>>();
/**
 * Memos outlive a recognition: only short keys are kept. A long "name" (a title-cased table of
 * contents read as one organisation) has O(words²) runs, and each keystroke in it a new key.
 */
const MEMO_KEY_MAX = 160;

/** The value `make(key)` memoised in `memo` (emptied when it grows past MEMO_MAX; long keys not kept). */
function memoized<T>(memo: Map<string, T>, key: string, make: (key: string) => T): T {
  if (key.length > MEMO_KEY_MAX) return make(key);
  let v = memo.get(key);
  if (v === undefined) {
    // The value is made from the copy too (its words are substrings of the key).
    const own = ownKey(key);
    v = make(own);
    if (memo.size > MEMO_MAX) memo.clear();
    memo.set(own, v);
  }
  return v;
}

function slug(type: EntityType, canonical: string): string {
  let m = slugMemo.get(type);
  if (!m) slugMemo.set(type, (m = new Map()));
  let s = m.get(canonical);
  if (s === undefined) {
    s = `${type}:${canonical.toLowerCase().replace(/\s+/g, '-')}`;
    if (canonical.length > MEMO_KEY_MAX) return s;
    if (m.size > MEMO_MAX) m.clear();
    m.set(ownKey(canonical), s);
  }
  return s;
}

const wordCache = new Map<string, string[]>();
const splitWords = (s: string): string[] => s.split(/\s+/).filter(Boolean);
function words(s: string): string[] {
  return memoized(wordCache, s, splitWords);
}

const MINOR_WORD = /^(?:of|the|for|and|on|in|de|du|la|le|des|der)$/i;

function initials(ws: readonly string[]): string {
  let out = '';
  for (const w of ws) {
    if (MINOR_WORD.test(w)) continue;
    for (const part of w.split('-')) out += part[0] ?? '';
  }
  return out.toUpperCase();
}

/** `words(s).length >= 2`, without splitting. */
function multiWord(s: string): boolean {
  let i = 0;
  const n = s.length;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  while (i < n && !isSpaceCode(s.charCodeAt(i))) i++;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  return i < n;
}

const longMemo = new Map<string, LongForm>();
function longForm(t: string): LongForm {
  return memoized(longMemo, t, makeLongForm);
}
/**
 * Longer runs never name anything: a long title-cased line read as one name (a table of contents)
 * would otherwise cost time and memory quadratic (long forms) or cubic (full names) in its words.
 */
const RUN_WORDS_MAX = 8;

function makeLongForm(t: string): LongForm {
  const ws = words(t);
  const runs: string[] = [];
  for (let k = 1, kn = Math.min(ws.length, RUN_WORDS_MAX + 1); k < kn; k++) {
    runs.push(ws.slice(0, k).join(' '));
    runs.push(ws.slice(ws.length - k).join(' '));
  }
  return { text: t, runs, initials: ws.length >= 2 ? initials(ws) : undefined };
}

const fullMemo = new Map<string, FullName>();
function fullName(n: string): FullName {
  return memoized(fullMemo, n, makeFullName);
}
function makeFullName(n: string): FullName {
  const ws = words(n);
  const subRuns: string[] = [];
  if (ws.length >= 3 && ws.length <= RUN_WORDS_MAX)
    for (let a = 0; a < ws.length; a++)
      for (let b = a + 2; b <= ws.length; b++) if (b - a < ws.length) subRuns.push(ws.slice(a, b).join(' '));
  return { text: n, words: ws, subRuns };
}

function isShouting(text: string): boolean {
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

function facts(slot: Slot): Facts {
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

// ---------------------------------------------------------------------------------------------
// The document index

/** key → value → count, with a signature per key; remembers which keys' signatures changed. */
class MultiCounter<V> {
  readonly map = new Map<string, Map<V, number>>();
  private before = new Map<string, string>();
  /** Off while an index is first filled (every paragraph is resolved then anyway). */
  tracking = true;
  constructor(private readonly sig: (m: Map<V, number> | undefined) => string) {}
  inc(key: string, value: V, d: number): void {
    let m = this.map.get(key);
    if (this.tracking && !this.before.has(key)) this.before.set(key, this.sig(m));
    if (!m) this.map.set(key, (m = new Map()));
    const v = (m.get(value) ?? 0) + d;
    if (v <= 1e-9) m.delete(value);
    else m.set(value, v);
    if (m.size === 0) this.map.delete(key);
  }
  /** Keys whose signature changed since the last call. */
  drain(out: Set<string>): void {
    for (const [k, b] of this.before) if (this.sig(this.map.get(k)) !== b) out.add(k);
    this.before.clear();
  }
}

function bestBy<V>(m: Map<V, number> | undefined, better: (a: V, ca: number, b: V, cb: number) => boolean): V | undefined {
  if (!m) return undefined;
  let best: V | undefined;
  let bc = 0;
  for (const [v, c] of m) {
    if (best === undefined || better(v, c, best, bc)) {
      best = v;
      bc = c;
    }
  }
  return best;
}
const byCount = <V>(a: V, ca: number, b: V, cb: number): boolean => ca > cb || (ca === cb && String(a) < String(b));
const byLength = (a: string, ca: number, b: string, cb: number): boolean => {
  const la = words(a).length;
  const lb = words(b).length;
  return la > lb || (la === lb && byCount(a, ca, b, cb));
};

export class DocIndex {
  /** surface → type → weight. The signature covers both readings: the majority and the strong majority. */
  readonly votes = new MultiCounter<EntityType>((m) => `${bestBy(m, byCount) ?? ''}|${strongest(m) ?? ''}`);
  /** word of a full person name → full names. */
  readonly tokenToFull = new MultiCounter<string>((m) => (m ? [...m.keys()].sort().join('|') : ''));
  /** word run (≥2 words) of a longer full name → those names (the longest wins). */
  readonly subRuns = new MultiCounter<string>((m) => bestBy(m, byLength) ?? '');
  /** prefix-or-suffix run → organisation long forms (the most frequent wins). */
  readonly orgRuns = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** prefix-or-suffix run → place long forms. */
  readonly placeRuns = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** INITIALS → organisation long forms. */
  readonly orgInitials = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** INITIALS → place long forms. */
  readonly placeInitials = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** short → long (parenthesised definitions). */
  readonly acronyms = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /**
   * surface → slots containing it (as mention or candidate). Only edits need it: a fresh index
   * ({@link fill}) leaves it stale and {@link slotsWith} rebuilds it from the slots when first asked.
   */
  private surfaceSlots = new Map<string, Slot | Slot[]>();
  /** first or last word → the two- and three-word model names it ends (with counts), for {@link drainDirty}. */
  private readonly nameEnds = new Map<string, Map<string, number>>();
  private surfaceSlotsStale = false;
  /** Number of slots in the index. */
  private count = 0;

  private counters(): MultiCounter<unknown>[] {
    return [this.votes, this.tokenToFull, this.subRuns, this.orgRuns, this.placeRuns, this.orgInitials, this.placeInitials, this.acronyms] as MultiCounter<unknown>[];
  }

  /** No slot in the index. */
  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * Fills an empty index with the slots of a first recognition, without change tracking (every
   * paragraph is resolved anyway) and without the surface → slots map (built on the first edit).
   */
  fill(slots: readonly Slot[]): void {
    for (const c of this.counters()) c.tracking = false;
    this.surfaceSlotsStale = true;
    for (const s of slots) this.apply(s, 1);
    for (const c of this.counters()) c.tracking = true;
  }

  add(slot: Slot): void {
    this.apply(slot, 1);
  }
  remove(slot: Slot): void {
    this.apply(slot, -1);
  }

  /** The slots containing `surface` (`all`: every slot of the document, in the index). */
  slotsWith(surface: string, all: readonly Slot[]): readonly Slot[] | undefined {
    if (this.surfaceSlotsStale) {
      this.surfaceSlots.clear();
      this.rebuildSurfaces(all);
      this.surfaceSlotsStale = false;
    }
    const v = this.surfaceSlots.get(surface);
    return v === undefined || Array.isArray(v) ? v : [v];
  }

  /**
   * Words shared by several full names whose occurrences changed (net) between `removed` and
   * `added` slots: a lone surname's nearest full name may have changed.
   */
  ambiguousChanged(removed: readonly Slot[], added: readonly Slot[]): Set<string> {
    const net = new Map<string, number>();
    for (const s of removed) for (const n of facts(s).fullNames) net.set(n, (net.get(n) ?? 0) - 1);
    for (const s of added) for (const n of facts(s).fullNames) net.set(n, (net.get(n) ?? 0) + 1);
    const out = new Set<string>();
    for (const [n, d] of net) {
      if (d === 0) continue;
      for (const tok of words(n)) if ((this.tokenToFull.map.get(tok)?.size ?? 0) > 1) out.add(tok);
    }
    return out;
  }

  private apply(slot: Slot, d: number): void {
    const f = facts(slot);
    this.count += d;
    const votes = this.votes;
    for (const it of f.items) {
      if (!isNameType(it.type)) continue;
      votes.inc(it.text, it.type, d * (it.source === 'dictionary' ? 100 : it.confidence));
      if (it.source === 'model' && multiWord(it.text)) this.nameEnd(it.text, d);
    }
    for (const n of f.full) {
      for (const tok of n.words) this.tokenToFull.inc(tok, n.text, d);
      for (const run of n.subRuns) this.subRuns.inc(run, n.text, d);
    }
    for (let i = 0; i < f.longForms.length; i++) {
      const l = f.longForms[i];
      const place = f.longType[i] === 'place';
      const runs = place ? this.placeRuns : this.orgRuns;
      for (const run of l.runs) runs.inc(run, l.text, d);
      if (l.initials !== undefined) (place ? this.placeInitials : this.orgInitials).inc(l.initials, l.text, d);
    }
    for (let i = 0; i < f.acrShort.length; i++) this.acronyms.inc(f.acrShort[i], f.acrLong[i], d);
    if (!this.surfaceSlotsStale) {
      if (d > 0) this.addSurfaces(slot);
      else this.removeSurfaces(slot);
    }
  }

  /** Counts a two- or three-word name under its first and last words (see {@link drainDirty}). */
  private nameEnd(name: string, d: number): void {
    const ws = words(name);
    if (ws.length > 3) return;
    for (const w of [ws[0], ws[ws.length - 1]]) {
      let m = this.nameEnds.get(w);
      if (!m) this.nameEnds.set(w, (m = new Map()));
      const c = (m.get(name) ?? 0) + d;
      if (c > 0) m.set(name, c);
      else {
        m.delete(name);
        if (m.size === 0) this.nameEnds.delete(w);
      }
    }
  }

  /** Records the slot under each of its surfaces (most surfaces are in one slot: no list for them). */
  private addSurfaces(slot: Slot): void {
    const f = facts(slot);
    const map = this.surfaceSlots;
    for (let i = 0, n = f.items.length + f.candTexts.length; i < n; i++) {
      const s = i < f.items.length ? f.items[i].text : f.candTexts[i - f.items.length];
      const v = map.get(s);
      if (v === undefined) map.set(s, slot);
      else if (Array.isArray(v)) {
        // A slot's surfaces are added together, once: if it is in the list already, it is last.
        if (v[v.length - 1] !== slot) v.push(slot);
      } else if (v !== slot) map.set(s, [v, slot]);
    }
  }

  /** {@link addSurfaces} for every slot (once, on the first edit after a fresh recognition). */
  private rebuildSurfaces(all: readonly Slot[]): void {
    for (const slot of all) this.addSurfaces(slot);
  }

  private removeSurfaces(slot: Slot): void {
    const f = facts(slot);
    const map = this.surfaceSlots;
    for (let i = 0, n = f.items.length + f.candTexts.length; i < n; i++) {
      const s = i < f.items.length ? f.items[i].text : f.candTexts[i - f.items.length];
      const v = map.get(s);
      if (v === slot) map.delete(s);
      else if (Array.isArray(v)) {
        const k = v.indexOf(slot);
        if (k >= 0) {
          v.splice(k, 1);
          if (v.length === 0) map.delete(s);
        }
      }
    }
  }

  /** Surface forms whose resolution may have changed since the last call. */
  drainDirty(): Set<string> {
    const out = new Set<string>();
    for (const c of this.counters()) c.drain(out);
    if (out.size === 0) return out;
    // Resolutions that read other surfaces' votes: a two- or three-word model name read as a person
    // by its first and last words' types ("John Smith" once "Smith" is a person), and an acronym
    // typed like its expansion ("FH" after "Foo Bar Holdings" becomes a place).
    const more: string[] = [];
    for (const d of out) {
      const names = this.nameEnds.get(d);
      if (names) for (const n of names.keys()) more.push(n);
    }
    if (this.acronyms.map.size > 0)
      for (const [short, longs] of this.acronyms.map) for (const long of longs.keys()) if (out.has(long)) more.push(short);
    for (const m of more) out.add(m);
    return out;
  }

  majority(surface: string): EntityType | undefined {
    return bestBy(this.votes.map.get(surface), byCount);
  }
  /** Is the word the first or last word of a full person name in the text (not a title)? */
  isNameEnd(word: string): boolean {
    const m = this.tokenToFull.map.get(word);
    if (!m || word.length < 3 || isTitleOrHonorific(word)) return false;
    for (const n of m.keys()) {
      const ws = words(n);
      if (ws[ws.length - 1] === word || ws[0] === word) return true;
    }
    return false;
  }
  /** The type at least two confident mentions gave the form, twice as strongly as any other type. */
  strongMajority(surface: string): EntityType | undefined {
    return strongest(this.votes.map.get(surface));
  }
  fullCanon(name: string): string {
    return bestBy(this.subRuns.map.get(name), byLength) ?? name;
  }
}

/** The type at least two confident mentions gave the form, twice as strongly as any other type. */
function strongest(m: Map<EntityType, number> | undefined): EntityType | undefined {
  if (!m) return undefined;
  let best: EntityType | undefined;
  let b1 = 0;
  let b2 = 0;
  for (const [t, w] of m) {
    if (w > b1) {
      best = t;
      b2 = b1;
      b1 = w;
    } else if (w > b2) b2 = w;
  }
  return b1 >= 1.6 && b1 >= 2 * b2 ? best : undefined;
}

// ---------------------------------------------------------------------------------------------
// Resolution of one paragraph

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

export function resolveSlot(slots: readonly Slot[], si: number, index: DocIndex, ctx: DocumentContext): Resolved[] {
  const slot = slots[si];
  const { text, result } = slot;
  const f = facts(slot);
  const out: Resolved[] = [];
  // Dateline override (publisher / place before the dateline's date).
  let dl: Span & { type: EntityType } | undefined;
  if (ctx.datelineName && ctx.datelineName.start >= slot.offset && ctx.datelineName.end <= slot.offset + text.length) {
    dl = { start: ctx.datelineName.start - slot.offset, end: ctx.datelineName.end - slot.offset, type: ctx.datelineName.type };
    if (ctx.isIgnored(text.slice(dl.start, dl.end))) dl = undefined;
  }
  slot.dateline = dl ? `${dl.start}:${dl.end}:${dl.type}` : undefined;

  let items: Item[];
  if (dl) {
    items = [];
    for (const it of f.items) if (!(it.start < dl.end && dl.start < it.end && isNameType(it.type))) items.push(it);
    items.push({ start: dl.start, end: dl.end, type: dl.type, source: 'rule', confidence: 0.8, value: undefined, date: undefined, entry: undefined, roles: undefined, text: text.slice(dl.start, dl.end), learned: undefined });
  } else items = f.items;
  const fixed = items.length;
  /** `items` is still the facts' array (copy before changing it). */
  let shared = !dl;
  // Candidates equal to a name marked elsewhere.
  const candidates = result.candidates;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    const t = f.candTexts[i];
    if (dl && c.start < dl.end && dl.start < c.end) continue;
    const type: EntityType | undefined = index.isNameEnd(t) ? 'person' : index.strongMajority(t);
    if (!type || (type === 'group' && !groupCanonical(t))) continue;
    if (SENTENCE_WORDS.has(t) || NOT_NAMES.test(t) || ctx.isIgnored(t)) continue;
    // In text set in capitals (headlines, tables) words are left to the tagger.
    if (t.length > 4 && t === t.toUpperCase() && (f.shouting ??= isShouting(text))) continue;
    if (shared) {
      items = items.slice();
      shared = false;
    }
    items.push({ start: c.start, end: c.end, type, source: 'consistency', confidence: 0.6, value: undefined, date: undefined, entry: undefined, roles: undefined, text: t, learned: undefined });
  }
  // Stable sort by position; the usual case, two sorted runs (mentions, candidates), is a merge.
  if (sortedByPosition(items, 0, fixed) && sortedByPosition(items, fixed, items.length)) {
    if (fixed > 0 && fixed < items.length && byPosition(items[fixed - 1], items[fixed]) > 0) {
      const merged: Item[] = [];
      let i = 0;
      let j = fixed;
      while (i < fixed && j < items.length) merged.push(byPosition(items[i], items[j]) <= 0 ? items[i++] : items[j++]);
      while (i < fixed) merged.push(items[i++]);
      while (j < items.length) merged.push(items[j++]);
      items = merged;
    }
  } else items = (shared ? items.slice() : items).sort(byPosition);

  for (let k = 0; k < items.length; k++) {
    const m = items[k];
    const t = m.text;
    const source = m.source;
    const confidence = m.confidence;
    const entry = m.entry;
    let type = m.type;
    // Consistency: the majority type of this surface form (groups stay groups).
    if (isNameType(type) && source !== 'dictionary' && source !== 'consistency' && !(dl && m.start === dl.start)) {
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
    }
    let canonical = t;
    let value = m.value;
    switch (type) {
      case 'person': {
        if (entry) {
          canonical = entry.name;
          break;
        }
        if (multiWord(t)) {
          canonical = index.fullCanon(t);
          break;
        }
        const byName = index.tokenToFull.map.get(t);
        if (!byName || byName.size === 0) break;
        let only: string | undefined;
        let several = false;
        for (const n of byName.keys()) {
          const c = index.fullCanon(n);
          if (only === undefined) only = c;
          else if (c !== only) {
            several = true;
            break;
          }
        }
        if (!several) {
          canonical = only as string;
          break;
        }
        canonical = index.fullCanon(nearestFullName(slots, si, items, k, byName) ?? [...byName.keys()].sort()[0]);
        break;
      }
      case 'organization':
      case 'place': {
        if (entry) {
          canonical = entry.name;
          break;
        }
        const place = type === 'place';
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
        canonical = (place ? ci.place : ci.org) ?? c;
        break;
      }
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
    out.push({
      start: m.start,
      end: m.end,
      type,
      text: t,
      canonical,
      id,
      confidence,
      source,
      value,
      roles: roles && roles.length && type === 'person' ? roles : undefined,
      entry: entry || undefined,
      learned: m.learned,
    });
  }
  return out;
}

/** The full name (among `byName`) mentioned last before item k of slot si. */
/**
 * Two or three capitalised words, the first a given name (a known first name, or a word the text
 * does not use for anything else) and the last a surname the document gives to a person, none of
 * them a title or a known organisation, place or group.
 */
const CAPITALISED = /^\p{Lu}\p{Ll}/u;

/** `CAPITALISED.test(w)`, without the regular expression for ASCII letters. */
function capitalised(w: string): boolean {
  const a = w.charCodeAt(0);
  const b = w.charCodeAt(1);
  if (a < 128 && b < 128) return a >= 65 && a <= 90 && b >= 97 && b <= 122;
  return CAPITALISED.test(w);
}

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

// ---------------------------------------------------------------------------------------------
// Output

/**
 * Builds mentions and entities from resolved slots, reusing output objects of unmoved slots.
 * `entities` is computed on first access (then stored as a plain property): the editor reads
 * mentions on every keystroke, entities only for hovers and views.
 */
export function buildResult(slots: readonly Slot[]): { mentions: Mention[]; entities: Entity[] } {
  const mentions: Mention[] = [];
  const parts: { res: readonly Resolved[]; abs: Output }[] = [];
  for (const slot of slots) {
    const res = slot.resolved ?? [];
    let abs = slot.abs;
    if (!abs || abs.offset !== slot.offset) {
      const ms: Mention[] = [];
      for (const r of res) {
        const m: Mention = { start: slot.offset + r.start, end: slot.offset + r.end, type: r.type, text: r.text, canonical: r.canonical, entityId: r.id, confidence: r.confidence, source: r.source };
        if (r.value !== undefined) m.value = r.value;
        if (r.learned) m.learned = true;
        ms.push(m);
      }
      slot.abs = abs = { offset: slot.offset, mentions: ms, spans: undefined };
    }
    for (const m of abs.mentions) mentions.push(m);
    parts.push({ res, abs });
  }
  // An accessor in the literal (not defineProperty): cheaper to create; still an own enumerable property.
  const out = {
    mentions,
    get entities(): Entity[] {
      const value = buildEntities(parts);
      Object.defineProperty(out, 'entities', { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set entities(value: Entity[]) {
      Object.defineProperty(out, 'entities', { value, enumerable: true, configurable: true, writable: true });
    },
  };
  return out;
}

/** The entity spans of a slot's output (made once, from the offsets the mentions were made with). */
function spansOf(abs: Output, res: readonly Resolved[]): Span[] {
  if (!abs.spans) {
    const spans: Span[] = [];
    for (const r of res) spans.push({ start: abs.offset + r.start, end: abs.offset + r.end });
    abs.spans = spans;
  }
  return abs.spans;
}

function buildEntities(parts: readonly { res: readonly Resolved[]; abs: Output }[]): Entity[] {
  const byId = new Map<string, Entity>();
  const entities: Entity[] = [];
  /** Alias sets of entities with many aliases (few aliases: `includes` on the list). */
  let aliasSets: Map<Entity, Set<string>> | undefined;
  for (const { res, abs } of parts) {
    const spans = spansOf(abs, res);
    for (let i = 0; i < res.length; i++) {
      const r = res[i];
      let e = byId.get(r.id);
      if (!e) {
        e = { id: r.id, type: r.type, canonical: r.canonical, aliases: [], roles: [], mentions: [] };
        byId.set(r.id, e);
        entities.push(e);
      }
      if (r.entry?.description && !e.description) e.description = r.entry.description;
      if (r.text !== r.canonical) {
        const aliases = e.aliases;
        if (aliases.length < 16) {
          if (!aliases.includes(r.text)) aliases.push(r.text);
        } else {
          aliasSets ??= new Map();
          let as = aliasSets.get(e);
          if (!as) aliasSets.set(e, (as = new Set(aliases)));
          if (!as.has(r.text)) {
            as.add(r.text);
            aliases.push(r.text);
          }
        }
      }
      if (r.roles) for (const role of r.roles) if (!e.roles.includes(role)) e.roles.push(role);
      e.mentions.push(spans[i]);
    }
  }
  return entities;
}
