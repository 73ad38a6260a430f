/**
 * brat standoff `.ann` (https://brat.nlplab.org/standoff.html), code-point offsets over the text
 * without BOM (line endings counted as they are in the text).
 *
 * Writer:
 * - `T` text-bound annotations: entity mentions (types Person, Organization, Place, Group, Date,
 *   Number), quotations and reported statements (Quotation: for kind `indirect`, the reported
 *   content), speakers that are not an entity mention (Speaker: a pronoun or a description), cues
 *   (Cue: `said`, `according to`), and the user's annotations (types Note, Claim, Question, Verdict, Tag, Link,
 *   Correction). A span crossing line breaks is split into fragments `s e;s e` with the line breaks
 *   left out, as brat requires; the text field is the fragments joined by a space.
 * - `R` relations: `SaidBy Arg1:<quotation> Arg2:<speaker>`, `CuedBy Arg1:<quotation> Arg2:<cue>`,
 *   `PartOf Arg1:<quotation> Arg2:<reported statement>` (a quotation-mark fragment of a reported
 *   statement) and `NestedIn Arg1:<quotation> Arg2:<quotation>`.
 * - `A` attributes: `Verdict` (value with spaces as `_`), `QuoteKind` (full, partial, scare, block,
 *   indirect), `Orphan`.
 * - `N` normalisations: an entity mention → `Marginalia:<entity id>` with its canonical name.
 * - `#` notes: `AnnotatorNotes` holds a user annotation's note (backslash, newline, CR and tab
 *   escaped as `\\ \n \r \t`, since brat notes are one line); `MarginaliaMeta` holds a one-line JSON
 *   object with id, kind, tags, verdict, author, created, modified and `extra` (the sidecar's
 *   unknown keys) — what brat has no place for, so a round trip is lossless. brat shows both as
 *   comments.
 *
 * Reader: T lines whose type is one of the seven kinds become annotations; their notes, attributes
 * and meta lines are attached; entity, quotation, speaker and cue records are counted and skipped
 * (their relations and attributes ignored): recognition recomputes them.
 */
import { OffsetMap, splitAtLineBreaks } from './codepoints';
import {
  type AnnotationKind,
  type AnnotationLike,
  type ExportSource,
  type ImportResult,
  type ImportedAnnotation,
  ANNOTATION_KINDS,
  cleanExtra,
  isAnnotationKind,
  readEvidenceLinks,
  usableId,
} from './model';
import { jsonDepth, MAX_JSON_DEPTH } from './w3cImport';
import { evidenceRecord } from '../sidecar/canonicalWriter';
import { isClaimDate } from '../sidecar/model';
import type { Analysis, QuoteKind } from '../types';

const ENTITY_LABEL: Record<string, string> = {
  person: 'Person',
  organization: 'Organization',
  place: 'Place',
  group: 'Group',
  date: 'Date',
  number: 'Number',
};

/** Every quotation kind, for the `QuoteKind` attribute's declared values (a new kind fails to compile until listed). */
const QUOTE_KINDS = { full: true, partial: true, scare: true, block: true, indirect: true } satisfies Record<QuoteKind, true>;

const KIND_LABEL = Object.fromEntries(ANNOTATION_KINDS.map((k) => [k, k[0].toUpperCase() + k.slice(1)])) as Record<AnnotationKind, string>;

export function escapeNote(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

export function unescapeNote(s: string): string {
  return s.replace(/\\([\\nrt])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : '\\'));
}

/** brat attribute values are single tokens. */
function attrValue(s: string): string {
  return s.trim().replace(/\s+/g, '_') || '_';
}

/**
 * The lines of a `.ann` file being written, numbering each kind of record in the order written
 * (T1, T2…; R1…; A1…; N1…; #1…).
 */
class BratLines {
  private readonly lines: string[] = [];
  private t = 0;
  private r = 0;
  private a = 0;
  private n = 0;
  private note = 0;
  /** The fragments of the span last given to `textBound` (empty: nothing to show). */
  lastFrags: Array<[number, number]> = [];

  constructor(private readonly text: string, readonly map: OffsetMap) {}

