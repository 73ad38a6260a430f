/**
 * The sidecar data model: plain data, no `vscode`, no Node built-ins.
 *
 * Offsets (`target.start`/`target.end`) are UTF-16 code units into the *normalised* source text:
 * BOM stripped and every line ending (`\r\n`, `\r`) turned into `\n` — see `normalizeText`. So a
 * file switching between CRLF and LF, or gaining a BOM, never shifts an anchor.
 */
import type { EntityType } from '../types';

/** The format version this code writes. A sidecar with a higher `version` is read-only. */
export const SIDECAR_VERSION = 1;

/** Sidecar file suffix: `article.txt` → `article.txt.marginalia.yaml`. */
export const SIDECAR_SUFFIX = '.marginalia.yaml';

export const ANNOTATION_KINDS = ['note', 'claim', 'question', 'verdict', 'tag', 'link', 'correction'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** Suggested verdicts; users may use their own scale (any string). */
export const VERDICTS = ['true', 'false', 'misleading', 'unverified'] as const;

export const CORRECTION_ACTIONS = ['entity-type', 'merge', 'ignore', 'speaker'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

/** Default number of context characters kept on each side of an anchor. */
export const CONTEXT_LENGTH = 32;

/** An anchor: the annotated text, its context and its position (UTF-16, normalised text, end exclusive). */
export interface Target {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

/** Keys the codec knows, in the order it writes them. Any other key is kept in `extra`. */
export const ANNOTATION_KEYS = [
  'id', 'kind', 'tags', 'verdict', 'claimant', 'claimDate', 'appearance', 'note', 'author', 'created', 'modified', 'orphan',
  'evidence', 'target', 'conflict',
] as const;

/** How an evidence span bears on the annotation (a claim, usually). */
export const EVIDENCE_RELATIONS = ['supports', 'contradicts', 'context'] as const;
export type EvidenceRelation = (typeof EVIDENCE_RELATIONS)[number];

/** Keys of one evidence link, in the order the writers write them; any other key is kept in `extra`. */
export const EVIDENCE_KEYS = ['relation', 'source', 'target', 'orphan'] as const;

/**
 * A link from an annotation to a span of another source (or of the same one): the evidence for or
 * against a claim. Anchored like an annotation's own target, against `source`'s current text.
 */
export interface Evidence {
  relation: EvidenceRelation;
  /** The other source: a workspace-relative, `/`-separated path (never absolute, never `..`). */
  source: string;
  target: Target;
  /** Set when the span could not be found in `source` any more; `target` holds the last known text. */
  orphan?: boolean;
  /** Keys the format does not define (kept on a round trip, written after the known keys). */
  extra?: Record<string, unknown>;
}

export interface Annotation {
  /** ULID (26 chars, Crockford base32, sortable by creation time). Any unique string is accepted. */
  id: string;
  kind: AnnotationKind;
  tags?: string[];
  verdict?: string;
  /** Claims: who made the claim (a name as the text gives it; default: the speaker of the quotation it sits in). */
  claimant?: string;
  /** Claims: when the claim was made (ISO 8601 date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; default: the source's dateline). */
  claimDate?: string;
  /** Claims: where the claim appeared (a URL; default: the sidecar's top-level `url`, or the first URL in the source). */
  appearance?: string;
  note?: string;
  author?: string;
  /** ISO 8601 timestamps. */
  created?: string;
  modified?: string;
  /** Set when the anchor could not be re-found; `target` then holds the last known text. */
  orphan?: boolean;
  /** Evidence links to spans of other sources (or this one). */
  evidence?: Evidence[];
  target: Target;
  /**
   * Written by a three-way merge when both sides changed this annotation: the other side's version
   * (every field except `id`), or `{deleted: true}` when the other side deleted it. Several
   * recorded conflicts (from earlier merges on either branch) are a list of such mappings; one
   * is a single mapping (the older form, still read). The user resolves it by deleting this key.
   */
  conflict?: ConflictValue;
  /** Keys the format does not define (kept on a round trip, written after the known keys). */
  extra?: Record<string, unknown>;
}

/**
 * Several recorded merge conflicts. (Also typed with a string index, so that code reading a field of
 * a single recorded conflict — `item.conflict?.note` — still compiles; on a list it reads nothing.)
 */
export interface ConflictList extends Array<Record<string, unknown>> {
  [key: string]: unknown;
}

/** One recorded merge conflict (the other version, or `{deleted: true}`), or a list of them. */
export type ConflictValue = Record<string, unknown> | ConflictList;

export const CORRECTION_KEYS = [
  'id', 'action', 'scope', 'type', 'canonical', 'speaker', 'author', 'created', 'orphan', 'target', 'conflict',
] as const;

/**
 * A correction of recognition, anchored like an annotation. Corrections win over the recognisers
 * (applied by `applyCorrections` in `src/core/corrections.ts`).
 * - `entity-type`: the text at the target is an entity of `type` (adds a mention if none was found).
 * - `merge`: the entity at the target is the entity named `canonical` (alias merge).
 * - `ignore`: the text at the target is not an entity.
 * - `speaker`: the quotation at the target was said by `speaker` (empty string: no speaker).
 * `scope` (entity corrections): `all` (default) applies to every mention with the same text,
 * `this` only to the anchored span.
 */
export interface Correction {
  id: string;
  action: CorrectionAction;
  scope?: 'all' | 'this';
  type?: EntityType;
  canonical?: string;
  speaker?: string;
  author?: string;
  created?: string;
  orphan?: boolean;
  target: Target;
  conflict?: ConflictValue;
  extra?: Record<string, unknown>;
}

export interface Sidecar {
  version: number;
  /** The source's path relative to the sidecar's folder, `/`-separated. */
  source: string;
  /** `fnv1a64:<16 hex>` of the normalised source text at last save (see `hashText`). */
  hash?: string;
  annotations: Annotation[];
  corrections: Correction[];
  /**
   * Written by the git merge driver when both branches changed a top-level key differently
   * (`source`, or a key the format does not define): one `{key, theirs}` mapping (`deleted: true`
   * instead of `theirs` when their branch removed it) per key, ours kept in place.
   */
  conflict?: ConflictValue;
  /**
   * Unknown top-level keys (kept on a round trip). `url` (where the source was published) lives here
   * too, so that files stay readable by earlier versions byte for byte: read it with `sourceUrlOf`.
   */
  extra?: Record<string, unknown>;
}

/** A claim date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally followed by an ISO 8601 time. */
const CLAIM_DATE = /^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01])(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?$/;
export function isClaimDate(s: string): boolean {
  return CLAIM_DATE.test(s);
}

/** The top-level key naming where the source was published (see `sourceUrlOf`). */
export const SOURCE_URL_KEY = 'url';

export function emptySidecar(source: string, hash?: string): Sidecar {
  return { version: SIDECAR_VERSION, source, hash, annotations: [], corrections: [] };
}

/** BOM stripped, `\r\n` and lone `\r` turned into `\n`. All sidecar offsets refer to this text. */
export function normalizeText(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.indexOf('\r') === -1 ? noBom : noBom.replace(/\r\n?/g, '\n');
}

/** Compare two ids the way the sidecar sorts them (plain code-unit order; ULIDs sort by time). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `obj[key] = value` as an own, enumerable property, also for the key `__proto__` (a plain
 * assignment would set the object's prototype and the key would be lost).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** `obj[key]` if `obj` has it as its own property (never an inherited `__proto__` or `constructor`). */
export function getOwn(obj: Record<string, unknown> | undefined, key: string): unknown {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The largest sidecar read by default (marginalia.sidecar.maxSizeMB = 5), in bytes. */
export const DEFAULT_MAX_SIDECAR_BYTES = 5 * 1024 * 1024;
