/**
 * Claims in the sidecar: evidence links and claim details (claimant, claimDate, appearance) and the
 * top-level url are read, validated and written by both codec paths (the canonical line reader and
 * the YAML Document), unknown keys inside a link are kept, old sidecars still read, and the editor's
 * API (addEvidence / removeEvidence) edits a sidecar without touching anything else.
 */
import { strict as assert } from 'node:assert';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { canonicalParse } from '../../../src/core/sidecar/canonicalReader';
import { canonicalStringify } from '../../../src/core/sidecar/canonicalWriter';
import type { Sidecar } from '../../../src/core/sidecar/model';
import { addEvidence, EvidenceError, makeEvidence, normalizeEvidenceSource, removeEvidence } from '../../../src/core/claims/evidence';
import { sidecarUrl, withSidecarUrl } from '../../../src/core/claims/details';

const T = (exact: string, start: number) => ({ exact, prefix: 'p', suffix: 's', start, end: start + exact.length });

function claimSidecar(): Sidecar {
  return {
    version: 1, source: 'article.txt', annotations: [
      { id: '01A', kind: 'claim', verdict: 'false', claimant: 'Maria Lopez', claimDate: '2023-10-24', appearance: 'https://news.example.org/x',
        evidence: [
          { relation: 'contradicts', source: 'transcripts/t.txt', target: T('32 million', 10) },
          { relation: 'context', source: 'article.txt', target: T('the minister', 3), orphan: true },
        ],
        target: T('40 million', 100) },
      { id: '01B', kind: 'note', note: 'plain', target: T('x', 0) },
    ], corrections: [], extra: { url: 'https://news.example.org/x' },
  };
}

