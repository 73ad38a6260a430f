/**
 * Hashed word 3-gram → postings (passage slot, word position), in one typed array: a chained hash
 * table whose entries (key, slot, position, next) sit side by side, so that reading a posting touches
 * one cache line; no object per posting. Removing a passage is O(1) (its slot is marked dead; its
 * postings are skipped when read and dropped by the next compaction, which runs once dead postings
 * outnumber live ones), so an edit costs what indexing the edited source costs.
 */
const KEY = 0;
const SLOT = 1;
const POS = 2;
const NEXT = 3;
const STRIDE = 4;

export class Postings {
  private heads: Int32Array;
  private entries: Int32Array;
  private n = 0;
  private deadCount = 0;

  constructor(capacity = 1 << 12) {
    const cap = Math.max(16, capacity);
    this.heads = new Int32Array(pow2(cap)).fill(-1);
    this.entries = new Int32Array(cap * STRIDE);
  }

  /** Postings held, live and dead. */
  get size(): number {
    return this.n;
  }

  get dead(): number {
    return this.deadCount;
  }

  add(key: number, slot: number, pos: number): void {
    if ((this.n + 1) * STRIDE > this.entries.length) this.grow();
    if (this.n >= this.heads.length * 2) this.rehash(this.heads.length * 2);
    const i = this.n++;
    const b = bucket(key, this.heads.length - 1);
    const e = this.entries;
    const o = i * STRIDE;
    e[o + KEY] = key;
    e[o + SLOT] = slot;
    e[o + POS] = pos;
    e[o + NEXT] = this.heads[b];
    this.heads[b] = i;
  }

  /** Counts `n` postings as dead (their slot was removed); compacts when dead ones outnumber live ones. */
  retire(n: number, alive: (slot: number) => boolean): void {
    this.deadCount += n;
    if (this.deadCount > 50_000 && this.deadCount * 2 > this.n) this.compact(alive);
  }

  /**
   * Calls `fn(slot, pos)` for each posting of `key` whose slot is alive, up to `limit` of them;
   * returns how many were visited (a common 3-gram stops at `limit`).
   */
  each(key: number, alive: Uint8Array, limit: number, fn: (slot: number, pos: number) => void): number {
    let seen = 0;
    for (let i = this.firstEntry(key); i >= 0; i = this.nextEntry(i)) {
      if (this.keyAt(i) !== key) continue;
      const s = this.slotAt(i);
      if (!alive[s]) continue;
      if (++seen > limit) return seen;
      fn(s, this.posAt(i));
    }
    return seen;
  }

  /** The first entry of `key`'s bucket chain (-1: none); walk it with `nextEntry`, checking `keyAt`. No closure per lookup. */
  firstEntry(key: number): number {
    return this.heads[bucket(key, this.heads.length - 1)];
  }

  nextEntry(i: number): number {
    return this.entries[i * STRIDE + NEXT];
  }

  keyAt(i: number): number {
    return this.entries[i * STRIDE + KEY];
  }

  slotAt(i: number): number {
    return this.entries[i * STRIDE + SLOT];
  }

  posAt(i: number): number {
    return this.entries[i * STRIDE + POS];
  }

  private grow(): void {
    const b = new Int32Array(this.entries.length * 2);
    b.set(this.entries);
    this.entries = b;
  }

  private rehash(size: number): void {
    this.heads = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const e = this.entries;
    // Relink in insertion order so each chain stays newest-first.
    for (let i = 0; i < this.n; i++) {
      const o = i * STRIDE;
      const b = bucket(e[o + KEY], mask);
      e[o + NEXT] = this.heads[b];
      this.heads[b] = i;
    }
  }

  private compact(alive: (slot: number) => boolean): void {
    const e = this.entries;
    let w = 0;
    for (let i = 0; i < this.n; i++) {
      const o = i * STRIDE;
      if (!alive(e[o + SLOT])) continue;
      const d = w * STRIDE;
      e[d + KEY] = e[o + KEY];
      e[d + SLOT] = e[o + SLOT];
      e[d + POS] = e[o + POS];
      w++;
    }
    this.n = w;
    this.deadCount = 0;
    this.rehash(this.heads.length);
  }
}

function bucket(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 7) & mask;
}

function pow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}
