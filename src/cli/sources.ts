/**
 * The command line's way into the project layer: a source given on the command line, loaded with
 * its sidecar (anchored on its current text) from the workspace it belongs to, and recognised with
 * that workspace's dictionary and the sidecar's corrections — exactly as the editor does.
 */
import * as path from 'node:path';
import { analyzeSource, learningKey, loadDictionary, loadSource as loadInProject, workspaceLearning, type LoadedSource as CoreLoaded, type Project, type WorkspaceLearning } from '../core/project';
import type { Dictionary } from '../core/ner/dictionary';
import type { Analysis } from '../core/types';
import { loadModel, type RecognizeOptions } from './recognize';
import { isMarkedWorkspace, toProjectPath, workspaceLearningEnabled, type Workspaces } from './nodeFs';
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

const learnings = new Map<Project, { model: unknown; learning: Promise<WorkspaceLearning> }>();

/**
 * The learning of `project` from all its sidecars (workspace-wide corrections and the tagger adapted
 * to them; `marginalia.learning.enabled: false` in the workspace settings keeps the tagger as
 * shipped), derived once per run and thread; sidecars that cannot be read are reported on stderr.
 */
export function learningOf(project: Project, options: RecognizeOptions): Promise<WorkspaceLearning> {
  const model = loadModel(options);
  let l = learnings.get(project);
  if (!l || l.model !== model) {
    const learning = workspaceLearning(project, model, { enabled: workspaceLearningEnabled(project.root) }).then((r) => {
      for (const p of r.problems) process.stderr.write(terminalText(`marginalia: ${p} (its corrections are not used across the workspace)\n`));
      return r.learning;
    });
    l = { model, learning };
    learnings.set(project, l);
  }
  return l.learning;
}

/**
 * Recognition as the editor shows it: model, workspace dictionary, the sidecar's corrections; with
 * `workspaceWide` (`--workspace`) or in a marked workspace (.marginalia/ or .git, as the editor's
 * folder), also what the workspace learned from all its sidecars.
 */
export async function analyzeLoaded(loaded: LoadedSource, options: RecognizeOptions, workspaceWide = false): Promise<Analysis> {
  return analyzeSource(loaded.text, {
    model: loadModel(options),
    dictionary: await dictionaryOf(loaded.project),
    corrections: loaded.sidecar.corrections,
    documentDate: options.documentDate,
    ...(workspaceWide || isMarkedWorkspace(loaded.project) ? { learning: await learningOf(loaded.project, options), sourceKey: learningKey(loaded.project, loaded.source) } : {}),
  });
}
