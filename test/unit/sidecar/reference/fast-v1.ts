/**
 * FROZEN REFERENCE — do not edit. The canonical reader/writer as it was before the speed-up of the
 * load/save paths (src/core/sidecar/fast.ts as of commit 2c1616d), kept so that
 * test/unit/sidecar/fast-equivalence.test.ts can check that the fast code reads the same data,
 * flags the same files canonical and writes the same bytes for every input.
 */
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
import type { Annotation, Correction, Sidecar, Target } from '../../../../src/core/sidecar/model';
import { ANNOTATION_KEYS, CORRECTION_KEYS, compareIds } from '../../../../src/core/sidecar/model';

export const CANONICAL_HEADER = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.';

const NUMBERISH = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const RESERVED = /^(?:true|false|null|True|TRUE|False|FALSE|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Characters the writers always escape: controls, invisible ones and the Unicode line/paragraph separators. */
export const UNSAFE_CHARS = /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g;
export const escapeUnsafe = (text: string): string =>
  text.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

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
  return escapeUnsafe(JSON.stringify(s));
}

/** JSON in YAML's own flow spacing (`[ "a", "b" ]`, `{ "k": 1 }`), so a YAML re-render keeps it byte for byte. */
function json(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map((x) => json(x)).join(', ')} ]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${json(k)}: ${json(x)}`).join(', ')} }`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  return escapeUnsafe(JSON.stringify(v) ?? 'null');
}

function value(v: unknown): string {
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
function keyText(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : json(k);
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
      if (v === undefined || keys.includes(k)) continue;
      line(keyText(k), value(v));
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
      if (v !== undefined) out.push(`${keyText(k)}: ${value(v)}`);
    }
  }
  return out.join('\n') + '\n';
}

const KNOWN_TOP = ['version', 'source', 'hash', 'annotations', 'corrections'];
const KNOWN_TARGET = ['exact', 'prefix', 'suffix', 'start', 'end'];

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

