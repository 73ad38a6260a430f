import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, UsageError, flag, oneOf, parse, str } from './args';
import { Progress, display, isSourceFile, sidecarPathFor, walk } from './io';
import { recognize, type RecognizeOptions } from './recognize';
import { loadSource } from './sources';
import { checkModel, write } from './scan';
import { exportSource, EXPORT_FORMATS, type ExportFormat } from '../core/interchange/export';
import { bratAnnotationConf } from '../core/interchange/brat';
import type { ExportSource } from '../core/interchange/model';
import { applyCorrections } from '../core/corrections';

export const EXPORT_HELP = `Usage: marginalia export --format w3c|brat|csv|md [--out DIR] [options] SOURCE...

Export each source's annotations (its sidecar SOURCE.marginalia.yaml, re-anchored against the
current text) together with the recognised entities and quotations.

Formats:
  w3c    W3C Web Annotation JSON-LD (AnnotationCollection; TextQuoteSelector + TextPositionSelector)
  brat   brat standoff .ann (with --out, the matching .txt beside it and an annotation.conf)
  csv    RFC 4180 CSV, one row per annotation, entity mention and quotation
  md     a Markdown report: annotations, quotations by speaker, entity index
Positions (w3c, brat, csv) are Unicode code points over the text with its BOM removed and line
endings normalised to \\n.

Options:
  --format F         the format (required)
  --out DIR          write one file per source into DIR (SOURCE path kept below DIR);
                     without it the one SOURCE goes to stdout (csv and md also accept several)
  --sidecar FILE     the sidecar to read (one SOURCE only; default SOURCE.marginalia.yaml)
  --sidecar-folder DIR  sidecars are kept under DIR, mirroring the current folder's tree
                     (the marginalia.sidecar.folder setting)
  --no-recognition   the user's annotations only
  --model FILE | --no-model | --date ISO   recognition options, as for scan
  -h, --help         this help

Exit status: 0 ok, 1 some annotations are orphaned (exported with their last known text) or a
source failed, 2 usage.`;

const EXTENSION: Record<ExportFormat, string> = { w3c: '.jsonld', brat: '.ann', csv: '.csv', md: '.md' };

export async function runExport(argv: string[]): Promise<number> {
  const p = parse(argv, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    sidecar: { type: 'string' },
    'sidecar-folder': { type: 'string' },
    'no-recognition': { type: 'boolean' },
    model: { type: 'string' },
    'no-model': { type: 'boolean' },
    date: { type: 'string' },
  });
  if (flag(p, 'help')) {
    process.stdout.write(EXPORT_HELP + '\n');
    return EXIT_OK;
  }
  const format = oneOf(str(p, 'format'), EXPORT_FORMATS, '--format');
  if (p.positionals.length === 0) throw new UsageError('export needs at least one SOURCE');
  const outDir = str(p, 'out');
  const sidecarFile = str(p, 'sidecar');
  if (sidecarFile && p.positionals.length !== 1) throw new UsageError('--sidecar takes one SOURCE');
  const concatenable = format === 'csv' || format === 'md';
  if (!outDir && p.positionals.length > 1 && !concatenable) {
    throw new UsageError(`--format ${format} writes one file per source: give --out DIR for several sources`);
  }
  const recognition = !flag(p, 'no-recognition');
  const ropts: RecognizeOptions = { model: flag(p, 'no-model') ? false : str(p, 'model'), documentDate: str(p, 'date') };

  if (recognition) checkModel(ropts);
  const progress = new Progress('export');
  let n = 0;
  let status = EXIT_OK;
  const verdicts = new Set<string>();
  for await (const file of walk(p.positionals, isSourceFile)) {
    progress.tick(++n);
    const loaded = await loadSource(file, sidecarFile ?? sidecarPathFor(file, str(p, 'sidecar-folder')));
    const src: ExportSource = {
      path: display(file),
      text: loaded.text,
      annotations: loaded.sidecar.annotations,
      orphans: loaded.orphans,
      // The user's recognition corrections (in the sidecar) win over the recognisers.
      analysis: recognition ? applyCorrections(loaded.text, recognize(loaded.text, ropts), loaded.sidecar.corrections) : undefined,
    };
    if (loaded.orphans.size) {
      status = EXIT_FINDINGS;
      process.stderr.write(
        `marginalia export: ${display(loaded.sidecarFile)}: ${loaded.orphans.size} orphaned annotation(s)` +
          (format === 'brat' ? ' left out (brat needs a position)' : ' exported with their last known text') + '\n',
      );
    }
    for (const a of src.annotations) if (a.verdict) verdicts.add(a.verdict);
    const body = exportSource(format, src, { header: n === 1 });
    if (outDir) {
      const rel = path.isAbsolute(file) ? path.basename(file) : path.normalize(file).replace(/^(\.\.[/\\])+/, '');
      const base = format === 'brat' ? rel.replace(/\.[^./\\]*$/, '') : rel;
      const target = path.join(outDir, base + EXTENSION[format]);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.writeFile(target, body, 'utf8');
      if (format === 'brat') await fsp.writeFile(path.join(outDir, base + '.txt'), loaded.text, 'utf8');
    } else {
      await write(process.stdout, n > 1 && format === 'md' ? '\n---\n\n' + body : body);
    }
  }
  progress.done();
  if (n === 0) throw new UsageError('no source files found');
  if (outDir && format === 'brat') await fsp.writeFile(path.join(outDir, 'annotation.conf'), bratAnnotationConf(verdicts), 'utf8');
  return status;
}
