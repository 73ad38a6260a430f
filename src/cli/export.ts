import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, oneOf, parse, str } from './args';
import { ExportError, StagedWrite, exportFsMessage, readHead } from './exportWrite';
import { Progress, display, isSourceFile, readSource, walk } from './io';
import type { RecognizeOptions } from './recognize';
import { analyzeLoaded, loadSource } from './sources';
import { Workspaces, workspaceClaimSettings } from './nodeFs';
import { checkModel, write } from './scan';
import { claimInput, exportSource, EXPORT_FORMATS, MD_LAYOUTS, type ExportFormat, type ExportOptions, type MdLayout } from '../core/interchange/export';
import { anchorEvidence, type EvidenceOrphan } from '../core/claims/evidence';
import { buildClaimReviews, reviewedClaims } from '../core/claims/claimreview';
import { verdictRatingsFrom } from '../core/claims/details';
import { bratAnnotationConf } from '../core/interchange/brat';
import { MARKER_HEAD_CHARS, isOwnBratConf, isOwnBratText, isOwnExport } from '../core/interchange/marker';
import type { ExportSource } from '../core/interchange/model';
import { bratAnnForText, planExportOutputs, type PlannedFile } from '../core/project/exportPlan';
import { jsonSafe, terminalSafe } from '../core/text/escape';

export const EXPORT_HELP = `Usage: marginalia export --format w3c|brat|csv|md|claimreview [--out DIR] [options] SOURCE...

Export each source's annotations (its sidecar SOURCE.marginalia.yaml, re-anchored against the
current text) together with the recognised entities and quotations.

Formats:
  w3c    W3C Web Annotation JSON-LD (AnnotationCollection; TextQuoteSelector + TextPositionSelector)
  brat   brat standoff .ann (with --out, the .txt brat pairs with it and an annotation.conf)
  csv    RFC 4180 CSV, one row per annotation, entity mention and quotation
  md     a Markdown report: annotations, quotations by speaker, entity index
         (--layout factcheck: a fact-check draft: each claim with a verdict, who said it,
         when and where, and its evidence as footnoted quotations linked to their sources)
  claimreview  schema.org ClaimReview JSON-LD, one per claim with a verdict (a.txt →
         a.txt.claimreview.jsonld): the verdict's rating, the claimant, date and appearance,
         the evidence as citations. A claim missing a field search engines require is left
         out and named on stderr (exit 1)
Positions (w3c, brat, csv) are Unicode code points over the text with its BOM removed and line
endings normalised to \\n.

Options:
  --format F         the format (required)
  --out DIR          write one file per source into DIR (created if missing), named after the
                     WHOLE source name: a.txt → DIR/a.txt.jsonld, .ann (+ a.txt.txt, the text
                     brat pairs with it, and DIR/annotation.conf), .csv or .md; the source's path
                     is kept below DIR (sources outside the current folder: below their common
                     folder). An existing file is replaced only if it is Marginalia's own export
                     of that format; otherwise nothing is written. Files are written all or none.
                     Without --out the one SOURCE goes to stdout (csv and md also accept several:
                     csv with one header row at the top, md separated by ---)
  --sidecar FILE     the sidecar to read (one SOURCE only; default SOURCE.marginalia.yaml)
  --sidecar-folder DIR  sidecars are kept under DIR, mirroring the current folder's tree
                     (the marginalia.sidecar.folder setting)
  --layout L         md only: report (default) or factcheck
  --publisher-name N, --publisher-url URL   claimreview and factcheck: who publishes the review
                     and the review's address (default: marginalia.publisher.name and
                     marginalia.publisher.url in the workspace's .vscode/settings.json; the
                     verdict ratings come from marginalia.annotations.verdictRatings there)
  --no-recognition   the user's annotations only
  --model FILE | --no-model | --date ISO   recognition options, as for scan
  -h, --help         this help

Exit status:
  0  ok
  1  some annotations or evidence links are orphaned (exported with their last known text;
     left out of brat), a claim lacks a field ClaimReview requires (named on stderr), or
     nothing was written: an output exists and is not Marginalia's own export of that format
     (or is a link, a folder, a source), two sources would be exported to the same file, or a
     file could not be written (permission denied, disk full: the partial files are removed)
  2  usage: a bad option, a missing SOURCE, a SOURCE that is not a regular file (a FIFO or a
     device), --out naming a file or a path under a file, an unreadable or malformed sidecar`;

