// Every path gives the same recognition: the editor, the workspace scan, `marginalia scan --json`
// and `marginalia export`, on a workspace with a dictionary and a sidecar holding corrections.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../../src/host/api';
import { serializeSidecar } from '../../../src/core/sidecar/codec';
import { emptySidecar, type Correction } from '../../../src/core/sidecar/model';
import { makeTarget } from '../../../src/core/anchor';
import type { Analysis } from '../../../src/core/types';
import { EXTENSION_ID, until, write } from './helpers';

const TEXT = [
  'HARBOURTON, 3 May (Wire) - The Kestrel Quay Trust said on Friday that fees would rise.',
  '',
  '"We have no choice," said Maria Lindqvist, who chairs the Kestrel Quay Trust.',
  '',
  'Lindqvist met officials from Harbourton and the Norrvik Fishers Guild, a group of 40 boats.',
  '',
].join('\n');

interface Key {
  mentions: string[];
  quotes: string[];
}

function keyOf(a: { mentions: { start: number; end: number; type: string }[]; quotes: { start: number; end: number; speaker?: { name: string } | null }[] }): Key {
  return {
    mentions: a.mentions.map((m) => `${m.start}-${m.end}:${m.type}`).sort(),
    quotes: a.quotes.map((q) => `${q.start}-${q.end}:${q.speaker?.name ?? ''}`).sort(),
  };
}

describe('every path recognises alike (editor, workspace scan, scan --json, export)', function () {
  this.timeout(60_000);
  let api: MarginaliaApi;
  const root = () => vscode.workspace.workspaceFolders![0].uri;
  const dictionary = () => vscode.Uri.joinPath(root(), '.marginalia', 'dictionary.yaml');
  const source = () => vscode.Uri.joinPath(root(), 'paths-equivalence', 'quay.txt');

  before(async () => {
    api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate()) as MarginaliaApi;
    // Dictionary and corrections on every path; the tagger's adaptation to corrections (learning) is
    // switched off here: the editor derives it asynchronously, and it has its own in-host test. The
    // setting is in .vscode/settings.json, which the command line reads too.
    await vscode.workspace.getConfiguration('marginalia').update('learning.enabled', false, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('marginalia').update('learning.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [dictionary(), vscode.Uri.joinPath(root(), 'paths-equivalence')]) {
      await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('gives identical mentions and quotations with a dictionary and corrections', async () => {
    await write(dictionary(), 'entries:\n  - name: Norrvik Fishers Guild\n    type: organization\nignore:\n  - Harbourton\n');
    const at = (s: string) => TEXT.indexOf(s);
    const corrections: Correction[] = [
      { id: '01JDQ5N8W9X3Y2Z1A0B4C6D8F1', action: 'entity-type', type: 'place', scope: 'all', target: makeTarget(TEXT, at('Kestrel Quay Trust'), at('Kestrel Quay Trust') + 'Kestrel Quay Trust'.length) },
    ];
    await write(source(), TEXT);
    await write(vscode.Uri.joinPath(root(), 'paths-equivalence', 'quay.txt.marginalia.yaml'), serializeSidecar({ ...emptySidecar('quay.txt'), corrections }));

    const doc = await vscode.workspace.openTextDocument(source());
    await vscode.window.showTextDocument(doc);
    const editor = await until(async () => {
      await api.whenIdle();
      const a = api.analysisFor(doc.uri);
      // The dictionary and the correction have both reached the editor's analysis.
      return a && a.mentions.some((m) => m.type === 'organization' && TEXT.slice(m.start, m.end) === 'Norrvik Fishers Guild') &&
        a.mentions.some((m) => m.type === 'place' && TEXT.slice(m.start, m.end) === 'Kestrel Quay Trust') && a;
    }, 'the editor analysis with the dictionary and the correction');
    assert.ok(!editor.mentions.some((m) => TEXT.slice(m.start, m.end) === 'Harbourton'), 'the dictionary ignores Harbourton');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('marginalia.rescanWorkspace');
    const scanned = await until(() => api.scannedAnalysisFor?.(source()), 'the workspace scan of the source');

    const ext = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const bin = path.join(ext, 'bin', 'marginalia.js');
    const cwd = root().fsPath;
    const scan = spawnSync(process.execPath, [bin, 'scan', '--json', '--jobs', '0', 'paths-equivalence/quay.txt'], { cwd, encoding: 'utf8' });
    assert.equal(scan.status, 0, scan.stderr);
    const cli = (JSON.parse(scan.stdout) as { files: Analysis[] }).files[0];

    const csv = spawnSync(process.execPath, [bin, 'export', '--format', 'csv', 'paths-equivalence/quay.txt'], { cwd, encoding: 'utf8' });
    assert.equal(csv.status, 0, csv.stderr);
    const rows = parseCsv(csv.stdout);
    const col = (name: string) => rows[0].indexOf(name);
    // The text is ASCII: code points (export) and UTF-16 offsets (the rest) coincide.
    const exported = {
      mentions: rows.slice(1).filter((r) => r[col('record')] === 'mention').map((r) => ({ start: +r[col('start')], end: +r[col('end')], type: r[col('kind')] })),
      quotes: rows.slice(1).filter((r) => r[col('record')] === 'quote').map((r) => ({ start: +r[col('start')], end: +r[col('end')], speaker: r[col('speaker')] ? { name: r[col('speaker')] } : null })),
    };

    const expected = keyOf(editor);
    assert.deepStrictEqual(keyOf(scanned), expected, 'the workspace scan differs from the editor');
    assert.deepStrictEqual(keyOf(cli), expected, '`marginalia scan --json` differs from the editor');
    assert.deepStrictEqual(keyOf(exported), expected, '`marginalia export` differs from the editor');
    assert.ok(expected.mentions.length > 5 && expected.quotes.length >= 1);
  });
});

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
