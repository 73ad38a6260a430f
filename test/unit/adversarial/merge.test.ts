/**
 * Adversarial cases for the git merge driver (`marginalia merge-driver %O %A %B %P`), most through
 * real `git merge`s in throwaway repositories: every annotation and every recorded conflict from
 * both branches survives, the driver exits 1 (git then reports a conflict) whenever it had to
 * choose, and it never writes a file its own reader rejects — ours is then left byte for byte.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN } from '../cli/helpers';
import { assertCleanError, assertLinear, assertUntouched, buildCli, cli, removeTmpdirs, snapshotTree, tmpdir } from './harness';
import { mergeSidecarsForGit, serializeGitMerge } from '../../../src/core/interchange/gitmerge';
import { DEFAULT_MAX_BYTES, parseSidecar } from '../../../src/core/sidecar/codec';
import { canonicalStringify } from '../../../src/core/sidecar/canonicalWriter';
import { conflictEntries, conflictValueOf } from '../../../src/core/sidecar/merge';
import type { Annotation, Correction, Sidecar } from '../../../src/core/sidecar/model';

const SOURCE = 'The harbour reopened on Monday after 5,000 people signed the petition.\n';
const FILE = 'harbour.txt.marginalia.yaml';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, GIT_AUTHOR_DATE: '2026-11-28T04:00:00Z', GIT_COMMITTER_DATE: '2026-11-28T04:00:00Z' },
  });
}

/** `git merge` of `branch` into the current one: its exit status and stderr. */
function merge(cwd: string, branch: string): { status: number; stderr: string } {
  const r = spawnSync('git', ['merge', '-q', '--no-edit', branch], {
    cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, GIT_AUTHOR_DATE: '2026-11-28T04:00:00Z', GIT_COMMITTER_DATE: '2026-11-28T04:00:00Z' },
  });
  return { status: r.status ?? -1, stderr: `${r.stderr}${r.stdout}` };
}

function ann(n: number, fields: Partial<Annotation> = {}): Annotation {
  return { id: `01JDQ5N8W9X3Y2Z1A0B4C6D8${String(n).padStart(2, '0')}`, kind: 'note', note: `note ${n}`, target: { exact: 'harbour', prefix: 'The ', suffix: ' reopened', start: 4, end: 11 }, ...fields };
}

function corr(id: string): Correction {
  return { id, action: 'ignore', target: { exact: 'Monday', prefix: 'on ', suffix: ' after', start: 28, end: 34 } };
}

function sidecar(annotations: Annotation[], more: Partial<Sidecar> = {}): Sidecar {
  return { version: 1, source: 'harbour.txt', annotations, corrections: [], ...more };
}

/** A repository whose sidecars merge with the driver; `base` committed on main. */
function repo(base: string | null): string {
  const dir = tmpdir('marginalia-adv-merge-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.org');
  git(dir, 'config', 'core.autocrlf', 'false');
  git(dir, 'config', 'merge.marginalia.driver', `node "${BIN}" merge-driver %O %A %B %P`);
  fs.writeFileSync(path.join(dir, '.gitattributes'), '*.marginalia.yaml merge=marginalia\n');
  fs.writeFileSync(path.join(dir, 'harbour.txt'), SOURCE);
  if (base !== null) fs.writeFileSync(path.join(dir, FILE), base);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Branch `theirs` gets `theirs`, main gets `ours`; then main merges theirs. */
function branches(dir: string, ours: string | null, theirs: string | null): { status: number; stderr: string; text: string } {
  git(dir, 'checkout', '-q', '-b', 'theirs');
  if (theirs === null) fs.rmSync(path.join(dir, FILE));
  else fs.writeFileSync(path.join(dir, FILE), theirs);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'theirs');
  git(dir, 'checkout', '-q', 'main');
  if (ours === null) fs.rmSync(path.join(dir, FILE));
  else fs.writeFileSync(path.join(dir, FILE), ours);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'ours');
  const r = merge(dir, 'theirs');
  const file = path.join(dir, FILE);
  return { ...r, text: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '' };
}

