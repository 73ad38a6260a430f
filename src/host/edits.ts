import type * as vscode from 'vscode';
import type { Edit } from '../core/text/edits';

/** A VS Code content change as the core's one edit type. */
export function toEdit(c: vscode.TextDocumentContentChangeEvent): Edit {
  return { offset: c.rangeOffset, length: c.rangeLength, text: c.text };
}
