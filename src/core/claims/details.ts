/**
 * Claim details, each with its default: who made the claim (the speaker of the quotation or
 * attribution it sits in), when (the source's dateline), where it appeared (the sidecar's `url:`,
 * or the first line of the source that is a URL), and the verdict's numeric rating for export.
 * Pure functions over the text, the analysis and the sidecar.
 */
import { findDateline } from '../ner/dates';
import { SOURCE_URL_KEY, type Annotation, type Sidecar } from '../sidecar/model';
import type { Analysis, EntityType, Span } from '../types';

export interface Claimant {
  name: string;
  /** The entity's type in the analysis, when the recogniser knows the name. */
  type?: EntityType;
  entityId?: string;
  /** Where the name came from: the annotation's `claimant:`, or the speaker of the quotation holding the claim. */
  from: 'annotation' | 'quotation';
}

/** The entity `name` refers to in `analysis` (canonical name or alias, case aside), if any. */
export function entityNamed(analysis: Analysis | undefined, name: string): { id: string; type: EntityType; canonical: string } | undefined {
  if (!analysis) return undefined;
  const key = name.trim().toLowerCase();
  if (!key) return undefined;
  for (const e of analysis.entities) if (e.canonical.toLowerCase() === key) return { id: e.id, type: e.type, canonical: e.canonical };
  for (const e of analysis.entities) if (e.aliases.some((x) => x.toLowerCase() === key)) return { id: e.id, type: e.type, canonical: e.canonical };
  return undefined;
}

/**
 * The speaker of the innermost quotation whose span contains `span` (a claim's target), or
 * undefined when the claim is in no attributed quotation. Scare quotes are not statements.
 */
export function speakerOf(analysis: Analysis, span: Span): Claimant | undefined {
  let best: { q: Analysis['quotes'][number]; size: number } | undefined;
  for (const q of analysis.quotes) {
    if (q.kind === 'scare' || !q.speaker) continue;
    if (q.start <= span.start && span.end <= q.end) {
      const size = q.end - q.start;
      if (!best || size < best.size) best = { q, size };
    }
  }
  const sp = best?.q.speaker;
  if (!sp) return undefined;
  const out: Claimant = { name: sp.name, from: 'quotation' };
  const entity = sp.entityId !== undefined ? analysis.entities.find((e) => e.id === sp.entityId) : undefined;
  if (entity) {
    out.type = entity.type;
    out.entityId = entity.id;
  }
  return out;
}

/**
 * Who made the claim: the annotation's `claimant:` when given (typed from the analysis when the
 * recogniser knows the name), else the speaker of the quotation its target sits in. Orphaned
 * annotations have no position: only a given claimant counts.
 */
