// The reset marker of learning from corrections ("Forget Learned Corrections"): light, no tagger,
// so the editor reads and writes it without loading the recognisers.

/** What the user asked of learning in this workspace. */
export interface LearningSettings {
  /** Adapt the tagger (default true). Workspace-wide corrections apply either way. */
  enabled?: boolean;
  /**
   * "Forget Learned Corrections": corrections made before this time (ISO) no longer adapt the
   * tagger (they still apply as corrections).
   */
  forgottenBefore?: string;
}

/** Where the reset marker lives (workspace-relative). */
export const LEARNING_STATE_PATH = '.marginalia/learning.json';

/** The reset marker's content: `{"forgottenBefore": ISO}`; anything else reads as no marker. */
export function parseLearningState(text: string | undefined): LearningSettings {
  if (!text) return {};
  try {
    const j = JSON.parse(text) as { forgottenBefore?: unknown };
    return typeof j.forgottenBefore === 'string' && !Number.isNaN(Date.parse(j.forgottenBefore)) ? { forgottenBefore: j.forgottenBefore } : {};
  } catch {
    return {};
  }
}

export function formatLearningState(forgottenBefore: string): string {
  return `${JSON.stringify({ forgottenBefore, note: 'Marginalia: corrections made before this time no longer adapt the entity tagger (they still apply). Delete this file to learn from them again.' }, null, 2)}\n`;
}
