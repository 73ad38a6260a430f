/**
 * The one safe writer of sidecars, used by every path that writes one (the extension's saves,
 * import, the merge driver):
 *
 * 1. take the sidecar's lock (`.NAME.marginalia-lock`, created exclusively; a lock older than
 *    `staleLockMs` is taken over), so two writers never interleave their read and rename;
 * 2. re-read the file on disk and hand its parse to `update`, which returns the sidecar to write
 *    (it merges by id with what it read — the file may have changed since the caller last saw it);
 * 3. serialise keeping the file's comments, layout, line endings and BOM, and check the result with
 *    the same reader every path uses (it parses, it is valid, it is within the size limit, no item
 *    was lost); a result the reader would reject is never written;
 * 4. write a temporary file beside it with the file's permission bits and rename it over the file;
 *    on any failure the temporary file is removed and the sidecar is left as it was.
 *
 * Errors are `ProjectError`s whose message names the file and what to do.
 */
import { DEFAULT_MAX_BYTES, parseSidecar, serializeSidecar, type ParsedSidecar } from '../sidecar/codec';
import type { Sidecar } from '../sidecar/model';
import { ProjectError, describeFsError, dirname, errorCode, type FileInfo, type ProjectFs } from './files';
import { isLeftoverTemp, isTempOf, lockPathFor, tempPathFor } from './layout';

export interface WriteSidecarOptions {
  /** The reader's size limit in bytes (marginalia.sidecar.maxSizeMB). */
  maxBytes?: number;
  /** How long to wait for another writer's lock. */
  lockTimeoutMs?: number;
  /** A lock older than this was left by a process that died: taken over. */
  staleLockMs?: number;
  /** The name used in messages (default: the path). */
  display?: string;
  /** A text the caller read (or wrote) before, with its parse: reused when the file still holds it. */
  known?: { text: string; parsed: ParsedSidecar };
  /** Called with the final text right before it replaces the file (a watcher can then tell our own write). */
  beforeReplace?: (text: string) => void;
  /**
   * Deal with what interrupted saves left beside the file (`recoverLeftovers`) before reading it.
   * Default true; the editor, which does it once when it loads a sidecar, saves without listing the
   * folder on every save.
   */
  recover?: boolean;
}

/** What `update` sees: the file on disk right now. */
export interface CurrentSidecar {
  /** The exact text on disk; undefined when there is no file. */
  text: string | undefined;
  /** Its parse; undefined when there is no file. */
  parsed: ParsedSidecar | undefined;
}

export interface WriteSidecarResult {
  /** False when the result equals the file on disk (nothing was written). */
  written: boolean;
  /** The text now on disk (undefined when there is still no file). */
  text: string | undefined;
  /** The parse of that text. */
  parsed: ParsedSidecar | undefined;
}

/** Returned by `update` to write nothing. */
export const UNCHANGED = Symbol('unchanged');

export type SidecarUpdater = (current: CurrentSidecar) => Sidecar | typeof UNCHANGED | Promise<Sidecar | typeof UNCHANGED>;

/** The line ending most of `text`'s lines use (`\n` for a new file). */
function lineEndingOf(text: string | undefined): '\n' | '\r\n' {
  if (!text) return '\n';
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/(?<!\r)\n/g)?.length ?? 0;
  return crlf > lf ? '\r\n' : '\n';
}

/** `out` (written with `\n`) in the conventions of the file it replaces: its line endings and BOM. */
export function inFileConventions(out: string, current: string | undefined): string {
  let text = lineEndingOf(current) === '\r\n' ? out.replace(/\r?\n/g, '\r\n') : out;
  if (current?.charCodeAt(0) === 0xfeff && text.charCodeAt(0) !== 0xfeff) text = '\ufeff' + text;
  return text;
}

function itemCount(s: Sidecar): number {
  return s.annotations.length + s.corrections.length;
}

