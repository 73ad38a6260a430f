// Packs marginalia.vsix (`npm run package`: production build + vsce --no-dependencies) and installs
// it into a throw-away code-server extensions folder with --install-extension, the way a user
// installs a downloaded .vsix. Exits non-zero if packing or installing fails.
//   node scripts/lib/check-vsix.mjs [--no-pack]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VSIX = join(ROOT, 'marginalia.vsix');
const CS = join(ROOT, '.vscode-test', 'code-server-4.96.4', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const t0 = Date.now();
const fail = (msg) => {
  console.error(`[vsix] FAILED: ${msg}`);
  process.exit(1);
};

if (!process.argv.includes('--no-pack')) {
  rmSync(VSIX, { force: true });
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`npm run package exited with ${r.status}`);
}
if (!existsSync(VSIX)) fail(`${VSIX} was not written`);
if (!existsSync(CS)) fail('code-server is not set up (npm run setup:vscode)');

const tmp = mkdtempSync(join(tmpdir(), 'marginalia-vsix-'));
try {
  const exts = join(tmp, 'exts');
  const t1 = Date.now();
  const r = spawnSync(process.execPath, [
    CS, '--extensions-dir', exts, '--user-data-dir', join(tmp, 'ud'), '--install-extension', VSIX,
  ], { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data') } });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(out)) fail(`--install-extension exited with ${r.status}:\n${out}`);
  const installed = readdirSync(exts).filter((d) => d.startsWith('marginalia-dev.marginalia-'));
  if (installed.length !== 1) fail(`expected one marginalia-dev.marginalia-* folder in the extensions dir, found: ${readdirSync(exts).join(', ')}`);
  const dir = join(exts, installed[0]);
  for (const f of ['package.json', 'dist/node/extension.js', 'dist/node/heavy.js', 'dist/web/extension.js']) {
    if (!existsSync(join(dir, f))) fail(`the installed extension lacks ${f}`);
  }
  if (existsSync(join(dir, 'node_modules')) || existsSync(join(dir, 'src'))) fail('the installed extension contains node_modules/ or src/');
  const kb = (statSync(VSIX).size / 1024).toFixed(0);
  console.log(`[vsix] ${out.split('\n').pop()}`);
  console.log(`[vsix] marginalia.vsix (${kb} KB) installs into code-server 4.96.4 as ${installed[0]} (install ${((Date.now() - t1) / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
