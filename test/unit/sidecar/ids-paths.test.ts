import * as assert from 'node:assert/strict';
import {
  fnv1a64, hashText, isSafeRelativePath, relativeSourceField, resolveSourceField, sidecarPathFor, sourcePathFor,
  ulidFactory, ULID_PATTERN,
} from '../../../src/core/sidecar';

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
