/**
 * W3C Web Annotation Data Model (JSON-LD) import, https://www.w3.org/TR/annotation-model/.
 *
 * Reader: accepts an AnnotationCollection (with `first.items` or `items`), an AnnotationPage, an
 * array or a single Annotation; imports user annotations (entity and quotation records are counted
 * and skipped: recognition recomputes them).
 */
import { OffsetMap } from './codepoints';
import { isClaimDate } from '../sidecar/model';
import {
  type AnnotationKind,
  type ImportResult,
  type ImportedAnnotation,
  type TargetLike,
  cleanExtra,
  isAnnotationKind,
  readEvidenceLinks,
  usableId,
} from './model';
import { ANNOTATION_IRI_PREFIX, MARGINALIA_NS } from './w3c';

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
    const a = importAnnotation(item, `annotation ${index + 1}`, text, map, sourcePath, result);
    if (a) result.annotations.push(a);
  });
  return result;
}

/**
 * One item of the document as an annotation; undefined when it is skipped (a recognition record,
 * or one on another source: counted) or unusable (with a warning).
 */
function importAnnotation(item: unknown, where: string, text: string, map: OffsetMap, sourcePath: string | undefined, result: ImportResult): ImportedAnnotation | undefined {
  if (!isObject(item)) {
    result.warnings.push(`${where}: not an object`);
    return undefined;
  }
  if (ext(item, 'record') !== undefined) {
    result.skipped++;
    return undefined;
  }
  const target = asArray(item.target)[0];
  if (!isObject(target)) {
    result.warnings.push(`${where}: no target`);
    return undefined;
  }
  if (sourcePath !== undefined && typeof target.source === 'string' && !sameSource(target.source, sourcePath)) {
    result.skipped++;
    return undefined;
  }
  const t = importTarget(target, text, map);
  if (!t) {
    result.warnings.push(`${where}: no TextQuoteSelector or TextPositionSelector`);
    return undefined;
  }
  const { notes, tags, verdict } = readBodies(item);
  const a: ImportedAnnotation = { kind: kindOf(item, verdict), target: t };
  const id = idFromIri(item.id);
  if (id) {
    a.id = id.id;
    if (id.foreign) a.foreignId = true;
  }
  if (notes.length) a.note = notes.join('\n\n');
  if (tags.length) a.tags = tags;
  if (verdict !== undefined) a.verdict = verdict;
  const author = creatorName(item);
  if (author !== undefined) a.author = author;
  if (typeof item.created === 'string') a.created = item.created;
  if (typeof item.modified === 'string') a.modified = item.modified;
  readClaim(item, a, where, result.warnings);
  readEvidenceAndExtra(item, a, where, result.warnings);
  return a;
}

/**
 * The target's span: its position selector when that is whole numbers in order (the quote, or the
 * text there, as the exact text), else its quote alone (placed by re-anchoring); undefined if neither.
 */
function importTarget(target: Record<string, unknown>, text: string, map: OffsetMap): TargetLike | undefined {
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
  if (!t || t.end < t.start) return undefined;
  if (quote && typeof quote.prefix === 'string') t.prefix = quote.prefix;
  if (quote && typeof quote.suffix === 'string') t.suffix = quote.suffix;
  return t;
}

/** The bodies (and `bodyValue`s) by purpose: tags, the verdict (assessing), and notes (anything else, bare IRIs included). */
function readBodies(item: Record<string, unknown>): { notes: string[]; tags: string[]; verdict: string | undefined } {
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
  return { notes, tags, verdict };
}

/** The declared `marginalia:kind`, else the kind of the first motivation that has one (a claim with a verdict: verdict), else note. */
function kindOf(item: Record<string, unknown>, verdict: string | undefined): AnnotationKind {
  const declared = ext(item, 'kind');
  if (isAnnotationKind(declared)) return declared;
  const motivations = asArray(item.motivation).filter((m): m is string => typeof m === 'string').map(stripOa);
  const m = motivations.find((x) => KIND_OF_MOTIVATION[x]);
  const kind = m ? KIND_OF_MOTIVATION[m] : 'note';
  return kind === 'claim' && verdict !== undefined ? 'verdict' : kind;
}

/** The first creator's name (a string creator, or its name, nickname or id). */
function creatorName(item: Record<string, unknown>): string | undefined {
  const creator = asArray(item.creator)[0];
  if (typeof creator === 'string') return creator;
  if (isObject(creator)) {
    const name = creator.name ?? creator.nickname ?? creator.id;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/** `marginalia:claim`: claimant, claim date (an ISO date, else left out with a warning) and appearance. */
function readClaim(item: Record<string, unknown>, a: ImportedAnnotation, where: string, warnings: string[]): void {
  const claim = ext(item, 'claim');
  if (!isObject(claim)) return;
  if (typeof claim.claimant === 'string') a.claimant = claim.claimant;
  if (typeof claim.claimDate === 'string') {
    if (isClaimDate(claim.claimDate)) a.claimDate = claim.claimDate;
    else warnings.push(`${where}: claimDate "${claim.claimDate}" is not an ISO date: left out`);
  }
  if (typeof claim.appearance === 'string') a.appearance = claim.appearance;
}

/** `marginalia:evidence` and `marginalia:extra`, each left out with a warning when nested too deep. */
function readEvidenceAndExtra(item: Record<string, unknown>, a: ImportedAnnotation, where: string, warnings: string[]): void {
  const evidenceValue = ext(item, 'evidence');
  const deep = jsonDepth(evidenceValue) > MAX_JSON_DEPTH;
  if (deep) warnings.push(`${where}: marginalia:evidence nested deeper than ${MAX_JSON_DEPTH} levels: left out`);
  const evidence = deep ? undefined : readEvidenceLinks(evidenceValue, warnings, where);
  if (evidence) a.evidence = evidence;
  const extraValue = ext(item, 'extra');
  if (jsonDepth(extraValue) > MAX_JSON_DEPTH) {
    warnings.push(`${where}: marginalia:extra nested deeper than ${MAX_JSON_DEPTH} levels: left out`);
  } else {
    const extra = cleanExtra(extraValue);
    if (extra) a.extra = extra;
  }
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
