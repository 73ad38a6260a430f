/**
 * Document-level pass over cached paragraph results: consistency (a name marked once is marked,
 * with the same type, wherever it recurs), identity (surnames → full names, acronyms → expansions,
 * short forms → long forms, gazetteer aliases), roles per person, date values against the
 * source's dateline.
 *
 * Incremental. The document's global facts (type votes per surface form, full names by word,
 * long forms by prefix/suffix run and initials, acronym definitions) live in a {@link DocIndex}
 * that paragraphs are added to and removed from. After an edit, only the surface forms whose
 * resolution changed are "dirty", and only paragraphs containing a dirty surface form are
 * re-resolved; the others keep their resolved mentions (and, when their offset did not move,
 * even their output objects). Known approximation: when two full names share a word ("John Park",
 * "Lisa Park"), a lone "Park" resolves to the one named last before it; that choice is refreshed
 * whenever a paragraph naming either of them changes.
 */
import type { Entity, Mention, Span } from '../types';
import type { Output, Resolved, Slot } from './document-slot';

export { DocIndex } from './document-index';
export { resolveSlot, type DocumentContext } from './document-resolve';
export type { Slot } from './document-slot';

// ---------------------------------------------------------------------------------------------
// Output

/**
 * Builds mentions and entities from resolved slots, reusing output objects of unmoved slots.
 * `entities` is computed on first access (then stored as a plain property): the editor reads
 * mentions on every keystroke, entities only for hovers and views.
 */
export function buildResult(slots: readonly Slot[]): { mentions: Mention[]; entities: Entity[] } {
  const mentions: Mention[] = [];
  const parts: { res: readonly Resolved[]; abs: Output }[] = [];
  for (const slot of slots) {
    const res = slot.resolved ?? [];
    let abs = slot.abs;
    if (!abs || abs.offset !== slot.offset) {
      const ms: Mention[] = [];
      for (const r of res) {
        const m: Mention = { start: slot.offset + r.start, end: slot.offset + r.end, type: r.type, text: r.text, canonical: r.canonical, entityId: r.id, confidence: r.confidence, source: r.source };
        if (r.value !== undefined) m.value = r.value;
        if (r.learned) m.learned = true;
        ms.push(m);
      }
      slot.abs = abs = { offset: slot.offset, mentions: ms, spans: undefined };
    }
    for (const m of abs.mentions) mentions.push(m);
    parts.push({ res, abs });
  }
  // An accessor in the literal (not defineProperty): cheaper to create; still an own enumerable property.
  const out = {
    mentions,
    get entities(): Entity[] {
      const value = buildEntities(parts);
      Object.defineProperty(out, 'entities', { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set entities(value: Entity[]) {
      Object.defineProperty(out, 'entities', { value, enumerable: true, configurable: true, writable: true });
    },
  };
  return out;
}

/** The entity spans of a slot's output (made once, from the offsets the mentions were made with). */
function spansOf(abs: Output, res: readonly Resolved[]): Span[] {
  if (!abs.spans) {
    const spans: Span[] = [];
    for (const r of res) spans.push({ start: abs.offset + r.start, end: abs.offset + r.end });
    abs.spans = spans;
  }
  return abs.spans;
}

function buildEntities(parts: readonly { res: readonly Resolved[]; abs: Output }[]): Entity[] {
  const byId = new Map<string, Entity>();
  const entities: Entity[] = [];
  /** Alias sets of entities with many aliases (few aliases: `includes` on the list). */
  let aliasSets: Map<Entity, Set<string>> | undefined;
  for (const { res, abs } of parts) {
    const spans = spansOf(abs, res);
    for (let i = 0; i < res.length; i++) {
      const r = res[i];
      let e = byId.get(r.id);
      if (!e) {
        e = { id: r.id, type: r.type, canonical: r.canonical, aliases: [], roles: [], mentions: [] };
        byId.set(r.id, e);
        entities.push(e);
      }
      if (r.entry?.description && !e.description) e.description = r.entry.description;
      if (r.text !== r.canonical) {
        const aliases = e.aliases;
        if (aliases.length < 16) {
          if (!aliases.includes(r.text)) aliases.push(r.text);
        } else {
          aliasSets ??= new Map();
          let as = aliasSets.get(e);
          if (!as) aliasSets.set(e, (as = new Set(aliases)));
          if (!as.has(r.text)) {
            as.add(r.text);
            aliases.push(r.text);
          }
        }
      }
      if (r.roles) for (const role of r.roles) if (!e.roles.includes(role)) e.roles.push(role);
      e.mentions.push(spans[i]);
    }
  }
  return entities;
}
