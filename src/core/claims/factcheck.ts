/**
 * A fact-check draft in Markdown (`marginalia export --format md --layout factcheck`): for each
 * claim with a verdict, in text order — the claim quoted, its verdict (and rating), who said it,
 * when and where, the note, and its evidence as numbered footnote markers (`[1]`) pointing to a
 * closing "Evidence" list of quotations with links to their sources.
 *
 * Every field is escaped with `escapeMarkdown` / `markdownBlockQuote` / `markdownCode`
 * (src/core/text/escape.ts): the only Markdown elements are the draft's own. Links are made only
 * to http(s) URLs (`isWebUrl`) or to the evidence source's workspace-relative path (prefixed with
 * `./`), percent-encoded so that no character can end the link early.
 */
import { LineIndex } from '../interchange/codepoints';
import { markdownBlockQuote } from '../interchange/markdown';
import { escapeMarkdown, markdownCode } from '../text/escape';
import type { ClaimAnnotation, ClaimReviewInput } from './claimreview';
import { reviewedClaims } from './claimreview';
import { appearanceOf, claimDateOf, claimantOf, findSourceUrl, isWebUrl, ratingFor, DEFAULT_VERDICT_RATINGS } from './details';

const RELATION_LABEL: Record<string, string> = { supports: 'Supports', contradicts: 'Contradicts', context: 'Context' };

function esc(s: string, fallback = ''): string {
  return escapeMarkdown(s).trim() || fallback;
}

/**
 * A link destination that cannot end early or start a scheme: every character outside the URL
 * set unreserved/reserved minus `()<>\` and spaces is percent-encoded.
 */
export function linkDestination(url: string): string {
  let out = '';
  for (const ch of url) {
    if (/^[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]$/.test(ch) && ch !== "'") out += ch;
    else out += [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  // A `%` not starting an escape is itself escaped (the destination stays a valid URL).
  return out.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

/** `[text](destination)` for a web URL, or for a workspace-relative path (as `./path`); plain escaped text otherwise. */
export function markdownLink(text: string, target: string | undefined): string {
  const label = esc(text, '—');
  if (!target) return label;
  if (isWebUrl(target)) return `[${label}](${linkDestination(target)})`;
  const rel = target.replace(/\\/g, '/');
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.startsWith('/') || rel.split('/').includes('..')) return label;
  return `[${label}](${linkDestination(`./${rel.replace(/^\.\//, '')}`)})`;
}

/** The fact-check draft of one source (see the module comment). */
export function toFactCheckMarkdown(input: ClaimReviewInput): string {
  const scale = input.ratings ?? DEFAULT_VERDICT_RATINGS;
  const lines = new LineIndex(input.text);
  const out: string[] = [];
  out.push(`# Fact-check: ${esc(input.path, '(unnamed source)')}`, '');
  const claims = reviewedClaims(input.annotations).slice().sort((x, y) => x.target.start - y.target.start || (x.id < y.id ? -1 : 1));
  const sourceUrl = appearanceOf({}, input.sidecar, input.text);
  const meta: string[] = [];
  if (sourceUrl) meta.push(`Source: ${markdownLink(sourceUrl.url, sourceUrl.url)}`);
  const dl = claimDateOf({}, input.text);
  if (dl) meta.push(`dated ${esc(dl.date)}`);
  const pub = input.publisher;
  if (pub?.name) meta.push(`fact-checked by ${markdownLink(pub.name, pub.url !== undefined && isWebUrl(pub.url) ? pub.url : undefined)}`);
  out.push(`${claims.length} claim${claims.length === 1 ? '' : 's'} with a verdict.${meta.length ? ' ' + meta.join(' · ') + '.' : ''}`, '');
  if (claims.length === 0) out.push('_No claim has a verdict yet._', '');

  const notes: string[] = [];
  claims.forEach((a: ClaimAnnotation, i) => {
    const orphan = a.orphan === true || (input.orphans?.has(a.id) ?? false);
    const verdict = (a.verdict ?? '').trim();
    const r = ratingFor(verdict, scale);
    out.push(`## Claim ${i + 1}: ${esc(verdict, '—')}${r ? ` (${r.value} of ${r.best})` : ''}`, '');
    out.push(markdownBlockQuote(a.target.exact), '');
    const who = claimantOf({ claimant: a.claimant, target: a.target as ClaimAnnotation['target'] & { prefix: string; suffix: string }, orphan }, input.analysis);
    const facts: string[] = [];
    facts.push(`**Said by:** ${who ? esc(who.name, '—') + (who.from === 'quotation' ? ' (the speaker of the quotation)' : '') : '_unknown_'}`);
    const when = claimDateOf(a, input.text);
    facts.push(`**When:** ${when ? esc(when.date) + (when.from === 'dateline' ? ' (the source\'s dateline)' : '') : '_unknown_'}`);
    const where = appearanceOf(a, input.sidecar, input.text);
    facts.push(`**Where:** ${where ? markdownLink(where.url, where.url) : esc(input.path, '—')}${orphan ? ' (orphaned: the text is no longer in the source)' : `, line ${lines.position(a.target.start).line}`}`);
    out.push(facts.join('  \n'), '');
    if (a.note && a.note.trim()) out.push(markdownBlockQuote(a.note), '');
    const ev = a.evidence ?? [];
    if (ev.length) {
      const refs = ev.map((e) => {
        const t = e.source === input.path ? input.text : input.evidenceTexts?.get(e.source);
        const url = t !== undefined ? findSourceUrl(t) : undefined;
        const at = t !== undefined && !e.orphan ? `, line ${new LineIndex(t).position(e.target.start).line}` : e.orphan ? ' (orphaned: the text is no longer there)' : '';
        notes.push(`${RELATION_LABEL[e.relation] ?? esc(e.relation)}: “${esc(clipText(e.target.exact), '—')}” — ${markdownLink(e.source, url ?? e.source)}${at}`);
        return `${RELATION_LABEL[e.relation] ?? esc(e.relation)} \\[${notes.length}\\]`;
      });
      out.push(`**Evidence:** ${refs.join(', ')}`, '');
    }
    out.push(`id ${markdownCode(a.id) || '""'}`, '');
  });
  if (notes.length) {
    out.push('## Evidence', '');
    notes.forEach((n, k) => out.push(`${k + 1}. ${n}`));
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** At most 400 characters of a quotation (never cutting a surrogate pair). */
function clipText(s: string, max = 400): string {
  if (s.length <= max) return s;
  const high = s.charCodeAt(max - 1);
  return s.slice(0, high >= 0xd800 && high <= 0xdbff ? max - 1 : max) + '…';
}
