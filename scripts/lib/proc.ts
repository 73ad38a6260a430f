// Small process helpers: free ports, process groups, build steps.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { ROOT } from './paths';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Kills a detached child's whole process group (code-server's watcher outlives SIGTERM otherwise). */
export async function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') signal('SIGKILL');
  // The group may still hold children after the leader exited.
  signal('SIGKILL');
}

/** Runs `node scripts/build.mjs` (dev build of the Node and browser bundles). Throws on failure. */
export function buildExtension(production = false): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', ...(production ? ['--production'] : [])], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`scripts/build.mjs exited with ${r.status}`);
}

/** Ensures code-server is set up (idempotent; < 1 s when it is). Throws on failure. */
export function ensureCodeServer(): void {
  const r = spawnSync(process.execPath, ['scripts/setup-code-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('code-server setup failed (npm run setup:vscode)');
}

export function spawnDetached(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string }): ChildProcess {
  return spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}
