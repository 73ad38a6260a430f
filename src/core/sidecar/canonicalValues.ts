/**
 * The canonical reader's value layer: a line split into its key and value, and the value read as
 * the JSON it is (a JSON string, number or flow collection, or a plain scalar the writer would write
 * unquoted), noting whether the writer would write it back the same way. Also what it accepts: the
 * keys the writer writes, and the checks that send a text or a value to the YAML parser instead (a
 * quoted string that is more than one JSON string, flow collections nested too deep, numbers and
 * nulls that would lose their text, characters the writer never leaves raw).
 */
import { json, plainSafeAt, scalar } from './canonicalWriter';
import { ANNOTATION_KEYS, CORRECTION_KEYS } from './model';

// (What is read for each value lives in this module: under the CommonJS that tsx compiles the
// tests and the bench to, every use of an imported binding is a getter call.)

/** The writer's rule, `plainSafeAt` (a module-local binding: called for nearly every value). */
const writtenPlain = plainSafeAt;

export const KNOWN_TOP = ['version', 'source', 'hash', 'annotations', 'corrections'];
export const KNOWN_TARGET = ['exact', 'prefix', 'suffix', 'start', 'end'];

/** A key the reader takes unquoted: letters and `_`, then digits and `-` too (what `keyText` writes plain). */
function validKey(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) continue;
    if (i > 0 && ((c >= 48 && c <= 57) || c === 45)) continue;
    return false;
  }
  return true;
}

/** One JSON string literal and nothing else (no `"a","b":"c"` smuggling). */
function singleJsonString(raw: string): boolean {
  const n = raw.length;
  if (n < 2 || raw.charCodeAt(n - 1) !== 34) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34 || c < 32) return false;
  }
  return raw.charCodeAt(n - 2) !== 92 || (() => {
    let k = 0;
    for (let j = n - 2; j > 0 && raw.charCodeAt(j) === 92; j--) k++;
    return k % 2 === 0;
  })();
}

/** Flow collections nested deeper than this are left to the YAML path (which refuses them). */
const MAX_FLOW_DEPTH = 64;

/** `raw` (JSON flow text) nests deeper than `max` (brackets inside strings do not count). */
function tooDeep(raw: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) {
      for (i++; i < raw.length && raw.charCodeAt(i) !== 34; i++) if (raw.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** `v` (JSON data) holds a null (`nulls`) or else a number anywhere. */
function holds(v: unknown, nulls: boolean): boolean {
  if (v === null) return nulls;
  if (typeof v === 'number') return !nulls;
  if (Array.isArray(v)) return v.some((x) => holds(x, nulls));
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).some((x) => holds(x, nulls));
  return false;
}

/** Unsafe characters and surrogates (paired ones are fine: see `hasRawUnsafe`). */
const UNSAFE_OR_SURROGATE = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff\ud800-\udfff]/g;

/** `text` holds a character the writer never leaves raw in a string: an unsafe one or a lone surrogate. */
function hasRawUnsafe(text: string): boolean {
  UNSAFE_OR_SURROGATE.lastIndex = 0;
  for (let m = UNSAFE_OR_SURROGATE.exec(text); m; m = UNSAFE_OR_SURROGATE.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c < 0xd800 || c > 0xdbff) return true; // unsafe, or a low surrogate not after a high one
    const d = text.charCodeAt(m.index + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
    UNSAFE_OR_SURROGATE.lastIndex = m.index + 2;
  }
  return false;
}

