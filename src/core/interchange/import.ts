/**
 * Importing W3C or brat annotations into a sidecar (pure: the caller reads and writes the files).
 * Each imported annotation is anchored against the CURRENT text; its id is kept when the file
 * carried a usable one, so export → import gives back the same annotations, and importing the same
 * file twice changes nothing.
 */
import { placeTarget } from './anchoring';
import { fromBrat } from './brat';
import type { ImportFormat } from './export';
import type { ImportResult, ImportedAnnotation } from './model';
import { fromW3C, jsonDepth, MAX_JSON_DEPTH } from './w3cImport';
import { compareIds, type Annotation, type Sidecar } from '../sidecar/model';
import { sidecarValuesEqual } from '../sidecar/valuesEqual';

export interface MergeImportResult {
  sidecar: Sidecar;
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Ids of imported annotations whose text was not found in the current text (kept as orphans). */
  orphans: string[];
  warnings: string[];
  skipped: number;
}

/** Parses an interchange file's content. W3C content that is not JSON → a warning and nothing imported. */
export function readInterchange(format: ImportFormat, content: string, text: string, sourcePath?: string): ImportResult {
  if (format === 'brat') return fromBrat(content, text);
  let doc: unknown;
  try {
    doc = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (e) {
    return { annotations: [], warnings: [`not JSON: ${(e as Error).message}`], skipped: 0 };
  }
  // JSON.parse takes any depth; what walks the values afterwards (the sidecar writer, comparisons)
  // recurses. Measured without recursion; page chains (`next`, `first`) do not count.
  if (jsonDepth(doc) > MAX_JSON_DEPTH) {
    return { annotations: [], warnings: [`nested deeper than ${MAX_JSON_DEPTH} levels (not counting next/first page links): nothing imported`], skipped: 0 };
  }
  return fromW3C(doc, text, sourcePath);
}

/** The sidecar annotation for an imported one, anchored on `text`. */
export function toSidecarAnnotation(imp: ImportedAnnotation, text: string, id: string): { annotation: Annotation; orphan: boolean } {
  const placed = placeTarget(text, imp.target);
  const t = placed.target;
  const a: Annotation = {
    id,
    kind: imp.kind,
    target: { exact: t.exact, prefix: t.prefix ?? '', suffix: t.suffix ?? '', start: t.start, end: t.end },
  };
  if (imp.tags?.length) a.tags = [...imp.tags];
  if (imp.verdict !== undefined) a.verdict = imp.verdict;
  if (imp.note !== undefined) a.note = imp.note;
  if (imp.author !== undefined) a.author = imp.author;
  if (imp.created !== undefined) a.created = imp.created;
  if (imp.modified !== undefined) a.modified = imp.modified;
  if (imp.claimant !== undefined) a.claimant = imp.claimant;
  if (imp.claimDate !== undefined) a.claimDate = imp.claimDate;
  if (imp.appearance !== undefined) a.appearance = imp.appearance;
  // (anchored against their own sources by `anchorEvidence` when the sidecar is next loaded with them)
  if (imp.evidence?.length) a.evidence = imp.evidence.map((e) => ({ ...e, target: { ...e.target } }));
  if (imp.extra && Object.keys(imp.extra).length) a.extra = { ...imp.extra };
  if (placed.orphan) a.orphan = true;
  return { annotation: a, orphan: placed.orphan };
}

/** A position an import may trust: whole numbers inside the text, start ≤ end. Otherwise the quote decides. */
export function sanitizeImportedTarget<T extends { start: number; end: number; exact: string }>(t: T, textLength: number): T {
  const ok = Number.isSafeInteger(t.start) && Number.isSafeInteger(t.end) && t.start >= 0 && t.end >= t.start && t.end <= textLength;
  if (ok) return t;
  const hint = Number.isFinite(t.start) ? Math.min(Math.max(0, Math.floor(t.start)), textLength) : 0;
  return { ...t, start: hint, end: Math.min(textLength, hint + t.exact.length) };
}

/** What makes two annotations the same note on the same text (ids, dates and author aside). */
function contentKey(a: Annotation): string {
  return JSON.stringify([a.kind, a.target.exact, a.orphan ? -1 : a.target.start, a.orphan ? -1 : a.target.end, a.note ?? null, a.verdict ?? null, a.tags ?? []]);
}

/**
 * The imported annotation is the round trip of `old` (its own export, possibly edited elsewhere):
 * it carries `old`'s id and quotes the same text. Where it lands is not asked: a format without
 * context (brat) may place a repeated word on another occurrence once the source has changed, and
 * `old`'s own anchor, with its context, is the better one.
 */
function sameAnchor(old: Annotation, imp: Annotation): boolean {
  return old.target.exact === imp.target.exact;
}

/**
 * Adds the imported annotations to `sidecar` (a new object; the input is not changed). Rules, so
 * that nothing is ever lost and re-importing an export changes nothing:
 * - an imported annotation equal in content to one already there (same kind, text, place, note,
 *   verdict and tags) is `unchanged`, whatever its id;
 * - one whose id is an existing annotation's, on the same text at the same place, is that
 *   annotation's round trip: it replaces it (`updated`, keeping its unknown keys and conflict);
 * - any other id already in use (by another annotation or a correction), or repeated in the file,
 *   gets a new id, and a warning says so; annotations without an id get `newId()`.
 */
export function importIntoSidecar(sidecar: Sidecar, result: ImportResult, text: string, newId: () => string, defaults: { author?: string; now?: string } = {}): MergeImportResult {
  const byId = new Map(sidecar.annotations.map((a) => [a.id, a]));
  const correctionIds = new Set(sidecar.corrections.map((c) => c.id));
  const byContent = new Map<string, string>();
  for (const a of sidecar.annotations) byContent.set(contentKey(a), a.id);
  const out: MergeImportResult = { sidecar, added: [], updated: [], unchanged: [], orphans: [], warnings: [...result.warnings], skipped: result.skipped };
  const seen = new Set<string>();
  for (const imp of result.annotations) {
    const filled: ImportedAnnotation = { ...imp, target: sanitizeImportedTarget(imp.target, text.length) };
    if (filled.author === undefined && defaults.author) filled.author = defaults.author;
    if (filled.created === undefined && defaults.now && !imp.id) filled.created = defaults.now;
    const { annotation, orphan } = toSidecarAnnotation(filled, text, imp.id ?? '');
    const same = byContent.get(contentKey(annotation));
    if (same !== undefined && !seen.has(same)) {
      seen.add(same);
      out.unchanged.push(same);
      continue;
    }
    let id = imp.id;
    const old = id !== undefined ? byId.get(id) : undefined;
    if (id !== undefined && old && !imp.foreignId && !seen.has(id) && sameAnchor(old, annotation)) {
      const merged: Annotation = { ...annotation, id, target: old.target };
      if (old.orphan) merged.orphan = true;
      else delete merged.orphan;
      if (old.extra && !merged.extra) merged.extra = old.extra;
      if (old.conflict) merged.conflict = old.conflict;
      seen.add(id);
      if (merged.orphan) out.orphans.push(id);
      if (sidecarValuesEqual(stripUndefined(old), stripUndefined(merged))) out.unchanged.push(id);
      else {
        out.updated.push(id);
        byId.set(id, merged);
      }
      continue;
    }
    if (id !== undefined && (seen.has(id) || byId.has(id) || correctionIds.has(id))) {
      const fresh = newId();
      out.warnings.push(
        seen.has(id) && !byId.has(id)
          ? `duplicate id ${id} in the imported file: imported as ${fresh}`
          : `id ${id} is already used by ${correctionIds.has(id) ? 'a correction' : 'another annotation'} in the sidecar: imported as ${fresh}`,
      );
      id = fresh;
    }
    id ??= newId();
    seen.add(id);
    const added: Annotation = { ...annotation, id };
    if (orphan) out.orphans.push(id);
    out.added.push(id);
    byId.set(id, added);
    byContent.set(contentKey(added), id);
  }
  const annotations = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  out.sidecar = { ...sidecar, annotations };
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}
