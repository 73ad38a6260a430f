/**
 * Learning from corrections in a real extension host: a correction in one source applies
 * in another and adapts the tagger within a second; the hover says so; Forget Learned Corrections
 * resets the learned change while the correction keeps applying.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../../src/host/api';
import type { AnnotationsApi } from '../../../src/host/annotations';
import { EXTENSION_ID, until, write } from './helpers';

const TAUGHT = 'The band Velvet Harbor played at the festival on Sunday.\n';
const UNSEEN = 'The band Stone Harbor played at the club on Friday.\n';
const SAME = 'Tickets for Velvet Harbor sold out within an hour.\n';

describe('learning from corrections (in a real extension host)', function () {
  this.timeout(30_000);
  let api: MarginaliaApi;
  let ann: AnnotationsApi;
  let root: vscode.Uri;
  let marker: vscode.Uri;

  before(async () => {
    api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    ann = api.annotations!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    root = vscode.Uri.joinPath(folder, 'learning-it');
    marker = vscode.Uri.joinPath(folder, '.marginalia', 'learning.json');
    await vscode.workspace.fs.createDirectory(root);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await ann.whenIdle();
    await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
    try {
      await vscode.workspace.fs.delete(marker, { useTrash: false });
    } catch {
      // not written
    }
  });

  async function open(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(root, name);
    await write(uri, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await until(() => api.analysisFor(uri), `${name} analysed`);
    return doc;
  }

  const mentionOf = (doc: vscode.TextDocument, text: string) => api.analysisFor(doc.uri)?.mentions.find((m) => m.text === text);

  it('a correction in one source applies in the others and adapts the tagger within a second; the hover says so; Forget resets the learned part', async () => {
    const taught = await open('taught.txt', TAUGHT);
    const unseen = await open('unseen.txt', UNSEEN);
    const same = await open('same.txt', SAME);
    await api.whenIdle();
    const base = mentionOf(unseen, 'Stone Harbor')?.type;
    assert.notEqual(base, 'organization', 'the base model does not read the band as an organisation');

    const start = TAUGHT.indexOf('Velvet Harbor');
    await vscode.commands.executeCommand('marginalia.setEntityType', { uri: taught.uri.toString(), start, end: start + 'Velvet Harbor'.length, type: 'organization', scope: 'all' });
    const t0 = Date.now();
    await until(() => mentionOf(unseen, 'Stone Harbor')?.type === 'organization', 'the similar band learned as an organisation', 5_000);
    const ms = Date.now() - t0;
    assert.ok(ms < 2_000, `learned in ${ms} ms`);
    console.log(`      learned and re-analysed in ${ms} ms`);
    assert.equal(mentionOf(unseen, 'Stone Harbor')?.learned, true);
    await until(() => mentionOf(same, 'Velvet Harbor')?.type === 'organization', 'the correction applies in another source');

    // the hover over the learned mention says where its type comes from
    await vscode.window.showTextDocument(unseen, { preview: false });
    const at = unseen.positionAt(UNSEEN.indexOf('Stone Harbor') + 2);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', unseen.uri, at)) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /learned from your corrections/);

    // Forget: the learned change goes, the correction stays and still applies
    await vscode.commands.executeCommand('marginalia.forgetLearnedCorrections');
    await until(() => mentionOf(unseen, 'Stone Harbor')?.type === base, 'the learned change forgotten');
    await api.whenIdle();
    assert.equal(mentionOf(same, 'Velvet Harbor')?.type, 'organization', 'the correction still applies across the workspace');
    assert.equal(ann.getCorrections(taught.uri).length, 1, 'the correction stays in its sidecar');
  });
});