/** The export command line, checked. */
interface ExportArgs {
  format: ExportFormat;
  sources: string[];
  outDir?: string;
  sidecarFile?: string;
  layout: MdLayout;
  /** The output is about claims (ClaimReview, the fact-check draft): publisher and ratings needed. */
  claims: boolean;
  recognition: boolean;
  ropts: RecognizeOptions;
  workspace?: string;
  sidecarFolder?: string;
  publisherName?: string;
  publisherUrl?: string;
}

export async function runExport(argv: string[]): Promise<number> {
  const args = parseExportArgs(argv);
  if (!args) {
    process.stdout.write(EXPORT_HELP + '\n');
    return EXIT_OK;
  }
  if (args.recognition) checkModel(args.ropts);
  const workspaces = new Workspaces(args.workspace, { sidecarFolder: args.sidecarFolder });
  const sources = await collectSources(args.sources);
  if (sources.length === 0) throw new UsageError('no source files found');
  const prep = new SourcePreparer(args, workspaces);
  return args.outDir ? exportToFiles(args, args.outDir, sources, prep) : exportToStdout(args, sources, prep);
}

/** The checked command line; undefined for --help. */
function parseExportArgs(argv: string[]): ExportArgs | undefined {
  const p = parse(argv, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    sidecar: { type: 'string' },
    'sidecar-folder': { type: 'string' },
    workspace: { type: 'string', short: 'w' },
    'no-recognition': { type: 'boolean' },
    model: { type: 'string' },
    'no-model': { type: 'boolean' },
    date: { type: 'string' },
    layout: { type: 'string' },
    'publisher-name': { type: 'string' },
    'publisher-url': { type: 'string' },
  });
  if (flag(p, 'help')) return undefined;
  const format = oneOf(str(p, 'format'), EXPORT_FORMATS, '--format');
  if (p.positionals.length === 0) throw new UsageError('export needs at least one SOURCE');
  const outDir = str(p, 'out');
  const sidecarFile = str(p, 'sidecar');
  if (sidecarFile && p.positionals.length !== 1) throw new UsageError('--sidecar takes one SOURCE');
  const layoutGiven = str(p, 'layout');
  const layout = layoutGiven === undefined ? 'report' : oneOf(layoutGiven, MD_LAYOUTS, '--layout');
  if (layoutGiven !== undefined && format !== 'md') throw new UsageError('--layout is for --format md');
  const concatenable = format === 'csv' || format === 'md';
  if (!outDir && p.positionals.length > 1 && !concatenable) {
    throw new UsageError(`--format ${format} writes one file per source: give --out DIR for several sources`);
  }
  return {
    format,
    sources: p.positionals,
    outDir,
    sidecarFile,
    layout,
    claims: format === 'claimreview' || layout === 'factcheck',
    recognition: !flag(p, 'no-recognition'),
    ropts: { model: flag(p, 'no-model') ? false : str(p, 'model'), documentDate: str(p, 'date') },
    workspace: str(p, 'workspace'),
    sidecarFolder: str(p, 'sidecar-folder'),
    publisherName: str(p, 'publisher-name'),
    publisherUrl: str(p, 'publisher-url'),
  };
}

/**
 * Loads and recognises the sources one by one, reporting orphans and what claims lack on stderr;
 * keeps the exit status and the verdicts seen (for brat's annotation.conf).
 */
class SourcePreparer {
  status = EXIT_OK;
  readonly verdicts = new Set<string>();
  readonly progress = new Progress('export');

  constructor(
    private readonly args: ExportArgs,
    private readonly workspaces: Workspaces,
  ) {}

  warn(m: string): void {
    process.stderr.write(`marginalia export: ${terminalSafe(m)}\n`);
  }

