import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DECORATION_KINDS } from '../../../src/host/decorations/kinds';

// The typed Configuration (src/host/config.ts) is the one place the extension reads settings: every
// key package.json contributes is read there, it reads no key that is not contributed, and no other
// file of the extension calls getConfiguration (lint forbids it too; this names the file).

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CONFIG = fs.readFileSync(path.join(ROOT, 'src/host/config.ts'), 'utf8');
const contributed = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes.configuration.properties,
);

/** The keys config.ts reads: `c.get('key')`, `c.inspect('key')`, and `decorations.<kind>` for every kind. */
function keysRead(): Set<string> {
  const out = new Set<string>();
  for (const m of CONFIG.matchAll(/\bc\.(?:get|inspect)<[^>]*>\('([^']+)'/g)) out.add(`marginalia.${m[1]}`);
  if (CONFIG.includes('c.get<boolean>(`decorations.${kind}`')) for (const k of DECORATION_KINDS) out.add(`marginalia.decorations.${k}`);
  return out;
}

function hostFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? hostFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('host: one typed Configuration for every setting', () => {
  it('reads every contributed marginalia.* key', () => {
    const read = keysRead();
    const missing = contributed.filter((k) => !read.has(k));
    assert.deepEqual(missing, [], `contributed but not read by src/host/config.ts: ${missing.join(', ')}`);
  });

  it('reads no key that package.json does not contribute (but the test harness\'s user-only signal file)', () => {
    const extra = [...keysRead()].filter((k) => !contributed.includes(k) && k !== 'marginalia.test.signalFile');
    assert.deepEqual(extra, []);
  });

  it('is the only file of the extension that calls getConfiguration', () => {
    const readers = [...hostFiles(path.join(ROOT, 'src/host')), path.join(ROOT, 'src/extension.ts')]
      .filter((f) => !f.endsWith(path.join('host', 'config.ts')))
      .filter((f) => /\bgetConfiguration\s*\(/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    assert.deepEqual(readers, []);
  });
});
