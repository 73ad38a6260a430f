// One table of command ids (src/host/commands.ts): equal to what package.json contributes, and the
// only place the extension's code spells an id.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Commands, HOVER_COMMANDS } from '../../../src/host/commands';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]>; keybindings?: { command: string }[] };
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('host: the command id table', () => {
  const ids = Object.values(Commands) as string[];

  it('holds every contributed command once, and nothing else', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.equal(new Set(ids).size, ids.length, 'an id appears twice in the table');
    assert.deepEqual([...ids].sort(), [...contributed].sort());
  });

  it('menus, keybindings and hover links name only commands of the table', () => {
    const known = new Set(ids);
    const used = [
      ...Object.values(manifest.contributes.menus).flat().map((m) => m.command).filter((c): c is string => !!c),
      ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
    ].filter((c) => c.startsWith('marginalia.'));
    assert.ok(used.length > 10, 'menus name our commands');
    assert.deepEqual(used.filter((c) => !known.has(c)), []);
    assert.deepEqual(HOVER_COMMANDS.filter((c) => !known.has(c)), []);
  });

  it('no other file of the extension spells a command id', () => {
    const spelled: string[] = [];
    const pattern = new RegExp(`['"\`](${ids.map((id) => id.replace(/\./g, '\\.')).join('|')})['"\`]`, 'g');
    for (const file of [...tsFiles(join(ROOT, 'src', 'host')), join(ROOT, 'src', 'extension.ts')]) {
      if (file.endsWith(join('host', 'commands.ts'))) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(pattern)) spelled.push(`${relative(ROOT, file)}: ${m[1]}`);
    }
    assert.deepEqual(spelled, []);
  });
});
