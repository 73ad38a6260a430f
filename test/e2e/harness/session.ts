// One shared end-to-end session: code-server with the extension installed, headless chromium on
// the workbench, a temp COPY of the fixture workspace open. Started once by the root hooks
// (hooks.ts) and shared by every scenario file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium, type BrowserSession } from '../../../scripts/lib/chromium';
import { startCodeServer, type CodeServer } from '../../../scripts/lib/codeServer';
import { CODE_SERVER_ENTRY, EXTENSION_ID, ROOT } from '../../../scripts/lib/paths';
import { makeTempRoot, makeWorkspace } from '../../../scripts/lib/workspace';
import { Workbench } from './workbench';

export interface E2ESession {
  workbench: Workbench;
  /** The extension host the extension was asked to run in (the activation signal says where it did). */
  host: E2EHost;
  server: CodeServer;
  browser: BrowserSession;
  tmp: string;
  close(): Promise<void>;
}

const verbose = process.env.MARGINALIA_TEST_VERBOSE === '1';

/**
 * Which extension host runs the extension: 'node' (code-server's Node extension host on the
 * server, the default) or 'web' (the browser's web worker extension host, as on vscode.dev). The
 * web run is the same installed extension with `remote.extensionKind` set to ['web']: the
 * workbench then loads its `browser` bundle into the web worker host from the server.
 */
export type E2EHost = 'node' | 'web';

export function e2eHost(): E2EHost {
  return process.env.MARGINALIA_E2E_HOST === 'web' ? 'web' : 'node';
}

/** User settings that put the extension in the requested host (and tell it where to signal activation). */
export function hostSettings(host: E2EHost, signalFile: string): Record<string, unknown> {
  const settings: Record<string, unknown> = { 'marginalia.test.signalFile': signalFile };
  if (host === 'web') settings['remote.extensionKind'] = { [EXTENSION_ID]: ['web'] };
  return settings;
}

/**
 * Installs the extension into `extensionsDir`: from a .vsix with `--install-extension` when
 * MARGINALIA_E2E_VSIX names one, otherwise a staged `publisher.name-version` copy of the built files.
 */
function installExtension(extensionsDir: string, tmp: string): string {
  const vsix = process.env.MARGINALIA_E2E_VSIX;
  if (vsix) {
    const r = spawnSync(process.execPath, [
      CODE_SERVER_ENTRY, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(tmp, 'ud'),
      '--install-extension', path.resolve(ROOT, vsix),
    ], { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(tmp, 'xdg-config') } });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`--install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return `vsix ${vsix}`;
  }
  // A staged copy of what the .vsix would ship, not a symlink to the repository: the extension
  // manager writes `__metadata` into the installed package.json (and reformats it).
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const dir = path.join(extensionsDir, `${EXTENSION_ID}-${pkg.version}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of STAGED) {
    const from = path.join(ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  return `staged copy ${path.basename(dir)}`;
}

/** What an installed extension contains (as .vscodeignore lets through). */
const STAGED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media', 'schemas', 'seeds'];

export async function startSession(): Promise<E2ESession> {
  const t0 = Date.now();
  const since = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const tmp = makeTempRoot('e2e');
  const workspace = makeWorkspace(tmp);
  const extensionsDir = path.join(tmp, 'exts');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const how = installExtension(extensionsDir, tmp);
  const signalFile = path.join(tmp, 'activated.json');
  const host = e2eHost();
  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  try {
    server = await startCodeServer({
      tmpRoot: tmp,
      extensionsDir,
      env: { MARGINALIA_TEST_SIGNAL_FILE: signalFile, MARGINALIA_TEST: '1' },
      settings: hostSettings(host, signalFile),
      verbose,
    });
    browser = await launchChromium(tmp);
    if (verbose) {
      browser.page.on('console', (m) => console.log(`[workbench ${m.type()}] ${m.text()}`));
      browser.page.on('pageerror', (e) => console.log(`[workbench pageerror] ${e.message}`));
    }
    const workbench = new Workbench(browser.page, { workspace, origin: server.origin, signalFile });
    await browser.page.goto(server.url(workspace));
    await workbench.waitForWorkbench();
    console.log(`    [e2e] workbench up at ${server.origin} after ${since()} (extension: ${how}, ${host} extension host)`);
    const s = server;
    const b = browser;
    return {
      workbench,
      host,
      server: s,
      browser: b,
      tmp,
      close: async () => {
        await b.close().catch((err: unknown) => console.error(`[e2e] closing chromium: ${String(err)}`));
        await s.stop();
        if (verbose) console.log(s.output());
        fs.rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    if (server) {
      console.error(server.output().slice(-4000));
      await server.stop();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
