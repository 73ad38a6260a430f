// The fault matrix over the pure core (codec, merge, anchoring, paths): every annotation survives,
// every bad input gives a clear error and never an exception. The host side (files untouched,
// diagnostics, temp clean-up, two windows) is in test/integration/suite/reliability.test.ts.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarget, reanchor } from '../../../src/core/anchor';
import {
  isSafeRelativePath, mergeSidecars, normalizeText, parseSidecar, resolveSourceField, serializeSidecar, sidecarPathFor,
  sourcePathFor, SIDECAR_VERSION,
} from '../../../src/core/sidecar';
import type { Annotation, Sidecar } from '../../../src/core/sidecar';

const FIX = join(__dirname, '../../fixtures/reliability');
const ARTICLE = readFileSync(join(FIX, 'article.txt'), 'utf8');

function note(id: string, text: string, exact: string, extra: Partial<Annotation> = {}): Annotation {
  const start = text.indexOf(exact);
  assert.ok(start >= 0, exact);
  return { id, kind: 'note', note: `note ${id}`, target: makeTarget(text, start, start + exact.length), ...extra };
}

function sidecarOf(annotations: Annotation[]): Sidecar {
  return { version: 1, source: 'article.txt', annotations, corrections: [] };
}

const GOOD = sidecarOf([
  note('01A', ARTICLE, 'Sergei Lavrov'),
  note('01B', ARTICLE, 'the talks had stalled'),
  note('01C', ARTICLE, 'more than 5,000 people'),
  note('01D', ARTICLE, 'declined to comment'),
]);

describe('reliability: malformed sidecars give a clear error, never an exception', () => {
  it('git conflict markers → conflict-markers error at the marker line, pointing to the merge driver', () => {
    const text = readFileSync(join(FIX, 'conflicted.marginalia.yaml'), 'utf8');
    const r = parseSidecar(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'conflict-markers');
    assert.equal(r.error.line, text.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1);
    assert.match(r.error.message, /merge driver/);
    assert.match(r.error.message, /marginalia merge-driver/);
  });

  it('malformed YAML → syntax error with its line', () => {
    const r = parseSidecar('version: 1\nsource: a.txt\nannotations:\n  - id: A\n    kind: note\n    target: {exact: "x", start: 0, end: [\n');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'syntax');
    assert.ok(r.error.line >= 6, String(r.error.line));
  });

  const WRONG_TYPES: [string, string, RegExp, ('schema' | 'duplicate-id')?][] = [
    ['start is a string', 'annotations:\n  - id: A\n    kind: note\n    target: {exact: x, start: "zero", end: 1}\n', /start: expected a non-negative integer/],
    ['end before start', 'annotations:\n  - id: A\n    kind: note\n    target: {exact: x, start: 5, end: 1}\n', /end is before start/],
    ['unknown kind', 'annotations:\n  - id: A\n    kind: rumour\n    target: {exact: x, start: 0, end: 1}\n', /unknown kind "rumour"/],
    ['annotations is a mapping', 'annotations: {a: 1}\n', /annotations: expected a list/],
    ['tags is a mapping', 'annotations:\n  - id: A\n    kind: note\n    tags: {a: 1}\n    target: {exact: x, start: 0, end: 1}\n', /tags: expected a list of strings/],
    ['note is a list', 'annotations:\n  - id: A\n    kind: note\n    note: [a, b]\n    target: {exact: x, start: 0, end: 1}\n', /note: expected a string/],
    ['target missing', 'annotations:\n  - id: A\n    kind: note\n', /target: expected a mapping/],
    ['duplicate id', 'annotations:\n  - id: A\n    kind: note\n    target: {exact: x, start: 0, end: 1}\n  - id: A\n    kind: note\n    target: {exact: y, start: 1, end: 2}\n', /duplicate id "A"/, 'duplicate-id'],
  ];
  for (const [what, body, message, code = 'schema'] of WRONG_TYPES) {
    it(`wrong types: ${what} → schema error naming the field, with a line`, () => {
      const r = parseSidecar(`version: 1\nsource: a.txt\n${body}`);
      assert.ok(!r.ok, what);
      assert.equal(r.error.code, code);
      assert.match(r.error.message, message);
      assert.ok(r.error.line >= 3, `line ${r.error.line}`);
    });
  }

  it('version is not a number → schema error', () => {
    const r = parseSidecar('version: one\nsource: a.txt\nannotations: []\n');
    assert.ok(!r.ok);
    assert.match(r.error.message, /version: expected a positive integer/);
  });

  it('a newer format version is read (nothing hidden) but marked read-only with a message', () => {
    const text = readFileSync(join(FIX, 'newer-version.marginalia.yaml'), 'utf8');
    const r = parseSidecar(text);
    assert.ok(r.ok);
    assert.equal(r.value.sidecar.version, SIDECAR_VERSION + 1);
    assert.equal(r.value.sidecar.annotations.length, 2);
    assert.match(r.value.readOnly ?? '', /format version 2.*read-only.*update Marginalia/s);
    assert.deepEqual(r.value.sidecar.extra, { future_key: 'kept' });
  });
});

