/**
 * Document-level consistency of the tagger's names: the same surface gets the label of its
 * confident mentions, and its untagged capitalised occurrences are added.
 */
import { tokenize, TOK_CAP, type TokenList } from '../../text/tokenize';
import type { NameSpan } from './index';

/** Consistency-pass thresholds (tuned on CoNLL-2003 dev). */
const CONSISTENCY_MIN = 0.8;
const CONSISTENCY_RELABEL_BELOW = 0.8;

export interface ConsistencyOptions {
  /** A mention gives its label to others when its confidence is at least this. */
  minConfidence?: number;
  /** Only mentions below this confidence are relabelled. */
  relabelBelow?: number;
}

/**
 * Document-level consistency: a name (exact surface) tagged with confidence ≥ `minConfidence`
 * gives its label to its other occurrences tagged otherwise with confidence < `relabelBelow`, and
 * to its untagged capitalised occurrences (not inside or next to another capitalised word).
 */
export function applyConsistency(tokens: TokenList, spans: readonly NameSpan[], options: ConsistencyOptions = {}): NameSpan[] {
  const minConfidence = options.minConfidence ?? CONSISTENCY_MIN;
  const relabelBelow = options.relabelBelow ?? CONSISTENCY_RELABEL_BELOW;
  const text = tokens.text;
  // best label per surface
  const bySurface = new Map<string, NameSpan>();
  for (const s of spans) {
    const key = text.slice(s.start, s.end);
    const cur = bySurface.get(key);
    if (!cur || s.confidence > cur.confidence) bySurface.set(key, s);
  }
  const result: NameSpan[] = spans.map((s) => {
    const best = bySurface.get(text.slice(s.start, s.end));
    if (best && best.label !== s.label && best.confidence >= minConfidence && s.confidence < relabelBelow) {
      return { ...s, label: best.label, confidence: Math.round(Math.min(s.confidence, best.confidence) * 900) / 1000, consistency: true };
    }
    return s;
  });
  // untagged occurrences of confident multi-letter names
  const confident = [...bySurface.entries()].filter(([k, s]) => s.confidence >= minConfidence && k.length > 1);
  if (!confident.length) return result;
  const covered = new Uint8Array(tokens.count);
  let si = 0;
  const sorted = [...result].sort((x, y) => x.start - y.start);
  for (let i = 0; i < tokens.count; i++) {
    while (si < sorted.length && sorted[si].end <= tokens.starts[i]) si++;
    if (si < sorted.length && sorted[si].start < tokens.ends[i] && sorted[si].end > tokens.starts[i]) covered[i] = 1;
  }
  const firstTok = new Map<string, { key: string; span: NameSpan; n: number }[]>();
  for (const [key, span] of confident) {
    const t = tokenize(key);
    if (!t.count) continue;
    const head = key.slice(t.starts[0], t.ends[0]);
    const list = firstTok.get(head) ?? [];
    list.push({ key, span, n: t.count });
    firstTok.set(head, list);
  }
  const added: NameSpan[] = [];
  for (let i = 0; i < tokens.count; i++) {
    if (covered[i] || !(tokens.flags[i] & TOK_CAP)) continue;
    const list = firstTok.get(text.slice(tokens.starts[i], tokens.ends[i]));
    if (!list) continue;
    for (const cand of list.sort((x, y) => y.n - x.n)) {
      const j = i + cand.n - 1;
      if (j >= tokens.count) continue;
      let free = true;
      for (let q = i; q <= j; q++) if (covered[q]) free = false;
      if (!free || text.slice(tokens.starts[i], tokens.ends[j]) !== cand.key) continue;
      if (j + 1 < tokens.count && tokens.flags[j + 1] & TOK_CAP && tokens.starts[j + 1] - tokens.ends[j] <= 1) continue; // part of a longer name
      if (i > 0 && tokens.flags[i - 1] & TOK_CAP && tokens.starts[i] - tokens.ends[i - 1] <= 1 && !(tokens.flags[i] & 1)) continue;
      added.push({ start: tokens.starts[i], end: tokens.ends[j], label: cand.span.label, confidence: Math.round(cand.span.confidence * 0.8 * 1000) / 1000, consistency: true });
      for (let q = i; q <= j; q++) covered[q] = 1;
      break;
    }
  }
  return [...result, ...added].sort((x, y) => x.start - y.start || x.end - y.end);
}
