/** BILOU tag set over the four CoNLL name types. Tag 0 is O; type k has B=1+4k, I=2+4k, L=3+4k, U=4+4k. */

export const NAME_LABELS = ['PER', 'ORG', 'LOC', 'MISC'] as const;
export type NameLabel = (typeof NAME_LABELS)[number];

export const NUM_TAGS = 1 + 4 * NAME_LABELS.length;
export const TAG_O = 0;
export const B = 1;
export const I = 2;
export const L = 3;
export const U = 4;

export function tagOf(labelIndex: number, part: 1 | 2 | 3 | 4): number {
  return 1 + 4 * labelIndex + (part - 1);
}

/** 0 = O, 1..4 = B, I, L, U */
export function partOf(tag: number): number {
  return tag === 0 ? 0 : ((tag - 1) & 3) + 1;
}

/** Label index of a tag (-1 for O). */
export function labelOf(tag: number): number {
  return tag === 0 ? -1 : (tag - 1) >> 2;
}

export function tagName(tag: number): string {
  if (tag === 0) return 'O';
  return `${'BILU'[partOf(tag) - 1]}-${NAME_LABELS[labelOf(tag)]}`;
}

/** May `next` follow `prev` under BILOU? (prev = -1: sentence start) */
export function allowedTransition(prev: number, next: number): boolean {
  const pp = prev < 0 ? 0 : partOf(prev);
  const np = partOf(next);
  const open = pp === B || pp === I; // inside an entity
  if (open) return (np === I || np === L) && labelOf(prev) === labelOf(next);
  return np === 0 || np === B || np === U;
}

/** May the sentence end after `tag`? */
export function allowedEnd(tag: number): boolean {
  const p = partOf(tag);
  return p === 0 || p === L || p === U;
}

/** Dense transition-constraint matrix: allowed[prev * NUM_TAGS + next] (1/0), plus start and end vectors. */
export const ALLOWED = (() => {
  const m = new Uint8Array(NUM_TAGS * NUM_TAGS);
  for (let p = 0; p < NUM_TAGS; p++) for (let n = 0; n < NUM_TAGS; n++) m[p * NUM_TAGS + n] = allowedTransition(p, n) ? 1 : 0;
  return m;
})();
export const ALLOWED_START = (() => {
  const m = new Uint8Array(NUM_TAGS);
  for (let n = 0; n < NUM_TAGS; n++) m[n] = allowedTransition(-1, n) ? 1 : 0;
  return m;
})();
export const ALLOWED_END = (() => {
  const m = new Uint8Array(NUM_TAGS);
  for (let n = 0; n < NUM_TAGS; n++) m[n] = allowedEnd(n) ? 1 : 0;
  return m;
})();

/** Spans (token ranges, end exclusive) and label indices from a BILOU tag sequence; ill-formed runs are repaired leniently. */
export function spansFromTags(tags: ArrayLike<number>, from: number, to: number): { s: number; e: number; label: number }[] {
  const out: { s: number; e: number; label: number }[] = [];
  let open = -1;
  let openLabel = -1;
  for (let i = from; i < to; i++) {
    const t = tags[i];
    const p = partOf(t);
    const lab = labelOf(t);
    if (open >= 0 && (p === 0 || p === B || p === U || lab !== openLabel)) {
      out.push({ s: open, e: i, label: openLabel });
      open = -1;
    }
    if (p === U) out.push({ s: i, e: i + 1, label: lab });
    else if (p === B || ((p === I || p === L) && open < 0)) {
      open = i;
      openLabel = lab;
    }
    if (p === L && open >= 0) {
      out.push({ s: open, e: i + 1, label: openLabel });
      open = -1;
    }
  }
  if (open >= 0) out.push({ s: open, e: to, label: openLabel });
  return out;
}
