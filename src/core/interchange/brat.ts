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
  type ExportSource,
  type ImportResult,
  type ImportedAnnotation,
  ANNOTATION_KINDS,
  cleanExtra,
  isAnnotationKind,
  readEvidenceLinks,
  usableId,
} from './model';
import { jsonDepth, MAX_JSON_DEPTH } from './w3c';
import { evidenceRecord } from '../sidecar/canonicalLayout';
import { isClaimDate } from '../sidecar/model';
import type { QuoteKind } from '../types';

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

export function toBrat(src: ExportSource, options: { recognition?: boolean } = {}): string {
  const map = new OffsetMap(src.text);
  const lines: string[] = [];
  let t = 0;
  let r = 0;
  let a = 0;
  let n = 0;
  let note = 0;
  let lastFrags: Array<[number, number]> = [];
  const tLine = (label: string, start: number, end: number): string | undefined => {
    const frags = splitAtLineBreaks(src.text, start, end);
    lastFrags = frags;
    if (frags.length === 0) return undefined;
    const id = `T${++t}`;
    const offs = frags.map(([s, e]) => `${map.toCodePoint(s)} ${map.toCodePoint(e)}`).join(';');
    const body = frags.map(([s, e]) => src.text.slice(s, e)).join(' ').replace(/[\t\n\r]/g, ' ');
    lines.push(`${id}\t${label} ${offs}\t${body}`);
    return id;
  };

  const analysis = options.recognition === false ? undefined : src.analysis;
  const mentionT = new Map<string, string>(); // "start:end" → T id
  if (analysis) {
    for (const m of analysis.mentions) {
      const id = tLine(ENTITY_LABEL[m.type] ?? 'Entity', m.start, m.end);
      if (!id) continue;
      mentionT.set(`${m.start}:${m.end}`, id);
      lines.push(`N${++n}\tReference ${id} Marginalia:${attrValue(m.entityId)}\t${m.canonical.replace(/[\t\n\r]/g, ' ')}`);
    }
    // T ids of the quotations by index, for PartOf / NestedIn (which may point forward: written after all).
    const quoteT: (string | undefined)[] = [];
    const cueT = new Map<string, string>(); // "start:end" → T id (quotations may share a cue)
    analysis.quotes.forEach((q) => {
      const id = tLine('Quotation', q.start, q.end);
      quoteT.push(id);
      if (!id) return;
      lines.push(`A${++a}\tQuoteKind ${id} ${q.kind}`);
      if (q.cue && q.cue.end > q.cue.start) {
        const key = `${q.cue.start}:${q.cue.end}`;
        let cid = cueT.get(key);
        if (!cid) {
          cid = tLine('Cue', q.cue.start, q.cue.end);
          if (cid) cueT.set(key, cid);
        }
        if (cid) lines.push(`R${++r}\tCuedBy Arg1:${id} Arg2:${cid}`);
      }
      if (q.speaker) {
        const key = `${q.speaker.start}:${q.speaker.end}`;
        let sid = mentionT.get(key);
        if (!sid) {
          sid = tLine('Speaker', q.speaker.start, q.speaker.end);
          if (sid) {
            mentionT.set(key, sid);
            lines.push(`#${++note}\tAnnotatorNotes ${sid}\t${escapeNote(q.speaker.name)}`);
          }
        }
        if (sid) lines.push(`R${++r}\tSaidBy Arg1:${id} Arg2:${sid}`);
      }
    });
    analysis.quotes.forEach((q, i) => {
      const id = quoteT[i];
      if (!id) return;
      const statement = q.partOf !== undefined ? quoteT[q.partOf] : undefined;
      if (statement) lines.push(`R${++r}\tPartOf Arg1:${id} Arg2:${statement}`);
      const outer = q.parent !== undefined ? quoteT[q.parent] : undefined;
      if (outer) lines.push(`R${++r}\tNestedIn Arg1:${id} Arg2:${outer}`);
    });
  }

  for (const ann of src.annotations) {
    if (src.orphans?.has(ann.id)) continue; // no place in the text: brat cannot hold it
    const kind: AnnotationKind = isAnnotationKind(ann.kind) ? ann.kind : 'note';
    const id = tLine(KIND_LABEL[kind], ann.target.start, ann.target.end);
    if (!id) continue;
    if (ann.verdict) lines.push(`A${++a}\tVerdict ${id} ${attrValue(ann.verdict)}`);
    if (ann.note) lines.push(`#${++note}\tAnnotatorNotes ${id}\t${escapeNote(ann.note)}`);
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
    if (lastFrags[0][0] !== ann.target.start || lastFrags[lastFrags.length - 1][1] !== ann.target.end) {
      meta.span = [map.toCodePoint(ann.target.start), map.toCodePoint(ann.target.end)];
    }
    // The T text cannot say where the line breaks were: keep the exact quote for re-anchoring.
    if (lastFrags.length > 1 || meta.span) meta.exact = ann.target.exact;
    // JSON.stringify escapes control characters; NEL and the Unicode line/paragraph separators
    // (which brat's Python line reader also breaks at) are escaped too, so the line stays one line.
    lines.push(`#${++note}\tMarginaliaMeta ${id}\t${JSON.stringify(meta).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The spans brat can show for a text: every orphan excluded. Counted by callers for a warning. */
export function bratOmitted(src: ExportSource): number {
  return src.annotations.filter((x) => src.orphans?.has(x.id) || x.target.end <= x.target.start).length;
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

export function fromBrat(ann: string, text: string): ImportResult {
  const map = new OffsetMap(text);
  const result: ImportResult = { annotations: [], warnings: [], skipped: 0 };
  const ts = new Map<string, TRecord>();
  const notes = new Map<string, string[]>();
  const metas = new Map<string, Record<string, unknown>>();
  const verdicts = new Map<string, string>();
  const lines = ann.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `line ${i + 1}`;
    const tab = line.split('\t');
    const id = tab[0];
    if (id.startsWith('T')) {
      const m = /^(\S+) (.+)$/.exec(tab[1] ?? '');
      if (!m) {
        result.warnings.push(`${where}: malformed T line`);
        return;
      }
      // (counted before splitting: a line of 300k fragments is refused, not split)
      let fragCount = 1;
      for (let k = m[2].indexOf(';'); k !== -1 && fragCount <= MAX_BRAT_FRAGMENTS; k = m[2].indexOf(';', k + 1)) fragCount++;
      if (fragCount > MAX_BRAT_FRAGMENTS) {
        result.warnings.push(`${where}: ${id} has more than ${MAX_BRAT_FRAGMENTS} fragments: skipped`);
        return;
      }
      const frags = m[2].split(';').map((f) => f.trim().split(/\s+/).map(Number));
      if (frags.some((f) => f.length !== 2 || f.some((x) => !Number.isInteger(x) || x < 0))) {
        result.warnings.push(`${where}: malformed offsets`);
        return;
      }
      // (loops, not Math.min(...spread): no argument list as long as the fragments)
      let start = frags[0][0];
      let end = frags[0][1];
      for (const f of frags) {
        if (f[0] < start) start = f[0];
        if (f[1] > end) end = f[1];
      }
      ts.set(id, { label: m[1], start, end, frags, text: tab.slice(2).join('\t'), line: i + 1 });
    } else if (id.startsWith('#')) {
      const m = /^(\S+) (\S+)$/.exec(tab[1] ?? '');
      if (!m) return;
      const value = tab.slice(2).join('\t');
      if (m[1] === 'AnnotatorNotes') {
        const list = notes.get(m[2]);
        if (list) list.push(unescapeNote(value));
        else notes.set(m[2], [unescapeNote(value)]);
      } else if (m[1] === 'MarginaliaMeta') {
        try {
          const parsed: unknown = JSON.parse(value);
          if (jsonDepth(parsed) > MAX_JSON_DEPTH) result.warnings.push(`${where}: MarginaliaMeta nested deeper than ${MAX_JSON_DEPTH} levels: ignored`);
          else if (typeof parsed === 'object' && parsed !== null) metas.set(m[2], parsed as Record<string, unknown>);
        } catch (e) {
          result.warnings.push(`${where}: MarginaliaMeta is not JSON (${(e as Error).message})`);
        }
      }
    } else if (id.startsWith('A') || id.startsWith('M')) {
      const parts = (tab[1] ?? '').split(' ');
      if (parts[0] === 'Verdict' && parts[1]) verdicts.set(parts[1], parts.slice(2).join(' ').replace(/_/g, ' '));
    }
  });

  for (const [id, rec] of ts) {
    const kind = rec.label.toLowerCase();
    if (!isAnnotationKind(kind)) {
      result.skipped++;
      continue;
    }
    const meta = metas.get(id) ?? {};
    const span = Array.isArray(meta.span) && meta.span.length === 2 && meta.span.every((x) => Number.isInteger(x)) ? (meta.span as number[]) : undefined;
    const start = map.toUnit(span ? span[0] : rec.start);
    const end = map.toUnit(span ? span[1] : rec.end);
    const a: ImportedAnnotation = {
      kind: isAnnotationKind(meta.kind) ? meta.kind : kind,
      target: { exact: text.slice(start, end), start, end },
    };
    // The T line's text is the fragments joined by spaces. If the current text still shows it at
    // those offsets the positions hold; otherwise the source changed since the export and, for a
    // one-fragment span, the T text is the exact quote to re-anchor by.
    const current = rec.frags.map(([s, e]) => text.slice(map.toUnit(s), map.toUnit(e))).join(' ').replace(/[\t\n\r]/g, ' ');
    if (current !== rec.text) {
      if (typeof meta.exact === 'string') a.target.exact = meta.exact;
      else if (rec.frags.length === 1 && rec.text !== '') a.target.exact = rec.text;
      else result.warnings.push(`line ${rec.line}: ${id} no longer matches the text at its offsets`);
    }
    const mid = usableId(typeof meta.id === 'string' ? meta.id : undefined);
    if (mid) a.id = mid;
    const nts = notes.get(id);
    if (nts?.length) a.note = nts.join('\n\n');
    if (Array.isArray(meta.tags)) a.tags = meta.tags.filter((x): x is string => typeof x === 'string');
    if (typeof meta.verdict === 'string') a.verdict = meta.verdict;
    else if (verdicts.has(id)) a.verdict = verdicts.get(id);
    for (const k of ['author', 'created', 'modified'] as const) {
      const v = meta[k];
      if (typeof v === 'string') a[k] = v;
    }
    if (typeof meta.claimant === 'string') a.claimant = meta.claimant;
    if (typeof meta.claimDate === 'string' && isClaimDate(meta.claimDate)) a.claimDate = meta.claimDate;
    if (typeof meta.appearance === 'string') a.appearance = meta.appearance;
    const evidence = readEvidenceLinks(meta.evidence, result.warnings, `line ${rec.line}`);
    if (evidence) a.evidence = evidence;
    const extra = cleanExtra(meta.extra);
    if (extra) a.extra = extra;
    result.annotations.push(a);
  }
  return result;
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
