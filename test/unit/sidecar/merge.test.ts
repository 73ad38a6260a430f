import * as assert from 'node:assert/strict';
import { emptySidecar, mergeSidecars, type Annotation, type Sidecar } from '../../../src/core/sidecar';

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
