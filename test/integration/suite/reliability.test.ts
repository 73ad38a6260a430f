// The fault matrix inside a real extension host: interrupted saves, outside edits while
// annotating, malformed/newer/huge sidecars left untouched with a diagnostic, sources deleted,
// two windows on one workspace, hostile text in hovers and the tree, paths outside the workspace,
// restricted mode.
//
// "Two windows" are simulated with extra `AnnotationStore`s: this file is bundled separately, so
// importing the store gives independent copies of the real store code, each with its own memory,
// working on the same files as the extension's own store.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { marked } from 'marked';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar';
import type { Annotation, Sidecar } from '../../../src/core/sidecar';
import { makeTarget } from '../../../src/core/anchor';
import { nullLogger } from '../../../src/core/types';
import type { MarginaliaApi } from '../../../src/host/api';
import type { AnnotationsApi } from '../../../src/host/annotations';
import { AnnotationStore } from '../../../src/host/annotations/store';
import { Configuration } from '../../../src/host/config';

import { ARTICLE, EXTENSION_ID, enc, read, tryRead, until, write } from './helpers';
async function listDir(uri: vscode.Uri): Promise<string[]> {
  return (await vscode.workspace.fs.readDirectory(uri)).map(([n]) => n);
}

function note(id: string, exact: string, extra: Partial<Annotation> = {}): Annotation {
  const at = ARTICLE.indexOf(exact);
  return { id, kind: 'note', note: `note ${id}`, target: makeTarget(ARTICLE, at, at + exact.length), ...extra };
}
function sidecarText(annotations: Annotation[], source: string): string {
  const s: Sidecar = { version: 1, source, annotations, corrections: [] };
  return serializeSidecar(s);
}
function idsOnDisk(text: string): string[] {
  const p = parseSidecar(text);
  assert.ok(p.ok, p.ok ? '' : p.error.message);
  return p.value.sidecar.annotations.map((a) => a.id).sort();
}
function errorDiagnostic(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  return until(() => vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error), `an error diagnostic on ${uri.path}`);
}