describe('claims: the sidecar model', () => {
  it('canonical write → parse keeps evidence, claim details and the url; the file stays canonical and is read by the fast path', () => {
    const s = claimSidecar();
    const text = canonicalStringify(s);
    assert.match(text, /\n {4}claimant: Maria Lopez\n {4}claimDate: 2023-10-24\n {4}appearance: https:\/\/news\.example\.org\/x\n/);
    assert.match(text, /\n {4}evidence: \[ \{ "relation": "contradicts", "source": "transcripts\/t\.txt", "target": \{ "exact": "32 million"/);
    assert.match(text, /\nurl: https:\/\/news\.example\.org\/x\n$/);
    assert.ok(canonicalParse(text), 'the line reader reads it');
    const r = parseSidecar(text);
    assert.ok(r.ok);
    assert.equal(r.value.canonical, true);
    assert.deepStrictEqual(r.value.sidecar, s);
    assert.equal(serializeSidecar(r.value.sidecar, r.value), text, 'same data, same bytes');
  });

  it('the YAML path (a file with comments) reads the same data, writes evidence as a block list and keeps the comments', () => {
    const s = claimSidecar();
    const commented = '# my notes\n' + canonicalStringify(s).split('\n').slice(1).join('\n').replace('    claimant: Maria Lopez\n', '    claimant: Maria Lopez # from the quote\n');
    const r = parseSidecar(commented);
    assert.ok(r.ok);
    assert.equal(r.value.canonical, false);
    assert.deepStrictEqual(r.value.sidecar, s);
    const sc = r.value.sidecar;
    sc.annotations[0]!.evidence!.push({ relation: 'supports', source: 'b.txt', target: T('y', 1) });
    const out = serializeSidecar(sc, r.value);
    assert.match(out, /# my notes/);
    assert.match(out, /# from the quote/);
    const back = parseSidecar(out);
    assert.ok(back.ok);
    assert.deepStrictEqual(back.value.sidecar, sc);
    // Written fresh through the Document (a new key in a hand-written file): block style, readable.
    const plain = parseSidecar('# mine\nversion: 1\nsource: a.txt\nannotations:\n  - id: a\n    kind: claim\n    target: {exact: x, prefix: "", suffix: "", start: 0, end: 1}\n');
    assert.ok(plain.ok);
    plain.value.sidecar.annotations[0]!.evidence = [{ relation: 'supports', source: 'b.txt', target: T('y', 1) }];
    const written = serializeSidecar(plain.value.sidecar, plain.value);
    assert.match(written, /evidence:\n\s+- relation: supports\n\s+source: b\.txt\n/);
    const again = parseSidecar(written);
    assert.ok(again.ok);
    assert.deepStrictEqual(again.value.sidecar.annotations[0]!.evidence, plain.value.sidecar.annotations[0]!.evidence);
  });

  it('keys inside an evidence link that the format does not define are kept (both paths)', () => {
    const s = claimSidecar();
    s.annotations[0]!.evidence![0]!.extra = { checkedBy: 'ada', score: 3 };
    const text = canonicalStringify(s);
    const r = parseSidecar(text);
    assert.ok(r.ok);
    assert.deepStrictEqual(r.value.sidecar.annotations[0]!.evidence![0]!.extra, { checkedBy: 'ada', score: 3 });
    const r2 = parseSidecar('# c\n' + text);
    assert.ok(r2.ok);
    assert.deepStrictEqual(r2.value.sidecar, r.value.sidecar);
  });

  it('validates: relation, a workspace-relative source, a target, an ISO claim date', () => {
    const base = canonicalStringify(claimSidecar());
    const cases: [string, RegExp][] = [
      [base.replace('"relation": "contradicts"', '"relation": "refutes"'), /evidence\[0\]\.relation: unknown relation "refutes"/],
      [base.replace('"source": "transcripts/t.txt"', '"source": "../secret.txt"'), /evidence\[0\]\.source: expected a workspace-relative path/],
      [base.replace('"source": "transcripts/t.txt"', '"source": "/etc/passwd"'), /evidence\[0\]\.source/],
      [base.replace('claimDate: 2023-10-24', 'claimDate: last Tuesday'), /claimDate: expected an ISO 8601 date/],
      [base.replace('evidence: [ {', 'evidence: [ 1, {'), /evidence\[0\]: expected an evidence link/],
      [base.replace(', "target": { "exact": "32 million", "prefix": "p", "suffix": "s", "start": 10, "end": 20 }', ''), /evidence\[0\]\.target: expected a mapping/],
    ];
    for (const [text, message] of cases) {
      const r = parseSidecar(text);
      assert.ok(!r.ok, text);
      assert.equal(r.error.code, 'schema');
      assert.match(r.error.message, message);
    }
  });

  it('an old sidecar (no claim fields) reads and writes exactly as before', () => {
    const old = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.\nversion: 1\nsource: a.txt\nannotations:\n  - id: 01A\n    kind: claim\n    verdict: misleading\n    target:\n      exact: x\n      prefix: ""\n      suffix: ""\n      start: 0\n      end: 1\n';
    const r = parseSidecar(old);
    assert.ok(r.ok && r.value.canonical);
    assert.equal(r.value.sidecar.annotations[0]!.evidence, undefined);
    assert.equal(serializeSidecar(r.value.sidecar, r.value), old);
  });

  it('the top-level url is read with sidecarUrl and set with withSidecarUrl (other keys kept)', () => {
    const s = claimSidecar();
    assert.equal(sidecarUrl(s), 'https://news.example.org/x');
    assert.equal(sidecarUrl({ extra: { url: 'javascript:alert(1)' } }), undefined);
    const t = withSidecarUrl({ ...s, extra: { mine: 1 } }, 'https://a.example/');
    assert.deepStrictEqual(t.extra, { mine: 1, url: 'https://a.example/' });
    assert.deepStrictEqual(withSidecarUrl(t, undefined).extra, { mine: 1 });
  });

  it('addEvidence adds a link (once), from a target or a range of the other text; removeEvidence removes one', () => {
    const s = claimSidecar();
    const other = 'LOPEZ: Our exports reached 32 million tonnes.';
    const added = addEvidence(s, '01B', { relation: 'supports', source: './docs\\other.txt', target: { start: 7, end: 26 }, text: other }, '2026-12-07T00:00:00.000Z');
    assert.notEqual(added, s);
    assert.equal(s.annotations[1]!.evidence, undefined, 'the input is not changed');
    const link = added.annotations[1]!.evidence![0]!;
    assert.deepStrictEqual(link, { relation: 'supports', source: 'docs/other.txt', target: { exact: 'Our exports reached', prefix: 'LOPEZ: ', suffix: ' 32 million tonnes.', start: 7, end: 26 } });
    assert.equal(added.annotations[1]!.modified, '2026-12-07T00:00:00.000Z');
    assert.deepStrictEqual(addEvidence(added, '01B', { relation: 'supports', source: 'docs/other.txt', target: link.target }).annotations[1]!.evidence!.length, 1, 'the same link is added once');
    const removed = removeEvidence(added, '01B', 0);
    assert.equal(removed.annotations[1]!.evidence, undefined);
    assert.throws(() => addEvidence(s, 'nope', { relation: 'supports', source: 'a.txt', target: T('x', 0) }), EvidenceError);
    assert.throws(() => makeEvidence({ relation: 'refutes' as never, source: 'a.txt', target: T('x', 0) }), /unknown relation/);
    assert.throws(() => makeEvidence({ relation: 'context', source: '../a.txt', target: T('x', 0) }), /not a path inside the workspace/);
    assert.throws(() => makeEvidence({ relation: 'context', source: 'a.txt', target: { start: 3, end: 3 }, text: 'abc' }), /not a non-empty span/);
    assert.equal(normalizeEvidenceSource('a/./b/../c.txt'), 'a/c.txt');
    assert.equal(normalizeEvidenceSource('C:/x.txt'), undefined);
    // resolving `..` must not produce a drive or scheme path
    assert.equal(normalizeEvidenceSource('x/../C:/Windows/win.ini'), undefined);
    assert.equal(normalizeEvidenceSource('x/../file:/etc/passwd'), undefined);
  });
});
