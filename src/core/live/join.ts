// Joining the chunks' placed analyses into the document's one analysis (see `joinChunks`).
import type { Analysis, Entity, Mention, Quote } from '../types';
import { noSpans, type Spans } from './placed';
import { mergeEntities, peopleOf, sameRemap, surnameRemap, type People, type Target } from './stitch';

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
export interface JoinPart {
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
export interface JoinedMentions {
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
export interface JoinedQuotes {
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
export interface Previous {
  analysis: Analysis;
  /** The previous analysis's arrays are the join's own (not a chunk's), so they may be patched. */
  owned: boolean;
  lo: number;
  added: number;
  removed: readonly JoinPart[];
}

export interface Joined {
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
export function join(
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
