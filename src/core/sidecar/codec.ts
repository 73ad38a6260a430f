/**
 * YAML codec for sidecars: the entry points for reading and writing one.
 *
 * - `parseSidecar(text)` validates and returns the model *and* the parsed `Document`. Files in the
 *   canonical layout (everything Marginalia writes, see `./canonicalWriter`) are read by the
 *   canonical reader; anything else by the `yaml` package, whose Document keeps the user's comments.
 * - `serializeSidecar(sidecar, previous?)`: the canonical text when there is no previous file or it
 *   was in the canonical layout (given the ParsedSidecar it was read into, items that still hold what
 *   was read are copied from that text rather than written again: same bytes); otherwise the previous
 *   Document edited in place (`updateSidecarDocument`, `./documentUpdate`) and rendered with fixed
 *   options (`stringifySidecarDocument`, `./documentRender`), so the same data gives the same bytes.
 */
import { Document, isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { SIDECAR_VERSION } from './model';
import type { Sidecar } from './model';
import { canonicalParse } from './canonicalReader';
import { canonicalStringify, reuseBlocks } from './canonicalWriter';
import type { BlockReuse } from './canonicalWriter';
import { findConflictMarker, MAX_NESTING, utf8Length, yamlNestingBeyondLimit } from './guards';
import { SchemaError, duplicateId, readSidecarData } from './validate';
import { updateSidecarDocument } from './documentUpdate';
import { stringifySidecarDocument } from './documentRender';

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

/** The position of the node at `path` (or of its deepest ancestor that exists). */
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
  const refused = refuseUnreadable(text, maxBytes);
  if (refused) return { ok: false, error: refused };
  // Fast path: files in the canonical layout (everything Marginalia writes) are read line by line.
  const fast = readCanonical(text);
  if (fast) return { ok: true, value: fast };
  const tooDeep = refuseDeepNesting(text);
  if (tooDeep) return { ok: false, error: tooDeep };
  return readWithYamlParser(text, maxAliasCount);
}

function issue(code: SidecarErrorCode, line: number, column: number, message: string): SidecarIssue {
  return { code, line, column, message };
}

/** A sidecar too large to read, or holding git conflict markers. */
function refuseUnreadable(text: string, maxBytes: number): SidecarIssue | undefined {
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    return issue('too-large', 1, 1, `Sidecar is larger than the limit of ${maxBytes} bytes (setting marginalia.sidecar.maxSizeMB).`);
  }
  const conflictLine = findConflictMarker(text);
  if (conflictLine) {
    return issue('conflict-markers', conflictLine, 1,
      'Sidecar contains git conflict markers. Resolve them by hand, or let git merge sidecars with the Marginalia merge driver (`marginalia merge-driver %O %A %B`, see the README).');
  }
  return undefined;
}

/**
 * The sidecar read by the canonical reader, or undefined when the YAML parser must read it: a text
 * outside the canonical layout, a value the line reader cannot keep exactly (`author: 1.10`, a
 * 20-digit number: the YAML parser keeps each value's source text), or a problem (the YAML parser
 * reports it with its position).
 */
function readCanonical(text: string): ParsedSidecar | undefined {
  const fast = canonicalParse(text);
  if (!fast || fast.lossy) return undefined;
  try {
    const sidecar = readSidecarData(fast.data);
    if (duplicateId(sidecar, fast.annotationIdsIncreasing === true)) return undefined;
    const value = makeParsed(sidecar, text, undefined, fast.canonical);
    if (fast.canonical) blockReuse.set(value, reuseBlocks(text, fast));
    return value;
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    return undefined;
  }
}

/**
 * Block collections nested very deep (`- - - - …`, a few KB) overflow the YAML parser's stack,
 * which in V8 can even abort the process: refuse them before parsing. Flow collections (`[[[[…`,
 * `{a: {a: …`) likewise.
 */
function refuseDeepNesting(text: string): SidecarIssue | undefined {
  const deepAt = yamlNestingBeyondLimit(text);
  if (deepAt < 0) return undefined;
  let line = 1;
  for (let i = 0; i < deepAt; i++) if (text.charCodeAt(i) === 10) line++;
  return issue('syntax', line, 1, `YAML syntax error: collections nested too deeply (more than ${MAX_NESTING} levels); the sidecar was not read.`);
}

/** The sidecar read by the YAML parser (its Document kept, with the user's comments and layout). */
function readWithYamlParser(text: string, maxAliasCount: number): SidecarParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
    const firstLine = e.message.split('\n')[0] ?? e.message;
    return { ok: false, error: issue('syntax', pos.line, pos.col, `YAML syntax error: ${firstLine}`) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (err) {
    return { ok: false, error: issue('alias-limit', 1, 1,
      `Sidecar rejected: ${err instanceof Error ? err.message : String(err)} (more than ${maxAliasCount} alias expansions).`) };
  }
  return validateDocumentData(text, doc, lc, data);
}

/** Validate what the YAML parser read; a problem points at its node in the text. */
function validateDocumentData(text: string, doc: Document, lc: LineCounter, data: unknown): SidecarParseResult {
  try {
    const sidecar = readSidecarData(data, (path) => plainSourceText(doc, path));
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

/** The source text of the plain, non-string scalar at `path` (what the user typed: `0012`, `1.10`), or undefined. */
function plainSourceText(doc: Document, path: (string | number)[]): string | undefined {
  const node = doc.getIn(path, true) as unknown;
  return isScalar(node) && typeof node.value !== 'string' && node.type === Scalar.PLAIN ? node.source : undefined;
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