describe('reliability: the fault matrix (in a real extension host)', function () {
  this.timeout(40_000);
  let ann: AnnotationsApi;
  let root: vscode.Uri;
  const extraStores: AnnotationStore[] = [];
  const extraConfigs: Configuration[] = [];

  /** A second "window": an independent store over the same workspace, with its own settings. */
  function window2(): AnnotationStore {
    const config = new Configuration();
    const s = new AnnotationStore({ log: nullLogger, config });
    extraStores.push(s);
    extraConfigs.push(config);
    return s;
  }

  before(async () => {
    const api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    assert.ok(api.annotations, 'the API exposes annotations');
    ann = api.annotations;
    root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'reliability-it');
    await vscode.workspace.fs.createDirectory(root);
  });

  after(async () => {
    for (const s of extraStores) s.dispose();
    for (const c of extraConfigs) c.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function fresh(name: string, annotations: Annotation[] | string | undefined): Promise<{ src: vscode.Uri; side: vscode.Uri }> {
    const src = vscode.Uri.joinPath(root, `${name}.txt`);
    const side = vscode.Uri.joinPath(root, `${name}.txt.marginalia.yaml`);
    await write(src, ARTICLE);
    if (annotations !== undefined) await write(side, typeof annotations === 'string' ? annotations : sidecarText(annotations, `${name}.txt`));
    return { src, side };
  }

  it('process died mid-save (truncated temporary file beside a good sidecar): the good sidecar loads, the temp is removed', async () => {
    const good = [note('01A', 'Sergei Lavrov'), note('01B', 'the talks had stalled')];
    const { src, side } = await fresh('crash', good);
    const goodText = await read(side);
    const full = sidecarText([...good, note('01C', 'declined to comment')], 'crash.txt');
    const temp = vscode.Uri.joinPath(root, `.crash.txt.marginalia.yaml.marginalia-tmp-${(Date.now() - 3_600_000).toString(36)}abc`);
    await write(temp, full.slice(0, Math.floor(full.length * 0.6)));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => ann.annotationsFor(src).length === 2, 'the last good annotations');
    await until(async () => !(await listDir(root)).some((n) => n.startsWith('.crash.txt.marginalia.yaml.marginalia-tmp-')), 'the temporary file removed');
    assert.deepEqual(ann.annotationsFor(src).map((a) => a.id).sort(), ['01A', '01B']);
    assert.deepEqual([...ann.rangesFor(src).keys()].sort(), ['01A', '01B']);
    // The good sidecar is kept (at most its hash is added once the source is anchored).
    assert.deepEqual(idsOnDisk(await read(side)), ['01A', '01B']);
    void goodText;
  });

  it('process died before the first rename (complete temporary file, no sidecar): the temp is recovered', async () => {
    const { src, side } = await fresh('crash-first', undefined);
    const full = sidecarText([note('01A', 'Sergei Lavrov')], 'crash-first.txt');
    await write(vscode.Uri.joinPath(root, `.crash-first.txt.marginalia.yaml.marginalia-tmp-${(Date.now() - 3_600_000).toString(36)}xyz`), full);
    const s2 = window2(); // a fresh start of the extension
    const e = s2.entryFor(src)!;
    await s2.load(e);
    assert.deepEqual(e.sidecar.annotations.map((a) => a.id), ['01A']);
    assert.equal(await read(side), full);
    assert.ok(!(await listDir(root)).some((n) => n.startsWith('.crash-first.txt.marginalia.yaml.marginalia-tmp-')));
  });

  it('the sidecar edited outside while the user annotates: both changes end up on disk', async () => {
    const { src, side } = await fresh('outside', [note('01A', 'Sergei Lavrov'), note('01B', 'the talks had stalled')]);
    const doc = await vscode.workspace.openTextDocument(src);
    const editor = await vscode.window.showTextDocument(doc);
    await until(() => ann.annotationsFor(src).length === 2, 'loaded');
    await ann.whenIdle();
    // Outside: a colleague's tool edits 01B and adds 01Z …
    const p = parseSidecar(await read(side));
    assert.ok(p.ok);
    p.value.sidecar.annotations[1]!.note = 'edited outside';
    p.value.sidecar.annotations.push(note('01Z', 'on Monday', { note: 'added outside' }));
    await write(side, serializeSidecar(p.value.sidecar, p.value));
    // … and at once, before the watcher has reported it, the user annotates.
    const at = doc.getText().indexOf('Geneva declined');
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + 6));
    await vscode.commands.executeCommand('marginalia.annotateSelection', { kind: 'question', note: 'added here' });
    await ann.whenIdle();
    const text = await until(async () => {
      const t = await tryRead(side);
      return t && t.includes('added here') && t.includes('added outside') ? t : undefined;
    }, 'both changes on disk');
    const q = parseSidecar(text);
    assert.ok(q.ok);
    assert.equal(q.value.sidecar.annotations.length, 4);
    assert.equal(q.value.sidecar.annotations.find((a) => a.id === '01B')!.note, 'edited outside');
    await until(() => ann.annotationsFor(src).length === 4, 'all four in the extension');
  });

  let conflictAttempts = 0;
  it('both sides changed one annotation: both versions kept (the other under `conflict`) and a diagnostic says so', async function () {
    // When the file watcher delivers the outside write before the edit runs, the two changes are
    // sequential (no conflict to keep, correctly): the scenario needs the edit first, so it is retried.
    this.retries(2);
    const { src, side } = await fresh(`conflict-${++conflictAttempts}`, [note('01A', 'Sergei Lavrov')]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => ann.annotationsFor(src).length === 1, 'loaded');
    await ann.whenIdle();
    const p = parseSidecar(await read(side));
    assert.ok(p.ok);
    p.value.sidecar.annotations[0]!.note = 'their version';
    await write(side, serializeSidecar(p.value.sidecar, p.value));
    await vscode.commands.executeCommand('marginalia.editAnnotation', { uri: src.toString(), id: '01A' }, { kind: 'note', note: 'my version' });
    await ann.whenIdle();
    const text = await until(async () => {
      const t = await tryRead(side);
      return t && t.includes('my version') && t.includes('their version') ? t : undefined;
    }, 'both versions on disk');
    const q = parseSidecar(text);
    assert.ok(q.ok);
    const a = q.value.sidecar.annotations[0]!;
    assert.deepEqual([a.note, a.conflict?.note].sort(), ['my version', 'their version']);
    await until(() => vscode.languages.getDiagnostics(side).some((d) => d.code === 'conflict'), 'a conflict diagnostic');
  });

  it('the source deleted: its annotations stay listed, marked, and diagnosed; the sidecar is kept', async () => {
    const { src, side } = await fresh('deleted', [note('01A', 'Sergei Lavrov', { note: 'about Lavrov' })]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => ann.annotationsFor(src).length === 1, 'loaded');
    await ann.whenIdle();
    const sideText = await read(side);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(src);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until(() => ann.treeSnapshot().some((r) => r.includes('deleted.txt') && r.includes('source deleted')), 'the source row marked deleted');
    assert.ok(ann.treeSnapshot().some((r) => r.includes('about Lavrov') && r.includes('orphaned')), ann.treeSnapshot().join('\n'));
    await until(() => vscode.languages.getDiagnostics(side).some((d) => d.code === 'orphan' && /no longer exists/.test(d.message)), 'an orphan diagnostic');
    assert.equal(await read(side), sideText, 'the sidecar is untouched');
  });

  it('the source edited outside while closed so that an annotated text is gone: an orphan, listed with its last text, not dropped', async () => {
    const { src, side } = await fresh('orphan', [note('01A', 'Sergei Lavrov'), note('01B', 'declined to comment', { note: 'gone soon' })]);
    await write(src, ARTICLE.replace(' declined to comment', ' said nothing'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => ann.annotationsFor(src).some((a) => a.id === '01B' && a.orphan), 'the orphan');
    assert.equal(ann.annotationsFor(src).length, 2);
    assert.ok(ann.treeSnapshot().some((r) => r.includes('gone soon') && r.includes('orphaned') && r.includes('declined to comment')));
    await until(() => vscode.languages.getDiagnostics(side).some((d) => d.code === 'orphan'), 'an orphan diagnostic');
    await ann.whenIdle();
    const q = parseSidecar(await read(side));
    assert.ok(q.ok && q.value.sidecar.annotations.length === 2, 'both still on disk');
  });

  const BAD: [string, string, string | RegExp][] = [
    ['malformed YAML', 'version: 1\nsource: bad.txt\nannotations:\n  - id: A\n    kind: [\n', 'syntax'],
    ['wrong types', 'version: 1\nsource: bad.txt\nannotations:\n  - id: A\n    kind: note\n    target: {exact: x, start: "zero", end: 1}\n', 'schema'],
    ['git conflict markers', 'version: 1\nsource: bad.txt\nannotations:\n<<<<<<< HEAD\n  - id: A\n=======\n  - id: B\n>>>>>>> theirs\n', 'conflict-markers'],
    ['a YAML alias bomb', `version: 1\nsource: bad.txt\nannotations: []\na: &a [x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`).join('\n')}\n`, 'alias-limit'],
  ];
  BAD.forEach(([what, text, code], i) => {
    it(`${what} in a sidecar: an error diagnostic, the file untouched, annotating refused`, async () => {
      const { src, side } = await fresh(`bad${i}`, text);
      const doc = await vscode.workspace.openTextDocument(src);
      const editor = await vscode.window.showTextDocument(doc);
      const d = await errorDiagnostic(side);
      assert.equal(d.code, code);
      if (code === 'conflict-markers') assert.match(d.message, /merge driver/);
      assert.ok(ann.readOnlyReason(src), 'read-only');
      editor.selection = new vscode.Selection(0, 0, 0, 6);
      await vscode.commands.executeCommand('marginalia.annotateSelection', { kind: 'note', note: 'must not be written' });
      await ann.whenIdle();
      assert.equal(await read(side), text, 'bytes unchanged');
    });
  });

  it('a 10 MB sidecar: a too-large diagnostic, the file untouched, and the extension keeps working', async () => {
    const block = '  - id: X\n    kind: note\n    target: {exact: x, start: 0, end: 1}\n';
    const big = `version: 1\nsource: big.txt\nannotations:\n${block.repeat(Math.ceil((10 * 1024 * 1024) / block.length))}`;
    const { src, side } = await fresh('big', big);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    const d = await errorDiagnostic(side);
    assert.equal(d.code, 'too-large');
    assert.match(d.message, /maxSizeMB/);
    assert.equal((await vscode.workspace.fs.stat(side)).size, enc.encode(big).length);
    // still responsive: another source annotates normally
    const { src: other, side: otherSide } = await fresh('after-big', undefined);
    const doc = await vscode.workspace.openTextDocument(other);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 6);
    await vscode.commands.executeCommand('marginalia.annotateSelection', { kind: 'note', note: 'fine' });
    await ann.whenIdle();
    assert.match(await read(otherSide), /note: fine/);
  });

  it('a newer format version: read-only with a message, annotations listed, the file untouched', async () => {
    const text = sidecarText([note('01A', 'Sergei Lavrov', { note: 'from the future' })], 'newer.txt').replace('version: 1', 'version: 2');
    const { src, side } = await fresh('newer', text);
    const doc = await vscode.workspace.openTextDocument(src);
    const editor = await vscode.window.showTextDocument(doc);
    await until(() => ann.annotationsFor(src).length === 1, 'listed');
    assert.match(ann.readOnlyReason(src) ?? '', /format version 2/);
    await until(() => vscode.languages.getDiagnostics(side).some((d) => /format version 2/.test(d.message)), 'a diagnostic with the message');
    editor.selection = new vscode.Selection(0, 0, 0, 6);
    await vscode.commands.executeCommand('marginalia.annotateSelection', { kind: 'note', note: 'must not be written' });
    await ann.whenIdle();
    assert.equal(await read(side), text);
  });

  it('two windows on one workspace: interleaved load/modify/save from both loses no write', async () => {
    const { src, side } = await fresh('two-windows', [note('01A', 'Sergei Lavrov')]);
    const doc = await vscode.workspace.openTextDocument(src);
    const a = window2();
    const b = window2();
    const ea = a.entryFor(src)!;
    const eb = b.entryFor(src)!;
    await a.load(ea);
    await b.load(eb);
    const spanOf = (s: string): [number, number] => [ARTICLE.indexOf(s), ARTICLE.indexOf(s) + s.length];
    const addA = async (s: string, n: string) => (await a.add(doc, ...spanOf(s), { kind: 'note', note: n })).item.id;
    const addB = async (s: string, n: string) => (await b.add(doc, ...spanOf(s), { kind: 'claim', note: n })).item.id;
    const ids: string[] = ['01A'];
    ids.push(await addA('Geneva', 'A1'));
    ids.push(await addB('on Monday', 'B1')); // B's copy is stale: it must merge, not overwrite
    ids.push(await addA('the talks', 'A2'));
    await b.update(eb, '01A', { note: 'B edited 01A' });
    ids.push(await addB('5,000 people', 'B2'));
    await a.update(ea, ids[1]!, { note: 'A1 edited' });
    const text = await read(side);
    assert.deepEqual(idsOnDisk(text), [...ids].sort(), text);
    const p = parseSidecar(text);
    assert.ok(p.ok);
    assert.equal(p.value.sidecar.annotations.find((q) => q.id === '01A')!.note, 'B edited 01A');
    assert.equal(p.value.sidecar.annotations.find((q) => q.id === ids[1])!.note, 'A1 edited');
  });

  it('two windows saving at the same instant: every annotation is on disk, or its window reported the failed save', async () => {
    const { src, side } = await fresh('two-windows-race', [note('01A', 'Sergei Lavrov')]);
    const doc = await vscode.workspace.openTextDocument(src);
    const a = window2();
    const b = window2();
    const ea = a.entryFor(src)!;
    const eb = b.entryFor(src)!;
    await a.load(ea);
    await b.load(eb);
    const at = (s: string): [number, number] => [ARTICLE.indexOf(s), ARTICLE.indexOf(s) + s.length];
    const results = await Promise.allSettled([
      a.add(doc, ...at('reporters'), { kind: 'note', note: 'A3' }),
      b.add(doc, ...at('Officials'), { kind: 'note', note: 'B3' }),
    ]);
    const onDisk = idsOnDisk(await read(side));
    for (const [i, r] of results.entries()) {
      const e = i === 0 ? ea : eb;
      const mine = e.sidecar.annotations.find((x) => x.note === (i === 0 ? 'A3' : 'B3'));
      assert.ok(mine, 'kept in the window\'s memory');
      assert.ok(onDisk.includes(mine.id) || r.status === 'rejected', `${mine.note} neither on disk nor reported`);
    }
    // Saving again (what the next edit does) writes whatever a failed save left in memory.
    await a.save(ea);
    await b.save(eb);
    const final = idsOnDisk(await read(side));
    assert.equal(final.length, 3, final.join(' '));
  });

  it('hostile text in a sidecar is inert in the hover (escaped, only Edit/Delete command links) and plain in the tree', async () => {
    const HOSTILE = '[x](command:marginalia.deleteAnnotation?%5B%5D) <img src=x onerror=alert(1)> <script>alert(1)</script> [j](javascript:alert(1)) https://evil.example ![i](https://evil.example/p.png)';
    const a = note('01H', 'Sergei Lavrov', {
      note: `${HOSTILE}\n\n${'long line '.repeat(2000)}`,
      tags: [`t\n\n[Delete all](command:marginalia.deleteAnnotation?%5B%7B%22id%22%3A%2201H%22%7D%5D)`, '`x`'],
      verdict: '<b>false</b>', author: '**[me](command:workbench.action.terminal.new)**',
    });
    const { src } = await fresh('hostile', [a]);
    const doc = await vscode.workspace.openTextDocument(src);
    await vscode.window.showTextDocument(doc);
    await until(() => ann.rangesFor(src).has('01H'), 'anchored');
    const pos = doc.positionAt(ARTICLE.indexOf('Lavrov') + 2);
    const hovers = await until(async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', src, pos);
      return h.some((x) => x.contents.some((c) => typeof c !== 'string' && c.value.includes('long line'))) ? h : undefined;
    }, 'the annotation hover');
    const mds = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && c.value.includes('long line'));
    assert.equal(mds.length, 1);
    const md = mds[0]!;
    assert.notEqual(md.isTrusted, true, 'never fully trusted');
    if (typeof md.isTrusted === 'object') {
      // Edit, Delete, and Open Evidence (its links carry only the claim's uri, id and the link's index).
      for (const c of md.isTrusted.enabledCommands) assert.ok(['marginalia.editAnnotation', 'marginalia.deleteAnnotation', 'marginalia.openEvidence'].includes(c), c);
    }
    assert.ok(!md.supportHtml, 'no HTML');
    const html = marked.parse(md.value, { async: false, gfm: true }) as string;
    const links = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]!);
    assert.deepEqual(links.map((l) => l.replace(/\?.*/, '')), ['command:marginalia.editAnnotation', 'command:marginalia.deleteAnnotation'], html.slice(0, 3000));
    for (const l of links) assert.deepEqual(JSON.parse(decodeURIComponent(l.replace(/^[^?]*\?/, ''))), [{ uri: src.toString(), id: '01H' }]);
    assert.ok(!/<(img|script|b|strong)\b[^>]*>(?!verdict)/i.test(html.replace(/<strong>note<\/strong>/, '').replace(/verdict: <strong>/, 'verdict: ')), 'no HTML from user text');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;') || html.includes('&lt;img src=x onerror=alert\\(1\\)&gt;') || html.includes('img src'), 'the text is shown');
    // Tree: labels are plain strings, tooltips untrusted markdown built with appendText.
    const tree = ann.tree as vscode.TreeDataProvider<unknown>;
    const walk = async (n?: unknown): Promise<vscode.TreeItem[]> => {
      const kids = (await tree.getChildren(n)) ?? [];
      const out: vscode.TreeItem[] = [];
      for (const k of kids) out.push(await tree.getTreeItem(k), ...(await walk(k)));
      return out;
    };
    const items = (await walk()).filter((t) => t.id?.includes('01H'));
    assert.equal(items.length, 1);
    const item = items[0]!;
    assert.equal(typeof item.label, 'string', 'a plain label');
    assert.ok((item.label as string).length <= 80, 'long lines are cut in the label');
    const tip = item.tooltip as vscode.MarkdownString;
    assert.ok(!tip.isTrusted && !tip.supportHtml, 'tooltip untrusted');
    const tipHtml = marked.parse(tip.value, { async: false, gfm: true }) as string;
    // appendText escapes Markdown; VS Code still autolinks bare http(s) URLs (it asks before opening
    // them), but no command: or javascript: link and no HTML can come from user text.
    const tipLinks = [...tipHtml.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(tipLinks.every((l) => /^https?:/.test(l)), tipLinks.join(' '));
    assert.ok(!/<(img|script)\b/i.test(tipHtml));
  });

  it('a sidecar\'s `source:` field pointing outside the workspace is never used for I/O', async () => {
    const outside = '../../../../../../../../etc/passwd';
    const { src, side } = await fresh('escape', sidecarText([note('01A', 'Sergei Lavrov')], '../../../../../../../../etc/passwd'));
    assert.match(await read(side), /etc\/passwd/);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(src));
    await until(() => ann.annotationsFor(src).length === 1, 'the annotations belong to the source by file name');
    assert.deepEqual([...ann.rangesFor(src).keys()], ['01A']);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.path === '/etc/passwd'));
    void outside;
  });

  it('a configured sidecar folder outside the workspace is refused: nothing is written outside', async () => {
    const ws = vscode.workspace.workspaceFolders![0]!.uri;
    const parent = vscode.Uri.joinPath(ws, '..');
    const before = await listDir(parent);
    const s = window2();
    s.settings = { ...s.settings, folder: '../marginalia-escape' };
    const src = vscode.Uri.joinPath(root, 'folder-escape.txt');
    await write(src, ARTICLE);
    assert.equal(s.sidecarUriFor(src), undefined, 'no sidecar location outside the workspace');
    const doc = await vscode.workspace.openTextDocument(src);
    await assert.rejects(s.add(doc, 0, 6, { kind: 'note', note: 'x' }));
    assert.deepEqual(await listDir(parent), before, 'nothing new beside the workspace');
  });

  it('restricted (untrusted) workspace: annotations are shown read-only and nothing is written', async () => {
    const { src, side } = await fresh('restricted', [note('01A', 'Sergei Lavrov')]);
    const text = await read(side);
    const s = window2();
    s.setTrusted(false);
    const e = s.entryFor(src)!;
    await s.load(e);
    assert.equal(e.sidecar.annotations.length, 1, 'annotations are shown');
    assert.match(e.readOnly ?? '', /Restricted mode/);
    const doc = await vscode.workspace.openTextDocument(src);
    await assert.rejects(s.add(doc, 0, 6, { kind: 'note', note: 'x' }), /Restricted mode/);
    await assert.rejects(s.update(e, '01A', { note: 'changed' }), /Restricted mode/);
    await assert.rejects(s.remove(e, '01A'), /Restricted mode/);
    assert.equal(await read(side), text);
    s.setTrusted(true);
    assert.equal(e.readOnly, undefined, 'trusting the workspace makes them writable');
  });
});
