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
 */
import type { Annotation, Correction, Sidecar, Target } from './model';
import { ANNOTATION_KEYS, CORRECTION_KEYS, compareIds } from './model';

export const CANONICAL_HEADER = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.';

const NUMBERISH = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const RESERVED = /^(?:true|false|null|True|TRUE|False|FALSE|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const UNSAFE_CHARS = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g;

/** Letters, digits and `_ . - + @ / : , ' ( )`, single inner spaces, no `: `; not a number or a YAML keyword. */
function plainSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) continue;
    if (i === 0) return false;
    switch (c) {
      case 46: case 45: case 43: case 64: case 47: case 44: case 39: case 40: case 41: // . - + @ / , ' ( )
        continue;
      case 58: // ':' not before a space or at the end
        if (i === n - 1 || s.charCodeAt(i + 1) === 32) return false;
        continue;
      case 32: // a single inner space
        if (i === n - 1 || s.charCodeAt(i + 1) === 32) return false;
        continue;
      default:
        return false;
    }
  }
  const c0 = s.charCodeAt(0);
  if ((c0 >= 48 && c0 <= 57) && NUMBERISH.test(s)) return false;
  if (n <= 5 && RESERVED.test(s)) return false;
  return true;
}

/** A string as a YAML scalar: plain when unambiguous, else a JSON (= YAML double-quoted) string. */
export function scalar(s: string): string {
  if (plainSafe(s)) return s;
  return JSON.stringify(s).replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON in YAML's own flow spacing (`[ "a", "b" ]`, `{ "k": 1 }`), so a YAML re-render keeps it byte for byte. */
function json(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map((x) => json(x)).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${json(k)}: ${json(x)}`).join(', ')} }`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return (JSON.stringify(v) ?? 'null').replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function value(v: unknown): string {
  if (typeof v === 'string') return scalar(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return json(v);
}

function writeItem(out: string[], item: Annotation | Correction, keys: readonly string[]): void {
  const obj = item as unknown as Record<string, unknown>;
  let first = true;
  const line = (k: string, v: string): void => {
    out.push(`${first ? '  - ' : '    '}${k}: ${v}`);
    first = false;
  };
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (k === 'orphan' && v !== true) continue;
    if (k === 'tags') {
      if (Array.isArray(v) && v.length > 0) line(k, json(v));
      continue;
    }
    if (k === 'target') {
      const t = v as Target;
      out.push('    target:');
      out.push(`      exact: ${scalar(t.exact)}`);
      out.push(`      prefix: ${scalar(t.prefix)}`);
      out.push(`      suffix: ${scalar(t.suffix)}`);
      out.push(`      start: ${t.start}`);
      out.push(`      end: ${t.end}`);
      continue;
    }
    line(k, value(v));
  }
  if (item.extra) {
    for (const [k, v] of Object.entries(item.extra)) {
      if (v === undefined || keys.includes(k) || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) continue;
      line(k, value(v));
    }
  }
}

/** The canonical text of a sidecar. Same data → same bytes. */
export function canonicalStringify(sidecar: Sidecar): string {
  const out: string[] = [CANONICAL_HEADER, `version: ${sidecar.version}`, `source: ${scalar(sidecar.source)}`];
  if (sidecar.hash !== undefined) out.push(`hash: ${scalar(sidecar.hash)}`);
  const lists: ['annotations' | 'corrections', readonly string[]][] = [['annotations', ANNOTATION_KEYS], ['corrections', CORRECTION_KEYS]];
  for (const [key, keys] of lists) {
    const items = [...(sidecar[key] as (Annotation | Correction)[])].sort((a, b) => compareIds(a.id, b.id));
    if (items.length === 0) {
      if (key === 'annotations') out.push('annotations: []');
      continue;
    }
    out.push(`${key}:`);
    items.forEach((item, i) => {
      if (i > 0) out.push('');
      writeItem(out, item, keys);
    });
  }
  if (sidecar.extra) {
    for (const [k, v] of Object.entries(sidecar.extra)) {
      if (v !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) out.push(`${k}: ${value(v)}`);
    }
  }
  return out.join('\n') + '\n';
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;

/** Parse one canonical value; undefined when it is not in the canonical subset. */
function readValue(raw: string): { v: unknown } | undefined {
  const c = raw.charCodeAt(0);
  if (c === 34 /* " */ || c === 91 /* [ */ || c === 123 /* { */) {
    try {
      return { v: JSON.parse(raw) as unknown };
    } catch {
      return undefined; // not JSON: let the YAML parser decide
    }
  }
  if (raw === 'true') return { v: true };
  if (raw === 'false') return { v: false };
  if (/^(?:0|[1-9][0-9]*)$/.test(raw)) return { v: Number(raw) };
  if (plainSafe(raw)) return { v: raw };
  return undefined;
}

/**
 * Read a sidecar written in the canonical layout into plain data (not yet validated), or undefined
 * if the text deviates from it anywhere.
 */
export function canonicalParse(text: string): Record<string, unknown> | undefined {
  if (text.length > 0 && !text.endsWith('\n')) return undefined;
  const lines = text.split('\n');
  lines.pop();
  const root: Record<string, unknown> = {};
  let list: Record<string, unknown>[] | undefined;
  let item: Record<string, unknown> | undefined;
  let target: Record<string, unknown> | undefined;
  let i = 0;
  if (lines[0] === CANONICAL_HEADER) i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      target = undefined;
      continue;
    }
    if (line.startsWith('      ')) {
      if (!target) return undefined;
      const m = KEY_LINE.exec(line.slice(6));
      if (!m || m[2] === undefined) return undefined;
      const val = readValue(m[2]);
      if (!val || m[1]! in target) return undefined;
      target[m[1]!] = val.v;
      continue;
    }
    if (line.startsWith('  - ') || line.startsWith('    ')) {
      if (!list) return undefined;
      if (line.startsWith('  - ')) {
        item = {};
        list.push(item);
      }
      if (!item) return undefined;
      target = undefined;
      const m = KEY_LINE.exec(line.slice(4));
      if (!m) return undefined;
      const key = m[1]!;
      if (key in item) return undefined;
      if (m[2] === undefined) {
        if (key !== 'target') return undefined;
        target = {};
        item[key] = target;
        continue;
      }
      const val = readValue(m[2]);
      if (!val) return undefined;
      item[key] = val.v;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t') || line.startsWith('#')) return undefined;
    const m = KEY_LINE.exec(line);
    if (!m) return undefined;
    const key = m[1]!;
    if (key in root) return undefined;
    item = undefined;
    target = undefined;
    list = undefined;
    if (m[2] === undefined) {
      if (key !== 'annotations' && key !== 'corrections') return undefined;
      list = [];
      root[key] = list;
      continue;
    }
    const val = readValue(m[2]);
    if (!val) return undefined;
    root[key] = val.v;
  }
  return root;
}
