/**
 * The document's global facts, kept up to date as paragraphs are added and removed: type votes
 * per surface form, full names by word, long forms by prefix/suffix run and initials, acronym
 * definitions. Each counter remembers which keys' readings changed, so that only paragraphs
 * containing those surface forms are resolved again.
 */
import type { EntityType } from '../types';
import { facts, isNameType, type Slot } from './document-slot';
import { multiWord, words } from './document-words';
import { isTitleOrHonorific } from './roles';

/** key → value → count, with a signature per key; remembers which keys' signatures changed. */
class MultiCounter<V> {
  readonly map = new Map<string, Map<V, number>>();
  private before = new Map<string, string>();
  /** Off while an index is first filled (every paragraph is resolved then anyway). */
  tracking = true;
  constructor(private readonly sig: (m: Map<V, number> | undefined) => string) {}
  inc(key: string, value: V, d: number): void {
    let m = this.map.get(key);
    if (this.tracking && !this.before.has(key)) this.before.set(key, this.sig(m));
    if (!m) this.map.set(key, (m = new Map()));
    const v = (m.get(value) ?? 0) + d;
    if (v <= 1e-9) m.delete(value);
    else m.set(value, v);
    if (m.size === 0) this.map.delete(key);
  }
  /** Keys whose signature changed since the last call. */
  drain(out: Set<string>): void {
    for (const [k, b] of this.before) if (this.sig(this.map.get(k)) !== b) out.add(k);
    this.before.clear();
  }
}

export function bestBy<V>(m: Map<V, number> | undefined, better: (a: V, ca: number, b: V, cb: number) => boolean): V | undefined {
  if (!m) return undefined;
  let best: V | undefined;
  let bc = 0;
  for (const [v, c] of m) {
    if (best === undefined || better(v, c, best, bc)) {
      best = v;
      bc = c;
    }
  }
  return best;
}
export const byCount = <V>(a: V, ca: number, b: V, cb: number): boolean => ca > cb || (ca === cb && String(a) < String(b));
const byLength = (a: string, ca: number, b: string, cb: number): boolean => {
  const la = words(a).length;
  const lb = words(b).length;
  return la > lb || (la === lb && byCount(a, ca, b, cb));
};

export class DocIndex {
  /** surface → type → weight. The signature covers both readings: the majority and the strong majority. */
  readonly votes = new MultiCounter<EntityType>((m) => `${bestBy(m, byCount) ?? ''}|${strongest(m) ?? ''}`);
  /** word of a full person name → full names. */
  readonly tokenToFull = new MultiCounter<string>((m) => (m ? [...m.keys()].sort().join('|') : ''));
  /** word run (≥2 words) of a longer full name → those names (the longest wins). */
  readonly subRuns = new MultiCounter<string>((m) => bestBy(m, byLength) ?? '');
  /** prefix-or-suffix run → organisation long forms (the most frequent wins). */
  readonly orgRuns = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** prefix-or-suffix run → place long forms. */
  readonly placeRuns = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** INITIALS → organisation long forms. */
  readonly orgInitials = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** INITIALS → place long forms. */
  readonly placeInitials = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /** short → long (parenthesised definitions). */
  readonly acronyms = new MultiCounter<string>((m) => bestBy(m, byCount) ?? '');
  /**
   * surface → slots containing it (as mention or candidate). Only edits need it: a fresh index
   * ({@link fill}) leaves it stale and {@link slotsWith} rebuilds it from the slots when first asked.
   */
  private surfaceSlots = new Map<string, Slot | Slot[]>();
  /** first or last word → the two- and three-word model names it ends (with counts), for {@link drainDirty}. */
  private readonly nameEnds = new Map<string, Map<string, number>>();
  private surfaceSlotsStale = false;
  /** Number of slots in the index. */
  private count = 0;

  private counters(): MultiCounter<unknown>[] {
    return [this.votes, this.tokenToFull, this.subRuns, this.orgRuns, this.placeRuns, this.orgInitials, this.placeInitials, this.acronyms] as MultiCounter<unknown>[];
  }

  /** No slot in the index. */
  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * Fills an empty index with the slots of a first recognition, without change tracking (every
   * paragraph is resolved anyway) and without the surface → slots map (built on the first edit).
   */
  fill(slots: readonly Slot[]): void {
    for (const c of this.counters()) c.tracking = false;
    this.surfaceSlotsStale = true;
    for (const s of slots) this.apply(s, 1);
    for (const c of this.counters()) c.tracking = true;
  }

  add(slot: Slot): void {
    this.apply(slot, 1);
  }
  remove(slot: Slot): void {
    this.apply(slot, -1);
  }

  /** The slots containing `surface` (`all`: every slot of the document, in the index). */
  slotsWith(surface: string, all: readonly Slot[]): readonly Slot[] | undefined {
    if (this.surfaceSlotsStale) {
      this.surfaceSlots.clear();
      this.rebuildSurfaces(all);
      this.surfaceSlotsStale = false;
    }
    const v = this.surfaceSlots.get(surface);
    return v === undefined || Array.isArray(v) ? v : [v];
  }

  /**
   * Words shared by several full names whose occurrences changed (net) between `removed` and
   * `added` slots: a lone surname's nearest full name may have changed.
   */
  ambiguousChanged(removed: readonly Slot[], added: readonly Slot[]): Set<string> {
    const net = new Map<string, number>();
    for (const s of removed) for (const n of facts(s).fullNames) net.set(n, (net.get(n) ?? 0) - 1);
    for (const s of added) for (const n of facts(s).fullNames) net.set(n, (net.get(n) ?? 0) + 1);
    const out = new Set<string>();
    for (const [n, d] of net) {
      if (d === 0) continue;
      for (const tok of words(n)) if ((this.tokenToFull.map.get(tok)?.size ?? 0) > 1) out.add(tok);
    }
    return out;
  }

