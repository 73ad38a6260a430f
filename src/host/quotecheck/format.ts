/**
 * What the quotation check shows in the editor, as text: the word diff as Markdown, the hover card,
 * the Problems-panel message and the faithful quotation. No `vscode` here (unit-tested under Node):
 * every piece of document text goes through `escapeMarkdown`; links carry only our own commands.
 */
import type { DiffOp, QuoteCheck, QuoteMatch } from '../../core/quotecheck';
import { clip, escapeMarkdown } from '../../core/text/escape';

/** `command:` link target for one of our commands with one JSON argument. */
export function commandLink(command: string, arg: unknown): string {
  const json = JSON.stringify([arg]);
  return `command:${command}?${encodeURIComponent(json).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** A link whose label is escaped. */
export function mdLink(label: string, target: string): string {
  return `[${escapeMarkdown(label)}](${target})`;
}

/** One run of words, escaped; the emphasis markers hug the words (GFM needs no space inside). */
function wrap(text: string, marker: string): string {
  const body = escapeMarkdown(text.trim());
  return body ? `${marker}${body}${marker}` : '';
}

/**
 * The diff from the matched passage to the quotation: the source's words the quotation leaves out
 * ~~struck~~, the quotation's words that are not in the source in **bold**; a marked edit (an
 * ellipsis, a change in [brackets]) is put in italics after it.
 */
export function diffMarkdown(diff: readonly DiffOp[]): string {
  const out: string[] = [];
  for (const op of diff) {
    let piece: string;
    if (op.op === 'equal') piece = escapeMarkdown(op.text.trim());
    else if (op.op === 'delete') piece = wrap(op.text, '~~');
    else piece = wrap(op.text, '**');
    if (!piece) continue;
    if (op.mark && op.op === 'delete') piece += ` _(${op.mark === 'ellipsis' ? 'marked omission' : 'marked change'})_`;
    out.push(piece);
  }
  return out.join(' ');
}

/** Words the quotation adds and leaves out (unmarked ones only). */
export function diffCounts(diff: readonly DiffOp[]): { inserted: number; deleted: number } {
  const count = (t: string) => t.split(/\s+/).filter(Boolean).length;
  let inserted = 0;
  let deleted = 0;
  for (const op of diff) {
    if (op.mark) continue;
    if (op.op === 'insert') inserted += count(op.text);
    else if (op.op === 'delete') deleted += count(op.text);
  }
  return { inserted, deleted };
}

const STATUS_LABEL: Record<QuoteCheck['status'], string> = {
  verbatim: 'verbatim',
  'marked-edit': 'marked edits only',
  altered: 'altered',
  spliced: 'spliced',
  unmatched: 'not found',
};

export function statusLabel(status: QuoteCheck['status']): string {
  return STATUS_LABEL[status];
}

/** Whether a quotation deserves a warning (words changed without a mark, or passages joined). */
export function isProblem(check: Pick<QuoteCheck, 'status' | 'short'>): boolean {
  return !check.short && (check.status === 'altered' || check.status === 'spliced');
}

/** The Problems-panel message for an altered or spliced quotation. */
export function diagnosticMessage(check: QuoteCheck, rel: (path: string) => string): string {
  const m = check.matches[0];
  const where = m ? rel(m.path) : 'its source';
  const what = check.against === 'primary' ? `the primary source ${where}` : `the same quotation in ${where}`;
  if (check.status === 'spliced') {
    const n = m?.parts.length ?? 2;
    return `Quotation spliced: joins ${n} separate passages of ${what} without an ellipsis`;
  }
  const c = m ? diffCounts(m.diff) : { inserted: 0, deleted: 0 };
  const bits: string[] = [];
  if (c.inserted) bits.push(`${c.inserted} word${c.inserted === 1 ? '' : 's'} not in the source`);
  if (c.deleted) bits.push(`${c.deleted} word${c.deleted === 1 ? '' : 's'} left out`);
  return `Quotation altered: differs from ${what}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

export interface HoverLinks {
  /** Workspace-relative display path of an index path. */
  rel(path: string): string;
  /** The command opening a match beside. */
  open: string;
  /** The command copying the faithful quotation (argument: the quotation's path and start). */
  copy: string;
}

/** The hover card of a checked quotation (undefined when there is nothing to say). */
export function hoverMarkdown(check: QuoteCheck, links: HoverLinks): string | undefined {
  if (check.short || check.matches.length === 0) return undefined;
  const m = check.matches[0]!;
  const against = check.against === 'primary' ? 'the primary source' : 'the same quotation in';
  const lines: string[] = [];
  lines.push(`**Quotation check: ${escapeMarkdown(statusLabel(check.status))}** against ${against} ${escapeMarkdown(links.rel(m.path))}`);
  if (check.status !== 'verbatim') {
    lines.push(diffMarkdown(m.diff));
    lines.push('_~~struck~~: the source\'s words left out · **bold**: words not in the source_');
  }
  const actions = [mdLink(check.against === 'primary' ? 'Open the primary source beside' : 'Open the other source beside', links.open ? commandLink(links.open, matchArg(m)) : '')];
  if (check.against === 'primary' && check.status !== 'verbatim') actions.push(mdLink('Copy faithful quotation', commandLink(links.copy, { path: check.path, start: check.start })));
  lines.push(actions.join(' · '));
  const others = check.elsewhere.filter((e) => e.path !== check.path);
  if (others.length) {
    const list = others.slice(0, 5).map((e) => `${mdLink(links.rel(e.path), commandLink(links.open, matchArg(e)))} (${escapeMarkdown(statusLabel(e.status))})`);
    lines.push(`Also quoted in ${list.join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`);
  }
  return lines.join('\n\n');
}

export interface MatchArg {
  path: string;
  start: number;
  end: number;
}

export function matchArg(m: Pick<QuoteMatch, 'path' | 'start' | 'end'>): MatchArg {
  return { path: m.path, start: m.start, end: m.end };
}

const OPENING = /^["“‘«„‚']/;
const CLOSING = /["”’»“‘']$/;

/**
 * The primary source's words for a quotation: the matched parts, joined with ` … ` where the
 * quotation uses more than one passage, inside the quotation's own marks.
 */
export function faithfulQuotation(check: QuoteCheck, sourceText: string): string | undefined {
  const m = check.matches.find((x) => x.against === 'primary');
  if (!m) return undefined;
  const parts = m.parts.length ? m.parts : [{ start: m.start, end: m.end }];
  const words = parts.map((p) => sourceText.slice(p.start, p.end).replace(/\s+/g, ' ').trim()).join(' … ');
  const open = OPENING.exec(check.text)?.[0] ?? '';
  const close = open ? (CLOSING.exec(check.text)?.[0] ?? open) : '';
  return `${open}${words}${close}`;
}

/** One line for a tree row. */
export function quoteLabel(text: string): string {
  return clip(text, 80);
}
