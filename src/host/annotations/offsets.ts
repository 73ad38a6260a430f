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
    // Start offsets of each line in the normalised text.
    const starts: number[] = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    const lineOfNorm = (o: number): number => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    map = {
      text,
      toNorm: (o) => o - doc.positionAt(o).line,
      toDoc: (o) => o + lineOfNorm(o),
    };
  }
  cache.set(doc, { version: doc.version, map });
  return map;
}