function parsed(text: string): Sidecar {
  assert.doesNotMatch(text, /^(<<<<<<<|=======|>>>>>>>)/m, 'no conflict markers');
  const r = parseSidecar(text, { maxBytes: DEFAULT_MAX_BYTES });
  assert.ok(r.ok, r.ok ? '' : `${r.error.message}\n${text}`);
  return r.value.sidecar;
}

function byId(s: Sidecar): Map<string, Annotation> {
  return new Map(s.annotations.map((a) => [a.id, a]));
}

/** Runs the driver directly on three files in a fresh folder. */
function driver(base: string | null, ours: string, theirs: string, setup?: (dir: string) => void): { dir: string; ours: string; status: number; stderr: string } {
  const dir = tmpdir('marginalia-adv-driver-');
  if (base !== null) fs.writeFileSync(path.join(dir, 'base'), base);
  fs.writeFileSync(path.join(dir, 'ours'), ours);
  fs.writeFileSync(path.join(dir, 'theirs'), theirs);
  setup?.(dir);
  const r = cli(['merge-driver', path.join(dir, 'base'), path.join(dir, 'ours'), path.join(dir, 'theirs'), FILE], dir);
  return { dir, ours: path.join(dir, 'ours'), status: r.status, stderr: r.stderr };
}

