// The browser bundle (vscode.dev, web hosts) must not import any Node built-in: the core runs there.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WEB_BUNDLE = path.join(ROOT, 'dist', 'web', 'extension.js');
const NODE_BUNDLE = path.join(ROOT, 'dist', 'node', 'extension.js');
/** The part of the Node bundle loaded on first use, not at activation (src/host/heavy.ts). */
const NODE_HEAVY = path.join(ROOT, 'dist', 'node', 'heavy.js');
/** Strings that survive minification and mark the heavy modules: the `yaml` package, the tagger model loader, the gazetteers. */
const HEAVY_MARKERS = ['YAMLParseError', 'Invalid Marginalia NER model', 'Afghanistan'];

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** Every module specifier the bundle loads: require("x"), import("x"), `from "x"`. */
export function loadedModules(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\brequire\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g,
    /\bimport\s*\(\s*(["'`])([^"'`]+)\1\s*\)/g,
    /\bfrom\s*(["'])([^"']+)\1/g,
    /\bimport\s*(["'])([^"']+)\1/g,
  ];
  // Only module-shaped specifiers: prose in string literals ("taken from ', '") is not an import.
  const moduleLike = /^(node:)?(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)*$/;
  for (const re of patterns) for (const m of code.matchAll(re)) if (moduleLike.test(m[2])) found.add(m[2]);
  return [...found].sort();
}

export function nodeBuiltinsIn(modules: string[]): string[] {
  return modules.filter((m) => m.startsWith('node:') || BUILTINS.has(m) || BUILTINS.has(m.split('/')[0]));
}

describe('build: bundles', function () {
  this.timeout(120_000);

  before(() => {
    // scripts/test-all.mjs builds once before the unit layer and sets MARGINALIA_SKIP_BUILD=1.
    if (process.env.MARGINALIA_SKIP_BUILD === '1' && fs.existsSync(WEB_BUNDLE)) return;
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `scripts/build.mjs failed:\n${r.stdout}\n${r.stderr}`);
  });

  it('the detector finds Node built-ins in every import form (so it can fail)', () => {
    const sample = [
      'var a = require("fs");', "const b = require('node:path');", 'import("child_process")',
      'import { x } from "os";', 'require("fs/promises")', 'require("vscode")', 'require("yaml")', 'msg = "taken from \\", \\""',
    ].join('\n');
    assert.deepEqual(nodeBuiltinsIn(loadedModules(sample)), ['child_process', 'fs', 'fs/promises', 'node:path', 'os']);
  });

  it('the browser bundle exists and loads only `vscode`', () => {
    assert.ok(fs.existsSync(WEB_BUNDLE), `${WEB_BUNDLE} was not built`);
    const code = fs.readFileSync(WEB_BUNDLE, 'utf8');
    assert.ok(code.length > 1000, 'the browser bundle is suspiciously small');
    const modules = loadedModules(code);
    assert.deepEqual(nodeBuiltinsIn(modules), [], `Node built-ins in dist/web/extension.js: ${nodeBuiltinsIn(modules).join(', ')}`);
    assert.deepEqual(modules.filter((m) => m !== 'vscode'), [], `the browser bundle loads modules besides vscode: ${modules.join(', ')}`);
  });

  it('the Node bundle has everything bundled except `vscode`, Node built-ins and its own heavy part', () => {
    assert.ok(fs.existsSync(NODE_BUNDLE), `${NODE_BUNDLE} was not built`);
    const modules = loadedModules(fs.readFileSync(NODE_BUNDLE, 'utf8'));
    const external = modules.filter((m) => m !== 'vscode' && m !== './heavy.js' && nodeBuiltinsIn([m]).length === 0);
    assert.deepEqual(external, [], `the Node bundle requires packages that a --no-dependencies .vsix will not ship: ${external.join(', ')}`);
    assert.ok(modules.includes('./heavy.js'), 'dist/node/extension.js does not load ./heavy.js');
    assert.ok(fs.existsSync(NODE_HEAVY), `${NODE_HEAVY} was not built`);
    const heavyModules = loadedModules(fs.readFileSync(NODE_HEAVY, 'utf8'));
    const heavyExternal = heavyModules.filter((m) => m !== 'vscode' && nodeBuiltinsIn([m]).length === 0);
    assert.deepEqual(heavyExternal, [], `dist/node/heavy.js requires packages that a --no-dependencies .vsix will not ship: ${heavyExternal.join(', ')}`);
  });

  it('activation loads only the light part: yaml, the tagger and the gazetteers are in dist/node/heavy.js', () => {
    const light = fs.readFileSync(NODE_BUNDLE, 'utf8');
    const heavy = fs.readFileSync(NODE_HEAVY, 'utf8');
    const web = fs.readFileSync(WEB_BUNDLE, 'utf8');
    for (const marker of HEAVY_MARKERS) {
      assert.ok(!light.includes(marker), `dist/node/extension.js contains ${JSON.stringify(marker)}: a heavy module is imported on the activation path (use heavy() from src/host/lazy.ts)`);
      assert.ok(heavy.includes(marker), `dist/node/heavy.js lacks ${JSON.stringify(marker)}`);
      assert.ok(web.includes(marker), `the browser bundle (one file) lacks ${JSON.stringify(marker)}`);
    }
    assert.ok(light.length * 2 < heavy.length, `the activation part (${light.length} bytes) is not much smaller than the heavy part (${heavy.length} bytes)`);
  });

  it('in a browser-style bundle the heavy part stays inside and runs on first use, with no global `require`', async () => {
    // The same options as the web entry of scripts/build.mjs, over the lazy engine: run where there
    // is no Node `require` (a Function body), as on vscode.dev.
    const esbuild = await import('esbuild');
    const r = await esbuild.build({
      stdin: { contents: "export { lazyEngine } from './src/host/analysis/lazyEngine'; export { heavyLoaded } from './src/host/lazy';", resolveDir: ROOT, loader: 'ts' },
      bundle: true, write: false, platform: 'browser', format: 'iife', globalName: 'lazyBundle', target: 'es2022',
      mainFields: ['browser', 'module', 'main'], define: { 'process.platform': '"web"', 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent',
    });
    const code = r.outputFiles[0].text;
    assert.deepEqual(loadedModules(code), [], 'the browser-style bundle loads nothing');
    type Lazy = { lazyEngine(): { analyze(k: string, t: string, e: undefined, o: object): { mentions: { text: string }[] } }; heavyLoaded(): boolean };
    const m = new Function(`${code}\nreturn lazyBundle;`)() as Lazy;
    assert.equal(m.heavyLoaded(), false, 'loading the bundle ran the heavy part');
    const engine = m.lazyEngine();
    assert.equal(m.heavyLoaded(), false, 'creating the lazy engine ran the heavy part');
    const a = engine.analyze('k', 'Sergei Lavrov met Antony Blinken in Geneva on Monday.', undefined, {});
    assert.ok(m.heavyLoaded());
    assert.ok(a.mentions.some((x) => x.text === 'Geneva'), JSON.stringify(a.mentions));
  });
});
