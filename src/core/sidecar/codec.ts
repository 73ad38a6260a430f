/**
 * YAML codec for sidecars, built on the `yaml` package's Document API.
 *
 * - `parseSidecar(text)` validates and returns the model *and* the parsed `Document`.
 * - `updateSidecarDocument(doc, sidecar)` edits that Document in place: only the keys whose value
 *   changed are replaced, annotations are matched by `id`, new ones are inserted at their sorted
 *   position, removed ones deleted. Comments, key order and unknown keys elsewhere survive.
 * - `stringifySidecarDocument(doc)` renders with fixed options, so the same data gives the same bytes.
 * - `serializeSidecar(sidecar, previous?)` = the two above (a fresh Document when there is none).
 *   A file in the canonical layout (everything Marginalia writes, see `./fast`) is written by the
 *   canonical writer instead; given the ParsedSidecar it was read into, items that still hold what
 *   was read are copied from that text rather than written again (same bytes).
 */
import { Document, isMap, isScalar, isSeq, Lexer, LineCounter, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { ENTITY_TYPES } from '../types';
import type { EntityType } from '../types';
import {
  ANNOTATION_KEYS, ANNOTATION_KINDS, CORRECTION_ACTIONS, CORRECTION_KEYS, EVIDENCE_KEYS, EVIDENCE_RELATIONS, SIDECAR_VERSION, compareIds, getOwn, isClaimDate, setOwn,
} from './model';
import type { Annotation, AnnotationKind, ConflictList, ConflictValue, Correction, CorrectionAction, Evidence, EvidenceRelation, Sidecar, Target } from './model';
import { isSafeRelativePath } from './paths';
import { canonicalParse, canonicalStringify, escapeUnsafe, evidenceRecord, hasUnsafe, reuseBlocks } from './fast';
export { evidenceRecord };
import type { BlockReuse } from './fast';

export interface SidecarLimits {
  /** Largest sidecar accepted, in UTF-8 bytes. Default 5 MB. */
  maxBytes?: number;
  /** Largest number of alias expansions (YAML "billion laughs" guard). Default 100. */
  maxAliasCount?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_ALIAS_COUNT = 100;

export type SidecarErrorCode =
  | 'too-large'
  | 'conflict-markers'
  | 'syntax'
  | 'alias-limit'
  | 'schema'
  | 'duplicate-id';

/** A problem with a sidecar's text. `line`/`column` are 1-based. */
export interface SidecarIssue {
  code: SidecarErrorCode;
  message: string;
  line: number;
  column: number;
}

export interface ParsedSidecar {
  sidecar: Sidecar;
  /**
   * The parsed YAML Document (built on first access for files read by the fast path); pass the
   * ParsedSidecar (or this) to `serializeSidecar` to keep the user's comments and layout.
   */
  readonly doc: Document;
  /** The file is exactly in the canonical layout (`canonicalStringify` of its data): saving may rewrite it wholesale. */
  readonly canonical: boolean;
  /** The text that was parsed. */
  readonly text: string;
  /** Set when the sidecar must not be written (a newer format version); the message says why. */
  readOnly?: string;
}

export type SidecarParseResult = { ok: true; value: ParsedSidecar } | { ok: false; error: SidecarIssue };

const TARGET_KEYS = ['exact', 'prefix', 'suffix', 'start', 'end'] as const;
const TOP_KEYS = ['version', 'source', 'hash', 'annotations', 'corrections', 'conflict'] as const;
/** Top-level keys never taken from `extra` (a `conflict` there is a user's key of another shape). */
const FIXED_TOP: readonly string[] = ['version', 'source', 'hash', 'annotations', 'corrections'];

const STRINGIFY_OPTIONS = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true } as const;

/** UTF-8 byte length without allocating. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * The line (1-based) of the first git conflict block, or 0. A block is a `<<<<<<<` line followed
 * by a `=======` line and a `>>>>>>>` line (all at column 0), so a lone marker-like text is not one.
 */
export function findConflictMarker(text: string): number {
  if (text.indexOf('<<<<<<<') === -1) return 0; // (a quick no before the line-anchored search)
  const start = /^<{7}(?:[ \t].*)?$/m.exec(text);
  if (!start) return 0;
  const rest = text.slice(start.index);
  const mid = /^(?:={7}|\|{7}(?:[ \t].*)?)$/m.exec(rest);
  if (!mid) return 0;
  if (!/^>{7}(?:[ \t].*)?$/m.test(rest.slice(mid.index))) return 0;
  let line = 1;
  for (let i = 0; i < start.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

class SchemaError extends Error {
  constructor(message: string, readonly path: (string | number)[]) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * The source text of the plain scalar at `path` when YAML read it as something other than a string
 * (`0012`, `1.10`, `yes`, `~`, `0x1F`…), or undefined. The fast reader never needs it (it hands
 * such files to the YAML parser); the Document path looks the node up.
 */
type SourceOf = (path: (string | number)[]) => string | undefined;
let sourceOf: SourceOf = () => undefined;

/** A scalar the model keeps as text: the text the user typed, whatever YAML would make of it. */
function textOf(v: unknown, path: (string | number)[]): string | undefined {
  if (typeof v === 'string') return v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    const src = sourceOf(path);
    if (src !== undefined && src !== '') return src;
    return v === null ? undefined : String(v);
  }
  return undefined;
}

function str(obj: Record<string, unknown>, key: string, path: (string | number)[], required = false): string | undefined {
  const v = getOwn(obj, key);
  // Plain scalars such as `verdict: true`, `author: 1.10` or `note: 0012` are read as the text the user typed.
  const t = v === undefined ? undefined : textOf(v, [...path, key]);
  if (t === undefined) {
    if (v === undefined || v === null) {
      if (required) throw new SchemaError(`${pathText(path)}: missing required \`${key}\``, path);
      return undefined;
    }
    throw new SchemaError(`${pathText([...path, key])}: expected a string`, [...path, key]);
  }
  return t;
}

function int(obj: Record<string, unknown>, key: string, path: (string | number)[]): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new SchemaError(`${pathText([...path, key])}: expected a non-negative integer`, [...path, key]);
  }
  return v;
}

function readTarget(v: unknown, path: (string | number)[]): Target {
  if (!isPlainObject(v)) throw new SchemaError(`${pathText(path)}: expected a mapping with exact, prefix, suffix, start, end`, path);
  const exact = str(v, 'exact', path, true)!;
  const start = int(v, 'start', path);
  const end = int(v, 'end', path);
  if (end < start) throw new SchemaError(`${pathText([...path, 'end'])}: end is before start`, [...path, 'end']);
  return { exact, prefix: str(v, 'prefix', path) ?? '', suffix: str(v, 'suffix', path) ?? '', start, end };
}

function readExtra(obj: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) setOwn((extra ??= {}), k, obj[k]); // (`__proto__` too: an own key, not the prototype)
  }
  return extra;
}

