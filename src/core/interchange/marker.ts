/**
 * Export markers: every file `marginalia export` writes says that Marginalia wrote it, so a later
 * export may replace it — and nothing else (a hand-written file of the same name is never
 * overwritten). Each marker is something the format's readers tolerate:
 * - W3C JSON-LD: the collection's `generator` (Marginalia) and `marginalia:exportOf` (the source),
 *   written right after `@context` (see `toW3C`);
 * - brat `.ann`: a first comment line `#0\tMarginaliaExport #0\t{"source":…,"text":"fnv1a64:…"}`
 *   (a brat comment on itself, so brat's reference check passes; `text` is the hash of the text
 *   copy written beside it, which is how that copy is recognised);
 * - brat `annotation.conf`: its first comment line;
 * - CSV: the exact header row (or an earlier version's, see `EARLIER_CSV_HEADERS`);
 * - Markdown (the report and the fact-check draft): a first-line HTML comment `<!-- marginalia export: "SOURCE" -->`;
 * - ClaimReview JSON-LD: `marginalia:generator` (Marginalia) and `marginalia:exportOf` (the source)
 *   right after the schema.org `@context` (see `claimReviewDocument`).
 * Recognisers read only the start of a file (`head`, e.g. its first 64 KiB) — pure functions.
 */
import { CSV_COLUMNS, EARLIER_CSV_HEADERS } from './csv';
import type { ExportFormat } from './export';
import type { ExportSource } from './model';
import { HASH_PREFIX, fnv1a64 } from '../sidecar/hash';

/** The exact hash of a text copy (no normalisation: a copy with other line endings is not the one written). */
function textHash(text: string): string {
  return HASH_PREFIX + fnv1a64(text);
}

/** How many characters of an existing file the recognisers need at most. */
export const MARKER_HEAD_CHARS = 64 * 1024;

export const BRAT_MARKER_TYPE = 'MarginaliaExport';
export const BRAT_CONF_FIRST_LINE = '# brat configuration for files exported by Marginalia (marginalia export --format brat)';

/** JSON on one line whatever it holds: also NEL and U+2028/2029 escaped (line breaks to some readers). */
function oneLineJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first line of a brat export (without its line break). */
export function bratMarkerLine(src: Pick<ExportSource, 'path' | 'text'>): string {
  return `#0\t${BRAT_MARKER_TYPE} #0\t${oneLineJson({ source: src.path, text: textHash(src.text) })}`;
}

/** The first line of a Markdown export (without its line break). `<`, `>` and `-` are JSON-escaped: the comment cannot end early. */
export function markdownMarkerLine(sourcePath: string): string {
  const json = oneLineJson(sourcePath).replace(/[<>-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!-- marginalia export: ${json} -->`;
}

function firstLine(head: string): string {
  const s = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const nl = s.indexOf('\n');
  const line = nl < 0 ? s : s.slice(0, nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function parseJsonObject(s: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The brat marker's data (`source`, `text` hash) when `head` starts with it. */
export function readBratMarker(head: string): { source: string; text: string } | undefined {
  const m = /^#0\tMarginaliaExport #0\t(\{.*\})$/.exec(firstLine(head));
  const o = m ? parseJsonObject(m[1]) : undefined;
  return o && typeof o.source === 'string' && typeof o.text === 'string' ? { source: o.source, text: o.text } : undefined;
}

const W3C_MARKER =
  /^\s*\{\s*"@context"\s*:\s*\[\s*"http:\/\/www\.w3\.org\/ns\/anno\.jsonld"\s*,\s*\{\s*"marginalia"\s*:\s*"[^"]*"\s*\}\s*\]\s*,\s*"generator"\s*:\s*\{\s*"id"\s*:\s*"https:\/\/marginalia-dev\.github\.io\/"\s*,\s*"type"\s*:\s*"Software"\s*,\s*"name"\s*:\s*"Marginalia"\s*\}\s*,\s*"marginalia:exportOf"\s*:\s*"/;

const CLAIMREVIEW_MARKER =
  /^\s*\{\s*"@context"\s*:\s*\[\s*"https:\/\/schema\.org"\s*,\s*\{\s*"marginalia"\s*:\s*"[^"]*"\s*\}\s*\]\s*,\s*"marginalia:generator"\s*:\s*"Marginalia"\s*,\s*"marginalia:exportOf"\s*:\s*"/;

/** Whether `head` (the start of an existing file) is Marginalia's own export in `format`. */
export function isOwnExport(format: ExportFormat, head: string): boolean {
  switch (format) {
    case 'w3c':
      return W3C_MARKER.test(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
    case 'brat':
      return readBratMarker(head) !== undefined;
    case 'csv':
      return firstLine(head) === CSV_COLUMNS.join(',') || EARLIER_CSV_HEADERS.includes(firstLine(head));
    case 'md':
      return /^<!-- marginalia export: "[^\n]*" -->$/.test(firstLine(head));
    case 'claimreview':
      return CLAIMREVIEW_MARKER.test(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
  }
}

/** Whether `head` is the `annotation.conf` Marginalia writes. */
export function isOwnBratConf(head: string): boolean {
  return firstLine(head) === BRAT_CONF_FIRST_LINE;
}

/**
 * Whether an existing brat text copy (its whole `content`) is Marginalia's: the text its sibling
 * `.ann` marker recorded (`markerHead`: the start of that `.ann`, if it exists), or exactly the text
 * this export would write (`wouldWrite`).
 */
export function isOwnBratText(content: string, markerHead: string | undefined, wouldWrite?: string): boolean {
  if (wouldWrite !== undefined && content === wouldWrite) return true;
  const marker = markerHead !== undefined ? readBratMarker(markerHead) : undefined;
  return marker !== undefined && marker.text === textHash(content);
}
