// Pure: live re-analysis of long sources in chunks. No `vscode` (timed by the bench, unit-tested).
//
// A source is cut at blank lines into chunks of about CHUNK_TARGET characters; most articles are
// one chunk, so they get exactly the whole-document analysis. Each chunk keeps its own entity
// recogniser and quote finder (both cache per paragraph). An edit re-analyses only the chunk(s) it
// touched — never re-splitting or re-passing the rest of a 1 MB text — and the chunks' results are
// joined with a cheap identity stitch (a surname alone in one chunk joins the full name given in
// another), so keystroke cost is bounded by the chunk size, not the source size.
import { EntityRecognizer, findDateline } from '../../core/ner';
import type { TextChange } from '../../core/ner/recognizer';
import type { AnalyzeOptions } from '../../core/analyze';
import { QuoteFinder } from '../../core/quotes';
import type { Analysis, Entity, Mention, Quote } from '../../core/types';
import type { AnalysisEngine } from '../analysis/engine';
import { mergeEdits, type Edit } from './edits';

export const CHUNK_TARGET = 24_000;

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
  /** The chunk's analysis with document offsets, owned by the engine; see `joinChunks`. */
  placed: Analysis;
  /** The `start` the placed offsets were computed for (shifted lazily when the chunk moves). */
  placedAt: number;
  entities: EntityRecognizer;
  quotes: QuoteFinder;
}

interface DocState {
  chunks: Chunk[];
  length: number;
  options: AnalyzeOptions;
  documentDate?: string;
  merged: Analysis;
}