/** A `conflict:` value: one mapping, or a non-empty list of mappings. */
function readConflict(v: unknown, path: (string | number)[]): ConflictValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (isPlainObject(v)) return v;
  if (Array.isArray(v) && v.length > 0) {
    v.forEach((x, i) => {
      if (!isPlainObject(x)) throw new SchemaError(`${pathText([...path, i])}: expected a mapping (one recorded conflict)`, [...path, i]);
    });
    return v as ConflictList;
  }
  throw new SchemaError(`${pathText(path)}: expected a mapping or a list of mappings`, path);
}

function readCommon(obj: Record<string, unknown>, path: (string | number)[], out: Annotation | Correction): void {
  const author = str(obj, 'author', path);
  if (author !== undefined) out.author = author;
  const created = str(obj, 'created', path);
  if (created !== undefined) out.created = created;
  const orphan = getOwn(obj, 'orphan');
  if (orphan !== undefined && orphan !== null) {
    if (typeof orphan !== 'boolean') throw new SchemaError(`${pathText([...path, 'orphan'])}: expected true or false`, [...path, 'orphan']);
    if (orphan) out.orphan = true;
  }
  const conflict = readConflict(getOwn(obj, 'conflict'), [...path, 'conflict']);
  if (conflict !== undefined) out.conflict = conflict;
}

function readAnnotation(v: unknown, path: (string | number)[]): Annotation {
  if (!isPlainObject(v)) throw new SchemaError(`${pathText(path)}: expected an annotation (a mapping)`, path);
  const id = str(v, 'id', path, true)!;
  if (!id) throw new SchemaError(`${pathText([...path, 'id'])}: empty id`, [...path, 'id']);
  const kind = str(v, 'kind', path, true)!;
  if (!(ANNOTATION_KINDS as readonly string[]).includes(kind)) {
    throw new SchemaError(`${pathText([...path, 'kind'])}: unknown kind "${kind}" (expected one of ${ANNOTATION_KINDS.join(', ')})`, [...path, 'kind']);
  }
  const a: Annotation = { id, kind: kind as AnnotationKind, target: readTarget(getOwn(v, 'target'), [...path, 'target']) };
  const tags = getOwn(v, 'tags');
  if (tags !== undefined && tags !== null) {
    const texts = Array.isArray(tags) ? tags.map((t, j) => (typeof t === 'object' && t !== null ? undefined : textOf(t, [...path, 'tags', j]))) : undefined;
    if (!texts || texts.some((t) => t === undefined)) {
      throw new SchemaError(`${pathText([...path, 'tags'])}: expected a list of strings`, [...path, 'tags']);
    }
    a.tags = texts as string[];
  }
  const verdict = str(v, 'verdict', path);
  if (verdict !== undefined) a.verdict = verdict;
  const claimant = str(v, 'claimant', path);
  if (claimant !== undefined) a.claimant = claimant;
  const claimDate = str(v, 'claimDate', path);
  if (claimDate !== undefined) {
    if (!isClaimDate(claimDate)) throw new SchemaError(`${pathText([...path, 'claimDate'])}: expected an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)`, [...path, 'claimDate']);
    a.claimDate = claimDate;
  }
  const appearance = str(v, 'appearance', path);
  if (appearance !== undefined) a.appearance = appearance;
  const note = str(v, 'note', path);
  if (note !== undefined) a.note = note;
  readCommon(v, path, a);
  const modified = str(v, 'modified', path);
  if (modified !== undefined) a.modified = modified;
  const evidence = getOwn(v, 'evidence');
  if (evidence !== undefined && evidence !== null) {
    if (!Array.isArray(evidence)) throw new SchemaError(`${pathText([...path, 'evidence'])}: expected a list of evidence links`, [...path, 'evidence']);
    a.evidence = evidence.map((e, j) => readEvidence(e, [...path, 'evidence', j]));
  }
  const extra = readExtra(v, ANNOTATION_KEYS);
  if (extra) a.extra = extra;
  return a;
}


