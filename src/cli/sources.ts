/** Loading a source with its sidecar, anchored against the current text (Node side of the CLI). */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from './args';
import { display, readSource, sidecarPathFor } from './io';
import { parseSidecar, type ParsedSidecar } from '../core/sidecar/codec';
import { emptySidecar, type Annotation, type Correction, type Sidecar } from '../core/sidecar/model';
import { hashText } from '../core/sidecar/hash';
import { placeTargets } from '../core/interchange/anchoring';

export interface LoadedSource {
  /** Path of the source file as given. */
  file: string;
  text: string;
  sidecarFile: string;
  /** undefined when there is no sidecar yet. */
  parsed?: ParsedSidecar;
  sidecar: Sidecar;
  /** Ids of annotations that could not be re-found in the current text. */
  orphans: Set<string>;
}

/** Reads a sidecar file; undefined when it does not exist. Malformed → InputError with file:line. */
export async function readSidecar(file: string): Promise<ParsedSidecar | undefined> {
  let raw: string;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read ${display(file)}: ${(e as Error).message}`);
  }
  const r = parseSidecar(raw);
  if (!r.ok) throw new InputError(`${display(file)}:${r.error.line}:${r.error.column}: ${r.error.message}`);
  return r.value;
}

/** Re-anchors every annotation whose text is not at its position any more; never drops one. */
export function anchorAnnotations<T extends Annotation | Correction>(text: string, annotations: T[]): { annotations: T[]; orphans: Set<string> } {
  const orphans = new Set<string>();
  const placed = placeTargets(text, annotations.map((a) => a.target));
  const out = annotations.map((a, i) => {
    const p = placed[i];
    const next: T = { ...a, target: p.target };
    if (p.orphan) {
      orphans.add(a.id);
      next.orphan = true;
    } else delete next.orphan;
    return next;
  });
  return { annotations: out, orphans };
}

export async function loadSource(file: string, sidecarFile = sidecarPathFor(file)): Promise<LoadedSource> {
  const text = await readSource(file);
  const parsed = await readSidecar(sidecarFile);
  const rel = path.relative(path.dirname(sidecarFile), file).split(path.sep).join('/');
  const sidecar = parsed ? parsed.sidecar : emptySidecar(rel, hashText(text));
  const { annotations, orphans } = anchorAnnotations(text, sidecar.annotations);
  const corrections = anchorAnnotations(text, sidecar.corrections).annotations;
  return { file, text, sidecarFile, parsed, sidecar: { ...sidecar, annotations, corrections }, orphans };
}
