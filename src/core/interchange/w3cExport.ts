/**
 * W3C Web Annotation Data Model (JSON-LD) export, https://www.w3.org/TR/annotation-model/.
 *
 * Writer: an `AnnotationCollection` (one per source) whose first page holds
 * - one Annotation per user annotation: motivation from its kind (note→commenting,
 *   question→questioning, claim→assessing, verdict→assessing, tag→tagging, link→linking,
 *   correction→editing); the note as a TextualBody (purpose commenting / questioning / linking /
 *   editing by kind), each tag as a TextualBody with purpose `tagging`, the verdict as a TextualBody
 *   with purpose `assessing`; `creator`, `created`, `modified`; the exact kind and id in
 *   `marginalia:kind` / the `id` IRI so a round trip is lossless;
 * - one Annotation per entity mention (motivation `identifying`, bodies: canonical name `identifying`,
 *   type `classifying`, `marginalia:entity` the entity's IRI);
 * - one Annotation per quotation and per reported statement (kind `indirect`: reported speech
 *   without quotation marks, its target the reported content) — motivation `describing`, body
 *   classifying it (`quotation`, `scare quotes`, `reported speech`), `marginalia:quoteKind`,
 *   `marginalia:saidBy` linking it to the speaker (the speaker entity's IRI when known, the name and
 *   the speaker's span), `marginalia:cue` (the cue's span), `marginalia:nestedIn` (the quotation it
 *   is nested in) and `marginalia:partOf` (the reported statement a quotation-mark fragment belongs
 *   to), both as the other record's IRI.
 * Every target has a TextQuoteSelector (exact/prefix/suffix) and a TextPositionSelector with
 * CODE-POINT start/end over the text without BOM. Orphaned annotations keep only the quote selector.
 * A user annotation's unknown sidecar keys go in `marginalia:extra`. The collection names Marginalia
 * as its `generator` and the source in `marginalia:exportOf` (the export marker).
 */
import { OffsetMap } from './codepoints';
import { evidenceRecord } from '../sidecar/canonicalWriter';
import type { Analysis } from '../types';
import { type AnnotationKind, type AnnotationLike, type ExportSource, isAnnotationKind } from './model';
import {
  ANNOTATION_IRI_PREFIX, MARGINALIA_NS, W3C_CONTEXT, W3C_GENERATOR, type W3CAnnotation, type W3CCollection, type W3COptions, type W3CSelector,
} from './w3c';

const MOTIVATION: Record<AnnotationKind, string> = {
  note: 'commenting',
  question: 'questioning',
  claim: 'assessing',
  verdict: 'assessing',
  tag: 'tagging',
  link: 'linking',
  correction: 'editing',
};

const NOTE_PURPOSE: Record<AnnotationKind, string> = {
  note: 'commenting',
  question: 'questioning',
  claim: 'commenting',
  verdict: 'commenting',
  tag: 'commenting',
  link: 'linking',
  correction: 'editing',
};

function slug(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/');
}

export function toW3C(src: ExportSource, options: W3COptions = {}): W3CCollection {
  const map = new OffsetMap(src.text);
  const items: W3CAnnotation[] = src.annotations.map((a) => userAnnotation(a, src, map));
  const analysis = src.analysis;
  if (analysis && options.recognition !== false) {
    analysis.mentions.forEach((m, i) => items.push(mentionAnnotation(m, i, src, map)));
    analysis.quotes.forEach((q, i) => items.push(quoteAnnotation(q, i, src, map)));
  }
  return {
    '@context': [W3C_CONTEXT, { marginalia: MARGINALIA_NS }],
    // The export marker: `marginalia export` replaces an existing file only when it carries this.
    generator: W3C_GENERATOR,
    'marginalia:exportOf': src.path,
    id: `urn:marginalia:collection:${slug(src.path)}`,
    type: 'AnnotationCollection',
    label: `Marginalia annotations on ${src.path}`,
    total: items.length,
    first: { id: `urn:marginalia:collection:${slug(src.path)}:page:0`, type: 'AnnotationPage', startIndex: 0, items },
  };
}

/** A quote selector, and (with `positions`) a position selector in code points. */
function selectors(map: OffsetMap, start: number, end: number, exact: string, prefix?: string, suffix?: string, positions = true): W3CSelector[] {
  const quote: W3CSelector = { type: 'TextQuoteSelector', exact };
  if (prefix !== undefined) quote.prefix = prefix;
  if (suffix !== undefined) quote.suffix = suffix;
  const out = [quote];
  if (positions) out.push({ type: 'TextPositionSelector', start: map.toCodePoint(start), end: map.toCodePoint(end) });
  return out;
}

/** The selectors of a span of the source's text, with 32 units of context each side. */
function spanSelectors(text: string, map: OffsetMap, start: number, end: number): W3CSelector[] {
  return selectors(map, start, end, text.slice(start, end), text.slice(Math.max(0, start - 32), start), text.slice(end, end + 32));
}

