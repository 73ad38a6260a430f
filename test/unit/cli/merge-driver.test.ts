import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BIN, buildCli, cli, removeTmpdirs, tmpdir } from './helpers';
import { HARBOUR, sampleAnnotations } from '../interchange/helpers';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { hashText } from '../../../src/core/sidecar/hash';
import type { Annotation, Sidecar } from '../../../src/core/sidecar/model';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, GIT_AUTHOR_DATE: '2026-11-28T04:00:00Z', GIT_COMMITTER_DATE: '2026-11-28T04:00:00Z' } });
}

function gitStatus(cwd: string, ...args: string[]): number {
  try {
    git(cwd, ...args);
    return 0;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

const SIDECAR = 'harbour.txt.marginalia.yaml';

function write(dir: string, annotations: Annotation[], comment?: string): void {
  const data: Sidecar = { version: 1, source: 'harbour.txt', hash: hashText(HARBOUR), annotations, corrections: [] };
  let yaml = serializeSidecar(data);
  if (comment) yaml = yaml.replace('annotations:\n', `annotations:\n  # ${comment}\n`);
  fs.writeFileSync(path.join(dir, SIDECAR), yaml);
}

function read(dir: string): Annotation[] {
  const text = fs.readFileSync(path.join(dir, SIDECAR), 'utf8');
  assert.doesNotMatch(text, /^(<<<<<<<|=======|>>>>>>>)/m, 'no conflict markers');
  assert.doesNotThrow(() => parseYaml(text), 'valid YAML');
  const r = parseSidecar(text);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.sidecar.annotations;
}

/** A repository whose sidecars merge with `node <repo>/bin/marginalia.js merge-driver %O %A %B`. */
function repo(): string {
  const dir = tmpdir('marginalia-git-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.org');
  git(dir, 'config', 'merge.marginalia.name', 'Marginalia sidecar merge');
  git(dir, 'config', 'merge.marginalia.driver', `node "${BIN}" merge-driver %O %A %B`);
  fs.writeFileSync(path.join(dir, '.gitattributes'), '*.marginalia.yaml merge=marginalia\n');
  fs.writeFileSync(path.join(dir, 'harbour.txt'), HARBOUR);
  return dir;
}

describe('cli: merge-driver with real git', function () {
  this.timeout(60000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  const all = sampleAnnotations(HARBOUR);
  const [a1, a2, a3, a4, a5, a6, a7] = all;

  it('merges two branches that each added and edited annotations: nothing lost, no conflict', () => {
    const dir = repo();
    write(dir, [a1, a2, a3], 'kept comment');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'checkout', '-q', '-b', 'alice');
    write(dir, [{ ...a1, note: 'Alice edited this note' }, a2, a3, a4, a5], 'kept comment');
    git(dir, 'commit', '-q', '-am', 'alice adds a4, a5 and edits a1');
    git(dir, 'checkout', '-q', 'main');
    write(dir, [a1, { ...a2, verdict: 'false', tags: ['numbers'] }, a3, a6, a7], 'kept comment');
    git(dir, 'commit', '-q', '-am', 'bob adds a6, a7 and edits a2');
    assert.equal(gitStatus(dir, 'merge', '-q', '--no-edit', 'alice'), 0);
    const merged = read(dir);
    assert.deepEqual(merged.map((a) => a.id), all.map((a) => a.id));
    const byId = new Map(merged.map((a) => [a.id, a]));
    assert.equal(byId.get(a1.id)!.note, 'Alice edited this note');
    assert.equal(byId.get(a2.id)!.verdict, 'false');
    assert.deepEqual(byId.get(a2.id)!.tags, ['numbers']);
    assert.ok(merged.every((a) => !a.conflict));
    assert.match(fs.readFileSync(path.join(dir, SIDECAR), 'utf8'), /# kept comment/);
    assert.equal(git(dir, 'status', '--porcelain'), '');
    assert.equal(cli(['check', dir]).status, 0);
  });

  it('the same annotation edited on both branches: an explicit conflict entry, exit 1, valid YAML, check fails until resolved', () => {
    const dir = repo();
    write(dir, [a1, a2]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'checkout', '-q', '-b', 'alice');
    write(dir, [{ ...a1, note: 'Alice says' }, a2, a3]);
    git(dir, 'commit', '-q', '-am', 'alice');
    git(dir, 'checkout', '-q', 'main');
    write(dir, [{ ...a1, note: 'Bob says', verdict: 'true' }, a2, a4]);
    git(dir, 'commit', '-q', '-am', 'bob');
    assert.notEqual(gitStatus(dir, 'merge', '-q', '--no-edit', 'alice'), 0, 'git reports the conflict');
    const merged = read(dir);
    assert.deepEqual(merged.map((a) => a.id), [a1.id, a2.id, a3.id, a4.id]);
    const c = merged[0];
    assert.equal(c.note, 'Bob says');
    assert.equal(c.verdict, 'true');
    assert.equal(c.conflict!.note, 'Alice says');
    assert.equal(c.conflict!.verdict, undefined);
    assert.match(git(dir, 'status', '--porcelain'), /^UU harbour\.txt\.marginalia\.yaml/m);
    const chk = cli(['check', dir]);
    assert.equal(chk.status, 1);
    assert.match(chk.stdout, /unresolved merge conflict/);
    // Resolve: drop the conflict key, commit.
    write(dir, merged.map(({ conflict: _c, ...a }) => a));
    git(dir, 'add', SIDECAR);
    git(dir, 'commit', '-q', '--no-edit');
    assert.equal(cli(['check', dir]).status, 0);
  });

  it('edited on one branch, deleted on the other: kept with conflict: {deleted: true}', () => {
    const dir = repo();
    write(dir, [a1, a2]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'checkout', '-q', '-b', 'alice');
    write(dir, [a2]);
    git(dir, 'commit', '-q', '-am', 'alice deletes a1');
    git(dir, 'checkout', '-q', 'main');
    write(dir, [{ ...a1, note: 'still needed' }, a2]);
    git(dir, 'commit', '-q', '-am', 'bob edits a1');
    assert.notEqual(gitStatus(dir, 'merge', '-q', '--no-edit', 'alice'), 0);
    const merged = read(dir);
    assert.equal(merged[0].note, 'still needed');
    assert.deepEqual(merged[0].conflict, { deleted: true });
  });

  it('both branches created the sidecar (empty base): a union', () => {
    const dir = repo();
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base without sidecar');
    git(dir, 'checkout', '-q', '-b', 'alice');
    write(dir, [a1, a3]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'alice');
    git(dir, 'checkout', '-q', 'main');
    write(dir, [a2, a3]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'bob');
    assert.equal(gitStatus(dir, 'merge', '-q', '--no-edit', 'alice'), 0);
    assert.deepEqual(read(dir).map((a) => a.id), [a1.id, a2.id, a3.id]);
  });

  it('leaves OURS untouched and exits 1 when a side is in a newer format (read-only to this version)', () => {
    const dir = tmpdir();
    const base = path.join(dir, 'base');
    const ours = path.join(dir, 'ours');
    const theirs = path.join(dir, 'theirs');
    fs.writeFileSync(base, '');
    fs.writeFileSync(ours, serializeSidecar({ version: 1, source: 'a.txt', annotations: [a1], corrections: [] }));
    fs.writeFileSync(theirs, serializeSidecar({ version: 1, source: 'a.txt', annotations: [a2], corrections: [] }).replace('version: 1\n', 'version: 2\nnewField: kept\n'));
    const before = fs.readFileSync(ours, 'utf8');
    const r = cli(['merge-driver', base, ours, theirs]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /format version 2/);
    assert.equal(fs.readFileSync(ours, 'utf8'), before);
  });

  it('leaves OURS untouched and exits 1 when a side is not a valid sidecar', () => {
    const dir = tmpdir();
    const base = path.join(dir, 'base');
    const ours = path.join(dir, 'ours');
    const theirs = path.join(dir, 'theirs');
    fs.writeFileSync(base, '');
    fs.writeFileSync(ours, 'version: 1\nsource: a.txt\nannotations: [\n');
    fs.writeFileSync(theirs, serializeSidecar({ version: 1, source: 'a.txt', annotations: [a1], corrections: [] }));
    const before = fs.readFileSync(ours, 'utf8');
    const r = cli(['merge-driver', base, ours, theirs]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not a valid sidecar/);
    assert.equal(fs.readFileSync(ours, 'utf8'), before);
  });
});
