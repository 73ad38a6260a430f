// Starts code-server 4.96.4 (a real VS Code 1.96 server with the Node extension host) for tests.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, CODE_SERVER_MARKER } from './paths';
import { freePort, killGroup, spawnDetached } from './proc';

/** User settings for every test run: nothing (welcome page, trust prompt, updates) gets in the way. */
export const TEST_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'editor.hover.delay': 100,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

export interface CodeServerOptions {
  /** Temp folder for config, user data and extensions (created by the caller). */
  tmpRoot: string;
  /** Extensions folder; defaults to `<tmpRoot>/exts`. Symlink `publisher.name-version` folders into it to install. */
  extensionsDir?: string;
  /** Extra environment for the server and its extension host (e.g. MARGINALIA_TEST_SIGNAL_FILE). */
  env?: Record<string, string>;
  /** Extra user settings merged over TEST_USER_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Print the server's output as it comes (default: only on failure). */
  verbose?: boolean;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  userDataDir: string;
  extensionsDir: string;
  /** Workbench URL for a folder, optionally with a `payload` (extensionDevelopmentPath, extensionTestsPath…). */
  url(folder: string, payload?: Array<[string, string]>): string;
  /** `vscode-remote://127.0.0.1:PORT/abs/path`: how payload entries name files on the server. */
  remote(absPath: string): string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export function codeServerInstalled(): boolean {
  return fs.existsSync(CODE_SERVER_MARKER) && fs.existsSync(CODE_SERVER_ENTRY);
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  if (!codeServerInstalled()) throw new Error('code-server is not set up: run `npm run setup:vscode`');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const userDataDir = path.join(opts.tmpRoot, 'ud');
  const extensionsDir = opts.extensionsDir ?? path.join(opts.tmpRoot, 'exts');
  const config = path.join(opts.tmpRoot, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(config, 'auth: none\n');
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...TEST_USER_SETTINGS, ...opts.settings }, null, 2),
  );

  const args = [
    CODE_SERVER_ENTRY, '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    // Keep code-server from writing to the user's real config folders.
    XDG_CONFIG_HOME: path.join(opts.tmpRoot, 'xdg-config'),
    XDG_DATA_HOME: path.join(opts.tmpRoot, 'xdg-data'),
    ...opts.env,
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  const child: ChildProcess = spawnDetached(process.execPath, args, { env });
  let out = '';
  const onData = (buf: Buffer): void => {
    const s = buf.toString();
    out += s;
    if (opts.verbose) process.stdout.write(`[code-server] ${s}`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  const server: CodeServer = {
    port,
    origin,
    userDataDir,
    extensionsDir,
    url(folder, payload) {
      let u = `${origin}/?folder=${encodeURIComponent(folder)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    remote(absPath) {
      return `vscode-remote://127.0.0.1:${port}${absPath}`;
    },
    output: () => out,
    stop: () => killGroup(child),
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`code-server did not listen within 30 s. Output:\n${out}`));
    }, 30_000);
    const check = (): void => {
      if (out.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? sig}) before listening. Output:\n${out}`));
    });
  }).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  return server;
}
