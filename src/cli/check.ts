import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, flag, parse, positiveInt, str } from './args';
import { Progress, display, isSidecarFile, sidecarPathFor, walk } from './io';
import { defaultJobs, mapOrdered } from './pool';
import { write } from './scan';
import { LineIndex } from '../core/interchange/codepoints';
import { placeTargets } from '../core/interchange/anchoring';
import { parseSidecar } from '../core/sidecar/codec';
import { normalizeText } from '../core/sidecar/model';

export const CHECK_HELP = `Usage: marginalia check [options] [PATH...]

Validate every sidecar (*.marginalia.yaml) under the PATHs (default: the current folder) for a
repository's CI: each must parse and match the sidecar schema, its source must exist, and every
annotation and correction must still be found in the source's current text. Unresolved merge
conflicts (a \`conflict:\` entry left by the merge driver) are reported too. A PATH may be a folder,
a sidecar, or a source (its sidecar is checked).

Findings are printed as FILE:LINE:COLUMN: error|warning: MESSAGE (one per line, for CI problem
matchers); --json prints {"files":[{"path","ok","findings":[{"line","column","severity","code","message","id"?}]}]}.

Options:
  --json          machine-readable output
  --quiet         print findings only (no summary)
  --jobs N        worker threads (default: ${defaultJobs()} here — none below 3 cores; 0 = this thread)
  -h, --help      this help

Exit status: 0 every sidecar is valid and fully anchored, 1 any finding, 2 usage.`;

export interface Finding {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  code: 'malformed' | 'schema' | 'no-source' | 'orphan' | 'conflict' | 'unreadable';
  message: string;
  id?: string;
}

export interface CheckResult {
  path: string;
  annotations: number;
  findings: Finding[];
}

function clip(s: string, n = 40): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? flat.slice(0, n - 1) + '…' : flat;
}

/** Checks one sidecar file. Pure of side effects except reading. */
export interface CheckTask {
  file: string;
  /** Sources must resolve inside this folder (the PATH given, or the current folder). */
  root: string;
}

export async function checkSidecar(task: CheckTask): Promise<CheckResult> {
  const file = task.file;
  const res: CheckResult = { path: display(file), annotations: 0, findings: [] };
  let raw: string;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (e) {
    res.findings.push({ line: 1, column: 1, severity: 'error', code: 'unreadable', message: `cannot read: ${(e as Error).message}` });
    return res;
  }
  const parsed = parseSidecar(raw);
  if (!parsed.ok) {
    const e = parsed.error;
    res.findings.push({ line: e.line, column: e.column, severity: 'error', code: e.code === 'schema' || e.code === 'duplicate-id' ? 'schema' : 'malformed', message: e.message });
    return res;
  }
  const { sidecar, doc } = parsed.value;
  const lines = new LineIndex(raw);
  const lineOf = (keyPath: (string | number)[]): { line: number; column: number } => {
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.position(node.range[0]) : { line: 1, column: 1 };
  };
  res.annotations = sidecar.annotations.length;
  const sourceFile = path.resolve(path.dirname(file), sidecar.source);
  const inside = path.relative(path.resolve(task.root), sourceFile);
  if (path.isAbsolute(sidecar.source) || inside.startsWith('..') || path.isAbsolute(inside)) {
    res.findings.push({ ...lineOf(['source']), severity: 'error', code: 'no-source', message: `source "${sidecar.source}" must be a relative path inside ${display(path.resolve(task.root)) || '.'}` });
    return res;
  }
  let text: string;
  try {
    text = normalizeText(await fsp.readFile(sourceFile, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    res.findings.push({
      ...lineOf(['source']),
      severity: 'error',
      code: 'no-source',
      message: code === 'ENOENT' ? `source "${sidecar.source}" not found (${display(sourceFile)})` : `cannot read source "${sidecar.source}": ${code ?? (e as Error).message}`,
    });
    return res;
  }
  for (const key of ['annotations', 'corrections'] as const) {
    const what = key === 'annotations' ? 'annotation' : 'correction';
    const placed = placeTargets(text, sidecar[key].map((a) => a.target));
    sidecar[key].forEach((a, i) => {
      if (a.conflict) {
        res.findings.push({ ...lineOf([key, i, 'conflict']), severity: 'error', code: 'conflict', id: a.id, message: `${what} ${a.id} has an unresolved merge conflict: keep one version and delete its \`conflict:\` entry` });
      }
      if (placed[i].orphan) {
        res.findings.push({ ...lineOf([key, i]), severity: 'error', code: 'orphan', id: a.id, message: `${what} ${a.id} is orphaned: "${clip(a.target.exact)}" is no longer in ${sidecar.source}` });
      }
    });
  }
  return res;
}

async function folderOf(p: string): Promise<string> {
  try {
    return (await fsp.stat(p)).isDirectory() ? path.resolve(p) : path.resolve(path.dirname(p));
  } catch {
    return path.resolve(path.dirname(p));
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

export async function runCheck(argv: string[]): Promise<number> {
  const p = parse(argv, { json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, jobs: { type: 'string' } });
  if (flag(p, 'help')) {
    process.stdout.write(CHECK_HELP + '\n');
    return EXIT_OK;
  }
  const roots = p.positionals.length ? p.positionals : ['.'];
  const jobs = positiveInt(str(p, 'jobs'), '--jobs') ?? defaultJobs();
  const json = flag(p, 'json');
  const files = (async function* () {
    for (const root of roots) {
      const base = await folderOf(root);
      // A sidecar may point up into the checked folder's parent tree only as far as the current folder.
      const limit = isInside(process.cwd(), base) ? process.cwd() : base;
      for await (const f of walk([root], isSidecarFile, () => true)) yield { file: isSidecarFile(f) ? f : sidecarPathFor(f), root: limit } as CheckTask;
    }
  })();
  const progress = new Progress('check');
  let n = 0;
  let bad = 0;
  let findings = 0;
  let annotations = 0;
  if (json) process.stdout.write('{"files":[');
  for await (const r of mapOrdered(files, checkSidecar, { jobs, task: 'check' })) {
    progress.tick(++n);
    annotations += r.annotations;
    if (r.findings.length) {
      bad++;
      findings += r.findings.length;
    }
    if (json) {
      await write(process.stdout, (n > 1 ? ',\n' : '\n') + JSON.stringify({ path: r.path, ok: r.findings.length === 0, findings: r.findings }));
    } else {
      for (const f of r.findings) await write(process.stdout, `${r.path}:${f.line}:${f.column}: ${f.severity}: ${f.message}\n`);
    }
  }
  progress.done();
  if (json) process.stdout.write('\n]}\n');
  else if (!flag(p, 'quiet')) {
    process.stderr.write(
      n === 0
        ? 'marginalia check: no sidecars found\n'
        : `marginalia check: ${n} sidecar(s), ${annotations} annotation(s): ${findings ? `${findings} finding(s) in ${bad} file(s)` : 'all valid'}\n`,
    );
  }
  return findings ? EXIT_FINDINGS : EXIT_OK;
}
