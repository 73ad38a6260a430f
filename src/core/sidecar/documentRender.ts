/**
 * A sidecar's YAML Document as text, with fixed options (the same data gives the same bytes),
 * escaping what the canonical writer escapes and keeping the source text of plain scalars.
 */
import { parseDocument, Scalar, visit } from 'yaml';
import type { Document } from 'yaml';
import { escapeUnsafe, hasUnsafe } from './canonicalWriter';

const STRINGIFY_OPTIONS = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true } as const;

/**
 * A plain scalar's source text, written back as it was read (`0012`, `1.10`, `0x1F`, a 20-digit
 * number): the yaml package would write the value it read instead (`12`, `1.1`, `0x1f`, `1234…000`).
 * Set as a scalar's value only while the Document is being rendered (see `stringifySidecarDocument`).
 */
class SourceText {
  constructor(readonly source: string) {}
}
const SOURCE_TEXT_TAG = {
  tag: 'tag:marginalia.dev,2026:source-text',
  default: true,
  identify: (v: unknown): boolean => v instanceof SourceText,
  resolve: (s: string): string => s,
  stringify: (node: { value?: unknown }): string => (node.value as SourceText).source,
};

/** The Document's text (see the module comment); the Document is left as it was. */
export function stringifySidecarDocument(doc: Document): string {
  // Plain scalars that still hold what was read keep their text (the model keeps `note: 0012` as
  // the text "0012", and unknown keys keep 20-digit numbers): swapped in for the render, then back.
  const swapped: [Scalar, unknown][] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== Scalar.PLAIN || typeof node.value === 'string' || !node.source) return;
      if (!SIMPLE_SOURCE.test(node.source)) return;
      swapped.push([node, node.value]);
      node.value = new SourceText(node.source);
    },
  });
  if (swapped.length === 0) return renderDocument(doc);
  const schema = doc.schema;
  try {
    doc.schema = schema.clone();
    doc.schema.tags = [...doc.schema.tags, SOURCE_TEXT_TAG as never];
    return renderDocument(doc);
  } finally {
    doc.schema = schema;
    for (const [node, value] of swapped) node.value = value;
  }
}

/** One line, no indicator that could change its meaning when written back in another place. */
const SIMPLE_SOURCE = /^[^\s#:,[\]{}&*!|>'"%@`][^\n\r#]*$/;

function renderDocument(doc: Document): string {
  // The yaml package writes controls, invisible characters and U+2028/U+2029 raw even inside
  // double quotes (VS Code then warns of unusual line terminators); the canonical writer escapes
  // them. Put every string holding one in double quotes, then escape them there, so that both
  // paths write the same, editor-safe bytes.
  let found = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (hasUnsafe(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
        found = true;
      } else if (BLANK_LINE.test(node.value)) {
        // A line of only spaces would lose them in a block scalar: double quotes keep them.
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  const text = doc.toString(STRINGIFY_OPTIONS);
  if (!found) return text;
  const escaped = escapeUnsafe(text);
  // A raw separator outside a double-quoted string (a key, a comment) must stay as it was:
  // keep the escaped text only when it reads back to the same data.
  return sameData(text, escaped) ? escaped : text;
}

/** A line holding only spaces or tabs (after a line break, or before one). */
const BLANK_LINE = /(?:^|[\n\r])[ \t]+(?:[\n\r]|$)/;

function sameData(a: string, b: string): boolean {
  try {
    return JSON.stringify(parseDocument(a).toJS()) === JSON.stringify(parseDocument(b).toJS());
  } catch {
    return false;
  }
}
