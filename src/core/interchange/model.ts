/**
 * What the interchange writers read and the readers produce. Structural: the sidecar model's
 * annotations (src/core/sidecar) fit these shapes, so the writers take them as they are.
 * All offsets here are UTF-16 code units into the source text without a BOM; the writers convert to
 * code points where the format wants them.
 */
import {
  ANNOTATION_KEYS, ANNOTATION_KINDS, CONTEXT_LENGTH, EVIDENCE_KEYS, EVIDENCE_RELATIONS, type AnnotationKind, type Evidence, type EvidenceRelation, type Sidecar,
} from '../sidecar/model';
import { isSafeRelativePath } from '../sidecar/paths';
import type { Analysis } from '../types';

// One list of kinds and one context length for the whole project: the sidecar model's.
export { ANNOTATION_KINDS, CONTEXT_LENGTH, type AnnotationKind };

export interface TargetLike {
  exact: string;
  prefix?: string;
  suffix?: string;
  start: number;
  end: number;
}

export interface AnnotationLike {
  id: string;
  kind: string;
  tags?: string[];
  verdict?: string;
  note?: string;
  author?: string;
  created?: string;
  modified?: string;
  /** Claim details (see the sidecar model): carried by W3C, used by the ClaimReview and fact-check exports. */
  claimant?: string;
  claimDate?: string;
  appearance?: string;
  /** Evidence links to spans of other sources (offsets: UTF-16 units of THAT source's text, as in the sidecar). */
  evidence?: Evidence[];
  target: TargetLike;
  /** Keys the sidecar format does not define (the sidecar codec keeps them): carried by W3C and brat so a round trip keeps them. */
  extra?: Record<string, unknown>;
}

/** One source as the exporters see it. */
export interface ExportSource {
  /** The source's path (relative, forward slashes) or IRI, written into the export as the target source. */
  path: string;
  /** The current text, without a BOM. */
  text: string;
  /** The user's annotations, anchored against `text`. */
  annotations: readonly AnnotationLike[];
  /** Ids of annotations whose text is no longer found (orphans): exported with their last known text only. */
  orphans?: ReadonlySet<string>;
  /** Recognition output; omitted → only the user's annotations are exported. */
  analysis?: Analysis;
  /** The sidecar's top-level keys (its `url:`, where the source was published), for ClaimReview and the fact-check draft. */
  sidecar?: Pick<Sidecar, 'extra'>;
  /** Current texts of the evidence sources by workspace-relative path (from `anchorEvidence`); undefined: unreadable. */
  evidenceTexts?: ReadonlyMap<string, string | undefined>;
}

/** An annotation read from an interchange file, before it is anchored into a sidecar. */
export interface ImportedAnnotation {
  /** The id found in the file, if it is usable as a sidecar id; otherwise undefined (the caller assigns one). */
  id?: string;
  /** The id came from another tool's IRI: it may name a new annotation but never claims an existing one. */
  foreignId?: boolean;
  kind: AnnotationKind;
  tags?: string[];
  verdict?: string;
  note?: string;
  author?: string;
  created?: string;
  modified?: string;
  claimant?: string;
  claimDate?: string;
  appearance?: string;
  /** Evidence links as exported (anchored against their sources before use). */
  evidence?: Evidence[];
  /** UTF-16 offsets converted from the file's code points (may be stale: anchor before use). */
  target: TargetLike;
  /** Unknown keys of the exported annotation (see `AnnotationLike.extra`), already cleaned by `cleanExtra`. */
  extra?: Record<string, unknown>;
}

export interface ImportResult {
  annotations: ImportedAnnotation[];
  /** Human-readable problems (skipped records, unknown kinds …). */
  warnings: string[];
  /** Recognition records (entities, quotations) present in the file and not imported: the recognisers recompute them. */
  skipped: number;
}


export function isAnnotationKind(k: unknown): k is AnnotationKind {
  return typeof k === 'string' && (ANNOTATION_KINDS as readonly string[]).includes(k);
}

/**
 * Unknown annotation keys read back from a file: a plain JSON object whose keys are not ones the
 * sidecar defines (those would shadow real fields) and whose values are JSON (no undefined, no
 * functions). Built with `Object.fromEntries`, so a `__proto__` key stays an ordinary key.
 * Anything else → undefined.
 */
export function cleanExtra(v: unknown): Record<string, unknown> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as Record<string, unknown>).filter(([k, x]) => !(ANNOTATION_KEYS as readonly string[]).includes(k) && x !== undefined && typeof x !== 'function');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Ids we accept from foreign files: the sidecar's own alphabet (ULID-like, slugs). */
export function usableId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) ? id : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One exported evidence link (`evidenceRecord` form) as the sidecar keeps it, or undefined when it is not one. */
export function readEvidenceLink(v: unknown): Evidence | undefined {
  if (!isRecord(v) || !isRecord(v.target)) return undefined;
  const t = v.target;
  if (typeof v.relation !== 'string' || !(EVIDENCE_RELATIONS as readonly string[]).includes(v.relation)) return undefined;
  if (typeof v.source !== 'string' || !isSafeRelativePath(v.source)) return undefined;
  if (typeof t.exact !== 'string' || !Number.isSafeInteger(t.start) || !Number.isSafeInteger(t.end) || (t.start as number) < 0 || (t.end as number) < (t.start as number)) return undefined;
  const e: Evidence = {
    relation: v.relation as EvidenceRelation,
    source: v.source,
    target: { exact: t.exact, prefix: typeof t.prefix === 'string' ? t.prefix : '', suffix: typeof t.suffix === 'string' ? t.suffix : '', start: t.start as number, end: t.end as number },
  };
  if (v.orphan === true) e.orphan = true;
  const extra = Object.entries(v).filter(([k, x]) => !(EVIDENCE_KEYS as readonly string[]).includes(k) && x !== undefined && typeof x !== 'function');
  if (extra.length) e.extra = Object.fromEntries(extra);
  return e;
}

/** An exported list of evidence links (undefined: none given); links not understood are left out with a warning. */
export function readEvidenceLinks(v: unknown, warnings: string[], where: string): Evidence[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const good = list.map(readEvidenceLink).filter((e): e is Evidence => e !== undefined);
  if (good.length < list.length) warnings.push(`${where}: ${list.length - good.length} evidence link(s) not understood: left out`);
  return good.length ? good : undefined;
}
