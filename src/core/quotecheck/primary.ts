/**
 * Which files are primary sources: those matching the `marginalia.primarySources` globs (relative
 * to the workspace folder; default `**\/transcripts/**` and `**\/*.transcript.*`) and those marked
 * with "Mark as Primary Source", kept in `.marginalia/primary-sources.txt` — one workspace-relative
 * path per line, `/`-separated, sorted, no duplicates, so that git diffs and merges stay clean.
 * Blank lines and lines starting with `#` are ignored when reading.
 */
import { errorCode, type ProjectFs } from '../project/files';
import type { Project } from '../project/project';
import { BoundedMemo } from '../text/memo';

export const DEFAULT_PRIMARY_SOURCES: readonly string[] = ['**/transcripts/**', '**/*.transcript.*'];
export const PRIMARY_LIST_PATH = '.marginalia/primary-sources.txt';

/** A workspace-relative path in the list's form (`/`-separated, no `./`, no leading `/`). */
export function normalizeListPath(p: string): string {
  return p
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/{2,}/g, '/');
}

/** The paths of a primary-source list. */
export function parsePrimaryList(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const p = normalizeListPath(t);
    if (p && !p.split('/').includes('..')) out.add(p);
  }
  return [...out].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The list's text: sorted (by code unit), unique, one path a line, a final newline ('' for none). */
export function serializePrimaryList(paths: Iterable<string>): string {
  const set = new Set<string>();
  for (const p of paths) {
    const n = normalizeListPath(p);
    if (n) set.add(n);
  }
  const list = [...set].sort(compare);
  return list.length ? list.join('\n') + '\n' : '';
}

/** The list with `path` marked (`on`) or unmarked. */
export function togglePrimary(list: readonly string[], path: string, on: boolean): string[] {
  const p = normalizeListPath(path);
  const set = new Set(list);
  if (on) set.add(p);
  else set.delete(p);
  return [...set].sort(compare);
}

/** Reads the workspace's list ([] when there is none). */
export async function readPrimaryList(project: Project): Promise<string[]> {
  return readPrimaryListAt(project.fs, project.absolute(PRIMARY_LIST_PATH));
}

export async function readPrimaryListAt(fs: ProjectFs, file: string): Promise<string[]> {
  try {
    const info = await fs.stat(file);
    if (!info || info.type !== 'file') return [];
    return parsePrimaryList(await fs.readText(file));
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
}

/** Writes the list atomically (a temporary file beside it, then a rename); an empty list removes the file. */
export async function writePrimaryList(project: Project, paths: Iterable<string>): Promise<void> {
  const file = project.absolute(PRIMARY_LIST_PATH);
  const text = serializePrimaryList(paths);
  if (!text) {
    await project.fs.remove(file);
    return;
  }
  await project.fs.mkdirp(project.absolute('.marginalia'));
  const tmp = `${file}.${project.fs.now()}.tmp`;
  await project.fs.writeText(tmp, text);
  try {
    await project.fs.rename(tmp, file);
  } catch (err) {
    await project.fs.remove(tmp);
    throw err;
  }
}

/** Compiled globs: the settings hold a handful, but a long session may see many over time. */
const globCache = new BoundedMemo<RegExp>(256);

/**
 * A glob as VS Code's settings use it, as a regular expression over a `/`-separated relative path:
 * `**` any number of folders (also none), `*` and `?` within one name, `{a,b}` alternatives,
 * `[abc]` character classes. A pattern without `/` matches at any depth only when it starts with `**`.
 */
export function globToRegExp(glob: string): RegExp {
  return globCache.get(glob, compileGlob);
}

function compileGlob(glob: string): RegExp {
  let src = '';
  let depth = 0;
  const g = normalizeListPath(glob);
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const before = i === 0 || g[i - 1] === '/';
        const after = g[i + 2] === '/' || i + 2 === g.length;
        if (before && after) {
          if (g[i + 2] === '/') {
            src += '(?:[^/]*/)*';
            i += 2;
          } else {
            src += '.*';
            i += 1;
          }
          continue;
        }
        src += '[^/]*';
        i += 1;
        continue;
      }
      src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if (c === '{') {
      src += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      src += ')';
      depth--;
    } else if (c === ',' && depth > 0) src += '|';
    else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close > i + 1) {
        let body = g.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        src += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      } else src += '\\[';
    } else src += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  while (depth-- > 0) src += ')';
  return new RegExp(`^${src}$`);
}

export function matchesGlob(relPath: string, glob: string): boolean {
  return globToRegExp(glob).test(normalizeListPath(relPath));
}

/** True when the workspace-relative `relPath` is a primary source by the globs or the marked list. */
export function isPrimarySource(relPath: string, globs: readonly string[] = DEFAULT_PRIMARY_SOURCES, marked: ReadonlySet<string> | readonly string[] = []): boolean {
  const p = normalizeListPath(relPath);
  const has = Array.isArray(marked) ? (marked as readonly string[]).includes(p) : (marked as ReadonlySet<string>).has(p);
  return has || globs.some((g) => matchesGlob(p, g));
}