  private apply(slot: Slot, d: number): void {
    const f = facts(slot);
    this.count += d;
    const votes = this.votes;
    for (const it of f.items) {
      if (!isNameType(it.type)) continue;
      votes.inc(it.text, it.type, d * (it.source === 'dictionary' ? 100 : it.confidence));
      if (it.source === 'model' && multiWord(it.text)) this.nameEnd(it.text, d);
    }
    for (const n of f.full) {
      for (const tok of n.words) this.tokenToFull.inc(tok, n.text, d);
      for (const run of n.subRuns) this.subRuns.inc(run, n.text, d);
    }
    for (let i = 0; i < f.longForms.length; i++) {
      const l = f.longForms[i];
      const place = f.longType[i] === 'place';
      const runs = place ? this.placeRuns : this.orgRuns;
      for (const run of l.runs) runs.inc(run, l.text, d);
      if (l.initials !== undefined) (place ? this.placeInitials : this.orgInitials).inc(l.initials, l.text, d);
    }
    for (let i = 0; i < f.acrShort.length; i++) this.acronyms.inc(f.acrShort[i], f.acrLong[i], d);
    if (!this.surfaceSlotsStale) {
      if (d > 0) this.addSurfaces(slot);
      else this.removeSurfaces(slot);
    }
  }

  /** Counts a two- or three-word name under its first and last words (see {@link drainDirty}). */
  private nameEnd(name: string, d: number): void {
    const ws = words(name);
    if (ws.length > 3) return;
    for (const w of [ws[0], ws[ws.length - 1]]) {
      let m = this.nameEnds.get(w);
      if (!m) this.nameEnds.set(w, (m = new Map()));
      const c = (m.get(name) ?? 0) + d;
      if (c > 0) m.set(name, c);
      else {
        m.delete(name);
        if (m.size === 0) this.nameEnds.delete(w);
      }
    }
  }

  /** Records the slot under each of its surfaces (most surfaces are in one slot: no list for them). */
  private addSurfaces(slot: Slot): void {
    const f = facts(slot);
    const map = this.surfaceSlots;
    for (let i = 0, n = f.items.length + f.candTexts.length; i < n; i++) {
      const s = i < f.items.length ? f.items[i].text : f.candTexts[i - f.items.length];
      const v = map.get(s);
      if (v === undefined) map.set(s, slot);
      else if (Array.isArray(v)) {
        // A slot's surfaces are added together, once: if it is in the list already, it is last.
        if (v[v.length - 1] !== slot) v.push(slot);
      } else if (v !== slot) map.set(s, [v, slot]);
    }
  }

  /** {@link addSurfaces} for every slot (once, on the first edit after a fresh recognition). */
  private rebuildSurfaces(all: readonly Slot[]): void {
    for (const slot of all) this.addSurfaces(slot);
  }

  private removeSurfaces(slot: Slot): void {
    const f = facts(slot);
    const map = this.surfaceSlots;
    for (let i = 0, n = f.items.length + f.candTexts.length; i < n; i++) {
      const s = i < f.items.length ? f.items[i].text : f.candTexts[i - f.items.length];
      const v = map.get(s);
      if (v === slot) map.delete(s);
      else if (Array.isArray(v)) {
        const k = v.indexOf(slot);
        if (k >= 0) {
          v.splice(k, 1);
          if (v.length === 0) map.delete(s);
        }
      }
    }
  }

  /** Surface forms whose resolution may have changed since the last call. */
  drainDirty(): Set<string> {
    const out = new Set<string>();
    for (const c of this.counters()) c.drain(out);
    if (out.size === 0) return out;
    // Resolutions that read other surfaces' votes: a two- or three-word model name read as a person
    // by its first and last words' types ("John Smith" once "Smith" is a person), and an acronym
    // typed like its expansion ("FH" after "Foo Bar Holdings" becomes a place).
    const more: string[] = [];
    for (const d of out) {
      const names = this.nameEnds.get(d);
      if (names) for (const n of names.keys()) more.push(n);
    }
    if (this.acronyms.map.size > 0)
      for (const [short, longs] of this.acronyms.map) for (const long of longs.keys()) if (out.has(long)) more.push(short);
    for (const m of more) out.add(m);
    return out;
  }

  majority(surface: string): EntityType | undefined {
    return bestBy(this.votes.map.get(surface), byCount);
  }
  /** Is the word the first or last word of a full person name in the text (not a title)? */
  isNameEnd(word: string): boolean {
    const m = this.tokenToFull.map.get(word);
    if (!m || word.length < 3 || isTitleOrHonorific(word)) return false;
    for (const n of m.keys()) {
      const ws = words(n);
      if (ws[ws.length - 1] === word || ws[0] === word) return true;
    }
    return false;
  }
  /** The type at least two confident mentions gave the form, twice as strongly as any other type. */
  strongMajority(surface: string): EntityType | undefined {
    return strongest(this.votes.map.get(surface));
  }
  fullCanon(name: string): string {
    return bestBy(this.subRuns.map.get(name), byLength) ?? name;
  }
}

/** The type at least two confident mentions gave the form, twice as strongly as any other type. */
function strongest(m: Map<EntityType, number> | undefined): EntityType | undefined {
  if (!m) return undefined;
  let best: EntityType | undefined;
  let b1 = 0;
  let b2 = 0;
  for (const [t, w] of m) {
    if (w > b1) {
      best = t;
      b2 = b1;
      b1 = w;
    } else if (w > b2) b2 = w;
  }
  return b1 >= 1.6 && b1 >= 2 * b2 ? best : undefined;
}

