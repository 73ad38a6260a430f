/**
 * W3C Web Annotation Data Model (JSON-LD), https://www.w3.org/TR/annotation-model/.
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
 *
 * Reader: accepts an AnnotationCollection (with `first.items` or `items`), an AnnotationPage, an
 * array or a single Annotation; imports user annotations (entity and quotation records are counted
 * and skipped: recognition recomputes them).
 */
import { OffsetMap } from './codepoints';
import { evidenceRecord } from '../sidecar/canonicalLayout';
import { isClaimDate } from '../sidecar/model';
import {
  type AnnotationKind,
  type ExportSource,
  type ImportResult,
  type ImportedAnnotation,
  type TargetLike,
  cleanExtra,
  isAnnotationKind,
  readEvidenceLinks,
  usableId,
} from './model';

export const W3C_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const MARGINALIA_NS = 'https://marginalia-dev.github.io/ns#';
export const ANNOTATION_IRI_PREFIX = 'urn:marginalia:annotation:';
/** The collection's `generator`: with `marginalia:exportOf` (the source's path), what marks a file as Marginalia's own export. */
export const W3C_GENERATOR = { id: 'https://marginalia-dev.github.io/', type: 'Software', name: 'Marginalia' } as const;

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

/** Motivation → kind for foreign annotations without `marginalia:kind`. */
const KIND_OF_MOTIVATION: Record<string, AnnotationKind> = {
  commenting: 'note',
  describing: 'note',
  highlighting: 'note',
  bookmarking: 'note',
  replying: 'note',
  questioning: 'question',
  assessing: 'claim',
  tagging: 'tag',
  classifying: 'tag',
  linking: 'link',
  editing: 'correction',
};

export interface W3CSelector {
  type: string;
  [k: string]: unknown;
}

export interface W3CAnnotation {
  '@context'?: unknown;
  id: string;
  type: 'Annotation';
  motivation: string;
  [k: string]: unknown;
}

export interface W3CCollection {
  '@context': unknown;
  generator: typeof W3C_GENERATOR;
  'marginalia:exportOf': string;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: W3CAnnotation[] };
}

export interface W3COptions {
  /** Include entity mentions and quotations (default true when `analysis` is given). */
  recognition?: boolean;
}

function slug(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/');
}