/** One evidence link: `{relation, source, target, orphan?}` (unknown keys kept in `extra`). */
function readEvidence(v: unknown, path: (string | number)[]): Evidence {
  if (!isPlainObject(v)) throw new SchemaError(`${pathText(path)}: expected an evidence link (a mapping with relation, source, target)`, path);
  const relation = str(v, 'relation', path, true)!;
  if (!(EVIDENCE_RELATIONS as readonly string[]).includes(relation)) {
    throw new SchemaError(`${pathText([...path, 'relation'])}: unknown relation "${relation}" (expected one of ${EVIDENCE_RELATIONS.join(', ')})`, [...path, 'relation']);
  }
  const source = str(v, 'source', path, true)!;
  if (!isSafeRelativePath(source) || source.split(/[\\/]/).includes('..')) {
    throw new SchemaError(`${pathText([...path, 'source'])}: expected a workspace-relative path (no leading /, no ..)`, [...path, 'source']);
  }
  const e: Evidence = { relation: relation as EvidenceRelation, source, target: readTarget(getOwn(v, 'target'), [...path, 'target']) };
  const orphan = getOwn(v, 'orphan');
  if (orphan !== undefined && orphan !== null) {
    if (typeof orphan !== 'boolean') throw new SchemaError(`${pathText([...path, 'orphan'])}: expected true or false`, [...path, 'orphan']);
    if (orphan) e.orphan = true;
  }
  const extra = readExtra(v, EVIDENCE_KEYS);
  if (extra) e.extra = extra;
  return e;
}

function readCorrection(v: unknown, path: (string | number)[]): Correction {
  if (!isPlainObject(v)) throw new SchemaError(`${pathText(path)}: expected a correction (a mapping)`, path);
  const id = str(v, 'id', path, true)!;
  if (!id) throw new SchemaError(`${pathText([...path, 'id'])}: empty id`, [...path, 'id']);
  const action = str(v, 'action', path, true)!;
  if (!(CORRECTION_ACTIONS as readonly string[]).includes(action)) {
    throw new SchemaError(`${pathText([...path, 'action'])}: unknown action "${action}" (expected one of ${CORRECTION_ACTIONS.join(', ')})`, [...path, 'action']);
  }
  const c: Correction = { id, action: action as CorrectionAction, target: readTarget(getOwn(v, 'target'), [...path, 'target']) };
  const scope = str(v, 'scope', path);
  if (scope !== undefined) {
    if (scope !== 'all' && scope !== 'this') throw new SchemaError(`${pathText([...path, 'scope'])}: expected "all" or "this"`, [...path, 'scope']);
    c.scope = scope;
  }
  const type = str(v, 'type', path);
  if (type !== undefined) {
    if (!(ENTITY_TYPES as readonly string[]).includes(type)) {
      throw new SchemaError(`${pathText([...path, 'type'])}: unknown entity type "${type}" (expected one of ${ENTITY_TYPES.join(', ')})`, [...path, 'type']);
    }
    c.type = type as EntityType;
  }
  if (action === 'entity-type' && c.type === undefined) throw new SchemaError(`${pathText(path)}: an entity-type correction needs \`type\``, path);
  const canonical = str(v, 'canonical', path);
  if (canonical !== undefined) c.canonical = canonical;
  if (action === 'merge' && !c.canonical) throw new SchemaError(`${pathText(path)}: a merge correction needs \`canonical\``, path);
  const speaker = str(v, 'speaker', path);
  if (speaker !== undefined) c.speaker = speaker;
  if (action === 'speaker' && c.speaker === undefined) throw new SchemaError(`${pathText(path)}: a speaker correction needs \`speaker\``, path);
  readCommon(v, path, c);
  const extra = readExtra(v, CORRECTION_KEYS);
  if (extra) c.extra = extra;
  return c;
}

