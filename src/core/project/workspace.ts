/**
 * The workspace's corrections, gathered from every sidecar in it (the sidecars stay the only source
 * of truth), and the learning derived from them (learning.ts). Used by the command line with
 * `--workspace` and by the evaluation; the editor gathers the same from its annotation store.
 */
import { joinPath } from './files';
import { LEARNING_STATE_PATH, WorkspaceLearner, parseLearningState, type LearningSettings, type SourceCorrections, type WorkspaceLearning } from './learning';
import { anchorItems, readSourceText } from './load';
import type { Project } from './project';
import { readSidecarFile } from './writer';
import { SIDECAR_SUFFIX } from '../sidecar/model';

/** Folders never searched for sidecars. */
const SKIP = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Every sidecar under the project's sidecar folder (or the whole workspace), in path order. */
export async function listSidecars(project: Project): Promise<string[]> {
  const out: string[] = [];
  const start = project.sidecarFolder ? project.absolute(project.sidecarFolder) : project.root;
  // a sidecar folder that is a link out of the workspace is not listed
  if (start !== project.root && !(await project.containsReal(start))) return out;
  const stack = [start];
  while (stack.length) {
    const dir = stack.pop() as string;
    let entries: { name: string; type: string }[];
    try {
      entries = await project.fs.list(dir);
    } catch {
      continue;
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.type === 'directory') {
        if (!SKIP.has(e.name)) subdirs.push(joinPath(dir, e.name));
      } else if (e.type === 'file' && e.name.endsWith(SIDECAR_SUFFIX)) out.push(joinPath(dir, e.name));
    }
    // symlinked folders are not followed (a loop, or a way out of the workspace)
    for (const d of subdirs.sort().reverse()) stack.push(d);
  }
  return out.sort();
}

export interface GatheredCorrections {
  sources: SourceCorrections[];
  /** Sidecars or sources that could not be read (their corrections are left out). */
  problems: string[];
}

/** The corrections of every sidecar in the workspace, anchored on their sources' current text. */
export async function gatherCorrections(project: Project): Promise<GatheredCorrections> {
  const sources: SourceCorrections[] = [];
  const problems: string[] = [];
  for (const sidecar of await listSidecars(project)) {
    const source = project.sourceFor(sidecar);
    if (!source) continue;
    try {
      await project.assertInside(sidecar, 'the sidecar');
      const current = await readSidecarFile(project.fs, sidecar, project.display(sidecar), project.maxSidecarBytes);
      const corrections = current.parsed?.sidecar.corrections ?? [];
      if (!corrections.length) continue;
      const key = project.relative(source) ?? source;
      let text: string | undefined;
      // never read through a link out of the workspace
      await project.assertInside(source, 'the source');
      try {
        text = await readSourceText(project.fs, source, project.display(source));
      } catch {
        text = undefined; // the source is gone: its corrections still apply by their text elsewhere
      }
      sources.push({ key, text, corrections: text === undefined ? corrections.map((c) => ({ ...c, orphan: true })) : anchorItems(text, corrections).items });
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { sources, problems };
}

/** The reset marker (`.marginalia/learning.json`), if any. */
export async function readLearningState(project: Project): Promise<LearningSettings> {
  try {
    const file = project.absolute(LEARNING_STATE_PATH);
    if (!(await project.containsReal(file))) return {};
    const info = await project.fs.stat(file);
    if (!info || info.type !== 'file' || info.size > 100_000) return {};
    return parseLearningState(await project.fs.readText(file));
  } catch {
    return {};
  }
}

/**
 * The learning of a workspace from all its sidecars: workspace-wide corrections, and (unless
 * `enabled` is false) the tagger adapted to them. `problems`: what could not be read.
 */
export async function workspaceLearning(project: Project, model: unknown, settings: LearningSettings = {}, learner = new WorkspaceLearner()): Promise<{ learning: WorkspaceLearning; problems: string[] }> {
  const [gathered, state] = await Promise.all([gatherCorrections(project), readLearningState(project)]);
  const learning = learner.derive(model, gathered.sources, { ...state, ...settings });
  return { learning, problems: gathered.problems };
}

/** The key a source has in a workspace's learning (its workspace-relative path). */
export function learningKey(project: Project, sourceAbs: string): string {
  return project.relative(sourceAbs) ?? sourceAbs;
}
