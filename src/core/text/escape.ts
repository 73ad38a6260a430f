/**
 * Untrusted text (sources, sidecars, imported files, file names) made inert for each output:
 * Markdown (the report, hover cards and hovers), and terminals (the CLI's human-readable output).
 * The one place these rules live; pure, no `vscode`, no Node built-ins.
 *
 * Markdown (CommonMark + GFM, as rendered by `marked`, markdown-it and VS Code's hovers):
 * - `escapeMarkdown(text)` is inline text, safe anywhere a line of Markdown holds text — a paragraph,
 *   a heading, emphasis, a list item, a GFM table cell, even at the start of a line. Every ASCII
 *   punctuation character gets a backslash (CommonMark lets any of them be escaped, and none of
 *   them then starts HTML, a link, an autolink — `https\:`, `www\.`, `a\@b` are not links — an
 *   entity, emphasis, a code span, a table cell break, a heading, a list or a block quote). Every run
 *   of whitespace (JS `\s`: line breaks included) becomes one space, so the text never starts a new
 *   block and never gets four spaces of indentation. Control characters (C0 other than whitespace,
 *   DEL, C1) and bidi embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) become U+FFFD.
 *   Rendered, the result reads as the text itself with those substitutions.
 * - `escapeMarkdownLines(text)` is the same, line by line, with a hard line break (two spaces and a
 *   newline — no `<br>`) between lines; a blank line starts a new paragraph. For a paragraph's body
 *   only: never inside a table cell, a heading or a list item.
 * - `markdownCode(text)` is an inline code span that its content cannot close: its fence is one
 *   backtick longer than the longest backtick run inside, padded with a space on both sides when the
 *   content starts or ends with a backtick or a space (CommonMark strips exactly that padding). Line
 *   breaks (CRLF, CR, LF, U+2028, U+2029) become one space each (a blank line would end the paragraph and the span
 *   with it); controls and bidi characters become U+FFFD as above. Not for GFM table cells (a `|`
 *   inside a code span still splits a cell there): use `escapeMarkdown`. The empty string gives ''.
 *
 * Terminals: `terminalSafe(text)` shows every control character as visible text — `\x1b` for ESC,
 * `\x07` for BEL, `\x9b` for the C1 CSI, `\u202e` for a right-to-left override — so an escape
 * sequence (CSI `ESC [`, OSC `ESC ]` ending in BEL or ST `ESC \`, DCS `ESC P`, the 8-bit C1 forms…)
 * prints as harmless characters instead of clearing the screen or writing the clipboard (OSC 52).
 * Tabs are kept and newlines replaced unless the caller says otherwise; CRLF counts as a newline, a
 * lone CR (which moves the cursor back over the line) is always replaced.
 */
/* eslint-disable no-control-regex -- finding control characters is what this module is for */

/** C0 controls other than whitespace (HT, LF, VT, FF, CR are `\s`), DEL, C1, bidi embeddings, overrides and isolates. */
const MD_CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** Inside a code span: every control but HT and the line breaks (replaced first), and the bidi characters. */
const CODE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** Every ASCII punctuation character (CommonMark's backslash-escapable set). */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Inline Markdown text (CommonMark + GFM) that renders as the text itself: see the module comment. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(MD_CONTROL, '\uFFFD').replace(ASCII_PUNCTUATION, '\\$&');
}

/** Multi-line text as a paragraph body: each line escaped, hard line breaks between lines, a blank line a paragraph break. */
export function escapeMarkdownLines(text: string): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => escapeMarkdown(line))
    .join('  \n');
}

/** An inline code span holding `text` that nothing in `text` can close: see the module comment. */
export function markdownCode(text: string): string {
  const body = text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').replace(CODE_CONTROL, '\uFFFD');
  if (body === '') return '';
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = /[^ ]/.test(body) && /^[ `]|[ `]$/.test(body) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * One line of at most `max` characters: whitespace runs become one space, the ends are trimmed, and a
 * longer text is cut with `…` (the result, `…` included, is `max` long). Never cuts a surrogate pair.
 */
export function clip(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  let end = Math.max(0, max - 1);
  const last = one.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${one.slice(0, end)}…`;
}

export interface TerminalSafeOptions {
  /** Keep line feeds (CRLF becomes LF). Default false: a newline is shown as `\n`. */
  newline?: boolean;
  /** Keep tabs. Default true. */
  tab?: boolean;
}

/** Every control a terminal could act on: C0, DEL, C1, the Unicode line/paragraph separators, bidi embeddings, overrides and isolates. */
const TERMINAL_CONTROL = /\r\n|[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text safe to print to a terminal: see the module comment. Idempotent. */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  const keepNewline = options.newline ?? false;
  const keepTab = options.tab ?? true;
  return text.replace(TERMINAL_CONTROL, (c) => {
    if (c === '\r\n') return keepNewline ? '\n' : '\\r\\n';
    if (c === '\n' && keepNewline) return c;
    if (c === '\t' && keepTab) return c;
    return visible(c);
  });
}

/**
 * JSON text (as `JSON.stringify` writes it) with the characters it leaves raw but a terminal may act
 * on — DEL, C1, U+2028/U+2029, bidi embeddings, overrides and isolates — written as `\u` escapes.
 * Still the same JSON value: outside strings JSON.stringify writes none of these characters.
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
