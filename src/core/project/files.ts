/**
 * The small file-system interface the project layer works through. The command line implements it
 * with Node's `fs` (src/cli/nodeFs.ts), the extension with `vscode.workspace.fs`; tests with an
 * in-memory map. Paths are absolute and `/`-separated in the implementation's own namespace.
 *
 * Implementations throw `ProjectFsError` (or any error with a string `code`) with Node's error codes
 * (`ENOENT`, `EACCES`, `ENOSPC`, `EEXIST`, `ENOTDIR`, `EISDIR`, …); `describeFsError` turns them into
 * a sentence that names the file and says what to do.
 */

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileInfo {
  /** What the path itself is (`lstat`: a symlink is `symlink`, a FIFO or device `other`). */
  type: EntryType;
  size: number;
  mtime: number;
  /** Permission bits, where the file system has them. */
  mode?: number;
}

export interface ProjectFs {
  /** The entry at `path` without following a final symlink; undefined when there is none. */
  lstat(path: string): Promise<FileInfo | undefined>;
  /** The entry a path leads to (symlinks followed); undefined when there is none. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** The path with every symlink resolved. */
  realpath(path: string): Promise<string>;
  /** UTF-8 text of a regular file; with `strict`, invalid UTF-8 is an `EILSEQ` error instead of U+FFFD. */
  readText(path: string, options?: { strict?: boolean }): Promise<string>;
  /** Writes UTF-8 text; with `exclusive`, fails with EEXIST when the file exists. */
  writeText(path: string, text: string, options?: { mode?: number; exclusive?: boolean }): Promise<void>;
  /** Replaces `to` by `from` in one step. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; no error when it is already gone. */
  remove(path: string): Promise<void>;
  /** Creates a folder and its parents. */
  mkdirp(path: string): Promise<void>;
  /** Names and types of a folder's entries. */
  list(dir: string): Promise<{ name: string; type: EntryType }[]>;
  /** Milliseconds since the epoch (a clock the tests can set). */
  now(): number;
  /** Waits (retries, lock waits). */
  sleep(ms: number): Promise<void>;
}

export class ProjectFsError extends Error {
  constructor(readonly code: string, readonly path: string, message?: string) {
    super(message ?? `${code}: ${path}`);
  }
}

/** The error code of a thrown file-system error, if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A user-facing error of the project layer: its message names the file and what to do. */
export class ProjectError extends Error {
  /** `detail`: what the failure carries for a caller that shows it otherwise (a sidecar's parse error). */
  constructor(message: string, readonly code: string = 'project', readonly detail?: unknown) {
    super(message);
  }
}

/**
 * One sentence for a failed file operation: what failed, on which file, and what to do.
 * `action` is a verb phrase such as "write", "read", "create the folder for".
 */
export function describeFsError(err: unknown, action: string, file: string): string {
  const code = errorCode(err);
  switch (code) {
    case 'ENOENT':
      return `cannot ${action} ${file}: it does not exist (or a folder on its path is missing)`;
    case 'EACCES':
    case 'EPERM':
      return `cannot ${action} ${file}: permission denied; check the permissions of the file and its folder`;
    case 'ENOSPC':
      return `cannot ${action} ${file}: no space left on the device; free some space and run the command again (nothing was changed)`;
    case 'EDQUOT':
      return `cannot ${action} ${file}: disk quota exceeded; free some space and run the command again (nothing was changed)`;
    case 'EROFS':
      return `cannot ${action} ${file}: the file system is read-only`;
    case 'EEXIST':
      return `cannot ${action} ${file}: it already exists`;
    case 'ENOTDIR':
      return `cannot ${action} ${file}: a part of its path is a file, not a folder`;
    case 'EISDIR':
      return `cannot ${action} ${file}: it is a folder, not a file`;
    case 'ELOOP':
      return `cannot ${action} ${file}: too many symbolic links (a loop?)`;
    case 'ENAMETOOLONG':
      return `cannot ${action} ${file}: the name is too long`;
    case 'EMFILE':
    case 'ENFILE':
      return `cannot ${action} ${file}: too many open files; try fewer --jobs`;
    case 'EILSEQ':
      return `cannot ${action} ${file}: it is not valid UTF-8 text (saved in another encoding?); convert it to UTF-8 — Marginalia leaves it untouched`;
    case 'EBUSY':
      return `cannot ${action} ${file}: it is busy (another program holds it); try again`;
    default:
      return `cannot ${action} ${file}: ${code ?? (err instanceof Error ? err.message : String(err))}`;
  }
}

// ---------------------------------------------------------------------------------------------
// `/`-separated path arithmetic (the core has no `path` module).

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function joinPath(base: string, rel: string): string {
  if (!rel) return base;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** `child` relative to `parent` (`/`-separated), or undefined when it is not inside it. */
export function relativeInside(parent: string, child: string): string | undefined {
  const p = parent.replace(/\/+$/, '');
  if (child === p) return '';
  if (p === '') return child.startsWith('/') ? child.slice(1) : undefined;
  return child.startsWith(p + '/') ? child.slice(p.length + 1) : undefined;
}
