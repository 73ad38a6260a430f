// The foundation's in-host checks: the extension loads and activates in a real extension host,
// its commands and views are registered, and the fixture workspace is open.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'marginalia-dev.marginalia';

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
});
