// Attributions (reported speech without quotation marks) inside a real extension host: the editor's
// analysis carries them, they are painted apart from quotations and toggled by
// marginalia.decorations.attribution, they move with edits, the hover explains them (content and
// cue), the Quotes view lists them under the speaker with its filter, Next / Previous Reported Speech
// go through them, and Set Quotation Speaker works on them (the fragment in quotation marks follows).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../../src/host/api';
import type { QuotesNode } from '../../../src/host/views/trees';
import { EXTENSION_ID, until, write } from './helpers';

/** A made-up article: two reported statements, one with a fragment in quotation marks, and one quotation. */
export const REPORTED = [
  'Harbour plan in doubt',
  '',
  'PORT ELLIS, 3 June (Wire) - The harbour minister said the seawall plan would fail without new funding.',
  '',
  "According to the Fishers' Union, more than 400 boats have stayed in port since April.",
  '',
  'Mayor Jane Okafor told reporters that the plan was "a disaster for everyone" and would be withdrawn.',
  '',
  '"We will not give up," Okafor said.',
  '',
].join('\n');

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n\n');
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('marginalia').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('attributions (reported speech) in a real extension host', function () {
  this.timeout(30_000);
  let api: MarginaliaApi;
  let root: vscode.Uri;
  let src: vscode.Uri;
  let editor: vscode.TextEditor;
  const text = () => editor.document.getText();
  const analysis = () => api.analysisFor(src);
  const reported = () => (analysis()?.quotes ?? []).filter((q) => q.kind === 'indirect');

  before(async () => {
    api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'attributions-it');
    await vscode.workspace.fs.createDirectory(root);
    src = vscode.Uri.joinPath(root, 'harbour.txt');
    await write(src, REPORTED);
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => analysis(), 'the analysis');
    await api.whenIdle();
  });

  after(async () => {
    await vscode.commands.executeCommand('marginalia.quotes.showReportedSpeech');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.annotations?.whenIdle();
    await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
  });

  it('the editor analysis carries reported statements (kind indirect, speaker, cue) and the fragment tied to one (partOf)', () => {
    const a = analysis()!;
    const r = reported();
    assert.ok(r.length >= 3, `reported statements: ${r.map((q) => text().slice(q.start, q.end)).join(' | ')}`);
    const minister = r.find((q) => text().slice(q.start, q.end).includes('seawall plan would fail'));
    assert.ok(minister, 'the minister\'s statement');
    assert.match(minister.speaker?.name ?? '', /minister/i);
    assert.equal(minister.cue && text().slice(minister.cue.start, minister.cue.end), 'said');
    const fragment = a.quotes.find((q) => text().slice(q.start, q.end) === '"a disaster for everyone"');
    assert.ok(fragment?.partOf !== undefined, 'the marked words are part of a reported statement');
    assert.equal(a.quotes[fragment.partOf].kind, 'indirect');
    assert.match(text().slice(a.quotes[fragment.partOf].start, a.quotes[fragment.partOf].end), /the plan was "a disaster for everyone"/);
  });

  it('paints reported speech as attributions, quotations as quotations', async () => {
    await until(() => api.decorationsFor(editor).attribution.length >= 3, 'attribution decorations');
    const painted = api.decorationsFor(editor);
    const attributions = painted.attribution.map((r) => editor.document.getText(r));
    const quotations = painted.quotation.map((r) => editor.document.getText(r));
    assert.ok(attributions.some((t) => t.includes('seawall plan would fail')), attributions.join(' | '));
    assert.ok(attributions.some((t) => t.includes('400 boats have stayed in port')), attributions.join(' | '));
    assert.ok(quotations.includes('"We will not give up,"'), quotations.join(' | '));
    assert.ok(!quotations.some((t) => t.includes('seawall')), 'reported speech is not painted as a quotation');
  });

  it('marginalia.decorations.attribution switches them off and on, quotations untouched', async () => {
    await setting('decorations.attribution', false);
    try {
      await until(() => api.decorationsFor(editor).attribution.length === 0, 'attributions cleared');
      assert.ok(api.decorationsFor(editor).quotation.length > 0, 'quotations stay');
    } finally {
      await setting('decorations.attribution', undefined);
    }
    await until(() => api.decorationsFor(editor).attribution.length >= 3, 'attributions back');
  });

  it('the hover on the reported content, and on its cue, is the attribution card', async () => {
    const at = text().indexOf('400 boats');
    const card = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', src, editor.document.positionAt(at + 2)));
    assert.match(card, /\*\*Reported speech\*\* — by \*\*(?:the )?Fishers/, card);
    assert.match(card, /Cue: \*According to\*/, card);
    assert.match(card, /Reported: more than 400 boats have stayed in port since April/, card);
    assert.match(card, /command:marginalia\.setQuoteSpeaker/, 'Wrong speaker? is offered');
    const cue = text().indexOf('said the seawall');
    const onCue = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', src, editor.document.positionAt(cue + 1)));
    assert.match(onCue, /\*\*Reported speech\*\*/, onCue);
    assert.match(onCue, /Reported: .*seawall plan would fail/, onCue);
    // the fragment in quotation marks says whose reported statement it is part of
    const frag = text().indexOf('a disaster for everyone');
    const fragCard = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', src, editor.document.positionAt(frag + 3)));
    assert.match(fragCard, /Part of a reported statement by \*\*Jane Okafor\*\*/, fragCard);
  });

  it('the Quotes view lists reported statements under the speaker, marked reported; Quotations Only hides them', async () => {
    const items = async () => {
      const out: { speaker: string; label: string; description: string }[] = [];
      for (const g of (await api.quotesTree.getChildren()) as QuotesNode[]) {
        if (g.kind !== 'speaker') continue;
        for (const q of (await api.quotesTree.getChildren(g)) as QuotesNode[]) {
          const item = await api.quotesTree.getTreeItem(q);
          out.push({ speaker: g.group.name, label: String(typeof item.label === 'object' ? item.label.label : item.label), description: String(item.description ?? '') });
        }
      }
      return out;
    };
    const all = await until(async () => {
      const list = await items();
      return list.some((x) => x.description === 'reported') ? list : undefined;
    }, 'reported statements in the Quotes view');
    const jane = all.filter((x) => x.speaker === 'Jane Okafor');
    assert.ok(jane.some((x) => x.description === 'reported' && x.label.startsWith('the plan was')), JSON.stringify(jane));
    assert.ok(jane.some((x) => x.label === '"We will not give up,"' && x.description === 'full'), JSON.stringify(jane));
    assert.ok(jane.some((x) => x.description === 'partial · in reported speech'), JSON.stringify(jane));
    await vscode.commands.executeCommand('marginalia.quotes.quotationsOnly');
    const only = await items();
    assert.ok(only.length > 0 && only.every((x) => x.description !== 'reported'), JSON.stringify(only));
    await vscode.commands.executeCommand('marginalia.quotes.showReportedSpeech');
    assert.equal((await items()).length, all.length);
  });

  it('Next / Previous Reported Speech select the statements; Next Quotation skips them', async () => {
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('marginalia.nextAttribution');
    assert.match(editor.document.getText(editor.selection), /seawall plan would fail/);
    await vscode.commands.executeCommand('marginalia.nextAttribution');
    assert.match(editor.document.getText(editor.selection), /400 boats/);
    await vscode.commands.executeCommand('marginalia.previousAttribution');
    assert.match(editor.document.getText(editor.selection), /seawall plan would fail/);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('marginalia.nextQuotation');
    assert.equal(editor.document.getText(editor.selection), '"a disaster for everyone"');
  });

  it('reported statements move with edits made before them', async () => {
    const before = reported().map((q) => text().slice(q.start, q.end));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'UPDATED: '));
    await api.whenIdle();
    await until(() => analysis() && api.decorationsFor(editor).attribution.length >= 3, 'the new analysis painted');
    assert.deepEqual(reported().map((q) => text().slice(q.start, q.end)), before);
    for (const q of reported()) if (q.cue) assert.match(text().slice(q.cue.start, q.cue.end), /said|According to|told/);
    assert.deepEqual(api.decorationsFor(editor).attribution.map((r) => editor.document.getText(r)), before);
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('Set Quotation Speaker on a statement\'s cue corrects the statement, and its fragment in quotation marks follows', async () => {
    // The cursor in the cue (as a user would leave it), the speaker given as the quick pick would.
    const cue = editor.document.positionAt(text().indexOf('told reporters') + 1);
    editor.selection = new vscode.Selection(cue, cue);
    await vscode.commands.executeCommand('marginalia.setQuoteSpeaker', { speaker: 'Port Ellis Council' });
    await api.annotations?.whenIdle();
    const statementOf = () => reported().find((q) => text().slice(q.start, q.end).startsWith('the plan was'));
    await until(() => statementOf()?.speaker?.name === 'Port Ellis Council', 'the statement corrected');
    const fragment = analysis()!.quotes.find((q) => text().slice(q.start, q.end) === '"a disaster for everyone"');
    assert.equal(fragment?.speaker?.name, 'Port Ellis Council', 'the fragment follows its statement');
    const corrections = api.annotations?.getCorrections(src) ?? [];
    assert.equal(corrections.filter((c) => c.action === 'speaker').length, 2, 'one correction each for the statement and its fragment');
  });
});
