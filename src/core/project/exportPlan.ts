/**
 * Where `marginalia export --out DIR` writes each source's files (pure: paths only, no file system).
 *
 * Names derive from the WHOLE source file name, so sources that differ only in their extension
 * never share an output: `a.txt` → `a.txt.jsonld`, `a.txt.csv`, `a.txt.md`, `a.txt.ann`; `a.md` →
 * `a.md.ann`. brat pairs `X.ann` with `X.txt`, so the brat text copy of `a.txt` is `a.txt.txt`
 * (beside `a.txt.ann`), and one `annotation.conf` goes at the top of DIR.
 *
 * A source keeps its path below DIR. A source outside the current folder (a path climbing out with
 * `..`, or absolute) is placed by its path relative to the deepest folder common to all such
 * sources — never above DIR. Errors (nothing should be written then): two sources whose files would
 * have the same name, a file that would replace a source given, a name needed both as a file and as
 * a folder.
 */
import type { ExportFormat } from '../interchange/export';

export type ExportOutputRole = 'export' | 'brat-text' | 'brat-conf';

export interface PlannedFile {
  /** `/`-separated, in the same terms as the sources and `outDir` given (e.g. relative to the current folder). */
  path: string;
  role: ExportOutputRole;
}

export interface PlannedSource {
  /** The source as given (normalised: `.` and `..` segments resolved, `/`-separated). */
  source: string;
  /** Index of the source in the list given (the first, when the same source was given twice). */
  index: number;
  files: PlannedFile[];
}

export interface ExportPlan {
  /** One entry per distinct source, in the order given. */
  outputs: PlannedSource[];
  /** Files for the whole export (brat's `annotation.conf`). */
  shared: PlannedFile[];
  /** Why the export must not run; empty when it may. */
  errors: string[];
}

export interface ExportPlanOptions {
  /** The file system ignores case (macOS, Windows): `A.txt.ann` and `a.txt.ann` are one file. */
  caseInsensitive?: boolean;
}

/** The suffix each format appends to the whole source file name. */
export const EXPORT_SUFFIX: Record<ExportFormat, string> = { w3c: '.jsonld', brat: '.ann', csv: '.csv', md: '.md', claimreview: '.claimreview.jsonld' };
export const BRAT_TEXT_SUFFIX = '.txt';
export const BRAT_CONF_NAME = 'annotation.conf';

interface SplitPath {
  /** '' for a relative path, '/' or 'C:/' (a drive) for an absolute one. */
  root: string;
  /** Leading `..` segments of a relative path (which climbs out of the current folder). */
  up: number;
  segments: string[];
}

/** Lexical normalisation of a `/`- or `\`-separated path. */
export function splitPath(p: string): SplitPath {
  const s = p.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.exec(s);
  const root = drive ? drive[0] : s.startsWith('/') ? '/' : '';
  let up = 0;
  const segments: string[] = [];
  for (const seg of s.slice(root.length).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.length) segments.pop();
      else if (!root) up++;
      continue;
    }
    segments.push(seg);
  }
  return { root, up, segments };
}

function joinSplit(p: SplitPath): string {
  const s = [...Array<string>(p.up).fill('..'), ...p.segments].join('/');
  return p.root ? p.root + s : s || '.';
}

/** `outDir/rel` (`rel` relative, already inside). */
function under(outDir: string, rel: string): string {
  return outDir === '.' ? rel : outDir.endsWith('/') ? outDir + rel : `${outDir}/${rel}`;
}

/** The files one source exports to, in `format`, for a source placed at `rel` below `outDir`. */
export function exportFilesFor(rel: string, format: ExportFormat, outDir: string): PlannedFile[] {
  const base = under(outDir, rel);
  const files: PlannedFile[] = [{ path: base + EXPORT_SUFFIX[format], role: 'export' }];
  if (format === 'brat') files.push({ path: base + BRAT_TEXT_SUFFIX, role: 'brat-text' });
  return files;
}

