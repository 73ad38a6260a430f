/**
 * Loading a source with its sidecar, anchored against the source's current text: the one way every
 * path (export, import, check, scan with corrections, the merge of a save) reads them.
 */
import { placeTargets } from '../interchange/anchoring';
import { hashText } from '../sidecar/hash';
import { emptySidecar, normalizeText, type Annotation, type Correction, type Sidecar } from '../sidecar/model';
import type { ParsedSidecar } from '../sidecar/codec';
import { ProjectError, describeFsError, errorCode, type ProjectFs } from './files';
import type { Project } from './project';
import { readSidecarFile } from './writer';

export interface LoadedSource {
  /** Absolute path of the source. */
  source: string;
  /** The normalised text (BOM stripped, `\n` line endings): what every offset counts in. */
  text: string;
  /** Absolute path of its sidecar. */
  sidecarFile: string;
  /** The sidecar's exact text and parse; undefined when there is none yet. */
  raw?: string;
  parsed?: ParsedSidecar;
  /** The sidecar with every target re-anchored on `text` (an empty one when there is none). */
  sidecar: Sidecar;
  /** Ids of annotations whose text is gone (kept, marked `orphan`). */
  orphans: Set<string>;
  /** Ids of corrections whose text is gone. */
  orphanedCorrections: Set<string>;
}

/** Reads a source's text, refusing what is not a regular file (a FIFO would block the reader). */
export async function readSourceText(fs: ProjectFs, abs: string, shown = abs): Promise<string> {
  let info;
  try {
    info = await fs.stat(abs);
  } catch (err) {
    throw new ProjectError(describeFsError(err, 'read', shown), errorCode(err));
  }
  if (!info) throw new ProjectError(`cannot read ${shown}: it does not exist`, 'ENOENT');
  if (info.type === 'directory') throw new ProjectError(`${shown} is a folder, not a source file`, 'EISDIR');
  if (info.type !== 'file') throw new ProjectError(`${shown} is not a regular file (a FIFO, socket or device); Marginalia reads only regular files`, 'not-a-file');
  try {
    return normalizeText(await fs.readText(abs));
  } catch (err) {
    throw new ProjectError(describeFsError(err, 'read', shown), errorCode(err));
  }
}

/** Re-anchors every item whose text is not at its position any more; never drops one. */
export function anchorItems<T extends Annotation | Correction>(text: string, items: readonly T[]): { items: T[]; orphans: Set<string> } {
  const orphans = new Set<string>();
  const placed = placeTargets(text, items.map((a) => a.target));
  const out = items.map((a, i) => {
    const p = placed[i];
    const next: T = { ...a, target: p.target };
    if (p.orphan) {
      orphans.add(a.id);
      next.orphan = true;
    } else delete next.orphan;
    return next;
  });
  return { items: out, orphans };
}

/** A sidecar anchored on `text`, with the ids of the orphaned annotations and of the orphaned corrections. */
export function anchorSidecar(text: string, sidecar: Sidecar): { sidecar: Sidecar; orphans: Set<string>; orphanedCorrections: Set<string> } {
  const a = anchorItems(text, sidecar.annotations);
  const c = anchorItems(text, sidecar.corrections);
  return { sidecar: { ...sidecar, annotations: a.items, corrections: c.items }, orphans: a.orphans, orphanedCorrections: c.orphans };
}

/**
 * Loads `source` (absolute, inside the project) with its sidecar. A malformed, oversized or
 * non-regular sidecar is a `ProjectError` naming it; the file is never touched.
 */
export async function loadSource(project: Project, source: string, sidecarFile = project.sidecarFor(source)): Promise<LoadedSource> {
  const text = await readSourceText(project.fs, source, project.display(source));
  await project.assertInside(sidecarFile, 'the sidecar');
  const current = await readSidecarFile(project.fs, sidecarFile, project.display(sidecarFile), project.maxSidecarBytes);
  const base = current.parsed ? current.parsed.sidecar : emptySidecar(project.sourceField(source), hashText(text));
  const { sidecar, orphans, orphanedCorrections } = anchorSidecar(text, base);
  return { source, text, sidecarFile, raw: current.text, parsed: current.parsed, sidecar, orphans, orphanedCorrections };
}

/**
 * The corrections of a source's sidecar, anchored on `text`, for recognition. A sidecar that cannot
 * be read gives none and a `problem` (recognition goes on; the sidecar is untouched).
 */
export async function loadCorrections(project: Project, source: string, text: string): Promise<{ corrections: Correction[]; problem?: string }> {
  try {
    const sidecarFile = project.sidecarFor(source);
    await project.assertInside(sidecarFile, 'the sidecar');
    const current = await readSidecarFile(project.fs, sidecarFile, project.display(sidecarFile), project.maxSidecarBytes);
    if (!current.parsed) return { corrections: [] };
    return { corrections: anchorItems(text, current.parsed.sidecar.corrections).items };
  } catch (err) {
    return { corrections: [], problem: err instanceof Error ? err.message : String(err) };
  }
}
