/**
 * Anchoring (pure): keep each annotation on its text while the source changes.
 *
 * - `shiftSpans(spans, changes)` / `shiftSpan`: in-editor change events, arithmetic only.
 * - `reanchor(text, targets)`: after an outside change — exact, then context-scored, then fuzzy
 *   (`approx-string-match`), else orphan; never drops a target.
 * - `makeTarget(text, start, end)`: the `target` to store for a span (32 chars of context each side).
 */
export * from './shift';
export * from './reanchor';
export { fuzzySearch, type FuzzyMatch } from './fuzzy';
