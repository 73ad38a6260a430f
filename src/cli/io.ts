/** File-system helpers of the command line (Node only). */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from './args';
import { SIDECAR_SUFFIX } from '../core/sidecar/model';
import { readSourceText } from '../core/project/load';
import { nodeFs, toProjectPath } from './nodeFs';


/** Extensions `scan` and `export` pick up when given a folder. */
export const SOURCE_EXTENSIONS = ['.txt', '.md', '.markdown'];

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

/**
 * Reads a source as every Marginalia offset sees it: UTF-8, BOM stripped, line endings turned into
 * `\n` (the sidecar's normalised text); refuses what is not a regular file (a FIFO would hang).
 */
export async function readSource(file: string): Promise<string> {
  try {
    return await readSourceText(nodeFs, toProjectPath(file), display(file));
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/**
 * Walks paths lazily (an async generator: memory stays bounded however many files there are),
 * yielding files for which `accept` is true. A path that is a file is yielded as given when
 * `acceptGiven` allows it (files named on the command line are always taken by `scan`).
 */
export async function* walk(
  roots: string[],
  accept: (file: string) => boolean,
  acceptGiven: (file: string) => boolean = () => true,
  includeSpecial = false,
): AsyncGenerator<string> {
  for (const root of roots) {
    let st: fs.Stats;
    try {
      st = await fsp.stat(root);
    } catch (e) {
      throw new InputError(`cannot read ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!st.isDirectory()) {
      // A file — or a FIFO, socket or device, which the reader then refuses with a clear message
      // instead of the file being skipped in silence.
      if (acceptGiven(root)) yield root;
      continue;
    }
    const stack = [root];
    while (stack.length) {
      const dir = stack.pop()!;
      const dh = await fsp.opendir(dir);
      const subdirs: string[] = [];
      const files: string[] = [];
      for await (const ent of dh) {
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) {
          if (!SKIP_DIRS.has(ent.name)) subdirs.push(p);
        } else if (accept(p) && (ent.isFile() || includeSpecial)) files.push(p); // links, FIFOs and devices only for `check`, which reports them
      }
      files.sort();
      for (const f of files) yield f;
      subdirs.sort().reverse();
      for (const d of subdirs) stack.push(d); // a loop: no argument list as long as a folder
    }
  }
}

export function isSourceFile(file: string): boolean {
  const lower = file.toLowerCase();
  return SOURCE_EXTENSIONS.some((e) => lower.endsWith(e)) && !lower.endsWith(SIDECAR_SUFFIX);
}

export function isSidecarFile(file: string): boolean {
  return file.endsWith(SIDECAR_SUFFIX);
}

/** A path for messages: relative to cwd when inside it, `/`-separated. */
export function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  const p = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return p.split(path.sep).join('/');
}

/** Progress on stderr, only when it is a terminal; throttled. */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly tty: boolean;
  constructor(private readonly label: string, private readonly started = Date.now()) {
    this.tty = process.stderr.isTTY === true;
  }
  tick(done: number, total?: number): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.started < 500 || now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r${this.label} ${done}${total !== undefined ? `/${total}` : ''} files…\u001b[K`);
  }
  done(): void {
    if (this.shown) process.stderr.write('\r\u001b[K');
  }
}
