/**
 * One fresh code-server session (VS Code 1.96's Node extension host) with a probe compiled from
 * bench/host/*.ts loaded as `extensionTestsPath` and this folder as `extensionDevelopmentPath`:
 * the probe measures inside the host and writes its JSON to MARGINALIA_BENCH_RESULTS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { skip } from './harness';
import { launchChromium } from '../../scripts/lib/chromium';
import { codeServerInstalled, startCodeServer } from '../../scripts/lib/codeServer';
import { CHROMIUM } from '../../scripts/lib/paths';
import { makeTempRoot } from '../../scripts/lib/workspace';

/** Skips unless chromium and code-server are there (sets code-server up as `npm test` does). */
export function requireHost(root: string): void {
  if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (apt-get install -y chromium)`);
  if (!codeServerInstalled()) {
    const r = spawnSync(process.execPath, [resolve(root, 'scripts/setup-code-server.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0 || !codeServerInstalled()) skip('code-server could not be set up (run `npm run setup:vscode`)');
  }
  if (!existsSync(resolve(root, 'dist/node/extension.js'))) skip('dist/node/extension.js is missing (build first)');
}

/** Compiles bench/host/<name>.ts to out/bench/<name>.js. */
export async function buildProbe(root: string, name: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = resolve(root, 'out/bench', `${name}.js`);
  await esbuild.build({
    entryPoints: [resolve(root, 'bench/host', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

export interface HostRun<T> {
  result: T;
  sessionS: number;
}

/**
 * Runs the probe in a fresh host on a workspace `setup` fills (it gets the folder's path) and
 * returns what the probe wrote. Throws when the probe reports `error` or nothing.
 */
export async function runProbe<T extends { error?: string }>(
  root: string,
  probe: string,
  setup: (workspace: string) => void,
  { timeoutMs = 180_000, log = (_m: string) => undefined }: { timeoutMs?: number; log?: (m: string) => void } = {},
): Promise<HostRun<T>> {
  const tmp = makeTempRoot('bench');
  const ws = join(tmp, 'workspace');
  setup(ws);
  const resultsFile = join(tmp, 'bench-results.json');
  const t0 = performance.now();
  const server = await startCodeServer({ tmpRoot: tmp, env: { MARGINALIA_BENCH_RESULTS: resultsFile } });
  let code: number;
  try {
    const browser = await launchChromium(tmp);
    try {
      const { page } = browser;
      let exit: (c: number) => void = () => undefined;
      const exited = new Promise<number>((r) => {
        exit = r;
      });
      await page.exposeFunction('codeAutomationExit', (c: number) => exit(c));
      await page.exposeFunction('codeAutomationLog', () => undefined);
      await page.goto(server.url(ws, [
        ['extensionDevelopmentPath', server.remote(root)],
        ['extensionTestsPath', server.remote(probe)],
      ]));
      code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs).unref())]);
    } finally {
      await browser.close().catch((err: unknown) => log(`closing chromium: ${String(err)}`));
    }
  } finally {
    await server.stop();
  }
  const sessionS = (performance.now() - t0) / 1000;
  const result = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as T) : undefined;
  rmSync(tmp, { recursive: true, force: true });
  if (code === -1) throw new Error(`the probe did not finish within ${timeoutMs / 1000} s`);
  if (!result) throw new Error(`the probe reported nothing (host exit ${code})`);
  if (result.error) throw new Error(`probe: ${result.error}`);
  return { result, sessionS };
}
