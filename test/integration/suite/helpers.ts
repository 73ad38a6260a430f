// Shared by the in-host suites (bundled into each suite file by esbuild; not a suite itself).
import * as vscode from 'vscode';

export const EXTENSION_ID = 'marginalia-dev.marginalia';
export const enc = new TextEncoder();
const dec = new TextDecoder();

/** A short made-up news text used by the annotation and reliability suites. */
export const ARTICLE = [
  'GENEVA, 12 March (Wire) - Foreign Minister Sergei Lavrov said on Monday that the talks had stalled.',
  '',
  '"We are not going to wait forever," Lavrov told reporters, adding that more than 5,000 people had left.',
  '',
  'Officials in Geneva declined to comment.',
  '',
].join('\n');

/** Polls `probe` until it returns a truthy value (bounded; the extension's work is asynchronous). */
export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, enc.encode(text));
}

export async function read(uri: vscode.Uri): Promise<string> {
  return dec.decode(await vscode.workspace.fs.readFile(uri));
}

export async function tryRead(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return await read(uri);
  } catch (err) {
    if (err instanceof vscode.FileSystemError) return undefined;
    throw err;
  }
}
