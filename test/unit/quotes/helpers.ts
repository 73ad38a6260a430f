import type { EntityResult } from '../../../src/core/ner';
import type { Entity, EntityType, Mention, Quote } from '../../../src/core/types';

export interface EntitySpec {
  canonical: string;
  type: EntityType;
  /** surface forms to find in the text (default: the canonical name) */
  surfaces?: string[];
  roles?: string[];
}

/** A hand-built entity result: every occurrence of each surface becomes a mention. */
export function entities(text: string, specs: EntitySpec[]): EntityResult {
  const mentions: Mention[] = [];
  const out: Entity[] = [];
  for (const s of specs) {
    const id = `${s.type}:${s.canonical.toLowerCase().replace(/\s+/g, '-')}`;
    const e: Entity = { id, type: s.type, canonical: s.canonical, aliases: [], roles: s.roles ?? [], mentions: [] };
    const taken: [number, number][] = [];
    for (const surface of [...(s.surfaces ?? [s.canonical])].sort((a, b) => b.length - a.length)) {
      for (let i = text.indexOf(surface); i >= 0; i = text.indexOf(surface, i + 1)) {
        const end = i + surface.length;
        if (/\w/.test(text[end] ?? '') || /\w/.test(text[i - 1] ?? '')) continue;
        if (taken.some(([a, b]) => i < b && end > a)) continue;
        taken.push([i, end]);
        e.mentions.push({ start: i, end });
        mentions.push({ start: i, end, type: s.type, text: surface, canonical: s.canonical, entityId: id, confidence: 1 });
      }
    }
    out.push(e);
  }
  mentions.sort((a, b) => a.start - b.start);
  return { mentions, entities: out };
}

export const none: EntityResult = { mentions: [], entities: [] };

/** Compact view of quotations for assertions. */
export function view(text: string, quotes: Quote[]): { q: string; kind: string; speaker: string | null; via?: string; parent?: number }[] {
  return quotes.map((q) => {
    const v: { q: string; kind: string; speaker: string | null; via?: string; parent?: number } = {
      q: text.slice(q.start, q.end),
      kind: q.kind,
      speaker: q.speaker ? q.speaker.name : null,
    };
    if (q.speaker) v.via = q.speaker.via;
    if (q.parent !== undefined) v.parent = q.parent;
    return v;
  });
}