describe('reliability: hostile sizes are refused in bounded time and memory', () => {
  it('a YAML alias bomb ("billion laughs") → alias-limit error, and it returns', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `version: 1\nsource: a.txt\nannotations: []\n${levels.join('\n')}\n`;
    assert.ok(text.length < 2000, 'small on disk');
    const before = process.memoryUsage().heapUsed;
    const r = parseSidecar(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'alias-limit');
    assert.match(r.error.message, /alias/);
    assert.ok(process.memoryUsage().heapUsed - before < 200 * 1024 * 1024, 'no expansion in memory');
  });

  it('aliases inside an annotation are refused the same way', () => {
    const text = 'version: 1\nsource: a.txt\nannotations:\n  - &x {id: A, kind: note, target: {exact: x, start: 0, end: 1}}\n' +
      Array.from({ length: 150 }, (_, i) => `  - {id: B${i}, kind: note, note: *x, target: {exact: x, start: 0, end: 1}}`).join('\n') + '\n';
    const r = parseSidecar(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'alias-limit');
    assert.match(r.error.message, /alias/);
  });

  it('a nesting bomb ("- - - - …", 6 KB) → a clear syntax error, and it returns (the YAML parser would overflow its stack)', () => {
    for (const text of [`${'- '.repeat(3000)}-\n`, `version: 1\nsource: a.txt\nx:\n${'  - '.repeat(2000)}1\n`, `version: 1\nsource: a.txt\nx:\n${' '.repeat(1200)}- 1\n`]) {
      const r = parseSidecar(text);
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'syntax');
      assert.match(r.error.message, /nested too deeply/);
    }
    // ordinary nesting is fine
    assert.ok(parseSidecar('version: 1\nsource: a.txt\nannotations: []\nx:\n  - - - - a\n').ok);
  });

  it('a 10 MB sidecar → too-large error (default limit 5 MB) without parsing it', () => {
    const block = '  - id: X\n    kind: note\n    target: {exact: x, start: 0, end: 1}\n';
    const text = `version: 1\nsource: a.txt\nannotations:\n${block.repeat(Math.ceil((10 * 1024 * 1024) / block.length))}`;
    assert.ok(text.length >= 10 * 1024 * 1024);
    const r = parseSidecar(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'too-large');
    assert.match(r.error.message, /marginalia\.sidecar\.maxSizeMB/);
  });

  it('a 10 MB sidecar of multi-byte text counts UTF-8 bytes, not characters', () => {
    const text = `version: 1\nsource: a.txt\nnote_: "${'€'.repeat(2 * 1024 * 1024)}"\nannotations: []\n`; // 6 MB in UTF-8, 2 M chars
    const r = parseSidecar(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'too-large');
  });
});

describe('reliability: an interrupted save never yields a wrong sidecar silently', () => {
  it('every truncation of a sidecar (a temporary file cut short) parses or errors, never throws', () => {
    const text = serializeSidecar(GOOD);
    let ok = 0;
    for (let n = 0; n < text.length; n += 3) {
      const r = parseSidecar(text.slice(0, n));
      if (r.ok) {
        ok++;
        // Whatever a truncated file yields is a subset of the ids of the full one.
        for (const a of r.value.sidecar.annotations) assert.ok(GOOD.annotations.some((g) => g.id === a.id));
      } else assert.ok(r.error.message.length > 0);
    }
    assert.ok(ok < text.length / 3, 'most truncations are rejected');
  });
});

describe('reliability: the sidecar edited outside while the user annotates — both changes kept', () => {
  it('ours adds an annotation while theirs edits another and adds one: all three kept, no conflict', () => {
    const ours = structuredClone(GOOD);
    ours.annotations.push(note('02OURS', ARTICLE, 'Geneva'));
    const theirs = structuredClone(GOOD);
    theirs.annotations[1]!.note = 'edited in another editor';
    theirs.annotations.push(note('02THEIRS', ARTICLE, 'on Monday'));
    const { sidecar, conflicts } = mergeSidecars(GOOD, ours, theirs);
    assert.deepEqual(conflicts, []);
    assert.deepEqual(sidecar.annotations.map((a) => a.id), ['01A', '01B', '01C', '01D', '02OURS', '02THEIRS']);
    assert.equal(sidecar.annotations[1]!.note, 'edited in another editor');
  });

  it('both sides change one annotation: ours kept, theirs under `conflict`, reported as both-changed', () => {
    const ours = structuredClone(GOOD);
    ours.annotations[0]!.note = 'mine';
    const theirs = structuredClone(GOOD);
    theirs.annotations[0]!.note = 'theirs';
    theirs.annotations[0]!.verdict = 'false';
    const { sidecar, conflicts } = mergeSidecars(GOOD, ours, theirs);
    assert.deepEqual(conflicts, [{ id: '01A', list: 'annotations', kind: 'both-changed' }]);
    assert.equal(sidecar.annotations[0]!.note, 'mine');
    assert.equal(sidecar.annotations[0]!.conflict?.note, 'theirs');
    assert.equal(sidecar.annotations[0]!.conflict?.verdict, 'false');
    // The conflict survives a write and a read (valid YAML, never conflict markers).
    const r = parseSidecar(serializeSidecar(sidecar));
    assert.ok(r.ok);
    assert.equal(r.value.sidecar.annotations[0]!.conflict?.note, 'theirs');
  });

  it('deleted outside but edited here: the edit is kept (changed-deleted)', () => {
    const ours = structuredClone(GOOD);
    ours.annotations[2]!.note = 'still needed';
    const theirs = structuredClone(GOOD);
    theirs.annotations.splice(2, 1);
    const { sidecar, conflicts } = mergeSidecars(GOOD, ours, theirs);
    assert.ok(sidecar.annotations.some((a) => a.id === '01C' && a.note === 'still needed'));
    assert.deepEqual(conflicts.map((c) => c.kind), ['changed-deleted']);
  });
});

