// Pure: the markdown of the hover cards. No `vscode` here (unit-tested). Every piece of document or
// dictionary text goes through `escapeMarkdown`; links are only ours (command ids the host allow-lists)
// or https search URLs with a strictly encoded query.
import type { AttributionVia, Entity, Mention, Quote } from '../../core/types';
import { clip, escapeMarkdown, markdownCode } from '../../core/text/escape';

// One escaping rule for every Markdown output (src/core/text/escape.ts): every ASCII punctuation
// character escaped, whitespace runs collapsed to one space, controls and bidi overrides shown as U+FFFD.
export { clip, escapeMarkdown };

/** encodeURIComponent, plus the characters it leaves that would end or confuse a markdown link. */
export function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeStrict(JSON.stringify([args]))}`;
}

/** A markdown link whose label is escaped and whose target is ours. */
export function link(label: string, target: string): string {
  return `[${escapeMarkdown(label)}](${target})`;
}

export const TYPE_LABELS: Record<Entity['type'], string> = {
  person: 'person',
  organization: 'organisation',
  place: 'place',
  group: 'group / nationality',
  date: 'date',
  number: 'number',
};

export const VIA_LABELS: Record<AttributionVia, string> = {
  name: 'by name',
  pronoun: 'by pronoun',
  role: 'by role',
  organization: 'to an organisation',
  description: 'to an unnamed speaker',
  continuation: 'continuing the previous speaker',
};

export interface MentionTarget {
  uri: string;
  type: Entity['type'];
  canonical: string;
  entityId: string;
}

export interface EntityCardInput {
  entity: Entity;
  /** The hovered mention (for its normalised value). */
  mention?: Mention;
  /** The source text (quotations are sliced from it). */
  text: string;
  /** This speaker's quotations in the source. */
  quotes: Quote[];
  /** Mentions across the scanned workspace, when a scan exists. */
  workspace?: { mentions: number; sources: number };
  /** Arguments for *Show all mentions*; absent → no link. */
  showAllMentions?: { command: string; args: MentionTarget };
  /** Command that scans the workspace, offered when there is no workspace count yet. */
  scanCommand?: string;
  /** Command URIs of the corrections offered on the card (*Wrong type?*, *Not a name*). */
  corrections?: { wrongType: string; notAName: string };
}

const MAX_LISTED_QUOTES = 3;

/** A quotation or reported statement per line (reported speech says so: it has no quotation marks). */
function quoteLines(text: string, quotes: Quote[]): string[] {
  const lines = quotes.slice(0, MAX_LISTED_QUOTES).map((q) => `- ${q.kind === 'indirect' ? '*reported:* ' : ''}${escapeMarkdown(clip(text.slice(q.start, q.end), 100))}`);
  if (quotes.length > MAX_LISTED_QUOTES) lines.push(`- …and ${quotes.length - MAX_LISTED_QUOTES} more`);
  return lines;
}

export function wikipediaUrl(name: string): string {
  return `https://en.wikipedia.org/w/index.php?search=${encodeStrict(name)}`;
}

