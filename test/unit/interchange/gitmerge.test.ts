import { strict as assert } from 'node:assert';
import { mergeSidecarsForGit } from '../../../src/core/interchange/gitmerge';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import type { Sidecar } from '../../../src/core/sidecar/model';
import { HARBOUR, sampleAnnotations } from './helpers';

const base: Sidecar = { version: 1, source: 'harbour.txt', annotations: sampleAnnotations(HARBOUR).slice(0, 3), corrections: [] };

describe('interchange: merge for the git driver', () => {
  it('unions additions, takes one-sided edits, records both-sided edits as conflict entries', () => {
    const [a1, a2, a3] = base.annotations;
    const [, , , a4, a5] = sampleAnnotations(HARBOUR);
    const ours: Sidecar = { ...base, annotations: [{ ...a1, note: 'ours' }, { ...a2, verdict: 'false' }, a3, a4] };
    const theirs: Sidecar = { ...base, annotations: [{ ...a1, note: 'theirs' }, a2, { ...a3, tags: ['x'] }, a5] };
    const r = mergeSidecarsForGit(base, ours, theirs);
    const byId = new Map(r.sidecar.annotations.map((a) => [a.id, a]));
    assert.equal(r.sidecar.annotations.length, 5);
    assert.equal(byId.get(a1.id)!.note, 'ours');
    assert.equal(byId.get(a1.id)!.conflict!.note, 'theirs');
    assert.equal(byId.get(a2.id)!.verdict, 'false');
    assert.deepEqual(byId.get(a3.id)!.tags, ['x']);
    assert.deepEqual(r.conflicts.map((c) => c.kind), ['both-changed']);
    const yaml = serializeSidecar(r.sidecar);
    const back = parseSidecar(yaml);
    assert.ok(back.ok);
  });

  it('a change on one side and a deletion on the other keeps the annotation with conflict: {deleted: true}', () => {
    const [a1, a2, a3] = base.annotations;
    const ours: Sidecar = { ...base, annotations: [{ ...a1, note: 'edited' }, a2, a3] };
    const theirs: Sidecar = { ...base, annotations: [a2, a3] };
    const r = mergeSidecarsForGit(base, ours, theirs);
    const kept = r.sidecar.annotations.find((a) => a.id === a1.id)!;
    assert.equal(kept.note, 'edited');
    assert.deepEqual(kept.conflict, { deleted: true });
    assert.deepEqual(r.conflicts.map((c) => c.kind), ['changed-deleted']);
  });

  it('a deletion on one side of an untouched annotation deletes it, without conflict', () => {
    const [a1, a2, a3] = base.annotations;
    const r = mergeSidecarsForGit(base, { ...base, annotations: [a2, a3] }, { ...base, annotations: [a1, a2, a3] });
    assert.deepEqual(r.sidecar.annotations.map((a) => a.id), [a2.id, a3.id]);
    assert.deepEqual(r.conflicts, []);
  });
});
