import * as vscode from 'vscode';
import type { Logger } from '../../core/types';
import { itemsOf, type SourceEntry } from './entry';

/** The Problems entries of a sidecar: its error, or why it is read-only, its orphans and its conflicts. */
export function sidecarDiagnostics(e: SourceEntry): vscode.Diagnostic[] {
  const diags: vscode.Diagnostic[] = [];
  if (e.error) {
    const line = Math.max(0, e.error.line - 1);
    const col = Math.max(0, e.error.column - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, col, line, col + 1), e.error.message, vscode.DiagnosticSeverity.Error);
    d.source = 'Marginalia';
    d.code = e.error.code;
    diags.push(d);
  } else {
    const lines = idLines(e.diskText ?? '');
    const lineOf = (id: string): number => lines.get(id) ?? 0;
    if (e.readOnlyReason && !e.readOnlyReason.startsWith('Restricted')) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), e.readOnlyReason, vscode.DiagnosticSeverity.Information);
      d.source = 'Marginalia';
      diags.push(d);
    }
    const srcName = vscode.workspace.asRelativePath(e.sourceUri);
    for (const item of itemsOf(e.sidecar)) {
      const line = lineOf(item.id);
      if (item.orphan || e.sourceMissing) {
        const why = e.sourceMissing ? `${srcName} no longer exists` : `its text is no longer in ${srcName}`;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 200),
          `Orphaned annotation: ${why} (last known text: "${item.target.exact.slice(0, 80)}"). Select the new text and run "Marginalia: Re-anchor to Selection".`,
          vscode.DiagnosticSeverity.Warning);
        d.source = 'Marginalia';
        d.code = 'orphan';
        diags.push(d);
      }
      if (item.conflict) {
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 200),
          'Merge conflict: this annotation was changed on both sides; the other version is under `conflict`. Keep what you want and delete the `conflict` key.',
          vscode.DiagnosticSeverity.Warning);
        d.source = 'Marginalia';
        d.code = 'conflict';
        diags.push(d);
      }
    }
  }
  return diags;
}

/** Both versions were kept after an outside change of the same annotation: say so, once. */
export function reportConflicts(e: SourceEntry, ids: string[], log: Logger): void {
  if (ids.length === 0) return;
  const name = vscode.workspace.asRelativePath(e.sidecarUri);
  const msg = ids.length === 1
    ? `Marginalia: an annotation in ${name} was changed both here and on disk. Both versions are kept: this one, and the other under its \`conflict\` key.`
    : `Marginalia: ${ids.length} annotations in ${name} were changed both here and on disk. Both versions are kept (the other under each one's \`conflict\` key).`;
  log.warn(msg);
  void vscode.window.showWarningMessage(msg, 'Open Sidecar').then((pick) => {
    if (pick) void vscode.window.showTextDocument(e.sidecarUri);
  });
}

/** The line of each `id:` in a sidecar's text (one pass: a lookup per item, not a search). */
function idLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:- )?id:\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) continue;
    let v = m[1]!;
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
    if (!out.has(v)) out.set(v, i);
  }
  return out;
}
