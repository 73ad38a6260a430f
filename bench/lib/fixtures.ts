/**
 * Inputs shared by several cases, built deterministically from the corpus: a 1 MB source,
 * 10,000 annotations anchored on it, and scattered edits outside the annotated text.
 */
import type { BenchContext } from './harness';
import { buildSource } from './corpus';
import { prng } from './stats';

export const ONE_MB = 1 << 20;
export const CONTEXT = 32;

/** A ~1 MB source (≥ 2^20 UTF-16 code units) of corpus paragraphs; built once per run. */
export function oneMegabyteSource(ctx: BenchContext): string {
  let text = ctx.shared.get('source1mb') as string | undefined;
  if (text === undefined) {
    text = buildSource(ctx.corpus, ONE_MB);
    ctx.shared.set('source1mb', text);
  }
  return text;
}

export interface BenchTarget {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export interface BenchAnnotation {
  id: string;
  kind: 'note' | 'claim' | 'question' | 'verdict' | 'tag' | 'link' | 'correction';
  tags?: string[];
  verdict?: string;
  note?: string;
  author?: string;
  created?: string;
  modified?: string;
  target: BenchTarget;
}

const KINDS = ['note', 'claim', 'question', 'verdict', 'tag', 'link'] as const;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Sortable 26-character ids (ULID alphabet), increasing with `i`. */
export function benchId(i: number): string {
  let s = '';
  let n = i;
  for (let k = 0; k < 8; k++) {
    s = CROCKFORD[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return `01HF8Z3K4M${s}ABCDEFGH`;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/**
 * `count` non-overlapping annotations spread over `text`: one per equal slot, starting and ending
 * at word boundaries, 12–60 code units long, with 32 units of prefix/suffix context.
 */
export function makeAnnotations(text: string, count: number, seed = 6): BenchAnnotation[] {
  const rnd = prng(seed);
  const slot = Math.floor(text.length / count);
  const out: BenchAnnotation[] = [];
  for (let i = 0; i < count; i++) {
    const lo = i * slot;
    let start = lo + Math.floor(rnd() * (slot / 3));
    while (start < lo + slot - 1 && !(isWordChar(text[start]) && !isWordChar(text[start - 1]))) start++;
    let end = Math.min(start + 12 + Math.floor(rnd() * 48), lo + slot - 1);
    while (end > start + 1 && !(isWordChar(text[end - 1]) && !isWordChar(text[end]))) end--;
    if (end <= start) end = start + 1;
    const kind = KINDS[i % KINDS.length];
    const a: BenchAnnotation = {
      id: benchId(i),
      kind,
      target: {
        exact: text.slice(start, end),
        prefix: text.slice(Math.max(0, start - CONTEXT), start),
        suffix: text.slice(end, end + CONTEXT),
        start,
        end,
      },
    };
    if (i % 3 === 0) a.tags = ['bench', `topic-${i % 17}`];
    if (kind === 'verdict') a.verdict = ['true', 'false', 'misleading', 'unverified'][i % 4];
    if (i % 2 === 0) a.note = `Check this against the wire copy #${i}: "${text.slice(start, Math.min(end, start + 20))}" — source?`;
    a.author = i % 5 === 0 ? 'Ana Lima' : 'bench';
    a.created = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    if (i % 4 === 0) a.modified = new Date(Date.UTC(2026, 10, 2) + i * 60_000).toISOString();
    out.push(a);
  }
  return out;
}

export interface TextEdit {
  /** Offsets into the text before this edit (edits are listed from the end of the text backwards). */
  start: number;
  end: number;
  insert: string;
}

/**
 * `count` edits scattered over the text, each in a gap between two annotations (never touching
 * annotated text, though often their prefix/suffix context): insertions, deletions and
 * replacements of a few words. Listed from the last position to the first so they can be applied
 * in order on the original offsets.
 */
export function makeOutsideEdits(text: string, annotations: BenchAnnotation[], count: number, seed = 100): TextEdit[] {
  const rnd = prng(seed);
  const step = Math.floor(annotations.length / count);
  const edits: TextEdit[] = [];
  const words = ['reportedly', 'on Monday', '(updated)', 'officials said', 'in a statement', '—', 'also'];
  for (let k = 0; k < count; k++) {
    const i = k * step + Math.floor(rnd() * (step - 1));
    const gapStart = annotations[i].target.end;
    const gapEnd = i + 1 < annotations.length ? annotations[i + 1].target.start : text.length;
    if (gapEnd - gapStart < 4) continue;
    const at = gapStart + 1 + Math.floor(rnd() * (gapEnd - gapStart - 2));
    const r = rnd();
    if (r < 0.4) edits.push({ start: at, end: at, insert: ` ${words[k % words.length]} ` });
    else if (r < 0.7) edits.push({ start: at, end: Math.min(gapEnd - 1, at + 1 + Math.floor(rnd() * 12)), insert: '' });
    else edits.push({ start: at, end: Math.min(gapEnd - 1, at + 1 + Math.floor(rnd() * 8)), insert: words[(k + 3) % words.length] });
  }
  return edits.sort((a, b) => b.start - a.start);
}

/** Applies edits listed from the end backwards. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

/** Where an offset outside every edited range lands after the edits. */
export function shiftOffset(offset: number, edits: TextEdit[]): number {
  let delta = 0;
  for (const e of edits) if (e.end <= offset) delta += e.insert.length - (e.end - e.start);
  return offset + delta;
}
