/**
 * The recogniser as it ships. The extension and the CLI run esbuild bundles (scripts/build.mjs:
 * one module scope, minified, target es2022); the bench's own TypeScript loader (tsx) compiles
 * every source file to a separate CommonJS module whose imports are property reads through
 * getters, which costs the cross-module calls of the hot paths ~15 %. So the throughput case
 * measures a bundle built here, in the same run, with the production build's options, from the
 * same sources (bench/lib/core-entry.ts); the TypeScript sources through tsx are reported beside it.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

export interface ShippedCore {
  tokenize(text: string): unknown;
  loadTaggerModel(bytes: Uint8Array): unknown;
  tagDocument(model: unknown, text: string): unknown;
  recognizeEntities(text: string, options?: { model?: unknown }): unknown;
  analyze(text: string, options?: { model?: unknown }): unknown;
  /** Where the bundle was written. */
  file: string;
}

export async function loadShippedCore(root: string): Promise<ShippedCore> {
  const esbuild = await import('esbuild');
  const dir = join(tmpdir(), `marginalia-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'core.js');
  await esbuild.build({
    entryPoints: [resolve(root, 'bench/lib/core-entry.ts')],
    outfile: file,
    bundle: true,
    minify: true,
    sourcemap: false,
    target: 'es2022',
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const req = createRequire(file);
  const mod = req(file) as Omit<ShippedCore, 'file'>;
  return { ...mod, file };
}
