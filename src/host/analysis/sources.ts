import * as vscode from 'vscode';
import type { Settings } from '../config';

/** Schemes whose documents can be sources (real files, remote and virtual file systems). */
export const SOURCE_SCHEMES: readonly string[] = ['file', 'vscode-remote', 'vscode-vfs', 'vscode-test-web'];
const FILE_SCHEMES = new Set(SOURCE_SCHEMES);
/** Untitled documents of these languages count as sources too (a pasted article). */
const UNTITLED_LANGUAGES = new Set(['plaintext', 'markdown']);

/** Is this file inside the export folder (`marginalia.export.folder`) of its workspace folder (a report Marginalia wrote)? */
export function isInExportFolder(uri: vscode.Uri, exportFolder: string): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return false;
  const rel = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
  return rel === exportFolder || rel.startsWith(`${exportFolder}/`);
}

/**
 * Decides which documents are sources, from the `marginalia.sources` globs. A glob is relative to
 * each workspace folder; files outside any folder match the glob anywhere in their path. Sidecars
 * (`*.marginalia.yaml`) and anything under `.git/` never count.
 */
export class SourceMatcher implements vscode.Disposable {
  private selector?: vscode.DocumentFilter[];

  constructor(private readonly config: Pick<Settings, 'current'>) {}

  invalidate(): void {
    this.selector = undefined;
  }

  matches(document: vscode.TextDocument): boolean {
    const { uri } = document;
    if (uri.scheme === 'untitled') return UNTITLED_LANGUAGES.has(document.languageId);
    if (!FILE_SCHEMES.has(uri.scheme)) return false;
    if (uri.path.endsWith('.marginalia.yaml') || uri.path.includes('/.git/')) return false;
    if (isInExportFolder(uri, this.config.current.exportFolder)) return false;
    return vscode.languages.match(this.filters(), document) > 0;
  }

  /** Document filters for the globs, per workspace folder. */
  filters(): vscode.DocumentFilter[] {
    if (this.selector) return this.selector;
    const globs = this.config.current.sources;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: vscode.DocumentFilter[] = [];
    for (const glob of globs) {
      for (const folder of folders) out.push({ pattern: new vscode.RelativePattern(folder, glob) });
      out.push({ pattern: glob.startsWith('**/') || glob.startsWith('/') ? glob : `**/${glob}` });
    }
    this.selector = out;
    return out;
  }

  dispose(): void {
    this.selector = undefined;
  }
}