  /** A `T` line for [start, end) split at line breaks; its id, or undefined when the span shows nothing. */
  textBound(label: string, start: number, end: number): string | undefined {
    const frags = splitAtLineBreaks(this.text, start, end);
    this.lastFrags = frags;
    if (frags.length === 0) return undefined;
    const id = `T${++this.t}`;
    const offs = frags.map(([s, e]) => `${this.map.toCodePoint(s)} ${this.map.toCodePoint(e)}`).join(';');
    const body = frags.map(([s, e]) => this.text.slice(s, e)).join(' ').replace(/[\t\n\r]/g, ' ');
    this.lines.push(`${id}\t${label} ${offs}\t${body}`);
    return id;
  }

  relation(type: string, arg1: string, arg2: string): void {
    this.lines.push(`R${++this.r}\t${type} Arg1:${arg1} Arg2:${arg2}`);
  }

  attribute(type: string, id: string, value: string): void {
    this.lines.push(`A${++this.a}\t${type} ${id} ${value}`);
  }

  normalization(body: string): void {
    this.lines.push(`N${++this.n}\t${body}`);
  }

  /** A `#` line: `AnnotatorNotes` or `MarginaliaMeta` for the record `id`. */
  comment(type: 'AnnotatorNotes' | 'MarginaliaMeta', id: string, value: string): void {
    this.lines.push(`#${++this.note}\t${type} ${id}\t${value}`);
  }

  toString(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }
}

export function toBrat(src: ExportSource, options: { recognition?: boolean } = {}): string {
  const out = new BratLines(src.text, new OffsetMap(src.text));
  const analysis = options.recognition === false ? undefined : src.analysis;
  if (analysis) {
    const mentionT = writeMentions(out, analysis.mentions);
    const quoteT = writeQuotations(out, analysis.quotes, mentionT);
    writeQuoteRelations(out, analysis.quotes, quoteT);
  }
  for (const ann of src.annotations) {
    if (src.orphans?.has(ann.id)) continue; // no place in the text: brat cannot hold it
    writeAnnotation(out, ann);
  }
  return out.toString();
}

/** Entity mentions, each with its normalisation; the T id of each by "start:end". */
function writeMentions(out: BratLines, mentions: Analysis['mentions']): Map<string, string> {
  const mentionT = new Map<string, string>(); // "start:end" → T id
  for (const m of mentions) {
    const id = out.textBound(ENTITY_LABEL[m.type] ?? 'Entity', m.start, m.end);
    if (!id) continue;
    mentionT.set(`${m.start}:${m.end}`, id);
    out.normalization(`Reference ${id} Marginalia:${attrValue(m.entityId)}\t${m.canonical.replace(/[\t\n\r]/g, ' ')}`);
  }
  return mentionT;
}

/**
 * Quotations with their kind, cue and speaker (a speaker that is no entity mention gets a T line of
 * its own, added to `mentionT`); the T id of each quotation by index.
 */
function writeQuotations(out: BratLines, quotes: Analysis['quotes'], mentionT: Map<string, string>): (string | undefined)[] {
  const quoteT: (string | undefined)[] = [];
  const cueT = new Map<string, string>(); // "start:end" → T id (quotations may share a cue)
  quotes.forEach((q) => {
    const id = out.textBound('Quotation', q.start, q.end);
    quoteT.push(id);
    if (!id) return;
    out.attribute('QuoteKind', id, q.kind);
    if (q.cue && q.cue.end > q.cue.start) {
      const cid = writeOnce(out, cueT, 'Cue', q.cue.start, q.cue.end);
      if (cid) out.relation('CuedBy', id, cid);
    }
    if (q.speaker) {
      const speaker = q.speaker;
      const sid = writeOnce(out, mentionT, 'Speaker', speaker.start, speaker.end, (newId) => out.comment('AnnotatorNotes', newId, escapeNote(speaker.name)));
      if (sid) out.relation('SaidBy', id, sid);
    }
  });
  return quoteT;
}