/** Reads the sidecar at `file`, refusing anything that is not a regular file (a FIFO would hang). */
export async function readSidecarFile(fs: ProjectFs, file: string, shown: string, maxBytes: number, known?: { text: string; parsed: ParsedSidecar }): Promise<CurrentSidecar & { info?: FileInfo }> {
  const info = await statOrThrow(fs, file, shown);
  if (!info) return { text: undefined, parsed: undefined };
  if (info.type !== 'file') throw new ProjectError(`${shown} is not a regular file (${info.type === 'directory' ? 'a folder' : 'a FIFO, socket or device'}); Marginalia reads and writes sidecars only as regular files`, 'not-a-file');
  if (info.size > maxBytes) throw new ProjectError(`${shown} is ${info.size} bytes, over the sidecar size limit of ${maxBytes} (marginalia.sidecar.maxSizeMB); it was left untouched`, 'too-large');
  let text: string;
  try {
    text = await fs.readText(file, { strict: true });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { text: undefined, parsed: undefined };
    throw new ProjectError(describeFsError(err, 'read', shown), errorCode(err));
  }
  if (known && known.text === text) return { text, parsed: known.parsed, info };
  const r = parseSidecar(text, { maxBytes });
  if (!r.ok) throw new ProjectError(`${shown}:${r.error.line}:${r.error.column}: ${r.error.message} Fix the file first; it was left untouched.`, r.error.code, r.error);
  return { text, parsed: r.value, info };
}

async function statOrThrow(fs: ProjectFs, file: string, shown: string): Promise<FileInfo | undefined> {
  try {
    return await fs.stat(file);
  } catch (err) {
    throw new ProjectError(describeFsError(err, 'read', shown), errorCode(err));
  }
}

/** Takes the lock of `target`; returns its release. */
export async function acquireLock(fs: ProjectFs, target: string, shown: string, timeoutMs = 10_000, staleMs = 30_000): Promise<() => Promise<void>> {
  const lock = lockPathFor(target);
  const started = fs.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeText(lock, `${new Date(fs.now()).toISOString()}\n`, { exclusive: true });
      return async () => {
        await fs.remove(lock).catch(() => undefined);
      };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw new ProjectError(describeFsError(err, 'create the lock file for', shown), errorCode(err));
    }
    const info = await fs.lstat(lock).catch(() => undefined);
    if (info && info.type !== 'file') {
      throw new ProjectError(`${lock} is in the way of ${shown}'s lock (it is not a file Marginalia made); remove it and try again`, 'locked');
    }
    if (info && fs.now() - info.mtime > staleMs) {
      // Left by a process that died while writing: take it over (once; a lock that cannot be
      // removed waits for the timeout like a live one).
      const removed = await fs.remove(lock).then(
        () => true,
        () => false,
      );
      if (removed) continue;
    }
    if (fs.now() - started > timeoutMs) {
      throw new ProjectError(`${shown} is being written by another Marginalia process (lock ${lock}); try again, or delete the lock file if no other Marginalia is running`, 'locked');
    }
    await fs.sleep(Math.min(200, 5 + attempt * 10));
  }
}

/**
 * Writes a sidecar safely (see the module comment). `update` runs under the lock with the file as it
 * is on disk now, and returns the sidecar to write, or `UNCHANGED`.
 */
export async function writeSidecar(fs: ProjectFs, file: string, update: SidecarUpdater, options: WriteSidecarOptions = {}): Promise<WriteSidecarResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const shown = options.display ?? file;
  let target = file;
  const own = await fs.lstat(file).catch((err: unknown) => {
    throw new ProjectError(describeFsError(err, 'read', shown), errorCode(err));
  });
  if (own?.type === 'symlink') target = await fs.realpath(file); // write through the link, keep the link
  try {
    await fs.mkdirp(dirname(target));
  } catch (err) {
    throw new ProjectError(describeFsError(err, 'create the folder of', shown), errorCode(err));
  }
  const release = await acquireLock(fs, target, shown, options.lockTimeoutMs, options.staleLockMs);
  try {
    // What an interrupted save left beside it (the editor's or the command line's): recovered or removed.
    if (options.recover !== false) await recoverLeftovers(fs, target, maxBytes).catch(() => undefined);
    let current = await readSidecarFile(fs, target, shown, maxBytes, options.known);
    let written: WriteSidecarResult = { written: false, text: current.text, parsed: current.parsed };
    // A file system without an atomic exclusive create (some virtual ones) cannot make the lock
    // airtight: after the rename, read the file back; if another writer's rename replaced ours
    // meanwhile, merge again with what it wrote (bounded).
    for (let round = 0; round < 4; round++) {
      if (current.parsed?.readOnly) throw new ProjectError(`${shown}: ${current.parsed.readOnly} Nothing was written.`, 'read-only');
      const next = await update({ text: current.text, parsed: current.parsed });
      if (next === UNCHANGED) return written.written ? written : { written: false, text: current.text, parsed: current.parsed };
      const text = inFileConventions(serializeSidecar(next, current.parsed), current.text);
      if (text === current.text) return { written: written.written, text: current.text, parsed: current.parsed };
      const check = verified(text, next, maxBytes, shown);
      options.beforeReplace?.(text);
      await replaceFile(fs, target, text, shown, current.info?.mode);
      written = { written: true, text, parsed: check };
      const back = await readSidecarFile(fs, target, shown, maxBytes, { text, parsed: check }).catch(() => undefined);
      if (!back || back.text === undefined || back.text === text) break;
      current = back;
    }
    return written;
  } finally {
    await release();
  }
}