describe('reliability: the source edited outside while closed — re-found or orphaned, never dropped', () => {
  it('paragraphs inserted, a sentence reworded, one annotated text deleted: 3 re-found on their text, 1 orphan, 4 kept', () => {
    const edited = ARTICLE
      .replace('GENEVA', 'A NEW FIRST PARAGRAPH.\n\nGENEVA')
      .replace('the talks had stalled', 'the talks had quite stalled')
      .replace(' declined to comment', ' said nothing');
    const targets = GOOD.annotations.map((a) => a.target);
    const r = reanchor(edited, targets);
    assert.equal(r.length, 4);
    assert.deepEqual(r.map((x) => x.status), ['moved', 'fuzzy', 'moved', 'orphan']);
    assert.equal(edited.slice(r[0]!.start, r[0]!.end), 'Sergei Lavrov');
    assert.match(edited.slice(r[1]!.start, r[1]!.end), /^the talks had quite/, 'the reworded text is found fuzzily');
    assert.equal(edited.slice(r[2]!.start, r[2]!.end), 'more than 5,000 people');
    assert.ok(r[3]!.start >= 0 && r[3]!.end <= edited.length, 'the orphan stays inside the text');
  });

  it('the whole source emptied: every annotation an orphan, none dropped', () => {
    const r = reanchor('', GOOD.annotations.map((a) => a.target));
    assert.deepEqual(r.map((x) => [x.status, x.start, x.end]), GOOD.annotations.map(() => ['orphan', 0, 0]));
  });

  it('CRLF line endings and a BOM never shift an anchor (offsets are into the normalised text)', () => {
    const crlf = `\ufeff${ARTICLE.replace(/\n/g, '\r\n')}`;
    const r = reanchor(normalizeText(crlf), GOOD.annotations.map((a) => a.target));
    assert.deepEqual(r.map((x) => x.status), ['exact', 'exact', 'exact', 'exact']);
  });
});

describe('reliability: no path from a sidecar leaves the workspace', () => {
  const ESCAPES = ['../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', '..\\..\\x', 'a/../../b', '\\\\server\\share', 'file:///etc/passwd', 'x\0y'];
  for (const p of ESCAPES) {
    it(`a source field ${JSON.stringify(p)} resolves to nothing (or stays inside)`, () => {
      const resolved = resolveSourceField('notes/article.txt.marginalia.yaml', p);
      if (resolved !== undefined) {
        assert.ok(!resolved.startsWith('/') && !resolved.split('/').includes('..') && !/^[a-zA-Z]:/.test(resolved), resolved);
      }
      assert.equal(isSafeRelativePath(p), false, `${p} is not a safe relative path`);
    });
  }

  it('sidecar and source paths only follow the naming convention', () => {
    assert.equal(sidecarPathFor('a/b.txt'), 'a/b.txt.marginalia.yaml');
    assert.equal(sidecarPathFor('a/b.txt', '.marginalia/'), '.marginalia/a/b.txt.marginalia.yaml');
    assert.equal(sourcePathFor('.marginalia/a/b.txt.marginalia.yaml', '.marginalia'), 'a/b.txt');
    assert.equal(sourcePathFor('other/a/b.txt.marginalia.yaml', '.marginalia'), undefined);
    assert.equal(sourcePathFor('a/b.txt'), undefined);
  });

  it('a configured sidecar folder that climbs out of the workspace is not a safe relative path', () => {
    // The store refuses such a folder (src/host/annotations/store.ts sidecarUriFor); the in-host
    // suite checks that nothing is written outside the workspace.
    for (const f of ['..', '../outside', 'a/../../b', '/tmp/x', 'C:/x']) assert.equal(isSafeRelativePath(f), false, f);
    for (const f of ['.marginalia', 'notes/sidecars', './x']) assert.equal(isSafeRelativePath(f), true, f);
  });
});
