/**
 * `marginalia quotes` — every quotation compared, word by word, with the primary sources (and, where
 * none matches, with the same quotation in the other sources given): verbatim, marked-edit, altered,
 * spliced or unmatched, with the matched locations and the word diff. The core does the work
 * (src/core/quotecheck); this file finds the files, loads and recognises them as `scan` does, and
 * prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, parse, str } from './args';
import { display, isSidecarFile, isSourceFile, readSource, walk } from './io';
import { Workspaces, nodeFs, workspaceSettings } from './nodeFs';
import { terminalText } from './output';
import { checkModel, scanFile, write } from './scan';
import type { RecognizeOptions } from './recognize';
import { LineIndex } from '../core/interchange/codepoints';
import {
  DEFAULT_PRIMARY_SOURCES,
  PRIMARY_LIST_PATH,
  QuoteIndex,
  isPrimarySource,
  matchesGlob,
  readPrimaryListAt,
  type QuoteCheck,
  type QuoteStatus,
} from '../core/quotecheck';
import { clip, jsonSafe, terminalSafe } from '../core/text/escape';

export const QUOTES_HELP = `Usage: marginalia quotes [--json] [--primary GLOB_OR_FILE]... [--check] [options] PATH...

Compare every quotation in the sources under the PATHs (files, or folders searched for .txt and
.md files), word by word, with the primary sources — a transcript, a statement, a press release —
and, where none matches, with the same quotation in the other sources given. Each quotation gets a
status:
  verbatim     the words appear contiguously in a primary source (quotation marks, apostrophes,
               dashes, spacing, case and edge punctuation aside; part of a sentence counts)
  marked-edit  omissions marked with an ellipsis (… or ...) and changes in [square brackets] only
  altered      words inserted, deleted or substituted without a mark
  spliced      parts that are not adjacent in the source joined without an ellipsis
  unmatched    nothing comes close (quotations of 1–2 words are not checked; 3 words only verbatim)

Primary sources: the files of each source's workspace matching the marginalia.primarySources setting
(.vscode/settings.json; default ${DEFAULT_PRIMARY_SOURCES.join(', ')}), those listed in
${PRIMARY_LIST_PATH} (one workspace-relative path a line: "Mark as Primary Source" in the editor),
and every --primary FILE, FOLDER or GLOB (relative to the current folder or the workspace).
Quotations in primary sources are not checked: they are the record.

Options:
  --json            print {"quotes":[{"path","start","end","text","speaker":{"name","canonical"}|null,
                    "status","against","short","matches":[{"path","start","end","status","parts",
                    "diff":[{"op":"equal|insert|delete","text","mark"?}]}],"elsewhere":[...]}]}
                    ("elsewhere": the same quotation in the other sources given; UTF-16 offsets into
                    each file's text with its BOM removed and line endings normalised to \\n;
                    "insert" = words only in the quotation, "delete" = source words left out)
  --primary X       a primary source in addition to the setting (repeatable)
  --check           exit 1 when any quotation is altered or spliced (for CI)
  --workspace DIR   the workspace (default: the nearest folder above each file holding .marginalia/
                    or .git, else the current folder)
  --model FILE      use this tagger model instead of the shipped media/model/ner.bin
  --no-model        rules and gazetteers only
  -h, --help        this help

Exit status: 0 ok, 1 a file could not be read or (with --check) a quotation is altered or spliced,
2 usage or an unreadable input.`;

const STATUSES: readonly QuoteStatus[] = ['verbatim', 'marked-edit', 'altered', 'spliced', 'unmatched'];

interface Found {
  /** Article files (checked), in order, with the argument they were found under. */
  articles: { file: string; given: string }[];
  /** Primary source files (absolute). */
  primaries: Set<string>;
}

