/**
 * The user's recognition corrections win over the recognisers. `applyCorrections` takes an
 * `Analysis` of `text` and the corrections (targets in offsets of the same `text`) and returns a
 * corrected copy; the input is not modified.
 *
 * Order: `ignore` first, then `entity-type`, then `merge`, then `speaker`; among corrections of the
 * same action the later id wins. Scope `all` (default) applies an entity correction to every
 * mention whose text equals the target's `exact`, `this` only to mentions overlapping the target
 * span. Orphaned corrections apply only with scope `all` (their text may still occur).
 */
import type { Correction } from './sidecar/model';
import type { Analysis, Entity, EntityType, Mention, Quote } from './types';

/** Id for an entity the corrections create (same shape for the same type and name). */
export function correctedEntityId(type: EntityType, canonical: string): string {
  return `${type}:${canonical.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

function matches(m: Mention, c: Correction): boolean {
  const scope = c.scope ?? 'all';
  if (scope === 'all' && c.target.exact && m.text === c.target.exact) return true;
  if (c.orphan) return false;
  return overlaps(m, c.target);
}

export function applyCorrections(text: string, analysis: Analysis, corrections: readonly Correction[]): Analysis {
  if (corrections.length === 0) return analysis;
  const sorted = [...corrections].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byAction = (action: Correction['action']): Correction[] => sorted.filter((c) => c.action === action);
  const entityById = new Map(analysis.entities.map((e) => [e.id, e]));
  let mentions: Mention[] = analysis.mentions.map((m) => ({ ...m }));

  // 1. ignore
  const ignores = byAction('ignore');
  if (ignores.length) mentions = mentions.filter((m) => !ignores.some((c) => matches(m, c)));

  // 2. entity type: the corrected span is the mention (overlapping recognised mentions give way)
  for (const c of byAction('entity-type')) {
    const type = c.type!;
    const spans: { start: number; end: number }[] = [];
    if (!c.orphan && text.slice(c.target.start, c.target.end) === c.target.exact) spans.push({ start: c.target.start, end: c.target.end });
    if ((c.scope ?? 'all') === 'all' && c.target.exact.trim()) {
      for (let i = text.indexOf(c.target.exact); i !== -1; i = text.indexOf(c.target.exact, i + c.target.exact.length)) {
        if (!spans.some((s) => s.start === i)) spans.push({ start: i, end: i + c.target.exact.length });
      }
    }
    for (const s of spans) {
      const same = mentions.find((m) => m.start === s.start && m.end === s.end);
      if (same) {
        if (same.type !== type) {
          same.type = type;
          same.entityId = correctedEntityId(type, same.canonical);
          same.source = 'correction';
          same.confidence = 1;
        }
        continue;
      }
      mentions = mentions.filter((m) => !overlaps(m, s));
      const exact = text.slice(s.start, s.end);
      mentions.push({ start: s.start, end: s.end, type, text: exact, canonical: exact, entityId: correctedEntityId(type, exact), confidence: 1, source: 'correction' });
    }
  }

  // 3. merge aliases into the entity named `canonical`
  for (const c of byAction('merge')) {
    const canonical = c.canonical!;
    const targets = mentions.filter((m) => matches(m, c));
    if (targets.length === 0) continue;
    const type = targets[0]!.type;
    const existing = mentions.find((m) => m.canonical === canonical && !targets.includes(m))
      ?? analysis.entities.find((e) => e.canonical === canonical) as { entityId?: string; id?: string; type?: EntityType } | undefined;
    const entityId = existing
      ? ('entityId' in existing && existing.entityId ? existing.entityId : (existing as Entity).id)
      : correctedEntityId(type, canonical);
    // Every mention of the merged entity follows (aliases elsewhere in the text too).
    const fromIds = new Set(targets.map((m) => m.entityId));
    for (const m of mentions) {
      if (fromIds.has(m.entityId) || targets.includes(m)) {
        m.entityId = entityId;
        m.canonical = canonical;
        m.source = m.source ?? 'correction';
      }
    }
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);

  // Rebuild entities from the mentions.
  const entities = new Map<string, Entity>();
  for (const m of mentions) {
    let e = entities.get(m.entityId);
    if (!e) {
      const old = entityById.get(m.entityId);
      e = { id: m.entityId, type: m.type, canonical: m.canonical, aliases: [], roles: old ? [...old.roles] : [], mentions: [] };
      if (old?.description) e.description = old.description;
      entities.set(m.entityId, e);
    }
    if (!e.aliases.includes(m.text)) e.aliases.push(m.text);
    e.mentions.push({ start: m.start, end: m.end });
  }
  // Roles of entities merged away follow their mentions.
  for (const old of analysis.entities) {
    if (entities.has(old.id)) continue;
    const m = mentions.find((x) => old.mentions.some((s) => s.start === x.start && s.end === x.end));
    const into = m && entities.get(m.entityId);
    if (into) for (const r of old.roles) if (!into.roles.includes(r)) into.roles.push(r);
  }

  // 4. quotation speakers
  const quotes: Quote[] = analysis.quotes.map((q) => ({ ...q, speaker: q.speaker ? { ...q.speaker } : null }));
  for (const c of byAction('speaker')) {
    if (c.orphan) continue;
    const q = quotes.find((x) => overlaps(x, c.target) || (c.target.start === c.target.end && x.start <= c.target.start && c.target.start < x.end));
    if (!q) continue;
    const name = (c.speaker ?? '').trim();
    if (!name) {
      q.speaker = null;
      continue;
    }
    const entity = [...entities.values()].find((e) => e.canonical === name) ?? [...entities.values()].find((e) => e.aliases.includes(name));
    let span = { start: q.start, end: q.start };
    if (entity && entity.mentions.length) {
      // The mention nearest the quotation.
      span = entity.mentions.reduce((best, s) => (Math.abs(s.start - q.start) < Math.abs(best.start - q.start) ? s : best));
    }
    q.speaker = { name: entity?.canonical ?? name, via: 'name', start: span.start, end: span.end };
    if (entity) q.speaker.entityId = entity.id;
  }

  return { mentions, entities: [...entities.values()], quotes };
}
