/**
 * Learning curve: how much a reader's corrections help the documents that follow.
 *
 * For a development set: its documents are written as sources into a temporary workspace. The
 * recogniser's errors on the first half (person/organization/place, in document order: a wrong type
 * → Set Entity Type, a name that is none → Ignore Entity, a missed or mis-bounded name → Set Entity
 * Type on the gold span; a name on a gold MISC span → Set Entity Type `group`) are corrected, the
 * first k of them, by WRITING corrections into the sources' sidecars with the project layer's writer.
 * Then the second half is scanned exactly as `marginalia scan --workspace DIR --json` does
 * (src/cli/scan.ts scanFile: the workspace's sidecars gathered, workspace-wide corrections, the
 * tagger adapted) and scored. One fresh workspace per k.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTarget } from '../../src/core/anchor';
import { scoreEntities, type EntityDoc, type GoldEntity } from '../../src/core/eval/entities';
import { Project, writeSidecar } from '../../src/core/project';
import { hashText } from '../../src/core/sidecar/hash';
import { emptySidecar, type Correction } from '../../src/core/sidecar/model';
import { ulidFactory } from '../../src/core/sidecar/ulid';
import type { EntityType, Mention } from '../../src/core/types';
import { nodeFs, toProjectPath } from '../../src/cli/nodeFs';
import { scanFile } from '../../src/cli/scan';

export interface CurvePoint {
  /** The second half's mentions (diagnostics; not printed). */
  mentions?: Mention[][];
  k: number;
  /** Corrections actually written (fewer than k when the first half has fewer errors). */
  written: number;
  f1: number;
  precision: number;
  recall: number;
  byType: Record<string, number>;
  /** Milliseconds to derive and scan the second half. */
  ms: number;
}

export interface CurveResult {
  name: string;
  docs: number;
  firstHalf: number;
  secondHalf: number;
  /** Errors on the first half available to correct. */
  errors: number;
  points: CurvePoint[];
}

const TYPES = ['person', 'organization', 'place'];

interface Fix {
  doc: number;
  start: number;
  end: number;
  action: 'entity-type' | 'ignore';
  type?: EntityType;
}

/** The reader's corrections of one document's errors, in text order. */
function fixesFor(doc: number, gold: readonly GoldEntity[], pred: readonly Mention[]): Fix[] {
  const fixes: Fix[] = [];
  const fixedGold = new Set<GoldEntity>();
  const scoredPred = pred.filter((m) => TYPES.includes(m.type));
  for (const m of scoredPred) {
    const same = gold.find((g) => g.start === m.start && g.end === m.end);
    if (same) {
      if (same.type === m.type) continue;
      fixedGold.add(same);
      if (TYPES.includes(same.type)) fixes.push({ doc, start: m.start, end: m.end, action: 'entity-type', type: same.type as EntityType });
      else if (same.type === 'misc') fixes.push({ doc, start: m.start, end: m.end, action: 'entity-type', type: 'group' });
      else fixes.push({ doc, start: m.start, end: m.end, action: 'ignore' });
      continue;
    }
    const over = gold.find((g) => g.start < m.end && m.start < g.end && TYPES.includes(g.type));
    if (over) {
      if (fixedGold.has(over)) continue;
      fixedGold.add(over);
      fixes.push({ doc, start: over.start, end: over.end, action: 'entity-type', type: over.type as EntityType });
    } else if (!gold.some((g) => g.start < m.end && m.start < g.end)) fixes.push({ doc, start: m.start, end: m.end, action: 'ignore' });
  }
  for (const g of gold) {
    if (!TYPES.includes(g.type) || fixedGold.has(g)) continue;
    if (scoredPred.some((m) => m.start === g.start && m.end === g.end && m.type === g.type)) continue;
    fixes.push({ doc, start: g.start, end: g.end, action: 'entity-type', type: g.type as EntityType });
  }
  return fixes.sort((a, b) => a.start - b.start || a.end - b.end);
}

function writeWorkspace(dir: string, docs: readonly EntityDoc[]): string[] {
  return docs.map((d, i) => {
    const file = join(dir, `doc${String(i).padStart(4, '0')}.txt`);
    writeFileSync(file, d.text);
    return file;
  });
}

async function scanAll(dir: string, files: readonly string[], model: string | undefined): Promise<Mention[][]> {
  const out: Mention[][] = [];
  for (const file of files) {
    const r = await scanFile({ file, options: { model: model ?? false }, workspace: dir, given: dir });
    if (r.error || !r.analysis) throw new Error(r.error ?? `${file}: no result`);
    out.push(r.analysis.mentions);
  }
  return out;
}