export async function runQuotes(argv: string[]): Promise<number> {
  const p = parse(argv, {
    json: { type: 'boolean' },
    check: { type: 'boolean' },
    primary: { type: 'string', multiple: true },
    workspace: { type: 'string', short: 'w' },
    model: { type: 'string' },
    'no-model': { type: 'boolean' },
  });
  if (flag(p, 'help')) {
    process.stdout.write(QUOTES_HELP + '\n');
    return EXIT_OK;
  }
  if (p.positionals.length === 0) throw new UsageError('quotes needs at least one FILE or FOLDER');
  const primaryArgs = (p.values.primary as string[] | undefined) ?? [];
  if (primaryArgs.some((x) => x.trim() === '')) throw new UsageError('--primary needs a file, folder or glob');
  const workspace = str(p, 'workspace');
  const workspaces = new Workspaces(workspace);
  const options: RecognizeOptions = { model: flag(p, 'no-model') ? false : str(p, 'model') };
  checkModel(options);

  const found = await findFiles(p.positionals, primaryArgs, workspaces);
  const index = new QuoteIndex();
  let failed = await indexPrimaries(index, found.primaries);
  const articles = await indexArticles(index, found.articles, options, workspace);
  failed += articles.failed;
  const counts = await printChecks(index, articles.checked, flag(p, 'json'));
  if (index.stats().primary === 0) process.stderr.write('marginalia quotes: no primary sources found (see --help: marginalia.primarySources, --primary); quotations were compared with each other only\n');
  if (failed) return EXIT_FINDINGS;
  if (flag(p, 'check') && ((counts.get('altered') ?? 0) > 0 || (counts.get('spliced') ?? 0) > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** Adds the primary sources (text files only) to the index, in path order; returns how many could not be read. */
async function indexPrimaries(index: QuoteIndex, primaries: ReadonlySet<string>): Promise<number> {
  let failed = 0;
  for (const file of [...primaries].sort()) {
    try {
      const text = await readSource(file);
      if (text.slice(0, 8192).includes('\u0000')) {
        process.stderr.write(terminalText(`marginalia quotes: ${display(file)}: not a text file; skipped as a primary source\n`));
        continue;
      }
      index.setSource(display(file), { text, primary: true });
    } catch (e) {
      failed++;
      process.stderr.write(terminalText(`marginalia quotes: ${(e as Error).message}\n`));
    }
  }
  return failed;
}

/** Recognises the articles (as `scan` does) and adds them with their quotations to the index. */
async function indexArticles(index: QuoteIndex, articles: Found['articles'], options: RecognizeOptions, workspace: string | undefined): Promise<{ checked: { path: string; text: string }[]; failed: number }> {
  const checked: { path: string; text: string }[] = [];
  let failed = 0;
  for (const { file, given } of articles) {
    const r = await scanFile({ file, options, workspace, given }, true);
    if (r.error || !r.analysis || r.text === undefined) {
      failed++;
      process.stderr.write(terminalText(`marginalia quotes: ${r.error ?? `${r.path}: no result`}\n`));
      continue;
    }
    if (r.warning) process.stderr.write(terminalText(`marginalia quotes: ${r.path}: ${r.warning}\n`));
    index.setSource(r.path, { text: r.text, primary: false, quotes: r.analysis.quotes });
    checked.push({ path: r.path, text: r.text });
  }
  return { checked, failed };
}

/** Checks every quotation of the articles and prints the results (JSON, or text and a summary); returns the count per status. */
async function printChecks(index: QuoteIndex, checked: readonly { path: string }[], json: boolean): Promise<Map<QuoteStatus, number>> {
  const out = process.stdout;
  const counts = new Map<QuoteStatus, number>(STATUSES.map((s) => [s, 0]));
  let n = 0;
  if (json) await write(out, '{"quotes":[');
  const lineIndexes = new Map<string, LineIndex>();
  const at = (file: string, offset: number) => {
    let li = lineIndexes.get(file);
    if (!li) lineIndexes.set(file, (li = new LineIndex(index.textOf(file) ?? '')));
    const pos = li.position(offset);
    return `${pos.line}:${pos.column}`;
  };
  for (const { path: file } of checked) {
    const results = index.check(file);
    for (const r of results) {
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      if (json) await write(out, (n ? ',\n' : '\n') + jsonSafe(JSON.stringify(toJson(r))));
      else await write(out, terminalText(formatCheck(r, at)));
      n++;
    }
  }
  if (json) await write(out, '\n]}\n');
  else {
    const summary = STATUSES.map((s) => `${counts.get(s)} ${s}`).join(', ');
    const prim = index.stats().primary;
    await write(out, terminalText(`${n} quotation${n === 1 ? '' : 's'} in ${checked.length} source${checked.length === 1 ? '' : 's'}: ${summary} (${prim} primary source${prim === 1 ? '' : 's'})\n`));
  }
  return counts;
}

function toJson(r: QuoteCheck) {
  return {
    path: r.path,
    start: r.start,
    end: r.end,
    text: r.text,
    speaker: r.speaker ? { name: r.speaker.name, canonical: r.speaker.canonical } : null,
    status: r.status,
    against: r.against,
    short: r.short,
    matches: r.matches.map(matchJson),
    elsewhere: r.elsewhere.map(matchJson),
  };
}

function matchJson(m: QuoteCheck['matches'][number]) {
  return { path: m.path, start: m.start, end: m.end, status: m.status, against: m.against, parts: m.parts, diff: m.diff };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** One quotation: where, status, speaker, text; then each match with its location and (unless verbatim) the diff. */
export function formatCheck(r: QuoteCheck, at: (file: string, offset: number) => string): string {
  const lines: string[] = [];
  const speaker = r.speaker ? clip(r.speaker.canonical, 28) : '—';
  const note = r.short ? ' (too short to check)' : r.against === 'other' ? ' (no primary source; compared with other sources)' : '';
  lines.push(`${terminalSafe(r.path)}:${at(r.path, r.start)}  ${pad(r.status, 11)}  ${pad(terminalSafe(speaker), 28)}  ${terminalSafe(clip(r.text, 100))}${note}`);
  for (const m of r.matches.slice(0, 3)) {
    const loc = `${terminalSafe(m.path)}:${at(m.path, m.start)}`;
    const diff = m.status === 'verbatim' ? '' : `  ${terminalSafe(diffText(m.diff))}`;
    lines.push(`    ${m.status === r.status ? '=' : '~'} ${loc} ${m.status}${diff}`);
  }
  for (const m of r.elsewhere.slice(0, 3)) {
    const diff = m.status === 'verbatim' ? '' : `  ${terminalSafe(diffText(m.diff))}`;
    lines.push(`    also quoted in ${terminalSafe(m.path)}:${at(m.path, m.start)} ${m.status}${diff}`);
  }
  return lines.join('\n') + '\n';
}

/** The diff as one line: equal text as it is, `[-deleted-]`, `{+inserted+}` (`…` marks a long run). */
export function diffText(diff: QuoteCheck['matches'][number]['diff']): string {
  return diff
    .map((d) => {
      const t = clip(d.text, d.op === 'equal' ? 60 : 80);
      if (d.op === 'equal') return t;
      return d.op === 'insert' ? `{+${t}+}` : `[-${t}-]`;
    })
    .join(' ');
}

/** The article files under the PATHs, and the primary sources (workspace settings, marked list, --primary). */
async function findFiles(paths: string[], primaryArgs: string[], workspaces: Workspaces): Promise<Found> {
  const articles: { file: string; given: string }[] = [];
  const roots = new Set<string>();
  // Marginalia's own files (.marginalia/primary-sources.txt …) are never sources.
  const own = (f: string) => path.resolve(f).split(path.sep).includes('.marginalia');
  for (const given of paths) {
    for await (const file of walk([given], (f) => isSourceFile(f) && !own(f))) {
      articles.push({ file, given });
      roots.add(workspaces.rootFor(file, given));
    }
  }
  const primaries = new Set<string>();
  const globArgs: string[] = [];
  for (const arg of primaryArgs) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(arg);
    } catch {
      st = undefined;
    }
    if (st) {
      const accept = (f: string) => !isSidecarFile(f) && !path.basename(f).startsWith('.');
      for await (const f of walk([arg], accept)) primaries.add(path.resolve(f));
    } else if (/[*?[{]/.test(arg)) globArgs.push(arg);
    else throw new InputError(`--primary ${arg}: no such file or folder`);
  }
  const globHits = new Map<string, number>(globArgs.map((g) => [g, 0]));
  for (const root of roots) {
    const globs = workspaceSettings(root).primarySources ?? [...DEFAULT_PRIMARY_SOURCES];
    const marked = new Set(await readPrimaryListAt(nodeFs, path.join(root, PRIMARY_LIST_PATH).split(path.sep).join('/')));
    for await (const f of walk([root], (file) => !isSidecarFile(file) && !own(file))) {
      const abs = path.resolve(f);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const relCwd = path.relative(process.cwd(), abs).split(path.sep).join('/');
      if (isPrimarySource(rel, globs, marked)) primaries.add(abs);
      for (const g of globArgs) {
        if (matchesGlob(rel, g) || (!relCwd.startsWith('..') && matchesGlob(relCwd, g))) {
          primaries.add(abs);
          globHits.set(g, globHits.get(g)! + 1);
        }
      }
    }
  }
  for (const [g, hits] of globHits) if (hits === 0) throw new InputError(`--primary ${g}: no file in the workspace matches it`);
  const abs = (f: string) => path.resolve(f);
  return { articles: articles.filter((a) => !primaries.has(abs(a.file))), primaries };
}
