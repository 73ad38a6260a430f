/**
 * Writing an export's files all-or-nothing (Node side of `marginalia export --out`):
 * every file is first written to a temporary file in its own folder (`stage`), and only when all
 * are written are they renamed over their targets (`commit`). Any failure before that removes the
 * temporary files and the folders this run created (`rollback`), so no export is half-written and
 * a full disk leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { describeFsError } from '../core/project/files';
import { tempPathFor } from '../core/project/layout';

/** A failure the user can act on: the message names the file and what to do (exit 1). */
export class ExportError extends Error {}

/** One sentence for a failed file operation on `file`, with what to do. */
export function exportFsMessage(err: unknown, action: string, file: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  const base = describeFsError(err, action, file);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `${base}; or choose another --out folder`;
    case 'EEXIST':
      return `${base}, in the way of the export; move it away or choose another --out folder`;
    case 'ENOTDIR':
      return `${base}; choose another --out folder`;
    default:
      return base;
  }
}

/** The first `max` bytes of a file as UTF-8 (for recognising an export marker). */
export async function readHead(file: string, max: number): Promise<string> {
  const fh = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

interface Staged {
  target: string;
  temp: string;
}

export class StagedWrite {
  private readonly staged: Staged[] = [];
  /** Folders this run created, to remove on rollback (deepest first). */
  private readonly createdDirs: string[] = [];

  /** `show`: how a path is named in messages. */
  constructor(private readonly show: (file: string) => string = (f) => f) {}

  /** Writes `data` to a temporary file beside `target` (creating its folder), keeping `mode` if given. */
  async stage(target: string, data: string, mode?: number): Promise<void> {
    const dir = path.dirname(target);
    try {
      const first = await fsp.mkdir(dir, { recursive: true });
      if (first) {
        // Every folder from `first` down to `dir` is new.
        for (let d = dir; ; d = path.dirname(d)) {
          this.createdDirs.push(d);
          if (d === first || path.dirname(d) === d) break;
        }
      }
    } catch (e) {
      throw new ExportError(exportFsMessage(e, 'create the folder', this.show(dir)));
    }
    const temp = path.join(dir, path.basename(tempPathFor(target.split(path.sep).join('/'), Date.now())));
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(temp, 'wx', mode ?? 0o666);
      this.staged.push({ target, temp });
      await fh.writeFile(data, 'utf8');
      if (mode !== undefined) await fh.chmod(mode);
    } catch (e) {
      throw new ExportError(exportFsMessage(e, 'write', this.show(target)));
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  /** Renames every staged file over its target. Returns the targets written. */
  async commit(): Promise<string[]> {
    const done: string[] = [];
    for (const s of this.staged) {
      try {
        await fsp.rename(s.temp, s.target);
        done.push(s.target);
      } catch (e) {
        await this.rollback();
        const written = done.length ? ` (already replaced: ${done.map(this.show).join(', ')})` : '';
        throw new ExportError(exportFsMessage(e, 'replace', this.show(s.target)) + written);
      }
    }
    this.staged.length = 0;
    return done;
  }

  /** Removes the temporary files not yet renamed and the folders this run created (when empty). */
  async rollback(): Promise<void> {
    for (const s of this.staged.splice(0)) await fsp.rm(s.temp, { force: true }).catch(() => undefined);
    const dirs = [...new Set(this.createdDirs.splice(0))].sort((a, b) => b.length - a.length);
    for (const d of dirs) await fsp.rmdir(d).catch(() => undefined);
  }
}
