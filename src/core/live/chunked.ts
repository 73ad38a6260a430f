// Live re-analysis of long sources in chunks (the editor's engine; timed by the bench, unit-tested).
//
// A source is cut at blank lines into chunks of about CHUNK_TARGET characters; most articles are
// one chunk, so they get exactly the whole-document analysis. Each chunk keeps its own entity
// recogniser and quote finder (both cache per paragraph). An edit re-analyses only the chunk(s) it
// touched — never re-splitting or re-passing the rest of a 1 MB text — and the chunks' results are
// joined with a cheap identity stitch (a surname alone in one chunk joins the full name given in
// another), so keystroke cost is bounded by the chunk size, not the source size.
import { EntityRecognizer, findDateline } from '../ner';
import type { AnalyzeOptions } from '../analyze';
import { QuoteFinder } from '../quotes';
import { mergeEdits, type Edit } from '../text/edits';
import type { Analysis, Entity, Mention, Quote, Span } from '../types';
import type { AnalysisEngine } from './engine';

export const CHUNK_TARGET = 8_000;

const BLANK_RUN = /(?:\r\n|\r|\n)[ \t\u00a0\u3000]*(?:\r\n|\r|\n)(?:[ \t\u00a0\u3000]*(?:\r\n|\r|\n))*/g;
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Cut points strictly inside (from, to): each right after a run of blank lines (else after a line
 * break, else anywhere but inside a surrogate pair), about `target` characters apart, leaving no
 * piece shorter than target/2 at the end.
 */
export function chunkCuts(text: string, from: number, to: number, target = CHUNK_TARGET): number[] {
  const cuts: number[] = [];
  let pos = from;
  while (to - pos > target + target / 2) {
    const want = pos + target;
    let cut = -1;
    for (const re of [BLANK_RUN, LINE_BREAK]) {
      re.lastIndex = want;
      const m = re.exec(text);
      if (m && m.index + m[0].length <= to - target / 2 && m.index < want + target) {
        cut = m.index + m[0].length;
        break;
      }
    }
    if (cut < 0) {
      cut = want;
      const c = text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut++;
    }
    cuts.push(cut);
    pos = cut;
  }
  return cuts;
}

interface Chunk {
  start: number;
  length: number;
  /**
   * The chunk's text. An edit patches it (with the edits' own text) instead of slicing the new
   * document text: a document string built by concatenation would be flattened — copied whole —
   * by every slice, and that copy per keystroke is O(document) time and garbage.
   */
  text: string;
  /** The chunk's analysis with document offsets, owned by the engine; see `joinChunks`. */
  placed: Analysis;
  /** The `start` the placed offsets were computed for (shifted lazily when the chunk moves). */
  placedAt: number;
  /** Every object of `placed` that holds offsets, once each, besides `placed.mentions`. */
  spans: Spans;
  /** The chunk's people, precomputed for the surname stitch. */
  people: People;
  /** What the chunk last contributed to a join (kept while the stitch and its quote index hold). */
  jm?: JoinedMentions;
  jq?: JoinedQuotes;
  entities: EntityRecognizer;
  quotes: QuoteFinder;
}

interface DocState {
  chunks: Chunk[];
  length: number;
  options: AnalyzeOptions;
  documentDate?: string;
  merged: Analysis;
  /** `merged`'s arrays are the join's own (see `join`). */
  owned: boolean;
  /** The surname stitch `merged` was joined with. */
  remap: Map<string, Target>;
}

/** The dateline is looked for in the first DATELINE_WITHIN code units of the source only. */
const DATELINE_WITHIN = 1500;