  /** Loads and recognises one source (reporting orphans), with the export options of its workspace. */
  async prepare(file: string, n: number): Promise<{ src: ExportSource; text: string; options: ExportOptions }> {
    const { format, recognition, ropts, claims } = this.args;
    this.progress.tick(n);
    await assertRegularFile(file);
    const loaded = await loadSource(this.workspaces, file, undefined, this.args.sidecarFile);
    // Evidence links re-anchored on their own sources' current texts (each read once).
    const hasEvidence = loaded.sidecar.annotations.some((a) => a.evidence?.length);
    const anchored = hasEvidence && format !== 'brat' && format !== 'csv' ? await anchorEvidence(loaded.project, loaded) : undefined;
    const sidecar = anchored ? anchored.sidecar : loaded.sidecar;
    const src: ExportSource = {
      path: display(file),
      text: loaded.text,
      annotations: sidecar.annotations,
      orphans: loaded.orphans,
      // The user's recognition corrections (in the sidecar) win over the recognisers.
      analysis: recognition ? await analyzeLoaded(loaded, ropts, this.args.workspace !== undefined) : undefined,
      sidecar,
    };
    if (anchored) src.evidenceTexts = anchored.texts;
    this.reportOrphans(loaded.sidecarFile, loaded.orphans.size, anchored?.orphans ?? []);
    for (const a of src.annotations) if (a.verdict) this.verdicts.add(a.verdict);
    const options = this.optionsFor(loaded.project.root);
    if (claims && reportClaims(src, options, format === 'claimreview', (m) => this.warn(m))) this.status = EXIT_FINDINGS;
    return { src, text: loaded.text, options };
  }

  private reportOrphans(sidecarFile: string, orphans: number, evidence: readonly EvidenceOrphan[]): void {
    if (orphans) {
      this.status = EXIT_FINDINGS;
      this.warn(`${display(sidecarFile)}: ${orphans} orphaned annotation(s)` +
          (this.args.format === 'brat' ? ' left out (brat needs a position)' : ' exported with their last known text'));
    }
    for (const o of evidence) {
      this.status = EXIT_FINDINGS;
      this.warn(`${display(sidecarFile)}: annotation ${o.annotationId}: evidence ${o.index + 1} in ${o.source} is orphaned (${o.reason === 'text-gone' ? 'its text is no longer there' : o.message ?? 'the source cannot be read'}); exported with its last known text`);
    }
  }

  /** The export options of a source's workspace: its settings, the command line's flags winning. */
  private optionsFor(root: string): ExportOptions {
    const options: ExportOptions = { layout: this.args.layout };
    if (!this.args.claims) return options;
    const settings = workspaceClaimSettings(root);
    const name = this.args.publisherName ?? settings.publisherName;
    const url = this.args.publisherUrl ?? settings.publisherUrl;
    options.publisher = {};
    if (name !== undefined) options.publisher.name = name;
    if (url !== undefined) options.publisher.url = url;
    const r = verdictRatingsFrom(settings.verdictRatings);
    for (const m of r.problems) this.warn(`${path.join(root, '.vscode', 'settings.json')}: marginalia.annotations.${m}`);
    options.ratings = r.ratings;
    return options;
  }
}

/** To stdout: csv gets one header row at the top, md sections are separated by a rule. */
async function exportToStdout({ format }: ExportArgs, sources: readonly string[], prep: SourcePreparer): Promise<number> {
  for (let i = 0; i < sources.length; i++) {
    const { src, options } = await prep.prepare(sources[i], i + 1);
    const body = exportSource(format, src, { ...options, header: i === 0 });
    // JSON (w3c, claimreview, and md's marker line) with DEL, C1 and bidi characters as \u escapes; the md report escapes all text itself.
    const shown = format === 'w3c' || format === 'md' || format === 'claimreview' ? jsonSafe(body) : body;
    await write(process.stdout, i > 0 && format === 'md' ? '\n---\n\n' + shown : shown);
  }
  prep.progress.done();
  return prep.status;
}

