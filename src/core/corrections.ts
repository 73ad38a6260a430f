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
import { nearestSpan, quoteFinder, SpanMap } from './correctionLookups';
import { MergeIndex } from './correctionMergeIndex';
import { matcher } from './correctionTargets';
import { applyEntityTypes, correctedEntityId } from './correctionTypes';

export function applyCorrections(text: string, analysis: Analysis, corrections: readonly Correction[]): Analysis {
  if (corrections.length === 0) return analysis;
  const sorted = [...corrections].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byAction = (action: Correction['action']): Correction[] => sorted.filter((c) => c.action === action);
  let mentions: Mention[] = analysis.mentions.map((m) => ({ ...m }));
  mentions = dropIgnored(mentions, byAction('ignore'));
  mentions = applyEntityTypes(text, mentions, byAction('entity-type'));
  applyMerges(mentions, byAction('merge'), analysis.entities);
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);
  const entities = entitiesOf(mentions, analysis.entities);
  carryMergedRoles(analysis.entities, entities, mentions);
  const quotes: Quote[] = analysis.quotes.map((q) => ({ ...q, speaker: q.speaker ? { ...q.speaker } : null }));
  correctSpeakers(quotes, entities, byAction('speaker'));
  return { mentions, entities: [...entities.values()], quotes };
}

/** The mentions no `ignore` correction applies to. */
function dropIgnored(mentions: Mention[], ignores: readonly Correction[]): Mention[] {
  if (!ignores.length) return mentions;
  const ignored = matcher(ignores);
  return mentions.filter((m) => !ignored(m));
}

/**
 * Merges aliases into the entity named `canonical`, in place (indexed: thousands of merges over
 * thousands of mentions stay n log n; the mentions array does not change here, only their fields).
 */
function applyMerges(mentions: Mention[], merges: readonly Correction[], recognised: readonly Entity[]): void {
  if (!merges.length) return;
  const ix = new MergeIndex(mentions);
  const entityByCanonical = new Map<string, Entity>();
  for (const e of recognised) if (!entityByCanonical.has(e.canonical)) entityByCanonical.set(e.canonical, e);
  for (const c of merges) {
    const canonical = c.canonical!;
    const targetIdx = ix.matching(c);
    if (targetIdx.length === 0) continue;
    const targets = targetIdx.map((i) => mentions[i]);
    const targetSet = new Set(targetIdx);
    const type = targets[0]!.type;
    const first = ix.firstWithCanonical(canonical, targetSet);
    const existing = (first !== undefined ? mentions[first] : undefined) ?? (entityByCanonical.get(canonical) as { entityId?: string; id?: string; type?: EntityType } | undefined);
    const entityId = existing
      ? ('entityId' in existing && existing.entityId ? existing.entityId : (existing as Entity).id)
      : correctedEntityId(type, canonical);
    // Every mention of the merged entity follows (aliases elsewhere in the text too).
    const affected = new Set<number>(targetIdx);
    for (const t of targets) for (const i of ix.withEntity(t.entityId)) affected.add(i);
    for (const i of affected) ix.relabel(i, entityId as string, canonical);
  }
}

/**
 * The entities rebuilt from the corrected mentions (in order), by id; an entity the recognisers
 * knew keeps its roles and description.
 */
function entitiesOf(mentions: readonly Mention[], recognised: readonly Entity[]): Map<string, Entity> {
  const entityById = new Map(recognised.map((e) => [e.id, e]));
  const entities = new Map<string, Entity>();
  // One set of (entity, alias) keys for all entities: a set per entity is an allocation per entity,
  // and with tens of thousands of entities the collector's work grows faster than the input.
  const seenAlias = new Set<string>();
  for (const m of mentions) {
    let e = entities.get(m.entityId);
    if (!e) {
      const old = entityById.get(m.entityId);
      e = { id: m.entityId, type: m.type, canonical: m.canonical, aliases: [], roles: old ? [...old.roles] : [], mentions: [] };
      if (old?.description) e.description = old.description;
      entities.set(m.entityId, e);
    }
    const key = `${m.entityId}\u0000${m.text}`;
    if (!seenAlias.has(key)) {
      seenAlias.add(key);
      e.aliases.push(m.text);
    }
    e.mentions.push({ start: m.start, end: m.end });
  }
  return entities;
}

/**
 * Roles of entities merged away follow their mentions (the first mention, in order, on one of
 * their spans: looked up by span).
 */
function carryMergedRoles(recognised: readonly Entity[], entities: Map<string, Entity>, mentions: readonly Mention[]): void {
  let firstAt: SpanMap<number> | undefined;
  for (const old of recognised) {
    if (entities.has(old.id)) continue;
    if (!firstAt) {
      firstAt = new SpanMap<number>();
      for (let k = 0; k < mentions.length; k++) firstAt.setFirst(mentions[k], k);
    }
    let best = -1;
    for (const s of old.mentions) {
      const k = firstAt.get(s);
      if (k !== undefined && (best < 0 || k < best)) best = k;
    }
    const m = best >= 0 ? mentions[best] : undefined;
    const into = m && entities.get(m.entityId);
    if (into) for (const r of old.roles) if (!into.roles.includes(r)) into.roles.push(r);
  }
}

/** Sets (or clears) the speakers of the quotations the speaker corrections fall on, in place. */
function correctSpeakers(quotes: Quote[], entities: ReadonlyMap<string, Entity>, speakers: readonly Correction[]): void {
  // (looked up, not searched per correction: the first entity by name, then by alias)
  const byCanonical = new Map<string, Entity>();
  const byAlias = new Map<string, Entity>();
  if (speakers.length) {
    for (const e of entities.values()) {
      if (!byCanonical.has(e.canonical)) byCanonical.set(e.canonical, e);
      for (const a of e.aliases) if (!byAlias.has(a)) byAlias.set(a, e);
    }
  }
  const findQuote = quoteFinder(quotes);
  for (const c of speakers) {
    if (c.orphan) continue;
    const q = findQuote(c.target);
    if (!q) continue;
    const name = (c.speaker ?? '').trim();
    if (!name) {
      q.speaker = null;
      continue;
    }
    const entity = byCanonical.get(name) ?? byAlias.get(name);
    let span = { start: q.start, end: q.start };
    if (entity && entity.mentions.length) {
      // The mention nearest the quotation (the earlier one on a tie).
      span = nearestSpan(entity.mentions, q.start);
    }
    q.speaker = { name: entity?.canonical ?? name, via: 'name', start: span.start, end: span.end };
    if (entity) q.speaker.entityId = entity.id;
  }
}