/** The parse of `text`, which must read back as `next` would: valid, within the limit, no item lost. */
export function verified(text: string, next: Sidecar, maxBytes: number, shown: string): ParsedSidecar {
  const check = parseSidecar(text, { maxBytes });
  if (!check.ok) {
    throw new ProjectError(
      `${shown} was not changed: the result would not be a readable sidecar (line ${check.error.line}: ${check.error.message})` +
        (check.error.code === 'too-large' ? ' Raise marginalia.sidecar.maxSizeMB or split the annotations over several sources.' : ''),
      'unreadable-result',
    );
  }
  if (itemCount(check.value.sidecar) !== itemCount(next)) {
    throw new ProjectError(`${shown} was not changed: the result reads back with ${itemCount(check.value.sidecar)} annotations and corrections instead of ${itemCount(next)}`, 'lossy-result');
  }
  return check.value;
}

/**
 * Writes `text` to `target` atomically: a temporary file beside it (with `mode`, the permission bits
 * of the file it replaces), then a rename. On failure the temporary file is removed and `target` is
 * as it was.
 */
export async function replaceFile(fs: ProjectFs, target: string, text: string, shown: string, mode?: number): Promise<void> {
  const tmp = tempPathFor(target, fs.now());
  try {
    await fs.writeText(tmp, text, mode !== undefined ? { mode, exclusive: true } : { exclusive: true });
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.remove(tmp).catch(() => undefined);
    throw new ProjectError(`${describeFsError(err, 'write', shown)}; ${shown} was left as it was`, errorCode(err));
  }
}

/** Temporary files of `target` that interrupted saves left behind (see `isLeftoverTemp`). */
export async function leftoverTemps(fs: ProjectFs, target: string): Promise<string[]> {
  const dir = dirname(target);
  let entries: { name: string; type: string }[];
  try {
    entries = await fs.list(dir);
  } catch {
    return [];
  }
  const now = fs.now();
  return entries.filter((e) => e.type === 'file' && isLeftoverTemp(e.name, target, now)).map((e) => `${dir}/${e.name}`);
}

/**
 * Deals with what interrupted saves left beside `target`: when the sidecar exists, its leftovers are
 * removed (a rename completes a save, so a temporary file is never newer data than a sidecar beside
 * it); when there is no sidecar, the newest leftover that reads as a whole sidecar is renamed into
 * place (the process died before its first rename) and the others are removed.
 */
export async function recoverLeftovers(fs: ProjectFs, target: string, maxBytes = DEFAULT_MAX_BYTES): Promise<{ removed: string[]; recovered?: string }> {
  const temps = await leftoverTemps(fs, target);
  const out: { removed: string[]; recovered?: string } = { removed: [] };
  if (temps.length === 0) return out;
  if ((await fs.stat(target).catch(() => undefined)) === undefined) {
    for (const tmp of [...temps].sort().reverse()) {
      const text = await fs.readText(tmp).catch(() => undefined);
      if (text === undefined || !parseSidecar(text, { maxBytes }).ok) continue;
      try {
        await fs.rename(tmp, target);
        out.recovered = tmp;
        break;
      } catch {
        // Another process recovered or wrote it meanwhile: leave the rest to the next start.
        return out;
      }
    }
    if (!out.recovered) return out; // nothing whole to recover: keep the pieces for the user
  }
  for (const p of temps) {
    if (p === out.recovered) continue;
    await fs.remove(p).then(
      () => out.removed.push(p),
      () => undefined,
    );
  }
  return out;
}

export { isTempOf };
