import * as fsp from 'node:fs/promises';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, parse } from './args';
import { writeFileAtomic } from './io';
import { mergeSidecarsForGit } from '../core/interchange/gitmerge';
import { parseSidecar, serializeSidecar, type ParsedSidecar } from '../core/sidecar/codec';

export const MERGE_DRIVER_HELP = `Usage: marginalia merge-driver BASE OURS THEIRS

A git merge driver for sidecars (git passes %O %A %B). Three-way merge by annotation id: additions
from both branches are kept, an edit on one side wins over the unchanged other side, and an
annotation changed differently on both sides keeps our version with theirs stored in its
\`conflict:\` key (also \`conflict: {deleted: true}\` when one side deleted what the other changed).
The result is written to OURS; it is always valid YAML, never conflict markers. Our comments and
key order are kept.

Set up once per repository:
  .gitattributes:  *.marginalia.yaml merge=marginalia
  git config merge.marginalia.name "Marginalia sidecar merge"
  git config merge.marginalia.driver "npx marginalia merge-driver %O %A %B"
    (or "node /path/to/marginalia/bin/marginalia.js merge-driver %O %A %B")

Exit status: 0 merged cleanly, 1 conflicts were recorded (or OURS/THEIRS is not a valid sidecar:
OURS is then left as it was), 2 usage.`;

async function readSide(file: string, what: string, allowEmpty: boolean): Promise<ParsedSidecar | null> {
  let raw: string;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if (allowEmpty && (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  if (allowEmpty && raw.trim() === '') return null; // git gives an empty base when both sides added the file
  const r = parseSidecar(raw);
  if (!r.ok) {
    if (allowEmpty) {
      process.stderr.write(`marginalia merge-driver: base is not a valid sidecar (${r.error.message}); merging as a union\n`);
      return null;
    }
    throw new MergeInputError(`${what} (${file}) is not a valid sidecar: line ${r.error.line}: ${r.error.message}`);
  }
  return r.value;
}

class MergeInputError extends Error {}

export async function runMergeDriver(argv: string[]): Promise<number> {
  const p = parse(argv, {});
  if (flag(p, 'help')) {
    process.stdout.write(MERGE_DRIVER_HELP + '\n');
    return EXIT_OK;
  }
  if (p.positionals.length !== 3) throw new UsageError('merge-driver takes exactly BASE OURS THEIRS (git: %O %A %B)');
  const [baseFile, oursFile, theirsFile] = p.positionals;
  let base: ParsedSidecar | null;
  let ours: ParsedSidecar | null;
  let theirs: ParsedSidecar | null;
  try {
    base = await readSide(baseFile, 'base', true);
    ours = await readSide(oursFile, 'ours', false);
    theirs = await readSide(theirsFile, 'theirs', false);
  } catch (e) {
    if (e instanceof MergeInputError) {
      process.stderr.write(`marginalia merge-driver: ${e.message}; leaving ours unchanged for a manual merge\n`);
      return EXIT_FINDINGS;
    }
    throw e;
  }
  const newer = [ours!, theirs!].find((x) => x.readOnly);
  if (newer) {
    // A side in a newer format: this Marginalia cannot write it without losing what it does not know.
    process.stderr.write(`marginalia merge-driver: ${newer.readOnly} Leaving ours unchanged for a manual merge\n`);
    return EXIT_FINDINGS;
  }
  const result = mergeSidecarsForGit(base?.sidecar ?? null, ours!.sidecar, theirs!.sidecar);
  await writeFileAtomic(oursFile, serializeSidecar(result.sidecar, ours!.doc));
  if (result.conflicts.length) {
    const list = result.conflicts.map((c) => `${c.list.slice(0, -1)} ${c.id} (${c.kind})`).join(', ');
    process.stderr.write(`marginalia merge-driver: ${result.conflicts.length} conflict(s) recorded as \`conflict:\` entries: ${list}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
