import * as vscode from 'vscode';
import { SIDECAR_SUFFIX } from '../../core/sidecar/model';
import { isSafeRelativePath, sidecarPathFor, sourcePathFor } from '../../core/sidecar/paths';
import type { Logger } from '../../core/types';
import type { Settings } from '../config';

/** Where a source's sidecar is: its uri, the workspace folder and the source's folder-relative path. */
export interface SidecarLocation {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  rel: string;
}

/**
 * `marginalia.sidecar.folder` for sources in `folder`: the folder's own value in a multi-root
 * workspace (a resource setting: each folder may keep its sidecars elsewhere), else the window's
 * (`windowFolder`).
 */
function folderSetting(folder: vscode.WorkspaceFolder, windowFolder: string, config: Settings): string {
  return config.for(folder.uri).sidecarFolderOfFolder ?? windowFolder;
}

export function sidecarLocation(sourceUri: vscode.Uri, windowFolder: string, config: Settings, log: Logger): SidecarLocation | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(sourceUri);
  if (!folder) return undefined;
  const rel = sourceUri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
  if (!rel || rel.startsWith('..')) return undefined;
  const setting = folderSetting(folder, windowFolder, config);
  const sidecarRel = sidecarPathFor(rel, setting);
  // A configured folder such as `../elsewhere` must not put sidecars outside the workspace
  // (Uri.joinPath resolves `..`): refuse it.
  if (!isSafeRelativePath(sidecarRel)) {
    log.warn(`marginalia.sidecar.folder must be a folder inside the workspace; ignoring ${JSON.stringify(setting)}`);
    return undefined;
  }
  return { uri: vscode.Uri.joinPath(folder.uri, ...sidecarRel.split('/')), folder, rel };
}

export function sourceOfSidecar(sidecarUri: vscode.Uri, windowFolder: string, config: Settings): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(sidecarUri);
  if (!folder) return undefined;
  const rel = sidecarUri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
  // Only the file-name convention is used to find the source: the `source:` field is never
  // used for I/O, so a sidecar cannot point Marginalia outside the workspace.
  const src = sourcePathFor(rel, folderSetting(folder, windowFolder, config));
  if (!src || src.split('/').some((seg) => seg === '..')) return undefined;
  return vscode.Uri.joinPath(folder.uri, ...src.split('/'));
}

export function isSidecarUri(uri: vscode.Uri): boolean {
  return uri.path.endsWith(SIDECAR_SUFFIX);
}
