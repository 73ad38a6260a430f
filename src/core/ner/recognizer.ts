/**
 * Incremental recognition. `EntityRecognizer.recognize(text)` finds what changed since the last
 * text (common prefix and suffix, or the caller's change hint), re-splits only the paragraphs
 * around the change (`splitParagraphs`), recognises paragraphs whose content it has not seen
 * (cache keyed by the paragraph's text), updates the document index and re-resolves only the
 * paragraphs whose names' resolution changed (see `document.ts`). An edit inside one paragraph of
 * a 1 MB source re-tags that paragraph only.
 */
import type { Span } from '../types';
import type { Edit } from '../text/edits';
import { splitParagraphs } from '../text/paragraphs';
import { findDateline, parseIsoDate, type YMD } from './dates';
import { compileDictionary, type Dictionary, type DictionaryMatcher } from './dictionary';
import { buildResult, DocIndex, resolveSlot, type DocumentContext, type Slot } from './document';
import { isCountry, placeCanonical } from './lexicon';
import { documentContextFor, releaseParagraphs, taggerFor, type NameTagger } from './names';
import { recognizeParagraph, type ParagraphResult } from './paragraph';
import type { EntityResult } from './index';

export interface RecognizerOptions {
  /** Opaque model object from the tagger's loader, or a tagging function; absent → interim rules. */
  model?: unknown;
  /** ISO date relative dates resolve against; default: the text's own dateline. */
  documentDate?: string;
  /** The workspace dictionary (see `parseDictionary`). */
  dictionary?: Dictionary;
}

export interface RecognizerStats {
  paragraphs: number;
  /** Paragraphs tagged in the last call (the rest came from the cache). */
  recognised: number;
  /** Paragraphs re-resolved by the document pass in the last call. */
  resolved: number;
}

const MAX_CACHE = 20000;
const DATELINE_WITHIN = 1500;
const CHUNK = 2048;

/** A slot with every field present from the start (one object shape). */
function newSlot(text: string, result: ParagraphResult, offset: number): Slot {
  return { text, result, offset, resolved: undefined, abs: undefined, dateline: undefined, facts: undefined };
}

