/**
 * What a document pass leaves behind (its inputs, its state logs, a checkpoint per unit) and how
 * many leading units the next pass over an edited text can take over from it unchanged.
 */
import type { Entity, Mention, Quote, Span } from '../types';
import type { LocalUnit } from './local';
import type { Antecedent } from './speakers';
import type { Carry, DocumentPass } from './documentPass';

/** Where the pass stood when it reached a unit (and what it carried into it). */
export interface Checkpoint extends Carry {
  antecedents: number;
  speakers: number;
  gender: number;
  surnames: number;
  out: number;
}

/** A finished pass: its inputs, its state logs and a checkpoint per unit it went through. */
export interface PassRecord {
  text: string;
  units: Span[];
  locals: LocalUnit[];
  /** Per entity, flat (no entity object kept): id, type, canonical name, roles, spans. */
  entities: EntityKey[];
  mentions: Mention[];
  initialGender: Map<string, 'm' | 'f'>;
  antecedents: Antecedent[];
  speakersLog: string[];
  genderLog: [string, 'm' | 'f'][];
  surnamesLog: [string, string][];
  out: Quote[];
  checkpoints: Checkpoint[];
}

type EntityKey = string | readonly string[] | readonly Span[];
const ENTITY_KEY = 5;

/** The entities as the next pass compares them, flat. */
export function entityKeys(entities: readonly Entity[]): EntityKey[] {
  const out: EntityKey[] = new Array<EntityKey>(entities.length * ENTITY_KEY);
  entities.forEach((e, i) => {
    out[i * ENTITY_KEY] = e.id;
    out[i * ENTITY_KEY + 1] = e.type;
    out[i * ENTITY_KEY + 2] = e.canonical;
    out[i * ENTITY_KEY + 3] = e.roles;
    out[i * ENTITY_KEY + 4] = e.mentions;
  });
  return out;
}

/** The same spans, in the same order, among those starting before `before`? */
function sameSpansBefore(a: readonly Span[], b: readonly Span[], before: number): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && a[i].start >= before) i++;
    while (j < b.length && b[j].start >= before) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i].start !== b[j].start || a[i].end !== b[j].end) return false;
    i++;
    j++;
  }
}

/**
 * Resolving unit i reads only the text up to a couple of characters past the unit, the mentions
 * and entity mentions before that point, the entities' ids, types, names and roles, and the
 * genders that titles give people anywhere in the text. Margin past the unit end for those reads.
 */
const READ_MARGIN = 8;

/**
 * How many leading units of `pass` would be resolved exactly as in `prev` (the previous pass of
 * the same finder, over the text before an edit): the same unit texts at the same offsets,
 * ending before the first changed character, over an entity result that agrees before that point
 * (and has the same entities, roles and title genders). 0 when nothing can be taken over.
 */
export function reusableUnits(prev: PassRecord, pass: DocumentPass): number {
  const { text, units, locals, er } = pass.inputs();
  // (the pass resumes at a unit it has a checkpoint for)
  const max = Math.min(units.length, prev.units.length, prev.checkpoints.length - 1);
  if (max <= 0) return 0;
  // The first changed character (compared only as far as units could be taken over).
  const limit = Math.min(text.length, prev.text.length, units[max - 1].end + READ_MARGIN);
  let p = 0;
  while (p < limit && text.charCodeAt(p) === prev.text.charCodeAt(p)) p++;
  let k = 0;
  while (k < max && units[k].start === prev.units[k].start && units[k].end === prev.units[k].end && locals[k] === prev.locals[k] && units[k].end + READ_MARGIN <= p) k++;
  if (k === 0) return 0;
  const before = units[k - 1].end + READ_MARGIN;
  // Mentions: the same number (the search over them is positional), the same ones before the point.
  const ms = pass.sortedMentions();
  if (ms.length !== prev.mentions.length) return 0;
  for (let i = 0; i < ms.length && (ms[i].start < before || prev.mentions[i].start < before); i++) {
    const a = ms[i];
    const b = prev.mentions[i];
    if (a.start !== b.start || a.end !== b.end || a.type !== b.type || a.entityId !== b.entityId || a.canonical !== b.canonical) return 0;
  }
  // Entities: the same ids, types, names and roles in the same order; their spans before the point.
  const es = er.entities;
  const ps = prev.entities;
  if (es.length * ENTITY_KEY !== ps.length) return 0;
  for (let i = 0; i < es.length; i++) {
    const a = es[i];
    const o = i * ENTITY_KEY;
    const roles = ps[o + 3] as readonly string[];
    if (a.id !== ps[o] || a.type !== ps[o + 1] || a.canonical !== ps[o + 2] || a.roles.length !== roles.length) return 0;
    for (let r = 0; r < roles.length; r++) if (a.roles[r] !== roles[r]) return 0;
    if (!sameSpansBefore(a.mentions, ps[o + 4] as readonly Span[], before)) return 0;
  }
  const g = pass.initialGender();
  if (g.size !== prev.initialGender.size) return 0;
  for (const [id, v] of g) if (prev.initialGender.get(id) !== v) return 0;
  return k;
}