/** One of the user's annotations (an orphan keeps its quote but no position). */
function userAnnotation(a: AnnotationLike, src: ExportSource, map: OffsetMap): W3CAnnotation {
  const kind: AnnotationKind = isAnnotationKind(a.kind) ? a.kind : 'note';
  const body = userBodies(a, kind);
  const orphan = src.orphans?.has(a.id) ?? false;
  const ann: W3CAnnotation = {
    id: ANNOTATION_IRI_PREFIX + a.id,
    type: 'Annotation',
    motivation: MOTIVATION[kind],
    'marginalia:kind': a.kind,
  };
  if (a.author) ann.creator = { type: 'Person', name: a.author };
  if (a.created) ann.created = a.created;
  if (a.modified) ann.modified = a.modified;
  if (body.length === 1) ann.body = body[0];
  else if (body.length > 1) ann.body = body;
  ann.target = {
    source: src.path,
    selector: selectors(map, a.target.start, a.target.end, a.target.exact, a.target.prefix, a.target.suffix, !orphan),
  };
  if (orphan) ann['marginalia:orphan'] = true;
  // The sidecar's unknown keys, so export → import keeps them.
  if (a.extra && Object.keys(a.extra).length) ann['marginalia:extra'] = a.extra;
  // Claim details and evidence links (offsets of each link: UTF-16 units of ITS source, as in the sidecar).
  const claim: Record<string, string> = {};
  if (a.claimant !== undefined) claim.claimant = a.claimant;
  if (a.claimDate !== undefined) claim.claimDate = a.claimDate;
  if (a.appearance !== undefined) claim.appearance = a.appearance;
  if (Object.keys(claim).length) ann['marginalia:claim'] = claim;
  if (a.evidence?.length) ann['marginalia:evidence'] = a.evidence.map(evidenceRecord);
  return ann;
}

/** The note, tags and verdict as textual bodies. */
function userBodies(a: AnnotationLike, kind: AnnotationKind): Record<string, unknown>[] {
  const body: Record<string, unknown>[] = [];
  if (a.note !== undefined && a.note !== '') {
    body.push({ type: 'TextualBody', value: a.note, format: 'text/plain', purpose: NOTE_PURPOSE[kind] });
  }
  for (const t of a.tags ?? []) body.push({ type: 'TextualBody', value: t, purpose: 'tagging' });
  if (a.verdict !== undefined && a.verdict !== '') body.push({ type: 'TextualBody', value: a.verdict, purpose: 'assessing' });
  return body;
}

function entityIri(id: string): string {
  return `urn:marginalia:entity:${slug(id)}`;
}

/** The `i`-th entity mention recognised in the source. */
function mentionAnnotation(m: Analysis['mentions'][number], i: number, src: ExportSource, map: OffsetMap): W3CAnnotation {
  return {
    id: `urn:marginalia:mention:${slug(src.path)}:${i}`,
    type: 'Annotation',
    motivation: 'identifying',
    'marginalia:record': 'mention',
    'marginalia:entity': entityIri(m.entityId),
    body: [
      { type: 'TextualBody', value: m.canonical, purpose: 'identifying' },
      { type: 'TextualBody', value: m.type, purpose: 'classifying' },
      ...(m.value !== undefined ? [{ type: 'TextualBody', value: m.value, purpose: 'describing' }] : []),
    ],
    target: { source: src.path, selector: spanSelectors(src.text, map, m.start, m.end) },
  };
}

/** The `i`-th quotation recognised in the source, with its speaker, cue and relations to other quotations. */
function quoteAnnotation(q: Analysis['quotes'][number], i: number, src: ExportSource, map: OffsetMap): W3CAnnotation {
  const ann: W3CAnnotation = {
    id: `urn:marginalia:quote:${slug(src.path)}:${i}`,
    type: 'Annotation',
    motivation: 'describing',
    'marginalia:record': 'quote',
    'marginalia:quoteKind': q.kind,
    'marginalia:confidence': q.confidence,
    body: [
      { type: 'TextualBody', value: q.kind === 'scare' ? 'scare quotes' : q.kind === 'indirect' ? 'reported speech' : 'quotation', purpose: 'classifying' },
      ...(q.speaker ? [{ type: 'TextualBody', value: `said by ${q.speaker.name}`, purpose: 'describing' }] : []),
    ],
    target: { source: src.path, selector: spanSelectors(src.text, map, q.start, q.end) },
  };
  if (q.speaker) {
    const saidBy: Record<string, unknown> = {
      type: 'SpecificResource',
      name: q.speaker.name,
      via: q.speaker.via,
      source: src.path,
      selector: spanSelectors(src.text, map, q.speaker.start, q.speaker.end),
    };
    if (q.speaker.entityId) saidBy.id = entityIri(q.speaker.entityId);
    ann['marginalia:saidBy'] = saidBy;
  }
  if (q.cue) ann['marginalia:cue'] = { source: src.path, selector: spanSelectors(src.text, map, q.cue.start, q.cue.end) };
  if (q.parent !== undefined) ann['marginalia:nestedIn'] = `urn:marginalia:quote:${slug(src.path)}:${q.parent}`;
  if (q.partOf !== undefined) ann['marginalia:partOf'] = `urn:marginalia:quote:${slug(src.path)}:${q.partOf}`;
  return ann;
}