/** `raw` (a JSON string literal with escapes) is what the writer writes for its value. */
function writerEscapes(raw: string): boolean {
  try {
    return scalar(JSON.parse(raw) as string) === raw;
  } catch {
    return false; // not a JSON escape at all (the YAML parser reads it)
  }
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

export interface CanonicalRead {
  data: Record<string, unknown>;
  /** The text is byte for byte what `canonicalStringify` writes for this data (so it can be rewritten wholesale). */
  canonical: boolean;
}

/**
 * Read a sidecar written in the canonical layout into plain data (not yet validated), or undefined
 * if the text deviates from the layout anywhere (then the full YAML parser reads it). Lines are
 * turned into one JSON text, parsed natively in one go.
 */
export function canonicalParse(text: string): CanonicalRead | undefined {
  if (text.length > 0 && !text.endsWith('\n')) return undefined;
  const lines = text.split('\n');
  lines.pop();
  const out: string[] = ['{'];
  let canonical = true;
  let i = 0;
  if (lines[0] === CANONICAL_HEADER) i = 1;
  else canonical = false;
  type Mode = 'root' | 'list' | 'item' | 'target';
  let mode: Mode = 'root';
  const rootKeys: string[] = [];
  let rootRank = -1;
  let rootExtra = false;
  let listName = '';
  let listFirst = true;
  let listKeys: readonly string[] = [];
  let prevId = '';
  let itemKeys: string[] = [];
  let itemRank = -1;
  let itemExtra = false;
  let targetCount = 0;
  let blank = false;
  let emptyListCanon = false;

  const closeTarget = (): void => {
    if (mode === 'target') {
      out.push('}');
      if (targetCount !== 5) canonical = false;
      mode = 'item';
    }
  };
  const closeItem = (): void => {
    closeTarget();
    if (mode === 'item') {
      out.push('}');
      mode = 'list';
    }
  };
  const closeList = (): void => {
    closeItem();
    if (mode === 'list') {
      out.push(']');
      if (listFirst) canonical = false; // `annotations:` with no items (the writer writes `[]`)
      mode = 'root';
    }
  };
  /** The JSON for a value, or undefined if it is outside the canonical subset. */
  const jsonValue = (raw: string, key: string): string | undefined => {
    const c0 = raw.charCodeAt(0);
    if (c0 === 34) {
      if (!singleJsonString(raw)) return undefined;
      if (raw.indexOf('\\') === -1) {
        if (plainSafe(raw.slice(1, -1))) canonical = false; // the writer would not quote it
      } else if (canonical && !writerEscapes(raw)) canonical = false; // an escape the writer would not write
      return raw;
    }
    if (c0 === 91 || c0 === 123) {
      try {
        const v = JSON.parse(raw) as unknown;
        if (canonical && json(v) !== raw) canonical = false;
        return raw;
      } catch {
        return undefined; // not JSON flow: the YAML parser decides
      }
    }
    if (raw === 'true' || raw === 'false') {
      if (key === 'orphan' && raw === 'false') canonical = false;
      return raw;
    }
    if (((c0 >= 48 && c0 <= 57) || c0 === 45) && /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(raw)) return raw;
    return plainSafe(raw) ? `"${raw}"` : undefined;
  };
  /** Split `key: value` (value '' when the line is `key:`). */
  const split = (rest: string): [string, string] | undefined => {
    const colon = rest.indexOf(':');
    if (colon <= 0) return undefined;
    const key = rest.slice(0, colon);
    if (!validKey(key)) return undefined;
    if (colon === rest.length - 1) return [key, ''];
    if (rest.charCodeAt(colon + 1) !== 32 || rest.charCodeAt(colon + 2) === 32 || colon + 2 >= rest.length) return undefined;
    return [key, rest.slice(colon + 2)];
  };

  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      blank = true;
      continue;
    }
    const isItemStart = line.startsWith('  - ');
    if (blank !== (isItemStart && !listFirst && mode !== 'root')) canonical = false;
    blank = false;
    if (line.startsWith('      ')) {
      if (mode !== 'target') return undefined;
      const kv = split(line.slice(6));
      if (!kv || !kv[1]) return undefined;
      const v = jsonValue(kv[1], kv[0]);
      if (v === undefined) return undefined;
      if (KNOWN_TARGET[targetCount] !== kv[0]) canonical = false;
      targetCount++;
      out.push(`${targetCount > 1 ? ',' : ''}"${kv[0]}":${v}`);
      continue;
    }
    if (isItemStart || line.startsWith('    ')) {
      if (isItemStart) {
        closeItem();
        if (mode !== 'list') return undefined;
        out.push(listFirst ? '{' : ',{');
        listFirst = false;
        mode = 'item';
        itemKeys = [];
        itemRank = -1;
        itemExtra = false;
      } else {
        closeTarget();
        if (mode !== 'item') return undefined;
      }
      const kv = split(line.slice(4));
      if (!kv) return undefined;
      const [key, raw] = kv;
      if (itemKeys.includes(key)) return undefined;
      itemKeys.push(key);
      const rank = listKeys.indexOf(key);
      if (rank >= 0) {
        if (rank <= itemRank || itemExtra) canonical = false;
        itemRank = rank;
      } else itemExtra = true;
      if (isItemStart && key !== 'id') canonical = false;
      const sep = itemKeys.length > 1 ? ',' : '';
      if (raw === '') {
        if (key !== 'target') return undefined;
        out.push(`${sep}"target":{`);
        mode = 'target';
        targetCount = 0;
        continue;
      }
      const v = jsonValue(raw, key);
      if (v === undefined) return undefined;
      if (key === 'id') {
        let id = v;
        if (v.charCodeAt(0) === 34) {
          try {
            id = JSON.parse(v) as string;
          } catch {
            return undefined; // not a valid JSON string: the YAML parser reports it
          }
        }
        if (id <= prevId) canonical = false;
        prevId = id;
      }
      if (key === 'tags' && raw === '[]') canonical = false;
      out.push(`${sep}"${key}":${v}`);
      continue;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9 || c0 === 35 || c0 === 45) return undefined;
    closeList();
    const kv = split(line);
    if (!kv) return undefined;
    const [key, raw] = kv;
    if (rootKeys.includes(key)) return undefined;
    const sep = rootKeys.length > 0 ? ',' : '';
    rootKeys.push(key);
    const rank = KNOWN_TOP.indexOf(key);
    if (rank >= 0) {
      if (rank <= rootRank || rootExtra) canonical = false;
      rootRank = rank;
    } else rootExtra = true;
    if (raw === '') {
      if (key !== 'annotations' && key !== 'corrections') return undefined;
      out.push(`${sep}"${key}":[`);
      mode = 'list';
      listName = key;
      listFirst = true;
      listKeys = key === 'annotations' ? ANNOTATION_KEYS : CORRECTION_KEYS;
      prevId = '';
      continue;
    }
    const v = jsonValue(raw, key);
    if (v === undefined) return undefined;
    if (key === 'annotations' && raw === '[]') emptyListCanon = true;
    else if ((key === 'annotations' || key === 'corrections')) canonical = false;
    out.push(`${sep}"${key}":${v}`);
  }
  closeList();
  if (blank) canonical = false;
  out.push('}');
  if (!rootKeys.includes('annotations')) canonical = false;
  void listName;
  void emptyListCanon;
  let data: unknown;
  try {
    data = JSON.parse(out.join(''));
  } catch {
    return undefined; // something the line reader let through that is not JSON after all
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return { data: data as Record<string, unknown>, canonical };
}
