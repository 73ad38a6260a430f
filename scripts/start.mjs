// `npm start`: build, then open a real VS Code with the extension and the seeds/ folder.
//   - the desktop `code` CLI with --extensionDevelopmentPath, where it exists;
//   - otherwise the local code-server (set up on first use) in your browser: it prints the address.
//   node scripts/start.mjs [--web] [--port=8080] [folder]
// Stop code-server with Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ options: { web: { type: 'boolean' }, port: { type: 'string' } }, allowPositionals: true });
const forceWeb = values.web === true || process.env.MARGINALIA_START_WEB === '1';
const portText = values.port ?? process.env.PORT ?? '8080';
const port = Number(portText);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`--port must be a port number (1-65535), not ${JSON.stringify(portText)}`);
  process.exit(2);
}
const folder = resolve(ROOT, positionals[0] ?? 'seeds');

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

run(process.execPath, ['scripts/build.mjs']);

// Open the first source too, so that the extension activates right away.
const first = existsSync(folder) && statSync(folder).isDirectory()
  ? readdirSync(folder).filter((f) => /\.(txt|md)$/.test(f)).sort()[0]
  : undefined;

const code = forceWeb ? undefined : which('code');
if (code) {
  console.log(`[start] opening VS Code (${code}) on ${folder} with the extension from ${ROOT}`);
  run(code, ['--extensionDevelopmentPath', ROOT, folder, ...(first ? [join(folder, first)] : [])]);
  process.exit(0);
}

// No desktop VS Code: code-server 4.96.4 from the local cache, in the browser.
run(process.execPath, ['scripts/setup-code-server.mjs']);
const cs = join(ROOT, '.vscode-test', 'code-server-4.96.4', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const state = join(ROOT, '.vscode-test', 'start');
const userData = join(state, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
const settings = join(userData, 'User', 'settings.json');
if (!existsSync(settings)) {
  writeFileSync(settings, JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
  }, null, 2));
}
writeFileSync(join(state, 'config.yaml'), 'auth: none\n');
const origin = `http://127.0.0.1:${port}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`],
  // The web workbench opens this file on start (its `openFile` payload), which activates the extension.
  ...(first ? [['openFile', `vscode-remote://127.0.0.1:${port}${join(folder, first)}`]] : []),
]);
const url = `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;

const child = spawn(process.execPath, [
  cs, '--config', join(state, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--user-data-dir', userData, '--extensions-dir', join(state, 'extensions'), '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: join(state, 'xdg-config'), XDG_DATA_HOME: join(state, 'xdg-data') },
  detached: true,
});
let printed = false;
child.stdout.on('data', (buf) => {
  const text = buf.toString();
  if (!printed && text.includes('HTTP server listening')) {
    printed = true;
    console.log('\n[start] Marginalia is running in code-server (VS Code 1.96). Open this address in a browser:\n');
    console.log(`  ${url}\n`);
    console.log(`[start] (the extension loads from ${ROOT}; rebuild with \`npm run build\` and reload the window. Ctrl+C stops.)`);
  } else if (process.env.MARGINALIA_START_VERBOSE === '1') {
    process.stdout.write(text);
  }
  if (text.includes('EADDRINUSE')) {
    console.error(`[start] port ${port} is in use: try \`npm start -- --port=8081\``);
  }
});
const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
};
process.on('SIGINT', () => { stop(); process.exit(130); });
process.on('SIGTERM', () => { stop(); process.exit(143); });
child.on('exit', (c) => {
  if (!printed) console.error(`[start] code-server exited (${c}) before listening`);
  process.exit(c ?? 1);
});
