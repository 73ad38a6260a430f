// Commands no other suite runs, inside a real extension host: Show All Mentions (the locations it
// hands to the references peek), Previous Quotation/Entity, Next/Previous Annotation, Re-anchor to
// Selection on an orphan, Annotate All Occurrences, Open Sidecar, Filter/Group Annotations, Merge
// with Entity, Set Quotation Speaker and Reveal Annotation (from their arguments). Each
// test works on its own files under `commands-it/` (removed after) or only reads the seed, and
// restores the tree's filter and grouping, so the other suites see the workspace as they left it.
//
// Previous right after Next goes back one (Previous counts from the selection's start).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar';
import type { Annotation } from '../../../src/core/sidecar';
import { makeTarget } from '../../../src/core/anchor';
import type { MarginaliaApi } from '../../../src/host/api';
import type { AnnotationsApi } from '../../../src/host/annotations';

import { ARTICLE, EXTENSION_ID, read, tryRead, until, write } from './helpers';

interface ShowReferencesCall {
  uri: vscode.Uri;
  position: vscode.Position;
  locations: vscode.Location[];
}

/**
 * Runs `fn` while `editor.action.showReferences` is answered by a recorder in this extension host
 * (the extension host runs a command registered in it before asking the workbench), then restores
 * the workbench's own command.
 */
async function recordingShowReferences(fn: () => Thenable<unknown>): Promise<ShowReferencesCall[]> {
  const calls: ShowReferencesCall[] = [];
  const reg = vscode.commands.registerCommand('editor.action.showReferences', (uri: vscode.Uri, position: vscode.Position, locations: vscode.Location[]) => {
    calls.push({ uri, position, locations });
  });
  try {
    await fn();
  } finally {
    reg.dispose();
  }
  return calls;
}

