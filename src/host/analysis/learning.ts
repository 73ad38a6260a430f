import * as vscode from 'vscode';
import type { SourceCorrections, WorkspaceLearner, WorkspaceLearning } from '../../core/project/learning';
import { LEARNING_STATE_PATH, formatLearningState, type LearningSettings } from '../../core/project/learningState';
import type { Correction } from '../../core/sidecar';
import type { Logger } from '../../core/types';
import { heavy } from '../lazy';
import { Commands } from '../commands';
import type { Settings } from '../config';
import { projectOf } from '../projectFs';

/** Every source's corrections in the workspace (the annotation store, which reads every sidecar). */
export interface WorkspaceCorrectionsSource {
  /** Sources with corrections; targets in the open document's offsets when it is open, else as stored. */
  workspaceCorrections(): { uri: vscode.Uri; corrections: readonly Correction[] }[];
}

/**
 * The editor's side of learning from corrections (src/core/project/learning.ts): gathers every
 * source's corrections from the annotation store with the sources' current texts (open documents
 * as shown, others read from disk), and derives the workspace's learning. Restricted (untrusted)
 * workspaces and `marginalia.learning.enabled: false` do not adapt the tagger; workspace-wide
 * corrections apply either way.
 */
export class EditorLearning {
  /** Created on the first derivation: the learner (and the tagger) load with the heavy part. */
  private learnerInstance?: WorkspaceLearner;
  private readonly texts = new Map<string, { mtime: number; text: string }>();

  constructor(
    private readonly log: Logger,
    private readonly config: Settings,
  ) {}

  /** Whether the tagger may learn here. */
  private enabled(): boolean {
    return vscode.workspace.isTrusted && this.config.current.learningEnabled;
  }

  async derive(model: unknown, source: WorkspaceCorrectionsSource): Promise<WorkspaceLearning> {
    const settings: LearningSettings = { enabled: this.enabled(), ...(await readLearningState(this.config)) };
    const sources: SourceCorrections[] = [];
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const { uri, corrections } of source.workspaceCorrections()) {
      if (!corrections.length) continue;
      const key = uri.toString();
      const doc = open.get(key);
      if (doc) {
        sources.push({ key, text: doc.getText(), corrections });
        continue;
      }
      const text = await this.readText(uri);
      if (text === undefined) {
        sources.push({ key, corrections: corrections.map((c) => ({ ...c, orphan: true })) });
        continue;
      }
      // stored targets re-anchored on the file's current text (as the workspace scan does)
      const placed = heavy().placeTargets(text, corrections.map((c) => c.target));
      sources.push({ key, text, corrections: corrections.map((c, i) => (placed[i].orphan ? { ...c, orphan: true } : { ...c, target: placed[i].target })) });
    }
    const learner = (this.learnerInstance ??= new (heavy().WorkspaceLearner)());
    if (model === undefined) return learner.derive(undefined, sources, settings);
    const learning = learner.derive(model, sources, settings);
    const s = learning.stats;
    this.log.debug(`learning: ${s.workspaceCorrections} workspace-wide correction(s); ${settings.enabled === false ? 'tagger not adapted (restricted workspace or marginalia.learning.enabled off)' : `tagger adapted from ${s.learnedCorrections} correction(s) in ${s.sentences} sentence(s), ${s.features} feature row(s)`} in ${s.ms} ms`);
    return learning;
  }

  /** A source's text through the project layer: inside the workspace (no link out), a regular file, normalised. */
  private async readText(uri: vscode.Uri): Promise<string | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    try {
      const project = projectOf(folder, this.config);
      await project.assertInside(uri.path, 'the source');
      const st = await vscode.workspace.fs.stat(uri);
      const key = uri.toString();
      const cached = this.texts.get(key);
      if (cached && cached.mtime === st.mtime) return cached.text;
      const text = await heavy().readSourceText(project.fs, uri.path, vscode.workspace.asRelativePath(uri));
      this.texts.set(key, { mtime: st.mtime, text });
      return text;
    } catch {
      return undefined;
    }
  }
}

/** The reset marker: the latest `.marginalia/learning.json` among the workspace folders (the core's reader: inside, regular, small). */
async function readLearningState(config: Settings): Promise<LearningSettings> {
  let latest: LearningSettings = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const s = await heavy().readLearningState(projectOf(folder, config));
    if (s.forgottenBefore && (!latest.forgottenBefore || s.forgottenBefore > latest.forgottenBefore)) latest = s;
  }
  return latest;
}

/**
 * "Marginalia: Forget Learned Corrections": writes the reset marker (`.marginalia/learning.json`,
 * `forgottenBefore: now`) into each workspace folder, so that the corrections made so far no longer
 * adapt the tagger; they stay in the sidecars and still apply as corrections. Later corrections are
 * learned again. Returns the time written, or undefined when nothing was done. The marker is written
 * atomically by the project layer, never through a link out of the workspace.
 */
export async function forgetLearning(config: Settings, now = new Date()): Promise<string | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    void vscode.window.showInformationMessage('Marginalia: open a folder first — learning is kept per workspace.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Marginalia learns nothing in a restricted workspace: there is nothing to forget.');
    return undefined;
  }
  const iso = now.toISOString();
  for (const folder of folders) {
    const project = projectOf(folder, config);
    const file = project.absolute(LEARNING_STATE_PATH);
    await project.assertInside(file, 'the learning marker');
    await project.fs.mkdirp(project.absolute('.marginalia'));
    await heavy().replaceFile(project.fs, file, formatLearningState(iso), project.display(file));
  }
  return iso;
}


/**
 * *Forget Learned Corrections*: writes the forget mark, then re-derives the learning (nothing
 * learned from earlier corrections) and repaints.
 */
export function registerForgetLearning(service: { relearn(): Promise<void> }, config: Settings): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.forgetLearnedCorrections, async () => {
    const at = await forgetLearning(config);
    if (!at) return undefined;
    await service.relearn();
    void vscode.window.showInformationMessage('Marginalia forgot what it learned from your corrections so far. The corrections stay in the sidecars and still apply; new ones are learned again. (Delete .marginalia/learning.json to learn from the earlier ones again.)');
    return at;
  });
}
