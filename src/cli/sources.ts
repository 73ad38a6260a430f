/**
 * The command line's way into the project layer: a source given on the command line, loaded with
 * its sidecar (anchored on its current text) from the workspace it belongs to, and recognised with
 * that workspace's dictionary and the sidecar's corrections — exactly as the editor does.
 */
import * as path from 'node:path';
import { analyzeSource, loadDictionary, loadSource as loadInProject, type LoadedSource as CoreLoaded, type Project } from '../core/project';
import type { Dictionary } from '../core/ner/dictionary';
import type { Analysis } from '../core/types';
import { loadModel, type RecognizeOptions } from './recognize';
import { toProjectPath, type Workspaces } from './nodeFs';
import { terminalText } from './output';

export interface LoadedSource extends CoreLoaded {
  /** Path of the source file as given. */
  file: string;
  project: Project;
}

/** Loads `file` with its sidecar (`sidecarFile`: an explicit one, an OS path). */
export async function loadSource(workspaces: Workspaces, file: string, given?: string, sidecarFile?: string): Promise<LoadedSource> {
  const project = workspaces.projectFor(file, given);
  const sidecar = sidecarFile !== undefined ? toProjectPath(sidecarFile) : undefined;
  const loaded = await loadInProject(project, toProjectPath(file), sidecar);
  return { ...loaded, file, project };
}

const dictionaries = new Map<Project, Promise<Dictionary | undefined>>();

/** The workspace dictionary of `project`, read once per run; its problems are reported on stderr. */
export function dictionaryOf(project: Project): Promise<Dictionary | undefined> {
  let d = dictionaries.get(project);
  if (!d) {
    d = loadDictionary(project).then((r) => {
      for (const p of r.problems) {
        process.stderr.write(terminalText(`marginalia: ${path.relative(process.cwd(), r.file ?? '') || r.file}${p.line ? `:${p.line}` : ''}: ${p.message}\n`));
      }
      return r.dictionary;
    });
    dictionaries.set(project, d);
  }
  return d;
}

/** Recognition as the editor shows it: model, workspace dictionary, the sidecar's corrections. */
export async function analyzeLoaded(loaded: LoadedSource, options: RecognizeOptions): Promise<Analysis> {
  return analyzeSource(loaded.text, {
    model: loadModel(options),
    dictionary: await dictionaryOf(loaded.project),
    corrections: loaded.sidecar.corrections,
    documentDate: options.documentDate,
  });
}
