import * as vscode from 'vscode';
import type { SidecarIssue } from '../../core/sidecar/codec';
import type { Sidecar } from '../../core/sidecar/model';
import type { Logger } from '../../core/types';
import { heavy } from '../lazy';
import { workspaceFs } from '../projectFs';
import { reportConflicts } from './diagnostics';
import { clone, itemsOf, type SourceEntry } from './entry';
import { anchorToDocument, syncTargets } from './live';

// An entry's sidecar on disk: written through the core's safe writer, merged with what changed
// there, and cleaned of what interrupted saves left.

export interface WriteOptions {
  maxBytes: number;
  log: Logger;
  /** The sidecar on disk turned out broken (`e.error` is set): show it before the write fails. */
  onBroken: (e: SourceEntry) => void;
  /** Throws unless the sidecar's path, links resolved, is inside the workspace (the project layer's check). */
  assertInside: (path: string) => Promise<void>;
}

/**
 * Saves through the core's safe writer (src/core/project/writer.ts), as import and the merge
 * driver do: under the sidecar's lock it re-reads the file, merges by id when it changed since we
 * read it (another window, git, a tool), keeps comments and layout, and checks the result with the
 * reader before renaming it into place.
 */
export async function writeEntry(e: SourceEntry, { maxBytes, log, onBroken, assertInside }: WriteOptions): Promise<void> {
  if (e.readOnly) throw new Error(e.readOnly);
  // Never through a link out of the workspace (a sidecar folder that is a link), on any write.
  await assertInside(e.sidecarUri.path);
  syncTargets(e);
  const h = heavy();
  let conflicts: string[] = [];
  let result: Awaited<ReturnType<typeof h.writeSidecar>>;
  try {
    result = await h.writeSidecar(
      workspaceFs(e.sidecarUri),
      e.sidecarUri.path,
      (current) => {
        if (current.text === undefined) {
          if (itemsOf(e.sidecar).length === 0 && e.diskText === undefined) return h.UNCHANGED; // nothing to keep
          return e.sidecar;
        }
        if (current.text !== e.diskText) {
          // Changed on disk since we read it: merge by id instead of overwriting.
          const merged = h.mergeSidecars(e.base ?? null, e.sidecar, current.parsed!.sidecar);
          e.sidecar = merged.sidecar;
          conflicts = merged.conflicts.filter((c) => c.kind !== 'changed-deleted').map((c) => c.id);
          if (e.liveDoc) anchorToDocument(e, e.liveDoc);
        }
        return e.sidecar;
      },
      {
        maxBytes,
        display: vscode.workspace.asRelativePath(e.sidecarUri),
        known: e.diskText !== undefined && e.parsed ? { text: e.diskText, parsed: e.parsed } : undefined,
        // Leftovers of interrupted saves are dealt with when the sidecar loads (recoverOrClean).
        recover: false,
        // Set before the rename so that the watcher recognises our own write.
        beforeReplace: (text) => {
          e.diskText = text;
        },
      },
    );
  } catch (err) {
    const issue = (err as { detail?: SidecarIssue }).detail;
    if (issue && typeof issue.line === 'number' && typeof issue.message === 'string') {
      e.error = issue;
      onBroken(e);
      throw new Error(`The sidecar on disk has an error (line ${issue.line}: ${issue.message}); it was not overwritten.`);
    }
    throw err;
  }
  reportConflicts(e, conflicts, log);
  e.diskText = result.text;
  e.parsed = result.parsed;
  e.base = clone(e.sidecar);
}

/**
 * An outside edit of a sidecar we hold: three-way merge of the last disk version, ours and theirs
 * (both versions kept where both changed, and said so). True when the merge holds something only
 * we had, which must be written back.
 */
export function mergeOutsideChange(e: SourceEntry, base: Sidecar, theirs: Sidecar, log: Logger): boolean {
  const merged = heavy().mergeSidecars(base, e.sidecar, theirs);
  e.sidecar = merged.sidecar;
  const needsWrite = JSON.stringify(merged.sidecar) !== JSON.stringify(theirs);
  reportConflicts(e, merged.conflicts.filter((c) => c.kind !== 'changed-deleted').map((c) => c.id), log);
  return needsWrite;
}

/**
 * Interrupted saves (the editor's or the command line's): the core's recovery over
 * `workspace.fs` promotes the newest complete temporary file when the sidecar is missing and
 * removes leftovers once the sidecar is whole; pieces of nothing whole are kept for the user.
 */
export async function recoverOrClean(e: SourceEntry, goodText: string | undefined, maxBytes: number, log: Logger): Promise<void> {
  const shown = (path: string) => vscode.workspace.asRelativePath(e.sidecarUri.with({ path }));
  const r = await heavy().recoverLeftovers(workspaceFs(e.sidecarUri), e.sidecarUri.path, maxBytes);
  if (r.recovered) {
    const msg = `Recovered ${shown(e.sidecarUri.path)} from an interrupted save.`;
    log.warn(msg);
    void vscode.window.showWarningMessage(`Marginalia: ${msg}`);
  }
  for (const t of r.removed) log.info(`Removed a leftover temporary file of an interrupted save: ${shown(t)}`);
  if (r.removed.length && goodText !== undefined) {
    void vscode.window.showInformationMessage(`Marginalia: an earlier save of ${shown(e.sidecarUri.path)} was interrupted; the sidecar itself is intact and its leftover temporary file was removed (see the Marginalia output).`);
  }
}
