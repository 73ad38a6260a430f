/**
 * Evidence links: an annotation (a claim, usually) linked to spans of other sources — or of its
 * own — that support it, contradict it or give context. Stored in the sidecar under the
 * annotation's `evidence:` list, each with the same kind of anchor as a target
 * (`{exact, prefix, suffix, start, end}`, UTF-16 offsets into the OTHER source's normalised text).
 *
 * - `addEvidence` / `removeEvidence` edit a sidecar (pure: a new sidecar is returned).
 * - `anchorEvidenceOn(sidecar, texts)` re-anchors every link on the current text of its source
 *   (pure); a link whose text is gone — or whose source cannot be read — is an orphan: kept with
 *   its last known text, marked `orphan: true`, and listed.
 * - `anchorEvidence(project, loaded)` does the same through the project layer: each other source is
 *   read once (`readSourceText`), inside the workspace only.
 */
import { placeTargets } from '../interchange/anchoring';
import { makeTarget } from '../anchor';
import { isSafeRelativePath } from '../sidecar/paths';
import { EVIDENCE_RELATIONS, normalizeText, type Annotation, type Evidence, type EvidenceRelation, type Sidecar, type Target } from '../sidecar/model';
import { readSourceText, type LoadedSource } from '../project/load';
import type { Project } from '../project/project';

/** What the editor gives to link evidence: the relation, the other source, the span in it. */
export interface EvidenceInput {
  relation: EvidenceRelation;
  /** The other source, workspace-relative and `/`-separated (the annotation's own source is allowed). */
  source: string;
  /** The span: a full target, or a range of `text` (the other source's current text) to make one from. */
  target: Target | { start: number; end: number };
  /** The other source's current text, needed when `target` is only a range. */
  text?: string;
}

export class EvidenceError extends Error {}

export function isEvidenceRelation(v: unknown): v is EvidenceRelation {
  return typeof v === 'string' && (EVIDENCE_RELATIONS as readonly string[]).includes(v);
}

/** `p` as a workspace-relative, `/`-separated path (`./a\\b.txt` → `a/b.txt`), or undefined when it leaves the workspace. */
export function normalizeEvidenceSource(p: string): string | undefined {
  const s = p.replace(/\\/g, '/');
  if (!isSafeRelativePath(s)) return undefined;
  const parts: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  // resolved again: `x/../C:/a` must not become a drive path
  const out = parts.join('/');
  return out && isSafeRelativePath(out) && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(out) ? out : undefined;
}

/** The evidence link made from `input` (validated; throws EvidenceError with a message for the user). */
export function makeEvidence(input: EvidenceInput): Evidence {
  if (!isEvidenceRelation(input.relation)) throw new EvidenceError(`unknown relation "${String(input.relation)}" (expected ${EVIDENCE_RELATIONS.join(', ')})`);
  const source = normalizeEvidenceSource(input.source);
  if (source === undefined) throw new EvidenceError(`the evidence source "${input.source}" is not a path inside the workspace`);
  let target: Target;
  const t = input.target;
  if ('exact' in t) target = { exact: t.exact, prefix: t.prefix ?? '', suffix: t.suffix ?? '', start: t.start, end: t.end };
  else {
    if (input.text === undefined) throw new EvidenceError('the other source\'s text is needed to anchor a range');
    const text = normalizeText(input.text);
    if (!(Number.isSafeInteger(t.start) && Number.isSafeInteger(t.end) && t.start >= 0 && t.end > t.start && t.end <= text.length)) {
      throw new EvidenceError(`the range ${t.start}–${t.end} is not a non-empty span of ${source}`);
    }
    target = makeTarget(text, t.start, t.end);
  }
  if (!(target.end >= target.start && target.start >= 0) || target.exact === '') throw new EvidenceError('an evidence span must not be empty');
  return { relation: input.relation, source, target };
}

function withAnnotation(sidecar: Sidecar, annotationId: string, edit: (a: Annotation) => Annotation): Sidecar {
  const i = sidecar.annotations.findIndex((a) => a.id === annotationId);
  if (i < 0) throw new EvidenceError(`no annotation with id ${annotationId}`);
  const annotations = [...sidecar.annotations];
  annotations[i] = edit(annotations[i]!);
  return { ...sidecar, annotations };
}

function sameLink(a: Evidence, b: Evidence): boolean {
  return a.relation === b.relation && a.source === b.source && a.target.start === b.target.start && a.target.end === b.target.end && a.target.exact === b.target.exact;
}

/**
 * A copy of `sidecar` whose annotation `annotationId` has one more evidence link (appended; the
 * same link twice is added once). `modified` is set when `now` is given.
 */
export function addEvidence(sidecar: Sidecar, annotationId: string, input: EvidenceInput, now?: string): Sidecar {
  const link = makeEvidence(input);
  return withAnnotation(sidecar, annotationId, (a) => {
    const list = a.evidence ?? [];
    if (list.some((e) => sameLink(e, link))) return a;
    const next: Annotation = { ...a, evidence: [...list, link] };
    if (now !== undefined) next.modified = now;
    return next;
  });
}

