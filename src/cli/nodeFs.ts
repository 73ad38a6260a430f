/**
 * The project layer's file-system interface over Node's `fs`, and finding the workspace the command
 * line works in (`--workspace DIR`, else the nearest ancestor holding `.marginalia/` or `.git`, else
 * the current folder).
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Project, ProjectFsError, type EntryType, type FileInfo, type ProjectFs, type ProjectOptions } from '../core/project';
// The ES module build: the package's UMD main loads its parts with requires a bundler cannot follow.
import { parse as parseJsonc, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { InputError } from './args';
import { terminalSafe } from '../core/text/escape';

function typeOf(st: fs.Stats): EntryType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

function info(st: fs.Stats): FileInfo {
  return { type: typeOf(st), size: st.size, mtime: st.mtimeMs, mode: st.mode & 0o7777 };
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export const nodeFs: ProjectFs = {
  lstat: async (p) => {
    const st = await orUndefined(fsp.lstat(p));
    return st && info(st);
  },
  stat: async (p) => {
    const st = await orUndefined(fsp.stat(p));
    return st && info(st);
  },
  realpath: (p) => fsp.realpath(p),
  readText: async (p, options = {}) => {
    // O_NONBLOCK: a FIFO that slipped past the type check must not hang the reader.
    const fh = await fsp.open(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw Object.assign(new Error(`${p} is not a regular file`), { code: 'EINVAL' });
      const bytes = await fh.readFile();
      try {
        return new TextDecoder('utf-8', { fatal: options.strict === true, ignoreBOM: true }).decode(bytes);
      } catch {
        throw new ProjectFsError('EILSEQ', p, `${p} is not valid UTF-8`);
      }
    } finally {
      await fh.close();
    }
  },
  writeText: async (p, text, options = {}) => {
    await fsp.writeFile(p, text, { encoding: 'utf8', flag: options.exclusive ? 'wx' : 'w', mode: options.mode ?? 0o666 });
    if (options.mode !== undefined) await fsp.chmod(p, options.mode);
  },
  rename: (from, to) => fsp.rename(from, to),
  remove: (p) => fsp.rm(p, { force: true }),
  mkdirp: async (p) => {
    await fsp.mkdir(p, { recursive: true });
  },
  list: async (dir) => (await fsp.readdir(dir, { withFileTypes: true })).map((d) => ({ name: d.name, type: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other' })),
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** An absolute, `/`-separated path (the project layer's namespace). */
export function toProjectPath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/** An OS path for a project path. */
export function fromProjectPath(p: string): string {
  return p.split('/').join(path.sep);
}

/** The nearest ancestor of `start` (itself included) holding `.marginalia/` or `.git`. */
/**
 * Is the project's root a workspace the user chose: one holding .marginalia/ or .git, or the current
 * folder? There the command line learns from every sidecar as the editor does in its folder; a folder
 * taken only because a file in it was named is not walked.
 */
export function isMarkedWorkspace(project: Project): boolean {
  const root = fromProjectPath(project.root);
  return path.resolve(root) === path.resolve(process.cwd()) || fs.existsSync(path.join(root, '.marginalia')) || fs.existsSync(path.join(root, '.git'));
}

export function findMarkedAncestor(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.marginalia')) || fs.existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The workspace of each file a command touches: `--workspace DIR` when given (a file outside it is
 * an error); otherwise the nearest ancestor of the file holding `.marginalia/` or `.git`, else the
 * current folder when the file is inside it, else the folder named on the command line that holds
 * it, else the file's own folder. One `Project` per root.
 */
export class Workspaces {
  private readonly projects = new Map<string, Project>();
  private readonly fixed: string | undefined;

  /**
   * `writes`: the command writes sidecars (import): a source outside every workspace is refused
   * instead of being read in a workspace of its own folder.
   */
  constructor(workspace: string | undefined, private readonly options: ProjectOptions = {}, private readonly writes = false) {
    if (workspace !== undefined) {
      let st: fs.Stats;
      try {
        st = fs.statSync(workspace);
      } catch (e) {
        throw new InputError(`--workspace ${workspace}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}`);
      }
      if (!st.isDirectory()) throw new InputError(`--workspace ${workspace} is not a folder`);
      this.fixed = path.resolve(workspace);
    }
  }

  /** The root for `file` (an OS path); `given` is the command-line argument it was found under. */
  rootFor(file: string, given?: string): string {
    const abs = path.resolve(file);
    if (this.fixed !== undefined) {
      if (!inside(this.fixed, abs)) throw new InputError(`${file} is outside the workspace ${this.fixed} (--workspace)`);
      return this.fixed;
    }
    const marked = findMarkedAncestor(path.dirname(abs));
    if (marked) return marked;
    if (inside(process.cwd(), abs)) return process.cwd();
    if (this.writes) {
      const home = findMarkedAncestor(process.cwd()) ?? process.cwd();
      if (inside(home, abs)) return home;
      throw new InputError(`${file} is outside the workspace ${home}: Marginalia writes sidecars only inside a workspace; run from the source's workspace or give --workspace`);
    }
    if (given !== undefined) {
      const g = path.resolve(given);
      let dir = g;
      try {
        if (!fs.statSync(g).isDirectory()) dir = path.dirname(g);
      } catch {
        dir = path.dirname(g);
      }
      if (inside(dir, abs)) return dir;
    }
    return path.dirname(abs);
  }

