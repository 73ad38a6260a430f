import { EXIT_FINDINGS, EXIT_OK, InputError, UsageError, flag, oneOf, parse, str } from './args';
import { display } from './io';
import { Workspaces, fromProjectPath, nodeFs, toProjectPath } from './nodeFs';
import { terminalText } from './output';
import { IMPORT_FORMATS } from '../core/interchange/export';
import { importIntoProject, importSummary, readSourceText } from '../core/project';
import { ulidFactory } from '../core/sidecar/ulid';

export const IMPORT_HELP = `Usage: marginalia import --format w3c|brat --source SOURCE [options] FILE

Import annotations from FILE into SOURCE's sidecar (SOURCE.marginalia.yaml), anchored against the
current text of SOURCE. Importing an export of the same sidecar changes nothing, whatever its ids:
an annotation equal to one already there is left alone, and one whose id is an annotation's own
(the same text at the same place) updates it. An id already used by another annotation or by a
correction is never replaced: the imported annotation gets a new id, and a warning says so.
The sidecar is re-read and merged under a lock right before it is written, and the result is
checked with the sidecar reader first: a file it would reject is never written. Entity and
quotation records in FILE are skipped (recognition recomputes them).

Options:
  --format F       w3c (JSON-LD: a collection, a page, a list or one annotation) or brat (.ann)
  --source SOURCE  the source the annotations belong to (required)
  --sidecar FILE   the sidecar to write (default SOURCE.marginalia.yaml)
  --sidecar-folder DIR  sidecars are kept under DIR, mirroring the workspace's tree
                   (the marginalia.sidecar.folder setting)
  --workspace DIR  the workspace (default: the nearest folder above SOURCE holding .marginalia/
                   or .git, else the current folder); nothing is written outside it
  --author NAME    author for imported annotations that have none
  --dry-run        report what would change, write nothing
  -h, --help       this help

Positions in FILE are Unicode code points over the text with its BOM removed and line endings
normalised to \\n; when the text changed since FILE was written, annotations are re-found by their
quoted text and context.

Exit status: 0 ok; 1 some records could not be read, ids were changed, some annotations were not
found in the text (they are kept, marked orphan), or the sidecar could not be written (a malformed
or oversized sidecar, a file-system error: it is left as it was); 2 usage or an unreadable input.`;

export async function runImport(argv: string[]): Promise<number> {
  const p = parse(argv, {
    format: { type: 'string', short: 'f' },
    source: { type: 'string', short: 's' },
    sidecar: { type: 'string' },
    'sidecar-folder': { type: 'string' },
    workspace: { type: 'string', short: 'w' },
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
  const workspaces = new Workspaces(str(p, 'workspace'), { sidecarFolder: str(p, 'sidecar-folder') }, true);
  const project = workspaces.projectFor(source);
  let content: string;
  try {
    content = await readSourceText(nodeFs, toProjectPath(file), file);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const sidecarOpt = str(p, 'sidecar');
  const report = await importIntoProject(project, toProjectPath(source), format, content, {
    author: str(p, 'author'),
    now: new Date().toISOString(),
    newId: ulidFactory(),
    dryRun: flag(p, 'dry-run'),
    sidecarFile: sidecarOpt !== undefined ? toProjectPath(sidecarOpt) : undefined,
  });
  for (const w of report.warnings) process.stderr.write(terminalText(`marginalia import: ${display(file)}: ${w}\n`));
  process.stderr.write(terminalText(`${display(fromProjectPath(report.sidecarFile))}: ${importSummary(report)}${flag(p, 'dry-run') ? ' (dry run)' : ''}\n`));
  return report.warnings.length || report.orphans.length ? EXIT_FINDINGS : EXIT_OK;
}