function nodePosition(doc: Document, lc: LineCounter, path: (string | number)[]): { line: number; column: number } {
  // Walk down as far as the path exists; point at the deepest node found (or its key).
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as YamlNode | undefined);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lc.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

/** Parse and validate a sidecar. Never throws for bad input: every problem is a `SidecarIssue`. */
export function parseSidecar(text: string, limits: SidecarLimits = {}): SidecarParseResult {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxAliasCount = limits.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    return { ok: false, error: { code: 'too-large', line: 1, column: 1,
      message: `Sidecar is larger than the limit of ${maxBytes} bytes (setting marginalia.sidecar.maxSizeMB).` } };
  }
  const conflictLine = findConflictMarker(text);
  if (conflictLine) {
    return { ok: false, error: { code: 'conflict-markers', line: conflictLine, column: 1,
      message: 'Sidecar contains git conflict markers. Resolve them by hand, or let git merge sidecars with the Marginalia merge driver (`marginalia merge-driver %O %A %B`, see the README).' } };
  }
  // Fast path: files in the canonical layout (everything Marginalia writes) are read line by line.
  const fast = canonicalParse(text);
  // (a file with a value the line reader cannot keep exactly — `author: 1.10`, a 20-digit number — is
  // read by the YAML parser, which keeps each value's source text)
  if (fast && !fast.lossy) {
    try {
      const sidecar = readSidecarData(fast.data);
      if (!duplicateId(sidecar, fast.annotationIdsIncreasing === true)) {
        const value = makeParsed(sidecar, text, undefined, fast.canonical);
        if (fast.canonical) blockReuse.set(value, reuseBlocks(text, fast));
        return { ok: true, value };
      }
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err;
      // fall through: the full parser reports the problem with its position
    }
  }
  // Block collections nested very deep (`- - - - …`, a few KB) overflow the YAML parser's stack,
  // which in V8 can even abort the process: refuse them before parsing.
  // Flow collections (`[[[[…`, `{a: {a: …`) likewise.
  const deepAt = yamlNestingBeyondLimit(text);
  if (deepAt >= 0) {
    let line = 1;
    for (let i = 0; i < deepAt; i++) if (text.charCodeAt(i) === 10) line++;
    return { ok: false, error: { code: 'syntax', line, column: 1, message: `YAML syntax error: collections nested too deeply (more than ${MAX_NESTING} levels); the sidecar was not read.` } };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
    const firstLine = e.message.split('\n')[0] ?? e.message;
    return { ok: false, error: { code: 'syntax', line: pos.line, column: pos.col, message: `YAML syntax error: ${firstLine}` } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (err) {
    return { ok: false, error: { code: 'alias-limit', line: 1, column: 1,
      message: `Sidecar rejected: ${err instanceof Error ? err.message : String(err)} (more than ${maxAliasCount} alias expansions).` } };
  }
  try {
    const sidecar = readSidecarData(data, (path) => {
      const node = doc.getIn(path, true) as unknown;
      return isScalar(node) && typeof node.value !== 'string' && node.type === Scalar.PLAIN ? node.source : undefined;
    });
    const dup = duplicateId(sidecar);
    if (dup) {
      const pos = nodePosition(doc, lc, [dup.list, dup.index, 'id']);
      return { ok: false, error: { code: 'duplicate-id', ...pos, message: `${dup.list}[${dup.index}].id: duplicate id "${dup.id}"` } };
    }
    return { ok: true, value: makeParsed(sidecar, text, doc, false) };
  } catch (err) {
    if (err instanceof SchemaError) {
      const pos = nodePosition(doc, lc, err.path);
      return { ok: false, error: { code: 'schema', ...pos, message: `Invalid sidecar: ${err.message}` } };
    }
    throw err;
  }
}

/**
 * Documents handed out for canonical files: a stand-in that parses the real Document only if
 * someone actually looks inside it. `serializeSidecar(sidecar, doc)` with an untouched stand-in
 * takes the fast canonical path (the file has no comments or custom layout to keep).
 */
const untouchedCanonical = new WeakSet<object>();

/**
 * For canonical files (by ParsedSidecar, and by its Document stand-in): the blocks read, so that
 * saving writes unchanged items back as they were (same bytes, less work).
 */
const blockReuse = new WeakMap<object, BlockReuse>();

function lazyDocument(text: string): Document {
  let real: Document | undefined;
  const get = (): Document => {
    if (!real) {
      real = parseDocument(text, { uniqueKeys: true });
      untouchedCanonical.delete(proxy);
    }
    return real;
  };
  const proxy: Document = new Proxy(Object.create(Document.prototype) as Document, {
    get: (_t, key) => {
      const d = get();
      const v = Reflect.get(d, key, d) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(d) : v;
    },
    set: (_t, key, value) => Reflect.set(get(), key, value),
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const desc = Reflect.getOwnPropertyDescriptor(get(), key);
      if (desc) desc.configurable = true;
      return desc;
    },
  });
  untouchedCanonical.add(proxy);
  return proxy;
}

