import type { Analysis, Span } from '../types';

/** A copy of `a` with every offset passed through `f` (e.g. raw editor offsets → normalised text). */
export function remapAnalysis(a: Analysis, f: (offset: number) => number): Analysis {
  const span = <T extends Span>(s: T): T => ({ ...s, start: f(s.start), end: f(s.end) });
  return {
    mentions: a.mentions.map(span),
    entities: a.entities.map((e) => ({ ...e, mentions: e.mentions.map(span) })),
    quotes: a.quotes.map((q) => ({ ...q, start: f(q.start), end: f(q.end), speaker: q.speaker ? span(q.speaker) : null, cue: q.cue ? span(q.cue) : null })),
  };
}
