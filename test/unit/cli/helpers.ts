import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'bin', 'marginalia.js');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'marginalia.js');

/** Builds dist/cli/marginalia.js (what `npm run prepare` builds) once per test run. */
let built = false;
export async function buildCli(): Promise<void> {
  if (built) return;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    logLevel: 'warning',
    outfile: BUNDLE,
  });
  built = true;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT, input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const created: string[] = [];

export function tmpdir(prefix = 'marginalia-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder `tmpdir` made (call from an `after` hook). */
export function removeTmpdirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