/** The brat `.ann` beside a brat text copy (`a.txt.txt` → `a.txt.ann`), or undefined for another name. */
export function bratAnnForText(textCopy: string): string | undefined {
  return textCopy.endsWith(BRAT_TEXT_SUFFIX) ? textCopy.slice(0, -BRAT_TEXT_SUFFIX.length) + EXPORT_SUFFIX.brat : undefined;
}

/**
 * Places each source below `outDir` (see the module comment). `sources` and `outDir` are paths in
 * the same terms (e.g. relative to the current folder, `/`-separated).
 */
export function planExportOutputs(sources: readonly string[], format: ExportFormat, outDir: string, options: ExportPlanOptions = {}): ExportPlan {
  const key = (p: string): string => (options.caseInsensitive ? p.normalize('NFC').toLowerCase() : p);
  const errors: string[] = [];
  const out = joinSplit(splitPath(outDir));

  // Distinct sources, normalised.
  const seen = new Set<string>();
  const distinct: { source: string; split: SplitPath; index: number }[] = [];
  sources.forEach((s, index) => {
    const split = splitPath(s);
    const source = joinSplit(split);
    if (split.segments.length === 0) {
      errors.push(`${s} is not a file name`);
      return;
    }
    if (seen.has(key(source))) return;
    seen.add(key(source));
    distinct.push({ source, split, index });
  });

  // Sources outside the current folder: relative to the deepest folder they all share.
  const outside = distinct.filter((d) => d.split.root || d.split.up);
  const prefixOf = (d: SplitPath): string[] => [d.root || `up:${d.up}`, ...d.segments.slice(0, -1)];
  let common: string[] | undefined;
  for (const d of outside) {
    const p = prefixOf(d.split);
    if (!common) common = p;
    else {
      let i = 0;
      while (i < common.length && i < p.length && common[i] === p[i]) i++;
      common = common.slice(0, i);
    }
  }
  const relOf = (d: SplitPath): string => {
    if (!d.root && !d.up) return d.segments.join('/');
    // Below the common folder; with no common root at all, the path without its root or `..`s.
    const drop = common && common.length > 0 ? common.length - 1 : 0;
    return d.segments.slice(drop).join('/');
  };

  const outputs: PlannedSource[] = distinct.map((d) => ({ source: d.source, index: d.index, files: exportFilesFor(relOf(d.split), format, out) }));
  const shared: PlannedFile[] = format === 'brat' ? [{ path: under(out, BRAT_CONF_NAME), role: 'brat-conf' }] : [];

  // Collisions: with a source, with another output, file against folder.
  const sourceKeys = new Map(distinct.map((d) => [key(d.source), d.source]));
  const owner = new Map<string, string>(); // output key → the source (or "the export") writing it
  const folders = new Set<string>();
  const addFolders = (p: string): void => {
    const sp = splitPath(p);
    for (let i = 1; i < sp.segments.length; i++) folders.add(key(joinSplit({ ...sp, segments: sp.segments.slice(0, i) })));
  };
  for (const d of distinct) addFolders(d.source);
  const all: { file: PlannedFile; by: string }[] = [
    ...outputs.flatMap((o) => o.files.map((file) => ({ file, by: o.source }))),
    ...shared.map((file) => ({ file, by: '' })),
  ];
  for (const { file } of all) addFolders(file.path);
  for (const { file, by } of all) {
    const k = key(file.path);
    const src = sourceKeys.get(k);
    const who = by ? `exporting ${by}` : `the brat ${BRAT_CONF_NAME}`;
    if (src !== undefined) errors.push(`${who} would overwrite the source ${src} (${file.path}): choose another --out folder`);
    else if (owner.has(k)) {
      const other = owner.get(k)!;
      errors.push(`${other ? `${other} and ${by || BRAT_CONF_NAME}` : `${by} and the brat ${BRAT_CONF_NAME}`} would both be exported to ${file.path}: export them separately or rename one`);
    } else if (folders.has(k)) errors.push(`${file.path} would be needed both as a file (${who}) and as a folder: choose another --out folder`);
    owner.set(k, by);
  }
  return { outputs, shared, errors };
}
