/**
 * A quotation's own words, with the marks of an edit: ellipses (`…`, `...`, `. . .`, `[…]`, `[...]`)
 * mark omissions, square brackets (`[the president]`) mark changes. Quotation marks, edge
 * punctuation and everything else that is not a word are not items at all (see `words`).
 */
import { words } from './words';

export type QuoteItem =
  | { kind: 'word'; norm: string; start: number; end: number }
  | { kind: 'ellipsis'; start: number; end: number }
  | { kind: 'bracket'; start: number; end: number; text: string };

/**
 * Ellipses (a bracketed one too), brackets attached to a word (`[W]e`, `reform[s]`: one changed word)
 * and free-standing brackets (`[the president]`).
 */
const MARK_RE = /\[\s*(?:…|\.\s?\.\s?\.)\s*\]|…|\.\s?\.\s?\.|[\p{L}\p{N}'’]*\[[\p{L}\p{N}'’]{1,30}\][\p{L}\p{N}'’]*|\[[^\]\n]{0,200}\]/gu;

/** The items of `text.slice(start, end)` in order (offsets into `text`). */
export function parseQuotation(text: string, start = 0, end = text.length): QuoteItem[] {
  const slice = text.slice(start, end);
  const items: QuoteItem[] = [];
  let last = 0;
  const pushWords = (from: number, to: number) => {
    if (to <= from) return;
    const w = words(text, start + from, start + to);
    for (let i = 0; i < w.norm.length; i++) items.push({ kind: 'word', norm: w.norm[i], start: w.starts[i], end: w.ends[i] });
  };
  // Most quotations hold no mark at all: no regular expression for them.
  if (slice.indexOf('…') < 0 && slice.indexOf('[') < 0 && slice.indexOf('..') < 0 && slice.indexOf('. .') < 0) {
    pushWords(0, slice.length);
    return items;
  }
  MARK_RE.lastIndex = 0;
  for (let m = MARK_RE.exec(slice); m; m = MARK_RE.exec(slice)) {
    pushWords(last, m.index);
    const s = start + m.index;
    const e = s + m[0].length;
    if (m[0].includes('[') && !/^\[\s*(?:…|\.\s?\.\s?\.)\s*\]$/u.test(m[0])) items.push({ kind: 'bracket', start: s, end: e, text: m[0].startsWith('[') && m[0].endsWith(']') ? m[0].slice(1, -1) : m[0].replace(/[[\]]/g, '') });
    else items.push({ kind: 'ellipsis', start: s, end: e });
    last = m.index + m[0].length;
  }
  pushWords(last, slice.length);
  return items;
}

/** The number of words outside brackets. */
export function countWords(items: readonly QuoteItem[]): number {
  let n = 0;
  for (const it of items) if (it.kind === 'word') n++;
  return n;
}
