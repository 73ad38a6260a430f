/**
 * Anchoring for interchange: imported annotations and exported sidecars are placed on the CURRENT
 * text. Delegates to the re-anchoring of src/core/anchor, with the
 * interchange conventions on top: line endings in quotes are normalised first (the sidecar text
 * is `\n`-only), and a position that still shows the exact text is trusted as is.
 */
import { normalizeLineEndings } from './codepoints';
import type { TargetLike } from './model';
import { makeTarget, reanchor, type AnchorStatus } from '../anchor';
import type { Target } from '../sidecar/model';

export interface Placed {
  target: Target;
  orphan: boolean;
  status: AnchorStatus;
}

/** Quick path: the target still holds its text at its position. */
export function holds(text: string, t: TargetLike): boolean {
  return t.end >= t.start && t.end <= text.length && text.slice(t.start, t.end) === t.exact;
}

function normalized(t: TargetLike): Target {
  return {
    exact: normalizeLineEndings(t.exact),
    prefix: normalizeLineEndings(t.prefix ?? ''),
    suffix: normalizeLineEndings(t.suffix ?? ''),
    start: t.start,
    end: t.end,
  };
}

/**
 * Places targets on `text` (normalised: `\n` line endings) with src/core/anchor's `reanchor`
 * (exact near the old position, context-scored, fuzzy, else orphan). Never drops one: a target that
 * cannot be found comes back with `orphan: true` and its last known text.
 */
export function placeTargets(text: string, targets: readonly TargetLike[]): Placed[] {
  const norm = targets.map(normalized);
  const results = reanchor(text, norm);
  return results.map((r, i) =>
    r.status === 'orphan'
      ? { target: norm[i], orphan: true, status: r.status }
      : { target: makeTarget(text, r.start, r.end), orphan: false, status: r.status },
  );
}

export function placeTarget(text: string, target: TargetLike): Placed {
  return placeTargets(text, [target])[0];
}