function isoDateline(text: string): string | undefined {
  const d = findDateline(text, DATELINE_WITHIN)?.date;
  if (!d) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.y}-${p(d.m)}-${p(d.d)}`;
}

export interface ChunkStats {
  chunks: number;
  /** Chunks analysed by the last call. */
  analysed: number;
}

export class ChunkedEngine implements AnalysisEngine {
  private readonly docs = new Map<string, DocState>();
  readonly stats: ChunkStats = { chunks: 0, analysed: 0 };

  constructor(private readonly target = CHUNK_TARGET) {}

  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis {
    const state = key ? this.docs.get(key) : undefined;
    let next: DocState;
    if (!state || edits === undefined || state.options.model !== options.model || state.options.dictionary !== options.dictionary) {
      next = this.build(text, options);
    } else if (edits.length === 0 && text.length === state.length) {
      this.stats.analysed = 0;
      return state.merged;
    } else {
      next = this.update(state, text, edits, options);
    }
    if (key) this.docs.set(key, next);
    this.stats.chunks = next.chunks.length;
    return next.merged;
  }

  /**
   * Like `analyze`, but when a long source must be analysed whole (first time, new model or
   * dictionary) it goes chunk by chunk, awaiting `pause()` between chunks so that the extension
   * host stays responsive; `stop()` abandons the work (undefined is returned, nothing is kept).
   */
  async analyzeAsync(
    key: string,
    text: string,
    edits: readonly Edit[] | undefined,
    options: AnalyzeOptions,
    pause: () => Promise<void>,
    stop: () => boolean,
  ): Promise<Analysis | undefined> {
    const state = key ? this.docs.get(key) : undefined;
    const whole = !state || edits === undefined || state.options.model !== options.model || state.options.dictionary !== options.dictionary;
    if (!whole || text.length <= this.target * 2) return this.analyze(key, text, edits, options);
    const cuts = [0, ...chunkCuts(text, 0, text.length, this.target), text.length];
    const documentDate = options.documentDate ?? isoDateline(text);
    const chunks: Chunk[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      chunks.push(this.analyseChunk(pieceOf(text, cuts[i], cuts[i + 1]), cuts[i], options, documentDate));
      if (i + 2 < cuts.length) {
        await pause();
        if (stop()) return undefined;
      }
    }
    const { analysis: merged, remap, owned } = join(chunks, true);
    const next: DocState = { chunks, length: text.length, options, documentDate, merged, owned, remap };
    if (key) this.docs.set(key, next);
    this.stats.analysed = chunks.length;
    this.stats.chunks = chunks.length;
    return next.merged;
  }

  private build(text: string, options: AnalyzeOptions, starts?: readonly number[]): DocState {
    const cuts = [0, ...(starts ? starts.filter((s) => s > 0 && s < text.length) : chunkCuts(text, 0, text.length, this.target)), text.length];
    const documentDate = options.documentDate ?? isoDateline(text);
    const chunks: Chunk[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) chunks.push(this.analyseChunk(pieceOf(text, cuts[i], cuts[i + 1]), cuts[i], options, documentDate));
    if (!chunks.length) chunks.push(this.analyseChunk(text, 0, options, documentDate));
    this.stats.analysed = chunks.length;
    const { analysis: merged, remap, owned } = join(chunks, true);
    return { chunks, length: text.length, options, documentDate, merged, owned, remap };
  }

  private update(state: DocState, text: string, edits: readonly Edit[], options: AnalyzeOptions): DocState {
    const region = mergeEdits(edits);
    if (!region) return state;
    const delta = text.length - state.length;
    const oldRegionEnd = region.end - delta;
    const { chunks } = state;
    const endOf = (i: number) => (i + 1 < chunks.length ? chunks[i + 1].start : state.length);
    let lo = chunks.findIndex((_c, i) => endOf(i) >= region.start);
    if (lo < 0) lo = chunks.length - 1;
    let hi = lo;
    while (hi + 1 < chunks.length && chunks[hi + 1].start <= oldRegionEnd) hi++;
    const spanStart = chunks[lo].start;
    const spanEnd = endOf(hi) + delta;
    // The new text of the touched chunks: their old text with the edits applied (else a slice).
    const oldSpan = lo === hi ? chunks[lo].text : chunks.slice(lo, hi + 1).map((c) => c.text).join('');
    const span = patchText(oldSpan, edits, spanStart, spanEnd - spanStart) ?? text.slice(spanStart, spanEnd);
    // The dateline anchors relative dates everywhere: if it changed, everything is re-analysed.
    const head = span.length >= DATELINE_WITHIN || spanEnd === text.length ? span : text;
    const documentDate = options.documentDate ?? (spanStart === 0 ? isoDateline(head) : state.documentDate);
    if (documentDate !== state.documentDate) return this.build(text, options);
    const cuts = [0, ...chunkCuts(span, 0, span.length, this.target), span.length];
    const fresh: Chunk[] = [];
    // One chunk edited in place: the recogniser is told exactly what changed (chunk offsets).
    const change: Edit | undefined = lo === hi && cuts.length === 2
      ? { offset: region.start - spanStart, length: oldRegionEnd - region.start, text: span.slice(region.start - spanStart, region.end - spanStart) }
      : undefined;
    for (let i = 0; i + 1 < cuts.length; i++) {
      // The first new chunk keeps the old one's recognisers: their paragraph caches still hold most of it.
      const reuse = i === 0 ? chunks[lo] : i === cuts.length - 2 ? chunks[hi] : undefined;
      fresh.push(this.analyseChunk(pieceOf(span, cuts[i], cuts[i + 1]), spanStart + cuts[i], options, documentDate, reuse, change));
    }
    // The chunks after the edit keep their text; they only move (their objects are the engine's own).
    const after = chunks.slice(hi + 1);
    if (delta) {
      for (const c of after) {
        c.start += delta;
        place(c);
      }
    }
    const all = [...chunks.slice(0, lo), ...fresh, ...after];
    this.stats.analysed = fresh.length;
    // The stitch depends only on the chunks' people: unchanged people (most keystrokes), same stitch.
    const samePeople = samePeopleLists(chunks.slice(lo, hi + 1), fresh);
    const previous = { analysis: state.merged, owned: state.owned, lo, added: fresh.length, removed: chunks.slice(lo, hi + 1) };
    const { analysis: merged, remap, owned } = join(all, true, samePeople ? state.remap : undefined, state.remap, previous);
    return { chunks: all, length: text.length, options, documentDate, merged, owned, remap };
  }

  private analyseChunk(
    chunkText: string,
    start: number,
    options: AnalyzeOptions,
    documentDate: string | undefined,
    reuse?: Chunk,
    change?: Edit,
  ): Chunk {
    const entities = reuse?.entities ?? new EntityRecognizer({ ...options, documentDate });
    const quotes = reuse?.quotes ?? new QuoteFinder();
    const ents = entities.recognize(chunkText, reuse ? change : undefined);
    const local: Analysis = { mentions: ents.mentions, entities: ents.entities, quotes: quotes.find(chunkText, ents) };
    // The first chunk never moves: its analysis is used as the recognisers gave it.
    const { placed, spans } = start === 0 ? { placed: local, spans: noSpans() } : placeAnalysis(local, start);
    return { start, length: chunkText.length, text: chunkText, placed, placedAt: start, spans, people: peopleOf(local), entities, quotes };
  }

  /**
   * Analyses `text` whole, cut into chunks at exactly `starts` (offsets of chunk starts; 0 is
   * implied): the fresh analysis an incrementally updated document must equal (see `chunkStarts`).
   */
  analyzeWithCuts(key: string, text: string, starts: readonly number[], options: AnalyzeOptions): Analysis {
    const next = this.build(text, options, starts);
    if (key) this.docs.set(key, next);
    this.stats.chunks = next.chunks.length;
    return next.merged;
  }

  /** Where the chunks of a document start now (for tests and diagnostics). */
  chunkStarts(key: string): number[] | undefined {
    return this.docs.get(key)?.chunks.map((c) => c.start);
  }

  forget(key: string): void {
    this.docs.delete(key);
  }

  reset(): void {
    this.docs.clear();
  }
}

/**
 * A chunk's analysis copied to document offsets. Entity spans are the mention objects themselves,
 * and `spans` lists every other object holding offsets once, so a moved chunk is shifted by a
 * pass over `placed.mentions` and over each list of `spans`.
 */
function placeAnalysis(local: Analysis, base: number): { placed: Analysis; spans: Spans } {
  const spans = noSpans();
  const mentions = local.mentions.map((m) => ({ ...m, start: m.start + base, end: m.end + base }));
  const byEntity = new Map<string, Mention[]>();
  for (const m of mentions) {
    const list = byEntity.get(m.entityId);
    if (list) list.push(m);
    else byEntity.set(m.entityId, [m]);
  }
  const entities = local.entities.map((e) => {
    let own = byEntity.get(e.id);
    if (!own) {
      own = [];
      for (const s of e.mentions) {
        const copy = { start: s.start + base, end: s.end + base } as Mention;
        spans.plain.push(copy);
        own.push(copy);
      }
    }
    return { ...e, aliases: [...e.aliases], roles: [...e.roles], mentions: own as Span[] };
  });
  const quotes = local.quotes.map((q) => {
    const placed: Quote = {
      ...q,
      start: q.start + base,
      end: q.end + base,
      speaker: q.speaker ? { ...q.speaker, start: q.speaker.start + base, end: q.speaker.end + base } : null,
      cue: q.cue ? { start: q.cue.start + base, end: q.cue.end + base } : null,
    };
    spans.quotes.push(placed);
    if (placed.speaker) spans.speakers.push(placed.speaker);
    if (placed.cue) spans.plain.push(placed.cue);
    return placed;
  });
  return { placed: { mentions, entities, quotes }, spans };
}

/** Shifts a moved chunk's placed offsets (and those of its cached join copies) in place. */
function place(chunk: Chunk): void {
  const d = chunk.start - chunk.placedAt;
  if (!d) return;
  // Mentions (nearly all the objects, of one or two shapes) in their own loop: its property
  // accesses stay monomorphic, unlike a loop over every kind of span object.
  shiftMentions(chunk.placed.mentions, d);
  shiftAll(chunk.spans, d);
  if (chunk.jm) shiftMentions(chunk.jm.spans, d);
  if (chunk.jq) shiftAll(chunk.jq.spans, d);
  chunk.placedAt = chunk.start;
}

/**
 * Objects holding offsets, by kind. Each kind is shifted by a function of its own: a loop whose
 * property accesses see one or two object shapes is several times faster than one loop over
 * objects of every shape (a megamorphic access per object).
 */
interface Spans {
  quotes: Quote[];
  speakers: Span[];
  /** cues, entity spans: `{ start, end }` */
  plain: Span[];
}

function noSpans(): Spans {
  return { quotes: [], speakers: [], plain: [] };
}

function shiftAll(spans: Spans, d: number): void {
  shiftQuotes(spans.quotes, d);
  shiftSpeakers(spans.speakers, d);
  shiftSpans(spans.plain, d);
}

function shiftQuotes(qs: readonly Quote[], d: number): void {
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    q.start += d;
    q.end += d;
  }
}

function shiftSpeakers(ss: readonly Span[], d: number): void {
  for (let i = 0; i < ss.length; i++) {
    const s = ss[i];
    s.start += d;
    s.end += d;
  }
}

function shiftMentions(ms: readonly Mention[], d: number): void {
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    m.start += d;
    m.end += d;
  }
}

function shiftSpans(spans: readonly Span[], d: number): void {
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    s.start += d;
    s.end += d;
  }
}

/** `text[from, to)`; the text itself when that is all of it. */
function pieceOf(text: string, from: number, to: number): string {
  return from === 0 && to === text.length ? text : text.slice(from, to);
}

/**
 * Applies `edits` (sequential, in document offsets) to `old`, the text of the document from
 * `base` on; undefined unless every edit falls inside it and the result has `length` code units
 * (then the caller slices the new document text instead).
 */
export function patchText(old: string, edits: readonly Edit[], base: number, length: number): string | undefined {
  let out = old;
  for (const e of edits) {
    const at = e.offset - base;
    if (at < 0 || at + e.length > out.length) return undefined;
    out = out.slice(0, at) + e.text + out.slice(at + e.length);
  }
  return out.length === length ? out : undefined;
}

/** Did the re-analysed chunks keep exactly the people of the chunks they replace? */
function samePeopleLists(before: readonly Chunk[], after: readonly Chunk[]): boolean {
  // Compared in place (no strings built): the lists of all `before` chunks, in order, against
  // those of all `after` chunks.
  const singles = (cs: readonly Chunk[]) => cs.flatMap((c) => c.people.singles);
  const fulls = (cs: readonly Chunk[]) => cs.flatMap((c) => c.people.fulls);
  const one = before.length === 1 && after.length === 1;
  const as = one ? before[0].people.singles : singles(before);
  const bs = one ? after[0].people.singles : singles(after);
  if (as.length !== bs.length) return false;
  for (let i = 0; i < as.length; i++) if (as[i][0] !== bs[i][0] || as[i][1] !== bs[i][1]) return false;
  const af = one ? before[0].people.fulls : fulls(before);
  const bf = one ? after[0].people.fulls : fulls(after);
  if (af.length !== bf.length) return false;
  for (let i = 0; i < af.length; i++) {
    if (af[i][0] !== bf[i][0] || af[i][1].id !== bf[i][1].id || af[i][1].canonical !== bf[i][1].canonical) return false;
  }
  return true;
}

/** Same stitch (every single-word id to the same target)? */
function sameRemap(a: Map<string, Target>, b: Map<string, Target>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, t] of a) {
    const u = b.get(id);
    if (!u || u.id !== t.id || u.canonical !== t.canonical) return false;
  }
  return true;
}

/**
 * Joins the chunks' placed analyses into one. One chunk at offset 0 is returned as is. Objects are
 * shared between successive results of the same document (the engine moves them in place when an
 * edit before them shifts their chunk), so a result is only valid together with the text it was
 * made from — the service always hands both out together and replaces both on every analysis.
 *
 * What painting needs (mentions, quotations) is joined at once, with a light surname stitch: a
 * person named by one word in one chunk ("Lavrov") joins the one person whose full name, given in
 * another chunk, ends with that word ("Sergei Lavrov"); ambiguous surnames stay apart. The merged
 * `entities` list (aliases, roles, spans across chunks) is built on first read.
 */
export function joinChunks(chunks: readonly JoinPart[]): Analysis {
  return join(chunks).analysis;
}

/** A chunk as the join sees it. */
interface JoinPart {
  placed: Analysis;
  people?: People;
  /** The chunk's last contribution to a join (engine chunks only; see `JoinedMentions`). */
  jm?: JoinedMentions;
  jq?: JoinedQuotes;
}

/**
 * A chunk's mentions as joined: copied only where the surname stitch renames someone. `spans`
 * are the copies (shifted with the chunk by `place`). Valid while the stitch (`remap`, by
 * identity) stays the same.
 */
interface JoinedMentions {
  remap: Map<string, Target>;
  mentions: Mention[];
  spans: Mention[];
}

/**
 * A chunk's quotations as joined: copied only where the stitch renames the speaker or a quotation's
 * `parent` or `partOf` index (nested in a quotation, part of a reported statement) moves (by
 * `qBase`, the number of quotations of the chunks before it). Valid while the stitch and `qBase`
 * stay the same.
 */
interface JoinedQuotes {
  remap: Map<string, Target>;
  qBase: number;
  quotes: Quote[];
  spans: Spans;
}

function mentionContribution(c: JoinPart, people: People, remap: Map<string, Target>): JoinedMentions {
  const spans: Mention[] = [];
  let mentions = c.placed.mentions;
  // Only chunks naming someone by a stitched surname need copies.
  if (remap.size && people.singles.some(([id]) => remap.has(id))) {
    mentions = mentions.map((m) => {
      const t = remap.get(m.entityId);
      if (!t) return m;
      const copy = { ...m, entityId: t.id, canonical: t.canonical };
      spans.push(copy);
      return copy;
    });
  }
  return { remap, mentions, spans };
}

function quoteContribution(c: JoinPart, remap: Map<string, Target>, qBase: number): JoinedQuotes {
  const spans = noSpans();
  let quotes = c.placed.quotes;
  if (qBase || remap.size) {
    let copied: Quote[] | undefined;
    c.placed.quotes.forEach((q, i) => {
      const t = remap.size && q.speaker?.entityId ? remap.get(q.speaker.entityId) : undefined;
      const parent = q.parent !== undefined && qBase ? q.parent + qBase : q.parent;
      const partOf = q.partOf !== undefined && qBase ? q.partOf + qBase : q.partOf;
      if (!t && parent === q.parent && partOf === q.partOf) {
        copied?.push(q);
        return;
      }
      copied ??= c.placed.quotes.slice(0, i);
      const copy: Quote = { ...q };
      spans.quotes.push(copy);
      if (t && q.speaker) {
        copy.speaker = { ...q.speaker, entityId: t.id, name: t.canonical };
        spans.speakers.push(copy.speaker);
      }
      if (parent !== undefined) copy.parent = parent;
      if (partOf !== undefined) copy.partOf = partOf;
      copied.push(copy);
    });
    if (copied) quotes = copied;
  }
  return { remap, qBase, quotes, spans };
}

/**
 * The previous join of a document and what an edit replaced in it: chunks `lo .. lo+added` of the
 * new list stand for `removed` (the old chunk objects, holding their last contributions).
 */
interface Previous {
  analysis: Analysis;
  /** The previous analysis's arrays are the join's own (not a chunk's), so they may be patched. */
  owned: boolean;
  lo: number;
  added: number;
  removed: readonly JoinPart[];
}

interface Joined {
  analysis: Analysis;
  remap: Map<string, Target>;
  owned: boolean;
}

/**
 * Joins chunks (see `joinChunks`); `cache`: keep each chunk's contribution on it. `remap`: the
 * stitch, when the caller knows it is unchanged; `previousRemap`: the last stitch, reused (with the
 * chunks' cached contributions) when a recomputed one is the same. `previous`: when every other
 * chunk's contribution is unchanged, the previous result's mention and quotation arrays are
 * patched in place (the replaced chunks' part spliced out, the new chunks' in) instead of being
 * rebuilt from all chunks — like the objects in them, they belong to the latest result only.
 */
function join(
  chunks: readonly JoinPart[],
  cache = false,
  remap?: Map<string, Target>,
  previousRemap?: Map<string, Target>,
  previous?: Previous,
): Joined {
  if (chunks.length === 1) return { analysis: chunks[0].placed, remap: remap ?? previousRemap ?? new Map<string, Target>(), owned: false };
  const people = (i: number): People => chunks[i].people ?? peopleOf(chunks[i].placed);
  if (!remap) {
    remap = surnameRemap(chunks.map((_c, i) => people(i)));
    if (previousRemap && sameRemap(remap, previousRemap)) remap = previousRemap;
  }
  const jms: JoinedMentions[] = new Array<JoinedMentions>(chunks.length);
  const jqs: JoinedQuotes[] = new Array<JoinedQuotes>(chunks.length);
  // Did a chunk outside the replaced range contribute anew (then its part of the arrays changed)?
  let mentionsMoved = false;
  let quotesMoved = false;
  const inRange = (i: number) => previous !== undefined && i >= previous.lo && i < previous.lo + previous.added;
  let qBase = 0;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    let jm = c.jm;
    if (!jm || jm.remap !== remap) {
      jm = mentionContribution(c, people(i), remap);
      // Cached only on the engine's own chunks (which `place` keeps in step), not on callers' objects.
      if (cache) c.jm = jm;
      if (!inRange(i)) mentionsMoved = true;
    }
    let jq = c.jq;
    if (!jq || jq.remap !== remap || jq.qBase !== qBase) {
      jq = quoteContribution(c, remap, qBase);
      if (cache) c.jq = jq;
      if (!inRange(i)) quotesMoved = true;
    }
    jms[i] = jm;
    jqs[i] = jq;
    qBase += c.placed.quotes.length;
  }
  const patchable = previous?.owned === true && previous.removed.every((c) => c.jm !== undefined && c.jq !== undefined);
  const mentions =
    (patchable && !mentionsMoved && patch(previous.analysis.mentions, jms.map((j) => j.mentions), previous.lo, previous.added, previous.removed.map((c) => c.jm?.mentions.length ?? 0))) ||
    ([] as Mention[]).concat(...jms.map((j) => j.mentions));
  const quotes =
    (patchable && !quotesMoved && patch(previous.analysis.quotes, jqs.map((j) => j.quotes), previous.lo, previous.added, previous.removed.map((c) => c.jq?.quotes.length ?? 0))) ||
    ([] as Quote[]).concat(...jqs.map((j) => j.quotes));
  const analysis = { mentions, quotes } as Analysis;
  let entities: Entity[] | undefined;
  const stitch = remap;
  Object.defineProperty(analysis, 'entities', {
    enumerable: true,
    configurable: true,
    get: () => (entities ??= mergeEntities(chunks, stitch)),
    set: (v: Entity[]) => {
      entities = v;
    },
  });
  return { analysis, remap, owned: true };
}

/**
 * Patches `into` (the concatenation of the old parts) in place: the old parts `lo ..` of the given
 * lengths are replaced by the new parts `lo .. lo+added`. Undefined (nothing touched) when the
 * lengths do not add up.
 */
function patch<T>(into: T[], parts: readonly (readonly T[])[], lo: number, added: number, removedLengths: readonly number[]): T[] | undefined {
  let at = 0;
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i < lo) at += parts[i].length;
    total += parts[i].length;
  }
  let removed = 0;
  for (const n of removedLengths) removed += n;
  let inserted = 0;
  for (let i = lo; i < lo + added; i++) inserted += parts[i].length;
  if (into.length - removed + inserted !== total) return undefined;
  const fresh = added === 1 ? parts[lo] : ([] as T[]).concat(...parts.slice(lo, lo + added));
  if (fresh.length === removed) {
    for (let k = 0; k < fresh.length; k++) into[at + k] = fresh[k];
  } else {
    into.splice(at, removed, ...fresh);
  }
  return into;
}

interface Target {
  id: string;
  canonical: string;
}

/** A chunk's people: single-word names (id, lower-cased word) and full names (surname, target). */
export interface People {
  singles: [string, string][];
  fulls: [string, Target][];
}

function peopleOf(a: Analysis): People {
  const out: People = { singles: [], fulls: [] };
  for (const e of a.entities) {
    if (e.type !== 'person') continue;
    const sp = e.canonical.lastIndexOf(' ');
    if (sp < 0) out.singles.push([e.id, e.canonical.toLowerCase()]);
    else out.fulls.push([e.canonical.slice(sp + 1).toLowerCase(), { id: e.id, canonical: e.canonical }]);
  }
  return out;
}

/** Single-word person ids → the one multi-word person whose name ends with that word. */
function surnameRemap(people: readonly People[]): Map<string, Target> {
  const remap = new Map<string, Target>();
  if (!people.some((p) => p.singles.length)) return remap;
  const full = new Map<string, Target | null>(); // null: several people share the surname
  for (const p of people) {
    for (const [last, t] of p.fulls) {
      const known = full.get(last);
      if (known === undefined) full.set(last, t);
      else if (known && known.id !== t.id) full.set(last, null);
    }
  }
  for (const p of people) {
    for (const [id, word] of p.singles) {
      const t = full.get(word);
      if (t) remap.set(id, t);
    }
  }
  return remap;
}

/** Entities with the same id merge across chunks; stitched surnames merge into the full name. */
function mergeEntities(chunks: readonly { placed: Analysis }[], remap: Map<string, Target>): Entity[] {
  const seen = new Map<string, Entity>();
  const owned = new Set<string>();
  const into = (id: string): Entity => {
    const known = seen.get(id)!;
    if (owned.has(id)) return known;
    // A fresh merged object: the chunks' own stay untouched.
    const copy = { ...known, aliases: [...known.aliases], roles: [...known.roles], mentions: [...known.mentions] };
    owned.add(id);
    seen.set(id, copy);
    return copy;
  };
  const add = (target: Entity, e: Entity, alsoName: boolean) => {
    for (const a of alsoName ? [e.canonical, ...e.aliases] : e.aliases) if (a !== target.canonical && !target.aliases.includes(a)) target.aliases.push(a);
    for (const r of e.roles) if (!target.roles.includes(r)) target.roles.push(r);
    for (const s of e.mentions) target.mentions.push(s);
    if (e.description !== undefined && target.description === undefined) target.description = e.description;
  };
  const later: Entity[] = [];
  for (const { placed } of chunks) {
    for (const e of placed.entities) {
      if (remap.has(e.id)) later.push(e);
      else if (!seen.has(e.id)) seen.set(e.id, e);
      else add(into(e.id), e, false);
    }
  }
  const touched = new Set<Entity>();
  for (const e of later) {
    const t = remap.get(e.id)!;
    if (!seen.has(t.id)) continue;
    const target = into(t.id);
    add(target, e, true);
    touched.add(target);
  }
  for (const t of touched) t.mentions.sort((a, b) => a.start - b.start);
  return [...seen.values()];
}
