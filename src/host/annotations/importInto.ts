import * as vscode from 'vscode';
import type { ImportFormat } from '../../core/interchange/export';
import type { MergeImportResult } from '../../core/interchange/import';
import { hashText } from '../../core/sidecar/hash';
import { heavy } from '../lazy';
import { workspaceFs } from '../projectFs';
import { offsetMap } from './offsets';
import type { AnnotationStore } from './store';

export interface ImportInput {
  format: ImportFormat;
  /** The interchange file's content (W3C JSON-LD or brat standoff). */
  content: string;
  author?: string;
  now: string;
  newId: () => string;
}

/**
 * *Import Annotations…* through the store, not behind its back: the file's annotations are merged
 * (the core's `importIntoSidecar`, as on the command line) into the sidecar the store holds, under
 * the entry's queue, anchored on the source's current text (an open source's as shown), then
 * written by the store's safe writer (which merges an outside change) and shown at once. A
 * read-only sidecar (restricted workspace, newer format) is refused before anything is written.
 */
export async function importThroughStore(store: AnnotationStore, sourceUri: vscode.Uri, input: ImportInput): Promise<MergeImportResult> {
  const e = store.entryFor(sourceUri);
  if (!e) throw new Error(`${vscode.workspace.asRelativePath(sourceUri)} has no sidecar location inside the workspace: nothing was imported`);
  const text = await sourceText(sourceUri);
  const h = heavy();
  let report: MergeImportResult | undefined;
  await store.editSidecar(e, (sidecar) => {
    const base = h.anchorSidecar(text, sidecar).sidecar;
    const read = h.readInterchange(input.format, input.content, text, e.sourceField);
    report = h.importIntoSidecar(base, read, text, input.newId, { author: input.author, now: input.now });
    return report.added.length || report.updated.length ? { ...report.sidecar, hash: hashText(text) } : sidecar;
  });
  return report!;
}

/** The source's text as the store anchors on it: the open document's (line endings normalised), else the file's. */
async function sourceText(uri: vscode.Uri): Promise<string> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return offsetMap(doc).text;
  return heavy().readSourceText(workspaceFs(uri), uri.path, vscode.workspace.asRelativePath(uri));
}
