/**
 * The user's recognition corrections win over the recognisers. `applyCorrections` takes an
 * `Analysis` of `text` and the corrections (targets in offsets of the same `text`) and returns a
 * corrected copy; the input is not modified.
 *
 * Order: `ignore` first, then `entity-type`, then `merge`, then `speaker`; among corrections of the
 * same action the later id wins. Scope `all` (default) applies an entity correction to every
 * mention whose text equals the target's `exact`, `this` only to mentions overlapping the target
 * span. Orphaned corrections apply only with scope `all` (their text may still occur).
 */
import type { Correction } from './sidecar/model';
import type { Analysis, Entity, EntityType, Mention, Quote } from './types';

/** Id for an entity the corrections create (same shape for the same type and name). */
export function correctedEntityId(type: EntityType, canonical: string): string {
  return `${type}:${canonical.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/** A recognised mention the user gave another type (a copy the caller owns). */
function retype(m: Mention, type: EntityType): void {
  if (m.type === type) return;
  m.type = type;
  m.entityId = correctedEntityId(type, m.canonical);
  m.source = 'correction';
  m.confidence = 1;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Does a correction apply to a mention: with scope `all`, the mention's text is the target's exact
 * text; otherwise (and also) the mention overlaps the target span, unless the correction is
 * orphaned. Here against many corrections at once, in O(log n) per mention: the scope-all texts in
 * a set, the target spans sorted by start with the running maximum of their ends.
 */
function matcher(cs: readonly Correction[]): (m: Mention) => boolean {
  const texts = new Set<string>();
  const spans: { start: number; end: number }[] = [];
  for (const c of cs) {
    if ((c.scope ?? 'all') === 'all' && c.target.exact) texts.add(c.target.exact);
    if (!c.orphan) spans.push({ start: c.target.start, end: c.target.end });
  }
  spans.sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  let run = -Infinity;
  for (const s of spans) maxEnd.push((run = Math.max(run, s.end)));
  return (m) => {
    if (texts.has(m.text)) return true;
    // spans starting before the mention's end: does one of them end after its start?
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].start < m.end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1] > m.start;
  };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Is there a letter or digit (a whole code point, astral ones included) just before `i`? */
function wordBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const lo = text.charCodeAt(i - 1);
  const ch = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
  return WORD_CHAR.test(ch);
}

/** Is there a letter or digit starting at `i`? */
function wordAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const cp = text.codePointAt(i) as number;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** `text[start, end)` is not part of a longer word (a re-anchored correction can land inside one). */
function isWholeWordAt(text: string, start: number, end: number): boolean {
  return !wordBefore(text, start) && !wordAt(text, end);
}

const LEADING_WORD = /^[\p{L}\p{N}\p{M}]+/u;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Where each word of a text starts, by the word: built once per text, so that many scope-all
 * corrections each find their occurrences in the time of their own matches, not a scan of the text.
 */
class WordIndex {
  private readonly starts = new Map<string, number[]>();
  constructor(private readonly text: string) {
    WORDS.lastIndex = 0;
    for (let m = WORDS.exec(text); m; m = WORDS.exec(text)) {
      const list = this.starts.get(m[0]);
      if (list) list.push(m.index);
      else this.starts.set(m[0], [m.index]);
    }
  }

  /** As `wholeWordOccurrences(text, exact)`. */
  occurrences(exact: string): number[] {
    const first = LEADING_WORD.exec(exact);
    if (!first) return wholeWordOccurrences(this.text, exact);
    const out: number[] = [];
    let after = 0;
    for (const i of this.starts.get(first[0]) ?? []) {
      if (i < after || !this.text.startsWith(exact, i) || wordAt(this.text, i + exact.length)) continue;
      out.push(i);
      after = i + exact.length;
    }
    return out;
  }
}

/**
 * Where `exact` occurs in `text` as a whole word (not preceded or followed by a letter or digit:
 * "Iran" is not found in "Iranian"), in order and without overlaps.
 */
export function wholeWordOccurrences(text: string, exact: string): number[] {
  const out: number[] = [];
  if (!exact) return out;
  let i = text.indexOf(exact);
  while (i !== -1) {
    const end = i + exact.length;
    if (!wordBefore(text, i) && !wordAt(text, end)) {
      out.push(i);
      i = text.indexOf(exact, end);
    } else {
      i = text.indexOf(exact, i + 1);
    }
  }
  return out;
}

/**
 * Indexes over the mentions for the merge step (whose corrections change only mentions' `entityId`,
 * `canonical` and `source`): by text, by span (sorted, with the running maximum end), by entity id
 * and by canonical name (a min-heap of array positions per name, stale entries dropped lazily).
 */
class MergeIndex {
  private readonly byText = new Map<string, number[]>();
  private readonly byStart: number[];
  private readonly maxEnd: number[] = [];
  private readonly byEntity = new Map<string, Set<number>>();
  private readonly byCanonical = new Map<string, number[]>();

  constructor(private readonly mentions: Mention[]) {
    mentions.forEach((m, i) => {
      let t = this.byText.get(m.text);
      if (!t) this.byText.set(m.text, (t = []));
      t.push(i);
      this.entitySet(m.entityId).add(i);
      this.heapPush(m.canonical, i);
    });
    this.byStart = mentions.map((_, i) => i).sort((a, b) => mentions[a].start - mentions[b].start || a - b);
    let run = -Infinity;
    for (const i of this.byStart) this.maxEnd.push((run = Math.max(run, mentions[i].end)));
  }

  /** Positions (ascending) of the mentions the correction applies to (as in {@link matcher}). */
  matching(c: Correction): number[] {
    const out = new Set<number>();
    if ((c.scope ?? 'all') === 'all' && c.target.exact) for (const i of this.byText.get(c.target.exact) ?? []) out.add(i);
    if (!c.orphan) {
      const { start, end } = c.target;
      let lo = 0;
      let hi = this.byStart.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.mentions[this.byStart[mid]].start < end) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo - 1; k >= 0 && this.maxEnd[k] > start; k--) {
        const i = this.byStart[k];
        if (this.mentions[i].end > start) out.add(i);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  withEntity(id: string): Iterable<number> {
    return this.byEntity.get(id) ?? [];
  }

  /** The first mention (array position) named `canonical` now, outside `skip`. */
  firstWithCanonical(canonical: string, skip: Set<number>): number | undefined {
    const heap = this.byCanonical.get(canonical);
    if (!heap) return undefined;
    const held: number[] = [];
    let found: number | undefined;
    while (heap.length > 0) {
      const i = heap[0];
      if (this.mentions[i].canonical !== canonical) {
        heapPop(heap); // renamed since: stale
        continue;
      }
      if (skip.has(i)) {
        held.push(heapPop(heap));
        continue;
      }
      found = i;
      break;
    }
    for (const i of held) this.heapPush(canonical, i);
    return found;
  }

  relabel(i: number, entityId: string, canonical: string): void {
    const m = this.mentions[i];
    if (m.entityId !== entityId) {
      this.byEntity.get(m.entityId)?.delete(i);
      this.entitySet(entityId).add(i);
      m.entityId = entityId;
    }
    if (m.canonical !== canonical) {
      m.canonical = canonical;
      this.heapPush(canonical, i);
    }
    m.source = m.source ?? 'correction';
  }

  private entitySet(id: string): Set<number> {
    let set = this.byEntity.get(id);
    if (!set) this.byEntity.set(id, (set = new Set()));
    return set;
  }

  private heapPush(key: string, v: number): void {
    let h = this.byCanonical.get(key);
    if (!h) this.byCanonical.set(key, (h = []));
    h.push(v);
    for (let k = h.length - 1; k > 0; ) {
      const p = (k - 1) >> 1;
      if (h[p] <= h[k]) break;
      [h[p], h[k]] = [h[k], h[p]];
      k = p;
    }
  }
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop() as number;
  if (h.length > 0) {
    h[0] = last;
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < h.length && h[l] < h[m]) m = l;
      if (r < h.length && h[r] < h[m]) m = r;
      if (m === k) break;
      [h[m], h[k]] = [h[k], h[m]];
      k = m;
    }
  }
  return top;
}

/**
 * The quotation a speaker correction's target falls on: the one whose span is exactly the target
 * (a reported statement and a quotation-mark fragment inside it overlap: each keeps its own
 * correction), else the first (in order) overlapping it, or holding an empty target. Binary search
 * over the running maximum of ends when the quotations are sorted by start (as the recognisers give
 * them); otherwise a scan.
 */
function quoteFinder(quotes: Quote[]): (t: { start: number; end: number }) => Quote | undefined {
  const exact = new Map<string, Quote>();
  for (const q of quotes) if (!exact.has(`${q.start}:${q.end}`)) exact.set(`${q.start}:${q.end}`, q);
  const overlapping = overlapFinder(quotes);
  return (t) => exact.get(`${t.start}:${t.end}`) ?? overlapping(t);
}

function overlapFinder(quotes: Quote[]): (t: { start: number; end: number }) => Quote | undefined {
  const hits = (x: Quote, t: { start: number; end: number }): boolean => overlaps(x, t) || (t.start === t.end && x.start <= t.start && t.start < x.end);
  let sorted = true;
  for (let i = 1; i < quotes.length && sorted; i++) if (quotes[i].start < quotes[i - 1].start) sorted = false;
  if (!sorted) return (t) => quotes.find((x) => hits(x, t));
  const maxEnd: number[] = [];
  let run = -Infinity;
  for (const q of quotes) maxEnd.push((run = Math.max(run, q.end)));
  return (t) => {
    // the first quotation ending after the target's start (any earlier one ends before it)
    let lo = 0;
    let hi = quotes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maxEnd[mid] > t.start) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < quotes.length && quotes[i].start <= t.end; i++) if (hits(quotes[i], t)) return quotes[i];
    return undefined;
  };
}

/** The span (sorted by start) nearest `pos` by start; the earlier one on a tie (as a left-to-right scan keeping strict improvements). */
const SORTED_SPANS = new WeakMap<readonly { start: number }[], boolean>();

function nearestSpan(spans: readonly { start: number; end: number }[], pos: number): { start: number; end: number } {
  let sorted = SORTED_SPANS.get(spans);
  if (sorted === undefined) {
    sorted = true;
    for (let i = 1; i < spans.length && sorted; i++) if (spans[i].start < spans[i - 1].start) sorted = false;
    SORTED_SPANS.set(spans, sorted);
  }
  if (!sorted) return spans.reduce((best, s) => (Math.abs(s.start - pos) < Math.abs(best.start - pos) ? s : best));
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  // the first span at or after pos, and the last before it (among equal starts, the first)
  let best = lo < spans.length ? lo : spans.length - 1;
  if (lo > 0) {
    let b = lo - 1;
    while (b > 0 && spans[b - 1].start === spans[b].start) b--;
    if (lo >= spans.length || Math.abs(spans[b].start - pos) <= Math.abs(spans[lo].start - pos)) best = b;
  }
  return spans[best];
}

/** A map keyed by span: one number per span (a string only for a span longer than 65,535). */
class SpanMap<V> {
  private readonly byKey = new Map<number | string, V>();
  private static key(s: { start: number; end: number }): number | string {
    const len = s.end - s.start;
    return len >= 0 && len < 65536 && s.start >= 0 && s.start < 2 ** 36 ? s.start * 65536 + len : `${s.start}:${s.end}`;
  }
  /** Sets the value for the span unless it has one. */
  setFirst(s: { start: number; end: number }, v: V): void {
    const k = SpanMap.key(s);
    if (!this.byKey.has(k)) this.byKey.set(k, v);
  }
  get(s: { start: number; end: number }): V | undefined {
    return this.byKey.get(SpanMap.key(s));
  }
}

/**
 * The entity-type correction over spans that do not overlap one another, in one pass: a mention on exactly a span
 * takes the type; mentions overlapping a span otherwise give way to a new mention on it (appended
 * in span order, as one span at a time would). Same result as applying the spans one by one.
 */
function retypeSpans(text: string, mentions: Mention[], spans: readonly { start: number; end: number; type: EntityType }[]): Mention[] {
  // the first mention on exactly each span
  const bySpan = new SpanMap<Mention>();
  for (const m of mentions) bySpan.setFirst(m, m);
  const replaced: { start: number; end: number }[] = [];
  const added: Mention[] = [];
  for (const s of spans) {
    const same = bySpan.get(s);
    if (same) {
      retype(same, s.type);
      continue;
    }
    replaced.push(s);
    const exact = text.slice(s.start, s.end);
    added.push({ start: s.start, end: s.end, type: s.type, text: exact, canonical: exact, entityId: correctedEntityId(s.type, exact), confidence: 1, source: 'correction' });
  }
  if (replaced.length === 0) return mentions;
  // drop the mentions overlapping a replaced span (spans apart, sorted here: binary search)
  replaced.sort((a, b) => a.start - b.start);
  const hitsReplaced = (m: Mention): boolean => {
    let lo = 0;
    let hi = replaced.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (replaced[mid].end <= m.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < replaced.length && replaced[lo].start < m.end;
  };
  const out = mentions.filter((m) => !hitsReplaced(m));
  for (const m of added) out.push(m);
  return out;
}

export function applyCorrections(text: string, analysis: Analysis, corrections: readonly Correction[]): Analysis {
  if (corrections.length === 0) return analysis;
  const sorted = [...corrections].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byAction = (action: Correction['action']): Correction[] => sorted.filter((c) => c.action === action);
  const entityById = new Map(analysis.entities.map((e) => [e.id, e]));
  let mentions: Mention[] = analysis.mentions.map((m) => ({ ...m }));

  // 1. ignore
  const ignores = byAction('ignore');
  if (ignores.length) {
    const ignored = matcher(ignores);
    mentions = mentions.filter((m) => !ignored(m));
  }

  // 2. entity type: the corrected span is the mention (overlapping recognised mentions give way).
  // Every correction's spans, in id order (a later correction of the same span wins).
  const typed: { start: number; end: number; type: EntityType }[] = [];
  let words: WordIndex | undefined;
  for (const c of byAction('entity-type')) {
    const type = c.type!;
    let first = -1;
    // A correction's own position counts only where it still holds its text as a whole word.
    if (!c.orphan && text.slice(c.target.start, c.target.end) === c.target.exact && isWholeWordAt(text, c.target.start, c.target.end)) {
      first = c.target.start;
      typed.push({ start: c.target.start, end: c.target.end, type });
    }
    if ((c.scope ?? 'all') === 'all' && c.target.exact.trim()) {
      words ??= new WordIndex(text);
      for (const i of words.occurrences(c.target.exact)) if (i !== first) typed.push({ start: i, end: i + c.target.exact.length, type });
    }
  }
  if (typed.length) {
    const last = new Map<string, { start: number; end: number; type: EntityType }>();
    for (const t of typed) last.set(`${t.start}:${t.end}`, t);
    const spans = [...last.values()].sort((x, y) => x.start - y.start);
    let apart = true;
    for (let k = 1; k < spans.length && apart; k++) if (spans[k].start < spans[k - 1].end) apart = false;
    if (apart) {
      // Spans apart from each other (the usual case): one pass over the mentions for all corrections.
      mentions = retypeSpans(text, mentions, spans);
    } else {
      for (const s of typed) {
        const same = mentions.find((m) => m.start === s.start && m.end === s.end);
        if (same) {
          retype(same, s.type);
          continue;
        }
        mentions = mentions.filter((m) => !overlaps(m, s));
        const exact = text.slice(s.start, s.end);
        mentions.push({ start: s.start, end: s.end, type: s.type, text: exact, canonical: exact, entityId: correctedEntityId(s.type, exact), confidence: 1, source: 'correction' });
      }
    }
  }

  // 3. merge aliases into the entity named `canonical` (indexed: thousands of merges over thousands
  // of mentions stay n log n; the mentions array does not change here, only their fields)
  const merges = byAction('merge');
  if (merges.length) {
    const ix = new MergeIndex(mentions);
    const entityByCanonical = new Map<string, Entity>();
    for (const e of analysis.entities) if (!entityByCanonical.has(e.canonical)) entityByCanonical.set(e.canonical, e);
    for (const c of merges) {
      const canonical = c.canonical!;
      const targetIdx = ix.matching(c);
      if (targetIdx.length === 0) continue;
      const targets = targetIdx.map((i) => mentions[i]);
      const targetSet = new Set(targetIdx);
      const type = targets[0]!.type;
      const first = ix.firstWithCanonical(canonical, targetSet);
      const existing = (first !== undefined ? mentions[first] : undefined) ?? (entityByCanonical.get(canonical) as { entityId?: string; id?: string; type?: EntityType } | undefined);
      const entityId = existing
        ? ('entityId' in existing && existing.entityId ? existing.entityId : (existing as Entity).id)
        : correctedEntityId(type, canonical);
      // Every mention of the merged entity follows (aliases elsewhere in the text too).
      const affected = new Set<number>(targetIdx);
      for (const t of targets) for (const i of ix.withEntity(t.entityId)) affected.add(i);
      for (const i of affected) ix.relabel(i, entityId as string, canonical);
    }
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);

  // Rebuild entities from the mentions.
  const entities = new Map<string, Entity>();
  // One set of (entity, alias) keys for all entities: a set per entity is an allocation per entity,
  // and with tens of thousands of entities the collector's work grows faster than the input.
  const seenAlias = new Set<string>();
  for (const m of mentions) {
    let e = entities.get(m.entityId);
    if (!e) {
      const old = entityById.get(m.entityId);
      e = { id: m.entityId, type: m.type, canonical: m.canonical, aliases: [], roles: old ? [...old.roles] : [], mentions: [] };
      if (old?.description) e.description = old.description;
      entities.set(m.entityId, e);
    }
    const key = `${m.entityId}\u0000${m.text}`;
    if (!seenAlias.has(key)) {
      seenAlias.add(key);
      e.aliases.push(m.text);
    }
    e.mentions.push({ start: m.start, end: m.end });
  }
  // Roles of entities merged away follow their mentions (the first mention, in order, on one of
  // their spans: looked up by span).
  let firstAt: SpanMap<number> | undefined;
  for (const old of analysis.entities) {
    if (entities.has(old.id)) continue;
    if (!firstAt) {
      firstAt = new SpanMap<number>();
      for (let k = 0; k < mentions.length; k++) firstAt.setFirst(mentions[k], k);
    }
    let best = -1;
    for (const s of old.mentions) {
      const k = firstAt.get(s);
      if (k !== undefined && (best < 0 || k < best)) best = k;
    }
    const m = best >= 0 ? mentions[best] : undefined;
    const into = m && entities.get(m.entityId);
    if (into) for (const r of old.roles) if (!into.roles.includes(r)) into.roles.push(r);
  }

  // 4. quotation speakers
  const quotes: Quote[] = analysis.quotes.map((q) => ({ ...q, speaker: q.speaker ? { ...q.speaker } : null }));
  const speakers = byAction('speaker');
  // (looked up, not searched per correction: the first entity by name, then by alias)
  const byCanonical = new Map<string, Entity>();
  const byAlias = new Map<string, Entity>();
  if (speakers.length) {
    for (const e of entities.values()) {
      if (!byCanonical.has(e.canonical)) byCanonical.set(e.canonical, e);
      for (const a of e.aliases) if (!byAlias.has(a)) byAlias.set(a, e);
    }
  }
  const findQuote = quoteFinder(quotes);
  for (const c of speakers) {
    if (c.orphan) continue;
    const q = findQuote(c.target);
    if (!q) continue;
    const name = (c.speaker ?? '').trim();
    if (!name) {
      q.speaker = null;
      continue;
    }
    const entity = byCanonical.get(name) ?? byAlias.get(name);
    let span = { start: q.start, end: q.start };
    if (entity && entity.mentions.length) {
      // The mention nearest the quotation (the earlier one on a tie).
      span = nearestSpan(entity.mentions, q.start);
    }
    q.speaker = { name: entity?.canonical ?? name, via: 'name', start: span.start, end: span.end };
    if (entity) q.speaker.entityId = entity.id;
  }

  return { mentions, entities: [...entities.values()], quotes };
}
