// The user's annotations inside a real extension host: the annotate command writes the sidecar,
// anchors survive outside edits, outside sidecar edits reach the tree, malformed sidecars are
// diagnosed and never touched, sources renamed carry their sidecar.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { hashText, parseSidecar, serializeSidecar } from '../../../src/core/sidecar';
import type { MarginaliaApi } from '../../../src/host/api';
import type { AnnotationsApi } from '../../../src/host/annotations';

import { ARTICLE, EXTENSION_ID, read, tryRead, until, write } from './helpers';

describe('annotations (in a real extension host)', function () {
  this.timeout(30_000);
  let ann: AnnotationsApi;
  let root: vscode.Uri;
  let source: vscode.Uri;
  let sidecar: vscode.Uri;

  before(async () => {
    const api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    assert.ok(api.annotations, 'the API exposes annotations');
    ann = api.annotations;
    root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'annotations-it');
    source = vscode.Uri.joinPath(root, 'article.txt');
    sidecar = vscode.Uri.joinPath(root, 'article.txt.marginalia.yaml');
    await write(source, ARTICLE);
  });

  after(async () => {
    // Its corrections (scope all) would otherwise apply in the later suites' sources too.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await ann.whenIdle();
    await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
    await until(() => ann.workspaceCorrections().every((w) => !w.uri.toString().startsWith(`${root.toString()}/`)), 'the deleted folder\'s corrections forgotten');
  });

  it('Annotate Selection writes the expected YAML beside the source, paints it and lists it', async () => {
    const doc = await vscode.workspace.openTextDocument(source);
    const editor = await vscode.window.showTextDocument(doc);
    const start = ARTICLE.indexOf('Sergei Lavrov');
    editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + 'Sergei Lavrov'.length));
    const ref = await vscode.commands.executeCommand<{ id: string }>('marginalia.annotateSelection',
      { kind: 'claim', note: 'Check the title', tags: ['people'], verdict: 'unverified' });
    assert.ok(ref?.id, 'the command returns the new annotation');
    await ann.whenIdle();
    const yaml = await read(sidecar);
    const parsed = parseSidecar(yaml);
    assert.ok(parsed.ok, yaml);
    if (!parsed.ok) return;
    const s = parsed.value.sidecar;
    assert.equal(s.version, 1);
    assert.equal(s.source, 'article.txt');
    assert.equal(s.hash, hashText(ARTICLE));
    assert.equal(s.annotations.length, 1);
    const a = s.annotations[0]!;
    assert.equal(a.id, ref.id);
    assert.match(a.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(a.kind, 'claim');
    assert.equal(a.note, 'Check the title');
    assert.deepEqual(a.tags, ['people']);
    assert.equal(a.verdict, 'unverified');
    assert.ok(a.created && a.modified);
    assert.deepEqual(a.target, {
      exact: 'Sergei Lavrov', prefix: ARTICLE.slice(start - 32, start), suffix: ARTICLE.slice(start + 13, start + 45),
      start, end: start + 13,
    });
    assert.match(yaml, /^ {4}kind: claim$/m);
    assert.match(yaml, /^ {6}exact: Sergei Lavrov$/m);
    // painted, hoverable and in the tree
    await until(() => ann.paintedRanges(editor).length === 1, 'the decoration');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', source, doc.positionAt(start + 3));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /Check the title/);
    assert.match(text, /command:marginalia\.editAnnotation/);
    await until(() => ann.treeSnapshot().some((r) => r.includes('Check the title')), 'the tree row');
  });

  it('an outside edit of the source (closed) leaves the annotation on its text after reopening', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const edited = 'UPDATE: this story was corrected on Tuesday.\n\n' + ARTICLE.replace('Foreign Minister ', 'Russia’s foreign minister, ');
    await write(source, edited);
    const doc = await vscode.workspace.openTextDocument(source);
    await vscode.window.showTextDocument(doc);
    await until(() => doc.getText() === edited, 'the reloaded text');
    const id = ann.annotationsFor(source)[0]!.id;
    const range = await until(async () => {
      await ann.whenIdle();
      const r = ann.rangesFor(source).get(id);
      return r && doc.getText(r) === 'Sergei Lavrov' ? r : undefined;
    }, 'the annotation on its text');
    assert.equal(doc.getText(range), 'Sergei Lavrov');
    // and the sidecar on disk follows once the editor has re-anchored
    await until(async () => {
      const t = await tryRead(sidecar); // VS Code's rename-with-overwrite can leave a brief gap
      const p = t === undefined ? undefined : parseSidecar(t);
      return p?.ok && p.value.sidecar.annotations[0]!.target.start === edited.indexOf('Sergei Lavrov');
    }, 'the re-anchored sidecar');
  });

  it('typing before an annotation shifts it; saving writes the new position', async () => {
    const doc = await vscode.workspace.openTextDocument(source);
    const editor = await vscode.window.showTextDocument(doc);
    await ann.whenIdle();
    const tree = ann.treeSnapshot();
    // A pure shift moves the decoration but is not a change of the annotations: the tree is not
    // rebuilt (no change event), only this source's editor is repainted.
    let changes = 0;
    const sub = ann.onDidChange(() => changes++);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'NEW LINE\n'));
    const id = ann.annotationsFor(source)[0]!.id;
    assert.equal(doc.getText(ann.rangesFor(source).get(id)), 'Sergei Lavrov');
    await until(() => ann.paintedRanges(editor).some((r) => doc.getText(r) === 'Sergei Lavrov'), 'the decoration on its text');
    sub.dispose();
    assert.equal(changes, 0, 'no change event for a pure shift');
    assert.deepEqual(ann.treeSnapshot(), tree);
    await doc.save();
    await until(async () => {
      await ann.whenIdle();
      const t = await tryRead(sidecar);
      const p = t === undefined ? undefined : parseSidecar(t);
      return p?.ok && p.value.sidecar.annotations[0]!.target.start === doc.getText().indexOf('Sergei Lavrov') && p.value.sidecar.hash === hashText(doc.getText());
    }, 'the saved position');
  });

  it('an outside edit of the sidecar updates the tree (and is merged, not overwritten)', async () => {
    const p = parseSidecar(await read(sidecar));
    assert.ok(p.ok);
    if (!p.ok) return;
    const text = (await vscode.workspace.openTextDocument(source)).getText();
    const at = text.indexOf('Geneva declined');
    p.value.sidecar.annotations.push({ id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', kind: 'question', note: 'Added by a colleague',
      target: { exact: 'Geneva', prefix: text.slice(at - 32, at), suffix: text.slice(at + 6, at + 38), start: at, end: at + 6 } });
    await write(sidecar, serializeSidecar(p.value.sidecar, p.value));
    await until(() => ann.treeSnapshot().some((r) => r.includes('Added by a colleague')), 'the colleague\'s annotation in the tree');
    await until(() => ann.rangesFor(source).has('01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 'its range');
  });

  it('Delete Annotation removes it from the sidecar', async () => {
    await vscode.commands.executeCommand('marginalia.deleteAnnotation', { uri: source.toString(), id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ' });
    await ann.whenIdle();
    assert.ok(!(await read(sidecar)).includes('01ZZZZZZZZZZZZZZZZZZZZZZZZ'));
    assert.ok(!ann.treeSnapshot().some((r) => r.includes('Added by a colleague')));
  });

  it('corrections: Set Entity Type writes a correction that getCorrections returns in document offsets', async () => {
    const doc = await vscode.workspace.openTextDocument(source);
    const at = doc.getText().indexOf('Wire');
    await vscode.commands.executeCommand('marginalia.setEntityType', { uri: source.toString(), start: at, end: at + 4, type: 'organization' });
    await ann.whenIdle();
    const c = ann.getCorrections(source).find((x) => x.action === 'entity-type');
    assert.ok(c);
    assert.equal(c.type, 'organization');
    assert.equal(c.target.start, at);
    assert.match(await read(sidecar), /action: entity-type/);
    // The correction wins over the recogniser in what the editor paints and shows.
    const api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    await until(
      () => api.analysisFor(source)?.mentions.some((m) => m.start === at && m.end === at + 4 && m.type === 'organization'),
      'the entity-type correction applied to the editor analysis',
    );
  });

  it('corrections: Ignore Entity removes the mention from the editor analysis', async () => {
    const api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    const doc = await vscode.workspace.openTextDocument(source);
    await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('Geneva', doc.getText().indexOf('Officials'));
    await until(() => api.analysisFor(source)?.mentions.some((m) => m.start === at), 'Geneva recognised');
    await vscode.commands.executeCommand('marginalia.ignoreEntity', { uri: source.toString(), start: at, end: at + 6 });
    await ann.whenIdle();
    assert.ok(ann.getCorrections(source).some((x) => x.action === 'ignore'));
    await until(() => api.analysisFor(source)?.mentions.every((m) => m.start !== at), 'the ignored mention gone from the analysis');
  });

  it('a malformed sidecar gives a diagnostic at its line, its bytes stay unchanged and annotating is refused', async () => {
    const src = vscode.Uri.joinPath(root, 'broken.txt');
    const side = vscode.Uri.joinPath(root, 'broken.txt.marginalia.yaml');
    const bad = 'version: 1\nsource: broken.txt\nannotations:\n  - id: A\n    kind: note\n    target: {exact: "x", start: 0, end: [\n';
    await write(src, 'Some text x here.\n');
    await write(side, bad);
    const doc = await vscode.workspace.openTextDocument(src);
    const editor = await vscode.window.showTextDocument(doc);
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(side);
      return d.length > 0 ? d : undefined;
    }, 'a diagnostic on the sidecar');
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diags[0]!.range.start.line >= 5, `line ${diags[0]!.range.start.line}`);
    assert.ok(ann.readOnlyReason(src));
    editor.selection = new vscode.Selection(0, 0, 0, 4);
    await vscode.commands.executeCommand('marginalia.annotateSelection', { kind: 'note', note: 'must not be written' });
    await ann.whenIdle();
    assert.equal(await read(side), bad);
  });

  it('git conflict markers are diagnosed with a pointer to the merge driver, file untouched', async () => {
    const src = vscode.Uri.joinPath(root, 'conflicted.txt');
    const side = vscode.Uri.joinPath(root, 'conflicted.txt.marginalia.yaml');
    const text = 'version: 1\nsource: conflicted.txt\nannotations:\n<<<<<<< HEAD\n  - id: A\n=======\n  - id: B\n>>>>>>> other\n';
    await write(src, 'Text.\n');
    await write(side, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(side);
      return d.length > 0 ? d : undefined;
    }, 'a conflict diagnostic');
    assert.match(diags[0]!.message, /merge driver/);
    assert.equal(diags[0]!.range.start.line, 3);
    assert.equal(await read(side), text);
  });

  it('renaming a source carries its sidecar along', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const moved = vscode.Uri.joinPath(root, 'moved', 'renamed.txt');
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(source, moved);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const movedSidecar = vscode.Uri.joinPath(root, 'moved', 'renamed.txt.marginalia.yaml');
    const text = await until(async () => {
      const t = await tryRead(movedSidecar);
      return t && t.includes('source: renamed.txt') ? t : undefined;
    }, 'the moved sidecar naming its new source');
    assert.equal(await tryRead(sidecar), undefined);
    const p = parseSidecar(text);
    assert.ok(p.ok && p.value.sidecar.annotations.length === 1, text);
    await until(() => ann.annotationsFor(moved).length === 1, 'the annotations under the new name');
  });
});