/** To files: plan every name, check every existing file, then write all or nothing. */
async function exportToFiles({ format }: ExportArgs, outDir: string, sources: string[], prep: SourcePreparer): Promise<number> {
  await checkOutDir(outDir);
  const rel = (f: string): string => path.relative(process.cwd(), path.resolve(f)).split(path.sep).join('/') || '.';
  const plan = planExportOutputs(sources.map(rel), format, rel(outDir), { caseInsensitive: process.platform === 'darwin' || process.platform === 'win32' });
  const problems = [...plan.errors];
  if (!problems.length) for (const x of await checkExisting(plan.outputs.map((o) => ({ source: sources[o.index], files: o.files })), plan.shared, format, sources)) problems.push(x);
  if (problems.length) return refuse(problems);

  const staged = new StagedWrite(display);
  const modes = await existingModes([...plan.outputs.flatMap((o) => o.files), ...plan.shared]);
  try {
    let n = 0;
    for (const o of plan.outputs) {
      const { src, text, options } = await prep.prepare(sources[o.index], ++n);
      for (const f of o.files) {
        const abs = path.resolve(f.path);
        // Every file gets its CSV header row (also when several sources go to one folder).
        const body = f.role === 'brat-text' ? text : exportSource(format, src, { ...options, header: true });
        await staged.stage(abs, format === 'claimreview' ? jsonSafe(body) : body, modes.get(abs));
      }
    }
    for (const f of plan.shared) {
      const abs = path.resolve(f.path);
      await staged.stage(abs, bratAnnotationConf(prep.verdicts), modes.get(abs));
    }
    prep.progress.done();
    await staged.commit();
  } catch (e) {
    prep.progress.done();
    await staged.rollback();
    if (e instanceof ExportError) return refuse([e.message]);
    throw e;
  }
  return prep.status;
}

/**
 * Reports, per claim, what a ClaimReview lacks: a required field (the claim is left out of the
 * ClaimReview file: true is returned, exit 1) or a recommended one (a note). For the fact-check
 * draft (`strict` false) only the notes on who, when and where are given, and nothing fails.
 */
function reportClaims(src: ExportSource, options: ExportOptions, strict: boolean, warn: (m: string) => void): boolean {
  const claims = reviewedClaims(src.annotations);
  if (claims.length === 0) {
    warn(`${src.path}: no claim has a verdict${strict ? ': the ClaimReview file holds no review' : ''}`);
    return false;
  }
  if (!strict) return false;
  let missing = false;
  for (const b of buildClaimReviews(claimInput(src, options))) {
    for (const pr of b.problems) {
      if (pr.level === 'required') missing = true;
      warn(`${src.path}: claim ${b.id}: ${pr.level === 'required' ? 'missing' : 'recommended'} ${pr.field}: ${pr.message}${pr.level === 'required' ? ' (left out of the ClaimReview file)' : ''}`);
    }
  }
  return missing;
}

/** Prints why nothing was written; exit 1. */
function refuse(problems: string[]): number {
  for (const m of problems) process.stderr.write(`marginalia export: ${terminalSafe(m)}\n`);
  process.stderr.write('marginalia export: nothing was written\n');
  return EXIT_FINDINGS;
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** A source must be a regular file (a FIFO would block the read for ever, a device never end). */
async function assertRegularFile(file: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(file);
  } catch (e) {
    throw new InputError(exportFsMessage(e, 'read', display(file)));
  }
  if (!st.isFile()) throw new InputError(`${display(file)} is ${kindOf(st)}, not a regular file: export reads regular files (and folders of them) only`);
}

/**
 * The source files: each SOURCE that is a file, and the source files (.txt, .md) below each that
 * is a folder — leaving out, in folders, Marginalia's own exports (a Markdown report, a brat text
 * copy), which are not sources. A SOURCE that is neither a file nor a folder is refused.
 */