function makeParsed(sidecar: Sidecar, text: string, doc: Document | undefined, canonical: boolean): ParsedSidecar {
  let d = doc;
  const value: ParsedSidecar = {
    sidecar,
    text,
    canonical,
    get doc(): Document {
      if (!d) {
        d = canonical ? lazyDocument(text) : parseDocument(text, { uniqueKeys: true });
        // (the stand-in of a canonical file saves like the ParsedSidecar: same reused blocks)
        const reuse = blockReuse.get(value);
        if (reuse) blockReuse.set(d, reuse);
      }
      return d;
    },
  };
  if (sidecar.version > SIDECAR_VERSION) {
    value.readOnly = `This sidecar uses format version ${sidecar.version}; this Marginalia writes version ${SIDECAR_VERSION}. Its annotations are shown read-only: update Marginalia to edit them.`;
  }
  return value;
}

function duplicateId(sidecar: Sidecar, knownIncreasing = false): { list: 'annotations' | 'corrections'; index: number; id: string } | undefined {
  const anns = sidecar.annotations;
  // (knownIncreasing: the reader saw string ids, each greater than the one before; the model's ids are those strings)
  let increasing = true;
  if (!knownIncreasing) for (let i = 1; i < anns.length && increasing; i++) increasing = anns[i - 1]!.id < anns[i]!.id;
  if (increasing) {
    // Annotations sorted by id (every file Marginalia writes): none repeats; a correction's id is
    // looked up by binary search, so the first duplicate found is the one the loop below finds.
    const seen = new Set<string>();
    const items = sidecar.corrections;
    for (let i = 0; i < items.length; i++) {
      const id = items[i]!.id;
      let lo = 0;
      let hi = anns.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (anns[mid]!.id < id) lo = mid + 1;
        else hi = mid;
      }
      if (seen.has(id) || (lo < anns.length && anns[lo]!.id === id)) return { list: 'corrections', index: i, id };
      seen.add(id);
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (const list of ['annotations', 'corrections'] as const) {
    const items = sidecar[list];
    for (let i = 0; i < items.length; i++) {
      const id = items[i]!.id;
      if (seen.has(id)) return { list, index: i, id };
      seen.add(id);
    }
  }
  return undefined;
}

/** Validate plain data (from either parser) into the model; throws SchemaError with a path. */
function readSidecarData(data: unknown, source?: SourceOf): Sidecar {
  const before = sourceOf;
  if (source) sourceOf = source;
  try {
    return readSidecarValue(data);
  } finally {
    sourceOf = before;
  }
}

function readSidecarValue(data: unknown): Sidecar {
  if (!isPlainObject(data)) throw new SchemaError('a sidecar must be a mapping with version, source and annotations', []);
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SchemaError('version: expected a positive integer (the sidecar format version)', ['version']);
  }
  const source = str(data, 'source', [], true)!;
  const hash = str(data, 'hash', []);
  const readList = <T>(key: string, read: (v: unknown, p: (string | number)[]) => T): T[] => {
    const list = getOwn(data, key);
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw new SchemaError(`${key}: expected a list`, [key]);
    return list.map((v, i) => read(v, [key, i]));
  };
  const sidecar: Sidecar = { version, source, annotations: readList('annotations', readAnnotation), corrections: readList('corrections', readCorrection) };
  if (hash !== undefined) sidecar.hash = hash;
  // (a top-level `conflict` of another shape is a key of the user's, as before the merge driver wrote one: kept in extra)
  let conflict: ConflictValue | undefined;
  try {
    conflict = readConflict(getOwn(data, 'conflict'), ['conflict']);
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
  }
  if (conflict !== undefined) sidecar.conflict = conflict;
  const extra = readExtra(data, conflict !== undefined ? TOP_KEYS : FIXED_TOP);
  if (extra) sidecar.extra = extra;
  return sidecar;
}

/** Deepest nesting of flow collections the reader takes (block nesting: see the check in `parseSidecar`). */
const MAX_NESTING = 64;

/**
 * Where YAML collections nest beyond 64 levels (block `- - - …` or indentation, or flow `[[[…`,
 * `{a: {a: …`), or -1. The YAML parser recurses on nesting: every YAML reader checks this first.
 */
export function yamlNestingBeyondLimit(text: string): number {
  const deep = /^(?:[ \t]*[-?:](?:[ \t]+|$)){64}|^[ \t]{1000}/m.exec(text);
  return deep ? deep.index : deepFlow(text, MAX_NESTING);
}

/**
 * The offset where flow collections (`[`, `{`) nest deeper than `max`, or -1. Read with the yaml
 * lexer (iterative, no recursion): brackets inside quoted strings, block scalars, plain text
 * (`note: see [1`) and comments do not count.
 */
