/** What a unit or a quotation's text looks like: a headline, a Markdown block quote, a title, web debris. */
import { isCap } from './tokens';

const MINOR = new Set(['a', 'an', 'the', 'of', 'with', 'in', 'on', 'for', 'and', 'or', 'to', 'at', 'by', 'from', 'is', 'are', 'vs']);

/** A quoted title or name ("Fox News Sunday", ‘The 411’, “Contract with America”): every word capitalised. */
export function isTitleLike(inner: string): boolean {
  if (/[!?][\s”’"'»›]*$/.test(inner)) return false;
  const t = inner.replace(/^[\s“‘"'«‹]+|[\s,.;:!?”’"'»›]+$/g, '');
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 8) return false;
  if (!isCap(words[0])) return false;
  return words.every((w) => isCap(w.replace(/^[^\p{L}\p{N}]+/u, '')) || MINOR.has(w.toLowerCase()) || !/[\p{L}\p{N}]/u.test(w));
}

/** A headline-style unit (one line, most words capitalised): titles in it are quotations. */
export function isHeadline(u: string): boolean {
  if (/[\r\n]/.test(u.trim()) || u.length > 200) return false;
  const words = u.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !MINOR.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')));
  if (words.length < 3) return false;
  const caps = words.filter((w) => isCap(w.replace(/^[^\p{L}\p{N}]+/u, ''))).length;
  return caps / words.length >= 0.7;
}

/** Web-page debris in quotation marks: no letters, a URL, a handle, an id. */
export function isJunk(inner: string): boolean {
  const t = inner.trim();
  if (!/\p{L}/u.test(t)) return true;
  if (/^\([^()]*\)[.,]?$/.test(t)) return true; // (CROSSTALK.)
  return !/\s/.test(t) && (/[/@]|\.com\b|^\d+$/.test(t) || /^[a-z]+[A-Z0-9_]/.test(t));
}

/** Markdown block quote: every non-blank line starts with `>`. */
export function isBlockQuote(u: string): boolean {
  const lines = u.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  return lines.length > 0 && lines.every((l) => /^\s{0,3}>/.test(l));
}
