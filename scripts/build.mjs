// Builds every bundle with esbuild.
//   node scripts/build.mjs               development build (source maps)
//   node scripts/build.mjs --production  minified, no source maps
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

// The Node bundle is two files. dist/node/extension.js is what activation loads: host wiring and
// light core modules. dist/node/heavy.js (src/host/heavy.ts: recognition, the `yaml` codecs,
// interchange) is loaded by `require('./heavy')` in src/host/lazy.ts on first use, so the module
// load at activation parses and runs a fraction of the code. This plugin turns that one `require`
// into a require of the sibling file instead of bundling it in.
/** @type {import('esbuild').Plugin} */
const heavyApart = {
  name: 'marginalia-heavy-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/heavy$/ }, (args) =>
      /[\\/]src[\\/]host[\\/]lazy\.ts$/.test(args.importer) ? { path: './heavy.js', external: true } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    // The desktop / server extension host: activation part.
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/node/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [heavyApart],
  },
  {
    // …and the part loaded on first use (see heavyApart).
    ...common,
    entryPoints: ['src/host/heavy.ts'],
    outfile: 'dist/node/heavy.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    // vscode.dev and other web hosts: a browser bundle, no Node built-ins. One file: the heavy part
    // stays inside (its module bodies still run only on the first `heavy()`).
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    mainFields: ['browser', 'module', 'main'],
    external: ['vscode'],
    define: { ...common.define, 'process.platform': '"web"' },
    alias: {},
  },
];

if (existsSync('src/cli/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli/marginalia.js',
    platform: 'node',
    format: 'cjs',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[marginalia] watching for changes…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  for (const [i, r] of results.entries()) {
    const out = Object.entries(r.metafile.outputs).find(([f]) => f.endsWith('.js'));
    if (out) console.log(`[marginalia] ${builds[i].outfile}: ${(out[1].bytes / 1024).toFixed(1)} KB`);
  }
}
