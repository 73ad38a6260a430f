import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, flag, parse, str } from './args';
import { Progress, display, isSidecarFile, walk } from './io';
import { Workspaces, workspacesFor, fromProjectPath, toProjectPath } from './nodeFs';
import { defaultJobs, jobsOption, mapOrdered } from './pool';
import { write } from './scan';
import { LineIndex } from '../core/interchange/codepoints';
import { ProjectError, anchorSidecar, describeFsError, readSourceText } from '../core/project';
import { parseSidecar } from '../core/sidecar/codec';
import { SIDECAR_SUFFIX } from '../core/sidecar/model';
import { clip, jsonSafe, terminalSafe } from '../core/text/escape';

export const CHECK_HELP = `Usage: marginalia check [options] [PATH...]

Validate every sidecar (*.marginalia.yaml) under the PATHs (default: the current folder) for a
repository's CI: each must parse and match the sidecar schema, its source must exist, and every
annotation and correction must still be found in the source's current text. A sidecar belongs to
its source by its file name alone (SOURCE.marginalia.yaml; its \`source:\` field is not used to find
it), neither is read through a symbolic link out of the workspace, and the orphans reported are
exactly those export reports. Unresolved merge
conflicts (a \`conflict:\` entry left by the merge driver) are reported too. A PATH may be a folder,
a sidecar, or a source (its sidecar is checked).

Findings are printed as FILE:LINE:COLUMN: error|warning: MESSAGE (one per line, for CI problem
matchers); --json prints {"files":[{"path","ok","findings":[{"line","column","severity","code","message","id"?}]}]}.

Options:
  --json          machine-readable output
  --quiet         print findings only (no summary)
  --jobs N        worker threads, at most the cores (default: ${defaultJobs()} here — none below 3 cores; 0 = this thread)
  --workspace DIR the workspace (default: the nearest folder above each sidecar holding .marginalia/
                  or .git, else the current folder)
  --sidecar-folder DIR  sidecars are kept under DIR, mirroring the workspace's tree
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

/** One sidecar to check, with what finds its workspace (see `Workspaces`). */
export interface CheckTask {
  file: string;
  workspace?: string;
  given?: string;
  sidecarFolder?: string;
}


/**
 * Checks one sidecar file. It belongs to its source by its file name alone (never its `source:`
 * field); neither is read through a symlink that leads out of the workspace; orphans are found by
 * the same loading and anchoring as export. Reads only.
 */
export async function checkSidecar(task: CheckTask): Promise<CheckResult> {
  const file = task.file;
  const res: CheckResult = { path: display(file), annotations: 0, findings: [] };
  const fail = (code: Finding['code'], message: string, at = { line: 1, column: 1 }): CheckResult => {
    res.findings.push({ ...at, severity: 'error', code, message });
    return res;
  };
  let project;
  try {
    project = workspacesFor(task.workspace, task.sidecarFolder).projectFor(file, task.given);
  } catch (e) {
    return fail('unreadable', (e as Error).message);
  }
  const abs = toProjectPath(file);
  if (!(await project.containsReal(abs))) return fail('unreadable', `a symbolic link out of the workspace ${project.root}: not followed`);
  let raw: string;
  try {
    const info = await project.fs.stat(abs);
    if (!info) return fail('unreadable', 'cannot read: it does not exist');
    if (info.type !== 'file') return fail('unreadable', 'not a regular file (a FIFO, socket, device or folder): not read');
    raw = await project.fs.readText(abs, { strict: true });
  } catch (e) {
    return fail('unreadable', describeFsError(e, 'read', res.path));
  }
  const parsed = parseSidecar(raw, { maxBytes: project.maxSidecarBytes });
  if (!parsed.ok) {
    const e = parsed.error;
    return fail(e.code === 'schema' || e.code === 'duplicate-id' ? 'schema' : 'malformed', e.message, { line: e.line, column: e.column });
  }
  const { sidecar, doc } = parsed.value;
  const lines = new LineIndex(raw);
  const lineOf = (keyPath: (string | number)[]): { line: number; column: number } => {
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.position(node.range[0]) : { line: 1, column: 1 };
  };
  res.annotations = sidecar.annotations.length;
  const source = project.sourceFor(abs);
  if (source === undefined) {
    return fail('no-source', `not the sidecar of any source: sidecars are named SOURCE${SIDECAR_SUFFIX}${project.sidecarFolder ? ` under ${project.sidecarFolder}/` : ''}`);
  }
  const shownSource = project.display(source);
  if (!(await project.containsReal(source))) return fail('no-source', `its source ${shownSource} is a symbolic link out of the workspace: not followed`, lineOf(['source']));
  let text: string;
  try {
    text = await readSourceText(project.fs, source, shownSource);
  } catch (e) {
    const missing = e instanceof ProjectError && e.code === 'ENOENT';
    return fail('no-source', missing ? `its source ${shownSource} (by the sidecar's file name) does not exist` : (e as Error).message, lineOf(['source']));
  }
  const anchored = anchorSidecar(text, sidecar);
  if (sidecar.conflict) res.findings.push({ ...lineOf(['conflict']), severity: 'error', code: 'conflict', message: 'a top-level key has an unresolved merge conflict: keep one version and delete the top-level `conflict:` entry' });
  for (const key of ['annotations', 'corrections'] as const) {
    const what = key === 'annotations' ? 'annotation' : 'correction';
    const orphaned = key === 'annotations' ? anchored.orphans : anchored.orphanedCorrections;
    sidecar[key].forEach((a, i) => {
      if (a.conflict) {
        res.findings.push({ ...lineOf([key, i, 'conflict']), severity: 'error', code: 'conflict', id: a.id, message: `${what} ${a.id} has an unresolved merge conflict: keep one version and delete its \`conflict:\` entry` });
      }
      if (orphaned.has(a.id)) {
        res.findings.push({ ...lineOf([key, i]), severity: 'error', code: 'orphan', id: a.id, message: `${what} ${a.id} is orphaned: "${clip(a.target.exact)}" is no longer in ${shownSource}` });
      }
    });
  }
  return res;
}

