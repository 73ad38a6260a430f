/**
 * Adversarial: `marginalia export` never overwrites a file it did not write. Each case asserts a
 * clear error (or the right result) and that no byte or permission of any input — sources,
 * sidecars, unrelated files — changed.
 */
import { strict as assert } from 'node:assert';
import { execSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertCleanError, assertUntouched, buildCli, cli, removeTmpdirs, snapshotTree, tmpdir, type Run } from './harness';
import { BIN } from '../cli/helpers';
import { HARBOUR, sampleAnnotations } from '../interchange/helpers';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { hashText } from '../../../src/core/sidecar/hash';
import type { Annotation, Sidecar } from '../../../src/core/sidecar/model';
import { planExportOutputs } from '../../../src/core/project/exportPlan';
import { isOwnBratConf, isOwnBratText, isOwnExport, markdownMarkerLine } from '../../../src/core/interchange/marker';
import { exportSource } from '../../../src/core/interchange/export';
import { bratAnnotationConf, fromBrat } from '../../../src/core/interchange/brat';
import { StagedWrite, exportFsMessage } from '../../../src/cli/exportWrite';

const STORY_TXT = 'Jane Okafor said “we are ready” in Port Ellis.\n';
const STORY_MD = '# Story\n\nA different text by Ada Lovelace, in Markdown.\n';

