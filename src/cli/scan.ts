import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, parse, str } from './args';
import { Progress, display, isSourceFile, walk } from './io';
import { isMarkedWorkspace, Workspaces, workspacesFor, toProjectPath } from './nodeFs';
import { terminalText } from './output';
import { defaultJobs, jobsOption, mapOrdered } from './pool';
import { loadModel, type RecognizeOptions } from './recognize';
import { dictionaryOf, learningOf } from './sources';
import { analyzeSource, learningKey, loadCorrections, readSourceText } from '../core/project';
import { LineIndex } from '../core/interchange/codepoints';
import type { Analysis } from '../core/types';
import { clip, jsonSafe, terminalSafe } from '../core/text/escape';

export const SCAN_HELP = `Usage: marginalia scan [--json] [options] FILE|FOLDER...

Recognise entities (people, organisations, places, groups, dates, numbers) and quotations with
their speakers, and reported speech (kind "indirect": "X said (that) ...", "according to X, ...").
Folders are searched for .txt and .md files.

Options:
  --json          print {"files":[{"path","mentions":[...],"entities":[...],"quotes":[...]}]}
                  (the core's fields; offsets are UTF-16 code units into the text with its BOM
                  removed and line endings normalised to \\n; a quote's kind is full, partial,
                  scare, block or indirect — start/end of an indirect one are the reported
                  content — with speaker, cue, and partOf: the index of the reported statement
                  a quotation-mark fragment belongs to)
  --model FILE    use this tagger model instead of the shipped media/model/ner.bin
  --no-model      rules and gazetteers only
  --date ISO      resolve relative dates against this date (default: each source's dateline)
  --jobs N        worker threads (default: ${defaultJobs()} here; 0 = this thread only)
  -w, --workspace DIR
                  the workspace (default: the nearest folder holding .marginalia/ or .git,
                  else the current folder); in a workspace given or found so (not a folder
                  taken only because a file in it was named), corrections made in any of its sidecars
                  apply to every source and the tagger learns from them, as in the editor
                  (see README, "Learning from your corrections")
  -h, --help      this help

Exit status: 0 ok, 1 a file could not be read, 2 usage.`;

export interface ScanTask {
  file: string;
  options: RecognizeOptions;
  /** `--workspace`, and the command-line argument the file was found under. */
  workspace?: string;
  given?: string;
  sidecarFolder?: string;
}

export interface ScanResult {
  path: string;
  analysis?: Analysis;
  text?: string;
  error?: string;
  /** The source was recognised, but its sidecar's corrections could not be read. */
  warning?: string;
}


/**
 * One file: read, recognise with the workspace dictionary, apply the sidecar's corrections — as the
 * editor does. Runs in a worker or in this thread.
 */
export async function scanFile(task: ScanTask, keepText = false): Promise<ScanResult> {
  const shown = display(task.file);
  try {
    const project = workspacesFor(task.workspace, task.sidecarFolder).projectFor(task.file, task.given);
    const abs = toProjectPath(task.file);
    const text = await readSourceText(project.fs, abs, shown);
    const { corrections, problem } = await loadCorrections(project, abs, text);
    // With --workspace: every sidecar's workspace-wide corrections, and the tagger adapted to them.
    const learning = task.workspace !== undefined || isMarkedWorkspace(project) ? { learning: await learningOf(project, task.options), sourceKey: learningKey(project, abs) } : {};
    const analysis = analyzeSource(text, { model: loadModel(task.options), dictionary: await dictionaryOf(project), corrections, documentDate: task.options.documentDate, ...learning });
    const r: ScanResult = keepText ? { path: shown, analysis, text } : { path: shown, analysis };
    if (problem) r.warning = `${problem} (recognised without its corrections)`;
    return r;
  } catch (e) {
    return { path: shown, error: (e as Error).message };
  }
}

