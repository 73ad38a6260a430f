/**
 * `marginalia` — the command line over the same core as the extension.
 * Built by scripts/build.mjs to dist/cli/marginalia.js; bin/marginalia.js requires that bundle.
 * The same bundle is the worker script for worker_threads (see pool.ts).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './args';
import { terminalText } from './output';
import { terminalSafe } from '../core/text/escape';
import { ProjectError, describeFsError, errorCode } from '../core/project/files';
import { serveWorker, WORKER_FLAG } from './pool';
import { workerHandler } from './worker';
import { COMMANDS, HELP } from './commands';

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = cmd === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return COMMANDS[topic].run(['--help']);
    process.stdout.write(HELP + '\n');
    return cmd === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    process.stderr.write(`marginalia: unknown command "${terminalSafe(cmd)}"\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`marginalia ${cmd}: ${terminalSafe(e.message)}\n\n${command.help}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      process.stderr.write(terminalText(`marginalia ${cmd}: ${e.message}\n`));
      return EXIT_USAGE;
    }
    if (e instanceof ProjectError) {
      process.stderr.write(terminalText(`marginalia ${cmd}: ${e.message}\n`));
      return EXIT_FINDINGS;
    }
    const code = errorCode(e);
    if (code !== undefined) {
      // A file-system error no command anticipated: still a sentence, never a stack trace.
      const file = (e as { path?: unknown }).path;
      process.stderr.write(terminalText(`marginalia ${cmd}: ${describeFsError(e, 'use', typeof file === 'string' ? file : 'a file')}\n`));
      return EXIT_FINDINGS;
    }
    throw e;
  }
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../../package.json') as { version: string };
  return pkg.version;
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] && parentPort) {
  const data = workerData as { task: string; init?: unknown };
  serveWorker(parentPort, workerHandler(data.task));
} else if (require.main === module) {
  run();
}

/** Runs the command line with process.argv and sets the exit code (bin/marginalia.js calls this). */
export function run(): void {
  // `marginalia scan … | head`: a closed pipe ends the run quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A bug: the message, and the stack only when asked for (MARGINALIA_DEBUG=1).
      const detail = e instanceof Error ? (process.env.MARGINALIA_DEBUG ? (e.stack ?? e.message) : e.message) : String(e);
      process.stderr.write(terminalText(`marginalia: internal error: ${detail}\nPlease report it with the command you ran (MARGINALIA_DEBUG=1 prints more).\n`));
      process.exitCode = 70;
    },
  );
}
