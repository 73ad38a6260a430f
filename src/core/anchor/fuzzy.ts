/**
 * The one place that loads `approx-string-match` (Myers' bit-parallel approximate matching, the
 * library Hypothesis uses). It is an ES module; the project compiles to CommonJS, so it is loaded
 * with `require` (Node ≥ 20.19 and esbuild both support requiring an ES module) and typed from the
 * package's own declarations.
 */
import type { Match } from 'approx-string-match' with { 'resolution-mode': 'import' };

type SearchFn = typeof import('approx-string-match', { with: { 'resolution-mode': 'import' } }).default;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mod = require('approx-string-match') as { default?: SearchFn } | SearchFn;
const search: SearchFn = typeof mod === 'function' ? mod : (mod.default as SearchFn);

export type FuzzyMatch = Match;

/** Best approximate matches of `pattern` in `text[from, to)` with at most `maxErrors` edits (offsets into `text`). */
export function fuzzySearch(text: string, pattern: string, maxErrors: number, from = 0, to = text.length): FuzzyMatch[] {
  if (!pattern) return [];
  const lo = Math.max(0, from);
  const hi = Math.min(text.length, to);
  if (hi <= lo) return [];
  const hay = lo === 0 && hi === text.length ? text : text.slice(lo, hi);
  const found = search(hay, pattern, Math.max(0, Math.min(maxErrors, pattern.length)));
  if (lo === 0) return found;
  return found.map((m) => ({ start: m.start + lo, end: m.end + lo, errors: m.errors }));
}
