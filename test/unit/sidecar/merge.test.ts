import * as assert from 'node:assert/strict';
import {
  emptySidecar, fnv1a64, hashText, isSafeRelativePath, mergeSidecars, relativeSourceField, resolveSourceField,
  sidecarPathFor, sourcePathFor, ulidFactory, ULID_PATTERN, type Annotation, type Sidecar,
} from '../../../src/core/sidecar';

function ann(id: string, note: string): Annotation {
  return { id, kind: 'note', note, target: { exact: 'x', prefix: '', suffix: '', start: 0, end: 1 } };
}
function sc(...list: Annotation[]): Sidecar {
  const s = emptySidecar('a.txt', 'fnv1a64:0000000000000000');
  s.annotations = list;
  return s;
}

describe('three-way merge by id', () => {
  it('unions additions from both sides and keeps one-sided edits', () => {
    const base = sc(ann('A', 'a'), ann('B', 'b'));
    const ours = sc(ann('A', 'a (ours)'), ann('B', 'b'), ann('C', 'c'));
    const theirs = sc(ann('A', 'a'), ann('B', 'b (theirs)'), ann('D', 'd'));
    const { sidecar, conflicts } = mergeSidecars(base, ours, theirs);
    assert.deepEqual(sidecar.annotations.map((a) => [a.id, a.note]), [['A', 'a (ours)'], ['B', 'b (theirs)'], ['C', 'c'], ['D', 'd']]);
    assert.deepEqual(conflicts, []);
  });

  it('both sides changed one annotation: ours kept, theirs under `conflict`, reported', () => {
    const { sidecar, conflicts } = mergeSidecars(sc(ann('A', 'a')), sc(ann('A', 'ours')), sc(ann('A', 'theirs')));
    assert.equal(sidecar.annotations[0]!.note, 'ours');
    assert.equal(sidecar.annotations[0]!.conflict?.note, 'theirs');
    assert.deepEqual(conflicts, [{ id: 'A', list: 'annotations', kind: 'both-changed' }]);
  });

  it('deleted on one side and unchanged on the other: deleted; changed on the other: kept', () => {
    const del = mergeSidecars(sc(ann('A', 'a'), ann('B', 'b')), sc(ann('B', 'b')), sc(ann('A', 'a'), ann('B', 'b')));
    assert.deepEqual(del.sidecar.annotations.map((a) => a.id), ['B']);
    const keep = mergeSidecars(sc(ann('A', 'a')), sc(), sc(ann('A', 'edited')));
    assert.deepEqual(keep.sidecar.annotations.map((a) => a.note), ['edited']);
    assert.equal(keep.conflicts[0]!.kind, 'changed-deleted');
  });

  it('without a base it is a union', () => {
    const { sidecar } = mergeSidecars(null, sc(ann('A', 'a')), sc(ann('B', 'b')));
    assert.deepEqual(sidecar.annotations.map((a) => a.id), ['A', 'B']);
  });
});

describe('hash, ids and paths', () => {
  it('FNV-1a 64 matches the reference vectors; the hash ignores BOM and line endings', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
    assert.equal(hashText('\ufeffone\r\ntwo\rthree'), hashText('one\ntwo\nthree'));
    assert.notEqual(hashText('one'), hashText('one '));
    assert.match(hashText('😀 é'), /^fnv1a64:[0-9a-f]{16}$/);
  });

  it('ULIDs are well-formed, sortable by time and strictly increasing within a millisecond', () => {
    let t = 1_700_000_000_000;
    let r = 0;
    const next = ulidFactory({ now: () => t, random: () => (r++ * 7) % 32 });
    const a = next();
    const b = next();
    t += 1;
    const c = next();
    for (const id of [a, b, c]) assert.match(id, ULID_PATTERN);
    assert.ok(a < b && b < c);
    assert.equal(a.slice(0, 10), b.slice(0, 10));
  });

  it('sidecar paths beside the source or in a mirrored folder; never outside', () => {
    assert.equal(sidecarPathFor('news/a.txt'), 'news/a.txt.marginalia.yaml');
    assert.equal(sidecarPathFor('news/a.txt', '.marginalia/'), '.marginalia/news/a.txt.marginalia.yaml');
    assert.equal(sourcePathFor('.marginalia/news/a.txt.marginalia.yaml', '.marginalia'), 'news/a.txt');
    assert.equal(sourcePathFor('news/a.txt.marginalia.yaml'), 'news/a.txt');
    assert.equal(relativeSourceField('.marginalia/news/a.txt.marginalia.yaml', 'news/a.txt'), '../../news/a.txt');
    assert.equal(relativeSourceField('news/a.txt.marginalia.yaml', 'news/a.txt'), 'a.txt');
    assert.equal(resolveSourceField('news/a.txt.marginalia.yaml', 'a.txt'), 'news/a.txt');
    assert.equal(resolveSourceField('a.txt.marginalia.yaml', '../../etc/passwd'), undefined);
    assert.equal(isSafeRelativePath('../x'), false);
    assert.equal(isSafeRelativePath('/etc/passwd'), false);
    assert.equal(isSafeRelativePath('C:\\x'), false);
    assert.equal(isSafeRelativePath('a/../b'), true);
  });
});
