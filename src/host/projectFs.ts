/**
 * The project layer's file-system interface over `vscode.workspace.fs`, so the extension writes
 * sidecars through the same safe writer and import flow as the command line — on disk, on virtual
 * file systems and in the browser alike. Paths are the URI paths of one scheme and authority.
 */
import * as vscode from 'vscode';
import { ProjectFsError, type EntryType, type ProjectFs } from '../core/project/files';
import { Project } from '../core/project/project';
import { tempPathFor } from '../core/project/layout';
import type { Settings } from './config';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function typeOf(t: vscode.FileType): EntryType {
  if (t & vscode.FileType.SymbolicLink) return 'symlink';
  if (t & vscode.FileType.Directory) return 'directory';
  if (t & vscode.FileType.File) return 'file';
  return 'other';
}

const CODES: Record<string, string> = {
  FileNotFound: 'ENOENT',
  EntryNotFound: 'ENOENT',
  FileExists: 'EEXIST',
  EntryExists: 'EEXIST',
  FileNotADirectory: 'ENOTDIR',
  EntryNotADirectory: 'ENOTDIR',
  FileIsADirectory: 'EISDIR',
  EntryIsADirectory: 'EISDIR',
  NoPermissions: 'EACCES',
  Unavailable: 'EBUSY',
};

/** A `ProjectFsError` with Node's code for a `vscode.FileSystemError`; other errors as they are. */
function mapped(err: unknown, path: string): unknown {
  if (err instanceof vscode.FileSystemError) {
    const code = CODES[err.code] ?? (/ENOSPC/.test(err.message) ? 'ENOSPC' : /EACCES|EPERM/.test(err.message) ? 'EACCES' : err.code || 'EIO');
    return new ProjectFsError(code, path, err.message);
  }
  return err;
}

export function workspaceFs(base: vscode.Uri): ProjectFs {
  const uri = (path: string) => base.with({ path });
  const call = async <T>(path: string, f: () => Thenable<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw mapped(err, path);
    }
  };
  const stat = async (path: string) => {
    try {
      const st = await vscode.workspace.fs.stat(uri(path));
      // Through workspace.fs a link reports the type of what it leads to, with the SymbolicLink bit.
      return { type: typeOf(st.type & ~vscode.FileType.SymbolicLink), size: st.size, mtime: st.mtime };
    } catch (err) {
      const e = mapped(err, path);
      if (e instanceof ProjectFsError && e.code === 'ENOENT') return undefined;
      throw e;
    }
  };
  const fs: ProjectFs = {
    stat,
    lstat: async (path) => {
      const s = await stat(path);
      if (!s) return undefined;
      const raw = await vscode.workspace.fs.stat(uri(path));
      return raw.type & vscode.FileType.SymbolicLink ? { ...s, type: 'symlink' } : s;
    },
    // workspace.fs cannot read where a link leads. A path through links resolves to a name no real
    // path has, one per count of links on it, so the project layer's inside check refuses any link
    // below the workspace root (links are not followed by the editor; the command line resolves them).
    realpath: async (path) => {
      if ((await stat(path)) === undefined) throw new ProjectFsError('ENOENT', path);
      let links = 0;
      let prefix = '';
      for (const part of path.split('/')) {
        if (!part) continue;
        prefix += `/${part}`;
        const st = await Promise.resolve(vscode.workspace.fs.stat(uri(prefix))).catch(() => undefined);
        if (st && st.type & vscode.FileType.SymbolicLink) links++;
      }
      return links ? `/\u0000links-${links}${path}` : path;
    },
    readText: (path, options = {}) =>
      call(path, async () => {
        const bytes = await vscode.workspace.fs.readFile(uri(path));
        try {
          return (options.strict ? strictDecoder : decoder).decode(bytes);
        } catch {
          throw new ProjectFsError('EILSEQ', path, `${path} is not valid UTF-8`);
        }
      }),
    writeText: async (path, text, options = {}) => {
      if (!options.exclusive) return call(path, () => vscode.workspace.fs.writeFile(uri(path), encoder.encode(text)));
      // No exclusive create in workspace.fs: write a private file and rename it without overwriting.
      const tmp = tempPathFor(path, Date.now());
      await call(tmp, () => vscode.workspace.fs.writeFile(uri(tmp), encoder.encode(text)));
      try {
        await call(path, () => vscode.workspace.fs.rename(uri(tmp), uri(path), { overwrite: false }));
      } catch (err) {
        await Promise.resolve(vscode.workspace.fs.delete(uri(tmp))).catch(() => undefined);
        throw err;
      }
    },
    rename: (from, to) => call(to, () => vscode.workspace.fs.rename(uri(from), uri(to), { overwrite: true })),
    remove: async (path) => {
      try {
        await vscode.workspace.fs.delete(uri(path));
      } catch (err) {
        const e = mapped(err, path);
        if (!(e instanceof ProjectFsError && e.code === 'ENOENT')) throw e;
      }
    },
    mkdirp: (path) => call(path, () => vscode.workspace.fs.createDirectory(uri(path))),
    list: (dir) => call(dir, async () => (await vscode.workspace.fs.readDirectory(uri(dir))).map(([name, t]) => ({ name, type: typeOf(t) }))),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  return fs;
}

/** The project of a workspace folder, with its sidecar settings (the folder's own values apply). */
export function projectOf(folder: vscode.WorkspaceFolder, config: Settings): Project {
  const c = config.for(folder.uri);
  return new Project(workspaceFs(folder.uri), folder.uri.path, { sidecarFolder: c.sidecarFolder, maxSidecarBytes: c.maxSidecarBytes });
}
