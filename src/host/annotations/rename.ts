import * as vscode from 'vscode';
import type { SourceEntry } from './entry';
import { exists } from './fsio';

// Sources renamed or moved: their sidecars follow them.

/** An entry (undefined: a sidecar not loaded yet) and its source's old and new place. */
export type SourceMove = [SourceEntry | undefined, vscode.Uri, vscode.Uri];

/** The entries of the renamed source, or of the sources inside a renamed folder, with their new places. */
export function movesOf(entries: Iterable<SourceEntry>, oldUri: vscode.Uri, newUri: vscode.Uri): SourceMove[] {
  const moves: SourceMove[] = [];
  const oldKey = oldUri.toString();
  for (const e of [...entries]) {
    const k = e.key;
    if (k === oldKey) moves.push([e, e.sourceUri, newUri]);
    else if (k.startsWith(oldKey + '/')) moves.push([e, e.sourceUri, vscode.Uri.parse(newUri.toString() + k.slice(oldKey.length))]);
  }
  return moves;
}

/**
 * Moves a source's sidecar to where the new source's sidecar belongs. False (and the user told)
 * when a sidecar is there already: the annotations stay where they are.
 */
export async function moveSidecarFile(fromSidecar: vscode.Uri, toSidecar: vscode.Uri, from: vscode.Uri): Promise<boolean> {
  // A sidecar beside its source moved with its folder already.
  const src = (await exists(fromSidecar)) ? fromSidecar : undefined;
  if (src && src.toString() !== toSidecar.toString()) {
    if (await exists(toSidecar)) {
      void vscode.window.showWarningMessage(`Marginalia: ${vscode.workspace.asRelativePath(toSidecar)} already exists; the annotations of ${vscode.workspace.asRelativePath(from)} stay in ${vscode.workspace.asRelativePath(src)}.`);
      return false;
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(toSidecar, '..'));
    await vscode.workspace.fs.rename(src, toSidecar, { overwrite: false });
  }
  return true;
}
