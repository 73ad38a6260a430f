/**
 * FNV-1a 64-bit over the UTF-8 bytes of the *normalised* text (BOM stripped, line endings → `\n`),
 * written as `fnv1a64:` + 16 lowercase hex digits. Pure TypeScript, no BigInt: the 64-bit state
 * is kept in two 32-bit halves. Not cryptographic: it only tells "the source changed since the save".
 */
import { normalizeText } from './model';

export const HASH_PREFIX = 'fnv1a64:';

/** FNV-1a 64 of a string's UTF-8 bytes (no normalisation). */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    // (hi:lo) * 0x100000001b3 mod 2^64 = (hi:lo) * 0x1b3 + ((hi:lo) << 40)
    const l = lo * 0x1b3;
    const carry = Math.floor(l / 4294967296);
    hi = (hi * 0x1b3 + ((lo << 8) >>> 0) + carry) >>> 0;
    lo = l >>> 0;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      step(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate, as TextEncoder does
    if (c < 0x800) {
      step(0xc0 | (c >> 6));
      step(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      step(0xe0 | (c >> 12));
      step(0x80 | ((c >> 6) & 0x3f));
      step(0x80 | (c & 0x3f));
    } else {
      step(0xf0 | (c >> 18));
      step(0x80 | ((c >> 12) & 0x3f));
      step(0x80 | ((c >> 6) & 0x3f));
      step(0x80 | (c & 0x3f));
    }
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** The sidecar `hash` of a source text: `fnv1a64:` + FNV-1a 64 of the normalised text. */
export function hashText(text: string): string {
  return HASH_PREFIX + fnv1a64(normalizeText(text));
}
