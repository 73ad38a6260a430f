// The adversarial suite, project layer: the safe sidecar writer, the import flow, `check`'s pairing,
// workspaces and clear errors — through the core API and through the real command line.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, assertCleanError, assertUntouched, buildCli, cli, removeTmpdirs, snapshotTree, tmpdir } from './harness';
import { HARBOUR, sampleAnnotations } from '../interchange/helpers';
import { nodeFs, toProjectPath } from '../../../src/cli/nodeFs';
import { Project, ProjectError, importIntoProject, lockPathFor, recoverLeftovers, tempPathFor, writeSidecar, type ProjectFs } from '../../../src/core/project';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { hashText } from '../../../src/core/sidecar/hash';
import { makeTarget } from '../../../src/core/anchor';
import type { Annotation, Sidecar } from '../../../src/core/sidecar/model';
import { ulidFactory } from '../../../src/core/sidecar/ulid';

function workspace(text = HARBOUR, annotations = sampleAnnotations(HARBOUR)): { dir: string; source: string; sidecar: string; data: Sidecar } {
  const dir = tmpdir('marginalia-adv-');
  fs.mkdirSync(path.join(dir, '.marginalia'));
  const source = path.join(dir, 'harbour.txt');
  fs.writeFileSync(source, text);
  const data: Sidecar = { version: 1, source: 'harbour.txt', hash: hashText(text), annotations, corrections: [] };
  const sidecar = source + '.marginalia.yaml';
  fs.writeFileSync(sidecar, serializeSidecar(data));
  return { dir, source, sidecar, data };
}