async function collectSources(positionals: string[]): Promise<string[]> {
  const given = new Set<string>();
  for (const g of positionals) {
    let st: fs.Stats;
    try {
      st = await fsp.stat(g);
    } catch (e) {
      throw new InputError(exportFsMessage(e, 'read', g));
    }
    if (st.isFile()) given.add(path.resolve(g));
    else if (!st.isDirectory()) throw new InputError(`${g} is ${kindOf(st)}, not a regular file: export reads regular files (and folders of them) only`);
  }
  const out: string[] = [];
  try {
    for await (const f of walk(positionals, isSourceFile)) {
      if (given.has(path.resolve(f)) || !(await isOwnExportFile(f))) out.push(f);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(exportFsMessage(e, 'read', (e as { path?: string }).path ?? positionals.join(' ')));
  }
  return out;
}

/** A file found in a folder that a previous export wrote: a Markdown report or a brat text copy. */
async function isOwnExportFile(file: string): Promise<boolean> {
  try {
    const lower = file.toLowerCase();
    if (lower.endsWith('.md') || lower.endsWith('.markdown')) return isOwnExport('md', await readHead(file, 4096));
    const ann = bratAnnForText(file);
    if (!ann) return false;
    const annSt = await fsp.lstat(ann).catch(() => undefined);
    if (!annSt?.isFile()) return false;
    const annHead = await readHead(ann, MARKER_HEAD_CHARS);
    if (!isOwnExport('brat', annHead)) return false;
    return isOwnBratText(await fsp.readFile(file, 'utf8'), annHead);
  } catch {
    return false;
  }
}

/** `--out` must be a folder, or a path where one can be created. */
async function checkOutDir(outDir: string): Promise<void> {
  const notUnder = (d: string): InputError =>
    new InputError(`--out ${outDir}: ${display(d)} is a file, so no folder can be created there; give a folder (it is created if missing)`);
  try {
    const st = await fsp.stat(outDir);
    if (!st.isDirectory()) throw new InputError(`--out ${outDir} is ${st.isFile() ? 'a file' : kindOf(st)}, not a folder: give a folder (it is created if missing)`);
    return;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new InputError(exportFsMessage(e, 'use the --out folder', outDir));
  }
  // Missing: the nearest existing ancestor must be a folder.
  for (let d = path.dirname(path.resolve(outDir)); ; d = path.dirname(d)) {
    const st = await fsp.stat(d).catch(() => undefined);
    if (st) {
      if (!st.isDirectory()) throw notUnder(d);
      return;
    }
    if (path.dirname(d) === d) return;
  }
}

/**
 * Every planned file that exists must be Marginalia's own export of the same kind, a regular file
 * (not a link, folder or device) and not one of the sources. Returns the problems (empty: go).
 */
async function checkExisting(outputs: { source: string; files: PlannedFile[] }[], shared: PlannedFile[], format: ExportFormat, sources: string[]): Promise<string[]> {
  const problems: string[] = [];
  const sourceIds = new Set<string>();
  for (const s of sources) {
    const st = await fsp.stat(s).catch(() => undefined);
    if (st) sourceIds.add(`${st.dev}:${st.ino}`);
  }
  const what = (f: PlannedFile): string => (f.role === 'brat-conf' ? 'the brat annotation.conf Marginalia writes' : f.role === 'brat-text' ? 'a brat text copy Marginalia wrote' : `a Marginalia ${format} export`);
  const check = async (f: PlannedFile, source?: string, siblingAnn?: string): Promise<void> => {
    const abs = path.resolve(f.path);
    const name = display(abs);
    let st: fs.Stats;
    try {
      st = await fsp.lstat(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      problems.push(exportFsMessage(e, 'write', name));
      return;
    }
    if (st.isSymbolicLink()) problems.push(`${name} is a symbolic link: not replaced; remove it or choose another --out folder`);
    else if (!st.isFile()) problems.push(`${name} exists and is ${kindOf(st)}: not replaced; move it away or choose another --out folder`);
    else if (sourceIds.has(`${st.dev}:${st.ino}`)) problems.push(`${name} is one of the sources: not replaced; choose another --out folder`);
    else {
      let ours = false;
      try {
        const head = await readHead(abs, MARKER_HEAD_CHARS);
        if (f.role === 'brat-conf') ours = isOwnBratConf(head);
        else if (f.role === 'export') ours = isOwnExport(format, head);
        else if (st.size <= 512 * 1024 * 1024) {
          const annHead = siblingAnn ? await readHead(siblingAnn, MARKER_HEAD_CHARS).catch(() => undefined) : undefined;
          const content = await fsp.readFile(abs, 'utf8');
          ours = isOwnBratText(content, annHead) || (source !== undefined && isOwnBratText(content, undefined, await readSource(source)));
        }
      } catch (e) {
        problems.push(exportFsMessage(e, 'read', name));
        return;
      }
      if (!ours) problems.push(`${name} exists and is not ${what(f)}: not replaced; move it away or choose another --out folder`);
    }
  };
  for (const o of outputs) {
    const ann = o.files.find((f) => f.role === 'export');
    for (const f of o.files) await check(f, o.source, f.role === 'brat-text' && ann ? path.resolve(ann.path) : undefined);
  }
  for (const f of shared) await check(f);
  return problems;
}

/** Permission bits of the files about to be replaced (kept by the new versions). */
async function existingModes(files: PlannedFile[]): Promise<Map<string, number>> {
  const modes = new Map<string, number>();
  for (const f of files) {
    const abs = path.resolve(f.path);
    const st = await fsp.lstat(abs).catch(() => undefined);
    if (st?.isFile()) modes.set(abs, st.mode & 0o7777);
  }
  return modes;
}
