/**
 * Re-finding anchors after the text changed outside the editor (the sidecar's `hash` differs).
 *
 * For each target, in order of position, with the expected position = old start + the drift seen
 * on the previous anchor (so scattered edits cost one cheap check per anchor):
 * 1. exact text at the expected position with matching context → `exact`;
 * 2. every exact occurrence in a window around it (±`window`, default 2 KB each side), scored by
 *    prefix/suffix agreement then distance; if none, the whole text → `moved`;
 * 3. fuzzy (`approx-string-match`, errors ≤ ¼ of the length): long texts on their own, short ones
 *    (< `shortLength`) only together with their prefix/suffix, so "Linus" never matches "chines";
 *    searched in the window, then a 16× window, then the whole text when it is not huge → `fuzzy`;
 *    (the wider passes of one call share a budget of 64 text lengths, so thousands of lost texts
 *    stay linear — see FUZZY_BUDGET_TEXTS);
 * 4. else `orphan` (kept where it was, clamped to the text, never dropped).
 */
import type { Target } from '../sidecar/model';
import { CONTEXT_LENGTH } from '../sidecar/model';
import { fuzzySearch } from './fuzzy';

export type AnchorStatus = 'exact' | 'moved' | 'fuzzy' | 'orphan';

export interface AnchorResult {
  status: AnchorStatus;
  start: number;
  end: number;
  /** Edit distance of a fuzzy match. */
  errors?: number;
}

export interface ReanchorOptions {
  /** Characters searched on each side of the expected position before widening. Default 2048. */
  window?: number;
  /** Texts shorter than this need their context to match fuzzily. Default 24. */
  shortLength?: number;
  /** Largest text searched fuzzily as a whole (cost grows with it). Default 262144 (256 K). */
  maxFullFuzzyScan?: number;
}

/** Build a target for `text[start, end)` with up to `contextLength` characters of context each side. */
export function makeTarget(text: string, start: number, end: number, contextLength = CONTEXT_LENGTH): Target {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return {
    exact: text.slice(s, e),
    prefix: text.slice(Math.max(0, s - contextLength), s),
    suffix: text.slice(e, e + contextLength),
    start: s,
    end: e,
  };
}

/** How well the text around `[start, end)` agrees with the target's context: 0..1. */
export function contextScore(text: string, start: number, end: number, target: Target): number {
  const { prefix, suffix } = target;
  if (!prefix && !suffix) return 1;
  let p = 0;
  while (p < prefix.length && start - 1 - p >= 0 && text.charCodeAt(start - 1 - p) === prefix.charCodeAt(prefix.length - 1 - p)) p++;
  let s = 0;
  while (s < suffix.length && end + s < text.length && text.charCodeAt(end + s) === suffix.charCodeAt(s)) s++;
  // A prefix cut short by the start of the text (or a suffix by its end) still agrees.
  if (p === start && start < prefix.length) p = prefix.length;
  if (s === text.length - end && text.length - end < suffix.length) s = suffix.length;
  return (p + s) / (prefix.length + suffix.length);
}

function clampSpan(text: string, start: number, end: number): { start: number; end: number } {
  const s = Math.max(0, Math.min(start, text.length));
  return { start: s, end: Math.max(s, Math.min(end, text.length)) };
}

const MAX_OCCURRENCES = 1000;

function bestExact(text: string, target: Target, expected: number, from: number, to: number, window: number): number {
  const exact = target.exact;
  let best = -1;
  let bestScore = -Infinity;
  let count = 0;
  // Search only [from, to): `text.indexOf` would run on to the next occurrence, often the end of a
  // large text, for every anchor whose context changed (bench: 1 MB source, 10,000 anchors).
  const lo = Math.max(0, from);
  const hi = Math.min(text.length, to);
  const hay = lo === 0 && hi === text.length ? text : text.slice(lo, Math.max(lo, hi));
  let j = hay.indexOf(exact);
  while (j !== -1 && count < MAX_OCCURRENCES) {
    const i = lo + j;
    const ctx = contextScore(text, i, i + exact.length, target);
    const dist = Math.abs(i - expected);
    // Context dominates; distance breaks ties (and mildly prefers the near one).
    const score = ctx - 0.25 * Math.min(1, dist / Math.max(1, window * 8));
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
    count++;
    j = hay.indexOf(exact, j + 1);
  }
  return best;
}

interface Options {
  window: number;
  shortLength: number;
  maxFullFuzzyScan: number;
  /** What the wide fuzzy passes (16× window, whole text) may still scan in this call (characters × pattern blocks). */
  budget: Budget;
}

/**
 * The wide fuzzy passes (16× window, whole text) of one `reanchor` call scan at most this many
 * times the text's length (plus {@link FUZZY_BUDGET_MIN}) in total, counted in 32-character blocks
 * of the pattern (a 300-character context costs ten times a 30-character one). The first window around each
 * target is always searched; past the budget, a target not found there is an orphan. An outside
 * edit that orphans a few annotations never comes near it; a sidecar of thousands of annotations
 * whose texts are gone stays linear instead of searching the whole text once per annotation.
 */
const FUZZY_BUDGET_TEXTS = 64;
const FUZZY_BUDGET_MIN = 1 << 22;

/**
 * Likewise, the exact searches of the whole text (for targets not found near their place) of one
 * call scan at most this many text lengths (plus {@link FUZZY_BUDGET_MIN}); after that a target is
 * searched near its place only. Moved blocks need one such search each (the drift carries the
 * targets after it), so only thousands of vanished texts reach the limit.
 */
const EXACT_BUDGET_TEXTS = 256;