function deepFlow(text: string, max: number): number {
  // Quick no: fewer brackets than the limit.
  let count = 0;
  for (let i = text.indexOf('['); i >= 0 && count <= max; i = text.indexOf('[', i + 1)) count++;
  for (let i = text.indexOf('{'); i >= 0 && count <= max; i = text.indexOf('{', i + 1)) count++;
  if (count <= max) return -1;
  let depth = 0;
  let offset = 0;
  for (const tok of new Lexer().lex(text)) {
    if (tok.length === 1) {
      const c = tok.charCodeAt(0);
      if (c === 91 || c === 123) {
        if (++depth > max) return offset;
      } else if ((c === 93 || c === 125) && depth > 0) depth--;
      else if (c === 2 || c === 0x18 || c === 0x1f) continue; // the lexer's own control tokens (not in the text)
    }
    offset += tok.length;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Writing

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
export { deepEqual as sidecarValuesEqual };

/** An annotation/correction as the ordered record written to YAML (known keys first, then extra). */
function toRecord(item: Annotation | Correction, keys: readonly string[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  const obj = item as unknown as Record<string, unknown>;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if (k === 'orphan' && v !== true) continue;
    if (k === 'tags' && Array.isArray(v) && v.length === 0) continue;
    if (k === 'target') {
      const t = v as Target;
      out.push([k, Object.fromEntries(TARGET_KEYS.map((tk) => [tk, t[tk]]))]);
    } else if (k === 'evidence' && Array.isArray(v)) {
      if (v.length > 0) out.push([k, (v as Evidence[]).map(evidenceRecord)]);
    } else out.push([k, v]);
  }
  if (item.extra) for (const [k, v] of Object.entries(item.extra)) if (!keys.includes(k) && v !== undefined) out.push([k, v]);
  return out;
}

/** An object with these entries (`__proto__` as an own key). */
function objectOf(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) setOwn(o, k, v);
  return o;
}

/**
 * The node already holds `v` as the model reads it: a plain scalar the model keeps as text
 * (`0012`, `1.10`, `yes`) holds the string of its source text. Then the node (its text, style and
 * comments) is kept as it is.
 */
function nodeHolds(node: unknown, v: unknown): boolean {
  if (isScalar(node)) {
    if (node.value === v) return true;
    if (typeof v === 'string' && typeof node.value !== 'string' && node.type === Scalar.PLAIN && node.source) return node.source === v;
    return false;
  }
  if (isSeq(node)) {
    if (!Array.isArray(v) || v.length !== node.items.length) return false;
    for (let i = 0; i < v.length; i++) if (!nodeHolds(node.items[i], v[i])) return false;
    return true;
  }
  if (isMap(node)) {
    if (!isPlainObject(v)) return false;
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length !== node.items.length) return false;
    for (const pair of node.items) {
      const k = keyOf(pair);
      if (!Object.prototype.hasOwnProperty.call(v, k) || !nodeHolds(pair.value, v[k])) return false;
    }
    return true;
  }
  return deepEqual(nodeValue(node), v);
}

function nodeValue(node: unknown): unknown {
  if (node && typeof node === 'object' && 'toJSON' in node && typeof (node as { toJSON: () => unknown }).toJSON === 'function') {
    return (node as { toJSON: () => unknown }).toJSON();
  }
  return node;
}

function keyOf(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? (typeof k.value === 'string' ? k.value : String(k.value)) : String(k);
}

/** Update `map` in place so that it holds exactly `entries`; unchanged keys keep their nodes (and comments). */
function updateMap(doc: Document, map: YAMLMap, entries: [string, unknown][], order: readonly string[]): void {
  const wanted = new Map(entries);
  // Delete keys no longer present.
  for (let i = map.items.length - 1; i >= 0; i--) {
    if (!wanted.has(keyOf(map.items[i]!))) map.items.splice(i, 1);
  }
  for (const [key, value] of entries) {
    const idx = map.items.findIndex((p) => keyOf(p) === key);
    if (idx >= 0) {
      const pair = map.items[idx]!;
      if (isMap(pair.value) && isPlainObject(value)) {
        updateMap(doc, pair.value, Object.entries(value), key === 'target' ? TARGET_KEYS : []);
      } else if (isScalar(pair.value) && !isPlainObject(value) && !Array.isArray(value)) {
        if (!nodeHolds(pair.value, value)) {
          pair.value.value = value;
          pair.value.type = undefined; // let the new text pick its own style (comments stay)
        }
      } else if (!nodeHolds(pair.value, value)) {
        pair.value = doc.createNode(value);
      }
      continue;
    }
    // A new key: insert before the first existing key that comes after it in the canonical order.
    const pair = doc.createPair(key, value);
    const rank = order.indexOf(key);
    let at = map.items.length;
    if (rank >= 0) {
      const j = map.items.findIndex((p) => {
        const r = order.indexOf(keyOf(p));
        return r > rank;
      });
      if (j >= 0) at = j;
    }
    map.items.splice(at, 0, pair as Pair);
  }
}

