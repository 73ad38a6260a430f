// The surname stitch between chunks: a person named by one word in one chunk ("Lavrov") is the one
// person whose full name, given in another chunk, ends with that word ("Sergei Lavrov").
import type { Analysis, Entity } from '../types';

export interface Target {
  id: string;
  canonical: string;
}

/** A chunk's people: single-word names (id, lower-cased word) and full names (surname, target). */
export interface People {
  singles: [string, string][];
  fulls: [string, Target][];
}

export function peopleOf(a: Analysis): People {
  const out: People = { singles: [], fulls: [] };
  for (const e of a.entities) {
    if (e.type !== 'person') continue;
    const sp = e.canonical.lastIndexOf(' ');
    if (sp < 0) out.singles.push([e.id, e.canonical.toLowerCase()]);
    else out.fulls.push([e.canonical.slice(sp + 1).toLowerCase(), { id: e.id, canonical: e.canonical }]);
  }
  return out;
}

/** Single-word person ids → the one multi-word person whose name ends with that word. */
export function surnameRemap(people: readonly People[]): Map<string, Target> {
  const remap = new Map<string, Target>();
  if (!people.some((p) => p.singles.length)) return remap;
  const full = new Map<string, Target | null>(); // null: several people share the surname
  for (const p of people) {
    for (const [last, t] of p.fulls) {
      const known = full.get(last);
      if (known === undefined) full.set(last, t);
      else if (known && known.id !== t.id) full.set(last, null);
    }
  }
  for (const p of people) {
    for (const [id, word] of p.singles) {
      const t = full.get(word);
      if (t) remap.set(id, t);
    }
  }
  return remap;
}

/** A chunk, as far as the stitch is concerned. */
interface WithPeople {
  readonly people: People;
}

/** Did the re-analysed chunks keep exactly the people of the chunks they replace? */
export function samePeopleLists(before: readonly WithPeople[], after: readonly WithPeople[]): boolean {
  // Compared in place (no strings built): the lists of all `before` chunks, in order, against
  // those of all `after` chunks.
  const singles = (cs: readonly WithPeople[]) => cs.flatMap((c) => c.people.singles);
  const fulls = (cs: readonly WithPeople[]) => cs.flatMap((c) => c.people.fulls);
  const one = before.length === 1 && after.length === 1;
  const as = one ? before[0].people.singles : singles(before);
  const bs = one ? after[0].people.singles : singles(after);
  if (as.length !== bs.length) return false;
  for (let i = 0; i < as.length; i++) if (as[i][0] !== bs[i][0] || as[i][1] !== bs[i][1]) return false;
  const af = one ? before[0].people.fulls : fulls(before);
  const bf = one ? after[0].people.fulls : fulls(after);
  if (af.length !== bf.length) return false;
  for (let i = 0; i < af.length; i++) {
    if (af[i][0] !== bf[i][0] || af[i][1].id !== bf[i][1].id || af[i][1].canonical !== bf[i][1].canonical) return false;
  }
  return true;
}

/** Same stitch (every single-word id to the same target)? */
export function sameRemap(a: Map<string, Target>, b: Map<string, Target>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, t] of a) {
    const u = b.get(id);
    if (!u || u.id !== t.id || u.canonical !== t.canonical) return false;
  }
  return true;
}

/** Entities with the same id merge across chunks; stitched surnames merge into the full name. */
export function mergeEntities(chunks: readonly { placed: Analysis }[], remap: Map<string, Target>): Entity[] {
  const seen = new Map<string, Entity>();
  const owned = new Set<string>();
  const into = (id: string): Entity => {
    const known = seen.get(id)!;
    if (owned.has(id)) return known;
    // A fresh merged object: the chunks' own stay untouched.
    const copy = { ...known, aliases: [...known.aliases], roles: [...known.roles], mentions: [...known.mentions] };
    owned.add(id);
    seen.set(id, copy);
    return copy;
  };
  const add = (target: Entity, e: Entity, alsoName: boolean) => {
    for (const a of alsoName ? [e.canonical, ...e.aliases] : e.aliases) if (a !== target.canonical && !target.aliases.includes(a)) target.aliases.push(a);
    for (const r of e.roles) if (!target.roles.includes(r)) target.roles.push(r);
    for (const s of e.mentions) target.mentions.push(s);
    if (e.description !== undefined && target.description === undefined) target.description = e.description;
  };
  const later: Entity[] = [];
  for (const { placed } of chunks) {
    for (const e of placed.entities) {
      if (remap.has(e.id)) later.push(e);
      else if (!seen.has(e.id)) seen.set(e.id, e);
      else add(into(e.id), e, false);
    }
  }
  const touched = new Set<Entity>();
  for (const e of later) {
    const t = remap.get(e.id)!;
    if (!seen.has(t.id)) continue;
    const target = into(t.id);
    add(target, e, true);
    touched.add(target);
  }
  for (const t of touched) t.mentions.sort((a, b) => a.start - b.start);
  return [...seen.values()];
}
