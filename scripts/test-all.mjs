// `npm test`: every layer, one summary.
//   build (dev) → typecheck ∥ lint → unit → [setup code-server] → integration (in-host) → e2e →
//   e2e-web (the same scenarios with the extension in the browser's web worker host) → package (.vsix installs)
// Prints each layer's counts and ends with exactly one line `N passed, N failed` summing all of
// them (build, typecheck, lint and package count as one check each). Exits non-zero on any failure.
//   node scripts/test-all.mjs [--skip=lint,e2e]   (layers: build typecheck lint unit integration e2e e2e-web package)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'test-output', 'results');
const BIN = join(ROOT, 'node_modules', '.bin');
const skip = new Set((process.argv.find((a) => a.startsWith('--skip='))?.slice(7) ?? '').split(',').filter(Boolean));
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @type {Array<{ layer: string, passed: number, failed: number, pending: number, ms: number, note?: string }>} */
const summary = [];

function banner(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(3, 70 - title.length))}`);
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.error(`[test] ${cmd} could not start: ${r.error.message}`);
  return r.status ?? 1;
}

/** A check without test counts (build, typecheck, lint): one passed or one failed. */
function check(layer, cmd, args) {
  if (skip.has(layer)) return true;
  banner(layer);
  const start = Date.now();
  const status = run(cmd, args);
  summary.push({ layer, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, pending: 0, ms: Date.now() - start, note: status === 0 ? 'ok' : `exit ${status}` });
  return status === 0;
}

/** Like check(), but in the background with its output printed in one piece when it ends. */
function checkAsync(layer, cmd, args) {
  if (skip.has(layer)) return Promise.resolve(true);
  const start = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    let finished = false;
    const finish = (status, err) => {
      if (finished) return;
      finished = true;
      banner(layer);
      if (err) console.error(`[test] ${cmd} could not start: ${err.message}`);
      if (out) process.stdout.write(out.endsWith('\n') ? out : out + '\n');
      console.log(`[${layer}] ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${secs(Date.now() - start)}`);
      summary.push({ layer, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, pending: 0, ms: Date.now() - start, note: status === 0 ? 'ok' : `exit ${status}` });
      done(status === 0);
    };
    child.on('error', (err) => finish(1, err));
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** A test layer whose runner writes test-output/results/<layer>.json. */
function layer(name, cmd, args, env = {}) {
  if (skip.has(name)) return;
  banner(name);
  const file = join(RESULTS_DIR, `${name}.json`);
  rmSync(file, { force: true });
  const start = Date.now();
  const status = run(cmd, args, { MARGINALIA_RESULTS_FILE: file, MARGINALIA_RESULTS_LAYER: name, ...env });
  const ms = Date.now() - start;
  if (!existsSync(file)) {
    summary.push({ layer: name, passed: 0, failed: 1, pending: 0, ms, note: `no results (exit ${status})` });
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  let failed = r.failed ?? 0;
  let note = r.error ? `error: ${String(r.error).split('\n')[0]}` : undefined;
  // A runner that failed without a failing test (crash, timeout, no tests) still fails the run.
  if ((status !== 0 || r.error) && failed === 0) {
    failed = 1;
    note ??= `exit ${status}`;
  }
  if ((r.passed ?? 0) + failed === 0) {
    failed = 1;
    note = 'ran no test';
  }
  summary.push({ layer: name, passed: r.passed ?? 0, failed, pending: r.pending ?? 0, ms, note });
}

mkdirSync(RESULTS_DIR, { recursive: true });
const built = check('build', process.execPath, ['scripts/build.mjs']);
// typecheck and lint are independent: run them side by side (2 cores), print each when done.
await Promise.all([
  checkAsync('typecheck', join(BIN, 'tsc'), ['--noEmit', '-p', '.']),
  checkAsync('lint', join(BIN, 'eslint'), ['.']),
]);
layer('unit', process.execPath, [
  join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--reporter', 'scripts/lib/countingReporter.cjs',
], { MARGINALIA_SKIP_BUILD: built ? '1' : '0' });

const needsHost = !skip.has('integration') || !skip.has('e2e') || !skip.has('e2e-web') || !skip.has('package');
let hostReady = true;
if (needsHost) {
  banner('setup:vscode');
  hostReady = run(process.execPath, ['scripts/setup-code-server.mjs']) === 0;
  if (!hostReady) console.error('[test] code-server could not be set up: the integration and e2e layers fail.');
}
for (const [name, script, ...extra] of [
  ['integration', 'scripts/test-integration.mjs'],
  ['e2e', 'scripts/test-e2e.mjs'],
  ['e2e-web', 'scripts/test-e2e.mjs', '--host=web'],
]) {
  if (skip.has(name)) continue;
  if (!built || !hostReady) {
    summary.push({ layer: name, passed: 0, failed: 1, pending: 0, ms: 0, note: built ? 'code-server setup failed' : 'build failed' });
    continue;
  }
  layer(name, process.execPath, [script, '--no-build', ...extra]);
}

// Last, because it replaces dist/ with the production build: pack the .vsix and install it into
// code-server with --install-extension.
if (hostReady) check('package', process.execPath, ['scripts/lib/check-vsix.mjs']);
else if (!skip.has('package')) summary.push({ layer: 'package', passed: 0, failed: 1, pending: 0, ms: 0, note: 'code-server setup failed' });

banner('summary');
let passed = 0;
let failed = 0;
for (const s of summary) {
  passed += s.passed;
  failed += s.failed;
  const counts = `${String(s.passed).padStart(4)} passed, ${String(s.failed).padStart(3)} failed${s.pending ? `, ${s.pending} pending` : ''}`;
  console.log(`  ${s.layer.padEnd(12)} ${counts}  (${secs(s.ms)})${s.note && s.note !== 'ok' ? `  ${s.note}` : ''}`);
}
console.log(`  total time ${secs(Date.now() - t0)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
