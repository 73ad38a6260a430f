/**
 * Hash map from keys in [0, 2^30) (already well mixed: hashes & SMI) to int32 values: open
 * addressing with linear probing over one Int32Array of (key, value) pairs, so a look-up is
 * usually one cache line and no allocation.
 */
export class IntMap {
  /** (key + 1, value) pairs; 0: empty slot (so a new table needs no fill). */
  private table: Int32Array;
  private mask: number;
  private n = 0;
  constructor(expected = 8) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }
  get size(): number {
    return this.n;
  }
  /** The value of `key`, or `missing` when absent. */
  get(key: number, missing: number): number {
    const t = this.table;
    const m = this.mask;
    const k1 = key + 1;
    for (let i = key & m; ; i = (i + 1) & m) {
      const k = t[2 * i];
      if (k === k1) return t[2 * i + 1];
      if (k === 0) return missing;
    }
  }
  set(key: number, value: number): void {
    const i = this.slotOf(key);
    this.table[2 * i + 1] = value;
  }
  /** value += delta (absent keys count as 0). */
  add(key: number, delta: number): void {
    const i = this.slotOf(key);
    this.table[2 * i + 1] += delta;
  }
  /** Calls `fn` for every (key, value) pair, in table order. */
  forEach(fn: (key: number, value: number) => void): void {
    const t = this.table;
    for (let j = 0; j < t.length; j += 2) if (t[j] !== 0) fn(t[j] - 1, t[j + 1]);
  }
  /** value |= bits (absent keys count as 0). */
  or(key: number, bits: number): void {
    const i = this.slotOf(key);
    this.table[2 * i + 1] |= bits;
  }
  /** The slot of `key`, inserted with value 0 when absent (the table grows first when half full). */
  private slotOf(key: number): number {
    const t = this.table;
    const m = this.mask;
    const k1 = key + 1;
    for (let i = key & m; ; i = (i + 1) & m) {
      const k = t[2 * i];
      if (k === k1) return i;
      if (k === 0) {
        if ((this.n + 1) * 2 > m + 1) {
          this.grow();
          return this.slotOf(key);
        }
        t[2 * i] = k1;
        t[2 * i + 1] = 0;
        this.n++;
        return i;
      }
    }
  }
  clear(): void {
    this.table.fill(0);
    this.n = 0;
  }
  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap * 2);
    const m = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const k1 = old[j];
      if (k1 === 0) continue;
      let i = (k1 - 1) & m;
      while (t[2 * i] !== 0) i = (i + 1) & m;
      t[2 * i] = k1;
      t[2 * i + 1] = old[j + 1];
    }
    this.table = t;
    this.mask = m;
  }
}