  projectFor(file: string, given?: string): Project {
    const root = this.rootFor(file, given);
    let p = this.projects.get(root);
    if (!p) {
      try {
        p = new Project(nodeFs, toProjectPath(root), { ...workspaceSettings(root), ...definedOnly(this.options) });
      } catch (e) {
        throw new InputError((e as Error).message);
      }
      this.projects.set(root, p);
    }
    return p;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const MAX_SETTINGS_BYTES = 1_000_000;
const MAX_SETTINGS_DEPTH = 64;

/** Nesting depth of JSON with comments, outside strings and comments (the parser recurses: refuse deep files first). */
function jsoncDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

const settingsCache = new Map<string, Record<string, unknown> | undefined>();

/**
 * `.vscode/settings.json` of a workspace, parsed once per run; undefined when there is none or it
 * cannot be used (not a regular file — a FIFO would hang —, over 1 MB, nested over 64 levels, not an
 * object). A settings file that cannot be used is said on stderr once.
 */
export function readSettingsJson(root: string): Record<string, unknown> | undefined {
  if (settingsCache.has(root)) return settingsCache.get(root);
  const file = path.join(root, '.vscode', 'settings.json');
  let json: Record<string, unknown> | undefined;
  let problem: string | undefined;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) problem = 'not a regular file';
    else if (st.size > MAX_SETTINGS_BYTES) problem = `larger than ${MAX_SETTINGS_BYTES} bytes`;
    else {
      const text = fs.readFileSync(file, 'utf8');
      if (jsoncDepth(text) > MAX_SETTINGS_DEPTH) problem = `nested deeper than ${MAX_SETTINGS_DEPTH} levels`;
      else {
        const errors: ParseError[] = [];
        const parsed = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problem = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  if (problem) process.stderr.write(terminalSafe(`marginalia: ${file}: ${problem}; its settings are not used\n`));
  settingsCache.set(root, json);
  return json;
}

/**
 * The workspace's own Marginalia settings from `.vscode/settings.json` (JSON with comments), so
 * that the command line puts and finds sidecars where the editor does: `marginalia.sidecar.folder`
 * and `marginalia.sidecar.maxSizeMB`. Options given on the command line win.
 */
export function workspaceSettings(root: string): ProjectOptions & { primarySources?: string[] } {
  const json = readSettingsJson(root);
  if (!json) return {};
  const out: ProjectOptions & { primarySources?: string[] } = {};
  const primary = json['marginalia.primarySources']; // read by `quotes` only
  if (Array.isArray(primary)) out.primarySources = primary.filter((g): g is string => typeof g === 'string');
  const folder = json['marginalia.sidecar.folder'];
  if (typeof folder === 'string') out.sidecarFolder = folder;
  const mb = json['marginalia.sidecar.maxSizeMB'];
  if (typeof mb === 'number' && Number.isFinite(mb) && mb > 0) out.maxSidecarBytes = Math.round(mb * 1024 * 1024);
  return out;
}

const shared = new Map<string, Workspaces>();

/** One `Workspaces` per (--workspace, --sidecar-folder) in a thread: workers resolve each file's workspace once. */
export function workspacesFor(workspace: string | undefined, sidecarFolder: string | undefined): Workspaces {
  const key = `${workspace ?? ''}\u0000${sidecarFolder ?? ''}`;
  let w = shared.get(key);
  if (!w) shared.set(key, (w = new Workspaces(workspace, { sidecarFolder })));
  return w;
}

/** The workspace's fact-check settings (`marginalia.publisher.*`, `marginalia.annotations.verdictRatings`), read by `export`. */
export interface ClaimSettings {
  publisherName?: string;
  publisherUrl?: string;
  /** The raw setting value (validated by `verdictRatingsFrom`). */
  verdictRatings?: unknown;
}

/** `marginalia.publisher.name`, `marginalia.publisher.url` and `marginalia.annotations.verdictRatings` from `<root>/.vscode/settings.json`. */
/** `marginalia.learning.enabled` of the workspace (default true): false keeps the tagger as shipped. */
export function workspaceLearningEnabled(root: string): boolean {
  return readSettingsJson(root)?.['marginalia.learning.enabled'] !== false;
}

export function workspaceClaimSettings(root: string): ClaimSettings {
  const json = readSettingsJson(root);
  if (!json) return {};
  const out: ClaimSettings = {};
  const name = json['marginalia.publisher.name'];
  if (typeof name === 'string' && name.trim()) out.publisherName = name.trim();
  const url = json['marginalia.publisher.url'];
  if (typeof url === 'string' && url.trim()) out.publisherUrl = url.trim();
  if (json['marginalia.annotations.verdictRatings'] !== undefined) out.verdictRatings = json['marginalia.annotations.verdictRatings'];
  return out;
}
