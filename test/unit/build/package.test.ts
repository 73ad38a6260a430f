// What `npm run package` ships: only what users need (`vsce ls` honours .vscodeignore).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Files a user's install may contain. */
const ALLOWED = [
  /^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE(\.md|\.txt)?$/,
  /^dist\/node\/extension\.js$/, /^dist\/node\/heavy\.js$/, /^dist\/web\/extension\.js$/, /^dist\/model\//,
  /^media\//, /^schemas\//, /^seeds\//,
];
const REQUIRED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/node/extension.js', 'dist/node/heavy.js', 'dist/web/extension.js'];

describe('build: the .vsix contents (vsce ls)', function () {
  this.timeout(180_000);
  let files: string[] = [];

  before(() => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `vsce ls failed:\n${r.stderr}`);
    files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  });

  it('ships the manifest, docs, licence and both bundles', () => {
    assert.deepEqual(REQUIRED.filter((f) => !files.includes(f)), []);
  });

  it('ships nothing else (no sources, tests, source maps, node_modules)', () => {
    assert.deepEqual(files.filter((f) => !ALLOWED.some((re) => re.test(f))), []);
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
  });
});
