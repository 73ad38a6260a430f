// Installs code-server 4.96.4 (= VS Code 1.96.4: server, web workbench and the real Node extension
// host) into a git-ignored cache, .vscode-test/code-server-4.96.4/, so that the integration and
// end-to-end tests run inside a real VS Code on machines that only reach the npm registry and
// Debian's packages. See ../shared/docs/real-vscode-testing.md (on our machines) for why each step
// exists.
//
//   node scripts/setup-code-server.mjs           install if missing (idempotent: < 1 s when done)
//   node scripts/setup-code-server.mjs --force   reinstall
//   node scripts/setup-code-server.mjs --check   exit 1 (with a message) if not installed
//
// Never add code-server to package.json: its postinstall breaks `npm ci`.
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, lstatSync, unlinkSync,
  readdirSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.96.4';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.vscode-test');
const FINAL = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = join(FINAL, '.marginalia-setup-complete');
const LOCK = join(CACHE, `code-server-${CODE_SERVER_VERSION}.lock`);
// The registry tarball of @vscode/proxy-agent 0.27.0 has the same integrity hash as the GitHub
// commit the shrinkwrap pins.
const PROXY_AGENT_TARBALL = 'https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz';
const NATIVE_MODULES = ['node-pty', '@vscode/spdlog', 'native-watchdog', '@vscode/deviceid', '@parcel/watcher'];

const t0 = Date.now();
const log = (msg) => console.log(`[setup:vscode] ${msg}`);
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function fail(msg) {
  console.error(`[setup:vscode] ERROR: ${msg}`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  log(`${cwd === ROOT ? '' : `(${cwd.replace(ROOT + '/', '')}) `}${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      // Nothing in this install may reach anything but the npm registry.
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    },
  });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`\`${cmd} ${args.join(' ')}\` in ${cwd} exited with ${r.status}`);
}

function link(target, path) {
  if (existsSync(path) || isSymlink(path)) unlinkSync(path);
  symlinkSync(target, path);
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (err) {
    if (err.code === 'ENOENT') return false;
    throw err;
  }
}

/** Verifies the system tools the tests need; returns a list of problems. */
export function checkSystemTools() {
  const problems = [];
  if (!existsSync('/usr/bin/chromium')) {
    problems.push('/usr/bin/chromium is missing: install Debian\'s browser with `apt-get install -y chromium` ' +
      '(the e2e and integration tests drive it through playwright-core; never run `npx playwright install`).');
  }
  if (!existsSync('/usr/bin/rg')) {
    problems.push('/usr/bin/rg is missing: install it with `apt-get install -y ripgrep` ' +
      '(code-server\'s search uses it; @vscode/ripgrep cannot download its own binary here).');
  }
  return problems;
}

export function isInstalled() {
  if (!existsSync(MARKER)) return false;
  return readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION;
}

function acquireLock() {
  mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock left by a dead process is stale.
      let pid = 0;
      try {
        pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch (readErr) {
        if (readErr.code !== 'ENOENT') throw readErr;
      }
      if (pid > 0 && !processAlive(pid)) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`timed out waiting for another setup (lock ${LOCK})`);
      log('another setup is running; waiting…');
      spawnSync('sleep', ['2']);
    }
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function install() {
  const work = `${FINAL}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'marginalia-test-vscode', private: true }, null, 2));

  // 1. code-server itself: its postinstall refuses root and downloads from GitHub, so skip scripts
  //    and rebuild the one native module its server needs.
  run('npm', ['install', '--no-save', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], work);
  const cs = join(work, 'node_modules', 'code-server');
  run('npm', ['rebuild', 'argon2'], work);

  // 2. VS Code's own dependencies: the shrinkwrap pins @vscode/proxy-agent to a GitHub commit.
  const vscode = join(cs, 'lib', 'vscode');
  const shrinkwrapPath = join(vscode, 'npm-shrinkwrap.json');
  const shrinkwrap = JSON.parse(readFileSync(shrinkwrapPath, 'utf8'));
  const entry = shrinkwrap.packages?.['node_modules/@vscode/proxy-agent'];
  if (!entry) fail('npm-shrinkwrap.json has no node_modules/@vscode/proxy-agent entry (unexpected code-server layout)');
  if (entry.resolved !== PROXY_AGENT_TARBALL) {
    log(`shrinkwrap: @vscode/proxy-agent ${entry.resolved} -> ${PROXY_AGENT_TARBALL}`);
    entry.resolved = PROXY_AGENT_TARBALL;
    writeFileSync(shrinkwrapPath, JSON.stringify(shrinkwrap, null, 2) + '\n');
  }
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscode);
  // Source builds with the machine's g++ and Node headers (~45 s on 2 cores). kerberos is skipped:
  // it needs libkrb5-dev and only serves proxy authentication.
  run('npm', ['rebuild', ...NATIVE_MODULES], vscode);

  // 3. ripgrep: @vscode/ripgrep would download rg from GitHub; use Debian's.
  const rgBin = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  link('/usr/bin/rg', join(rgBin, 'rg'));

  // 4. The rest of code-server's own postinstall.
  link('node_modules', join(vscode, 'node_modules.asar'));
  link('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--omit=dev'], join(vscode, 'extensions'));

  // Sanity: the entry point exists and the native modules load.
  const entryJs = join(cs, 'out', 'node', 'entry.js');
  if (!existsSync(entryJs)) fail(`${entryJs} is missing after the install`);
  const probe = spawnSync(process.execPath, ['-e', `
    require(require.resolve('argon2', { paths: [${JSON.stringify(cs)}] }));
    for (const m of ${JSON.stringify(NATIVE_MODULES)}) require(require.resolve(m, { paths: [${JSON.stringify(vscode)}] }));
  `], { encoding: 'utf8' });
  if (probe.status !== 0) fail(`native modules do not load:\n${probe.stderr}`);

  writeFileSync(join(work, '.marginalia-setup-complete'), CODE_SERVER_VERSION + '\n');
  rmSync(FINAL, { recursive: true, force: true });
  renameSync(work, FINAL);
}

function main() {
  const args = process.argv.slice(2);
  const problems = checkSystemTools();
  if (args.includes('--check')) {
    if (!isInstalled()) problems.push(`code-server ${CODE_SERVER_VERSION} is not set up: run \`npm run setup:vscode\`.`);
    for (const p of problems) console.error(`[setup:vscode] ${p}`);
    process.exit(problems.length ? 1 : 0);
  }
  if (problems.length) {
    for (const p of problems) console.error(`[setup:vscode] ${p}`);
    fail('system packages missing (on CI, .ci/run installs them).');
  }
  if (isInstalled() && !args.includes('--force')) {
    log(`code-server ${CODE_SERVER_VERSION} ready in ${FINAL.replace(ROOT + '/', '')} (${elapsed()})`);
    return;
  }
  acquireLock();
  try {
    if (isInstalled() && !args.includes('--force')) {
      log(`code-server ${CODE_SERVER_VERSION} was set up by another process (${elapsed()})`);
      return;
    }
    log(`installing code-server ${CODE_SERVER_VERSION} into ${FINAL.replace(ROOT + '/', '')} (~80 s, ~350 MB)`);
    install();
    log(`done in ${elapsed()}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  // Old versions left in the cache are only wasted space.
  for (const name of readdirSync(CACHE)) {
    if (/^code-server-[\d.]+(\.partial)?$/.test(name) && name !== `code-server-${CODE_SERVER_VERSION}`) {
      log(`note: ${join('.vscode-test', name)} is from another version and can be deleted`);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
