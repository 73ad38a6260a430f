/**
 * A Markdown report of one source: its annotations (with the annotated text quoted), its quotations
 * grouped by speaker, and an index of the entities it names. All user and source text is escaped:
 * nothing in a note or a source can become a link, an image, HTML, a heading or a table cell break.
 */
import { LineIndex } from './codepoints';
import type { ExportSource } from './model';
import type { EntityType } from '../types';

/** Escapes text for inline Markdown (CommonMark + GFM): punctuation that has meaning gets a backslash; line breaks become spaces. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
    .replace(/[\\`*_{}[\]()<>#|!~&$]/g, (c) => `\\${c}`)
    .replace(/^([+\-=>]|\d+[.)])/, (m) => m.slice(0, -1) + '\\' + m.slice(-1));
}

/** A block quote of multi-line text: each line escaped and prefixed with `> `. */
export function markdownBlockQuote(s: string, maxLength = 600): string {
  const cut = s.length > maxLength ? s.slice(0, maxLength) + '…' : s;
  return cut
    .split(/\r\n?|\n/)
    .map((line) => (line.trim() === '' ? '>' : `> ${escapeMarkdown(line)}`))
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

export function toMarkdown(src: ExportSource): string {
  const lines = new LineIndex(src.text);
  const out: string[] = [];
  const at = (offset: number) => `line ${lines.position(offset).line}`;
  out.push(`# ${escapeMarkdown(src.path)}`, '');
  const a = src.analysis;
  out.push(
    `${src.annotations.length} annotation${src.annotations.length === 1 ? '' : 's'}` +
      (a ? `, ${a.quotes.length} quotation${a.quotes.length === 1 ? '' : 's'}, ${a.entities.length} entit${a.entities.length === 1 ? 'y' : 'ies'}` : '') +
      '.',
    '',
  );

  out.push('## Annotations', '');
  if (src.annotations.length === 0) out.push('_None._', '');
  const sorted = [...src.annotations].sort((x, y) => x.target.start - y.target.start || x.id.localeCompare(y.id));
  for (const ann of sorted) {
    const orphan = src.orphans?.has(ann.id) ?? false;
    const head = [`**${escapeMarkdown(ann.kind)}**`];
    head.push(orphan ? '(orphaned: text not found)' : `(${at(ann.target.start)})`);
    if (ann.verdict) head.push(`verdict: **${escapeMarkdown(ann.verdict)}**`);
    out.push(`### ${head.join(' ')}`, '');
    out.push(markdownBlockQuote(ann.target.exact), '');
    if (ann.note) {
      for (const para of ann.note.split(/\r?\n\s*\r?\n/)) out.push(para.split(/\r?\n/).map(escapeMarkdown).join('  \n'), '');
    }
    const meta: string[] = [];
    if (ann.tags?.length) meta.push(`tags: ${ann.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(', ')}`);
    if (ann.author) meta.push(`by ${escapeMarkdown(ann.author)}`);
    if (ann.created) meta.push(`created ${escapeMarkdown(ann.created)}`);
    if (ann.modified && ann.modified !== ann.created) meta.push(`modified ${escapeMarkdown(ann.modified)}`);
    meta.push(`id \`${ann.id.replace(/`/g, "'")}\``);
    out.push(`_${meta.join(' · ')}_`, '');
  }

  if (a) {
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
      out.push(`### ${k ? escapeMarkdown(k) : 'No speaker found'}`, '');
      for (const i of bySpeaker.get(k)!) {
        const q = a.quotes[i];
        const how = q.speaker ? `, ${q.speaker.via}: “${escapeMarkdown(src.text.slice(q.speaker.start, q.speaker.end))}”` : '';
        out.push(markdownBlockQuote(src.text.slice(q.start, q.end)), '');
        out.push(`_${q.kind}, ${at(q.start)}${how}${q.cue ? `, cue “${escapeMarkdown(src.text.slice(q.cue.start, q.cue.end))}”` : ''}_`, '');
      }
    }
    const scare = a.quotes.filter((q) => q.kind === 'scare');
    if (scare.length) {
      out.push('### Scare quotes', '');
      for (const q of scare) out.push(`- ${escapeMarkdown(src.text.slice(q.start, q.end))} (${at(q.start)})`);
      out.push('');
    }

    out.push('## Entity index', '');
    if (a.entities.length === 0) out.push('_None found._', '');
    for (const type of Object.keys(TYPE_TITLE) as EntityType[]) {
      const ents = a.entities.filter((e) => e.type === type).sort((x, y) => y.mentions.length - x.mentions.length || x.canonical.localeCompare(y.canonical));
      if (!ents.length) continue;
      out.push(`### ${TYPE_TITLE[type]}`, '');
      out.push('| Name | Also | Roles | Mentions | First |', '|---|---|---|---:|---|');
      for (const e of ents) {
        const also = e.aliases.filter((x) => x !== e.canonical).map(escapeMarkdown).join(', ');
        const first = e.mentions.length ? at(Math.min(...e.mentions.map((m) => m.start))) : '';
        out.push(`| ${escapeMarkdown(e.canonical)} | ${also} | ${e.roles.map(escapeMarkdown).join(', ')} | ${e.mentions.length} | ${first} |`);
      }
      out.push('');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
