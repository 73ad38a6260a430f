/**
 * The one memo the recognisers keep between calls: the results of a pure function of a string,
 * bounded so that a long session (every keystroke a new key) cannot grow it without limit.
 *
 * - When it holds `max` entries it is emptied, not trimmed: the recognisers' keys repeat within a
 *   document, so the next document refills what it needs, and emptying costs nothing per lookup.
 * - Keys longer than `maxKeyLength` are computed and not kept (a title-cased table of contents read
 *   as one name would otherwise fill the memo with its runs).
 * - A kept key is copied first: a substring of a source shares the source's characters, so keeping
 *   it would keep the whole (possibly closed) document alive.
 */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(
    private readonly max: number,
    private readonly maxKeyLength = Number.POSITIVE_INFINITY,
  ) {}

  /** `make(key)`, from the memo when it was made before. `make` must be pure. */
  get(key: string, make: (key: string) => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (key.length > this.maxKeyLength) return make(key);
      const own = ownKey(key);
      v = make(own);
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(own, v);
    }
    return v;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** A copy of `s` that does not share the characters of the string it was cut from. */
export function ownKey(s: string): string {
  return (' ' + s).slice(1);
}
