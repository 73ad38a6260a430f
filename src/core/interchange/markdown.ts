/**
 * A Markdown report of one source: its annotations (with the annotated text quoted), its quotations
 * and reported statements (kind `indirect`, said to be "reported speech") grouped by speaker — a
 * quotation-mark fragment of a reported statement says so — and an index of the entities it names. Every piece of user, source or imported
 * text — ids, kinds, tags, verdicts, notes, authors, dates, the path, speaker names, how a speaker
 * was found, quotation and cue text, entity names, aliases and roles — goes through
 * `src/core/text/escape.ts`: nothing in it can become a link, an image, HTML, a heading, a list, a
 * block quote, a code block, emphasis or a table cell break. The only elements are the report's own.
 */
import { LineIndex } from './codepoints';
import type { ExportSource } from './model';
import type { Analysis, EntityType } from '../types';
import { escapeMarkdown, escapeMarkdownLines, markdownCode } from '../text/escape';

export { escapeMarkdown };

/** Inline text, trimmed (so `**…**` and `_…_` around it always hold); empty → `fallback`. */
function esc(s: string, fallback = ''): string {
  return escapeMarkdown(s).trim() || fallback;
}

/** A block quote of multi-line text: each line escaped and prefixed with `> `. */
export function markdownBlockQuote(s: string, maxLength = 600): string {
  let cut = s;
  if (s.length > maxLength) {
    const high = s.charCodeAt(maxLength - 1);
    cut = s.slice(0, high >= 0xd800 && high <= 0xdbff ? maxLength - 1 : maxLength) + '…';
  }
  return cut
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => {
      const e = esc(line);
      return e === '' ? '>' : `> ${e}`;
    })
    .join('\n');
}

const TYPE_TITLE: Record<EntityType, string> = {
  person: 'People',
  organization: 'Organisations',
  place: 'Places',
  group: 'Groups and nationalities',
  date: 'Dates',
  number: 'Numbers',
};

/** What each section writes with: the lines so far, and a span's line number and text. */
interface Report {
  out: string[];
  at(offset: number): string;
  slice(span: { start: number; end: number }): string;
}

export function toMarkdown(src: ExportSource): string {
  const lines = new LineIndex(src.text);
  const r: Report = {
    out: [],
    at: (offset) => `line ${lines.position(offset).line}`,
    slice: (span) => src.text.slice(span.start, span.end),
  };
  r.out.push(`# ${esc(src.path, '(unnamed source)')}`, '');
  r.out.push(summary(src), '');
  writeAnnotations(r, src);
  const a = src.analysis;
  if (a) {
    writeQuotations(r, a);
    writeEntityIndex(r, a);
  }
  return r.out.join('\n').replace(/\n+$/, '\n');
}

/** `3 annotations, 2 quotations, 1 reported statement, 4 entities.` */
function summary(src: ExportSource): string {
  const a = src.analysis;
  const reported = a ? a.quotes.filter((q) => q.kind === 'indirect').length : 0;
  const marked = a ? a.quotes.length - reported : 0;
  return `${src.annotations.length} annotation${src.annotations.length === 1 ? '' : 's'}` +
    (a
      ? `, ${marked} quotation${marked === 1 ? '' : 's'}` +
        (reported ? `, ${reported} reported statement${reported === 1 ? '' : 's'}` : '') +
        `, ${a.entities.length} entit${a.entities.length === 1 ? 'y' : 'ies'}`
      : '') +
    '.';
}

