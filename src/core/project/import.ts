/**
 * The command line's import: read the foreign file against the source's current text, then merge
 * it into the sidecar under the safe writer's lock (so the
 * sidecar's latest content on disk is what the import is added to, and two imports running at once
 * both end up on disk).
 */
import type { ImportFormat } from '../interchange/export';
import { importIntoSidecar, readInterchange, type MergeImportResult } from '../interchange/import';
import { hashText } from '../sidecar/hash';
import { emptySidecar, normalizeText, type Sidecar } from '../sidecar/model';
import { ProjectError } from './files';
import { anchorSidecar, readSourceText } from './load';
import type { Project } from './project';
import { UNCHANGED, readSidecarFile, writeSidecar } from './writer';

export interface ImportOptions {
  /** Author for imported annotations that have none. */
  author?: string;
  /** The time written as `created` of annotations without one (ISO). */
  now: string;
  newId: () => string;
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** A sidecar other than the source's own (absolute; must be inside the project). */
  sidecarFile?: string;
  /** Refuse to write (restricted workspaces): the reason. */
  readOnly?: string;
  /** The source's text when the caller holds a newer one than the file (an editor with unsaved edits). */
  text?: string;
}

export interface ImportReport extends MergeImportResult {
  sidecarFile: string;
  written: boolean;
}

/** The one-line summary every front end prints. */
export function importSummary(r: MergeImportResult): string {
  return (
    `${r.added.length} added, ${r.updated.length} updated, ${r.unchanged.length} unchanged` +
    (r.orphans.length ? `, ${r.orphans.length} not found in the text (kept as orphans)` : '') +
    (r.skipped ? `, ${r.skipped} recognition record(s) skipped` : '')
  );
}

export async function importIntoProject(project: Project, source: string, format: ImportFormat, content: string, options: ImportOptions): Promise<ImportReport> {
  if (options.readOnly && !options.dryRun) throw new ProjectError(`${options.readOnly} Nothing was imported.`, 'read-only');
  const sidecarFile = options.sidecarFile ?? project.sidecarFor(source);
  await project.assertInside(sidecarFile, 'the sidecar');
  const text = options.text !== undefined ? normalizeText(options.text) : await readSourceText(project.fs, source, project.display(source));
  const sourceField = project.sourceField(source);
  let report: MergeImportResult | undefined;
  const merge = (current: { parsed?: { sidecar: Sidecar } }): MergeImportResult => {
    const base = current.parsed ? anchorSidecar(text, current.parsed.sidecar).sidecar : emptySidecar(sourceField, hashText(text));
    const read = readInterchange(format, content, text, sourceField);
    return importIntoSidecar(base, read, text, options.newId, { author: options.author, now: options.now });
  };
  if (options.dryRun) {
    const current = await readSidecarFile(project.fs, sidecarFile, project.display(sidecarFile), project.maxSidecarBytes);
    return { ...merge(current), sidecarFile, written: false };
  }
  const result = await writeSidecar(
    project.fs,
    sidecarFile,
    (current) => {
      report = merge(current);
      if (report.added.length === 0 && report.updated.length === 0) return UNCHANGED;
      return { ...report.sidecar, hash: hashText(text) };
    },
    { maxBytes: project.maxSidecarBytes, display: project.display(sidecarFile) },
  );
  return { ...report!, sidecarFile, written: result.written };
}
