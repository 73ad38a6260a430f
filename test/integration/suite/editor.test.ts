// The editor experience inside a real extension host: analysis of the seed, hover cards,
// decorations per kind, the Quotes and Entities views, toggles, live typing, the size limit.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../../src/host/api';
import type { EntitiesNode, QuotesNode } from '../../../src/host/views/trees';
import { EXTENSION_ID, until } from './helpers';


function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}


async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('marginalia').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('editor (in a real extension host)', function () {
  this.timeout(30_000);
  let api: MarginaliaApi;
  let seed: vscode.TextDocument;
  let editor: vscode.TextEditor;

  before(async () => {
    api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    const [uri] = await vscode.workspace.findFiles('seeds/*.txt');
    seed = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(seed);
    await until(() => api.analysisFor(seed.uri), 'the seed analysis');
    await api.whenIdle();
  });

  it('analyses the seed: entities of every type and attributed quotations', () => {
    const a = api.analysisFor(seed.uri)!;
    const types = new Set(a.mentions.map((m) => m.type));
    for (const t of ['person', 'organization', 'place', 'group', 'date', 'number']) assert.ok(types.has(t as never), `no ${t} recognised`);
    assert.ok(a.quotes.length >= 8, `${a.quotes.length} quotations`);
    for (const m of a.mentions) assert.strictEqual(seed.getText().slice(m.start, m.end), m.text);
  });

  it('answers a hover on the bare "Lavrov" with Sergei Lavrov and his role', async () => {
    const text = seed.getText();
    const at = text.indexOf('Lavrov said');
    assert.ok(at > 0 && !text.slice(at - 7, at).includes('Sergei'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seed.uri, seed.positionAt(at + 2));
    const card = hoverText(hovers);
    assert.match(card, /Sergei Lavrov/, card);
    assert.match(card, /Russian Foreign Minister/, card);
    assert.match(card, /command:marginalia\.showAllMentions/, 'the card links to Show All Mentions');
    assert.match(card, /wikipedia\.org/, 'the card links to a Wikipedia search');
  });

  it('answers a hover on a quotation with its speaker and how it was attributed', async () => {
    const text = seed.getText();
    const at = text.indexOf('It is necessary to act based');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seed.uri, seed.positionAt(at + 5));
    const card = hoverText(hovers);
    assert.match(card, /said by \*\*Sergei Lavrov\*\*/, card);
    assert.match(card, /attributed by pronoun/, card);
  });

  it('gives the normalised date in a date\u2019s hover card', async () => {
    const text = seed.getText();
    const at = text.indexOf('23 October');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seed.uri, seed.positionAt(at + 1));
    assert.match(hoverText(hovers), /2023-10-23/);
  });

  it('shows the description from the user\u2019s dictionary, escaped, and follows its changes', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(root, '.marginalia', 'dictionary.yaml');
    const yaml = 'entries:\n  - name: Sergei Lavrov\n    type: person\n    aliases: [Lavrov]\n    description: "Foreign minister since 2004. [x](command:workbench.action.quit)"\n';
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(yaml));
    const at = seed.getText().indexOf('Lavrov said');
    const card = async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seed.uri, seed.positionAt(at + 2)));
    try {
      const withDescription = await until(async () => {
        await api.whenIdle();
        const c = await card();
        return /Foreign minister since 2004/.test(c) && c;
      }, 'the dictionary description in the hover');
      assert.ok(!/\]\(command:workbench/.test(withDescription), withDescription);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await until(async () => {
      await api.whenIdle();
      return !/Foreign minister since 2004/.test(await card());
    }, 'the description gone with the dictionary');
  });

  it('paints every decoration kind, and the speaker after a quotation', async () => {
    const painted = api.decorationsFor(editor);
    for (const kind of ['person', 'organization', 'place', 'group', 'date', 'number', 'quotation', 'speaker'] as const) {
      assert.ok(painted[kind].length > 0, `nothing painted for ${kind}`);
    }
    const labels = api.speakerLabelsFor(editor);
    assert.ok(labels.includes('— Sergei Lavrov'), labels.join(' | '));
    assert.ok(labels.includes('— Ebrahim Raisi'), labels.join(' | '));
    const person = painted.person.map((r) => seed.getText(r));
    assert.ok(person.includes('Sergei Lavrov'), person.join(' | '));
  });

  it('lists Raisi\u2019s quotations under Ebrahim Raisi in the Quotes view', async () => {
    const roots = (await api.quotesTree.getChildren()) as QuotesNode[];
    const raisi = roots.find((n) => n.kind === 'speaker' && n.group.name === 'Ebrahim Raisi');
    assert.ok(raisi, `speakers: ${roots.map((n) => (n.kind === 'speaker' ? n.group.name : '')).join(' | ')}`);
    const quotes = (await api.quotesTree.getChildren(raisi)) as QuotesNode[];
    const texts = quotes.map((q) => (q.kind === 'quote' ? q.text : ''));
    assert.ok(texts.length >= 3, texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('Today, the US is trying')), texts.join(' | '));
    const item = await api.quotesTree.getTreeItem(quotes[0]);
    assert.strictEqual(item.command?.command, 'marginalia.revealRange');
    // clicking reveals the quotation
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const active = vscode.window.activeTextEditor!;
    assert.strictEqual(active.document.getText(active.selection), texts[0]);
  });

  it('lists people with their mentions in the Entities view', async () => {
    const types = (await api.entitiesTree.getChildren()) as EntitiesNode[];
    const people = types.find((n) => n.kind === 'type' && n.group.type === 'person');
    assert.ok(people);
    const entities = (await api.entitiesTree.getChildren(people)) as EntitiesNode[];
    const lavrov = entities.find((n) => n.kind === 'entity' && n.group.canonical === 'Sergei Lavrov');
    assert.ok(lavrov, 'Sergei Lavrov is listed');
    const mentions = (await api.entitiesTree.getChildren(lavrov)) as EntitiesNode[];
    assert.ok(mentions.length >= 3, `${mentions.length} mentions`);
  });

  it('moves to the next quotation and entity from the cursor', async () => {
    editor = await vscode.window.showTextDocument(seed);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('marginalia.nextQuotation');
    const a = api.analysisFor(seed.uri)!;
    // (quotations in quotation marks: reported speech has Next / Previous Reported Speech)
    const first = a.quotes.filter((q) => q.kind !== 'indirect').sort((x, y) => x.start - y.start)[0];
    assert.strictEqual(seed.offsetAt(editor.selection.start), first.start);
    await vscode.commands.executeCommand('marginalia.nextEntity');
    assert.ok(a.mentions.some((m) => m.start === seed.offsetAt(editor.selection.start)));
  });

  it('switches a kind off and on from the settings', async () => {
    await setting('decorations.person', false);
    try {
      await until(() => api.decorationsFor(editor).person.length === 0, 'person decorations cleared');
      assert.ok(api.decorationsFor(editor).place.length > 0, 'other kinds stay');
    } finally {
      await setting('decorations.person', undefined);
    }
    await until(() => api.decorationsFor(editor).person.length > 0, 'person decorations back');
  });

  it('re-recognises while typing and never paints a stale result', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'Opening paragraph.\n\nNothing here.\n' });
    const ed = await vscode.window.showTextDocument(doc);
    await until(() => api.analysisFor(doc.uri), 'analysis of the new document');
    await api.whenIdle();
    const quotesBefore = api.analysisFor(doc.uri)!.quotes.length;
    // Several quick edits: they are merged and analysed once the typing stops.
    const line = doc.lineAt(2).range.end;
    await ed.edit((e) => e.insert(line, '\n\n“We will not '));
    const open = doc.getText().indexOf('“We will not ') + '“We will not '.length;
    await ed.edit((e) => e.insert(doc.positionAt(open), 'give up,” Vladimir Putin said on Monday.'));
    await api.whenIdle();
    const a = api.analysisFor(doc.uri)!;
    assert.ok(a.quotes.length > quotesBefore, 'the new quotation is found');
    const q = a.quotes.find((x) => doc.getText().slice(x.start, x.end).startsWith('“We will not'));
    assert.ok(q, 'quotation span');
    assert.match(q.speaker?.name ?? '', /Putin/);
    const painted = api.decorationsFor(ed).quotation.map((r) => doc.getText(r));
    assert.ok(painted.some((t) => t.startsWith('“We will not give up')), painted.join(' | '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('keeps a long source consistent when typing during its first analysis', async () => {
    const para = seed.getText().split(/\n\s*\n/).slice(4, 12).join('\n\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: Array(8).fill(para).join('\n\n') });
    const ed = await vscode.window.showTextDocument(doc);
    // Type while the first (chunked, yielding) analysis runs.
    for (let i = 0; i < 5; i++) await ed.edit((e) => e.insert(doc.positionAt(100 + i * 7), 'Moscow '));
    await until(() => api.analysisFor(doc.uri), 'analysis of the long document');
    await api.whenIdle();
    const a = api.analysisFor(doc.uri)!;
    const text = doc.getText();
    assert.ok(a.mentions.length > 50, `${a.mentions.length} mentions`);
    for (const m of a.mentions) assert.strictEqual(text.slice(m.start, m.end), m.text);
    assert.ok(api.decorationsFor(ed).person.length > 0, 'painted for the current version');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('paints a long source around what is visible, and repaints where the view scrolls to', async () => {
    // ~2,000 lines: more than the painted window (300 lines above and below what is visible)
    const para = seed.getText().split(/\n\s*\n/).slice(4, 12).join('\n\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: Array(140).fill(para).join('\n\n') });
    assert.ok(doc.lineCount > 2000, `${doc.lineCount} lines`);
    const ed = await vscode.window.showTextDocument(doc);
    await until(() => api.analysisFor(doc.uri), 'analysis of the long document');
    await api.whenIdle();
    const a = api.analysisFor(doc.uri)!;
    await until(() => api.decorationsFor(ed).person.length > 0 || undefined, 'painted');
    const top = api.decorationsFor(ed).person;
    const persons = a.mentions.filter((m) => m.type === 'person').length;
    assert.ok(top.length > 0 && top.length < persons, `painted ${top.length} of ${persons} person mentions`);
    assert.ok(top.every((r) => r.start.line < 1000), 'only around the top of the file');
    // scroll to the end: the end is painted
    const last = doc.lineCount - 1;
    ed.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.InCenter);
    await until(() => (api.decorationsFor(ed).person.some((r) => r.start.line > last - 300) ? true : undefined), 'repainted at the end');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('refuses a source over marginalia.maxSourceSize until asked to scan anyway', async () => {
    await setting('maxSourceSize', 1000);
    try {
      const content = 'Sergei Lavrov visited Tehran on Monday.\n\n'.repeat(40);
      const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content });
      await vscode.window.showTextDocument(doc);
      await api.whenIdle();
      assert.strictEqual(api.analysisFor(doc.uri), undefined, 'not analysed');
      await vscode.commands.executeCommand('marginalia.scanAnyway', doc.uri);
      const a = await until(() => api.analysisFor(doc.uri), 'analysis after Scan anyway');
      assert.ok(a.mentions.length > 0);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await setting('maxSourceSize', undefined);
    }
  });

  it('loads the bundled tagger model, or a workspace model from marginalia.model.path, never one outside', async () => {
    assert.strictEqual(await api.modelSource(), 'media/model/ner.bin');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const root = vscode.workspace.workspaceFolders![0].uri;
    const custom = vscode.Uri.joinPath(root, 'models', 'custom.bin');
    await vscode.workspace.fs.writeFile(custom, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'media', 'model', 'ner.bin')));
    try {
      await vscode.workspace.getConfiguration('marginalia').update('model.path', 'models/custom.bin', vscode.ConfigurationTarget.Workspace);
      await until(async () => (await api.modelSource())?.endsWith('/models/custom.bin'), 'the custom model');
      await vscode.workspace.getConfiguration('marginalia').update('model.path', '../../custom.bin', vscode.ConfigurationTarget.Workspace);
      await until(async () => (await api.modelSource()) === 'media/model/ner.bin', 'back to the bundled model');
      await api.whenIdle();
      assert.ok(api.analysisFor(seed.uri)!.mentions.length > 0, 'the seed is analysed again');
    } finally {
      await vscode.workspace.getConfiguration('marginalia').update('model.path', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(custom);
    }
  });

  it('counts mentions across the workspace after a re-scan', async () => {
    await vscode.commands.executeCommand('marginalia.rescanWorkspace');
    const text = seed.getText();
    const at = text.indexOf('Lavrov said');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', seed.uri, seed.positionAt(at + 2));
    assert.match(hoverText(hovers), /in \d+ sources? of the workspace/);
    const roots = (await api.quotesTree.getChildren()) as QuotesNode[];
    assert.ok(roots.length > 0);
    await vscode.commands.executeCommand('marginalia.showActiveSourceOnly');
  });
});
