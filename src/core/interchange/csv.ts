/**
 * CSV (RFC 4180): a header row, CRLF record separators, fields quoted when they hold a comma, a
 * double quote, CR or LF (quotes doubled). One row per user annotation, entity mention and
 * quotation, told apart by the `record` column. Offsets are code points over the text without BOM,
 * like the other interchange formats. A quotation row (id `q<index>`) has kind `indirect` for
 * reported speech without quotation marks (start/end: the reported content), its cue
 * (`cue`, `cue_start`, `cue_end`), `part_of` (the id of the reported statement a quotation-mark
 * fragment belongs to) and `nested_in` (the id of the quotation it is nested in).
 *
 * Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, tab or CR is prefixed with a
 * single quote (OWASP "CSV injection") unless `formulaGuard: false`.
 */
import { OffsetMap } from './codepoints';
import type { ExportSource } from './model';

export const CSV_COLUMNS = [
  'source',
  'record',
  'id',
  'kind',
  'start',
  'end',
  'exact',
  'note',
  'tags',
  'verdict',
  'author',
  'created',
  'modified',
  'orphan',
  'canonical',
  'entity_id',
  'value',
  'speaker',
  'speaker_entity_id',
  'attributed_via',
  'confidence',
  'cue',
  'cue_start',
  'cue_end',
  'part_of',
  'nested_in',
] as const;

/**
 * Header rows of earlier versions (before the cue and link columns): a file that starts with one is
 * still recognised as Marginalia's own export (see marker.ts), so a new export may replace it.
 */
export const EARLIER_CSV_HEADERS: readonly string[] = [CSV_COLUMNS.slice(0, CSV_COLUMNS.indexOf('cue')).join(',')];

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | undefined>>;

export interface CsvOptions {
  /**
   * Write the header row (default true). It is also what marks a CSV file as Marginalia's export
   * (see marker.ts), so every file written gets it; false only to append a further source to a
   * stream that already has one (several sources on stdout).
   */
  header?: boolean;
  formulaGuard?: boolean;
  recognition?: boolean;
}

/** One RFC 4180 field. */
export function csvField(v: string | number | boolean | undefined, formulaGuard = true, isText = true): string {
  if (v === undefined) return '';
  let s = String(v);
  if (formulaGuard && isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NUMERIC = new Set(['start', 'end', 'confidence', 'orphan', 'cue_start', 'cue_end']);

export function csvRow(row: Row, formulaGuard = true): string {
  return CSV_COLUMNS.map((c) => csvField(row[c], formulaGuard, !NUMERIC.has(c))).join(',');
}

export function toCsv(src: ExportSource, options: CsvOptions = {}): string {
  const guard = options.formulaGuard !== false;
  const map = new OffsetMap(src.text);
  const rows: string[] = [];
  if (options.header !== false) rows.push(CSV_COLUMNS.join(','));
  for (const a of src.annotations) {
    const orphan = src.orphans?.has(a.id) ?? false;
    rows.push(
      csvRow(
        {
          source: src.path,
          record: 'annotation',
          id: a.id,
          kind: a.kind,
          start: orphan ? undefined : map.toCodePoint(a.target.start),
          end: orphan ? undefined : map.toCodePoint(a.target.end),
          exact: a.target.exact,
          note: a.note,
          tags: a.tags?.join('; '),
          verdict: a.verdict,
          author: a.author,
          created: a.created,
          modified: a.modified,
          orphan,
        },
        guard,
      ),
    );
  }
  if (src.analysis && options.recognition !== false) {
    for (const m of src.analysis.mentions) {
      rows.push(
        csvRow(
          {
            source: src.path,
            record: 'mention',
            kind: m.type,
            start: map.toCodePoint(m.start),
            end: map.toCodePoint(m.end),
            exact: m.text,
            canonical: m.canonical,
            entity_id: m.entityId,
            value: m.value,
            confidence: m.confidence,
          },
          guard,
        ),
      );
    }
    src.analysis.quotes.forEach((q, i) => {
      rows.push(
        csvRow(
          {
            source: src.path,
            record: 'quote',
            id: `q${i}`,
            kind: q.kind,
            start: map.toCodePoint(q.start),
            end: map.toCodePoint(q.end),
            exact: src.text.slice(q.start, q.end),
            speaker: q.speaker?.name,
            speaker_entity_id: q.speaker?.entityId,
            attributed_via: q.speaker?.via,
            confidence: q.confidence,
            cue: q.cue ? src.text.slice(q.cue.start, q.cue.end) : undefined,
            cue_start: q.cue ? map.toCodePoint(q.cue.start) : undefined,
            cue_end: q.cue ? map.toCodePoint(q.cue.end) : undefined,
            part_of: q.partOf !== undefined ? `q${q.partOf}` : undefined,
            nested_in: q.parent !== undefined ? `q${q.parent}` : undefined,
          },
          guard,
        ),
      );
    });
  }
  return rows.length ? rows.join('\r\n') + '\r\n' : '';
}

/** Parses RFC 4180 text into rows of fields (for tests and tools). */
export function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