/** The T id already written for [start, end) in `written`, or a new T line (then `onNew` is called). */
function writeOnce(out: BratLines, written: Map<string, string>, label: string, start: number, end: number, onNew?: (id: string) => void): string | undefined {
  const key = `${start}:${end}`;
  let id = written.get(key);
  if (!id) {
    id = out.textBound(label, start, end);
    if (id) {
      written.set(key, id);
      onNew?.(id);
    }
  }
  return id;
}

/** PartOf and NestedIn, which may point forward: written after all quotations. */
function writeQuoteRelations(out: BratLines, quotes: Analysis['quotes'], quoteT: (string | undefined)[]): void {
  quotes.forEach((q, i) => {
    const id = quoteT[i];
    if (!id) return;
    const statement = q.partOf !== undefined ? quoteT[q.partOf] : undefined;
    if (statement) out.relation('PartOf', id, statement);
    const outer = q.parent !== undefined ? quoteT[q.parent] : undefined;
    if (outer) out.relation('NestedIn', id, outer);
  });
}

/** One user annotation: its T line, verdict, note and MarginaliaMeta line. */
function writeAnnotation(out: BratLines, ann: AnnotationLike): void {
  const kind: AnnotationKind = isAnnotationKind(ann.kind) ? ann.kind : 'note';
  const id = out.textBound(KIND_LABEL[kind], ann.target.start, ann.target.end);
  if (!id) return;
  if (ann.verdict) out.attribute('Verdict', id, attrValue(ann.verdict));
  if (ann.note) out.comment('AnnotatorNotes', id, escapeNote(ann.note));
  const meta = annotationMeta(ann, out.lastFrags, out.map);
  // JSON.stringify escapes control characters; NEL and the Unicode line/paragraph separators
  // (which brat's Python line reader also breaks at) are escaped too, so the line stays one line.
  out.comment('MarginaliaMeta', id, JSON.stringify(meta).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** What brat has no place for, written as the MarginaliaMeta JSON so that a round trip is lossless. */
function annotationMeta(ann: AnnotationLike, frags: Array<[number, number]>, map: OffsetMap): Record<string, unknown> {
  const meta: Record<string, unknown> = { id: ann.id, kind: ann.kind };
  if (ann.tags?.length) meta.tags = ann.tags;
  if (ann.verdict !== undefined) meta.verdict = ann.verdict;
  if (ann.author) meta.author = ann.author;
  if (ann.created) meta.created = ann.created;
  if (ann.modified) meta.modified = ann.modified;
  // Unknown sidecar keys, so export → import keeps them.
  if (ann.extra && Object.keys(ann.extra).length) meta.extra = ann.extra;
  // Claim details and evidence links (each link's offsets: UTF-16 units of ITS source, as in the sidecar).
  if (ann.claimant !== undefined) meta.claimant = ann.claimant;
  if (ann.claimDate !== undefined) meta.claimDate = ann.claimDate;
  if (ann.appearance !== undefined) meta.appearance = ann.appearance;
  if (ann.evidence?.length) meta.evidence = ann.evidence.map(evidenceRecord);
  // Line breaks at the span's ends are not in any fragment: keep the true span.
  if (frags[0][0] !== ann.target.start || frags[frags.length - 1][1] !== ann.target.end) {
    meta.span = [map.toCodePoint(ann.target.start), map.toCodePoint(ann.target.end)];
  }
  // The T text cannot say where the line breaks were: keep the exact quote for re-anchoring.
  if (frags.length > 1 || meta.span) meta.exact = ann.target.exact;
  return meta;
}

/** Fragments (`;`-separated spans) accepted on one T line; a line with more is skipped with a warning. */
export const MAX_BRAT_FRAGMENTS = 1000;

interface TRecord {
  label: string;
  start: number;
  end: number;
  text: string;
  frags: number[][];
  line: number;
}

/** What the lines of a `.ann` file say, by record id (before the T records become annotations). */
interface BratRecords {
  ts: Map<string, TRecord>;
  notes: Map<string, string[]>;
  metas: Map<string, Record<string, unknown>>;
  verdicts: Map<string, string>;
}

export function fromBrat(ann: string, text: string): ImportResult {
  const map = new OffsetMap(text);
  const result: ImportResult = { annotations: [], warnings: [], skipped: 0 };
  const records = readRecords(ann, result.warnings);
  for (const [id, rec] of records.ts) {
    const kind = rec.label.toLowerCase();
    if (!isAnnotationKind(kind)) {
      result.skipped++;
      continue;
    }
    result.annotations.push(importAnnotation(id, rec, kind, records, text, map, result.warnings));
  }
  return result;
}

/** Every line of the file, by its first letter: T (text-bound), # (notes), A and M (attributes); others ignored. */
function readRecords(ann: string, warnings: string[]): BratRecords {
  const records: BratRecords = { ts: new Map(), notes: new Map(), metas: new Map(), verdicts: new Map() };
  const lines = ann.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `line ${i + 1}`;
    const tab = line.split('\t');
    const id = tab[0];
    if (id.startsWith('T')) {
      const rec = readTextBound(tab, i + 1, where, warnings);
      if (rec) records.ts.set(id, rec);
    } else if (id.startsWith('#')) readComment(tab, where, records, warnings);
    else if (id.startsWith('A') || id.startsWith('M')) {
      const parts = (tab[1] ?? '').split(' ');
      if (parts[0] === 'Verdict' && parts[1]) records.verdicts.set(parts[1], parts.slice(2).join(' ').replace(/_/g, ' '));
    }
  });
  return records;
}

