/**
 * Validation of a sidecar's plain data (from the canonical reader or the YAML parser) into the
 * model: every problem is a `SchemaError` with the path of the value at fault.
 */
import { ENTITY_TYPES } from '../types';
import type { EntityType } from '../types';
import {
  ANNOTATION_KEYS, ANNOTATION_KINDS, CORRECTION_ACTIONS, CORRECTION_KEYS, EVIDENCE_KEYS, EVIDENCE_RELATIONS, getOwn, isClaimDate, setOwn,
} from './model';
import type { Annotation, AnnotationKind, ConflictList, ConflictValue, Correction, CorrectionAction, Evidence, EvidenceRelation, Sidecar, Target } from './model';
import { isSafeRelativePath } from './paths';

/** The known top-level keys, in the order the writers write them. */
export const TOP_KEYS = ['version', 'source', 'hash', 'annotations', 'corrections', 'conflict'] as const;
/** Top-level keys never taken from `extra` (a `conflict` there is a user's key of another shape). */
export const FIXED_TOP: readonly string[] = ['version', 'source', 'hash', 'annotations', 'corrections'];

/** A value the model does not take, with the path of that value in the data. */
export class SchemaError extends Error {
  constructor(message: string, readonly path: (string | number)[]) {
    super(message);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
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
export type SourceOf = (path: (string | number)[]) => string | undefined;
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

export function duplicateId(sidecar: Sidecar, knownIncreasing = false): { list: 'annotations' | 'corrections'; index: number; id: string } | undefined {
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
export function readSidecarData(data: unknown, source?: SourceOf): Sidecar {
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
