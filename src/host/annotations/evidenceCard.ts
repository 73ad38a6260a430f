// Pure (no `vscode`; unit-tested): what the editor shows of a claim's evidence links — the hover's
// Evidence section, the Annotations view's rows, the claim picker of Link Evidence. Every piece of
// source or sidecar text goes through the one `escapeMarkdown` (src/core/text/escape.ts); the only
// links are our own command (Commands.openEvidence) with strictly encoded arguments.
import type { Annotation, EvidenceRelation } from '../../core/sidecar/model';
import { Commands } from '../commands';
import { clip, escapeMarkdown } from '../../core/text/escape';
import { commandUri } from '../hover/cards';


export const RELATION_LABELS: Record<EvidenceRelation, string> = {
  supports: 'supports',
  contradicts: 'contradicts',
  context: 'context',
};

export const RELATION_DESCRIPTIONS: Record<EvidenceRelation, string> = {
  supports: 'The selected text supports the claim',
  contradicts: 'The selected text contradicts the claim',
  context: 'The selected text gives context to the claim',
};

/** One evidence link as shown: anchored on the other source's current text (or not yet read). */
export interface EvidenceView {
  /** Index in the annotation's `evidence` list. */
  index: number;
  relation: EvidenceRelation;
  /** Workspace-relative path of the other source, as stored. */
  source: string;
  /** The quoted evidence text (the current text when anchored, else the last known one). */
  exact: string;
  /** The text is gone from the source, or the source cannot be read: kept and listed as an orphan. */
  orphan: boolean;
  /** Why it is orphaned: `text-gone` or the reader's message. */
  reason?: string;
  /** The other source has not been read yet (shown as stored). */
  pending?: boolean;
}

/** An annotation that is a claim to review: kind claim or verdict, or any annotation with a verdict. */
export function isClaim(a: Pick<Annotation, 'kind' | 'verdict'>): boolean {
  return a.kind === 'claim' || a.kind === 'verdict' || (typeof a.verdict === 'string' && a.verdict.trim() !== '');
}

/** Arguments of Open Evidence (Commands.openEvidence): the claim (its source's URI and id) and the link's index; never a path. */
export interface OpenEvidenceArgs {
  uri: string;
  id: string;
  index: number;
}

export function isOpenEvidenceArgs(x: unknown): x is OpenEvidenceArgs {
  const o = x as OpenEvidenceArgs | undefined;
  return typeof o === 'object' && o !== null && typeof o.uri === 'string' && typeof o.id === 'string' && Number.isSafeInteger(o.index) && o.index >= 0;
}

function orphanNote(v: EvidenceView): string {
  if (!v.orphan) return '';
  return v.reason && v.reason !== 'text-gone' ? 'orphaned: the source cannot be read' : 'orphaned: the text is no longer in the source';
}

/**
 * The hover's Evidence section (Markdown): one list item per link — the relation, the quoted text,
 * the source file and an *Open* link (absent for orphans, which are listed as such). `open` gives
 * the claim the links belong to; without it no link is made.
 */
export function evidenceMarkdown(views: readonly EvidenceView[], open?: { uri: string; id: string }): string {
  if (views.length === 0) return '';
  const orphans = views.filter((v) => v.orphan).length;
  const head = `**Evidence** (${views.length}${orphans ? `, ${orphans} orphaned` : ''})`;
  const lines = views.map((v) => {
    const parts = [`*${RELATION_LABELS[v.relation] ?? escapeMarkdown(String(v.relation))}*`, `“${escapeMarkdown(clip(v.exact, 120))}”`, `— ${escapeMarkdown(v.source)}`];
    if (v.orphan) parts.push(`(${orphanNote(v)})`);
    else if (open) parts.push(`[Open](${commandUri(Commands.openEvidence, { uri: open.uri, id: open.id, index: v.index } satisfies OpenEvidenceArgs)} "Open the evidence")`);
    return `- ${parts.join(' ')}`;
  });
  return `${head}\n\n${lines.join('\n')}`;
}

/** The Annotations view's row of an evidence link: label and description (plain text, not Markdown). */
export function evidenceRow(v: EvidenceView): { label: string; description: string; tooltip: string } {
  const label = `${RELATION_LABELS[v.relation] ?? String(v.relation)}: “${clip(v.exact, 60)}”`;
  const description = v.orphan ? `orphaned · ${v.source}` : v.source;
  const tooltip = `${RELATION_LABELS[v.relation] ?? String(v.relation)} — ${v.source}\n\n“${clip(v.exact, 300)}”${v.orphan ? `\n\n${orphanNote(v)} (the link is kept with its last known text)` : ''}`;
  return { label, description, tooltip };
}

export interface ClaimChoice {
  /** The claim's source, workspace-relative. */
  source: string;
  annotation: Pick<Annotation, 'id' | 'kind' | 'verdict' | 'note' | 'target' | 'orphan' | 'evidence'>;
}

/** The quick pick rows of Link Evidence's claim step: the claim's text, its verdict and source, its note. */
export function claimPickRows(choices: readonly ClaimChoice[]): { label: string; description: string; detail?: string }[] {
  return choices.map(({ source, annotation: a }) => {
    const bits = [a.verdict ? a.verdict : 'no verdict yet', source];
    const n = a.evidence?.length ?? 0;
    if (n) bits.push(`${n} evidence link${n === 1 ? '' : 's'}`);
    if (a.orphan) bits.push('orphaned');
    const row: { label: string; description: string; detail?: string } = { label: `“${clip(a.target.exact, 80)}”`, description: bits.join(' · ') };
    if (a.note) row.detail = clip(a.note, 120);
    return row;
  });
}

/** Claims across sources, in a stable order: by source path, then position in the source. */
export function sortClaims<T extends ClaimChoice>(choices: readonly T[]): T[] {
  return [...choices].sort((x, y) => (x.source < y.source ? -1 : x.source > y.source ? 1 : x.annotation.target.start - y.annotation.target.start));
}
