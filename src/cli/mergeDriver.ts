import * as fsp from 'node:fs/promises';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, parse } from './args';
import { mergeSidecarsForGit, serializeGitMerge } from '../core/interchange/gitmerge';
import { DEFAULT_MAX_BYTES, parseSidecar, type ParsedSidecar } from '../core/sidecar/codec';
import { terminalSafe } from '../core/text/escape';
import { inFileConventions, replaceFile, verified } from '../core/project/writer';
import { findMarkedAncestor, nodeFs, toProjectPath, workspaceSettings } from './nodeFs';

export const MERGE_DRIVER_HELP = `Usage: marginalia merge-driver BASE OURS THEIRS [PATH]

A git merge driver for sidecars (git passes %O %A %B, and %P: the file's path, for messages).
Three-way merge by annotation id: additions from both branches are kept, an edit on one side wins
over the unchanged other side, and an annotation changed differently on both sides keeps our
version with theirs recorded in its \`conflict:\` key (\`{deleted: true}\` when one side deleted
what the other changed). Conflicts recorded by earlier merges, on either branch, are all kept:
several are a list under \`conflict:\`. A top-level key changed differently on both sides keeps ours
and is recorded in a top-level \`conflict:\` list ({key, theirs}). An id used by both an
annotation and a correction gets a new id on the item from their branch.
The result is written to OURS (atomically, keeping its permissions and line endings); it is always
a valid sidecar, never conflict markers. Our comments and key order are kept, and so are comments
their branch added to the annotations taken from it and to the top of the file; any other comment
of theirs is named on stderr.

Set up once per repository:
  .gitattributes:  *.marginalia.yaml merge=marginalia
  git config merge.marginalia.name "Marginalia sidecar merge"
  git config merge.marginalia.driver "npx marginalia merge-driver %O %A %B %P"
    (or "node /path/to/marginalia/bin/marginalia.js merge-driver %O %A %B %P")

Exit status: 0 merged cleanly; 1 the driver had to choose (conflicts recorded, an id renamed, a
comment of theirs not placed) or could not merge (OURS or THEIRS not a valid sidecar, a newer
format, a result that would not be a valid sidecar — too large, …): OURS is then left byte for byte
as it was, for a manual merge; 2 usage, or a file that cannot be read (missing, a directory, a
FIFO, no permission).`;

interface Side {
  parsed: ParsedSidecar;
  raw: string;
  mode: number;
}

/** Reads one side; null for a missing or empty base (both branches added the file). */
async function readSide(file: string, what: 'base' | 'ours' | 'theirs', name: string, maxBytes: number): Promise<Side | null> {
  const optional = what === 'base';
  let raw: string;
  let mode: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : 'not a regular file';
      throw new InputError(`${what} (${file}) is ${kind}, not a sidecar file`);
    }
    mode = st.mode & 0o7777;
    raw = await nodeFs.readText(toProjectPath(file), { strict: true });
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as { code?: string }).code === 'EILSEQ') throw new MergeInputError(`${what} (${file}) is not valid UTF-8 text`);
    const code = (e as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return null;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? (e as Error).message;
    throw new InputError(`cannot read ${what} (${file}) of ${name}: ${why}`);
  }
  if (optional && raw.trim() === '') return null; // git gives an empty base when both sides added the file
  const r = parseSidecar(raw, { maxBytes });
  if (!r.ok) {
    if (optional) {
      process.stderr.write(`marginalia merge-driver: ${terminalSafe(name)}: the base is not a valid sidecar (${terminalSafe(r.error.message)}); merging as a union\n`);
      return null;
    }
    throw new MergeInputError(`${what} (${file}) is not a valid sidecar: line ${r.error.line}: ${r.error.message}`);
  }
  return { parsed: r.value, raw, mode };
}

class MergeInputError extends Error {}

