import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, oneOf, parse, str } from './args';
import { display, sidecarPathFor, writeFileAtomic } from './io';
import { loadSource } from './sources';
import { IMPORT_FORMATS } from '../core/interchange/export';
import { importIntoSidecar, readInterchange } from '../core/interchange/import';
import { serializeSidecar } from '../core/sidecar/codec';
import { hashText } from '../core/sidecar/hash';
import { ulidFactory } from '../core/sidecar/ulid';

export const IMPORT_HELP = `Usage: marginalia import --format w3c|brat --source SOURCE [options] FILE

Import annotations from FILE into SOURCE's sidecar (SOURCE.marginalia.yaml), anchored against the
current text of SOURCE. Ids in FILE are kept, so importing an export of the same sidecar changes
nothing, and an annotation with a known id is updated in place. Entity and quotation records in
FILE are skipped (recognition recomputes them).

Options:
  --format F       w3c (JSON-LD: a collection, a page, a list or one annotation) or brat (.ann)
  --source SOURCE  the source the annotations belong to (required)
  --sidecar FILE   the sidecar to write (default SOURCE.marginalia.yaml)
  --sidecar-folder DIR  sidecars are kept under DIR, mirroring the current folder's tree
                   (the marginalia.sidecar.folder setting)
  --author NAME    author for imported annotations that have none
  --dry-run        report what would change, write nothing
  -h, --help       this help

Positions in FILE are Unicode code points over the text with its BOM removed and line endings
normalised to \\n; when the text changed since FILE was written, annotations are re-found by their
quoted text and context.

Exit status: 0 ok, 1 some records could not be read or some annotations were not found in the text
(they are kept, marked orphan), 2 usage.`;

export async function runImport(argv: string[]): Promise<number> {
  const p = parse(argv, {
    format: { type: 'string', short: 'f' },
    source: { type: 'string', short: 's' },
    sidecar: { type: 'string' },
    'sidecar-folder': { type: 'string' },
    author: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (flag(p, 'help')) {
    process.stdout.write(IMPORT_HELP + '\n');
    return EXIT_OK;
  }
  const format = oneOf(str(p, 'format'), IMPORT_FORMATS, '--format');
  const source = str(p, 'source');
  if (!source) throw new UsageError('--source SOURCE is required');
  if (p.positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
  const file = p.positionals[0];
  const sidecarFile = str(p, 'sidecar') ?? sidecarPathFor(source, str(p, 'sidecar-folder'));
  let content: string;
  try {
    content = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const loaded = await loadSource(source, sidecarFile);
  // A sidecar of a newer format is read-only: never rewritten by an older Marginalia.
  if (loaded.parsed?.readOnly) throw new InputError(`${display(sidecarFile)}: ${loaded.parsed.readOnly} Nothing was imported.`);
  const rel = path.relative(path.dirname(sidecarFile), source).split(path.sep).join('/');
  const read = readInterchange(format, content, loaded.text, rel);
  const now = new Date().toISOString();
  const result = importIntoSidecar(loaded.sidecar, read, loaded.text, ulidFactory(), { author: str(p, 'author'), now });
  const sidecar = { ...result.sidecar, hash: hashText(loaded.text) };
  for (const w of result.warnings) process.stderr.write(`marginalia import: ${display(file)}: ${w}\n`);
  const summary = `${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged` +
    (result.orphans.length ? `, ${result.orphans.length} not found in the text (kept as orphans)` : '') +
    (result.skipped ? `, ${result.skipped} recognition record(s) skipped` : '');
  if (!flag(p, 'dry-run') && (result.added.length || result.updated.length)) {
    await fsp.mkdir(path.dirname(sidecarFile), { recursive: true });
    await writeFileAtomic(sidecarFile, serializeSidecar(sidecar, loaded.parsed?.doc));
  }
  process.stderr.write(`${display(sidecarFile)}: ${summary}${flag(p, 'dry-run') ? ' (dry run)' : ''}\n`);
  return result.warnings.length || result.orphans.length ? EXIT_FINDINGS : EXIT_OK;
}
