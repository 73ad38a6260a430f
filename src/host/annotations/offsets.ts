import { LineIndex } from '../../core/interchange/codepoints';
import type * as vscode from 'vscode';

/**
 * Converts between offsets in a VS Code document (what the editor uses; CRLF documents count the
 * `\r`) and offsets in the normalised text the sidecar stores (line endings `\n`, no BOM — VS Code
 * already strips the BOM). VS Code gives a document one end-of-line sequence, so in a CRLF
 * document the two differ by exactly the number of line breaks before the offset.
 */
export interface OffsetMap {
  toNorm(docOffset: number): number;
  toDoc(normOffset: number): number;
  /** The normalised text. */
  readonly text: string;
}

const cache = new WeakMap<vscode.TextDocument, { version: number; map: OffsetMap }>();

export function offsetMap(doc: vscode.TextDocument): OffsetMap {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit.map;
  const raw = doc.getText();
  let map: OffsetMap;
  if (raw.indexOf('\r') === -1) {
    map = { toNorm: (o) => o, toDoc: (o) => o, text: raw };
  } else {
    const text = raw.replace(/\r\n?/g, '\n');
    // Each line of the normalised text lost one character (its CR) before the offset.
    const lines = new LineIndex(text);
    const lineOfNorm = (o: number): number => lines.position(o).line - 1;
    map = {
      text,
      toNorm: (o) => o - doc.positionAt(o).line,
      toDoc: (o) => o + lineOfNorm(o),
    };
  }
  cache.set(doc, { version: doc.version, map });
  return map;
}