export async function runMergeDriver(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  if (flag(p, 'help')) {
    process.stdout.write(MERGE_DRIVER_HELP + '\n');
    return EXIT_OK;
  }
  if (p.positionals.length !== 3 && p.positionals.length !== 4) throw new UsageError('merge-driver takes BASE OURS THEIRS [PATH] (git: %O %A %B %P)');
  const [baseFile, oursFile, theirsFile, pathName] = p.positionals as [string, string, string, string | undefined];
  const name = pathName ?? oursFile;
  const say = (msg: string): void => {
    process.stderr.write(`marginalia merge-driver: ${terminalSafe(name)}: ${terminalSafe(msg)}\n`);
  };
  // git runs the driver at the top of the work tree: the workspace's own size limit applies, as in
  // the editor and the other commands (.vscode/settings.json, marginalia.sidecar.maxSizeMB).
  const maxBytes = workspaceSettings(findMarkedAncestor(process.cwd()) ?? process.cwd()).maxSidecarBytes ?? DEFAULT_MAX_BYTES;
  let base: Side | null;
  let ours: Side;
  let theirs: Side;
  try {
    base = await readSide(baseFile, 'base', name, maxBytes);
    ours = (await readSide(oursFile, 'ours', name, maxBytes))!;
    theirs = (await readSide(theirsFile, 'theirs', name, maxBytes))!;
  } catch (e) {
    if (e instanceof MergeInputError) {
      say(`${e.message}; leaving ours unchanged: fix it and merge by hand, then \`git add\` the file`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  const newer = [ours.parsed, theirs.parsed].find((x) => x.readOnly);
  if (newer) {
    // A side in a newer format: this Marginalia cannot write it without losing what it does not know.
    say(`${newer.readOnly ?? ''} Leaving ours unchanged for a manual merge.`);
    return EXIT_FINDINGS;
  }
  const result = mergeSidecarsForGit(base?.parsed.sidecar ?? null, ours.parsed.sidecar, theirs.parsed.sidecar);
  let text: string;
  let unplaced: { text: string; line: number }[];
  try {
    const out = serializeGitMerge(result.sidecar, base?.parsed ?? null, ours.parsed, theirs.parsed);
    text = inFileConventions(out.text, ours.raw);
    unplaced = out.unplaced;
  } catch (e) {
    say(`the merge could not be written (${(e as Error).message}); leaving ours unchanged: merge it by hand, then \`git add\` the file`);
    return EXIT_FINDINGS;
  }
  // Never write a file our own reader rejects (duplicate ids, too large, anything): ours stays as
  // it was. The check and the atomic write are the safe writer's (src/core/project/writer.ts).
  try {
    verified(text, result.sidecar, maxBytes, name);
  } catch (e) {
    say(`${(e as Error).message}; ours is left unchanged. Merge it by hand (both versions are in git: \`git show :2:<path>\` and \`git show :3:<path>\`), then \`git add\` the file`);
    return EXIT_FINDINGS;
  }
  if (text !== ours.raw) {
    try {
      await replaceFile(nodeFs, toProjectPath(oursFile), text, name, ours.mode);
    } catch (e) {
      say((e as Error).message);
      return EXIT_FINDINGS;
    }
  }
  let choices = 0;
  if (result.conflicts.length) {
    const what = { annotations: 'annotation', corrections: 'correction', top: 'key' } as const;
    const list = result.conflicts.map((c) => `${what[c.list]} ${c.id} (${c.kind})`).join(', ');
    say(`${result.conflicts.length} conflict(s) recorded as \`conflict:\` entries: ${list}. Resolve each (keep one version, delete the \`conflict:\` entry); \`marginalia check\` lists them`);
    choices++;
  }
  for (const r of result.renamed) {
    say(`the ${r.list.slice(0, -1)} ${r.from} from their branch had the id of ${r.list === 'annotations' ? 'a correction' : 'an annotation'}: it now has the id ${r.to}`);
    choices++;
  }
  for (const c of unplaced) {
    say(`theirs' comment '${c.text}' at line ${c.line} could not be placed`);
    choices++;
  }
  return choices > 0 ? EXIT_FINDINGS : EXIT_OK;
}
