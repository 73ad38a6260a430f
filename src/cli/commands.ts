import { CHECK_HELP, runCheck } from './check';
import { EXPORT_HELP, runExport } from './export';
import { IMPORT_HELP, runImport } from './import';
import { MERGE_DRIVER_HELP, runMergeDriver } from './mergeDriver';
import { QUOTES_HELP, runQuotes } from './quotes';
import { SCAN_HELP, runScan } from './scan';

export interface Command {
  help: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  scan: { help: SCAN_HELP, summary: 'recognise entities and quotations (a table, or --json)', run: runScan },
  export: { help: EXPORT_HELP, summary: 'export annotations, entities and quotations (w3c, brat, csv, md, claimreview)', run: runExport },
  import: { help: IMPORT_HELP, summary: "import W3C or brat annotations into a source's sidecar", run: runImport },
  check: { help: CHECK_HELP, summary: 'validate sidecars and re-anchor them against their sources (for CI)', run: runCheck },
  quotes: { help: QUOTES_HELP, summary: 'check every quotation against the primary sources (verbatim … spliced)', run: runQuotes },
  'merge-driver': { help: MERGE_DRIVER_HELP, summary: 'git merge driver for sidecars (%O %A %B)', run: runMergeDriver },
};

export const HELP = `Usage: marginalia <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}

  marginalia <command> --help   details of one command
  marginalia --version

Forms:
  marginalia scan [--json] FILE...
  marginalia export --format w3c|brat|csv|md|claimreview [--out DIR] SOURCE...
  marginalia import --format w3c|brat --source SOURCE FILE
  marginalia check [PATH...]
  marginalia quotes [--json] [--primary GLOB_OR_FILE]... [--check] PATH...
  marginalia merge-driver BASE OURS THEIRS

Exit status: 0 ok, 1 findings or conflicts, 2 usage.`;
