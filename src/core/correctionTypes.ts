// The entity-type step of `applyCorrections`: the corrected span is the mention (overlapping
// recognised mentions give way).
import type { Correction } from './sidecar/model';
import type { EntityType, Mention } from './types';
import { SpanMap } from './correctionLookups';
import { isWholeWordAt, overlaps, WordIndex } from './correctionTargets';

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

interface TypedSpan {
  start: number;
  end: number;
  type: EntityType;
}

/**
 * The mentions with the entity-type corrections (in id order) applied: each correction's own span
 * where it still holds its text as a whole word, and with scope `all` every whole-word occurrence
 * of its text.
 */
export function applyEntityTypes(text: string, mentions: Mention[], corrections: readonly Correction[]): Mention[] {
  const typed = typedSpans(text, corrections);
  if (!typed.length) return mentions;
  const last = new Map<string, TypedSpan>();
  for (const t of typed) last.set(`${t.start}:${t.end}`, t);
  const spans = [...last.values()].sort((x, y) => x.start - y.start);
  let apart = true;
  for (let k = 1; k < spans.length && apart; k++) if (spans[k].start < spans[k - 1].end) apart = false;
  // Spans apart from each other (the usual case): one pass over the mentions for all corrections.
  return apart ? retypeSpans(text, mentions, spans) : retypeOneByOne(text, mentions, typed);
}

/** Every correction's spans, in id order (a later correction of the same span wins). */
function typedSpans(text: string, corrections: readonly Correction[]): TypedSpan[] {
  const typed: TypedSpan[] = [];
  let words: WordIndex | undefined;
  for (const c of corrections) {
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
  return typed;
}

/** The spans (some overlapping one another) applied one at a time, in order. */
function retypeOneByOne(text: string, mentions: Mention[], typed: readonly TypedSpan[]): Mention[] {
  for (const s of typed) {
    const same = mentions.find((m) => m.start === s.start && m.end === s.end);
    if (same) {
      retype(same, s.type);
      continue;
    }
    mentions = mentions.filter((m) => !overlaps(m, s));
    mentions.push(correctedMention(text, s));
  }
  return mentions;
}

/** A new mention on a corrected span that no recognised mention matched. */
function correctedMention(text: string, s: TypedSpan): Mention {
  const exact = text.slice(s.start, s.end);
  return { start: s.start, end: s.end, type: s.type, text: exact, canonical: exact, entityId: correctedEntityId(s.type, exact), confidence: 1, source: 'correction' };
}

/**
 * The entity-type correction over spans that do not overlap one another, in one pass: a mention on exactly a span
 * takes the type; mentions overlapping a span otherwise give way to a new mention on it (appended
 * in span order, as one span at a time would). Same result as applying the spans one by one.
 */
function retypeSpans(text: string, mentions: Mention[], spans: readonly TypedSpan[]): Mention[] {
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
    added.push(correctedMention(text, s));
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