const key = (l: vscode.Location): string => `${l.uri.toString()}#${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;

describe('commands (in a real extension host)', function () {
  this.timeout(30_000);
  let api: MarginaliaApi;
  let ann: AnnotationsApi;
  let root: vscode.Uri;

  before(async () => {
    api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    assert.ok(api.annotations, 'the API exposes annotations');
    ann = api.annotations;
    root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'commands-it');
    await vscode.workspace.fs.createDirectory(root);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await ann.whenIdle();
    await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
    // Its corrections (scope all) must not reach the later suites' sources.
    await until(() => ann.workspaceCorrections().every((w) => !w.uri.toString().startsWith(`${root.toString()}/`)), 'the deleted folder\'s corrections forgotten');
  });

  /** A source of our own with its (optional) sidecar, opened in an editor. */
  async function fresh(name: string, text: string, annotations?: Annotation[]): Promise<{ src: vscode.Uri; side: vscode.Uri; editor: vscode.TextEditor }> {
    const src = vscode.Uri.joinPath(root, `${name}.txt`);
    const side = vscode.Uri.joinPath(root, `${name}.txt.marginalia.yaml`);
    await write(src, text);
    if (annotations) await write(side, serializeSidecar({ version: 1, source: `${name}.txt`, annotations, corrections: [] }));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    return { src, side, editor };
  }

  async function onDisk(side: vscode.Uri): Promise<Annotation[]> {
    const text = await read(side);
    const p = parseSidecar(text);
    assert.ok(p.ok, text);
    return p.ok ? p.value.sidecar.annotations : [];
  }

  describe('on the seed: Show All Mentions, Previous Quotation/Entity', () => {
    let seed: vscode.TextDocument;
    let editor: vscode.TextEditor;
    /** The seed's mentions of Sergei Lavrov, as the analysis has them. */
    let expected: vscode.Location[];

    before(async () => {
      const [uri] = await vscode.workspace.findFiles('seeds/*.txt');
      seed = await vscode.workspace.openTextDocument(uri!);
      editor = await vscode.window.showTextDocument(seed);
      await until(() => api.analysisFor(seed.uri), 'the seed analysis');
      await api.whenIdle();
      const a = api.analysisFor(seed.uri)!;
      const ids = new Set(a.entities.filter((e) => e.type === 'person' && e.canonical === 'Sergei Lavrov').map((e) => e.id));
      expected = a.mentions.filter((m) => ids.has(m.entityId))
        .map((m) => new vscode.Location(seed.uri, new vscode.Range(seed.positionAt(m.start), seed.positionAt(m.end))));
    });

    it('hands the references peek every mention of Sergei Lavrov in the seed, anchored in the seed editor', async () => {
      assert.equal(expected.length, 5, 'the seed mentions Sergei Lavrov five times');
      const calls = await recordingShowReferences(() => vscode.commands.executeCommand('marginalia.showAllMentions', { type: 'person', canonical: 'Sergei Lavrov' }));
      assert.equal(calls.length, 1, 'showReferences called once');
      const { uri, position, locations } = calls[0]!;
      assert.equal(uri.toString(), seed.uri.toString(), 'the peek opens on the active seed');
      assert.ok(position.isEqual(editor.selection.active), 'at the cursor');
      const inSeed = locations.filter((l) => l.uri.toString() === seed.uri.toString());
      assert.deepEqual(inSeed.map(key).sort(), expected.map(key).sort());
      for (const l of inSeed) assert.match(seed.getText(l.range), /Lavrov/);
      // Other sources (if the workspace was scanned) only contribute mentions of the same person.
      for (const l of locations) {
        const doc = await vscode.workspace.openTextDocument(l.uri);
        assert.match(doc.getText(l.range), /Lavrov/, `${l.uri.path}: ${doc.getText(l.range)}`);
      }
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), seed.uri.toString(), 'the editor stays on the seed');
    });

    it('without an argument uses the mention under the cursor (a bare "Lavrov")', async () => {
      const at = seed.getText().indexOf('Lavrov said');
      assert.ok(at > 0);
      editor.selection = new vscode.Selection(seed.positionAt(at + 2), seed.positionAt(at + 2));
      const calls = await recordingShowReferences(() => vscode.commands.executeCommand('marginalia.showAllMentions'));
      assert.equal(calls.length, 1, 'showReferences called once');
      const inSeed = calls[0]!.locations.filter((l) => l.uri.toString() === seed.uri.toString());
      assert.deepEqual(inSeed.map(key).sort(), expected.map(key).sort());
      assert.ok(calls[0]!.position.isEqual(seed.positionAt(at + 2)));
    });

    it('Previous Quotation / Previous Entity go to the one before the cursor, wrapping to the last', async () => {
      editor = await vscode.window.showTextDocument(seed);
      await api.whenIdle();
      const a = api.analysisFor(seed.uri)!;
      // (quotations in quotation marks: reported speech has Next / Previous Reported Speech)
      const quotations = a.quotes.filter((q) => q.kind !== 'indirect');
      for (const [command, spans] of [['marginalia.previousQuotation', quotations], ['marginalia.previousEntity', a.mentions]] as const) {
        const starts = [...new Set(spans.map((x) => x.start))].sort((x, y) => x - y);
        assert.ok(starts.length >= 3, command);
        // From the start of the text: wraps to the last; from the start of the last: the one before it.
        for (const [cursor, expectedStart] of [[0, starts[starts.length - 1]!], [starts[starts.length - 1]!, starts[starts.length - 2]!], [starts[1]!, starts[0]!]]) {
          editor.selection = new vscode.Selection(seed.positionAt(cursor), seed.positionAt(cursor));
          await vscode.commands.executeCommand(command);
          assert.equal(seed.offsetAt(editor.selection.start), expectedStart, `${command} from ${cursor}`);
          assert.ok(spans.some((x) => x.start === expectedStart && x.end === seed.offsetAt(editor.selection.end)), `${command} selects the whole span`);
        }
        // Right after Next, Previous goes back to the span before (not the one Next selected).
        const next = command === 'marginalia.previousQuotation' ? 'marginalia.nextQuotation' : 'marginalia.nextEntity';
        editor.selection = new vscode.Selection(seed.positionAt(starts[0]!), seed.positionAt(starts[0]!));
        await vscode.commands.executeCommand(next);
        assert.equal(seed.offsetAt(editor.selection.start), starts[1], `${next} from the first`);
        await vscode.commands.executeCommand(command);
        assert.equal(seed.offsetAt(editor.selection.start), starts[0], `${command} right after ${next}`);
      }
    });

    it('an entity nobody mentions opens no peek', async () => {
      const calls = await recordingShowReferences(() => vscode.commands.executeCommand('marginalia.showAllMentions', { type: 'person', canonical: 'Nobody Atall' }));
      assert.equal(calls.length, 0);
    });
  });

  it('Next/Previous Annotation move the selection through the annotations in text order, wrapping', async () => {
    const { src, side, editor } = await fresh('nav', ARTICLE);
    const doc = editor.document;
    const text = doc.getText();
    // Created out of text order: navigation follows the text, not the sidecar's order.
    const spans: [number, number][] = [];
    for (const word of ['Geneva declined', 'Sergei Lavrov', 'reporters']) {
      const at = text.indexOf(word);
      spans.push([at, at + word.length]);
      const ref = await vscode.commands.executeCommand<{ id: string }>('marginalia.annotateSelection',
        { uri: src.toString(), start: at, end: at + word.length, kind: 'note', note: `on ${word}` });
      assert.ok(ref?.id, `annotated ${word}`);
    }
    await ann.whenIdle();
    assert.equal((await onDisk(side)).length, 3);
    await until(() => ann.rangesFor(src).size === 3, 'three live ranges');
    spans.sort((a, b) => a[0] - b[0]);
    const selected = (): [number, number] => [doc.offsetAt(editor.selection.start), doc.offsetAt(editor.selection.end)];

    editor.selection = new vscode.Selection(0, 0, 0, 0);
    for (const expectedSpan of [spans[0], spans[1], spans[2], spans[0]]) {
      await vscode.commands.executeCommand('marginalia.nextAnnotation');
      assert.deepEqual(selected(), expectedSpan, `next → ${text.slice(...expectedSpan!)}`);
    }
    // Previous, from a cursor (collapsed) at the end and then at the start of each annotation.
    const cursors = [text.length, spans[2]![0], spans[1]![0], spans[0]![0]];
    const previous = [spans[2], spans[1], spans[0], spans[2]];
    for (let i = 0; i < cursors.length; i++) {
      editor.selection = new vscode.Selection(doc.positionAt(cursors[i]!), doc.positionAt(cursors[i]!));
      await vscode.commands.executeCommand('marginalia.previousAnnotation');
      assert.deepEqual(selected(), previous[i], `previous from ${cursors[i]} → ${text.slice(...previous[i]!)}`);
    }
    // Previous right after Next goes back to the annotation before (not the one Next selected).
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('marginalia.nextAnnotation');
    await vscode.commands.executeCommand('marginalia.nextAnnotation');
    assert.deepEqual(selected(), spans[1]);
    await vscode.commands.executeCommand('marginalia.previousAnnotation');
    assert.deepEqual(selected(), spans[0], 'previous after next');
  });

  it('Re-anchor to Selection moves an orphaned annotation onto the selection and clears its orphan mark on disk', async () => {
    // The sidecar's annotation was made on a text the source no longer has.
    const old = 'Officials in Zurich refused any comment whatsoever.';
    const orphan: Annotation = { id: '01JCMDREANCHOR0000000000AA', kind: 'note', note: 'where did it go', target: makeTarget(old, 13, old.length - 1) };
    const { src, side, editor } = await fresh('reanchor', ARTICLE.replace('Officials in Geneva declined to comment.', 'Nobody spoke.'), [orphan]);
    await until(() => ann.annotationsFor(src).some((a) => a.id === orphan.id && a.orphan), 'the orphan');
    assert.ok(!ann.rangesFor(src).has(orphan.id));
    const doc = editor.document;
    const at = doc.getText().indexOf('GENEVA');
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + 6));
    await vscode.commands.executeCommand('marginalia.reanchorAnnotation', { uri: src.toString(), id: orphan.id });
    await ann.whenIdle();
    const a = (await onDisk(side)).find((x) => x.id === orphan.id);
    assert.ok(a, 'still in the sidecar');
    assert.equal(a.orphan, undefined, 'no orphan flag on disk');
    assert.equal(a.note, 'where did it go', 'the note is kept');
    assert.equal(a.target.exact, 'GENEVA');
    assert.equal(a.target.start, at);
    assert.equal(a.target.end, at + 6);
    const range = await until(() => ann.rangesFor(src).get(orphan.id), 'the live range');
    assert.equal(doc.getText(range), 'GENEVA');
    assert.ok(!ann.annotationsFor(src).find((x) => x.id === orphan.id)?.orphan);
  });

  it('Annotate All Occurrences writes one annotation per occurrence, and a second run adds none', async () => {
    const text = 'The ministry said the ministry would answer. A ministry spokesman, not the Ministry, declined.\n';
    const { src, side, editor } = await fresh('all', text);
    const doc = editor.document;
    const first = text.indexOf('ministry');
    editor.selection = new vscode.Selection(doc.positionAt(first), doc.positionAt(first + 8));
    const refs = await vscode.commands.executeCommand<{ id: string }[]>('marginalia.annotateAllOccurrences', { kind: 'tag', note: '', tags: ['ministry'] });
    await ann.whenIdle();
    const starts = [...text.matchAll(/ministry/g)].map((m) => m.index); // case-sensitive: not "Ministry"
    assert.equal(starts.length, 3);
    assert.equal(refs?.length, 3, 'the command returns the three new annotations');
    const saved = (await onDisk(side)).sort((a, b) => a.target.start - b.target.start);
    assert.deepEqual(saved.map((a) => [a.target.start, a.target.end, a.target.exact]), starts.map((s) => [s, s + 8, 'ministry']));
    assert.ok(saved.every((a) => a.kind === 'tag' && a.tags?.[0] === 'ministry'));
    assert.deepEqual(saved.map((a) => a.id).sort(), refs!.map((r) => r.id).sort());
    // Running it again finds every occurrence already annotated.
    const again = await vscode.commands.executeCommand<{ id: string }[]>('marginalia.annotateAllOccurrences', { kind: 'tag', note: '', tags: ['ministry'] });
    await ann.whenIdle();
    assert.deepEqual(again, []);
    assert.equal((await onDisk(side)).length, 3);
    assert.ok(await tryRead(src));
  });

  it('Open Sidecar opens the active source\u2019s sidecar; for a source without one it opens nothing', async () => {
    const { src, side } = await fresh('sidecar', ARTICLE, [{ id: '01JCMDSIDECAR00000000000AA', kind: 'note', note: 'x', target: makeTarget(ARTICLE, 0, 6) }]);
    await until(() => ann.annotationsFor(src).length === 1, 'loaded');
    await vscode.commands.executeCommand('marginalia.openSidecar');
    await until(() => vscode.window.activeTextEditor?.document.uri.toString() === side.toString(), 'the sidecar in the active editor');
    const bare = await fresh('bare', 'No notes here.\n');
    await vscode.commands.executeCommand('marginalia.openSidecar');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), bare.src.toString(), 'still on the source');
    assert.equal(await tryRead(bare.side), undefined, 'no sidecar created');
  });

  it('Filter Annotations narrows the tree and Clear restores it; Group Annotations By groups the rows', async () => {
    const { src } = await fresh('filter', ARTICLE, [
      { id: '01JCMDFILTER000000000000AA', kind: 'note', note: 'zebracmd remark', target: makeTarget(ARTICLE, ARTICLE.indexOf('Sergei'), ARTICLE.indexOf('Sergei') + 6) },
      { id: '01JCMDFILTER000000000000AB', kind: 'question', note: 'yakcmd remark', target: makeTarget(ARTICLE, ARTICLE.indexOf('reporters'), ARTICLE.indexOf('reporters') + 9) },
    ]);
    await until(() => ann.annotationsFor(src).length === 2, 'loaded');
    const has = (word: string): boolean => ann.treeSnapshot().some((r) => r.includes(word));
    await until(() => has('zebracmd') && has('yakcmd'), 'both rows');
    try {
      await vscode.commands.executeCommand('marginalia.filterAnnotations', 'ZEBRACMD');
      assert.ok(has('zebracmd'), ann.treeSnapshot().join('\n'));
      assert.ok(!has('yakcmd'), ann.treeSnapshot().join('\n'));
      await vscode.commands.executeCommand('marginalia.clearAnnotationFilter');
      assert.ok(has('zebracmd') && has('yakcmd'), ann.treeSnapshot().join('\n'));
      await vscode.commands.executeCommand('marginalia.groupAnnotations', 'kind');
      const rows = ann.treeSnapshot();
      // kind group → annotation, across sources: the groups at the top, each annotation naming its source.
      const groups = rows.filter((r) => /^\S/.test(r)).map((r) => r.split(' ')[0]);
      assert.ok(groups.includes('note') && groups.includes('question'), rows.join('\n'));
      const noteAt = rows.findIndex((r) => /^note /.test(r));
      const under = rows.slice(noteAt + 1);
      const end = under.findIndex((r) => !r.startsWith('  '));
      const notes = end < 0 ? under : under.slice(0, end);
      assert.ok(notes.some((r) => /^ {2}\S/.test(r) && r.includes('zebracmd') && r.includes('filter.txt')), rows.join('\n'));
      assert.ok(!notes.some((r) => r.includes('yakcmd')), rows.join('\n'));
    } finally {
      await vscode.commands.executeCommand('marginalia.clearAnnotationFilter');
      await vscode.commands.executeCommand('marginalia.groupAnnotations', 'source');
    }
    assert.ok(ann.treeSnapshot().some((r) => /^ {2}\S/.test(r) && r.includes('zebracmd')), 'back to source → annotation');
  });

  it('Merge with Entity, Set Quotation Speaker and Reveal Annotation act on their arguments', async () => {
    const { src, side, editor } = await fresh('corrections', ARTICLE);
    const doc = editor.document;
    const text = doc.getText();
    const geneva = text.indexOf('Geneva', text.indexOf('Officials'));
    const quote = text.indexOf('"We are');
    const analysis = () => api.analysisFor(src);
    await until(() => analysis()?.mentions.some((m) => m.start === geneva) && analysis()?.quotes.some((q) => q.start === quote), 'Geneva and the quotation recognised');
    assert.equal(analysis()!.quotes.find((q) => q.start === quote)!.speaker?.name, 'Sergei Lavrov', 'the recogniser gives the quotation to Lavrov');

    // Merge: the mention (and every mention of its entity) takes the canonical name given.
    const merged = await vscode.commands.executeCommand<{ id: string }>('marginalia.mergeEntity', { uri: src.toString(), start: geneva, end: geneva + 6, canonical: 'City of Geneva' });
    assert.ok(merged?.id, 'the command returns the new correction');
    await ann.whenIdle();
    assert.match(await read(side), /action: merge[\s\S]*canonical: City of Geneva/);
    await until(() => analysis()?.mentions.find((m) => m.start === geneva)?.canonical === 'City of Geneva', 'the merge applied to the editor analysis');
    const entity = analysis()!.entities.find((e) => e.canonical === 'City of Geneva');
    assert.ok(entity?.mentions.some((m) => m.start === geneva), 'the merged entity lists the mention');

    // Speaker: a name the text does not know is kept as given; an empty one removes the speaker.
    await vscode.commands.executeCommand('marginalia.setQuoteSpeaker', { uri: src.toString(), start: quote + 1, end: quote + 3, speaker: 'A Spokesperson' });
    await ann.whenIdle();
    await until(() => analysis()?.quotes.find((q) => q.start === quote)?.speaker?.name === 'A Spokesperson', 'the new speaker');
    assert.match(await read(side), /action: speaker[\s\S]*speaker: A Spokesperson/);

    // Reveal: selects the annotation's text in its source, from another editor.
    const at = text.indexOf('reporters');
    const ref = await vscode.commands.executeCommand<{ id: string }>('marginalia.annotateSelection', { uri: src.toString(), start: at, end: at + 9, kind: 'note', note: 'who?' });
    await ann.whenIdle();
    await until(() => ann.rangesFor(src).get(ref!.id), 'the live range');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('marginalia.revealAnnotation', { uri: src.toString(), id: ref!.id });
    const shown = await until(() => (vscode.window.activeTextEditor?.document.uri.toString() === src.toString() ? vscode.window.activeTextEditor : undefined), 'the source shown');
    assert.deepEqual([shown.document.offsetAt(shown.selection.start), shown.document.offsetAt(shown.selection.end)], [at, at + 9]);
  });

  it('Set Quotation Speaker carries to the continuation quotations that followed the same speaker; Set Entity Type with scope "all" corrects every mention', async () => {
    const seedUri = (await vscode.workspace.findFiles('seeds/*.txt'))[0]!;
    const seedText = new TextDecoder().decode(await vscode.workspace.fs.readFile(seedUri));
    const { src } = await fresh('continuation', seedText);
    const analysis = () => api.analysisFor(src);
    const lead = seedText.indexOf('“In a traditionally trusting');
    const cont = seedText.indexOf('“in accordance with');
    await until(() => analysis()?.quotes.find((q) => q.start === cont)?.speaker?.via === 'continuation', 'the continuation quotation recognised');
    await vscode.commands.executeCommand('marginalia.setQuoteSpeaker', { uri: src.toString(), start: lead + 1, end: lead + 3, speaker: 'Maria Zakharova' });
    await ann.whenIdle();
    await until(() => analysis()?.quotes.find((q) => q.start === lead)?.speaker?.name === 'Maria Zakharova', 'the lead quotation corrected');
    await until(() => analysis()?.quotes.find((q) => q.start === cont)?.speaker?.name === 'Maria Zakharova', 'the continuation follows its lead');

    const raisi = seedText.indexOf('Raisi', seedText.indexOf('In the meeting'));
    await until(() => analysis()?.mentions.some((m) => m.start === raisi), 'Raisi recognised');
    const count = analysis()!.entities.find((e) => e.canonical === 'Ebrahim Raisi')!.mentions.length;
    assert.ok(count > 1, `mentions: ${count}`);
    await vscode.commands.executeCommand('marginalia.setEntityType', { uri: src.toString(), start: raisi, end: raisi + 5, type: 'organization', scope: 'all' });
    await ann.whenIdle();
    assert.equal(ann.getCorrections(src).filter((c) => c.action === 'entity-type').length, count, 'one correction per mention');
    await until(() => analysis()?.mentions.filter((m) => m.canonical === 'Ebrahim Raisi' || m.text.includes('Raisi')).every((m) => m.type === 'organization'), 'every mention an organisation, none left a person');
  });

  it('Copy Annotation puts the quoted text, kind, verdict and note on the clipboard', async () => {
    const note: Annotation = { id: '01JCMDCOPY00000000000000AA', kind: 'claim', verdict: 'false', note: 'never said that', target: makeTarget(ARTICLE, ARTICLE.indexOf('Sergei Lavrov'), ARTICLE.indexOf('Sergei Lavrov') + 13) };
    const { src } = await fresh('copy', ARTICLE, [note]);
    await until(() => ann.annotationsFor(src).length === 1, 'loaded');
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand('marginalia.copyAnnotation', { uri: src.toString(), id: note.id });
    assert.equal(await vscode.env.clipboard.readText(), '“Sergei Lavrov” — claim (false): never said that');
  });

  it('Import goes through the store: an open, edited source gets the imported annotation at once, anchored as shown, and the sidecar keeps both', async () => {
    const note: Annotation = { id: '01JDQ5N8W9X3Y2Z1A0B4C6D8IM', kind: 'note', note: 'the minister', target: makeTarget(ARTICLE, ARTICLE.indexOf('Sergei Lavrov'), ARTICLE.indexOf('Sergei Lavrov') + 13) };
    const { src, side, editor } = await fresh('import-store', ARTICLE, [note]);
    await until(() => ann.annotationsFor(src).length === 1 ? true : undefined, 'the existing annotation loaded');
    // An unsaved edit before both passages: the store's live anchors move, the file on disk does not.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'UPDATED. '));
    const w3c = JSON.stringify({
      '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'Annotation', motivation: 'questioning', bodyValue: 'which talks?',
      target: { selector: { type: 'TextQuoteSelector', exact: 'the talks had stalled' } },
    });
    const changes: number[] = [];
    const listener = ann.onDidChange(() => changes.push(Date.now()));
    try {
      const r = await ann.importInto(src, { format: 'w3c', content: w3c, now: new Date().toISOString(), newId: () => '01JDQ5N8W9X3Y2Z1A0B4C6D8IQ' });
      assert.deepEqual([r.added.length, r.orphans.length], [1, 0]);
      // Shown without waiting for the file watcher: the store fired and holds it when the call returns.
      assert.ok(changes.length > 0, 'the store announced the change');
      const held = ann.annotationsFor(src).map((a) => a.id).sort();
      assert.deepEqual(held, ['01JDQ5N8W9X3Y2Z1A0B4C6D8IM', '01JDQ5N8W9X3Y2Z1A0B4C6D8IQ']);
      // Anchored in the open document as it is now (after the unsaved edit).
      const ranges = ann.rangesFor(src);
      const doc = editor.document;
      assert.equal(doc.getText(ranges.get('01JDQ5N8W9X3Y2Z1A0B4C6D8IQ')), 'the talks had stalled');
      assert.equal(doc.getText(ranges.get('01JDQ5N8W9X3Y2Z1A0B4C6D8IM')), 'Sergei Lavrov');
    } finally {
      listener.dispose();
    }
    await ann.whenIdle();
    const stored = await onDisk(side);
    assert.deepEqual(stored.map((a) => a.note).sort(), ['the minister', 'which talks?']);
    // Export reads the same store: both annotations, at their places in the text as shown.
    const sidecar = await ann.sidecarFor(src);
    assert.deepEqual(sidecar?.annotations.map((a) => a.id).sort(), ['01JDQ5N8W9X3Y2Z1A0B4C6D8IM', '01JDQ5N8W9X3Y2Z1A0B4C6D8IQ']);
  });

  it('Import into a source whose sidecar is malformed is refused and the file stays untouched', async () => {
    const { src, side } = await fresh('import-broken', ARTICLE);
    const broken = 'version: 1\nsource: import-broken.txt\nannotations: [\n';
    await write(side, broken);
    await until(() => ann.readOnlyReason(src), 'the broken sidecar noticed');
    await assert.rejects(ann.importInto(src, { format: 'w3c', content: '[]', now: new Date().toISOString(), newId: () => '01JDQ5N8W9X3Y2Z1A0B4C6D8IX' }));
    await assert.rejects(ann.sidecarFor(src), /import-broken\.txt\.marginalia\.yaml:\d+/);
    assert.equal(await read(side), broken);
  });

  it('no write through a link out of the workspace: Import into a source under a linked folder is refused, nothing lands outside', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'marginalia-linkout-'));
    fs.writeFileSync(path.join(outside, 'a.txt'), ARTICLE);
    const link = vscode.Uri.joinPath(root, 'linked-out');
    fs.symlinkSync(outside, link.fsPath);
    try {
      const src = vscode.Uri.joinPath(link, 'a.txt');
      const w3c = JSON.stringify({ type: 'Annotation', motivation: 'commenting', bodyValue: 'x', target: { selector: { type: 'TextQuoteSelector', exact: 'Sergei Lavrov' } } });
      await assert.rejects(ann.importInto(src, { format: 'w3c', content: w3c, now: new Date().toISOString(), newId: () => '01JDQ5N8W9X3Y2Z1A0B4C6D8LK' }), /outside the workspace/);
      assert.deepEqual(fs.readdirSync(outside), ['a.txt']);
    } finally {
      fs.unlinkSync(link.fsPath);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
