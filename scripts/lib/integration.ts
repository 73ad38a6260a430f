// Runs the in-host mocha suite (test/integration) inside a real VS Code.
//   default: code-server 4.96.4 through the URL `payload` route, driven by headless chromium;
//   MARGINALIA_TEST_HOST=electron: @vscode/test-electron's runTests (downloads VS Code; not possible
//   on our machines, kept working for machines that can).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchChromium } from './chromium';
import { startCodeServer } from './codeServer';
import { OUT_DIR, ROOT } from './paths';
import { buildExtension, ensureCodeServer } from './proc';
import { parseResultLine, writeResult, clearResult, type LayerResult } from './results';
import { makeTempRoot, makeWorkspace } from './workspace';

export const INTEGRATION_OUT = path.join(OUT_DIR, 'test', 'integration');
const SUITE_SRC = path.join(ROOT, 'test', 'integration', 'suite');

/** Compiles test/integration/index.ts and every suite/*.test.ts to out/test/integration/ (CommonJS, vscode and mocha external). */
export async function buildSuite(): Promise<string[]> {
  fs.rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  const tests = fs.existsSync(SUITE_SRC)
    ? fs.readdirSync(SUITE_SRC).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(SUITE_SRC, f))
    : [];
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test', 'integration', 'index.ts'), ...tests],
    outbase: path.join(ROOT, 'test', 'integration'),
    outdir: INTEGRATION_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    // mocha is required from node_modules at run time (the extension host is plain Node).
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return tests.map((t) => path.basename(t));
}

/** The workbench's own chatter that arrives through codeAutomationLog (shown with --verbose). */
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|\[Service Worker\]|Updating additional builtin|\[lifecycle\]|Started local extension host|Extension host .* is responsive)/;

interface RunOptions {
  verbose: boolean;
  timeoutMs: number;
  grep?: string;
}

async function runInCodeServer(opts: RunOptions): Promise<Omit<LayerResult, 'layer' | 'durationMs'>> {
  ensureCodeServer();
  const tmp = makeTempRoot('integration');
  const ws = makeWorkspace(tmp);
  const resultsFile = path.join(tmp, 'results.json');
  const env: Record<string, string> = {
    MARGINALIA_RESULTS_FILE: resultsFile,
    MARGINALIA_TEST_SIGNAL_FILE: path.join(tmp, 'activated.json'),
    MARGINALIA_TEST: '1',
  };
  if (opts.grep) env.MARGINALIA_TEST_GREP = opts.grep;
  const t0 = Date.now();
  const server = await startCodeServer({ tmpRoot: tmp, env, verbose: opts.verbose });
  console.log(`[integration] code-server ${server.origin} listening after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let session: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let logTail = '';
  try {
    session = await launchChromium(tmp);
    const { page } = session;
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      exit = resolve;
    });
    let parsed: ReturnType<typeof parseResultLine>;
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      parsed = parseResultLine(text) ?? parsed;
      logTail = (logTail + text + '\n').slice(-20_000);
      if (!opts.verbose && WORKBENCH_NOISE.test(text)) return;
      if (type === 'error') process.stderr.write(text + '\n');
      else process.stdout.write(text + '\n');
    });
    if (opts.verbose) {
      page.on('console', (m) => console.log(`[workbench ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => console.log(`[workbench pageerror] ${e.message}`));
    }
    const url = server.url(ws, [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(path.join(INTEGRATION_OUT, 'index.js'))],
    ]);
    await page.goto(url);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), opts.timeoutMs).unref());
    const code = await Promise.race([exited, timeout]);
    console.log(`[integration] extension host exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (code === -1) {
      return { passed: 0, failed: 0, pending: 0, failures: [], error: `the in-host suite did not finish within ${opts.timeoutMs / 1000} s` };
    }
    if (fs.existsSync(resultsFile)) parsed = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as typeof parsed;
    if (!parsed) {
      return {
        passed: 0, failed: 0, pending: 0, failures: [],
        error: `the extension host exited with ${code} without reporting results (did the suite load? see the log above)`,
      };
    }
    const result = { ...parsed, failures: parsed.failures ?? [] };
    if (code !== 0 && result.failed === 0) {
      return { ...result, error: `the extension host exited with ${code}` };
    }
    return result;
  } finally {
    await session?.close().catch((err: unknown) => console.error(`[integration] closing chromium: ${String(err)}`));
    await server.stop();
    if (opts.verbose) console.log(server.output());
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function runInElectron(opts: RunOptions): Promise<Omit<LayerResult, 'layer' | 'durationMs'>> {
  const { runTests } = await import('@vscode/test-electron');
  const tmp = makeTempRoot('integration-electron');
  const ws = makeWorkspace(tmp);
  const resultsFile = path.join(tmp, 'results.json');
  try {
    let error: string | undefined;
    try {
      await runTests({
        version: process.env.MARGINALIA_VSCODE_VERSION ?? '1.96.4',
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(INTEGRATION_OUT, 'index.js'),
        launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(tmp, 'ud')}`],
        extensionTestsEnv: {
          MARGINALIA_RESULTS_FILE: resultsFile,
          MARGINALIA_TEST_SIGNAL_FILE: path.join(tmp, 'activated.json'),
          MARGINALIA_TEST: '1',
          ...(opts.grep ? { MARGINALIA_TEST_GREP: opts.grep } : {}),
        },
      });
    } catch (err) {
      error = String(err);
    }
    if (!fs.existsSync(resultsFile)) {
      return { passed: 0, failed: 0, pending: 0, failures: [], error: error ?? 'the suite reported no results' };
    }
    const parsed = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Omit<LayerResult, 'layer' | 'durationMs'>;
    return { ...parsed, failures: parsed.failures ?? [], ...(error && parsed.failed === 0 ? { error } : {}) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Builds, runs the in-host suite, prints a summary, writes test-output/results/integration.json. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const t0 = Date.now();
  const host = (process.env.MARGINALIA_TEST_HOST ?? 'code-server').toLowerCase();
  const opts: RunOptions = {
    verbose: argv.includes('--verbose') || process.env.MARGINALIA_TEST_VERBOSE === '1',
    timeoutMs: Number(process.env.MARGINALIA_INTEGRATION_TIMEOUT ?? 300_000),
    grep: argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length),
  };
  clearResult('integration');
  let result: Omit<LayerResult, 'layer' | 'durationMs'>;
  try {
    if (!argv.includes('--no-build')) buildExtension();
    const files = await buildSuite();
    console.log(`[integration] ${files.length} suite file(s): ${files.join(', ')} — host: ${host}`);
    result = host === 'electron' ? await runInElectron(opts) : await runInCodeServer(opts);
  } catch (err) {
    result = { passed: 0, failed: 0, pending: 0, failures: [], error: err instanceof Error ? (opts.verbose ? err.stack ?? err.message : err.message) : String(err) };
  }
  const full: LayerResult = { layer: 'integration', ...result, durationMs: Date.now() - t0 };
  writeResult(full);
  const secs = (full.durationMs / 1000).toFixed(1);
  console.log(`[integration] ${full.passed} passed, ${full.failed} failed, ${full.pending} pending (${secs} s, ${host})`);
  for (const f of full.failures) console.log(`[integration] FAILED ${f}`);
  if (full.error) console.error(`[integration] ERROR ${full.error}`);
  return full.failed > 0 || full.error ? 1 : 0;
}
