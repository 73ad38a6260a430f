import * as vscode from 'vscode';

/**
 * Sidecar file I/O through `vscode.workspace.fs` (so it works on virtual and web file systems).
 * Writes are atomic: a temporary file in the same folder, then a rename over the real file.
 */
const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export const TEMP_MARK = '.marginalia-tmp-';

export function tempUriFor(target: vscode.Uri): vscode.Uri {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const rand = Math.random().toString(36).slice(2, 10);
  return vscode.Uri.joinPath(target, '..', `.${name}${TEMP_MARK}${Date.now().toString(36)}${rand}`);
}

/** Temporary files left next to `target` by an interrupted save. */
export async function leftoverTemps(target: vscode.Uri): Promise<vscode.Uri[]> {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const dir = vscode.Uri.joinPath(target, '..');
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch (err) {
    if (err instanceof vscode.FileSystemError) return [];
    throw err;
  }
  // A temporary file younger than a minute may be another window's save in progress (its name
  // starts with the base-36 time it was made): leave it alone.
  const prefix = `.${name}${TEMP_MARK}`;
  const now = Date.now();
  return entries
    .filter(([n, t]) => t === vscode.FileType.File && n.startsWith(prefix))
    .filter(([n]) => {
      const made = parseInt(n.slice(prefix.length, prefix.length + 8), 36);
      return !(Number.isFinite(made) && now - made < 60_000 && made <= now + 60_000);
    })
    .map(([n]) => vscode.Uri.joinPath(dir, n));
}

export interface FileRead {
  text: string;
  bytes: number;
  mtime: number;
}

/** Reads a file, or undefined if it does not exist. Refuses files over `maxBytes` without reading them. */
export async function readText(uri: vscode.Uri, maxBytes: number): Promise<FileRead | undefined | { tooLarge: number }> {
  // Another window's save replaces the file by a rename, which (through workspace.fs) removes the
  // target first: a file seen by `stat` can vanish before `readFile`. Try again briefly before
  // concluding that there is no file.
  for (let attempt = 0; ; attempt++) {
    try {
      return await readTextOnce(uri, maxBytes);
    } catch (err) {
      const vanished = err instanceof vscode.FileSystemError && (err.code === 'FileNotFound' || err.code === 'EntryNotFound');
      if (!vanished) throw err;
      if (attempt >= 5) return undefined;
      await new Promise((r) => setTimeout(r, 10 << attempt));
    }
  }
}

async function readTextOnce(uri: vscode.Uri, maxBytes: number): Promise<FileRead | undefined | { tooLarge: number }> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    if (err instanceof vscode.FileSystemError) return undefined;
    throw err;
  }
  if (stat.size > maxBytes) return { tooLarge: stat.size };
  const data = await vscode.workspace.fs.readFile(uri);
  return { text: decoder.decode(data), bytes: data.byteLength, mtime: stat.mtime };
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (err) {
    if (err instanceof vscode.FileSystemError) return false;
    throw err;
  }
}

/** Write `text` to `uri` atomically (temporary file in the same folder, then rename). */
export async function writeAtomic(uri: vscode.Uri, text: string): Promise<void> {
  const tmp = tempUriFor(uri);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(tmp, encoder.encode(text));
  // A rename with overwrite deletes the target first; when another window renames onto the same
  // file at that moment the delete fails (EntryNotFound). Retry a few times before giving up.
  for (let attempt = 0; ; attempt++) {
    try {
      await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
      return;
    } catch (err) {
      if (attempt < 4 && err instanceof vscode.FileSystemError && (await exists(tmp))) {
        await new Promise((r) => setTimeout(r, 10 + 20 * attempt));
        continue;
      }
      await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
      throw err;
    }
  }
}
