/**
 * Fresh-process measurements. The project's core is bundled once per run with esbuild (minified,
 * CommonJS, as the extension ships it) into a temp folder; small generated scripts then `require`
 * it in child processes (`node [--expose-gc] script.cjs`), so every child starts with fresh module
 * state and no tsx compilation in the timings. The entry is generated too (absolute imports), so
 * a module that has not landed only makes the build fail, which the cases turn into a skip.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BenchContext, firstLine, skip } from './harness';

/** [export, file, required]: optional ones are bundled only when the file declares them. */
const ENTRY_EXPORTS: [string, string, boolean][] = [
  ['analyze', 'src/core/analyze.ts', true],
  ['loadTaggerModel', 'src/core/ner/tagger/index.ts', true],
  ['tagDocument', 'src/core/ner/tagger/index.ts', false],
  ['recognizeEntities', 'src/core/ner/index.ts', false],
  ['tokenize', 'src/core/text/tokenize.ts', false],
  ['WARM_UP_TEXT', 'src/core/text/warmUpText.ts', false],
  ['ChunkedEngine', 'src/core/live/chunked.ts', false],
  // Where earlier trees (a baseline checkout) had it.
  ['ChunkedEngine', 'src/host/live/chunked.ts', false],
  ['IncrementalEngine', 'src/host/analysis/engine.ts', false],
];

function declares(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  return new RegExp(`export\\s+(?:class|function|const)\\s+${name}\\b`).test(readFileSync(file, 'utf8'));
}

export interface CoreBundle {
  dir: string;
  file: string;
}

/** Builds (once per run) the core bundle; throws Skip when it does not build. */
export async function coreBundle(ctx: BenchContext): Promise<CoreBundle> {
  const cached = ctx.shared.get('coreBundle') as CoreBundle | Error | undefined;
  if (cached instanceof Error) skip(cached.message);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'marginalia-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'entry.ts');
  const lines = ENTRY_EXPORTS.filter(([name, rel, required]) => required || declares(resolve(ctx.root, rel), name)).map(
    ([name, rel]) => `export { ${name} } from ${JSON.stringify(resolve(ctx.root, rel))};`,
  );
  writeFileSync(entry, lines.join('\n') + '\n');
  const file = join(dir, 'core.cjs');
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'cjs',
      target: 'es2022',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
  } catch (err) {
    const e = new Error(`core bundle does not build: ${firstLine(err)}`);
    ctx.shared.set('coreBundle', e);
    skip(e.message);
  }
  const bundle = { dir, file };
  ctx.shared.set('coreBundle', bundle);
  return bundle;
}

/** The line of a child's stderr that names the error (`TypeError: …`), if any. */
function errorLine(stderr: string): string | undefined {
  return stderr.split('\n').find((l) => /^\w*Error\b|^\w+Error:/.test(l.trim()))?.trim().slice(0, 300);
}

/** Runs `node [flags] script` with the script's text written beside the bundle; returns its JSON output. */
export function runChild<T>(bundle: CoreBundle, name: string, script: string, flags: string[] = [], timeoutMs = 60_000): Promise<T> {
  const path = join(bundle.dir, name);
  writeFileSync(path, script);
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [...flags, path], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`child ${name} failed: ${errorLine(stderr) ?? firstLine(err)}`));
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolvePromise(JSON.parse(line) as T);
      } catch {
        reject(new Error(`child ${name} printed no JSON: ${line.slice(0, 200)}`));
      }
    });
  });
}
