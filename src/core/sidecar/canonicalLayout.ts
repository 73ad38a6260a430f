/**
 * The canonical sidecar layout, written and read without the `yaml` package's Document model.
 *
 * The `yaml` Document API keeps comments and layout but costs ~1 s per MB; a 10,000-annotation
 * sidecar is ~3.5 MB. So files Marginalia writes use one fixed, line-oriented layout (a strict YAML
 * subset: JSON-quoted strings where a plain scalar would be ambiguous, JSON flow for lists and
 * unknown values, a blank line between annotation blocks), which `canonicalParse` reads line by
 * line. A file that deviates from that layout in any way (a comment, another quoting style, another
 * key order…) makes `canonicalParse` return undefined, and the codec falls back to the full YAML
 * parser and in-place Document edits, so nothing the user wrote is lost.
 *
 * This module holds how the layout writes each piece of text (the header, scalars, keys, flow
 * values), shared by the writer (`./canonicalWriter`) and the reader (`./canonicalReader`).
 */
import type { Evidence } from './model';
import { EVIDENCE_KEYS, setOwn } from './model';

/**
 * An evidence link as written: known keys in order (the target's too), `orphan` only when true,
 * then its unknown keys. Both writers write this (the canonical one as one JSON flow list, the
 * Document one as a block list).
 */
export function evidenceRecord(e: Evidence): Record<string, unknown> {
  const out: Record<string, unknown> = { relation: e.relation, source: e.source };
  const t = e.target;
  out.target = { exact: t.exact, prefix: t.prefix, suffix: t.suffix, start: t.start, end: t.end };
  if (e.orphan === true) out.orphan = true;
  if (e.extra) for (const [k, x] of Object.entries(e.extra)) if (x !== undefined && !(EVIDENCE_KEYS as readonly string[]).includes(k)) setOwn(out, k, x);
  return out;
}

export const CANONICAL_HEADER = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.';

const NUMBERISH = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const RESERVED = /^(?:true|false|null|True|TRUE|False|FALSE|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Characters the writers always escape: controls, invisible ones and the Unicode line/paragraph separators. */
const UNSAFE_CHARS = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g;
/** The same class without the global flag (no `lastIndex` state): a cheap test before replacing. */
const HAS_UNSAFE = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** Does `text` hold a character the writers escape? */
export const hasUnsafe = (text: string): boolean => HAS_UNSAFE.test(text);
/** `text` with every unsafe character written as a `\uXXXX` escape (`text` itself when it has none). */
export const escapeUnsafe = (text: string): string => (HAS_UNSAFE.test(text) ? text.replace(UNSAFE_CHARS, escapeChar) : text);

/** Plain-scalar character classes (ASCII): 1 letter, digit or `_`; 2 `. - + @ / , ' ( )`; 3 `:` and space (not before a space or at the end). */
const PLAIN_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) t[c] = 1;
    else if (".-+@/,'()".includes(String.fromCharCode(c))) t[c] = 2;
    else if (c === 58 || c === 32) t[c] = 3;
  }
  return t;
})();

/** Letters, digits and `_ . - + @ / : , ' ( )`, single inner spaces, no `: `; not a number or a YAML keyword. */
function plainSafe(s: string): boolean {
  return plainSafeAt(s, 0, s.length);
}

/** `plainSafe(s.slice(from, to))`, read in place (the reader checks values inside the file's text). */
export function plainSafeAt(s: string, from: number, to: number): boolean {
  const n = to - from;
  if (n <= 0) return false;
  const c0 = s.charCodeAt(from);
  if (c0 >= 128 || PLAIN_CLASS[c0] !== 1) return false; // starts with a letter, digit or _
  const cl = s.charCodeAt(to - 1);
  if (cl >= 128 || PLAIN_CLASS[cl] === 0 || PLAIN_CLASS[cl] === 3) return false; // no `:` or space at the end
  for (let i = from + 1; i < to - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return false;
    const k = PLAIN_CLASS[c]!;
    if (k === 0 || (k === 3 && s.charCodeAt(i + 1) === 32)) return false;
  }
  // a number ends in a digit, a dot or a hex digit
  if ((c0 >= 48 && c0 <= 57) && ((cl >= 48 && cl <= 57) || cl === 46 || (cl >= 97 && cl <= 102) || (cl >= 65 && cl <= 70))
    && NUMBERISH.test(s.slice(from, to))) return false;
  const lower = c0 | 32; // every YAML keyword starts with n, y, t, f or o (either case)
  if (n <= 5 && (lower === 110 || lower === 121 || lower === 116 || lower === 102 || lower === 111) && RESERVED.test(s.slice(from, to))) return false;
  return true;
}

/** A string as a YAML scalar: plain when unambiguous, else a JSON (= YAML double-quoted) string. */
export function scalar(s: string): string {
  if (plainSafe(s)) return s;
  return escapeUnsafe(JSON.stringify(s));
}

/** JSON in YAML's own flow spacing (`[ "a", "b" ]`, `{ "k": 1 }`), so a YAML re-render keeps it byte for byte. */
export function json(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map((x) => json(x)).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${json(k)}: ${json(x)}`).join(', ')} }`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return escapeUnsafe(JSON.stringify(v) ?? 'null');
}

export function value(v: unknown): string {
  if (typeof v === 'string') return scalar(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return json(v);
}

/**
 * A key as written: identifiers plain, anything else (`reviewed by`, `x.y`) as a quoted scalar, so that
 * a user's unknown keys are never dropped. (The canonical reader does not take quoted keys: such a
 * file is read by the full YAML parser, which is fine.)
 */
export function keyText(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : json(k);
}