/** Length of the common prefix (native comparison of chunks, then characters). */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p + CHUNK <= max && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** Length of the common suffix, at most `limit`. */
export function commonSuffix(a: string, b: string, limit: number): number {
  let s = 0;
  while (s + CHUNK <= limit && a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < limit && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

/** The slots a recognition added to the document and removed from it. */
interface SlotChange {
  added: Slot[];
  removed: Slot[];
}

/** The changed range of the previous text `[p, oldEnd)`: from the hint, or the common prefix and suffix. */
function changedRange(old: string, text: string, change: Edit | undefined): { p: number; oldEnd: number } {
  if (change && change.offset + change.length <= old.length && old.length - change.length + change.text.length === text.length) return { p: change.offset, oldEnd: change.offset + change.length };
  const p = commonPrefix(old, text);
  const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  return { p, oldEnd: old.length - s };
}

/** `fresh` with the slot objects (and their resolved output) of unchanged paragraphs among `removed` kept. */
function reuseUnchanged(removed: readonly Slot[], fresh: readonly Slot[]): Slot[] {
  const reuse = new Map<string, Slot[]>();
  for (const s of removed) {
    const l = reuse.get(s.text);
    if (l) l.push(s);
    else reuse.set(s.text, [s]);
  }
  return fresh.map((f) => {
    const r = reuse.get(f.text)?.shift();
    if (r) {
      r.offset = f.offset;
      return r;
    }
    return f;
  });
}

export class EntityRecognizer {
  private tagger: NameTagger;
  private modelled: boolean;
  private model: unknown;
  /** The tagger's document context, built on a full recognition and reused for edits. */
  private context: unknown;
  private dict: DictionaryMatcher;
  private documentDate?: string;
  private cache = new Map<string, ParagraphResult>();
  private slots: Slot[] = [];
  private index = new DocIndex();
  private lastText: string | undefined;
  private ctxKey = '';
  readonly stats: RecognizerStats = { paragraphs: 0, recognised: 0, resolved: 0 };

  constructor(options: RecognizerOptions = {}) {
    this.tagger = taggerFor(options.model);
    this.model = options.model;
    this.modelled = options.model !== undefined && options.model !== null;
    this.dict = compileDictionary(options.dictionary);
    this.documentDate = options.documentDate;
  }

  /** Changing the model or the dictionary empties the caches. */
  setOptions(options: RecognizerOptions): void {
    let reset = false;
    if ('model' in options) {
      this.tagger = taggerFor(options.model);
      this.model = options.model;
      this.modelled = options.model !== undefined && options.model !== null;
      reset = true;
    }
    if ('dictionary' in options) {
      const d = compileDictionary(options.dictionary);
      if (d.key !== this.dict.key) reset = true;
      this.dict = d;
    }
    if ('documentDate' in options && options.documentDate !== this.documentDate) {
      this.documentDate = options.documentDate;
      this.ctxKey = '';
    }
    if (reset) this.reset();
  }

  /** Forgets everything (caches and the last text). */
  reset(): void {
    this.cache.clear();
    this.slots = [];
    this.index = new DocIndex();
    this.lastText = undefined;
    this.ctxKey = '';
    this.context = undefined;
  }

  private paragraph(ptext: string): ParagraphResult {
    let r = this.cache.get(ptext);
    if (!r) {
      r = recognizeParagraph(ptext, this.tagger, this.dict, this.modelled, this.context);
      this.stats.recognised++;
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(ptext, r);
    }
    return r;
  }

  /** `change`: optional hint, the edit that turned the previous text into this one (offsets in the previous text). */
  recognize(text: string, change?: Edit): EntityResult {
    this.stats.recognised = 0;
    this.stats.resolved = 0;
    const old = this.lastText;
    const { added, removed } =
      old === undefined || this.slots.length === 0 ? this.recogniseAll(text) : old !== text ? this.recogniseEdit(old, text, change) : { added: [], removed: [] };
    // A fresh index (first recognition): every paragraph is resolved below, so no change tracking
    // (and no surfaces changed by this call to look for).
    const fresh = removed.length === 0 && this.index.empty;
    let ambiguous: Set<string> | undefined;
    if (fresh) this.index.fill(added);
    else {
      for (const s of added) this.index.add(s);
      ambiguous = this.index.ambiguousChanged(removed, added);
    }
    this.lastText = text;
    this.stats.paragraphs = this.slots.length;
    const ctx = this.documentContext(text);
    const ctxKey = ctx.refDate ? `${ctx.refDate.y}-${ctx.refDate.m}-${ctx.refDate.d}` : '';
    const allDirty = ctxKey !== this.ctxKey;
    this.ctxKey = ctxKey;
    this.resolveChanged(ctx, allDirty, fresh ? undefined : this.dirtySlots(ambiguous));
    return buildResult(this.slots);
  }

  /** Full recognition: the tagger's document context comes from this text; edits reuse it. */
  private recogniseAll(text: string): SlotChange {
    const removed: Slot[] = [];
    for (const s of this.slots) this.index.remove(s);
    for (const s of this.slots) removed.push(s); // (a loop: a spread of 100k+ slots overflows the stack)
    const spans = splitParagraphs(text);
    const texts = spans.map((s) => text.slice(s.start, s.end));
    // Paragraphs tokenized once: for the document context and for tagging.
    this.context = documentContextFor(this.model, text, texts);
    this.slots = spans.map((s, i) => newSlot(texts[i], this.paragraph(texts[i]), s.start));
    this.context = releaseParagraphs(this.context);
    const added: Slot[] = [];
    for (const s of this.slots) added.push(s);
    return { added, removed };
  }

  /** Re-splits the paragraphs around the change; unchanged paragraphs keep their slots. */
  private recogniseEdit(old: string, text: string, change: Edit | undefined): SlotChange {
    const { p, oldEnd } = changedRange(old, text, change);
    const delta = text.length - old.length;
    // Old paragraphs touching [p, oldEnd], plus one on each side (blank lines may appear or vanish).
    let first = 0;
    while (first < this.slots.length && this.slots[first].offset + this.slots[first].text.length < p) first++;
    let last = first - 1;
    while (last + 1 < this.slots.length && this.slots[last + 1].offset <= oldEnd) last++;
    first = Math.max(0, first - 1);
    last = Math.min(this.slots.length - 1, last + 1);
    const lo = Math.min(p, this.slots[first].offset);
    const regionNewEnd = Math.max(oldEnd, this.slots[last].offset + this.slots[last].text.length) + delta;
    const removedHere = this.slots.slice(first, last + 1);
    const region = text.slice(lo, regionNewEnd);
    const fresh: Slot[] = splitParagraphs(region).map((s) => {
      const ptext = region.slice(s.start, s.end);
      return newSlot(ptext, this.paragraph(ptext), lo + s.start);
    });
    const merged = reuseUnchanged(removedHere, fresh);
    const tail = this.slots.slice(last + 1);
    for (const s of tail) s.offset += delta;
    this.slots = [...this.slots.slice(0, first), ...merged, ...tail];
    // Reused slots (unchanged neighbours) stay in the index: removing and adding them back is a no-op.
    const kept = new Set(merged);
    const removed: Slot[] = [];
    for (const s of removedHere) {
      if (kept.has(s)) continue;
      this.index.remove(s);
      removed.push(s);
    }
    const reused = new Set(removedHere);
    const added: Slot[] = [];
    for (const s of merged) if (!reused.has(s)) added.push(s);
    return { added, removed };
  }

  /** The reference date and the dateline's name. */
  private documentContext(text: string): DocumentContext {
    let refDate: YMD | undefined = parseIsoDate(this.documentDate);
    let datelineName: DocumentContext['datelineName'];
    const dl = this.dateline(text);
    if (dl) {
      refDate ??= dl.date;
      if (dl.name) {
        const name = text.slice(dl.name.start, dl.name.end);
        const place = !!placeCanonical(name) || isCountry(name) || /^[\p{Lu}\s.-]+$/u.test(name);
        datelineName = { ...dl.name, type: place ? 'place' : 'organization' };
      }
    }
    return { refDate, datelineName, isIgnored: (n) => this.dict.isIgnored(n) };
  }

  /** The slots holding a surface whose resolution may have changed (or an `ambiguous` word). */
  private dirtySlots(ambiguous: Set<string> | undefined): Set<Slot> {
    const todo = new Set<Slot>();
    const dirty = this.index.drainDirty();
    if (ambiguous) for (const a of ambiguous) dirty.add(a);
    for (const d of dirty) {
      const set = this.index.slotsWith(d, this.slots);
      if (set) for (const s of set) todo.add(s);
    }
    return todo;
  }

  /** Resolves new slots, those in `todo`, and those whose dateline changed (every slot when `allDirty`). */
  private resolveChanged(ctx: DocumentContext, allDirty: boolean, todo: Set<Slot> | undefined): void {
    const { datelineName } = ctx;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      const dlKey = datelineName && datelineName.start >= s.offset && datelineName.end <= s.offset + s.text.length ? `${datelineName.start - s.offset}:${datelineName.end - s.offset}:${datelineName.type}` : undefined;
      if (allDirty || !s.resolved || todo?.has(s) || s.dateline !== dlKey) {
        s.resolved = resolveSlot(this.slots, i, this.index, ctx);
        s.abs = undefined;
        this.stats.resolved++;
      }
    }
  }

  private datelineMemo: { head: string; dl: ReturnType<typeof findDateline> } | undefined;
  /** The dateline depends on the first DATELINE_WITHIN characters only: memoised on them. */
  private dateline(text: string): ReturnType<typeof findDateline> {
    const head = text.slice(0, DATELINE_WITHIN);
    if (this.datelineMemo?.head !== head) this.datelineMemo = { head, dl: findDateline(head, DATELINE_WITHIN) };
    return this.datelineMemo.dl;
  }

  /** Boilerplate spans (absolute) of the last recognised text. */
  boilerplate(): Span[] {
    const out: Span[] = [];
    for (const p of this.slots) for (const b of p.result.boilerplate) out.push({ start: p.offset + b.start, end: p.offset + b.end });
    return out;
  }
}