function idOfNode(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const v = node.get('id');
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function updateList(doc: Document, root: YAMLMap, key: string, items: (Annotation | Correction)[], keys: readonly string[]): void {
  const pair = root.items.find((p) => keyOf(p) === key);
  if (!pair) return;
  if (!isSeq(pair.value)) pair.value = new YAMLSeq(doc.schema);
  const seq = pair.value as YAMLSeq;
  const s = seq;
  const byId = new Map(items.map((it) => [it.id, it]));
  // Remove nodes whose id is gone (or that are not annotations at all).
  s.items = s.items.filter((n) => {
    const id = idOfNode(n);
    return id !== undefined && byId.has(id);
  });
  const present = new Map<string, YAMLMap>();
  for (const n of s.items) present.set(idOfNode(n)!, n as YAMLMap);
  const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
  const fresh: YAMLMap[] = [];
  const freshIds: string[] = [];
  for (const item of sorted) {
    const record = toRecord(item, keys);
    const existing = present.get(item.id);
    if (existing) updateMap(doc, existing, record, keys);
    else {
      fresh.push(doc.createNode(objectOf(record)) as YAMLMap);
      freshIds.push(item.id);
    }
  }
  if (fresh.length > 0) {
    // A list written `[]` (flow style) would put every item inside one `[ {…}, {…} ]`: one block
    // per item instead, so that git diffs stay small.
    seq.flow = false;
    // Each new item goes before the first existing item with a greater id (a sorted file stays sorted).
    const merged: unknown[] = [];
    let f = 0;
    for (const n of s.items) {
      const id = idOfNode(n) ?? '';
      while (f < fresh.length && compareIds(freshIds[f]!, id) < 0) merged.push(fresh[f++]);
      merged.push(n);
    }
    while (f < fresh.length) merged.push(fresh[f++]);
    s.items = merged;
  }
  // One block per item: a blank line between items.
  s.items.forEach((n, i) => {
    if (i > 0) (n as YamlNode).spaceBefore = true;
  });
}

function topEntries(sidecar: Sidecar): [string, unknown][] {
  const out: [string, unknown][] = [['version', sidecar.version], ['source', sidecar.source]];
  if (sidecar.hash !== undefined) out.push(['hash', sidecar.hash]);
  if (sidecar.conflict !== undefined) out.push(['conflict', sidecar.conflict]);
  return out;
}

/** Edit `doc` in place so it represents `sidecar`; untouched parts keep their comments and layout. */
export function updateSidecarDocument(doc: Document, sidecar: Sidecar): void {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as YAMLMap;
  const root = doc.contents as YAMLMap;
  // Scalars at the top: replace in place.
  const existingKeys = root.items.map((p) => keyOf(p));
  const entries: [string, unknown][] = [];
  const scalars = new Map(topEntries(sidecar));
  const extra = sidecar.extra ?? {};
  for (const k of existingKeys) {
    if (scalars.has(k)) entries.push([k, scalars.get(k)]);
    else if (k === 'annotations' || k === 'corrections') entries.push([k, root.get(k, true)]);
    else if (Object.prototype.hasOwnProperty.call(extra, k) && !FIXED_TOP.includes(k)) entries.push([k, extra[k]]);
  }
  for (const [k, v] of scalars) if (!existingKeys.includes(k)) entries.push([k, v]);
  for (const [k, v] of Object.entries(extra)) if (!existingKeys.includes(k) && !scalars.has(k) && !FIXED_TOP.includes(k)) entries.push([k, v]);
  // Keep the list nodes themselves (updateList edits them); updateMap sees them as equal objects.
  const keepNodes = entries.map(([k, v]) => [k, v] as [string, unknown]);
  for (let i = root.items.length - 1; i >= 0; i--) {
    const k = keyOf(root.items[i]!);
    if (!keepNodes.some(([kk]) => kk === k)) root.items.splice(i, 1);
  }
  for (const [k, v] of keepNodes) {
    if (k === 'annotations' || k === 'corrections') continue;
    const pair = root.items.find((p) => keyOf(p) === k);
    if (pair) {
      if (isScalar(pair.value) && !isPlainObject(v) && !Array.isArray(v)) {
        if (!nodeHolds(pair.value, v)) {
          pair.value.value = v;
          pair.value.type = undefined;
        }
      } else if (!nodeHolds(pair.value, v)) pair.value = doc.createNode(v);
    } else {
      const rank = TOP_KEYS.indexOf(k as never);
      let at = root.items.length;
      if (rank >= 0) {
        const j = root.items.findIndex((p) => TOP_KEYS.indexOf(keyOf(p) as never) > rank);
        if (j >= 0) at = j;
      }
      root.items.splice(at, 0, doc.createPair(k, v) as Pair);
    }
  }
  for (const key of ['annotations', 'corrections'] as const) {
    const list = sidecar[key];
    const has = root.items.some((p) => keyOf(p) === key);
    if (!has && (key === 'annotations' || list.length > 0)) {
      const rank = TOP_KEYS.indexOf(key);
      let at = root.items.length;
      const j = root.items.findIndex((p) => TOP_KEYS.indexOf(keyOf(p) as never) > rank);
      if (j >= 0) at = j;
      const pair = doc.createPair(key, new YAMLSeq(doc.schema)) as Pair;
      root.items.splice(at, 0, pair);
    }
    if (root.items.some((p) => keyOf(p) === key)) {
      updateList(doc, root, key, list, key === 'annotations' ? ANNOTATION_KEYS : CORRECTION_KEYS);
    }
  }
}


/**
 * A plain scalar's source text, written back as it was read (`0012`, `1.10`, `0x1F`, a 20-digit
 * number): the yaml package would write the value it read instead (`12`, `1.1`, `0x1f`, `1234…000`).
 * Set as a scalar's value only while the Document is being rendered (see `stringifySidecarDocument`).
 */
class SourceText {
  constructor(readonly source: string) {}
}
const SOURCE_TEXT_TAG = {
  tag: 'tag:marginalia.dev,2026:source-text',
  default: true,
  identify: (v: unknown): boolean => v instanceof SourceText,
  resolve: (s: string): string => s,
  stringify: (node: { value?: unknown }): string => (node.value as SourceText).source,
};

export function stringifySidecarDocument(doc: Document): string {
  // Plain scalars that still hold what was read keep their text (the model keeps `note: 0012` as
  // the text "0012", and unknown keys keep 20-digit numbers): swapped in for the render, then back.
  const swapped: [Scalar, unknown][] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== Scalar.PLAIN || typeof node.value === 'string' || !node.source) return;
      if (!SIMPLE_SOURCE.test(node.source)) return;
      swapped.push([node, node.value]);
      node.value = new SourceText(node.source);
    },
  });
  if (swapped.length === 0) return renderDocument(doc);
  const schema = doc.schema;
  try {
    doc.schema = schema.clone();
    doc.schema.tags = [...doc.schema.tags, SOURCE_TEXT_TAG as never];
    return renderDocument(doc);
  } finally {
    doc.schema = schema;
    for (const [node, value] of swapped) node.value = value;
  }
}

