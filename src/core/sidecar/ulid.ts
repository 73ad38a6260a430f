/**
 * ULIDs (https://github.com/ulid/spec): 48-bit millisecond time + 80 random bits, 26 characters
 * of Crockford base32, lexicographically sortable by time. Clock and randomness are injectable so
 * tests are deterministic; ids made within one millisecond by one generator increase monotonically.
 */
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface UlidOptions {
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** A random integer in [0, 32). Default uses `crypto.getRandomValues` when present, else Math.random. */
  random?: () => number;
}

function defaultRandom(): () => number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) {
    const buf = new Uint8Array(1);
    return () => c.getRandomValues!(buf)[0]! & 31;
  }
  return () => Math.floor(Math.random() * 32);
}

export function encodeTime(ms: number): string {
  let t = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ENCODING[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** A ULID generator. Each call returns a new id, strictly greater than the previous one. */
export function ulidFactory(options: UlidOptions = {}): () => string {
  const now = options.now ?? Date.now;
  const random = options.random ?? defaultRandom();
  let lastTime = -1;
  let lastRandom: number[] = [];
  return () => {
    const t = now();
    if (t <= lastTime && lastRandom.length === 16) {
      // Same (or earlier) millisecond: increment the random part so ids keep increasing.
      const r = lastRandom.slice();
      let i = 15;
      while (i >= 0 && r[i] === 31) r[i--] = 0;
      if (i >= 0) r[i]! += 1;
      lastRandom = r;
      return encodeTime(lastTime) + r.map((x) => ENCODING[x]).join('');
    }
    lastTime = t;
    lastRandom = Array.from({ length: 16 }, () => random() & 31);
    return encodeTime(t) + lastRandom.map((x) => ENCODING[x]).join('');
  };
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
