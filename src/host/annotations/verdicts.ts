// Pure: how a verdict is shown (its class, colour id, icon). No `vscode` here (unit-tested).

/** The classes every verdict falls into; a verdict of the user's own scale is `other`, no verdict `none`. */
export const VERDICT_CLASSES = ['true', 'false', 'misleading', 'unverified', 'other', 'none'] as const;
export type VerdictClass = (typeof VERDICT_CLASSES)[number];

const SYNONYMS: Record<string, VerdictClass> = {
  true: 'true', correct: 'true', accurate: 'true', 'mostly true': 'true',
  false: 'false', wrong: 'false', incorrect: 'false', 'pants on fire': 'false', 'mostly false': 'false', fabricated: 'false',
  misleading: 'misleading', 'half true': 'misleading', 'half-true': 'misleading', 'missing context': 'misleading', exaggerated: 'misleading',
  unverified: 'unverified', unproven: 'unverified', unsupported: 'unverified', 'not verified': 'unverified',
};

export function verdictClass(verdict: string | undefined): VerdictClass {
  if (!verdict || !verdict.trim()) return 'none';
  return SYNONYMS[verdict.trim().toLowerCase().replace(/\s+/g, ' ')] ?? 'other';
}

/** The themeable colour (`marginalia.verdict.<class>`) of a verdict class; `none` uses the annotation colour. */
export function verdictColorId(c: VerdictClass): string {
  return c === 'none' ? 'marginalia.annotationBorder' : `marginalia.verdict${c[0].toUpperCase()}${c.slice(1)}`;
}

/** A codicon per verdict class (the tree); `none` shows the annotation's kind instead. */
export const VERDICT_ICONS: Record<Exclude<VerdictClass, 'none'>, string> = {
  true: 'pass-filled',
  false: 'error',
  misleading: 'warning',
  unverified: 'question',
  other: 'circle-filled',
};

/** The badge at the end of an annotated line: `false · The figure is from 2021` (the note clipped). */
export function badgeText(kind: string, verdict: string | undefined, note: string | undefined, max = 40): string {
  const head = verdict ? verdict : kind;
  const n = (note ?? '').replace(/\s+/g, ' ').trim();
  if (!n) return head;
  return `${head} · ${n.length > max ? `${n.slice(0, max - 1)}…` : n}`;
}