export function webSearchUrl(name: string): string {
  return `https://duckduckgo.com/?q=${encodeStrict(name)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function entityCard(input: EntityCardInput): string {
  const { entity, mention, text, quotes } = input;
  const parts: string[] = [];
  parts.push(`**${escapeMarkdown(entity.canonical)}** — ${TYPE_LABELS[entity.type]}`);
  if (entity.roles.length) parts.push(entity.roles.map((r) => `*${escapeMarkdown(clip(r, 80))}*`).join(' · '));
  if (mention?.learned) parts.push('*Type learned from your corrections in this workspace* (Marginalia: Forget Learned Corrections resets it)');
  if (mention?.value && (entity.type === 'date' || entity.type === 'number')) {
    let line = `${entity.type === 'date' ? 'Date' : 'Value'}: ${markdownCode(mention.value)}`;
    // A date written without its year (`23 October`) takes the year of the source's dateline.
    if (entity.type === 'date' && /^\d{4}/.test(mention.value) && !/\b\d{4}\b|['’]\d{2}\b/.test(mention.text)) line += ' — the year from the source\'s dateline';
    parts.push(line);
  }
  const aliases = entity.aliases.filter((a) => a !== entity.canonical);
  if (aliases.length) parts.push(`Also: ${aliases.slice(0, 8).map((a) => escapeMarkdown(clip(a, 60))).join(' · ')}`);
  let counts = `Mentioned ${plural(entity.mentions.length, 'time')} here`;
  if (input.workspace) counts += ` · ${plural(input.workspace.mentions, 'time')} in ${plural(input.workspace.sources, 'source')} of the workspace`;
  else if (input.scanCommand) counts += ` · ${link('count across the workspace', commandUri(input.scanCommand, {}))}`;
  parts.push(counts);
  if (entity.description) parts.push(escapeMarkdown(clip(entity.description, 400)));
  const links: string[] = [];
  if (input.showAllMentions) links.push(link('Show all mentions', commandUri(input.showAllMentions.command, input.showAllMentions.args)));
  // Dates and numbers are not topics: no encyclopaedia or web search for them.
  if (entity.type !== 'number' && entity.type !== 'date') {
    links.push(link('Wikipedia', wikipediaUrl(entity.canonical)));
    links.push(link('Search the web', webSearchUrl(entity.canonical)));
  }
  if (input.corrections) {
    links.push(link('Wrong type?', input.corrections.wrongType));
    links.push(link('Not a name', input.corrections.notAName));
  }
  // Links before the quotations, so they stay in view when the card is long.
  if (links.length) parts.push(links.join(' · '));
  const heading = quotes.some((q) => q.kind === 'indirect') ? 'Quotations and reported speech' : 'Quotations';
  if (quotes.length) parts.push(`${heading} (${quotes.length}):\n\n${quoteLines(text, quotes).join('\n')}`);
  return parts.join('\n\n');
}

export interface QuoteCardInput {
  quote: Quote;
  text: string;
  /** The same speaker's other quotations in the source. */
  others: Quote[];
  /** Command URI of *Wrong speaker?*. */
  wrongSpeaker?: string;
  /** The reported statement (kind `indirect`) this quotation-mark fragment is part of (`quote.partOf`). */
  statement?: Quote;
}

/** How the speaker was found, with the words the text uses when they are not the name itself. */
function attributedHow(text: string, speaker: NonNullable<Quote['speaker']>): string {
  let how = `attributed ${VIA_LABELS[speaker.via]}`;
  const words = text.slice(speaker.start, speaker.end);
  if (speaker.via !== 'name' && speaker.via !== 'continuation' && words.trim() && speaker.end > speaker.start) {
    how += ` (“${escapeMarkdown(clip(words, 60))}”)`;
  }
  return how;
}

export interface AttributionCardInput {
  /** The reported statement (kind `indirect`): its span is the reported content. */
  quote: Quote;
  text: string;
  /** The same speaker's other quotations and statements in the source. */
  others: Quote[];
  /** The quotation-mark fragments that are part of this statement. */
  fragments?: Quote[];
  /** Command URI of *Wrong speaker?*. */
  wrongSpeaker?: string;
}

/**
 * The card of an attribution (reported speech without quotation marks): who, the cue, and the
 * reported content — all of it source text, clipped and escaped.
 */
export function attributionCard(input: AttributionCardInput): string {
  const { quote, text, others } = input;
  const parts: string[] = [];
  const speaker = quote.speaker;
  parts.push(speaker ? `**Reported speech** — by **${escapeMarkdown(speaker.name)}**, ${attributedHow(text, speaker)}` : '**Reported speech** — speaker not found');
  if (quote.cue && quote.cue.end > quote.cue.start) parts.push(`Cue: *${escapeMarkdown(clip(text.slice(quote.cue.start, quote.cue.end), 80))}*`);
  parts.push(`Reported: ${escapeMarkdown(clip(text.slice(quote.start, quote.end), 300))}`);
  const fragments = input.fragments ?? [];
  if (fragments.length) parts.push(`In quotation marks: ${fragments.slice(0, MAX_LISTED_QUOTES).map((f) => escapeMarkdown(clip(text.slice(f.start, f.end), 80))).join(' · ')}`);
  if (speaker && quote.confidence < 0.5) parts.push(`*Uncertain attribution (confidence ${quote.confidence.toFixed(2)}).*`);
  if (input.wrongSpeaker) parts.push(link(speaker ? 'Wrong speaker?' : 'Set the speaker…', input.wrongSpeaker));
  if (speaker && others.length) {
    parts.push(`Other quotations and statements by ${escapeMarkdown(speaker.name)} (${others.length}):\n\n${quoteLines(text, others).join('\n')}`);
  }
  return parts.join('\n\n');
}

export function quoteCard(input: QuoteCardInput): string {
  const { quote, text, others } = input;
  if (quote.kind === 'indirect') return attributionCard(input);
  const parts: string[] = [];
  const speaker = quote.speaker;
  if (speaker) {
    parts.push(`**Quotation** — ${quote.kind} · said by **${escapeMarkdown(speaker.name)}**, ${attributedHow(text, speaker)}`);
  } else {
    parts.push(`**Quotation** — ${quote.kind} · speaker not found`);
  }
  const statement = input.statement;
  if (statement) {
    const by = statement.speaker ? ` by **${escapeMarkdown(statement.speaker.name)}**` : '';
    parts.push(`Part of a reported statement${by}: ${escapeMarkdown(clip(text.slice(statement.start, statement.end), 160))}`);
  }
  if (quote.cue && quote.cue.end > quote.cue.start) parts.push(`Cue: *${escapeMarkdown(clip(text.slice(quote.cue.start, quote.cue.end), 80))}*`);
  if (speaker && quote.confidence < 0.5) parts.push(`*Uncertain attribution (confidence ${quote.confidence.toFixed(2)}).*`);
  if (input.wrongSpeaker) parts.push(link(speaker ? 'Wrong speaker?' : 'Set the speaker…', input.wrongSpeaker));
  if (speaker && others.length) {
    parts.push(`Other quotations by ${escapeMarkdown(speaker.name)} (${others.length}):\n\n${quoteLines(text, others).join('\n')}`);
  }
  return parts.join('\n\n');
}