/** Writes the corrections into the sidecars of their documents with the project layer's writer. */
async function writeCorrections(dir: string, files: readonly string[], docs: readonly EntityDoc[], fixes: readonly Fix[]): Promise<void> {
  const project = new Project(nodeFs, toProjectPath(dir));
  let t = Date.parse('2026-01-01T00:00:00Z');
  const ulid = ulidFactory({ now: () => t++, random: () => 7 });
  const byDoc = new Map<number, Fix[]>();
  for (const f of fixes) {
    const l = byDoc.get(f.doc);
    if (l) l.push(f);
    else byDoc.set(f.doc, [f]);
  }
  for (const [doc, list] of [...byDoc.entries()].sort((a, b) => a[0] - b[0])) {
    const text = docs[doc].text;
    const source = toProjectPath(files[doc]);
    const corrections: Correction[] = list.map((f) => {
      const id = ulid();
      const c: Correction = { id, action: f.action, target: makeTarget(text, f.start, f.end), created: new Date(t).toISOString() };
      if (f.type) c.type = f.type;
      return c;
    });
    await writeSidecar(nodeFs, project.sidecarFor(source), (current) => {
      const base = current.parsed?.sidecar ?? emptySidecar(project.sourceField(source), hashText(text));
      return { ...base, corrections: [...base.corrections, ...corrections] };
    });
  }
}

/** The learning curve of one development set (documents in the file's order). */
export async function learningCurve(name: string, docsIn: readonly EntityDoc[], model: string | undefined, ks: readonly number[] = [0, 25, 50, 100, 200], options: { learn?: boolean; keep?: boolean } = {}): Promise<CurveResult> {
  const docs = docsIn.filter((d) => d.text.trim());
  const half = Math.floor(docs.length / 2);
  const first = docs.slice(0, half);
  const second = docs.slice(half);
  // the reader's errors: the first half as scanned with no corrections
  const base = mkdtempSync(join(tmpdir(), 'marginalia-curve-'));
  let fixes: Fix[];
  try {
    const files = writeWorkspace(base, first);
    const pred = await scanAll(base, files, model);
    fixes = first.flatMap((d, i) => fixesFor(i, d.entities, pred[i]));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const points: CurvePoint[] = [];
  for (const k of ks) {
    const dir = mkdtempSync(join(tmpdir(), 'marginalia-curve-'));
    try {
      const files = writeWorkspace(dir, docs);
      if (options.learn === false) {
        mkdirSync(join(dir, '.vscode'));
        writeFileSync(join(dir, '.vscode', 'settings.json'), '{ "marginalia.learning.enabled": false }\n');
      }
      const chosen = fixes.slice(0, k);
      await writeCorrections(dir, files, docs, chosen);
      const t0 = performance.now();
      const pred = await scanAll(dir, files.slice(half), model);
      const ms = performance.now() - t0;
      const s = scoreEntities(second, pred, { types: TYPES });
      const byType: Record<string, number> = {};
      for (const ty of TYPES) byType[ty] = s.exact.byType[ty]?.f1 ?? 0;
      points.push({ mentions: options.keep ? pred : undefined, k, written: chosen.length, f1: s.exact.micro.f1, precision: s.exact.micro.precision, recall: s.exact.micro.recall, byType, ms });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { name, docs: docs.length, firstHalf: first.length, secondHalf: second.length, errors: fixes.length, points };
}

export function formatCurve(r: CurveResult): string {
  const pct = (x: number): string => (x * 100).toFixed(1);
  const lines = [`learning curve: ${r.name} (${r.firstHalf} docs corrected, F1 on the next ${r.secondHalf}; ${r.errors} errors available; person/organization/place, exact spans)`];
  lines.push('      k  written     F1      P      R    per    org  place   change');
  const f0 = r.points[0]?.f1 ?? 0;
  for (const p of r.points) {
    lines.push(
      `  ${String(p.k).padStart(5)}  ${String(p.written).padStart(7)}  ${pct(p.f1).padStart(5)}  ${pct(p.precision).padStart(5)}  ${pct(p.recall).padStart(5)}  ${pct(p.byType.person).padStart(5)}  ${pct(p.byType.organization).padStart(5)}  ${pct(p.byType.place).padStart(5)}  ${((p.f1 - f0) * 100 >= 0 ? '+' : '') + ((p.f1 - f0) * 100).toFixed(1).padStart(5)}`,
    );
  }
  return lines.join('\n');
}

/** The development sets of the learning curve (skipped when absent): CoNLL-2003 dev, and UNER English-EWT (web text, gold). */
export const CURVE_FILES = ['../shared/data/conll2003-dev.jsonl', '../shared/data/uner-en-ewt-train.jsonl'];

/** Runs and prints the learning curve of each file that exists (`npm run eval`). */
export async function runLearningCurves(model: string | undefined, files: readonly string[] = CURVE_FILES): Promise<CurveResult[]> {
  const out: CurveResult[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const docs = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EntityDoc);
    const r = await learningCurve(file, docs, model);
    console.log(`\n${formatCurve(r)}`);
    out.push(r);
  }
  return out;
}
