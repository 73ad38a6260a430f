import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, buildCli, cli, removeTmpdirs, tmpdir } from './helpers';
import { HARBOUR, sampleAnnotations } from '../interchange/helpers';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { hashText } from '../../../src/core/sidecar/hash';
import type { Sidecar } from '../../../src/core/sidecar/model';

/** A folder with harbour.txt and its sidecar holding the sample annotations. */
function workspace(text = HARBOUR): { dir: string; source: string; sidecar: string; data: Sidecar } {
  const dir = tmpdir();
  const source = path.join(dir, 'harbour.txt');
  fs.writeFileSync(source, text);
  const data: Sidecar = { version: 1, source: 'harbour.txt', hash: hashText(HARBOUR), annotations: sampleAnnotations(HARBOUR), corrections: [] };
  const sidecar = source + '.marginalia.yaml';
  fs.writeFileSync(sidecar, serializeSidecar(data));
  return { dir, source, sidecar, data };
}

function readAnnotations(file: string) {
  const r = parseSidecar(fs.readFileSync(file, 'utf8'));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.sidecar.annotations;
}

describe('cli: marginalia', function () {
  this.timeout(60000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  describe('usage and exit codes', () => {
    it('--help prints the forms and exits 0; no command exits 2', () => {
      const r = cli(['--help']);
      assert.equal(r.status, 0);
      for (const form of ['scan [--json] FILE...', 'export --format w3c|brat|csv|md|claimreview [--out DIR] SOURCE...', 'import --format w3c|brat --source SOURCE FILE', 'check [PATH...]', 'merge-driver BASE OURS THEIRS']) {
        assert.ok(r.stdout.includes(form), form);
      }
      assert.equal(cli([]).status, 2);
    });

    for (const cmd of ['scan', 'export', 'import', 'check', 'merge-driver']) {
      it(`${cmd} --help exits 0 with its usage`, () => {
        const r = cli([cmd, '--help']);
        assert.equal(r.status, 0);
        assert.ok(r.stdout.startsWith(`Usage: marginalia ${cmd}`), r.stdout.slice(0, 80));
        assert.match(r.stdout, /Exit status/);
      });
    }

    const usage: Array<[string, string[]]> = [
      ['an unknown command', ['frobnicate']],
      ['an unknown option', ['scan', '--frob', 'x.txt']],
      ['scan without files', ['scan']],
      ['export without --format', ['export', 'a.txt']],
      ['export with an unknown format', ['export', '--format', 'xml', 'a.txt']],
      ['export of several sources to stdout as w3c', ['export', '--format', 'w3c', 'a.txt', 'b.txt']],
      ['import without --source', ['import', '--format', 'w3c', 'x.json']],
      ['import of brat-xml', ['import', '--format', 'csv', '--source', 'a.txt', 'x.json']],
      ['merge-driver with two files', ['merge-driver', 'a', 'b']],
      ['a missing input file', ['scan', 'does/not/exist.txt']],
      ['a file that is not a tagger model', ['scan', '--model', 'package.json', 'seeds']],
    ];
    for (const [what, args] of usage) {
      it(`exits 2 on ${what}`, () => {
        const r = cli(args);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /marginalia/);
      });
    }
  });

  describe('scan', () => {
    it('--json prints {"files":[{path, mentions, entities, quotes}]} with UTF-16 offsets into the normalised text', () => {
      const { dir, source } = workspace();
      const r = cli(['scan', '--json', source]);
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { files: Array<{ path: string; mentions: Array<{ start: number; end: number; text: string }>; entities: unknown[]; quotes: Array<{ start: number; end: number; kind: string; partOf?: number }> }> };
      assert.equal(j.files.length, 1);
      const f = j.files[0];
      assert.ok(f.path.endsWith('harbour.txt'));
      assert.ok(Array.isArray(f.entities));
      assert.ok(f.mentions.length > 0 && f.quotes.length > 0, 'the recognisers find something in the fixture');
      for (const m of f.mentions) assert.equal(HARBOUR.slice(m.start, m.end), m.text);
      // Quotations start with their mark; reported speech (kind indirect) is the reported content, and a
      // marked fragment of it points to it (partOf).
      for (const q of f.quotes) if (q.kind !== 'indirect') assert.match(HARBOUR.slice(q.start, q.end), /^[“"‘']/);
      for (const q of f.quotes) if (q.partOf !== undefined) assert.equal(f.quotes[q.partOf]?.kind, 'indirect');
      // BOM + CRLF: the same offsets.
      const crlf = path.join(dir, 'crlf.txt');
      fs.writeFileSync(crlf, '\ufeff' + HARBOUR.replace(/\n/g, '\r\n'));
      const r2 = JSON.parse(cli(['scan', '--json', crlf]).stdout) as typeof j;
      assert.deepEqual(r2.files[0].mentions, f.mentions);
      assert.deepEqual(r2.files[0].quotes, f.quotes);
    });

    it('walks folders, prints a table by default, one JSON record per file in order with --json', () => {
      const dir = tmpdir();
      for (const name of ['b.txt', 'a.md', 'skip.json']) fs.writeFileSync(path.join(dir, name), HARBOUR);
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.writeFileSync(path.join(dir, 'node_modules', 'x.txt'), HARBOUR);
      const j = JSON.parse(cli(['scan', '--json', dir]).stdout) as { files: Array<{ path: string }> };
      assert.deepEqual(j.files.map((f) => path.basename(f.path)), ['a.md', 'b.txt']);
      const table = cli(['scan', path.join(dir, 'b.txt')]);
      assert.equal(table.status, 0);
      assert.match(table.stdout, /b\.txt: \d+ mentions of \d+ entities, \d+ quotations/);
      assert.match(table.stdout, /KIND +SPEAKER/);
    });

    it('gives the same output with worker threads', () => {
      const dir = tmpdir();
      for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, `s${i}.txt`), HARBOUR.replace('Harbour', `Harbour ${i}`));
      const one = cli(['scan', '--json', '--jobs', '0', dir]);
      const two = cli(['scan', '--json', '--jobs', '2', dir]);
      assert.equal(two.status, 0, two.stderr);
      assert.equal(two.stdout, one.stdout);
    });
  });

  describe('export and import', () => {
    for (const format of ['w3c', 'brat'] as const) {
      it(`round trip through the CLI: export --format ${format} → import gives the same annotations`, () => {
        const { dir, source, sidecar, data } = workspace();
        const outDir = path.join(dir, 'out');
        const ex = cli(['export', '--format', format, '--out', outDir, 'harbour.txt'], dir);
        assert.equal(ex.status, 0, ex.stderr);
        const file = path.join(outDir, format === 'w3c' ? 'harbour.txt.jsonld' : 'harbour.txt.ann');
        assert.ok(fs.existsSync(file));
        if (format === 'brat') {
          // brat pairs X.ann with X.txt: harbour.txt.ann with harbour.txt.txt.
          assert.equal(fs.readFileSync(path.join(outDir, 'harbour.txt.txt'), 'utf8'), HARBOUR);
          const conf = fs.readFileSync(path.join(outDir, 'annotation.conf'), 'utf8');
          assert.match(conf, /^SaidBy\tArg1:Quotation, Arg2:Person\|/m);
          assert.match(conf, /^Verdict\tArg:.*Value:.*\|mostly_true/m);
        }
        fs.renameSync(sidecar, sidecar + '.bak');
        const im = cli(['import', '--format', format, '--source', source, file], path.dirname(source));
        assert.equal(im.status, 0, im.stderr);
        assert.match(im.stderr, /7 added/);
        assert.deepEqual(readAnnotations(sidecar), data.annotations);
        // Again: nothing changes.
        const before = fs.readFileSync(sidecar, 'utf8');
        const again = cli(['import', '--format', format, '--source', source, file], path.dirname(source));
        assert.equal(again.status, 0);
        assert.match(again.stderr, /0 added, 0 updated, 7 unchanged/);
        assert.equal(fs.readFileSync(sidecar, 'utf8'), before);
      });
    }

    it('--sidecar-folder keeps sidecars in a mirrored tree: import creates it, export and check read it', () => {
      const { dir, sidecar } = workspace();
      const outDir = path.join(dir, 'out');
      assert.equal(cli(['export', '--format', 'w3c', '--out', outDir, 'harbour.txt'], dir).status, 0);
      fs.rmSync(sidecar);
      const im = cli(['import', '--format', 'w3c', '--sidecar-folder', '.marginalia', '--source', 'harbour.txt', 'out/harbour.txt.jsonld'], dir);
      assert.equal(im.status, 0, im.stderr);
      const mirrored = path.join(dir, '.marginalia', 'harbour.txt.marginalia.yaml');
      const r = parseSidecar(fs.readFileSync(mirrored, 'utf8'));
      assert.ok(r.ok);
      assert.equal(r.value.sidecar.source, '../harbour.txt');
      assert.equal(r.value.sidecar.annotations.length, 7);
      const md = cli(['export', '--format', 'md', '--no-recognition', '--sidecar-folder', '.marginalia', 'harbour.txt'], dir);
      assert.match(md.stdout, /^7 annotations\./m);
      assert.equal(cli(['check', '--sidecar-folder', '.marginalia', '.marginalia'], dir).status, 0);
      // The editor's own setting, read from .vscode/settings.json (JSON with comments), does the same.
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // where sidecars go\n  "marginalia.sidecar.folder": ".marginalia",\n}\n');
      assert.equal(cli(['check'], dir).status, 0);
      assert.match(cli(['export', '--format', 'md', '--no-recognition', 'harbour.txt'], dir).stdout, /^7 annotations\./m);
    });

    it('exports one source to stdout in each format', () => {
      const { dir } = workspace();
      const w3c = cli(['export', '--format', 'w3c', 'harbour.txt'], dir);
      assert.equal(w3c.status, 0);
      assert.equal((JSON.parse(w3c.stdout) as { type: string }).type, 'AnnotationCollection');
      const csv = cli(['export', '--format', 'csv', '--no-recognition', 'harbour.txt'], dir);
      assert.equal(csv.stdout.split('\r\n').filter(Boolean).length, 1 + 7 - 1 + 1); // a note holds one line break
      const md = cli(['export', '--format', 'md', 'harbour.txt'], dir);
      assert.match(md.stdout, /^<!-- marginalia export: "harbour\.txt" -->\n# harbour\\?\.txt/);
      const brat = cli(['export', '--format', 'brat', 'harbour.txt'], dir);
      assert.match(brat.stdout, /^#0\tMarginaliaExport #0\t\{.*\}\nT1\t/);
    });

    it('applies the sidecar\'s recognition corrections to the exported entities', () => {
      const { dir, sidecar, data } = workspace();
      const at = HARBOUR.indexOf('Quay Street');
      const target = { exact: 'Quay Street', prefix: HARBOUR.slice(at - 32, at), suffix: HARBOUR.slice(at + 11, at + 43), start: at, end: at + 11 };
      fs.writeFileSync(sidecar, serializeSidecar({ ...data, corrections: [{ id: '01JDQ5N8W9X3Y2Z1A0B4C6D8F1', action: 'entity-type', type: 'organization', target }] }));
      const r = cli(['export', '--format', 'brat', 'harbour.txt'], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^T\d+\tOrganization \d+ \d+\tQuay Street$/m);
      assert.doesNotMatch(r.stdout, /^T\d+\tPlace \d+ \d+\tQuay Street$/m);
    });

    it('exports against the current text: an edited source re-anchors, a vanished quote is an orphan (exit 1)', () => {
      const { dir, source } = workspace();
      fs.writeFileSync(source, 'Preface 🌟\n\n' + HARBOUR.replace('Port Ellis, 12 March 2024 —\n\n', ''));
      const r = cli(['export', '--format', 'w3c', '--no-recognition', 'harbour.txt'], dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /1 orphaned annotation/);
      const items = (JSON.parse(r.stdout) as { first: { items: Array<Record<string, unknown>> } }).first.items;
      assert.equal(items.length, 7);
      assert.equal(items.filter((i) => i['marginalia:orphan'] === true).length, 1);
    });

    it('import never rewrites a sidecar of a newer format', () => {
      const { dir, source, sidecar } = workspace();
      const newer = fs.readFileSync(sidecar, 'utf8').replace(/^version: 1$/m, 'version: 2');
      fs.writeFileSync(sidecar, newer);
      const ann = path.join(dir, 'y.ann');
      fs.writeFileSync(ann, 'T1\tNote 0 7\tHarbour\n');
      const r = cli(['import', '--format', 'brat', '--source', source, ann], path.dirname(source));
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /format version 2/);
      assert.equal(fs.readFileSync(sidecar, 'utf8'), newer);
    });

    it('import reports records it cannot read (exit 1) and writes nothing in --dry-run', () => {
      const { dir, source, sidecar } = workspace();
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, '{ not json');
      const r = cli(['import', '--format', 'w3c', '--source', source, bad], path.dirname(source));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not JSON/);
      const before = fs.readFileSync(sidecar, 'utf8');
      const ann = path.join(dir, 'x.ann');
      fs.writeFileSync(ann, 'T1\tNote 0 7\tHarbour\n');
      const dry = cli(['import', '--format', 'brat', '--source', source, '--dry-run', ann], path.dirname(source));
      assert.equal(dry.status, 0, dry.stderr);
      assert.match(dry.stderr, /1 added.*dry run/);
      assert.equal(fs.readFileSync(sidecar, 'utf8'), before);
    });
  });

  describe('check', () => {
    it('passes on a good sidecar (exit 0)', () => {
      const { dir } = workspace();
      const r = cli(['check'], dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /1 sidecar\(s\), 7 annotation\(s\): all valid/);
    });

    it('passes when the source only changed line endings and gained a BOM', () => {
      const { dir, source } = workspace();
      fs.writeFileSync(source, '\ufeff' + HARBOUR.replace(/\n/g, '\r\n'));
      assert.equal(cli(['check', dir]).status, 0);
    });

    it('fails on a malformed sidecar with file:line (exit 1)', () => {
      const { dir, sidecar } = workspace();
      const lines = fs.readFileSync(sidecar, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('kind: claim'));
      lines[at] = lines[at].replace('kind: claim', 'kind: [claim');
      fs.writeFileSync(sidecar, lines.join('\n'));
      const r = cli(['check', dir]);
      assert.equal(r.status, 1);
      assert.match(r.stdout, new RegExp(`harbour\\.txt\\.marginalia\\.yaml:\\d+:\\d+: error: `));
      const line = Number(/\.yaml:(\d+):/.exec(r.stdout)![1]);
      assert.ok(Math.abs(line - (at + 1)) <= 2, `reported line ${line}, broken line ${at + 1}`);
    });

    it('fails on a schema error, conflict markers, an orphan, an unresolved conflict and a missing source', () => {
      const cases: Array<[string, (w: ReturnType<typeof workspace>) => void, RegExp]> = [
        ['schema', (w) => fs.writeFileSync(w.sidecar, fs.readFileSync(w.sidecar, 'utf8').replace('kind: claim', 'kind: opinion')), /:\d+:\d+: error: Invalid sidecar/],
        ['markers', (w) => fs.appendFileSync(w.sidecar, '<<<<<<< HEAD\n=======\n>>>>>>> b\n'), /conflict markers/],
        ['orphan', (w) => fs.writeFileSync(w.source, HARBOUR.replace('Port Ellis, 12 March 2024 —\n\n', '')), /:\d+:\d+: error: annotation 01JDQ5N8W9X3Y2Z1A0B4C6D8E6 is orphaned/],
        ['conflict', (w) => fs.writeFileSync(w.sidecar, serializeSidecar({ ...w.data, annotations: w.data.annotations.map((a, i) => (i === 0 ? { ...a, conflict: { note: 'theirs' } } : a)) })), /unresolved merge conflict/],
        ['no source', (w) => fs.rmSync(w.source), /its source harbour\.txt \(by the sidecar's file name\) does not exist/],
      ];
      for (const [what, breakIt, expected] of cases) {
        const w = workspace();
        breakIt(w);
        const r = cli(['check', w.dir]);
        assert.equal(r.status, 1, `${what}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, expected, what);
      }
    });

    it('pairs a sidecar with its source by file name only, never by its `source:` field', () => {
      const { dir, sidecar, data } = workspace();
      fs.mkdirSync(path.join(dir, '.marginalia'));
      const mirrored = path.join(dir, '.marginalia', 'harbour.txt.marginalia.yaml');
      fs.renameSync(sidecar, mirrored);
      fs.writeFileSync(mirrored, serializeSidecar({ ...data, source: '../harbour.txt' }));
      assert.equal(cli(['check', '--sidecar-folder', '.marginalia'], dir).status, 0);
      // A `source:` field pointing out of the workspace changes nothing: the file name decides.
      fs.writeFileSync(mirrored, serializeSidecar({ ...data, source: '../../../../etc/hostname' }));
      const r = cli(['check', '--sidecar-folder', '.marginalia'], dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      // Without the sidecar folder, the same file is the sidecar of `.marginalia/harbour.txt`, which does not exist.
      const plain = cli(['check'], dir);
      assert.equal(plain.status, 1);
      assert.match(plain.stdout, /its source \.marginalia\/harbour\.txt \(by the sidecar's file name\) does not exist/);
    });

    it('checks the sidecar of a source given by name', () => {
      const { dir } = workspace();
      const r = cli(['check', 'harbour.txt'], dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /1 sidecar/);
    });

    it('gives the same findings, in the same order, with worker threads', () => {
      const dirs = [workspace(), workspace(), workspace()];
      fs.writeFileSync(dirs[1].sidecar, 'version: 1\nsource: harbour.txt\nannotations: [\n');
      const one = cli(['check', '--jobs', '0', ...dirs.map((w) => w.dir)]);
      const two = cli(['check', '--jobs', '2', ...dirs.map((w) => w.dir)]);
      assert.equal(one.status, 1);
      assert.equal(two.status, 1);
      assert.equal(two.stdout, one.stdout);
      assert.match(one.stdout, /YAML syntax error/);
    });

    it('--json lists every file; a good and a bad sidecar together exit 1', () => {
      const good = workspace();
      const bad = workspace();
      fs.writeFileSync(bad.sidecar, 'version: 1\nannotations: 3\n');
      const r = cli(['check', '--json', good.dir, bad.dir]);
      assert.equal(r.status, 1);
      const j = JSON.parse(r.stdout) as { files: Array<{ ok: boolean; findings: unknown[] }> };
      assert.deepEqual(j.files.map((f) => f.ok), [true, false]);
    });
  });

  it('bin/marginalia.js is executable with a node shebang', () => {
    const head = fs.readFileSync(BIN, 'utf8').split('\n')[0];
    assert.equal(head, '#!/usr/bin/env node');
    assert.ok((fs.statSync(BIN).mode & 0o111) !== 0);
  });
});
