// Pure: grouping analyses for the Quotes and Entities views. No `vscode` (unit-tested).
import { ENTITY_TYPES, type Analysis, type EntityType, type Quote } from '../../core/types';

export interface SourceAnalysis {
  /** Opaque id of the source (a URI string). */
  source: string;
  text: string;
  analysis: Analysis;
}

export interface QuoteRef {
  source: string;
  start: number;
  end: number;
  text: string;
  kind: Quote['kind'];
  /** Reported speech without quotation marks (kind `indirect`): `text` is the reported content. */
  reported?: boolean;
  /** A quotation-mark fragment of a reported statement (it is listed with the statement's speaker). */
  partOfReported?: boolean;
}

/** Which of a source's quotes the Quotes view lists: everything, or the words in quotation marks only. */
export type QuotesFilter = 'all' | 'quotations';

export interface SpeakerGroup {
  /** Canonical name, or the unnamed speaker's description; '' for quotations without a speaker. */
  name: string;
  quotes: QuoteRef[];
}

export interface MentionRef {
  source: string;
  start: number;
  end: number;
  text: string;
}

export interface EntityGroup {
  type: EntityType;
  canonical: string;
  roles: string[];
  mentions: MentionRef[];
}

export interface TypeGroup {
  type: EntityType;
  entities: EntityGroup[];
}

/**
 * Speakers with their quotations and reported statements (in text order), most quoted first;
 * quotations without a speaker last. `filter: 'quotations'` leaves reported speech out.
 */
export function groupQuotes(sources: readonly SourceAnalysis[], filter: QuotesFilter = 'all'): SpeakerGroup[] {
  const by = new Map<string, SpeakerGroup>();
  for (const s of sources) {
    const quotes = s.analysis.quotes;
    for (const q of quotes) {
      const reported = q.kind === 'indirect';
      if (reported && filter === 'quotations') continue;
      const name = q.speaker?.name ?? '';
      let g = by.get(name);
      if (!g) by.set(name, (g = { name, quotes: [] }));
      const ref: QuoteRef = { source: s.source, start: q.start, end: q.end, text: s.text.slice(q.start, q.end), kind: q.kind };
      if (reported) ref.reported = true;
      if (q.partOf !== undefined && quotes[q.partOf]?.kind === 'indirect') ref.partOfReported = true;
      g.quotes.push(ref);
    }
  }
  // In text order within a speaker (a recogniser may list reported statements after the quotations).
  for (const g of by.values()) g.quotes.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.start - b.start || b.end - a.end));
  return [...by.values()].sort((a, b) => {
    if (!a.name !== !b.name) return a.name ? -1 : 1;
    return b.quotes.length - a.quotes.length || a.name.localeCompare(b.name);
  });
}

/** Types (in the canonical order) → entities (most mentioned first) → mentions (in text order). */
export function groupEntities(sources: readonly SourceAnalysis[]): TypeGroup[] {
  const byType = new Map<EntityType, Map<string, EntityGroup>>();
  for (const s of sources) {
    const entities = new Map(s.analysis.entities.map((e) => [e.id, e]));
    for (const m of s.analysis.mentions) {
      const e = entities.get(m.entityId);
      const canonical = e?.canonical ?? m.canonical;
      let types = byType.get(m.type);
      if (!types) byType.set(m.type, (types = new Map()));
      let g = types.get(canonical);
      if (!g) types.set(canonical, (g = { type: m.type, canonical, roles: [], mentions: [] }));
      for (const r of e?.roles ?? []) if (!g.roles.includes(r)) g.roles.push(r);
      g.mentions.push({ source: s.source, start: m.start, end: m.end, text: m.text });
    }
  }
  const out: TypeGroup[] = [];
  for (const type of ENTITY_TYPES) {
    const types = byType.get(type);
    if (!types) continue;
    const entities = [...types.values()].sort((a, b) => b.mentions.length - a.mentions.length || a.canonical.localeCompare(b.canonical));
    out.push({ type, entities });
  }
  return out;
}

/** The line holding an offset, trimmed and clipped around the span (tree item descriptions). */
export function context(text: string, start: number, end: number, width = 60): string {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - width);
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  lineEnd = Math.min(lineEnd, end + width);
  const pre = lineStart > 0 && text[lineStart - 1] !== '\n' ? '…' : '';
  const post = lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r' ? '…' : '';
  return `${pre}${text.slice(lineStart, lineEnd).replace(/\s+/g, ' ').trim()}${post}`;
}
