// End-to-end tests: playwright-core drives Debian's chromium on code-server 4.96.4 with the
// extension installed; scenario files test/e2e/*.e2e.ts (mocha BDD, run with tsx) share one
// session started by test/e2e/harness/hooks.ts.
//   node scripts/test-e2e.mjs [--no-build] [--vsix=marginalia.vsix] [--host=node|web] [--grep=PATTERN] [--verbose] [files…]
// --host=web runs the extension in the browser's web worker extension host (its `browser` bundle,
// as on vscode.dev) instead of code-server's Node host; results go to e2e-web.json.
// Env: MARGINALIA_README_SCREENSHOT=1 also writes media/screenshot.png.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const value = (name) => flag(name)?.split('=').slice(1).join('=');
const host = value('host') ?? process.env.MARGINALIA_E2E_HOST ?? 'node';
if (host !== 'node' && host !== 'web') {
  console.error(`[e2e] --host must be node or web, not ${host}`);
  process.exit(2);
}
const RESULTS = join(ROOT, 'test-output', 'results', host === 'web' ? 'e2e-web.json' : 'e2e.json');
const files = args.filter((a) => !a.startsWith('--'));
const t0 = Date.now();

function step(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

rmSync(RESULTS, { force: true });
if (!flag('no-build') && step(process.execPath, ['scripts/build.mjs']) !== 0) {
  console.error('[e2e] build failed');
  process.exit(1);
}
if (step(process.execPath, ['scripts/setup-code-server.mjs']) !== 0) process.exit(1);

const specs = files.length
  ? files
  : readdirSync(join(ROOT, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => `test/e2e/${f}`);
if (specs.length === 0) {
  console.error('[e2e] no scenario files test/e2e/*.e2e.ts');
  process.exit(1);
}
const mochaArgs = [
  '--import', 'tsx', join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config',
  '--require', 'test/e2e/harness/hooks.ts', '--timeout', '60000', '--slow', '5000',
  '--reporter', 'scripts/lib/countingReporter.cjs', ...specs,
];
if (value('grep')) mochaArgs.push('--grep', value('grep'));
const env = {
  MARGINALIA_RESULTS_FILE: RESULTS,
  MARGINALIA_RESULTS_LAYER: host === 'web' ? 'e2e-web' : 'e2e',
  MARGINALIA_E2E_HOST: host,
  ...(value('vsix') ? { MARGINALIA_E2E_VSIX: value('vsix') } : {}),
  ...(flag('verbose') ? { MARGINALIA_TEST_VERBOSE: '1' } : {}),
};
const status = step(process.execPath, mochaArgs, env);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (existsSync(RESULTS)) {
  const r = JSON.parse(readFileSync(RESULTS, 'utf8'));
  console.log(`[e2e${host === 'web' ? ' web' : ''}] ${r.passed} passed, ${r.failed} failed, ${r.pending} pending (${secs} s)`);
} else {
  console.log(`[e2e] no results (mocha exited with ${status}) (${secs} s)`);
}
process.exitCode = status;
