// A chunk's analysis at document offsets: copied once when the chunk is analysed, then shifted in
// place whenever an edit before the chunk moves it (the engine never re-copies an unchanged chunk).
import type { Analysis, Mention, Quote, Span } from '../types';

/**
 * A chunk's analysis copied to document offsets. Entity spans are the mention objects themselves,
 * and `spans` lists every other object holding offsets once, so a moved chunk is shifted by a
 * pass over `placed.mentions` and over each list of `spans`.
 */
export function placeAnalysis(local: Analysis, base: number): { placed: Analysis; spans: Spans } {
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

/**
 * Objects holding offsets, by kind. Each kind is shifted by a function of its own: a loop whose
 * property accesses see one or two object shapes is several times faster than one loop over
 * objects of every shape (a megamorphic access per object).
 */
export interface Spans {
  quotes: Quote[];
  speakers: Span[];
  /** cues, entity spans: `{ start, end }` */
  plain: Span[];
}

export function noSpans(): Spans {
  return { quotes: [], speakers: [], plain: [] };
}

export function shiftAll(spans: Spans, d: number): void {
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

export function shiftMentions(ms: readonly Mention[], d: number): void {
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
