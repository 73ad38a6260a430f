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
import type { Analysis } from '../types';
import type { AnalysisEngine } from './engine';
import { join, type JoinedMentions, type JoinedQuotes } from './join';
import { noSpans, placeAnalysis, shiftAll, shiftMentions, type Spans } from './placed';
import { peopleOf, samePeopleLists, type People, type Target } from './stitch';

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
