// The foundation's in-host checks: the extension loads and activates in a real extension host,
// its commands and views are registered, and the fixture workspace is open.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../../src/host/api';
import { EXTENSION_ID } from './helpers';


describe('foundation (in a real extension host)', () => {
  it('finds the extension and activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('opens the fixture workspace with the seeds', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    const seeds = await vscode.workspace.findFiles('seeds/*.txt');
    assert.ok(seeds.length >= 1, 'no seeds/*.txt in the workspace');
  });

  it('registers every command the manifest declares', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const declared = ((ext.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [])
      .map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('activates on opening a seed and the document is plain text', async () => {
    const [seed] = await vscode.workspace.findFiles('seeds/*.txt');
    const doc = await vscode.workspace.openTextDocument(seed);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'plaintext');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
  });

  it('returns its API from activate() and decorates what it recognises in the seed', async () => {
    const api = await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate();
    assert.equal(typeof api.whenIdle, 'function', 'activate() does not return the test API');
    const [seed] = await vscode.workspace.findFiles('seeds/*.txt');
    const editor = await vscode.window.showTextDocument(seed);
    await api.whenIdle();
    const analysis = api.analysisFor(seed);
    assert.ok(analysis, 'the seed was not analysed');
    assert.ok(analysis.quotes.length > 0 && analysis.mentions.length > 0, 'no quotations or mentions recognised in the seed');
    const painted = Object.values(api.decorationsFor(editor)).reduce((n, ranges) => n + ranges.length, 0);
    assert.ok(painted > 0, 'nothing painted in the seed');
    const lavrov = analysis.mentions.find((m) => m.text === 'Sergei Lavrov');
    assert.ok(lavrov, 'Sergei Lavrov is not recognised');
    assert.equal(editor.document.getText().slice(lavrov.start, lavrov.end), 'Sergei Lavrov', 'offsets do not match the document');
  });
});