export function claimantOf(annotation: Pick<Annotation, 'claimant' | 'target' | 'orphan'>, analysis: Analysis | undefined): Claimant | undefined {
  const given = annotation.claimant?.trim();
  if (given) {
    const out: Claimant = { name: given, from: 'annotation' };
    const e = entityNamed(analysis, given);
    if (e) {
      out.type = e.type;
      out.entityId = e.id;
    }
    return out;
  }
  if (!analysis || annotation.orphan) return undefined;
  return speakerOf(analysis, annotation.target);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The source's dateline as an ISO date (`2023-10-24`), if it has one. */
export function datelineDate(text: string): string | undefined {
  const d = findDateline(text);
  return d ? `${pad(d.date.y, 4)}-${pad(d.date.m)}-${pad(d.date.d)}` : undefined;
}

/** When the claim was made: the annotation's `claimDate:`, else the source's dateline (`from` says which). */
export function claimDateOf(annotation: Pick<Annotation, 'claimDate'>, text: string): { date: string; from: 'annotation' | 'dateline' } | undefined {
  if (annotation.claimDate) return { date: annotation.claimDate, from: 'annotation' };
  const d = datelineDate(text);
  return d ? { date: d, from: 'dateline' } : undefined;
}

/** An absolute http(s) URL with a host and no whitespace or control characters. */
export function isWebUrl(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- refusing control characters
  if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(s) || /[\u0000-\u001f\u007f-\u009f<>"`{}|\\^]/.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A line that is a URL, alone or after a label (`Source: https://…`, `URL: …`, `<https://…>`). */
const URL_LINE = /^[ \t]*(?:(?:source|url|link|published at|originally published at|from)[ \t]*:[ \t]*)?<?(https?:\/\/[^\s<>]+?)>?[ \t]*$/i;

/**
 * The first line of `text` (within its first `within` characters) that looks like the source's
 * own URL, or undefined. Only whole lines count: a URL inside a sentence is a reference, not the
 * source's address.
 */
export function findSourceUrl(text: string, within = 20_000): string | undefined {
  const head = text.length > within ? text.slice(0, within) : text;
  let at = 0;
  while (at <= head.length) {
    const nl = head.indexOf('\n', at);
    const line = head.slice(at, nl < 0 ? head.length : nl);
    if (line.length <= 2048 && line.includes('://')) {
      const m = URL_LINE.exec(line.replace(/\r$/, ''));
      if (m && isWebUrl(m[1]!)) return m[1];
    }
    if (nl < 0) break;
    at = nl + 1;
  }
  return undefined;
}

/** The sidecar's top-level `url:` (where the source was published), when it is a web URL. */
export function sidecarUrl(sidecar: Pick<Sidecar, 'extra'>): string | undefined {
  const v = sidecar.extra !== undefined && Object.prototype.hasOwnProperty.call(sidecar.extra, SOURCE_URL_KEY) ? sidecar.extra[SOURCE_URL_KEY] : undefined;
  return typeof v === 'string' && isWebUrl(v.trim()) ? v.trim() : undefined;
}

/** A copy of `sidecar` with its top-level `url:` set (or removed with undefined). */
export function withSidecarUrl(sidecar: Sidecar, url: string | undefined): Sidecar {
  const extra: Record<string, unknown> = { ...(sidecar.extra ?? {}) };
  if (url === undefined) delete extra[SOURCE_URL_KEY];
  else extra[SOURCE_URL_KEY] = url;
  const out: Sidecar = { ...sidecar };
  if (Object.keys(extra).length) out.extra = extra;
  else delete out.extra;
  return out;
}

/** Where the source was published: the sidecar's `url:`, else the first URL line of the text. */
export function sourceUrlOf(sidecar: Pick<Sidecar, 'extra'> | undefined, text: string): { url: string; from: 'sidecar' | 'text' } | undefined {
  const s = sidecar ? sidecarUrl(sidecar) : undefined;
  if (s) return { url: s, from: 'sidecar' };
  const t = findSourceUrl(text);
  return t ? { url: t, from: 'text' } : undefined;
}

/** Where the claim appeared: the annotation's `appearance:` (a web URL), else the source's URL. */
export function appearanceOf(annotation: Pick<Annotation, 'appearance'>, sidecar: Pick<Sidecar, 'extra'> | undefined, text: string): { url: string; from: 'annotation' | 'sidecar' | 'text' } | undefined {
  const a = annotation.appearance?.trim();
  if (a && isWebUrl(a)) return { url: a, from: 'annotation' };
  return sourceUrlOf(sidecar, text);
}

// ------------------------------------------------------------------------------------------------
// Verdict ratings

/**
 * A verdict scale with numeric ratings for export: each verdict's `ratingValue` (null: the verdict
 * has no rating, as `unverified`: exported with its name only), `bestRating` and `worstRating`.
 * Verdicts are matched case-insensitively; one not in the scale has no rating.
 */
export interface VerdictRatings {
  ratings: Record<string, number | null>;
  best: number;
  worst: number;
}

/** The default scale: true 5, misleading 2, false 1 (best 5, worst 1); unverified has no rating. */
export const DEFAULT_VERDICT_RATINGS: VerdictRatings = {
  ratings: { true: 5, misleading: 2, false: 1, unverified: null },
  best: 5,
  worst: 1,
};

/**
 * The scale from the setting `marginalia.annotations.verdictRatings`: an object `{verdict: number
 * | null}` (best and worst are its highest and lowest numbers), or `{ratings: {...}, best, worst}`.
 * Anything else gives `problems` and the default scale.
 */
export function verdictRatingsFrom(value: unknown): { ratings: VerdictRatings; problems: string[] } {
  if (value === undefined || value === null) return { ratings: DEFAULT_VERDICT_RATINGS, problems: [] };
  const problems: string[] = [];
  if (typeof value !== 'object' || Array.isArray(value)) return { ratings: DEFAULT_VERDICT_RATINGS, problems: ['verdictRatings: expected an object {verdict: number or null}'] };
  const o = value as Record<string, unknown>;
  const map = typeof o.ratings === 'object' && o.ratings !== null && !Array.isArray(o.ratings) ? (o.ratings as Record<string, unknown>) : o;
  const ratings: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(map)) {
    if (map === o && (k === 'best' || k === 'worst')) continue;
    if (v === null) ratings[k.toLowerCase()] = null;
    else if (typeof v === 'number' && Number.isFinite(v)) ratings[k.toLowerCase()] = v;
    else problems.push(`verdictRatings: the rating of "${k}" must be a number or null`);
  }
  const numbers = Object.values(ratings).filter((v): v is number => v !== null);
  if (numbers.length === 0) return { ratings: DEFAULT_VERDICT_RATINGS, problems: [...problems, 'verdictRatings: no verdict has a numeric rating; the default scale is used'] };
  let best = Math.max(...numbers);
  let worst = Math.min(...numbers);
  if (map !== o) {
    if (typeof o.best === 'number' && Number.isFinite(o.best)) best = o.best;
    if (typeof o.worst === 'number' && Number.isFinite(o.worst)) worst = o.worst;
  }
  if (best === worst) problems.push('verdictRatings: best and worst rating are equal');
  return { ratings: { ratings, best, worst }, problems };
}

/** The rating of `verdict` on `scale`: `{value, best, worst}`, or undefined (no rating: `unverified`, or a verdict outside the scale). */
export function ratingFor(verdict: string, scale: VerdictRatings = DEFAULT_VERDICT_RATINGS): { value: number; best: number; worst: number } | undefined {
  const key = verdict.trim().toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(scale.ratings, key)) return undefined;
  const v = scale.ratings[key];
  return v === null || v === undefined ? undefined : { value: v, best: scale.best, worst: scale.worst };
}