/** A copy of `sidecar` without the evidence link at `index` of annotation `annotationId`. */
export function removeEvidence(sidecar: Sidecar, annotationId: string, index: number, now?: string): Sidecar {
  return withAnnotation(sidecar, annotationId, (a) => {
    const list = a.evidence ?? [];
    if (!(index >= 0 && index < list.length)) throw new EvidenceError(`annotation ${annotationId} has no evidence link ${index}`);
    const rest = list.filter((_, j) => j !== index);
    const next: Annotation = { ...a };
    if (rest.length) next.evidence = rest;
    else delete next.evidence;
    if (now !== undefined) next.modified = now;
    return next;
  });
}

/** An evidence link whose text could not be found (kept in the sidecar with `orphan: true`). */
export interface EvidenceOrphan {
  annotationId: string;
  /** Index in the annotation's `evidence` list. */
  index: number;
  source: string;
  /** The last known text. */
  exact: string;
  /** Why: the text is gone from the source, or the source itself could not be read. */
  reason: 'text-gone' | 'source-unreadable';
  /** For `source-unreadable`: the reader's message. */
  message?: string;
}

export interface AnchoredEvidence {
  /** The sidecar with every evidence link re-anchored (orphans marked, never dropped). */
  sidecar: Sidecar;
  orphans: EvidenceOrphan[];
  /** The current text of each other source read (normalised), by workspace-relative path; undefined: unreadable. */
  texts: Map<string, string | undefined>;
}

/** The distinct evidence sources of a sidecar, in first-seen order. */
export function evidenceSources(sidecar: Sidecar): string[] {
  const out = new Set<string>();
  for (const a of sidecar.annotations) for (const e of a.evidence ?? []) out.add(e.source);
  return [...out];
}

/**
 * Re-anchors every evidence link of `sidecar` on `texts.get(link.source)` (normalised text;
 * undefined or missing: the source could not be read, every link into it is an orphan). Pure.
 */
export function anchorEvidenceOn(sidecar: Sidecar, texts: ReadonlyMap<string, string | undefined>, problems: ReadonlyMap<string, string> = new Map()): { sidecar: Sidecar; orphans: EvidenceOrphan[] } {
  // Batch the targets per source: one reanchor call per source text.
  const bySource = new Map<string, { ai: number; ei: number; target: Target }[]>();
  sidecar.annotations.forEach((a, ai) => (a.evidence ?? []).forEach((e, ei) => {
    const list = bySource.get(e.source) ?? [];
    list.push({ ai, ei, target: e.target });
    bySource.set(e.source, list);
  }));
  if (bySource.size === 0) return { sidecar, orphans: [] };
  const annotations = sidecar.annotations.map((a) => (a.evidence ? { ...a, evidence: a.evidence.map((e) => ({ ...e })) } : a));
  const orphans: EvidenceOrphan[] = [];
  for (const [source, refs] of bySource) {
    const text = texts.get(source);
    if (text === undefined) {
      for (const r of refs) {
        const e = annotations[r.ai]!.evidence![r.ei]!;
        e.orphan = true;
        const o: EvidenceOrphan = { annotationId: annotations[r.ai]!.id, index: r.ei, source, exact: e.target.exact, reason: 'source-unreadable' };
        const m = problems.get(source);
        if (m !== undefined) o.message = m;
        orphans.push(o);
      }
      continue;
    }
    const placed = placeTargets(text, refs.map((r) => r.target));
    refs.forEach((r, k) => {
      const p = placed[k]!;
      const e = annotations[r.ai]!.evidence![r.ei]!;
      e.target = p.target;
      if (p.orphan) {
        e.orphan = true;
        orphans.push({ annotationId: annotations[r.ai]!.id, index: r.ei, source, exact: p.target.exact, reason: 'text-gone' });
      } else delete e.orphan;
    });
  }
  orphans.sort((x, y) => (x.annotationId < y.annotationId ? -1 : x.annotationId > y.annotationId ? 1 : x.index - y.index));
  return { sidecar: { ...sidecar, annotations }, orphans };
}

/**
 * Re-anchors the evidence links of a loaded source against the OTHER sources' current texts, read
 * through the project layer (each once; only inside the workspace; a link to the source itself
 * uses `loaded.text`). Never throws for an unreadable source: its links become orphans with the
 * reason. Returns the anchored sidecar (to show, save or export), the orphans and the texts read.
 */
export async function anchorEvidence(project: Project, loaded: Pick<LoadedSource, 'source' | 'text' | 'sidecar'>): Promise<AnchoredEvidence> {
  const texts = new Map<string, string | undefined>();
  const problems = new Map<string, string>();
  const self = project.relative(loaded.source);
  for (const source of evidenceSources(loaded.sidecar)) {
    if (source === self) {
      texts.set(source, loaded.text);
      continue;
    }
    const abs = project.absolute(source);
    try {
      await project.assertInside(abs, 'the evidence source');
      texts.set(source, await readSourceText(project.fs, abs, project.display(abs)));
    } catch (err) {
      texts.set(source, undefined);
      problems.set(source, err instanceof Error ? err.message : String(err));
    }
  }
  const { sidecar, orphans } = anchorEvidenceOn(loaded.sidecar, texts, problems);
  return { sidecar, orphans, texts };
}