describe('adversarial: the git merge driver never decides silently', function () {
  this.timeout(120000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  const a1 = ann(1);
  const a2 = ann(2);
  const a3 = ann(3);
  const base = canonicalStringify(sidecar([a1, a2]));

  describe('recorded conflicts', () => {
    it('a conflict recorded by an earlier merge on ours is kept when the next merge conflicts again', () => {
      const dir = repo(base);
      const earlier = { note: 'an earlier version' };
      const r = branches(dir,
        canonicalStringify(sidecar([{ ...a1, note: 'ours', conflict: earlier }, a2])),
        canonicalStringify(sidecar([{ ...a1, note: 'theirs' }, a2])));
      assert.notEqual(r.status, 0, 'git reports the conflict');
      const got = byId(parsed(r.text)).get(a1.id)!;
      assert.equal(got.note, 'ours');
      const entries = conflictEntries(got.conflict);
      assert.deepEqual(entries.map((e) => e.note), ['an earlier version', 'theirs']);
    });

    it('a conflict recorded on their branch is kept (ours edited the same annotation)', () => {
      const dir = repo(base);
      const r = branches(dir,
        canonicalStringify(sidecar([{ ...a1, note: 'ours' }, a2])),
        canonicalStringify(sidecar([{ ...a1, note: 'theirs', conflict: { note: 'recorded on theirs' } }, a2])));
      assert.notEqual(r.status, 0);
      const entries = conflictEntries(byId(parsed(r.text)).get(a1.id)!.conflict);
      assert.deepEqual(entries.map((e) => e.note), ['recorded on theirs', 'theirs']);
    });

    it('conflicts recorded on both branches are all kept, and check reports them', () => {
      const dir = repo(base);
      const r = branches(dir,
        canonicalStringify(sidecar([{ ...a1, note: 'ours', conflict: conflictValueOf([{ note: 'o1' }, { deleted: true }]) }, a2])),
        canonicalStringify(sidecar([{ ...a1, note: 'theirs', conflict: { note: 't1' } }, { ...a2, conflict: { verdict: 'x' } }])));
      assert.notEqual(r.status, 0);
      const s = byId(parsed(r.text));
      assert.deepEqual(conflictEntries(s.get(a1.id)!.conflict), [{ note: 'o1' }, { deleted: true }, { note: 't1' }, { kind: 'note', note: 'theirs', target: a1.target }]);
      assert.deepEqual(s.get(a2.id)!.conflict, { verdict: 'x' }, 'a conflict recorded on one side only is taken as it is');
      const chk = cli(['check', dir]);
      assert.equal(chk.status, 1);
      assert.match(chk.stdout, /unresolved merge conflict/);
    });

    it('a recorded conflict one branch resolved stays resolved (exit 0)', () => {
      const withConflict = canonicalStringify(sidecar([{ ...a1, conflict: { note: 'old' } }, a2]));
      const dir = repo(withConflict);
      const r = branches(dir, canonicalStringify(sidecar([a1, a2])), canonicalStringify(sidecar([{ ...a1, conflict: { note: 'old' } }, a2, a3])));
      assert.equal(r.status, 0, r.stderr);
      const s = byId(parsed(r.text));
      assert.equal(s.get(a1.id)!.conflict, undefined);
      assert.ok(s.has(a3.id));
    });
  });

  describe('comments', () => {
    const commented = `version: 1\nsource: harbour.txt\nannotations:\n  - id: ${a1.id} # ours' first\n    kind: note\n    note: note 1\n    target: { exact: harbour, prefix: "The ", suffix: " reopened", start: 4, end: 11 }\n`;

    it("theirs' comments on annotations their branch added or changed are kept (exit 0)", () => {
      const dir = repo(commented);
      const theirs = `${commented.replace('    note: note 1\n', '    note: changed there # why it changed\n')}\n  # an annotation added on their branch\n  - id: ${a3.id}\n    kind: note # the kind\n    note: note 3\n    target: { exact: harbour, prefix: "The ", suffix: " reopened", start: 4, end: 11 }\n`;
      const ours = `# ours' top comment\n${commented}`;
      const r = branches(dir, ours, theirs);
      assert.equal(r.status, 0, r.stderr);
      for (const c of ["# ours' top comment", "# ours' first", '# why it changed', '# an annotation added on their branch', '# the kind']) assert.ok(r.text.includes(c), `${c} lost:\n${r.text}`);
      const s = byId(parsed(r.text));
      assert.equal(s.get(a1.id)!.note, 'changed there');
      assert.ok(s.has(a3.id));
    });

    it("theirs' top-of-file comment is kept, with ours canonical", () => {
      const dir = repo(base);
      const theirs = `# notes for the harbour story\n${base.replace('note: note 2', 'note: edited there')}`;
      const r = branches(dir, canonicalStringify(sidecar([a1, a2, a3])), theirs);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.text, /^# notes for the harbour story$/m);
      const s = byId(parsed(r.text));
      assert.equal(s.get(a2.id)!.note, 'edited there');
      assert.ok(s.has(a3.id));
    });

    it("ours' comment on an annotation their branch changed is kept (their change too; their comment is reported)", () => {
      const dir = repo(commented);
      const ours = commented.replace('    kind: note\n', '    kind: note # ours explains\n');
      const theirs = commented.replace('    note: note 1\n', '    note: changed there # theirs explains\n');
      const r = branches(dir, ours, theirs);
      assert.notEqual(r.status, 0);
      assert.match(r.text, /# ours explains/);
      assert.equal(byId(parsed(r.text)).get(a1.id)!.note, 'changed there');
      assert.match(r.stderr, /theirs' comment 'theirs explains' at line 6 could not be placed/);
    });

    it("a comment of theirs that cannot be placed is named on stderr, with its line, and the merge exits 1", () => {
      const dir = repo(commented);
      const theirs = commented.replace('    note: note 1\n', '    note: theirs # a reason on theirs\n');
      const ours = commented.replace('    note: note 1\n', '    note: ours\n');
      const r = branches(dir, ours, theirs);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /theirs' comment 'a reason on theirs' at line 6 could not be placed/);
      assert.equal(byId(parsed(r.text)).get(a1.id)!.note, 'ours');
    });
  });

  describe('choices are conflicts', () => {
    it('an unknown top-level key changed differently on both branches: recorded, exit 1, check reports it', () => {
      const dir = repo(canonicalStringify(sidecar([a1], { extra: { reviewer: 'ada' } })));
      const r = branches(dir, canonicalStringify(sidecar([a1], { extra: { reviewer: 'bob' } })), canonicalStringify(sidecar([a1], { extra: { reviewer: 'cy' } })));
      assert.notEqual(r.status, 0);
      const s = parsed(r.text);
      assert.equal(s.extra!.reviewer, 'bob');
      assert.deepEqual(conflictEntries(s.conflict), [{ key: 'reviewer', theirs: 'cy' }]);
      assert.match(r.stderr, /key reviewer \(both-changed\)/);
      const chk = cli(['check', dir]);
      assert.equal(chk.status, 1);
      assert.match(chk.stdout, /top-level key has an unresolved merge conflict/);
    });

    it('an unknown key inside an annotation changed differently on both branches: the item conflict, exit 1', () => {
      const dir = repo(canonicalStringify(sidecar([{ ...a1, extra: { score: 1 } }])));
      const r = branches(dir, canonicalStringify(sidecar([{ ...a1, extra: { score: 2 } }])), canonicalStringify(sidecar([{ ...a1, extra: { score: 3 } }])));
      assert.notEqual(r.status, 0);
      const got = parsed(r.text).annotations[0]!;
      assert.equal(got.extra!.score, 2);
      assert.deepEqual(conflictEntries(got.conflict)[0]!.extra, { score: 3 });
    });

    it('the source field changed on both branches: ours kept, theirs recorded, exit 1; a hash changed on both is dropped', () => {
      const dir = repo(canonicalStringify(sidecar([a1], { hash: 'fnv1a64:0000000000000000' })));
      const r = branches(dir,
        canonicalStringify(sidecar([a1], { source: 'a.txt', hash: 'fnv1a64:1111111111111111' })),
        canonicalStringify(sidecar([a1], { source: 'b.txt', hash: 'fnv1a64:2222222222222222' })));
      assert.notEqual(r.status, 0);
      const s = parsed(r.text);
      assert.equal(s.source, 'a.txt');
      assert.equal(s.hash, undefined, 'neither hash is the merged source’s: the anchors are re-found');
      assert.deepEqual(conflictEntries(s.conflict), [{ key: 'source', theirs: 'b.txt' }]);
    });

    it('an annotation and a correction with the same id added on two branches: theirs renamed, both kept, exit 1', () => {
      const dir = repo(base);
      const id = ann(9).id;
      const r = branches(dir, canonicalStringify(sidecar([a1, a2, ann(9)])), canonicalStringify({ ...sidecar([a1, a2]), corrections: [corr(id)] }));
      assert.notEqual(r.status, 0);
      const s = parsed(r.text);
      assert.ok(s.annotations.some((a) => a.id === id));
      assert.equal(s.corrections.length, 1);
      assert.notEqual(s.corrections[0]!.id, id);
      assert.match(r.stderr, new RegExp(`correction ${id} from their branch had the id of an annotation: it now has the id ${s.corrections[0]!.id}`));
    });

    it('deleted on one branch, edited on the other: kept with conflict {deleted: true}, exit 1', () => {
      const dir = repo(base);
      const r = branches(dir, canonicalStringify(sidecar([a2])), canonicalStringify(sidecar([{ ...a1, note: 'still needed' }, a2])));
      assert.notEqual(r.status, 0);
      const got = byId(parsed(r.text)).get(a1.id)!;
      assert.equal(got.note, 'still needed');
      assert.deepEqual(got.conflict, { deleted: true });
    });

    it('both branches add the same id with different content: ours kept, theirs under conflict, exit 1', () => {
      const dir = repo(base);
      const r = branches(dir, canonicalStringify(sidecar([a1, a2, ann(5, { note: 'ours' })])), canonicalStringify(sidecar([a1, a2, ann(5, { note: 'theirs' })])));
      assert.notEqual(r.status, 0);
      const got = byId(parsed(r.text)).get(ann(5).id)!;
      assert.equal(got.note, 'ours');
      assert.equal(conflictEntries(got.conflict)[0]!.note, 'theirs');
    });
  });

  describe('never a file the reader rejects', () => {
    it('a result over the size limit: ours left byte for byte, exit 1, a message naming the file', () => {
      const long = 'x'.repeat(2000);
      const many = (from: number): Annotation[] => Array.from({ length: 1400 }, (_, i) => ({ ...ann(0), id: `01K${String(from + i).padStart(23, '0')}`, note: long }));
      const b = canonicalStringify(sidecar([a1]));
      const ours = canonicalStringify(sidecar([a1, ...many(0)]));
      const theirs = canonicalStringify(sidecar([a1, ...many(5000)]));
      assert.ok(ours.length < DEFAULT_MAX_BYTES && ours.length * 2 > DEFAULT_MAX_BYTES);
      const r = driver(b, ours, theirs);
      const before = snapshotTree(r.dir);
      assertCleanError(r, 1, /harbour\.txt\.marginalia\.yaml: .*was not changed: the result would not be a readable sidecar \(.*larger than the limit.*\).*ours is left unchanged/);
      assert.equal(fs.readFileSync(r.ours, 'utf8'), ours);
      assertUntouched(before, snapshotTree(r.dir));
    });

    it('a malformed theirs: ours left byte for byte, exit 1, through git too', () => {
      const ours = canonicalStringify(sidecar([a1, a2, a3]));
      const r = driver(base, ours, 'version: 1\nsource: [\n');
      assertCleanError(r, 1, /theirs .* is not a valid sidecar: line \d+: .*leaving ours unchanged/);
      assert.equal(fs.readFileSync(r.ours, 'utf8'), ours);
      const dir = repo(base);
      const g = branches(dir, ours, 'annotations: {broken\n');
      assert.notEqual(g.status, 0);
      assert.ok(g.text === ours, 'the working file is ours');
    });

    it('theirs in a newer format version: ours left as it was, exit 1', () => {
      const ours = canonicalStringify(sidecar([a1, a2, a3]));
      const r = driver(base, ours, canonicalStringify(sidecar([a1], { version: 99 })));
      assertCleanError(r, 1, /format version 99/);
      assert.equal(fs.readFileSync(r.ours, 'utf8'), ours);
    });
  });

  describe('values and bytes', () => {
    it('scalars 0012, 1.10 and a 20-digit number survive a merge with their text', () => {
      const b = `version: 1\nsource: harbour.txt\nannotations:\n  - id: ${a1.id}\n    kind: note\n    note: 0012\n    author: 1.10\n    tags: [12345678901234567890]\n    big: 12345678901234567890\n    target: { exact: harbour, prefix: "The ", suffix: " reopened", start: 4, end: 11 }\n`;
      const dir = repo(b);
      const theirs = b.replace('    note: 0012\n', '    note: 0012\n    verdict: yes\n');
      const ours = `${b}  - id: ${a3.id}\n    kind: note\n    note: 1e3\n    target: { exact: harbour, prefix: "The ", suffix: " reopened", start: 4, end: 11 }\n`;
      const r = branches(dir, ours, theirs);
      assert.equal(r.status, 0, r.stderr);
      for (const s of ['note: 0012', 'author: 1.10', 'tags: [ 12345678901234567890 ]', 'big: 12345678901234567890', 'verdict: yes', 'note: 1e3']) assert.ok(r.text.includes(s), `${s} lost:\n${r.text}`);
      const s = byId(parsed(r.text));
      assert.equal(s.get(a1.id)!.note, '0012');
      assert.equal(s.get(a1.id)!.verdict, 'yes');
      assert.deepEqual(s.get(a1.id)!.tags, ['12345678901234567890']);
      assert.equal(s.get(a3.id)!.note, '1e3');
    });

    it('a __proto__ key survives a merge (item and top level), and nothing is polluted', () => {
      const b = canonicalStringify(sidecar([a1, a2])).replace('    note: note 1\n', '    note: note 1\n    __proto__: { "x": 1 }\n') + '__proto__: 7\n';
      const dir = repo(b);
      const r = branches(dir, b.replace('note: note 2', 'note: ours'), b.replace('note: note 1', 'note: theirs'));
      assert.equal(r.status, 0, r.stderr);
      const s = parsed(r.text);
      assert.ok(Object.prototype.hasOwnProperty.call(s.extra, '__proto__'));
      assert.ok(Object.prototype.hasOwnProperty.call(s.annotations[0]!.extra, '__proto__'));
      assert.equal(s.annotations[0]!.note, 'theirs');
      assert.equal(s.annotations[1]!.note, 'ours');
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it('a chmod 600 sidecar stays 600 (atomic write: no temporary file left)', function () {
      if (process.platform === 'win32') this.skip();
      const r = driver(base, canonicalStringify(sidecar([a1, a2, a3])), canonicalStringify(sidecar([a1, { ...a2, note: 'x' }])), (d) => fs.chmodSync(path.join(d, 'ours'), 0o600));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(fs.statSync(r.ours).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(r.dir).sort(), ['base', 'ours', 'theirs']);
      assert.equal(byId(parsed(fs.readFileSync(r.ours, 'utf8'))).get(a2.id)!.note, 'x');
    });

    it('CRLF line endings stay CRLF (driver and git)', () => {
      const crlf = (t: string): string => t.replace(/\n/g, '\r\n');
      const r = driver(crlf(base), crlf(canonicalStringify(sidecar([a1, a2, a3]))), crlf(canonicalStringify(sidecar([{ ...a1, note: 'x' }, a2]))));
      assert.equal(r.status, 0, r.stderr);
      const text = fs.readFileSync(r.ours, 'utf8');
      assert.doesNotMatch(text, /[^\r]\n/);
      assert.equal(parsed(text).annotations.length, 3);
      const dir = repo(crlf(base));
      const g = branches(dir, crlf(canonicalStringify(sidecar([a1, a2, a3]))), crlf(canonicalStringify(sidecar([{ ...a1, note: 'y' }, a2]))));
      assert.equal(g.status, 0, g.stderr);
      assert.doesNotMatch(g.text, /[^\r]\n/);
      assert.equal(byId(parsed(g.text)).get(a1.id)!.note, 'y');
    });
  });

  describe('bases', () => {
    it('both branches created the sidecar (empty base): a union, exit 0', () => {
      const dir = repo(null);
      const r = branches(dir, canonicalStringify(sidecar([a1, a2])), canonicalStringify(sidecar([a2, a3])));
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(parsed(r.text).annotations.map((a) => a.id), [a1.id, a2.id, a3.id]);
    });

    it('a missing base file: a union, exit 0', () => {
      const dir = tmpdir('marginalia-adv-driver-');
      fs.writeFileSync(path.join(dir, 'ours'), canonicalStringify(sidecar([a1])));
      fs.writeFileSync(path.join(dir, 'theirs'), canonicalStringify(sidecar([a2])));
      const r = cli(['merge-driver', path.join(dir, 'no-base'), path.join(dir, 'ours'), path.join(dir, 'theirs')], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(parsed(fs.readFileSync(path.join(dir, 'ours'), 'utf8')).annotations.length, 2);
    });
  });

  describe('inputs that cannot be read', () => {
    it('ours or theirs missing, a directory, a FIFO: a clear message, exit 2, nothing written', function () {
      const dir = tmpdir('marginalia-adv-driver-');
      const ours = path.join(dir, 'ours');
      fs.writeFileSync(ours, base);
      fs.mkdirSync(path.join(dir, 'folder'));
      const cases: [string[], RegExp][] = [
        [[path.join(dir, 'base'), path.join(dir, 'missing'), ours], /cannot read ours .*missing.*: it does not exist/],
        [[path.join(dir, 'base'), ours, path.join(dir, 'missing')], /cannot read theirs .*: it does not exist/],
        [[path.join(dir, 'base'), ours, path.join(dir, 'folder')], /theirs .* is a directory/],
        [[path.join(dir, 'folder'), ours, ours], /base .* is a directory/],
      ];
      if (process.platform !== 'win32') {
        execFileSync('mkfifo', [path.join(dir, 'fifo')]);
        cases.push([[path.join(dir, 'base'), ours, path.join(dir, 'fifo')], /theirs .* is a FIFO/]);
      }
      const before = snapshotTree(dir);
      for (const [args, msg] of cases) assertCleanError(cli(['merge-driver', ...args], dir), 2, msg);
      assertUntouched(before, snapshotTree(dir));
    });

    it('a file without read permission: a clear message, exit 2', function () {
      if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // (root reads anything)
      const dir = tmpdir('marginalia-adv-driver-');
      fs.writeFileSync(path.join(dir, 'ours'), base);
      fs.writeFileSync(path.join(dir, 'theirs'), base);
      fs.chmodSync(path.join(dir, 'theirs'), 0o000);
      assertCleanError(cli(['merge-driver', path.join(dir, 'base'), path.join(dir, 'ours'), path.join(dir, 'theirs')], dir), 2, /permission denied/);
    });

    it('the wrong number of arguments: usage, exit 2', () => {
      assertCleanError(cli(['merge-driver', 'a', 'b']), 2, /BASE OURS THEIRS/);
    });
  });

  describe('speed', () => {
    it('2,000 annotations on each side (and 2,000 in common) merge, and time grows linearly with their number', () => {
      const many = (from: number, n: number, note: string): Annotation[] => Array.from({ length: n }, (_, i) => ({ ...ann(0), id: `01K${String(from + i).padStart(23, '0')}`, note: `${note} ${i}` }));
      const three = (n: number) => {
        const common = many(0, n, 'common');
        const b = parseSidecar(canonicalStringify(sidecar(common)), { maxBytes: DEFAULT_MAX_BYTES });
        const o = parseSidecar(canonicalStringify(sidecar([...common.map((a, i) => (i % 2 ? { ...a, note: 'ours' } : a)), ...many(100000, n, 'ours')])), { maxBytes: DEFAULT_MAX_BYTES });
        const t = parseSidecar(canonicalStringify(sidecar([...common.map((a, i) => (i % 3 === 0 ? { ...a, note: 'theirs' } : a)), ...many(200000, n, 'theirs')])), { maxBytes: DEFAULT_MAX_BYTES });
        assert.ok(b.ok && o.ok && t.ok);
        return { common, b: b.value, o: o.value, t: t.value };
      };
      const merge = ({ b, o, t }: ReturnType<typeof three>) => {
        const r = mergeSidecarsForGit(b.sidecar, o.sidecar, t.sidecar);
        return { r, back: parseSidecar(serializeGitMerge(r.sidecar, b, o, t).text, { maxBytes: DEFAULT_MAX_BYTES }) };
      };
      assertLinear(three, merge, 500);
      const sides = three(2000);
      const { r, back } = merge(sides);
      assert.ok(back.ok);
      assert.equal(back.value.sidecar.annotations.length, 6000);
      assert.equal(r.conflicts.length, 333); // both changed: the common ones ours (odd) and theirs (every 3rd) edited
      // and through the CLI (a process start included)
      const d = driver(canonicalStringify(sidecar(sides.common)), sides.o.text, sides.t.text);
      assert.equal(d.status, 1, d.stderr);
      assert.equal(parsed(fs.readFileSync(d.ours, 'utf8')).annotations.length, 6000);
    });
  });
});
