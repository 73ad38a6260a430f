/**
 * Checks on a sidecar's text made before any parser reads it: its size, git conflict blocks, and
 * nesting deep enough to overflow the YAML parser's stack.
 */
import { Lexer } from 'yaml';

/** UTF-8 byte length without allocating. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * The line (1-based) of the first git conflict block, or 0. A block is a `<<<<<<<` line followed
 * by a `=======` line and a `>>>>>>>` line (all at column 0), so a lone marker-like text is not one.
 */
export function findConflictMarker(text: string): number {
  if (text.indexOf('<<<<<<<') === -1) return 0; // (a quick no before the line-anchored search)
  const start = /^<{7}(?:[ \t].*)?$/m.exec(text);
  if (!start) return 0;
  const rest = text.slice(start.index);
  const mid = /^(?:={7}|\|{7}(?:[ \t].*)?)$/m.exec(rest);
  if (!mid) return 0;
  if (!/^>{7}(?:[ \t].*)?$/m.test(rest.slice(mid.index))) return 0;
  let line = 1;
  for (let i = 0; i < start.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Deepest nesting of flow collections the reader takes (block nesting: see the check in `parseSidecar`). */
export const MAX_NESTING = 64;

/**
 * Where YAML collections nest beyond 64 levels (block `- - - …` or indentation, or flow `[[[…`,
 * `{a: {a: …`), or -1. The YAML parser recurses on nesting: every YAML reader checks this first.
 */
export function yamlNestingBeyondLimit(text: string): number {
  const deep = /^(?:[ \t]*[-?:](?:[ \t]+|$)){64}|^[ \t]{1000}/m.exec(text);
  return deep ? deep.index : deepFlow(text, MAX_NESTING);
}

/**
 * The offset where flow collections (`[`, `{`) nest deeper than `max`, or -1. Read with the yaml
 * lexer (iterative, no recursion): brackets inside quoted strings, block scalars, plain text
 * (`note: see [1`) and comments do not count.
 */
function deepFlow(text: string, max: number): number {
  // Quick no: fewer brackets than the limit.
  let count = 0;
  for (let i = text.indexOf('['); i >= 0 && count <= max; i = text.indexOf('[', i + 1)) count++;
  for (let i = text.indexOf('{'); i >= 0 && count <= max; i = text.indexOf('{', i + 1)) count++;
  if (count <= max) return -1;
  let depth = 0;
  let offset = 0;
  for (const tok of new Lexer().lex(text)) {
    if (tok.length === 1) {
      const c = tok.charCodeAt(0);
      if (c === 91 || c === 123) {
        if (++depth > max) return offset;
      } else if ((c === 93 || c === 125) && depth > 0) depth--;
      else if (c === 2 || c === 0x18 || c === 0x1f) continue; // the lexer's own control tokens (not in the text)
    }
    offset += tok.length;
  }
  return -1;
}