function annotationsOf(file: string): Annotation[] {
  const r = parseSidecar(fs.readFileSync(file, 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.sidecar.annotations;
}

const note = (text: string, exact: string, id: string, body: string): Annotation => {
  const at = text.indexOf(exact);
  return { id, kind: 'note', note: body, target: makeTarget(text, at, at + exact.length) };
};

/** A file system that fails one operation with an error code, after doing part of it. */
function failing(op: 'writeText' | 'rename', code: string): ProjectFs {
  return {
    ...nodeFs,
    [op]: async (p: string, ...rest: unknown[]) => {
      if (op === 'writeText' && !p.endsWith('marginalia-lock')) {
        await (nodeFs.writeText as (...a: unknown[]) => Promise<void>)(p, (rest[0] as string).slice(0, 10), rest[1]); // a truncated file, as a full disk leaves
        throw Object.assign(new Error(code), { code });
      }
      if (op === 'rename') throw Object.assign(new Error(code), { code });
      return (nodeFs[op] as (...a: unknown[]) => Promise<void>)(p, ...rest);
    },
  };
}

describe('adversarial: the project layer (writer, import, check, workspaces)', function () {
  this.timeout(120_000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  describe('the safe sidecar writer', () => {
    const addOne = (s: Sidecar): Sidecar => ({ ...s, annotations: [...s.annotations, note(HARBOUR, 'Port Ellis', '01JDQ5N8W9X3Y2Z1A0B4C6D8ZZ', 'added')] });
    const write = (fsImpl: ProjectFs, file: string, maxBytes?: number) =>
      writeSidecar(fsImpl, toProjectPath(file), (cur) => addOne(cur.parsed!.sidecar), { maxBytes });

    it('keeps the permission bits of the file it replaces (chmod 600 stays 600)', async () => {
      const w = workspace();
      fs.chmodSync(w.sidecar, 0o600);
      await write(nodeFs, w.sidecar);
      assert.equal(fs.statSync(w.sidecar).mode & 0o777, 0o600);
      assert.equal(annotationsOf(w.sidecar).length, w.data.annotations.length + 1);
    });

    it('keeps CRLF line endings and a BOM', async () => {
      const w = workspace();
      fs.writeFileSync(w.sidecar, '\ufeff' + serializeSidecar(w.data).replace(/\n/g, '\r\n'));
      await write(nodeFs, w.sidecar);
      const text = fs.readFileSync(w.sidecar, 'utf8');
      assert.equal(text.charCodeAt(0), 0xfeff);
      assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
      assert.equal(annotationsOf(w.sidecar).length, w.data.annotations.length + 1);
    });

    it('never writes a result over the size limit: the file stays as it was, with a clear error', async () => {
      const w = workspace();
      const before = fs.readFileSync(w.sidecar);
      await assert.rejects(write(nodeFs, w.sidecar, before.length + 20), (e: Error) => e instanceof ProjectError && /not changed.*larger than the limit|size limit/i.test(e.message));
      assert.deepEqual(fs.readFileSync(w.sidecar), before);
      assert.deepEqual(fs.readdirSync(w.dir).filter((n) => n.includes('marginalia-tmp') || n.includes('marginalia-lock')), []);
    });

    it('never overwrites a malformed sidecar: the error names the line, the file is untouched', async () => {
      const w = workspace();
      fs.writeFileSync(w.sidecar, 'version: 1\nannotations: [\n');
      const before = fs.readFileSync(w.sidecar);
      await assert.rejects(write(nodeFs, w.sidecar), (e: Error) => e instanceof ProjectError && /harbour\.txt\.marginalia\.yaml:\d+:\d+/.test(e.message) && /untouched/.test(e.message));
      assert.deepEqual(fs.readFileSync(w.sidecar), before);
    });

    for (const code of ['ENOSPC', 'EACCES', 'EDQUOT']) {
      it(`${code} while writing: the truncated temporary file is removed, the sidecar is unchanged, the message says what to do`, async () => {
        const w = workspace();
        const before = fs.readFileSync(w.sidecar);
        await assert.rejects(write(failing('writeText', code), w.sidecar), (e: Error) => e instanceof ProjectError && e.message.includes('harbour.txt.marginalia.yaml') && /space|permission|quota/.test(e.message));
        assert.deepEqual(fs.readFileSync(w.sidecar), before);
        assert.deepEqual(fs.readdirSync(w.dir).filter((n) => n.startsWith('.')), ['.marginalia']);
      });
    }

    it('a failed rename removes the temporary file and leaves the sidecar as it was', async () => {
      const w = workspace();
      const before = fs.readFileSync(w.sidecar);
      await assert.rejects(write(failing('rename', 'EBUSY'), w.sidecar), /busy/);
      assert.deepEqual(fs.readFileSync(w.sidecar), before);
      assert.deepEqual(fs.readdirSync(w.dir).filter((n) => n.startsWith('.')), ['.marginalia']);
    });

    it('refuses a FIFO named like a sidecar without blocking', async function () {
      const w = workspace();
      fs.rmSync(w.sidecar);
      execFileSync('mkfifo', [w.sidecar]);
      await assert.rejects(write(nodeFs, w.sidecar), /not a regular file/);
    });

    it('refuses a folder named like a sidecar', async () => {
      const w = workspace();
      fs.rmSync(w.sidecar);
      fs.mkdirSync(w.sidecar);
      await assert.rejects(write(nodeFs, w.sidecar), /not a regular file \(a folder\)/);
    });

    it('waits for another writer\'s lock, then merges with what that writer wrote', async () => {
      const w = workspace();
      const lock = lockPathFor(toProjectPath(w.sidecar));
      fs.writeFileSync(lock, 'held');
      const pending = writeSidecar(nodeFs, toProjectPath(w.sidecar), (cur) => addOne(cur.parsed!.sidecar));
      await new Promise((r) => setTimeout(r, 150));
      // The other writer adds an annotation and releases its lock.
      const other = note(HARBOUR, 'Jane Okafor', '01JDQ5N8W9X3Y2Z1A0B4C6D8YY', 'other writer');
      fs.writeFileSync(w.sidecar, serializeSidecar({ ...w.data, annotations: [...w.data.annotations, other] }));
      fs.rmSync(lock);
      await pending;
      const ids = annotationsOf(w.sidecar).map((a) => a.id);
      assert.ok(ids.includes('01JDQ5N8W9X3Y2Z1A0B4C6D8YY') && ids.includes('01JDQ5N8W9X3Y2Z1A0B4C6D8ZZ'), ids.join(' '));
    });

    it('takes over a lock left by a process that died, and says so when a live one holds it too long', async () => {
      const w = workspace();
      const lock = lockPathFor(toProjectPath(w.sidecar));
      fs.writeFileSync(lock, 'stale');
      const old = new Date(Date.now() - 120_000);
      fs.utimesSync(lock, old, old);
      await write(nodeFs, w.sidecar);
      assert.ok(!fs.existsSync(lock));
      fs.writeFileSync(lock, 'live');
      await assert.rejects(writeSidecar(nodeFs, toProjectPath(w.sidecar), (c) => addOne(c.parsed!.sidecar), { lockTimeoutMs: 100 }), /being written by another Marginalia process/);
    });

    it('recovers a complete temporary file when the sidecar is missing, and removes leftovers beside a good sidecar', async () => {
      const w = workspace();
      const target = toProjectPath(w.sidecar);
      const old = Date.now() - 5 * 60_000;
      const tmp = tempPathFor(target, old);
      fs.renameSync(w.sidecar, tmp);
      const r = await recoverLeftovers(nodeFs, target);
      assert.equal(r.recovered, tmp);
      assert.equal(annotationsOf(w.sidecar).length, w.data.annotations.length);
      const leftover = tempPathFor(target, old);
      fs.writeFileSync(leftover, 'version: 1\nannot');
      const r2 = await recoverLeftovers(nodeFs, target);
      assert.deepEqual(r2.removed, [leftover]);
      // A truncated temporary file with no sidecar beside it is kept for the user, not deleted.
      fs.rmSync(w.sidecar);
      fs.writeFileSync(leftover, 'version: 1\nannot');
      const r3 = await recoverLeftovers(nodeFs, target);
      assert.equal(r3.recovered, undefined);
      assert.ok(fs.existsSync(leftover));
    });
  });

  describe('import', () => {
    const project = (dir: string) => new Project(nodeFs, toProjectPath(dir));
    const w3cOf = (items: object[]) => JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', first: { type: 'AnnotationPage', items } });
    const w3cNote = (id: string, exact: string, start: number, body = 'foreign') => ({
      id: `urn:x:${id}`,
      'marginalia:id': id,
      type: 'Annotation',
      motivation: 'commenting',
      body: { type: 'TextualBody', value: body, purpose: 'commenting' },
      target: { source: 'harbour.txt', selector: [{ type: 'TextQuoteSelector', exact }, { type: 'TextPositionSelector', start, end: start + exact.length }] },
    });

    it('a foreign annotation whose id equals an existing one on other text gets a new id; the original is untouched', async () => {
      const w = workspace();
      const existing = w.data.annotations[0];
      // A tool that kept the bare id but moved the note to other text.
      const content = w3cOf([{ ...w3cNote(existing.id, 'Port Ellis', HARBOUR.indexOf('Port Ellis')), id: existing.id }]);
      const r = await importIntoProject(project(w.dir), toProjectPath(w.source), 'w3c', content, { now: '2026-01-01T00:00:00Z', newId: ulidFactory() });
      assert.equal(r.added.length, 1);
      assert.equal(r.updated.length, 0);
      assert.match(r.warnings.join('\n'), new RegExp(`id ${existing.id} is already used by another annotation`));
      const after = annotationsOf(w.sidecar);
      assert.deepEqual(after.find((a) => a.id === existing.id)?.note, existing.note);
      assert.equal(after.length, w.data.annotations.length + 1);
    });

    it('an imported id equal to a correction\'s id gets a new id (no duplicate ids)', async () => {
      const w = workspace();
      const corr = { id: '01JDQ5N8W9X3Y2Z1A0B4C6D8C1', action: 'ignore' as const, target: makeTarget(HARBOUR, HARBOUR.indexOf('Port Ellis'), HARBOUR.indexOf('Port Ellis') + 10) };
      fs.writeFileSync(w.sidecar, serializeSidecar({ ...w.data, corrections: [corr] }));
      const r = await importIntoProject(project(w.dir), toProjectPath(w.source), 'w3c', w3cOf([{ ...w3cNote(corr.id, 'Port Ellis', HARBOUR.indexOf('Port Ellis')), id: corr.id }]), { now: 'x', newId: ulidFactory() });
      assert.match(r.warnings.join('\n'), /already used by a correction/);
      assert.equal(r.added.length, 1);
      assert.notEqual(r.added[0], corr.id);
      assert.ok(parseSidecar(fs.readFileSync(w.sidecar, 'utf8')).ok);
    });

    it('a fractional or reversed position is never written: the quote places it', async () => {
      const w = workspace();
      const at = HARBOUR.indexOf('Port Ellis');
      const bad = { ...w3cNote('01JDQ5N8W9X3Y2Z1A0B4C6D8Q1', 'Port Ellis', at), target: { source: 'harbour.txt', selector: [{ type: 'TextQuoteSelector', exact: 'Port Ellis' }, { type: 'TextPositionSelector', start: at + 0.5, end: at - 3 }] } };
      const r = await importIntoProject(project(w.dir), toProjectPath(w.source), 'w3c', w3cOf([bad]), { now: 'x', newId: ulidFactory() });
      assert.equal(r.added.length, 1);
      const a = annotationsOf(w.sidecar).find((x) => x.id === r.added[0])!;
      assert.equal(a.target.start, at);
      assert.equal(a.target.end, at + 10);
    });

    for (const format of ['w3c', 'brat'] as const) {
      it(`re-importing its own ${format} export changes no byte, whatever the ids`, () => {
        const w = workspace();
        const out = path.join(w.dir, 'out');
        assert.equal(cli(['export', '--format', format, '--no-recognition', '--out', out, 'harbour.txt'], w.dir).status, 0);
        const file = fs.readdirSync(out).find((n) => n.endsWith(format === 'w3c' ? '.jsonld' : '.ann'))!;
        let content = fs.readFileSync(path.join(out, file), 'utf8');
        // A foreign tool drops the W3C ids; brat's ids are replaced by new ones.
        const fresh = ulidFactory();
        content = format === 'w3c' ? content.replace(/"marginalia:id": "[^"]*",?/g, '').replace(/"id": "urn:[^"]*",?/g, '') : content.replace(/01JDQ5N8W9X3Y2Z1A0B4C6D8E\d/g, () => fresh());
        fs.writeFileSync(path.join(out, file), content);
        const before = snapshotTree(w.dir);
        const r = cli(['import', '--format', format, '--source', 'harbour.txt', path.join('out', file)], w.dir);
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        assert.match(r.stderr, /0 added, 0 updated/);
        assertUntouched(before, snapshotTree(w.dir));
      });
    }

    it('two imports running at once: both end up on disk', async () => {
      const w = workspace(HARBOUR, []);
      const files = ['Port Ellis', 'Jane Okafor'].map((exact, i) => {
        const f = path.join(w.dir, `in${i}.jsonld`);
        fs.writeFileSync(f, w3cOf([w3cNote(`01JDQ5N8W9X3Y2Z1A0B4C6D8P${i}`, exact, HARBOUR.indexOf(exact), `import ${i}`)]));
        return f;
      });
      const run = (f: string) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'import', '--format', 'w3c', '--source', 'harbour.txt', f], { cwd: w.dir, stdio: 'ignore' });
          child.on('exit', (code) => resolve(code ?? -1));
        });
      const codes = await Promise.all(files.map(run));
      assert.deepEqual(codes, [0, 0]);
      const notes = annotationsOf(w.sidecar).map((a) => a.note).sort();
      assert.deepEqual(notes, ['import 0', 'import 1']);
    });

    it('into a malformed sidecar: exit 1, a message with the line, the file untouched', () => {
      const w = workspace();
      fs.writeFileSync(w.sidecar, 'version: 1\nannotations:\n  - id: [\n');
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([w3cNote('01JDQ5N8W9X3Y2Z1A0B4C6D8P1', 'Port Ellis', 0)]));
      const before = snapshotTree(w.dir);
      const r = cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'in.jsonld'], w.dir);
      assertCleanError(r, 1, /harbour\.txt\.marginalia\.yaml:\d+:\d+/);
      assertUntouched(before, snapshotTree(w.dir));
    });

    it('a source outside --workspace is refused before anything is read or written', () => {
      const w = workspace();
      const other = workspace();
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([]));
      const before = snapshotTree(other.dir);
      const r = cli(['import', '--format', 'w3c', '--workspace', w.dir, '--source', other.source, 'in.jsonld'], w.dir);
      assertCleanError(r, 2, /outside the workspace/);
      assertUntouched(before, snapshotTree(other.dir));
    });

    it('a sidecar folder that is a symlink out of the workspace is refused', () => {
      const w = workspace();
      const outside = tmpdir('marginalia-outside-');
      fs.symlinkSync(outside, path.join(w.dir, 'notes'));
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([w3cNote('01JDQ5N8W9X3Y2Z1A0B4C6D8P1', 'Port Ellis', HARBOUR.indexOf('Port Ellis'))]));
      const r = cli(['import', '--format', 'w3c', '--sidecar-folder', 'notes', '--source', 'harbour.txt', 'in.jsonld'], w.dir);
      assertCleanError(r, 1, /outside the workspace/);
      assert.deepEqual(fs.readdirSync(outside), []);
    });
  });

  describe('check', () => {
    it('reports exactly the orphans export reports', () => {
      const w = workspace();
      fs.writeFileSync(w.source, HARBOUR.replace('Port Ellis, 12 March 2024 —\n\n', '').replace('Jane Okafor', 'J. O.'));
      const chk = cli(['check', '--json'], w.dir);
      const checked = (JSON.parse(chk.stdout) as { files: Array<{ findings: Array<{ code: string; id?: string }> }> }).files[0].findings.filter((f) => f.code === 'orphan').map((f) => f.id).sort();
      const csv = cli(['export', '--format', 'csv', '--no-recognition', 'harbour.txt'], w.dir);
      const orphanRows = csv.stdout.split('\r\n').filter((l) => /^harbour\.txt,annotation,/.test(l) && /,true(,|$)/.test(l)).map((l) => l.split(',')[2]).sort();
      assert.ok(checked.length > 0);
      assert.deepEqual(checked, orphanRows);
    });

    it('validates a symlinked sidecar inside the workspace (a malformed one fails CI)', () => {
      const w = workspace();
      fs.mkdirSync(path.join(w.dir, 'real'));
      const real = path.join(w.dir, 'real', 'kept.yaml');
      fs.writeFileSync(real, 'version: 1\nannotations: [\n');
      fs.rmSync(w.sidecar);
      fs.symlinkSync(real, w.sidecar);
      const r = cli(['check'], w.dir);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /harbour\.txt\.marginalia\.yaml:\d+:\d+: error/);
    });

    it('never follows a sidecar symlink out of the workspace', () => {
      const w = workspace();
      const outside = tmpdir('marginalia-outside-');
      const secret = path.join(outside, 'secret.yaml');
      fs.writeFileSync(secret, serializeSidecar(w.data));
      fs.rmSync(w.sidecar);
      fs.symlinkSync(secret, w.sidecar);
      const r = cli(['check'], w.dir);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /symbolic link out of the workspace/);
    });

    it('never reads a source through a symlink out of the workspace', () => {
      const w = workspace();
      const outside = tmpdir('marginalia-outside-');
      fs.renameSync(w.source, path.join(outside, 'harbour.txt'));
      fs.symlinkSync(path.join(outside, 'harbour.txt'), w.source);
      const r = cli(['check'], w.dir);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /source harbour\.txt is a symbolic link out of the workspace/);
    });

    it('a FIFO named like a sidecar is reported, not read (no hang)', () => {
      const w = workspace();
      fs.rmSync(w.sidecar);
      execFileSync('mkfifo', [w.sidecar]);
      const r = cli(['check'], w.dir);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /not a regular file/);
    });

    it('a FIFO given as a source to scan and export is refused (no hang)', () => {
      const w = workspace();
      const fifo = path.join(w.dir, 'pipe.txt');
      execFileSync('mkfifo', [fifo]);
      for (const args of [['scan', 'pipe.txt'], ['export', '--format', 'md', 'pipe.txt']]) {
        const r = cli(args, w.dir);
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /not a regular file|FIFO/);
      }
    });
  });

  describe('found by review', () => {
    const w3cOf = (items: object[]) => JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', first: { type: 'AnnotationPage', items } });
    const foreign = (id: string, exact: string) => ({ type: 'Annotation', id, body: { value: "Foreign reviewer's opinion" }, target: { source: 'harbour.txt', selector: { type: 'TextQuoteSelector', exact } } });

    it('another tool\'s IRI ending in one of our ids names its own annotation: a new id, ours untouched', () => {
      const w = workspace();
      const a = w.data.annotations[0];
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([foreign(`http://other.example/anno/${a.id}`, a.target.exact)]));
      const r = cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'in.jsonld'], w.dir);
      assert.match(r.stderr, /1 added, 0 updated/);
      const after = annotationsOf(w.sidecar).find((x) => x.id === a.id)!;
      assert.equal(after.note, a.note);
      assert.equal(after.kind, a.kind);
    });

    it('W3C shapes that are valid JSON-LD all import: @graph, type lists, oa:Annotation, an untyped first page with a next chain', () => {
      const at = HARBOUR.indexOf('Port Ellis');
      const ann = (n: number, type: unknown = 'Annotation') => ({ type, body: { value: `n${n}` }, target: { selector: [{ type: 'TextQuoteSelector', exact: 'Port Ellis' }, { type: 'TextPositionSelector', start: at, end: at + 10 }] } });
      const shapes: Array<[string, unknown, number]> = [
        ['@graph', { '@context': 'http://www.w3.org/ns/anno.jsonld', '@graph': [ann(1)] }, 1],
        ['a type list', [ann(2, ['Annotation'])], 1],
        ['oa:Annotation', [{ ...ann(3), type: undefined, '@type': 'oa:Annotation' }], 1],
        ['an untyped first page with next', { type: 'AnnotationCollection', first: { items: [ann(4)], next: { items: [ann(5)] } } }, 2],
      ];
      for (const [what, doc, n] of shapes) {
        const w = workspace(HARBOUR, []);
        fs.writeFileSync(path.join(w.dir, 'in.jsonld'), JSON.stringify(doc));
        const r = cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'in.jsonld'], w.dir);
        assert.match(r.stderr, new RegExp(`${n} added`), `${what}: ${r.stderr}`);
      }
      const empty = workspace(HARBOUR, []);
      fs.writeFileSync(path.join(empty.dir, 'in.jsonld'), '{"nothing": true}');
      const r = cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'in.jsonld'], empty.dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /no annotations found/);
    });

    it('re-importing its own brat export after the source changed changes no annotation (a repeated word stays on its own occurrence)', () => {
      const text = 'Rome was quiet. Later, in Rome, the talks began.\n';
      const at1 = text.indexOf('Rome');
      const at2 = text.indexOf('Rome', at1 + 1);
      const w = workspace(text, [note(text, 'Rome', '01JDQ5N8W9X3Y2Z1A0B4C6D8R1', 'first'), { ...note(text, 'Rome', '01JDQ5N8W9X3Y2Z1A0B4C6D8R2', 'second'), target: makeTarget(text, at2, at2 + 4) }]);
      assert.equal(cli(['export', '--format', 'brat', '--no-recognition', '--out', 'out', 'harbour.txt'], w.dir).status, 0);
      fs.writeFileSync(w.source, 'Preface line.\n' + text);
      const before = fs.readFileSync(w.sidecar, 'utf8');
      const r = cli(['import', '--format', 'brat', '--source', 'harbour.txt', 'out/harbour.txt.ann'], w.dir);
      assert.match(r.stderr, /0 added, 0 updated, 2 unchanged/);
      assert.doesNotMatch(r.stderr, /already used/);
      assert.equal(fs.readFileSync(w.sidecar, 'utf8'), before);
    });

    it('a sidecar that is not valid UTF-8 is reported and never rewritten', () => {
      const w = workspace();
      const bytes = Buffer.concat([Buffer.from(fs.readFileSync(w.sidecar, 'utf8').replace(/note: [^\n]*/, 'note: caf')), Buffer.from([0xe9, 0x0a])]);
      fs.writeFileSync(w.sidecar, bytes);
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([]));
      const chk = cli(['check'], w.dir);
      assert.equal(chk.status, 1);
      assert.match(chk.stdout, /not valid UTF-8/);
      const r = cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'in.jsonld'], w.dir);
      assertCleanError(r, 1, /not valid UTF-8/);
      assert.deepEqual(fs.readFileSync(w.sidecar), bytes);
    });

    it('a lock that is a folder, or cannot be removed, is an error, not a hang', async () => {
      const w = workspace();
      const lock = lockPathFor(toProjectPath(w.sidecar));
      fs.mkdirSync(lock);
      const old = new Date(Date.now() - 3_600_000);
      fs.utimesSync(lock, old, old);
      const t = Date.now();
      await assert.rejects(writeSidecar(nodeFs, toProjectPath(w.sidecar), (c) => c.parsed!.sidecar), /in the way of .*lock/);
      assert.ok(Date.now() - t < 5_000);
    });

    it('a FIFO or a deeply nested .vscode/settings.json, a FIFO or device as --model: clear messages, no hang', () => {
      const w = workspace();
      fs.mkdirSync(path.join(w.dir, '.vscode'));
      execFileSync('mkfifo', [path.join(w.dir, '.vscode', 'settings.json')]);
      const r = cli(['scan', '--json', '--jobs', '0', 'harbour.txt'], w.dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /settings\.json: not a regular file; its settings are not used/);
      fs.rmSync(path.join(w.dir, '.vscode', 'settings.json'));
      fs.writeFileSync(path.join(w.dir, '.vscode', 'settings.json'), '['.repeat(50_000) + ']'.repeat(50_000));
      const deep = cli(['scan', '--json', '--jobs', '0', 'harbour.txt'], w.dir);
      assert.equal(deep.status, 0, deep.stderr);
      assert.match(deep.stderr, /nested deeper than 64 levels/);
      assertCleanError(cli(['scan', '--model', '/dev/zero', 'harbour.txt'], w.dir), 2, /not a regular file|not a usable/);
    });

    it('a dictionary nested 20,000 deep is refused with its line, recognition goes on', () => {
      const w = workspace();
      fs.writeFileSync(path.join(w.dir, '.marginalia', 'dictionary.yaml'), 'entries:\n  - ' + '- '.repeat(20_000) + 'x\n');
      const r = cli(['scan', '--json', '--jobs', '0', 'harbour.txt'], w.dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /dictionary\.yaml:\d+: collections nested too deeply/);
      assert.doesNotMatch(r.stderr, /Maximum call stack/);
    });

    it('check of a folder also checks its sidecars kept in the mirrored sidecar folder', () => {
      const w = workspace();
      fs.mkdirSync(path.join(w.dir, 'docs'));
      fs.renameSync(w.source, path.join(w.dir, 'docs', 'a.txt'));
      fs.mkdirSync(path.join(w.dir, '.notes', 'docs'), { recursive: true });
      fs.writeFileSync(path.join(w.dir, '.notes', 'docs', 'a.txt.marginalia.yaml'), 'version: 1\nannotations: [\n');
      fs.rmSync(w.sidecar);
      fs.mkdirSync(path.join(w.dir, '.vscode'));
      fs.writeFileSync(path.join(w.dir, '.vscode', 'settings.json'), '{"marginalia.sidecar.folder": ".notes"}');
      const r = cli(['check', 'docs'], w.dir);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /a\.txt\.marginalia\.yaml:\d+:\d+: error/);
    });

    it('import never writes a sidecar outside the workspace it runs in', () => {
      const w = workspace();
      const elsewhere = tmpdir('marginalia-elsewhere-');
      fs.writeFileSync(path.join(elsewhere, 's.txt'), HARBOUR);
      fs.writeFileSync(path.join(w.dir, 'in.jsonld'), w3cOf([]));
      const r = cli(['import', '--format', 'w3c', '--source', path.join(elsewhere, 's.txt'), 'in.jsonld'], w.dir);
      assertCleanError(r, 2, /outside the workspace/);
      assert.deepEqual(fs.readdirSync(elsewhere), ['s.txt']);
    });
  });

  describe('workspaces and errors', () => {
    it('--jobs is bounded by the cores', () => {
      const r = cli(['scan', '--jobs', '100000', 'harbour.txt'], workspace().dir);
      assertCleanError(r, 2, /--jobs must be a whole number from 0 to \d+/);
    });

    it('--workspace naming a file is a usage error, not a stack trace', () => {
      const w = workspace();
      assertCleanError(cli(['scan', '--workspace', w.source, 'harbour.txt'], w.dir), 2, /is not a folder/);
    });

    it('a sidecar folder that climbs out of the workspace is refused', () => {
      const w = workspace();
      assertCleanError(cli(['export', '--format', 'md', '--sidecar-folder', '../x', 'harbour.txt'], w.dir), 2, /leaves the workspace/);
    });

    it('scan applies the workspace dictionary and the sidecar\'s corrections, as the editor does', () => {
      const w = workspace();
      fs.writeFileSync(path.join(w.dir, '.marginalia', 'dictionary.yaml'), 'ignore:\n  - Jane Okafor\n');
      const at = HARBOUR.indexOf('Port Ellis');
      fs.writeFileSync(w.sidecar, serializeSidecar({ ...w.data, corrections: [{ id: '01JDQ5N8W9X3Y2Z1A0B4C6D8C1', action: 'entity-type', type: 'organization', target: makeTarget(HARBOUR, at, at + 10) }] }));
      const out = JSON.parse(cli(['scan', '--json', '--jobs', '0', 'harbour.txt'], w.dir).stdout) as { files: Array<{ mentions: Array<{ text: string; type: string }> }> };
      const ms = out.files[0].mentions;
      assert.ok(!ms.some((m) => m.text === 'Jane Okafor'), 'the dictionary ignores Jane Okafor');
      assert.ok(ms.filter((m) => m.text === 'Port Ellis').every((m) => m.type === 'organization') && ms.some((m) => m.text === 'Port Ellis'));
      const viaWorkers = JSON.parse(cli(['scan', '--json', '--jobs', '1', 'harbour.txt'], w.dir).stdout) as typeof out;
      assert.deepEqual(viaWorkers, out);
    });

    it('scan of a source whose sidecar is malformed: recognised without corrections, reported, exit 1', () => {
      const w = workspace();
      fs.writeFileSync(w.sidecar, 'version: [\n');
      const r = cli(['scan', '--json', 'harbour.txt'], w.dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /recognised without its corrections/);
      assert.ok((JSON.parse(r.stdout) as { files: unknown[] }).files.length === 1);
    });

    it('an unreadable input file is a sentence, not a stack trace', () => {
      const w = workspace();
      assertCleanError(cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'missing.jsonld'], w.dir), 2, /missing\.jsonld.*does not exist/);
      fs.mkdirSync(path.join(w.dir, 'dir.jsonld'));
      assertCleanError(cli(['import', '--format', 'w3c', '--source', 'harbour.txt', 'dir.jsonld'], w.dir), 2, /is a folder/);
    });
  });
});