function isoDateline(text: string): string | undefined {
  const d = findDateline(text)?.date;
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

  private build(text: string, options: AnalyzeOptions): DocState {
    const cuts = [0, ...chunkCuts(text, 0, text.length, this.target), text.length];
    const documentDate = options.documentDate ?? isoDateline(text);
    const chunks: Chunk[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) chunks.push(this.analyseChunk(text, cuts[i], cuts[i + 1], options, documentDate));
    if (!chunks.length) chunks.push(this.analyseChunk(text, 0, 0, options, documentDate));
    this.stats.analysed = chunks.length;
    return { chunks, length: text.length, options, documentDate, merged: joinChunks(chunks) };
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
    // The dateline anchors relative dates everywhere: if it changed, everything is re-analysed.
    const documentDate = options.documentDate ?? (spanStart === 0 ? isoDateline(text) : state.documentDate);
    if (documentDate !== state.documentDate) return this.build(text, options);
    const cuts = [spanStart, ...chunkCuts(text, spanStart, spanEnd, this.target), spanEnd];
    const fresh: Chunk[] = [];
    // One chunk edited in place: the recogniser is told exactly what changed (chunk offsets).
    const change = lo === hi && cuts.length === 2 ? { start: region.start - spanStart, end: oldRegionEnd - spanStart, insertedLength: region.end - region.start } : undefined;
    for (let i = 0; i + 1 < cuts.length; i++) {
      // The first new chunk keeps the old one's recognisers: their paragraph caches still hold most of it.
      const reuse = i === 0 ? chunks[lo] : i === cuts.length - 2 ? chunks[hi] : undefined;
      fresh.push(this.analyseChunk(text, cuts[i], cuts[i + 1], options, documentDate, reuse, change));
    }
    const after = chunks.slice(hi + 1).map((c) => ({ ...c, start: c.start + delta }));
    for (const c of after) place(c);
    const all = [...chunks.slice(0, lo), ...fresh, ...after];
    this.stats.analysed = fresh.length;
    return { chunks: all, length: text.length, options, documentDate, merged: joinChunks(all) };
  }

  private analyseChunk(
    text: string,
    start: number,
    end: number,
    options: AnalyzeOptions,
    documentDate: string | undefined,
    reuse?: Chunk,
    change?: TextChange,
  ): Chunk {
    const chunkText = start === 0 && end === text.length ? text : text.slice(start, end);
    const entities = reuse?.entities ?? new EntityRecognizer({ ...options, documentDate });
    const quotes = reuse?.quotes ?? new QuoteFinder();
    const ents = entities.recognize(chunkText, reuse ? change : undefined);
    const local: Analysis = { mentions: ents.mentions, entities: ents.entities, quotes: quotes.find(chunkText, ents) };
    // The first chunk never moves: its analysis is used as the recognisers gave it.
    const placed = start === 0 ? local : placeAnalysis(local, start);
    return { start, length: end - start, placed, placedAt: start, entities, quotes };
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
 * so one in-place shift moves both when the chunk moves (`place`).
 */
function placeAnalysis(local: Analysis, base: number): Analysis {
  const mentions = local.mentions.map((m) => ({ ...m, start: m.start + base, end: m.end + base }));
  const byEntity = new Map<string, Mention[]>();
  for (const m of mentions) {
    const list = byEntity.get(m.entityId);
    if (list) list.push(m);
    else byEntity.set(m.entityId, [m]);
  }
  const entities = local.entities.map((e) => ({
    ...e,
    aliases: [...e.aliases],
    roles: [...e.roles],
    mentions: byEntity.get(e.id) ?? e.mentions.map((s) => ({ start: s.start + base, end: s.end + base })),
  }));
  const quotes = local.quotes.map((q) => ({
    ...q,
    start: q.start + base,
    end: q.end + base,
    speaker: q.speaker ? { ...q.speaker, start: q.speaker.start + base, end: q.speaker.end + base } : null,
    cue: q.cue ? { start: q.cue.start + base, end: q.cue.end + base } : null,
  }));
  return { mentions, entities, quotes };
}

/** Shifts a moved chunk's placed offsets in place. */
function place(chunk: Chunk): void {
  const d = chunk.start - chunk.placedAt;
  if (!d) return;
  const { placed } = chunk;
  const shifted = new Set<object>();
  const shift = (s: { start: number; end: number }) => {
    if (shifted.has(s)) return;
    shifted.add(s);
    s.start += d;
    s.end += d;
  };
  for (const m of placed.mentions) shift(m);
  for (const e of placed.entities) for (const s of e.mentions) shift(s);
  for (const q of placed.quotes) {
    shift(q);
    if (q.speaker) shift(q.speaker);
    if (q.cue) shift(q.cue);
  }
  chunk.placedAt = chunk.start;
}

/**
 * Joins the chunks' placed analyses into one. One chunk at offset 0 is returned as is. Objects are
 * shared between successive results of the same document (the engine moves them in place when an
 * edit before them shifts their chunk), so a result is only valid together with the text it was
 * made from — the service always hands both out together and replaces both on every analysis.
 */
export function joinChunks(chunks: readonly { placed: Analysis; start?: number }[]): Analysis {
  if (chunks.length === 1) return chunks[0].placed;
  const mentions: Mention[] = [];
  const quotes: Quote[] = [];
  const seen = new Map<string, Entity>();
  const merged = new Set<string>();
  for (const { placed } of chunks) {
    for (const m of placed.mentions) mentions.push(m);
    const qBase = quotes.length;
    for (const q of placed.quotes) quotes.push(q.parent !== undefined && qBase ? { ...q, parent: q.parent + qBase } : q);
    for (const e of placed.entities) {
      const known = seen.get(e.id);
      if (!known) {
        seen.set(e.id, e);
        continue;
      }
      // Same entity in several chunks: a fresh merged object (the chunks' own stay untouched).
      const into = merged.has(e.id) ? known : { ...known, aliases: [...known.aliases], roles: [...known.roles], mentions: [...known.mentions] };
      merged.add(e.id);
      for (const a of e.aliases) if (!into.aliases.includes(a)) into.aliases.push(a);
      for (const r of e.roles) if (!into.roles.includes(r)) into.roles.push(r);
      for (const s of e.mentions) into.mentions.push(s);
      into.description ??= e.description;
      seen.set(e.id, into);
    }
  }
  stitchSurnames(mentions, quotes, seen, merged);
  return { mentions, entities: [...seen.values()], quotes };
}

/**
 * A person named by one word in one chunk ("Lavrov") joins the one person whose full name, given
 * in another chunk, ends with that word ("Sergei Lavrov"). Ambiguous surnames stay apart.
 */
function stitchSurnames(mentions: Mention[], quotes: Quote[], entities: Map<string, Entity>, owned: Set<string>): void {
  const bySurname = new Map<string, Entity[]>();
  for (const e of entities.values()) {
    if (e.type !== 'person') continue;
    const words = e.canonical.split(/\s+/);
    if (words.length < 2) continue;
    const last = words[words.length - 1].toLowerCase();
    const list = bySurname.get(last) ?? [];
    list.push(e);
    bySurname.set(last, list);
  }
  const remap = new Map<string, Entity>();
  for (const e of entities.values()) {
    if (e.type !== 'person' || /\s/.test(e.canonical)) continue;
    const full = bySurname.get(e.canonical.toLowerCase());
    if (full?.length !== 1) continue;
    let target = full[0];
    if (!owned.has(target.id)) {
      target = { ...target, aliases: [...target.aliases], roles: [...target.roles], mentions: [...target.mentions] };
      owned.add(target.id);
      entities.set(target.id, target);
      full[0] = target;
    }
    for (const a of [e.canonical, ...e.aliases]) if (a !== target.canonical && !target.aliases.includes(a)) target.aliases.push(a);
    for (const r of e.roles) if (!target.roles.includes(r)) target.roles.push(r);
    for (const sp of e.mentions) target.mentions.push(sp);
    target.mentions.sort((a, b) => a.start - b.start);
    remap.set(e.id, target);
    entities.delete(e.id);
  }
  if (!remap.size) return;
  mentions.forEach((m, i) => {
    const t = remap.get(m.entityId);
    if (t) mentions[i] = { ...m, entityId: t.id, canonical: t.canonical };
  });
  quotes.forEach((q, i) => {
    const t = q.speaker?.entityId ? remap.get(q.speaker.entityId) : undefined;
    if (t && q.speaker) quotes[i] = { ...q, speaker: { ...q.speaker, entityId: t.id, name: t.canonical } };
  });
}