export async function runScan(argv: string[]): Promise<number> {
  const p = parse(argv, {
    json: { type: 'boolean' },
    model: { type: 'string' },
    'no-model': { type: 'boolean' },
    date: { type: 'string' },
    jobs: { type: 'string' },
    workspace: { type: 'string', short: 'w' },
    'sidecar-folder': { type: 'string' },
  });
  if (flag(p, 'help')) {
    process.stdout.write(SCAN_HELP + '\n');
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('scan needs at least one FILE or FOLDER');
  const date = str(p, 'date');
  if (date !== undefined && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(date)) throw new UsageError('--date must be an ISO date (YYYY-MM-DD)');
  const options: RecognizeOptions = { model: flag(p, 'no-model') ? false : str(p, 'model'), documentDate: date };
  const jobs = jobsOption(str(p, 'jobs'));
  const workspace = str(p, 'workspace');
  const sidecarFolder = str(p, 'sidecar-folder');
  new Workspaces(workspace, { sidecarFolder }); // a bad --workspace or --sidecar-folder is a usage error before any work
  // Fail fast (exit 2) on an unusable model rather than once per file.
  checkModel(options);
  const json = flag(p, 'json');
  const keepText = !json;

  const tasks = (async function* () {
    for (const given of p.positionals) for await (const file of walk([given], isSourceFile)) yield { file, options, workspace, given, sidecarFolder } as ScanTask;
  })();
  const progress = new Progress('scan');
  let n = 0;
  let failed = 0;
  const out = process.stdout;
  if (json) out.write('{"files":[');
  for await (const r of mapOrdered(tasks, (t) => scanFile(t, keepText), { jobs, task: 'scan' })) {
    progress.tick(++n);
    if (r.error || !r.analysis) {
      failed++;
      process.stderr.write(terminalText(`marginalia: ${r.error ?? `${r.path}: no result`}\n`));
      continue;
    }
    if (r.warning) {
      failed++;
      process.stderr.write(terminalText(`marginalia: ${r.path}: ${r.warning}\n`));
    }
    if (json) {
      await write(out, (n - failed > 1 ? ',\n' : '\n') + scanJson(r.path, r.analysis));
    } else {
      await write(out, terminalText(formatTable(r.path, r.text ?? '', r.analysis)));
    }
  }
  progress.done();
  if (json) out.write('\n]}\n');
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * One file's record of `scan --json`: the core's fields as they are (a quote's `kind`, `speaker`,
 * `cue`, `parent` and `partOf` included), on one line.
 */
export function scanJson(path: string, analysis: Analysis): string {
  const rec = { path, mentions: analysis.mentions, entities: analysis.entities, quotes: analysis.quotes };
  return jsonSafe(JSON.stringify(rec));
}

/** Loads the model once in this thread; an unusable one is an input error (exit 2). */
export function checkModel(options: RecognizeOptions): void {
  try {
    loadModel(options);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** Writes respecting back-pressure (thousands of files through a pipe stay bounded). */
export function write(stream: NodeJS.WritableStream, s: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(s)) resolve();
    else stream.once('drain', () => resolve());
  });
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The readable form: entities by type with mention counts, then quotations with speakers. */
export function formatTable(file: string, text: string, a: Analysis): string {
  const lines = new LineIndex(text);
  const at = (o: number) => {
    const p = lines.position(o);
    return `${p.line}:${p.column}`;
  };
  const out: string[] = [];
  const reported = a.quotes.filter((q) => q.kind === 'indirect').length;
  const quoted = `${a.quotes.length - reported} quotations${reported ? `, ${reported} reported statements` : ''}`;
  out.push(`${terminalSafe(file)}: ${a.mentions.length} mentions of ${a.entities.length} entities, ${quoted}`);
  if (a.entities.length) {
    out.push('', '  ENTITY' + ' '.repeat(34) + 'TYPE          MENTIONS  ALSO');
    const ents = [...a.entities].sort((x, y) => x.type.localeCompare(y.type) || y.mentions.length - x.mentions.length || x.canonical.localeCompare(y.canonical));
    for (const e of ents) {
      const also = e.aliases.filter((x) => x !== e.canonical);
      const role = e.roles.length ? ` [${e.roles.join('; ')}]` : '';
      out.push(`  ${pad(clip(e.canonical, 38), 40)}${pad(e.type, 14)}${pad(String(e.mentions.length), 10)}${clip(also.join(', ') + role, 60)}`);
    }
  }
  if (a.quotes.length) {
    out.push('', '  AT        KIND     SPEAKER                   QUOTATION');
    for (const q of a.quotes) {
      const sp = q.speaker ? `${q.speaker.name}` : '—';
      out.push(`  ${pad(at(q.start), 10)}${pad(q.kind, 9)}${pad(clip(sp, 24), 26)}${clip(text.slice(q.start, q.end), 70)}`);
    }
  }
  out.push('', '');
  return out.join('\n');
}