/** A T line (`T1<tab>Label s e;s e<tab>text`), or undefined with a warning when malformed or too fragmented. */
function readTextBound(tab: string[], line: number, where: string, warnings: string[]): TRecord | undefined {
  const id = tab[0];
  const m = /^(\S+) (.+)$/.exec(tab[1] ?? '');
  if (!m) {
    warnings.push(`${where}: malformed T line`);
    return undefined;
  }
  // (counted before splitting: a line of 300k fragments is refused, not split)
  let fragCount = 1;
  for (let k = m[2].indexOf(';'); k !== -1 && fragCount <= MAX_BRAT_FRAGMENTS; k = m[2].indexOf(';', k + 1)) fragCount++;
  if (fragCount > MAX_BRAT_FRAGMENTS) {
    warnings.push(`${where}: ${id} has more than ${MAX_BRAT_FRAGMENTS} fragments: skipped`);
    return undefined;
  }
  const frags = m[2].split(';').map((f) => f.trim().split(/\s+/).map(Number));
  if (frags.some((f) => f.length !== 2 || f.some((x) => !Number.isInteger(x) || x < 0))) {
    warnings.push(`${where}: malformed offsets`);
    return undefined;
  }
  // (loops, not Math.min(...spread): no argument list as long as the fragments)
  let start = frags[0][0];
  let end = frags[0][1];
  for (const f of frags) {
    if (f[0] < start) start = f[0];
    if (f[1] > end) end = f[1];
  }
  return { label: m[1], start, end, frags, text: tab.slice(2).join('\t'), line };
}

/** A `#` line: an AnnotatorNotes note or a MarginaliaMeta JSON object (others ignored). */
function readComment(tab: string[], where: string, records: BratRecords, warnings: string[]): void {
  const m = /^(\S+) (\S+)$/.exec(tab[1] ?? '');
  if (!m) return;
  const value = tab.slice(2).join('\t');
  if (m[1] === 'AnnotatorNotes') {
    const list = records.notes.get(m[2]);
    if (list) list.push(unescapeNote(value));
    else records.notes.set(m[2], [unescapeNote(value)]);
  } else if (m[1] === 'MarginaliaMeta') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (jsonDepth(parsed) > MAX_JSON_DEPTH) warnings.push(`${where}: MarginaliaMeta nested deeper than ${MAX_JSON_DEPTH} levels: ignored`);
      else if (typeof parsed === 'object' && parsed !== null) records.metas.set(m[2], parsed as Record<string, unknown>);
    } catch (e) {
      warnings.push(`${where}: MarginaliaMeta is not JSON (${(e as Error).message})`);
    }
  }
}