/** The user's annotations in text order: kind, place and verdict, the quoted text, the note, then tags, author, dates and id. */
function writeAnnotations(r: Report, src: ExportSource): void {
  const out = r.out;
  out.push('## Annotations', '');
  if (src.annotations.length === 0) out.push('_None._', '');
  const sorted = [...src.annotations].sort((x, y) => x.target.start - y.target.start || x.id.localeCompare(y.id));
  for (const ann of sorted) {
    const orphan = src.orphans?.has(ann.id) ?? false;
    const head = [`**${esc(ann.kind, '—')}**`];
    head.push(orphan ? '(orphaned: text not found)' : `(${r.at(ann.target.start)})`);
    if (ann.verdict) head.push(`verdict: **${esc(ann.verdict, '—')}**`);
    out.push(`### ${head.join(' ')}`, '');
    out.push(markdownBlockQuote(ann.target.exact), '');
    // Paragraphs of the note, its lines joined by hard line breaks.
    if (ann.note) out.push(escapeMarkdownLines(ann.note), '');
    const meta: string[] = [];
    if (ann.tags?.length) meta.push(`tags: ${ann.tags.map((t) => markdownCode(t) || '""').join(', ')}`);
    if (ann.author) meta.push(`by ${esc(ann.author)}`);
    if (ann.created) meta.push(`created ${esc(ann.created)}`);
    if (ann.modified && ann.modified !== ann.created) meta.push(`modified ${esc(ann.modified)}`);
    meta.push(`id ${markdownCode(ann.id) || '""'}`);
    // Not wrapped in `_…_`: marked pairs single backticks when it looks for emphasis, so a `_` inside a
    // longer-fenced code span (a tag or an id) could close emphasis opened before it.
    out.push(meta.join(' · '), '');
  }
}

/** Quotations and reported statements by speaker (most quoted first, no speaker last), then the scare quotes. */
function writeQuotations(r: Report, a: Analysis): void {
  const out = r.out;
  out.push('## Quotations by speaker', '');
  if (a.quotes.length === 0) out.push('_None found._', '');
  const bySpeaker = new Map<string, number[]>();
  a.quotes.forEach((q, i) => {
    if (q.kind === 'scare') return;
    const key = q.speaker ? q.speaker.name : '';
    bySpeaker.set(key, [...(bySpeaker.get(key) ?? []), i]);
  });
  const keys = [...bySpeaker.keys()].sort((x, y) => (x === '' ? 1 : y === '' ? -1 : bySpeaker.get(y)!.length - bySpeaker.get(x)!.length || x.localeCompare(y)));
  for (const k of keys) {
    out.push(`### ${k ? esc(k, '—') : 'No speaker found'}`, '');
    for (const i of bySpeaker.get(k)!) {
      const q = a.quotes[i];
      const how = q.speaker ? `, ${esc(q.speaker.via)}: “${esc(r.slice(q.speaker))}”` : '';
      const statement = q.partOf !== undefined ? a.quotes[q.partOf] : undefined;
      const part = statement ? `, part of a reported statement (${r.at(statement.start)})` : '';
      out.push(markdownBlockQuote(r.slice(q)), '');
      out.push(`_${q.kind === 'indirect' ? 'reported speech' : esc(q.kind, '—')}, ${r.at(q.start)}${how}${q.cue ? `, cue “${esc(r.slice(q.cue))}”` : ''}${part}_`, '');
    }
  }
  const scare = a.quotes.filter((q) => q.kind === 'scare');
  if (scare.length) {
    out.push('### Scare quotes', '');
    for (const q of scare) out.push(`- ${esc(r.slice(q), '—')} (${r.at(q.start)})`);
    out.push('');
  }
}

/** One table per entity type: name, other names, roles, number of mentions and the first one's line. */
function writeEntityIndex(r: Report, a: Analysis): void {
  const out = r.out;
  out.push('## Entity index', '');
  if (a.entities.length === 0) out.push('_None found._', '');
  for (const type of Object.keys(TYPE_TITLE) as EntityType[]) {
    const ents = a.entities.filter((e) => e.type === type).sort((x, y) => y.mentions.length - x.mentions.length || x.canonical.localeCompare(y.canonical));
    if (!ents.length) continue;
    out.push(`### ${TYPE_TITLE[type]}`, '');
    out.push('| Name | Also | Roles | Mentions | First |', '|---|---|---|---:|---|');
    for (const e of ents) {
      // Cells are inline text only: escapeMarkdown escapes `|` and never writes a line break.
      const also = e.aliases.filter((x) => x !== e.canonical).map((x) => esc(x)).join(', ');
      const first = e.mentions.length ? r.at(e.mentions.reduce((lo, m) => (m.start < lo ? m.start : lo), Infinity)) : '';
      out.push(`| ${esc(e.canonical, '—')} | ${also} | ${e.roles.map((x) => esc(x)).join(', ')} | ${e.mentions.length} | ${first} |`);
    }
    out.push('');
  }
}
