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
import { fromW3C } from './w3c';
import { compareIds, type Annotation, type Sidecar } from '../sidecar/model';
import { sidecarValuesEqual } from '../sidecar/codec';

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
  if (placed.orphan) a.orphan = true;
  return { annotation: a, orphan: placed.orphan };
}

/**
 * Adds the imported annotations to `sidecar` (a new object; the input is not changed): an id
 * already present is replaced by the imported version (listed in `updated`, or `unchanged` when
 * equal); annotations without an id get `newId()`.
 */
export function importIntoSidecar(sidecar: Sidecar, result: ImportResult, text: string, newId: () => string, defaults: { author?: string; now?: string } = {}): MergeImportResult {
  const byId = new Map(sidecar.annotations.map((a) => [a.id, a]));
  const out: MergeImportResult = { sidecar, added: [], updated: [], unchanged: [], orphans: [], warnings: [...result.warnings], skipped: result.skipped };
  const seen = new Set<string>();
  for (const imp of result.annotations) {
    let id = imp.id;
    if (id && seen.has(id)) {
      out.warnings.push(`duplicate id ${id} in the imported file: the later one gets a new id`);
      id = undefined;
    }
    id ??= newId();
    seen.add(id);
    const filled: ImportedAnnotation = { ...imp };
    if (filled.author === undefined && defaults.author) filled.author = defaults.author;
    if (filled.created === undefined && defaults.now && !imp.id) filled.created = defaults.now;
    const { annotation, orphan } = toSidecarAnnotation(filled, text, id);
    if (orphan) out.orphans.push(id);
    const old = byId.get(id);
    if (old) {
      const merged: Annotation = { ...annotation };
      if (old.extra) merged.extra = old.extra;
      if (old.conflict) merged.conflict = old.conflict;
      if (sidecarValuesEqual(stripUndefined(old), stripUndefined(merged))) out.unchanged.push(id);
      else {
        out.updated.push(id);
        byId.set(id, merged);
      }
    } else {
      out.added.push(id);
      byId.set(id, annotation);
    }
  }
  const annotations = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  out.sidecar = { ...sidecar, annotations };
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}