export function toW3C(src: ExportSource, options: W3COptions = {}): W3CCollection {
  const map = new OffsetMap(src.text);
  const sourceIri = src.path;
  const selectors = (start: number, end: number, exact: string, prefix?: string, suffix?: string, positions = true): W3CSelector[] => {
    const quote: W3CSelector = { type: 'TextQuoteSelector', exact };
    if (prefix !== undefined) quote.prefix = prefix;
    if (suffix !== undefined) quote.suffix = suffix;
    const out = [quote];
    if (positions) out.push({ type: 'TextPositionSelector', start: map.toCodePoint(start), end: map.toCodePoint(end) });
    return out;
  };
  const spanSelectors = (start: number, end: number): W3CSelector[] =>
    selectors(start, end, src.text.slice(start, end), src.text.slice(Math.max(0, start - 32), start), src.text.slice(end, end + 32));

  const items: W3CAnnotation[] = [];
  for (const a of src.annotations) {
    const kind: AnnotationKind = isAnnotationKind(a.kind) ? a.kind : 'note';
    const body: Record<string, unknown>[] = [];
    if (a.note !== undefined && a.note !== '') {
      body.push({ type: 'TextualBody', value: a.note, format: 'text/plain', purpose: NOTE_PURPOSE[kind] });
    }
    for (const t of a.tags ?? []) body.push({ type: 'TextualBody', value: t, purpose: 'tagging' });
    if (a.verdict !== undefined && a.verdict !== '') body.push({ type: 'TextualBody', value: a.verdict, purpose: 'assessing' });
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
      source: sourceIri,
      selector: selectors(a.target.start, a.target.end, a.target.exact, a.target.prefix, a.target.suffix, !orphan),
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
    items.push(ann);
  }

  const analysis = src.analysis;
  if (analysis && options.recognition !== false) {
    const entityIri = (id: string) => `urn:marginalia:entity:${slug(id)}`;
    analysis.mentions.forEach((m, i) => {
      const ann: W3CAnnotation = {
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
        target: { source: sourceIri, selector: spanSelectors(m.start, m.end) },
      };
      items.push(ann);
    });
    analysis.quotes.forEach((q, i) => {
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
        target: { source: sourceIri, selector: spanSelectors(q.start, q.end) },
      };
      if (q.speaker) {
        const saidBy: Record<string, unknown> = {
          type: 'SpecificResource',
          name: q.speaker.name,
          via: q.speaker.via,
          source: sourceIri,
          selector: spanSelectors(q.speaker.start, q.speaker.end),
        };
        if (q.speaker.entityId) saidBy.id = entityIri(q.speaker.entityId);
        ann['marginalia:saidBy'] = saidBy;
      }
      if (q.cue) ann['marginalia:cue'] = { source: sourceIri, selector: spanSelectors(q.cue.start, q.cue.end) };
      if (q.parent !== undefined) ann['marginalia:nestedIn'] = `urn:marginalia:quote:${slug(src.path)}:${q.parent}`;
      if (q.partOf !== undefined) ann['marginalia:partOf'] = `urn:marginalia:quote:${slug(src.path)}:${q.partOf}`;
      items.push(ann);
    });
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

// ---------------------------------------------------------------- reader

function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a key with or without a JSON-LD prefix (`marginalia:kind`, or the expanded IRI). */
function ext(o: Record<string, unknown>, key: string): unknown {
  return o[`marginalia:${key}`] ?? o[MARGINALIA_NS + key];
}

/**
 * How deep an imported JSON value may nest (objects and arrays), not counting the `next`/`first`
 * links of annotation pages and collections (a long chain of pages is walked without recursion).
 * Deeper content is refused with a warning: the sidecar writer and the comparisons that follow an
 * import walk values recursively.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `[]` is 1), measured without recursion;
 * descending through a `next` or `first` key does not count (page chains). Stops early once past
 * `limit` (returns `limit + 1`).
 */
export function jsonDepth(v: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop() as [unknown, number];
    if (typeof x !== 'object' || x === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return limit + 1;
    if (Array.isArray(x)) {
      for (const c of x) if (typeof c === 'object' && c !== null) stack.push([c, depth]);
    } else {
      for (const [k, c] of Object.entries(x as Record<string, unknown>)) {
        if (typeof c === 'object' && c !== null) stack.push([c, k === 'next' || k === 'first' ? d : depth]);
      }
    }
  }
  return max;
}

/**
 * The annotations of a W3C document, in document order: an annotation, a page (its items, then
 * the pages its `next` links to), a collection (its items, then its `first` page), or an array of
 * those. Walked with an explicit stack (a chain of thousands of pages, or arrays nested thousands
 * deep, never overflow the call stack); arrays nested deeper than {@link MAX_JSON_DEPTH} are
 * skipped with a warning.
 */
function annotationsIn(doc: unknown, warnings: string[] = []): unknown[] {
  const out: unknown[] = [];
  // Tasks, popped last first: a value to expand (with its array depth), or items to emit as they are.
  type Task = { node: unknown; depth: number } | { items: unknown[] };
  const stack: Task[] = [{ node: doc, depth: 0 }];
  let tooDeep = false;
  while (stack.length > 0) {
    const task = stack.pop() as Task;
    if ('items' in task) {
      for (const x of task.items) out.push(x);
      continue;
    }
    const { node, depth } = task;
    if (Array.isArray(node)) {
      if (depth >= MAX_JSON_DEPTH) {
        tooDeep = true;
        continue;
      }
      for (let k = node.length - 1; k >= 0; k--) {
        const d = node[k];
        if (isAnnotation(d)) stack.push({ items: [d] });
        else stack.push({ node: d, depth: depth + 1 });
      }
      continue;
    }
    if (!isObject(node)) continue;
    const types = typesOf(node);
    if (types.includes('Annotation')) out.push(node);
    else if (Array.isArray(node['@graph'])) stack.push({ node: node['@graph'], depth: depth + 1 });
    else if (types.includes('AnnotationCollection') || isObject(node.first)) {
      if (isObject(node.first)) stack.push({ node: node.first, depth });
      stack.push({ items: asArray(node.items) });
    } else if (types.includes('AnnotationPage') || Array.isArray(node.items)) {
      // A page, typed or not: its items, then the pages its `next` chain leads to.
      if (isObject(node.next)) stack.push({ node: node.next, depth });
      stack.push({ items: asArray(node.items) });
    }
  }
  if (tooDeep) warnings.push(`arrays nested deeper than ${MAX_JSON_DEPTH} levels were skipped`);
  return out;
}

/**
 * The sidecar id an annotation's `id` carries: ours (`urn:marginalia:annotation:ID`, as export
 * writes it) or a bare id. Another tool's IRI (`http://other.example/anno/A1`) names its own
 * annotation, not one of ours, whatever its last segment: it gets a new id.
 */
function idFromIri(iri: unknown): { id: string; foreign: boolean } | undefined {
  if (typeof iri !== 'string') return undefined;
  if (iri.startsWith(ANNOTATION_IRI_PREFIX)) {
    const id = usableId(iri.slice(ANNOTATION_IRI_PREFIX.length));
    return id ? { id, foreign: false } : undefined;
  }
  // Another tool's IRI: its last segment may name the new annotation, never replace one of ours.
  const m = /[#/:]([^#/:]+)$/.exec(iri);
  const id = usableId(m ? m[1] : iri);
  return id ? { id, foreign: m !== null } : undefined;
}

/** The W3C types of a node: `type` or `@type`, one or several, with an `oa:` or full IRI prefix removed. */
function typesOf(node: Record<string, unknown>): string[] {
  return asArray(node.type ?? node['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^(?:oa:|as:|https?:\/\/www\.w3\.org\/ns\/(?:oa|activitystreams)#)/, ''));
}

function isAnnotation(node: unknown): node is Record<string, unknown> {
  return isObject(node) && typesOf(node).includes('Annotation');
}

/**
 * Reads W3C annotations for one source. Positions are converted from code points to UTF-16 units
 * of `text`; the caller anchors the result (positions may be stale, the quote is authoritative).
 * `sourcePath`, when given, keeps only annotations whose target source matches it (or has none)
 * — so a file exported from several sources imports into the right one.
 */
export function fromW3C(doc: unknown, text: string, sourcePath?: string): ImportResult {
  const map = new OffsetMap(text);
  const result: ImportResult = { annotations: [], warnings: [], skipped: 0 };
  const raw = annotationsIn(doc, result.warnings);
  if (raw.length === 0) result.warnings.push('no annotations found: expected an Annotation, a list of them, an AnnotationPage or an AnnotationCollection (JSON-LD @graph included)');
  raw.forEach((item, index) => {
    const where = `annotation ${index + 1}`;
    if (!isObject(item)) {
      result.warnings.push(`${where}: not an object`);
      return;
    }
    if (ext(item, 'record') !== undefined) {
      result.skipped++;
      return;
    }
    const target = asArray(item.target)[0];
    if (!isObject(target)) {
      result.warnings.push(`${where}: no target`);
      return;
    }
    if (sourcePath !== undefined && typeof target.source === 'string' && !sameSource(target.source, sourcePath)) {
      result.skipped++;
      return;
    }
    let quote: Record<string, unknown> | undefined;
    let position: Record<string, unknown> | undefined;
    for (const s of asArray(target.selector)) {
      if (!isObject(s)) continue;
      if (s.type === 'TextQuoteSelector' && !quote) quote = s;
      if (s.type === 'TextPositionSelector' && !position) position = s;
    }
    let t: TargetLike | undefined;
    const exact = quote && typeof quote.exact === 'string' ? quote.exact : undefined;
    // A position is used when it is whole numbers in order; otherwise the quote alone places the annotation.
    const usable = position && Number.isSafeInteger(position.start) && Number.isSafeInteger(position.end) && (position.start as number) >= 0 && (position.end as number) >= (position.start as number);
    if (position && usable) {
      const start = map.toUnit(position.start as number);
      const end = map.toUnit(position.end as number);
      t = { exact: exact ?? text.slice(start, end), start, end };
    } else if (exact !== undefined) {
      t = { exact, start: 0, end: 0 };
    }
    if (!t || t.end < t.start) {
      result.warnings.push(`${where}: no TextQuoteSelector or TextPositionSelector`);
      return;
    }
    if (quote && typeof quote.prefix === 'string') t.prefix = quote.prefix;
    if (quote && typeof quote.suffix === 'string') t.suffix = quote.suffix;

    const motivations = asArray(item.motivation).filter((m): m is string => typeof m === 'string').map(stripOa);
    const declared = ext(item, 'kind');
    let kind: AnnotationKind | undefined = isAnnotationKind(declared) ? declared : undefined;
    const bodies = asArray(item.body).concat(asArray(item.bodyValue).map((v) => ({ type: 'TextualBody', value: v })));
    const notes: string[] = [];
    const tags: string[] = [];
    let verdict: string | undefined;
    for (const b of bodies) {
      if (typeof b === 'string') {
        // A bare IRI body (linking).
        notes.push(b);
        continue;
      }
      if (!isObject(b)) continue;
      const value = typeof b.value === 'string' ? b.value : typeof b.id === 'string' ? b.id : undefined;
      if (value === undefined) continue;
      const purpose = typeof b.purpose === 'string' ? stripOa(b.purpose) : undefined;
      if (purpose === 'tagging') tags.push(value);
      else if (purpose === 'assessing') verdict = value;
      else notes.push(value);
    }
    if (!kind) {
      const m = motivations.find((x) => KIND_OF_MOTIVATION[x]);
      kind = m ? KIND_OF_MOTIVATION[m] : 'note';
      if (kind === 'claim' && verdict !== undefined) kind = 'verdict';
    }
    const a: ImportedAnnotation = { kind, target: t };
    const id = idFromIri(item.id);
    if (id) {
      a.id = id.id;
      if (id.foreign) a.foreignId = true;
    }
    if (notes.length) a.note = notes.join('\n\n');
    if (tags.length) a.tags = tags;
    if (verdict !== undefined) a.verdict = verdict;
    const creator = asArray(item.creator)[0];
    if (typeof creator === 'string') a.author = creator;
    else if (isObject(creator)) {
      const name = creator.name ?? creator.nickname ?? creator.id;
      if (typeof name === 'string') a.author = name;
    }
    if (typeof item.created === 'string') a.created = item.created;
    if (typeof item.modified === 'string') a.modified = item.modified;
    const claim = ext(item, 'claim');
    if (isObject(claim)) {
      if (typeof claim.claimant === 'string') a.claimant = claim.claimant;
      if (typeof claim.claimDate === 'string') {
        if (isClaimDate(claim.claimDate)) a.claimDate = claim.claimDate;
        else result.warnings.push(`${where}: claimDate "${claim.claimDate}" is not an ISO date: left out`);
      }
      if (typeof claim.appearance === 'string') a.appearance = claim.appearance;
    }
    const evidenceValue = ext(item, 'evidence');
    const deep = jsonDepth(evidenceValue) > MAX_JSON_DEPTH;
    if (deep) result.warnings.push(`${where}: marginalia:evidence nested deeper than ${MAX_JSON_DEPTH} levels: left out`);
    const evidence = deep ? undefined : readEvidenceLinks(evidenceValue, result.warnings, where);
    if (evidence) a.evidence = evidence;
    const extraValue = ext(item, 'extra');
    if (jsonDepth(extraValue) > MAX_JSON_DEPTH) {
      result.warnings.push(`${where}: marginalia:extra nested deeper than ${MAX_JSON_DEPTH} levels: left out`);
    } else {
      const extra = cleanExtra(extraValue);
      if (extra) a.extra = extra;
    }
    result.annotations.push(a);
  });
  return result;
}

function stripOa(s: string): string {
  return s.replace(/^(oa:|http:\/\/www\.w3\.org\/ns\/oa#)/, '');
}

function sameSource(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\\/g, '/').replace(/^\.\//, '');
  const x = norm(a);
  const y = norm(b);
  return x === y || x.endsWith('/' + y) || y.endsWith('/' + x);
}