/** One line, no indicator that could change its meaning when written back in another place. */
const SIMPLE_SOURCE = /^[^\s#:,[\]{}&*!|>'"%@`][^\n\r#]*$/;

function renderDocument(doc: Document): string {
  // The yaml package writes controls, invisible characters and U+2028/U+2029 raw even inside
  // double quotes (VS Code then warns of unusual line terminators); the canonical writer escapes
  // them. Put every string holding one in double quotes, then escape them there, so that both
  // paths write the same, editor-safe bytes.
  let found = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (hasUnsafe(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        found = true;
      } else if (BLANK_LINE.test(node.value)) {
        // A line of only spaces would lose them in a block scalar: double quotes keep them.
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  const text = doc.toString(STRINGIFY_OPTIONS);
  if (!found) return text;
  const escaped = escapeUnsafe(text);
  // A raw separator outside a double-quoted string (a key, a comment) must stay as it was:
  // keep the escaped text only when it reads back to the same data.
  return sameData(text, escaped) ? escaped : text;
}

/** A line holding only spaces or tabs (after a line break, or before one). */
const BLANK_LINE = /(?:^|[\n\r])[ \t]+(?:[\n\r]|$)/;

function sameData(a: string, b: string): boolean {
  try {
    return JSON.stringify(parseDocument(a).toJS()) === JSON.stringify(parseDocument(b).toJS());
  } catch {
    return false;
  }
}

/**
 * The YAML text for `sidecar`.
 * - no `previous`, or a `previous` file in the canonical layout: the canonical text (fast, stable);
 * - otherwise the previous Document is edited in place, keeping the user's comments, key order
 *   and unknown keys (pass the `ParsedSidecar`, or its `doc`).
 */
export function serializeSidecar(sidecar: Sidecar, previous?: ParsedSidecar | Document): string {
  if (!previous) return canonicalStringify(sidecar);
  if (previous instanceof Document) {
    if (untouchedCanonical.has(previous)) return canonicalStringify(sidecar, blockReuse.get(previous));
    updateSidecarDocument(previous, sidecar);
    return stringifySidecarDocument(previous);
  }
  if (previous.canonical) return canonicalStringify(sidecar, blockReuse.get(previous));
  const doc = previous.doc;
  updateSidecarDocument(doc, sidecar);
  return stringifySidecarDocument(doc);
}