function write(dir: string, rel: string, content: string | Buffer): string {
  const f = path.join(dir, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}

/** A sidecar for `text` beside `source` (rel to dir) holding `annotations`. */
function sidecar(dir: string, source: string, text: string, annotations: Annotation[]): string {
  const data: Sidecar = { version: 1, source: path.basename(source), hash: hashText(text), annotations, corrections: [] };
  return write(dir, source + '.marginalia.yaml', serializeSidecar(data));
}

/** A folder with harbour.txt and its sidecar (the sample annotations, some with unknown keys). */
function harbour(extra = false): { dir: string; sidecarFile: string } {
  const dir = tmpdir('marginalia-export-');
  write(dir, 'harbour.txt', HARBOUR);
  const anns = sampleAnnotations(HARBOUR);
  if (extra) {
    anns[0].extra = { colour: 'amber', 'x-review': { by: 'Ada', rounds: 3, ok: true, list: [1, 'two', null] } };
    anns[3].extra = { 'x-source-note': 'line one\nline two\u2028with a separator', weight: 0.25 };
  }
  return { dir, sidecarFile: sidecar(dir, 'harbour.txt', HARBOUR, anns) };
}

function ls(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function readSidecarFile(file: string): Sidecar {
  const r = parseSidecar(fs.readFileSync(file, 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.sidecar;
}

function ok(r: Run): void {
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

describe('adversarial: export never overwrites a file it did not write', function () {
  this.timeout(120_000);
  before(async () => {
    await buildCli();
  });
  after(() => removeTmpdirs());

  describe('the known failures', () => {
    it('brat --out . story.md leaves the unrelated story.txt alone (its text copy is story.md.txt)', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      write(dir, 'story.md', STORY_MD);
      const before = snapshotTree(dir);
      const r = cli(['export', '--format', 'brat', '--no-recognition', '--out', '.', 'story.md'], dir);
      ok(r);
      assertUntouched(before, snapshotTree(dir));
      assert.deepEqual(ls(dir), ['annotation.conf', 'story.md', 'story.md.ann', 'story.md.txt', 'story.txt']);
      assert.equal(fs.readFileSync(path.join(dir, 'story.md.txt'), 'utf8'), STORY_MD);
    });

    it('--out . on story.txt never rewrites the source (a BOM and CRLF source stays byte for byte)', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', Buffer.from('\ufeff' + STORY_TXT.replace(/\n/g, '\r\n'), 'utf8'));
      fs.chmodSync(path.join(dir, 'story.txt'), 0o640);
      const before = snapshotTree(dir);
      ok(cli(['export', '--format', 'brat', '--out', '.', 'story.txt'], dir));
      assertUntouched(before, snapshotTree(dir));
      assert.deepEqual(ls(dir), ['annotation.conf', 'story.txt', 'story.txt.ann', 'story.txt.txt']);
      // The text copy is the text the offsets count (BOM removed, \n), paired by brat with story.txt.ann.
      assert.equal(fs.readFileSync(path.join(dir, 'story.txt.txt'), 'utf8'), STORY_TXT);
    });

    it('a.txt and a.md no longer share a.ann: each gets its own file, in every format', () => {
      const dir = tmpdir();
      write(dir, 'a.txt', STORY_TXT);
      write(dir, 'a.md', STORY_MD);
      const before = snapshotTree(dir);
      for (const [format, ext] of [['brat', 'ann'], ['w3c', 'jsonld'], ['csv', 'csv'], ['md', 'md']] as const) {
        ok(cli(['export', '--format', format, '--no-recognition', '--out', 'out', 'a.txt', 'a.md'], dir));
        assert.ok(fs.existsSync(path.join(dir, 'out', `a.txt.${ext}`)), `${format}: a.txt.${ext}`);
        assert.ok(fs.existsSync(path.join(dir, 'out', `a.md.${ext}`)), `${format}: a.md.${ext}`);
      }
      assert.match(fs.readFileSync(path.join(dir, 'out', 'a.txt.ann'), 'utf8'), /^#0\tMarginaliaExport #0\t\{"source":"a\.txt"/);
      assert.match(fs.readFileSync(path.join(dir, 'out', 'a.md.ann'), 'utf8'), /^#0\tMarginaliaExport #0\t\{"source":"a\.md"/);
      assert.equal(fs.readFileSync(path.join(dir, 'out', 'a.md.txt'), 'utf8'), STORY_MD);
      assertUntouched(before, snapshotTree(dir));
    });

    it('--out naming an existing file: a clear usage error (exit 2), no stack trace, the file untouched', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      write(dir, 'notes.txt', 'my own notes\n');
      const before = snapshotTree(dir);
      const r = cli(['export', '--format', 'w3c', '--out', 'notes.txt', 'story.txt'], dir);
      assertCleanError(r, 2, /--out notes\.txt is a file, not a folder/);
      assertUntouched(before, snapshotTree(dir));
      assert.deepEqual(ls(dir), ['notes.txt', 'story.txt']);
    });

    it('--out under a file (ENOTDIR): a clear usage error naming the file in the way', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      write(dir, 'notes.txt', 'my own notes\n');
      const before = snapshotTree(dir);
      const r = cli(['export', '--format', 'csv', '--out', 'notes.txt/deeper/out', 'story.txt'], dir);
      assertCleanError(r, 2, /notes\.txt is a file, so no folder can be created there/);
      assertUntouched(before, snapshotTree(dir));
    });

    it('a read-only output folder (EACCES): exit 1, "permission denied", nothing written, no temporary file', function () {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      fs.mkdirSync(path.join(dir, 'ro'));
      fs.chmodSync(path.join(dir, 'ro'), 0o555);
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, 'story.txt'), 0o644);
      const before = snapshotTree(dir);
      let r: Run;
      if (process.getuid?.() === 0) {
        // Root ignores permission bits: run the command as the unprivileged user "nobody".
        const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(BIN.replace(/bin[/\\]marginalia\.js$/, 'dist/cli/marginalia.js'))})`], { uid: 65534, gid: 65534, encoding: 'utf8' });
        if (probe.error || probe.status !== 0) this.skip(); // nobody cannot reach node or the bundle here
        const s = spawnSync(process.execPath, [BIN, 'export', '--format', 'csv', '--no-recognition', '--out', 'ro', 'story.txt'], { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8' });
        r = { status: s.status ?? -1, stdout: s.stdout, stderr: s.stderr };
      } else {
        r = cli(['export', '--format', 'csv', '--no-recognition', '--out', 'ro', 'story.txt'], dir);
      }
      assertCleanError(r, 1, /cannot write ro\/story\.txt\.csv: permission denied[^\n]*choose another --out folder\n[^\n]*nothing was written/);
      assert.deepEqual(ls(path.join(dir, 'ro')), []);
      assertUntouched(before, snapshotTree(dir));
    });

    it('a full disk (ENOSPC, a 64 KiB tmpfs): exit 1, the partial and temporary files removed', function () {
      const dir = tmpdir();
      const big = Array.from({ length: 4000 }, (_, i) => `Line ${i}: Jane Okafor spoke in Port Ellis.`).join('\n') + '\n';
      write(dir, 'big.txt', big);
      write(dir, 'small.txt', STORY_TXT);
      const full = path.join(dir, 'full');
      fs.mkdirSync(full);
      try {
        execSync(`mount -t tmpfs -o size=64k tmpfs ${JSON.stringify(full)}`, { stdio: 'ignore' });
      } catch {
        this.skip(); // no permission to mount a tmpfs here: the mapping is unit-tested below
      }
      try {
        const before = snapshotTree(dir);
        const r = cli(['export', '--format', 'brat', '--no-recognition', '--out', 'full', 'small.txt', 'big.txt'], dir);
        assertCleanError(r, 1, /cannot write full\/big\.txt\.txt: no space left on the device[^\n]*\n[^\n]*nothing was written/);
        assert.deepEqual(ls(full), [], 'no partial export, no temporary file');
        assertUntouched(before, snapshotTree(dir));
      } finally {
        execSync(`umount ${JSON.stringify(full)}`, { stdio: 'ignore' });
      }
    });

    it('every CSV file has its header row; several sources to stdout get exactly one, at the top', () => {
      const dir = tmpdir();
      write(dir, 'a.txt', STORY_TXT);
      write(dir, 'b.txt', STORY_TXT);
      write(dir, 'c.md', STORY_MD);
      const before = snapshotTree(dir);
      ok(cli(['export', '--format', 'csv', '--out', 'out', 'a.txt', 'b.txt', 'c.md'], dir));
      for (const f of ['a.txt.csv', 'b.txt.csv', 'c.md.csv']) {
        assert.match(fs.readFileSync(path.join(dir, 'out', f), 'utf8'), /^source,record,id,kind,start,end,/, f);
      }
      const r = cli(['export', '--format', 'csv', 'a.txt', 'b.txt', 'c.md'], dir);
      ok(r);
      assert.equal((r.stdout.match(/^source,record,id,/gm) ?? []).length, 1);
      assert.ok(r.stdout.startsWith('source,record,id,'));
      assert.match(r.stdout, /^b\.txt,/m);
      assertUntouched(before, snapshotTree(dir));
    });
  });

  describe('sources that are not plain files', () => {
    it('a FIFO given as a source is refused at once (exit 2), not read (which would hang)', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      execSync(`mkfifo ${JSON.stringify(path.join(dir, 'pipe.txt'))}`);
      const before = snapshotTree(dir);
      const s = spawnSync(process.execPath, [BIN, 'export', '--format', 'w3c', '--out', 'out', 'story.txt', 'pipe.txt'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      assert.equal(s.error, undefined, 'the command hung on the FIFO');
      assertCleanError({ status: s.status ?? -1, stderr: s.stderr }, 2, /pipe\.txt is a FIFO, not a regular file/);
      assert.ok(!fs.existsSync(path.join(dir, 'out')), 'nothing was written');
      assertUntouched(before, snapshotTree(dir));
    });

    it('a FIFO inside a folder given is skipped; the regular sources are exported', () => {
      const dir = tmpdir();
      write(dir, 'src/story.txt', STORY_TXT);
      execSync(`mkfifo ${JSON.stringify(path.join(dir, 'src', 'pipe.txt'))}`);
      const before = snapshotTree(dir);
      const s = spawnSync(process.execPath, [BIN, 'export', '--format', 'csv', '--no-recognition', '--out', 'out', 'src'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      assert.equal(s.error, undefined, 'the command hung on the FIFO');
      assert.equal(s.status, 0, s.stderr);
      assert.deepEqual(ls(path.join(dir, 'out', 'src')), ['story.txt.csv']);
      assertUntouched(before, snapshotTree(dir));
    });

    it('a symlink source pointing outside the folder: read, exported under the link\'s name inside --out; the target untouched; not followed when walking', () => {
      const outside = tmpdir();
      const target = write(outside, 'secret.txt', STORY_TXT);
      const dir = tmpdir();
      fs.symlinkSync(target, path.join(dir, 'link.txt'));
      write(dir, 'folder/real.txt', STORY_TXT);
      fs.symlinkSync(target, path.join(dir, 'folder', 'linked.txt'));
      const beforeOut = snapshotTree(outside);
      const before = snapshotTree(dir);
      ok(cli(['export', '--format', 'w3c', '--no-recognition', '--out', 'out', 'link.txt', 'folder'], dir));
      assert.deepEqual(ls(path.join(dir, 'out')), ['folder', 'link.txt.jsonld']);
      assert.deepEqual(ls(path.join(dir, 'out', 'folder')), ['real.txt.jsonld']);
      assertUntouched(beforeOut, snapshotTree(outside));
      assert.deepEqual(ls(outside), ['secret.txt']);
      assertUntouched(before, snapshotTree(dir));
    });

    it('an output that is a symlink (to a file elsewhere) is refused, and the file it points to stays', () => {
      const outside = tmpdir();
      const victim = write(outside, 'victim.jsonld', '{"mine": true}\n');
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      fs.mkdirSync(path.join(dir, 'out'));
      fs.symlinkSync(victim, path.join(dir, 'out', 'story.txt.jsonld'));
      const beforeOut = snapshotTree(outside);
      const before = snapshotTree(dir);
      const r = cli(['export', '--format', 'w3c', '--out', 'out', 'story.txt'], dir);
      assertCleanError(r, 1, /out\/story\.txt\.jsonld is a symbolic link: not replaced/);
      assert.ok(fs.lstatSync(path.join(dir, 'out', 'story.txt.jsonld')).isSymbolicLink());
      assertUntouched(beforeOut, snapshotTree(outside));
      assertUntouched(before, snapshotTree(dir));
    });
  });

  describe('replacing files', () => {
    it('re-export over its own previous export is allowed, in every format (and keeps the file\'s permissions)', () => {
      const { dir } = harbour();
      const before = snapshotTree(dir);
      for (const format of ['w3c', 'brat', 'csv', 'md']) {
        ok(cli(['export', '--format', format, '--out', 'out', 'harbour.txt'], dir));
        const mid = snapshotTree(dir);
        for (const f of Object.keys(mid)) if (f.startsWith('out/')) fs.chmodSync(path.join(dir, f), 0o600);
        ok(cli(['export', '--format', format, '--out', 'out', 'harbour.txt'], dir));
        for (const f of Object.keys(mid)) if (f.startsWith('out/')) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, `${f} kept its permissions`);
      }
      assert.deepEqual(ls(path.join(dir, 'out')), ['annotation.conf', 'harbour.txt.ann', 'harbour.txt.csv', 'harbour.txt.jsonld', 'harbour.txt.md', 'harbour.txt.txt']);
      assert.deepEqual(ls(path.join(dir, 'out')).filter((f) => f.includes('marginalia-tmp')), []);
      assertUntouched(before, snapshotTree(dir));
    });

    it('a re-export after the source changed replaces the old brat text copy (recognised by the hash in the .ann marker)', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      ok(cli(['export', '--format', 'brat', '--no-recognition', '--out', 'out', 'story.txt'], dir));
      write(dir, 'story.txt', STORY_TXT + 'A second paragraph.\n');
      const before = snapshotTree(dir);
      ok(cli(['export', '--format', 'brat', '--no-recognition', '--out', 'out', 'story.txt'], dir));
      assert.equal(fs.readFileSync(path.join(dir, 'out', 'story.txt.txt'), 'utf8'), STORY_TXT + 'A second paragraph.\n');
      assertUntouched(before, snapshotTree(dir), ['out/story.txt.ann', 'out/story.txt.txt', 'out/annotation.conf']);
    });

    for (const [format, file, content] of [
      ['w3c', 'story.txt.jsonld', '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "label": "my own"}\n'],
      ['brat', 'story.txt.ann', 'T1\tPerson 0 4\tJane\n#1\tAnnotatorNotes T1\thand-made\n'],
      ['csv', 'story.txt.csv', 'name,score\nAda,3\n'],
      ['md', 'story.txt.md', '# My notes about the story\n\nDo not lose me.\n'],
    ] as const) {
      it(`a hand-written ${file} of the same name is refused (${format}): exit 1, nothing written`, () => {
        const dir = tmpdir();
        write(dir, 'story.txt', STORY_TXT);
        write(dir, 'other.txt', STORY_TXT);
        write(dir, `out/${file}`, content);
        const before = snapshotTree(dir);
        const r = cli(['export', '--format', format, '--out', 'out', 'other.txt', 'story.txt'], dir);
        assertCleanError(r, 1, new RegExp(`out/${file.replace(/\./g, '\\.')} exists and is not a Marginalia ${format} export: not replaced[^\\n]*\\n[^\\n]*nothing was written`));
        // All outputs are checked before any is written: not even other.txt's export exists.
        assert.deepEqual(ls(path.join(dir, 'out')), [file]);
        assertUntouched(before, snapshotTree(dir));
      });
    }

    it('a hand-written brat text copy or annotation.conf is refused too', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      write(dir, 'out/story.txt.txt', 'my own draft, not the story\n');
      write(dir, 'out2/annotation.conf', '[entities]\nMine\n');
      const before = snapshotTree(dir);
      assertCleanError(cli(['export', '--format', 'brat', '--out', 'out', 'story.txt'], dir), 1, /out\/story\.txt\.txt exists and is not a brat text copy Marginalia wrote/);
      assertCleanError(cli(['export', '--format', 'brat', '--out', 'out2', 'story.txt'], dir), 1, /out2\/annotation\.conf exists and is not the brat annotation\.conf Marginalia writes/);
      assert.deepEqual(ls(path.join(dir, 'out')), ['story.txt.txt']);
      assert.deepEqual(ls(path.join(dir, 'out2')), ['annotation.conf']);
      assertUntouched(before, snapshotTree(dir));
    });

    it('an output that is a folder is refused with a clear message', () => {
      const dir = tmpdir();
      write(dir, 'story.txt', STORY_TXT);
      write(dir, 'out/story.txt.csv/keep.txt', 'mine\n');
      const before = snapshotTree(dir);
      assertCleanError(cli(['export', '--format', 'csv', '--out', 'out', 'story.txt'], dir), 1, /out\/story\.txt\.csv exists and is a folder: not replaced/);
      assertUntouched(before, snapshotTree(dir));
    });

    it('two sources that would export to one file, or an output that would replace a source, are refused (exit 1)', () => {
      const root = tmpdir();
      write(root, 'x/a.txt', STORY_TXT);
      write(root, 'w/x/a.txt', STORY_MD);
      fs.mkdirSync(path.join(root, 'w', 'c'));
      const cwd = path.join(root, 'w', 'c');
      const before = snapshotTree(root);
      // ../x/a.txt and ../../x/a.txt share no folder: both would be out/x/a.txt.csv.
      const r = cli(['export', '--format', 'csv', '--out', 'out', '../x/a.txt', '../../x/a.txt'], cwd);
      assertCleanError(r, 1, /would both be exported to out\/x\/a\.txt\.csv/);
      // a.txt's brat text copy would be the source a.txt.txt.
      write(root, 'w/c/a.txt', STORY_TXT);
      write(root, 'w/c/a.txt.txt', 'a source of its own\n');
      const before2 = snapshotTree(root);
      const r2 = cli(['export', '--format', 'brat', '--out', '.', 'a.txt', 'a.txt.txt'], cwd);
      assertCleanError(r2, 1, /exporting a\.txt would overwrite the source a\.txt\.txt/);
      assert.deepEqual(ls(cwd), ['a.txt', 'a.txt.txt']);
      assertUntouched(before, snapshotTree(root));
      assertUntouched(before2, snapshotTree(root));
    });

    it('exporting a folder into itself twice: its own exports (Markdown reports, brat text copies) are not taken as sources', () => {
      const dir = tmpdir();
      write(dir, 'a.txt', STORY_TXT);
      write(dir, 'b.md', STORY_MD);
      const before = snapshotTree(dir);
      for (const format of ['md', 'brat', 'md', 'brat']) ok(cli(['export', '--format', format, '--no-recognition', '--out', '.', '.'], dir));
      assert.deepEqual(ls(dir), ['a.txt', 'a.txt.ann', 'a.txt.md', 'a.txt.txt', 'annotation.conf', 'b.md', 'b.md.ann', 'b.md.md', 'b.md.txt']);
      assertUntouched(before, snapshotTree(dir));
    });

    it('names with spaces, unicode and # export, re-export and import back', () => {
      const dir = tmpdir();
      const name = 'my story #1 – café 🌊 <b>--x.txt';
      write(dir, name, HARBOUR);
      const anns = sampleAnnotations(HARBOUR).slice(0, 3);
      const sc = sidecar(dir, name, HARBOUR, anns);
      const before = snapshotTree(dir);
      for (const format of ['w3c', 'brat', 'csv', 'md']) {
        ok(cli(['export', '--format', format, '--no-recognition', '--out', 'out dir', name], dir));
        ok(cli(['export', '--format', format, '--no-recognition', '--out', 'out dir', name], dir));
      }
      assert.deepEqual(ls(path.join(dir, 'out dir')), ['annotation.conf', ...['ann', 'csv', 'jsonld', 'md', 'txt'].map((e) => `${name}.${e}`)].sort());
      const md = fs.readFileSync(path.join(dir, 'out dir', `${name}.md`), 'utf8');
      assert.equal(md.split('\n')[0], markdownMarkerLine(name));
      assert.ok(!md.split('\n')[0].slice(4, -3).includes('--'), 'the source name cannot end the comment early');
      assertUntouched(before, snapshotTree(dir));
      fs.rmSync(sc);
      ok(cli(['import', '--format', 'brat', '--source', name, path.join('out dir', `${name}.ann`)], dir));
      assert.deepEqual(readSidecarFile(sc).annotations, anns);
    });
  });

  describe('unknown keys survive a round trip', () => {
    for (const format of ['brat', 'w3c'] as const) {
      it(`${format}: export → import gives back an identical sidecar, unknown keys included`, () => {
        const { dir, sidecarFile } = harbour(true);
        const original = fs.readFileSync(sidecarFile, 'utf8');
        const before = snapshotTree(dir);
        ok(cli(['export', '--format', format, '--out', 'out', 'harbour.txt'], dir));
        assertUntouched(before, snapshotTree(dir));
        const file = path.join('out', format === 'brat' ? 'harbour.txt.ann' : 'harbour.txt.jsonld');
        fs.renameSync(sidecarFile, sidecarFile + '.orig');
        const r = cli(['import', '--format', format, '--source', 'harbour.txt', file], dir);
        assert.equal(r.status, 0, r.stderr);
        const back = readSidecarFile(sidecarFile);
        assert.deepEqual(back.annotations, readSidecarFile(sidecarFile + '.orig').annotations);
        assert.deepEqual(back.annotations[0].extra, { colour: 'amber', 'x-review': { by: 'Ada', rounds: 3, ok: true, list: [1, 'two', null] } });
        assert.equal(fs.readFileSync(sidecarFile, 'utf8'), original);
      });
    }
  });

  describe('the pure parts', () => {
    it('planner: names from the whole source name, paths kept below --out, never above it', () => {
      const p = planExportOutputs(['a.txt', 'a.md', 'sub/./b.txt', '../../up/c.txt', '/abs/d.txt'], 'brat', 'out');
      assert.deepEqual(p.errors, []);
      assert.deepEqual(
        p.outputs.map((o) => o.files.map((f) => `${f.role}:${f.path}`)),
        [
          ['export:out/a.txt.ann', 'brat-text:out/a.txt.txt'],
          ['export:out/a.md.ann', 'brat-text:out/a.md.txt'],
          ['export:out/sub/b.txt.ann', 'brat-text:out/sub/b.txt.txt'],
          ['export:out/up/c.txt.ann', 'brat-text:out/up/c.txt.txt'],
          ['export:out/abs/d.txt.ann', 'brat-text:out/abs/d.txt.txt'],
        ],
      );
      assert.deepEqual(p.shared, [{ path: 'out/annotation.conf', role: 'brat-conf' }]);
      const one = planExportOutputs(['../../../../etc/passwd'], 'w3c', '.');
      assert.deepEqual(one.outputs[0].files, [{ path: 'passwd.jsonld', role: 'export' }]);
      const w = planExportOutputs(['a.txt', 'a.txt'], 'csv', '.');
      assert.equal(w.outputs.length, 1, 'a source given twice is exported once');
    });

    it('planner: collisions, outputs over sources and case-insensitive file systems are errors', () => {
      assert.match(planExportOutputs(['../x/a.txt', '../../x/a.txt'], 'csv', 'o').errors.join('\n'), /would both be exported to o\/x\/a\.txt\.csv/);
      assert.match(planExportOutputs(['a.txt', 'a.txt.txt'], 'brat', '.').errors.join('\n'), /would overwrite the source a\.txt\.txt/);
      assert.match(planExportOutputs(['annotation.conf'], 'brat', '.').errors.join('\n'), /annotation\.conf would overwrite the source annotation\.conf/);
      assert.match(planExportOutputs(['a.txt.ann/x.txt', 'a.txt'], 'brat', '.').errors.join('\n'), /a\.txt\.ann would be needed both as a file/);
      assert.deepEqual(planExportOutputs(['../X/a.txt', '../../x/a.txt'], 'md', 'o').errors, []);
      assert.match(planExportOutputs(['../X/a.txt', '../../x/a.txt'], 'md', 'o', { caseInsensitive: true }).errors.join('\n'), /would both be exported to o\/x\/a\.txt\.md/);
      assert.equal(planExportOutputs(['A.txt', 'a.txt'], 'md', '.', { caseInsensitive: true }).outputs.length, 1, 'one file on such a file system');
    });

    it('markers: each format recognises its own export and nothing hand-written', () => {
      const src = { path: 'a -->.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR) };
      for (const format of ['w3c', 'brat', 'csv', 'md'] as const) {
        const body = exportSource(format, src);
        assert.ok(isOwnExport(format, body.slice(0, 65536)), `${format} recognises its own export`);
        for (const other of ['w3c', 'brat', 'csv', 'md'] as const) if (other !== format) assert.ok(!isOwnExport(other, body), `${other} does not take a ${format} export`);
        assert.ok(!isOwnExport(format, ''), `${format}: an empty file is not an export`);
        assert.ok(!isOwnExport(format, 'hello\n'), `${format}: a hand-written file is not an export`);
      }
      assert.ok(isOwnBratConf(bratAnnotationConf()));
      assert.ok(!isOwnBratConf('[entities]\nX\n'));
      const ann = exportSource('brat', src);
      assert.deepEqual(fromBrat(ann, HARBOUR).warnings, [], 'the brat marker line is a comment the reader ignores');
      assert.ok(isOwnBratText(HARBOUR, ann));
      assert.ok(!isOwnBratText(HARBOUR + 'x', ann));
      assert.ok(!isOwnBratText(HARBOUR, undefined));
      assert.ok(isOwnBratText('same', undefined, 'same'));
      assert.ok(!/-->[^]*-->/.test(markdownMarkerLine('x --> y')), 'a source name cannot close the comment');
    });

    it('error messages name the file and say what to do (EACCES, ENOSPC, EEXIST, ENOTDIR)', () => {
      const err = (code: string) => Object.assign(new Error(code), { code });
      assert.match(exportFsMessage(err('EACCES'), 'write', 'out/a.csv'), /cannot write out\/a\.csv: permission denied.*choose another --out folder/);
      assert.match(exportFsMessage(err('ENOSPC'), 'write', 'out/a.csv'), /cannot write out\/a\.csv: no space left on the device; free some space/);
      assert.match(exportFsMessage(err('EEXIST'), 'create the folder', 'out/sub'), /cannot create the folder out\/sub: it already exists, in the way of the export; move it away/);
      assert.match(exportFsMessage(err('ENOTDIR'), 'write', 'out/a.csv'), /cannot write out\/a\.csv: a part of its path is a file, not a folder; choose another --out folder/);
    });

    it('staged writes: a rollback removes the temporary files and the folders it created', async () => {
      const dir = tmpdir();
      write(dir, 'keep.txt', 'keep\n');
      const before = snapshotTree(dir);
      const w = new StagedWrite();
      await w.stage(path.join(dir, 'new', 'deep', 'a.csv'), 'x');
      await w.stage(path.join(dir, 'b.csv'), 'y');
      assert.equal(fs.readdirSync(dir).filter((f) => f.includes('marginalia-tmp')).length, 1);
      await w.rollback();
      assert.deepEqual(ls(dir), ['keep.txt']);
      assertUntouched(before, snapshotTree(dir));
      const w2 = new StagedWrite();
      await w2.stage(path.join(dir, 'c.csv'), 'z', 0o640);
      assert.deepEqual(await w2.commit(), [path.join(dir, 'c.csv')]);
      assert.equal(fs.readFileSync(path.join(dir, 'c.csv'), 'utf8'), 'z');
      assert.equal(fs.statSync(path.join(dir, 'c.csv')).mode & 0o777, 0o640);
    });
  });
});