interface Budget {
  /** wide fuzzy passes: characters × pattern blocks */
  left: number;
  /** exact searches of the whole text: characters */
  exact: number;
}

function newBudget(text: string): Budget {
  return { left: FUZZY_BUDGET_TEXTS * text.length + FUZZY_BUDGET_MIN, exact: EXACT_BUDGET_TEXTS * text.length + FUZZY_BUDGET_MIN };
}

function fuzzyFind(text: string, target: Target, expected: number, o: Options): AnchorResult | null {
  const exact = target.exact;
  const L = exact.length;
  const short = L < o.shortLength;
  const pattern = short ? target.prefix + exact + target.suffix : exact;
  const ctxLen = target.prefix.length + target.suffix.length;
  if (short && ctxLen < 8) return null; // too little to go on: a short text with no context stays an orphan
  const maxErrors = Math.min(256, Math.floor(pattern.length / 4));
  const anchorAt = short ? expected - target.prefix.length : expected;
  const windows = [o.window, o.window * 16, Infinity];
  for (const w of windows) {
    if (w === Infinity && text.length > o.maxFullFuzzyScan) break;
    const from = w === Infinity ? 0 : anchorAt - w;
    const to = w === Infinity ? text.length : anchorAt + w + pattern.length + maxErrors;
    if (w !== o.window) {
      // (cost: characters scanned × 32-character blocks of the pattern, as Myers' algorithm runs)
      const cost = Math.max(0, Math.min(text.length, to) - Math.max(0, from)) * Math.ceil(pattern.length / 32);
      if (cost > o.budget.left) break;
      o.budget.left -= cost;
    }
    const matches = fuzzySearch(text, pattern, maxErrors, from, to);
    if (matches.length === 0) {
      if (from <= 0 && to >= text.length) break;
      continue;
    }
    // Fewest errors, then nearest.
    let m = matches[0]!;
    for (const c of matches) {
      if (c.errors < m.errors || (c.errors === m.errors && Math.abs(c.start - anchorAt) < Math.abs(m.start - anchorAt))) m = c;
    }
    if (!short) return { status: 'fuzzy', start: m.start, end: m.end, errors: m.errors };
    // Short: the context matched; now find the annotated text inside the matched region.
    const guessStart = Math.min(m.end, m.start + target.prefix.length);
    const guessEnd = Math.max(guessStart, m.end - target.suffix.length);
    const inner = text.indexOf(exact, Math.max(m.start, guessStart - maxErrors));
    if (inner !== -1 && inner + L <= m.end) return { status: 'fuzzy', start: inner, end: inner + L, errors: m.errors };
    const innerErrors = Math.max(0, Math.floor(L / 3));
    const cands = fuzzySearch(text, exact, innerErrors, m.start, m.end);
    if (cands.length > 0) {
      let c = cands[0]!;
      for (const x of cands) if (Math.abs(x.start - guessStart) < Math.abs(c.start - guessStart)) c = x;
      return { status: 'fuzzy', start: c.start, end: c.end, errors: m.errors + c.errors };
    }
    if (guessEnd > guessStart) return { status: 'fuzzy', start: guessStart, end: guessEnd, errors: m.errors };
    return null;
  }
  return null;
}

/** Re-find one target expecting it near `expected`. */
export function anchorOne(text: string, target: Target, expected: number, options: ReanchorOptions = {}): AnchorResult {
  return anchorWith(text, target, expected, options, newBudget(text));
}

function anchorWith(text: string, target: Target, expected: number, options: ReanchorOptions, budget: Budget): AnchorResult {
  const o: Options = {
    window: options.window ?? 2048,
    shortLength: options.shortLength ?? 24,
    maxFullFuzzyScan: options.maxFullFuzzyScan ?? 262144,
    budget,
  };
  const exact = target.exact;
  const L = exact.length;
  if (L === 0) {
    const p = Math.max(0, Math.min(expected, text.length));
    return { status: 'exact', start: p, end: p };
  }
  const tryAt = (p: number): boolean =>
    p >= 0 && p + L <= text.length && text.startsWith(exact, p) && contextScore(text, p, p + L, target) === 1;
  if (tryAt(expected)) return { status: 'exact', start: expected, end: expected + L };
  if (expected !== target.start && tryAt(target.start)) return { status: 'exact', start: target.start, end: target.end };
  // Exact occurrences near the expected position, then anywhere.
  let at = bestExact(text, target, expected, expected - o.window, expected + o.window + L, o.window);
  if (at < 0 && budget.exact >= text.length) {
    budget.exact -= text.length;
    at = bestExact(text, target, expected, 0, text.length, o.window);
  }
  if (at >= 0) return { status: at === target.start ? 'exact' : 'moved', start: at, end: at + L };
  const fuzzy = fuzzyFind(text, target, expected, o);
  if (fuzzy) return fuzzy;
  return { status: 'orphan', ...clampSpan(text, target.start, target.end) };
}

/**
 * Re-find every target in `text`. Results are in the order of `targets`. Never drops one: a target
 * that cannot be found is returned as an `orphan` at its old (clamped) position.
 */
export function reanchor(text: string, targets: readonly Target[], options: ReanchorOptions = {}): AnchorResult[] {
  const order = targets.map((_, i) => i).sort((x, y) => targets[x]!.start - targets[y]!.start || x - y);
  const results: AnchorResult[] = new Array<AnchorResult>(targets.length);
  let drift = 0;
  const budget = newBudget(text);
  for (const i of order) {
    const t = targets[i]!;
    const r = anchorWith(text, t, t.start + drift, options, budget);
    results[i] = r;
    if (r.status !== 'orphan') drift = r.start - t.start;
  }
  return results;
}
