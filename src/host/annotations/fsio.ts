import * as vscode from 'vscode';

/**
 * Sidecar reads through `vscode.workspace.fs` (so they work on virtual and web file systems). Writes
 * go through the core's safe writer (src/core/project/writer.ts) over `src/host/projectFs.ts`.
 */
const decoder = new TextDecoder('utf-8', { fatal: false });

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