/** Returned by the value reader for text outside the canonical subset. */
export const OUTSIDE: unique symbol = Symbol('outside');
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** A character that ends a JSON string body early (a quote, a backslash, a control character). */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const JSON_SPECIAL = /["\\\u0000-\u001f]/g;
/** Keys the model reads as text (a number or boolean there is turned into a string, so written back quoted). */
const TEXT_KEYS = new Set([
  'id', 'kind', 'verdict', 'note', 'author', 'created', 'modified', 'action', 'scope', 'type', 'canonical', 'speaker', 'exact', 'prefix', 'suffix',
  'claimant', 'claimDate', 'appearance',
]);
/** Every key the writer writes, by length: matched against the text so that the same (interned) strings are used each time. */
const WRITTEN_KEYS: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = [];
  for (const k of new Set<string>([...KNOWN_TARGET, ...ANNOTATION_KEYS, ...CORRECTION_KEYS, ...KNOWN_TOP])) (byLength[k.length] ??= []).push(k);
  return Array.from(byLength, (x) => x ?? []);
})();
/** A JSON string whose only escapes are the short ones `JSON.stringify` writes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`). */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const SHORT_ESCAPES_ONLY = /^"(?:[^"\\\u0000-\u001f]|\\["\\bfnrt])*"$/;

/** The written key of `len` characters at `at` in `text`, as the interned string, or undefined. */
function writtenKeyAt(text: string, at: number, len: number): string | undefined {
  if (len >= WRITTEN_KEYS.length) return undefined;
  const candidates = WRITTEN_KEYS[len]!;
  for (let k = 0; k < candidates.length; k++) {
    const known = candidates[k]!;
    let j = 0;
    while (j < len && known.charCodeAt(j) === text.charCodeAt(at + j)) j++;
    if (j === len) return known;
  }
  return undefined;
}

/**
 * The text being read, the value last split off a line ([vStart, vEnd)), and what reading values
 * found out about the text: whether it is still what the writer writes (`canonical`, and `exact`
 * for the current block) and whether a value lost its source text (`lossy`).
 */
export class CanonicalValueReader {
  protected canonical = true;
  /** The current block is still exactly what the writer writes (see `CanonicalBlock.exact`). */
  protected exact = false;
  protected lossy = false;
  // The raw text of the value being read: [vStart, vEnd).
  protected vStart = 0;
  protected vEnd = 0;
  /**
   * Whole-text check: a raw unsafe character or lone surrogate anywhere may sit in a quoted string
   * the writer would escape (the canonical flag does not see it): then no block is reused as is.
   */
  protected readonly rawOk: boolean;

  constructor(protected readonly text: string) {
    this.rawOk = !hasRawUnsafe(text);
  }

  /** Neither the file nor the current block is what the writer writes. */
  protected notCanonical(): void {
    this.canonical = this.exact = false;
  }

  /** The value just read is `[]` (which the writer leaves out, or writes only as the empty annotations list). */
  protected emptyFlowList(): boolean {
    return this.vEnd - this.vStart === 2 && this.text.startsWith('[]', this.vStart);
  }

  /** Split the line at `at` into a key (returned) and its value [vStart, vEnd) (empty for `key:`). */
  protected splitKey(at: number, end: number): string | undefined {
    const text = this.text;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon >= end) return undefined;
    let key = writtenKeyAt(text, at, colon - at);
    if (key === undefined) {
      key = text.slice(at, colon);
      if (!validKey(key)) return undefined;
    }
    if (colon === end - 1) {
      this.vStart = this.vEnd = end;
      return key;
    }
    if (text.charCodeAt(colon + 1) !== 32 || colon + 2 >= end || text.charCodeAt(colon + 2) === 32) return undefined;
    this.vStart = colon + 2;
    this.vEnd = end;
    return key;
  }

  /** The value [vStart, vEnd) as data, or OUTSIDE if it is outside the canonical subset. */
  protected readValue(key: string): unknown {
    const text = this.text;
    const c0 = text.charCodeAt(this.vStart);
    if (c0 === 34) return this.readJsonString();
    if (c0 >= 48 && c0 <= 57 && this.vEnd - this.vStart <= 15 && (c0 !== 48 || this.vEnd - this.vStart === 1)) {
      const v = this.readSmallInteger(key);
      if (v >= 0) return v;
    }
    const raw = text.slice(this.vStart, this.vEnd);
    if (c0 === 91 || c0 === 123) return this.readFlow(key, raw);
    if (raw === 'true' || raw === 'false') return this.readBoolean(key, raw);
    if (((c0 >= 48 && c0 <= 57) || c0 === 45) && JSON_NUMBER.test(raw)) return this.readNumber(key, raw);
    return writtenPlain(text, this.vStart, this.vEnd) ? raw : OUTSIDE;
  }

  /** A JSON string: one token, nothing after it. */
  protected readJsonString(): unknown {
    const text = this.text;
    const vStart = this.vStart;
    const last = this.vEnd - 1;
    if (last <= vStart || text.charCodeAt(last) !== 34) return OUTSIDE;
    JSON_SPECIAL.lastIndex = vStart + 1;
    // (test, not exec: no match array; the special character is the one before lastIndex)
    if (JSON_SPECIAL.test(text) && JSON_SPECIAL.lastIndex - 1 === last) {
      // No escape: the body is the value.
      if ((this.canonical || this.exact) && writtenPlain(text, vStart + 1, last)) this.notCanonical(); // the writer would not quote it
      return text.slice(vStart + 1, last);
    }
    return this.readEscapedString(text.slice(vStart, this.vEnd));
  }

  /** A JSON string with escapes (`raw`, quotes included). */
  protected readEscapedString(raw: string): unknown {
    if (this.rawOk && SHORT_ESCAPES_ONLY.test(raw)) {
      // Only the escapes JSON.stringify writes, and no raw character the writer escapes (rawOk):
      // scalar(value) is raw itself (a quote, backslash or control character is never plain).
      return JSON.parse(raw) as string;
    }
    if (!singleJsonString(raw)) return OUTSIDE;
    let s: string;
    try {
      s = JSON.parse(raw) as string;
    } catch {
      return OUTSIDE; // not a JSON escape: the YAML parser reads it
    }
    if ((this.canonical || this.exact) && scalar(s) !== raw) this.notCanonical(); // an escape the writer would not write
    return s;
  }

  /** A small integer without leading zeros (offsets): String(value) is its text. -1 when the value is not all digits. */
  protected readSmallInteger(key: string): number {
    const text = this.text;
    const vEnd = this.vEnd;
    let k = this.vStart + 1;
    let v = text.charCodeAt(this.vStart) - 48;
    while (k < vEnd) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      k++;
    }
    if (k !== vEnd) return -1;
    // (the model reads it as text, which the writer quotes: not the canonical layout)
    if (TEXT_KEYS.has(key)) this.notCanonical();
    return v;
  }

  /** A JSON flow collection (`[…]`, `{…}`). */
  protected readFlow(key: string, raw: string): unknown {
    if (raw.length > MAX_FLOW_DEPTH && tooDeep(raw, MAX_FLOW_DEPTH)) return OUTSIDE; // the YAML path refuses it
    let v: unknown;
    try {
      v = JSON.parse(raw) as unknown;
    } catch {
      return OUTSIDE; // not JSON flow: the YAML parser decides
    }
    const written = json(v);
    // A number whose text is not what the writer writes (`1.10`, `1e3`, 20 digits) or a null
    // (which the model may read as text): the YAML parser keeps their source text.
    if (holds(v, true) || (written !== raw && holds(v, false))) this.lossy = true;
    if ((this.canonical || this.exact) && written !== raw) this.notCanonical();
    if (key === 'tags' && Array.isArray(v) && !v.every((t) => typeof t === 'string')) this.notCanonical(); // the model reads them as text
    if (this.exact && (key !== 'tags' || !Array.isArray(v) || !v.every((t) => typeof t === 'string'))) this.exact = false;
    return v;
  }

  protected readBoolean(key: string, raw: string): boolean {
    if (key === 'orphan' && raw === 'false') this.notCanonical();
    if (TEXT_KEYS.has(key)) this.notCanonical();
    return raw === 'true';
  }

  /** A JSON number other than a small integer. */
  protected readNumber(key: string, raw: string): number {
    const v = Number(raw);
    if (String(v) !== raw) this.lossy = true;
    if (TEXT_KEYS.has(key) || String(v) !== raw) this.notCanonical();
    return v;
  }
}