export async function runCheck(argv: string[]): Promise<number> {
  const p = parse(argv, {
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    jobs: { type: 'string' },
    workspace: { type: 'string', short: 'w' },
    'sidecar-folder': { type: 'string' },
  });
  if (flag(p, 'help')) {
    process.stdout.write(CHECK_HELP + '\n');
    return EXIT_OK;
  }
  const roots = p.positionals.length ? p.positionals : ['.'];
  const jobs = jobsOption(str(p, 'jobs'));
  const workspace = str(p, 'workspace');
  const sidecarFolder = str(p, 'sidecar-folder');
  const workspaces = new Workspaces(workspace, { sidecarFolder });
  const json = flag(p, 'json');
  const files = (async function* () {
    const seen = new Set<string>();
    for (const given of roots) {
      // A folder's sidecars may live in the mirrored sidecar folder: check those too.
      const places = [given];
      if (fs.statSync(given, { throwIfNoEntry: false })?.isDirectory()) {
        const project = workspaces.projectFor(path.join(given, '.marginalia-probe'), given);
        const rel = project.relative(toProjectPath(given));
        if (project.sidecarFolder && rel !== undefined) {
          const mirrored = fromProjectPath(project.absolute(rel ? `${project.sidecarFolder}/${rel}` : project.sidecarFolder));
          if (fs.existsSync(mirrored)) places.push(mirrored);
        }
      }
      for (const place of places) {
        for await (const f of walk([place], isSidecarFile, () => true, true)) {
          // A source given by name stands for its sidecar (wherever the sidecar folder puts it).
          const file = isSidecarFile(f) ? f : fromProjectPath(workspaces.projectFor(f, given).sidecarFor(toProjectPath(f)));
          if (seen.has(path.resolve(file))) continue;
          seen.add(path.resolve(file));
          yield { file, workspace, given, sidecarFolder } as CheckTask;
        }
      }
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
      await write(process.stdout, (n > 1 ? ',\n' : '\n') + jsonSafe(JSON.stringify({ path: r.path, ok: r.findings.length === 0, findings: r.findings })));
    } else {
      // One line per finding (CI problem matchers): text from sidecars and file names shown inert, newlines as `\n`.
      for (const f of r.findings) await write(process.stdout, `${terminalSafe(`${r.path}:${f.line}:${f.column}: ${f.severity}: ${f.message}`)}\n`);
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
