// Manifest hygiene: the things that make the extension load in VS Code 1.96 and look right.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
  name: string;
  publisher: string;
  main?: string;
  browser?: string;
  engines: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
  activationEvents?: string[];
  capabilities?: { untrustedWorkspaces?: { supported: unknown }; virtualWorkspaces?: { supported: unknown } | boolean };
  contributes: {
    commands?: Array<{ command: string; title: string; category?: string }>;
    views?: Record<string, Array<{ id: string; name: string }>>;
    viewsContainers?: Record<string, Array<{ id: string; title: string; icon: string }>>;
    viewsWelcome?: Array<{ view: string; contents: string }>;
    menus?: Record<string, Array<{ command?: string; submenu?: string }>>;
    keybindings?: Array<{ command: string }>;
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const commands = pkg.contributes.commands ?? [];

describe('build: manifest (package.json)', () => {
  it('targets VS Code 1.96 (code-server 4.96.4 is the test host) with matching API types', () => {
    assert.equal(pkg.engines.vscode, '^1.96.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '~1.96.0');
  });

  it('is marginalia-dev.marginalia with a Node and a browser entry point', () => {
    assert.equal(`${pkg.publisher}.${pkg.name}`, 'marginalia-dev.marginalia');
    assert.equal(pkg.main, './dist/node/extension.js');
    assert.equal(pkg.browser, './dist/web/extension.js');
  });

  it('does not activate on everything', () => {
    const events = pkg.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activationEvents must not contain "*"');
    assert.ok(!events.includes('onStartupFinished'), 'activate on sources, not on every startup');
    assert.ok(events.some((e) => e.startsWith('onLanguage:')), 'activates on a source language');
  });

  it('puts every command in category "Marginalia" with a title', () => {
    assert.ok(commands.length > 0, 'no commands contributed');
    const bad = commands.filter((c) => c.category !== 'Marginalia' || !c.title);
    assert.deepEqual(bad.map((c) => c.command), []);
  });

  it('names every command marginalia.* once', () => {
    const ids = commands.map((c) => c.command);
    assert.deepEqual(ids.filter((id) => !id.startsWith('marginalia.')), []);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate command ids');
  });

  it('gives every view a viewsWelcome (never a blank pane)', () => {
    const views = Object.values(pkg.contributes.views ?? {}).flat();
    assert.ok(views.length > 0, 'no views contributed');
    const welcomed = new Set((pkg.contributes.viewsWelcome ?? []).map((w) => w.view));
    assert.deepEqual(views.filter((v) => !welcomed.has(v.id)).map((v) => v.id), []);
  });

  it('has a Marginalia activity-bar container whose icon exists', () => {
    const container = (pkg.contributes.viewsContainers?.activitybar ?? []).find((c) => c.id === 'marginalia');
    assert.ok(container, 'no activity-bar container "marginalia"');
    assert.equal(container.title, 'Marginalia');
    assert.ok(fs.existsSync(path.join(ROOT, container.icon)), `${container.icon} is missing`);
  });

  it('only references declared commands in menus and keybindings', () => {
    const declared = new Set(commands.map((c) => c.command));
    const used = [
      ...Object.values(pkg.contributes.menus ?? {}).flat().map((m) => m.command),
      ...(pkg.contributes.keybindings ?? []).map((k) => k.command),
    ].filter((c): c is string => typeof c === 'string' && c.startsWith('marginalia.'));
    assert.deepEqual(used.filter((c) => !declared.has(c)), []);
  });

  it('declares its untrusted- and virtual-workspace support', () => {
    assert.ok(pkg.capabilities?.untrustedWorkspaces?.supported !== undefined);
    assert.ok(pkg.capabilities?.virtualWorkspaces !== undefined);
  });

  it('never lists code-server as a dependency (its postinstall breaks npm ci)', () => {
    assert.ok(!('code-server' in pkg.devDependencies));
    assert.ok(!('code-server' in (pkg.dependencies ?? {})));
  });
});