/** The annotation of the T record `id` (of a user annotation's kind), with its notes, verdict and meta. */
function importAnnotation(
  id: string, rec: TRecord, kind: AnnotationKind, records: BratRecords, text: string, map: OffsetMap, warnings: string[],
): ImportedAnnotation {
  const meta = records.metas.get(id) ?? {};
  const a: ImportedAnnotation = { kind: isAnnotationKind(meta.kind) ? meta.kind : kind, target: importTarget(id, rec, meta, text, map, warnings) };
  const mid = usableId(typeof meta.id === 'string' ? meta.id : undefined);
  if (mid) a.id = mid;
  const nts = records.notes.get(id);
  if (nts?.length) a.note = nts.join('\n\n');
  if (Array.isArray(meta.tags)) a.tags = meta.tags.filter((x): x is string => typeof x === 'string');
  if (typeof meta.verdict === 'string') a.verdict = meta.verdict;
  else if (records.verdicts.has(id)) a.verdict = records.verdicts.get(id);
  for (const k of ['author', 'created', 'modified'] as const) {
    const v = meta[k];
    if (typeof v === 'string') a[k] = v;
  }
  if (typeof meta.claimant === 'string') a.claimant = meta.claimant;
  if (typeof meta.claimDate === 'string' && isClaimDate(meta.claimDate)) a.claimDate = meta.claimDate;
  if (typeof meta.appearance === 'string') a.appearance = meta.appearance;
  const evidence = readEvidenceLinks(meta.evidence, warnings, `line ${rec.line}`);
  if (evidence) a.evidence = evidence;
  const extra = cleanExtra(meta.extra);
  if (extra) a.extra = extra;
  return a;
}

/** The T record's span (the meta's true span when there is one) and the quote to re-anchor by. */
function importTarget(id: string, rec: TRecord, meta: Record<string, unknown>, text: string, map: OffsetMap, warnings: string[]): ImportedAnnotation['target'] {
  const span = Array.isArray(meta.span) && meta.span.length === 2 && meta.span.every((x) => Number.isInteger(x)) ? (meta.span as number[]) : undefined;
  const start = map.toUnit(span ? span[0] : rec.start);
  const end = map.toUnit(span ? span[1] : rec.end);
  const target: ImportedAnnotation['target'] = { exact: text.slice(start, end), start, end };
  // The T line's text is the fragments joined by spaces. If the current text still shows it at
  // those offsets the positions hold; otherwise the source changed since the export and, for a
  // one-fragment span, the T text is the exact quote to re-anchor by.
  const current = rec.frags.map(([s, e]) => text.slice(map.toUnit(s), map.toUnit(e))).join(' ').replace(/[\t\n\r]/g, ' ');
  if (current !== rec.text) {
    if (typeof meta.exact === 'string') target.exact = meta.exact;
    else if (rec.frags.length === 1 && rec.text !== '') target.exact = rec.text;
    else warnings.push(`line ${rec.line}: ${id} no longer matches the text at its offsets`);
  }
  return target;
}

/**
 * brat's `annotation.conf` for the exported files (brat warns about undeclared types without it).
 * `verdicts`: the verdict values used (brat attribute values are declared up front).
 */
export function bratAnnotationConf(verdicts: Iterable<string> = []): string {
  const values = [...new Set(['true', 'false', 'misleading', 'unverified', ...[...verdicts].map(attrValue)])];
  const entities = [...Object.values(ENTITY_LABEL), 'Quotation', 'Speaker', 'Cue', ...Object.values(KIND_LABEL)];
  const speakers = [...Object.values(ENTITY_LABEL), 'Speaker'].join('|');
  return [
    '# brat configuration for files exported by Marginalia (marginalia export --format brat)',
    '[entities]',
    ...entities,
    '',
    '[relations]',
    `SaidBy\tArg1:Quotation, Arg2:${speakers}`,
    'CuedBy\tArg1:Quotation, Arg2:Cue',
    'PartOf\tArg1:Quotation, Arg2:Quotation',
    'NestedIn\tArg1:Quotation, Arg2:Quotation',
    '<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>',
    '',
    '[events]',
    '',
    '[attributes]',
    `Verdict\tArg:${Object.values(KIND_LABEL).join('|')}, Value:${values.join('|')}`,
    `QuoteKind\tArg:Quotation, Value:${Object.keys(QUOTE_KINDS).join('|')}`,
    '',
  ].join('\n');
}
