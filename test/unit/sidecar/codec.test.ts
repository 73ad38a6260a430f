import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  ANNOTATION_KINDS, emptySidecar, parseSidecar, serializeSidecar, type Annotation, type Sidecar,
} from '../../../src/core/sidecar';

function isMapLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'items' in x;
}

const FIXTURES = join(__dirname, '../../fixtures/sidecar');
const RUNS = Number(process.env.MARGINALIA_FUZZ_RUNS ?? 100);

function parseOk(text: string): ReturnType<typeof parseSidecar> & { ok: true } {
  const r = parseSidecar(text);
  if (!r.ok) assert.fail(`parse failed: ${r.error.code} ${r.error.message} at ${r.error.line}:${r.error.column}`);
  return r;
}

function note(id: string, exact: string, start: number, extra: Partial<Annotation> = {}): Annotation {
  return { id, kind: 'note', target: { exact, prefix: 'p ', suffix: ' s', start, end: start + exact.length }, ...extra };
}

describe('sidecar codec', () => {
  const commented = readFileSync(join(FIXTURES, 'commented.marginalia.yaml'), 'utf8');

  it('reads the model, unknown keys included', () => {
    const { value } = parseOk(commented);
    assert.equal(value.sidecar.version, 1);
    assert.equal(value.sidecar.source, 'article.txt');
    assert.equal(value.sidecar.annotations.length, 2);
    const a = value.sidecar.annotations[0]!;
    assert.equal(a.kind, 'claim');
    assert.equal(a.verdict, 'misleading');
    assert.deepEqual(a.target, { exact: 'more than 5,000', prefix: 'officials said ', suffix: ' people were', start: 120, end: 134 });
    assert.deepEqual(a.extra, { 'custom-field': 'keep me' });
    assert.deepEqual(value.sidecar.extra, { reviewer: 'Ada' });
    assert.equal(value.sidecar.corrections[0]!.type, 'person');
  });

  it('an unchanged round trip gives the same bytes (comments, order, unknown keys kept)', () => {
    const { value } = parseOk(commented);
    assert.equal(serializeSidecar(value.sidecar, value.doc), commented);
  });

  it('editing one annotation keeps comments and leaves the other blocks byte-identical', () => {
    const { value } = parseOk(commented);
    value.sidecar.annotations[1]!.note = 'Lavrov, per the dateline.';
    const out = serializeSidecar(value.sidecar, value.doc);
    assert.match(out, /# My notes on the article — keep this comment\./);
    assert.match(out, /kind: claim # why I flagged it/);
    assert.match(out, /custom-field: keep me/);
    assert.match(out, /reviewer: Ada # an unknown top-level key/);
    assert.match(out, /note: Lavrov, per the dateline\./);
    const changed = out.split('\n').filter((l, i) => l !== commented.split('\n')[i]);
    assert.deepEqual(changed, ['    note: Lavrov, per the dateline.']);
  });

  it('adds a new annotation at its sorted position and deletes one without touching others', () => {
    const { value } = parseOk(commented);
    value.sidecar.annotations.push(note('01JDQ5N8W9X3Y2Z1A0B4C6D8EAZ', 'x', 1));
    let out = serializeSidecar(value.sidecar, value.doc);
    const ids = [...out.matchAll(/- id: (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(ids, ['01JDQ5N8W9X3Y2Z1A0B4C6D8EA', '01JDQ5N8W9X3Y2Z1A0B4C6D8EAZ', '01JDQ5N8W9X3Y2Z1A0B4C6D8EB', '01JDQ5N8W9X3Y2Z1A0B4C6D8EC']);
    const again = parseOk(out);
    again.value.sidecar.annotations = again.value.sidecar.annotations.filter((a) => a.id !== '01JDQ5N8W9X3Y2Z1A0B4C6D8EAZ');
    out = serializeSidecar(again.value.sidecar, again.value.doc);
    assert.equal(out, commented);
  });

  it('same data gives the same bytes, whatever the input order', () => {
    const a = emptySidecar('a.txt', 'fnv1a64:0123456789abcdef');
    a.annotations = [note('02', 'b', 5, { tags: ['x', 'y'], verdict: 'true' }), note('01', 'a', 1, { note: 'multi\nline' })];
    const b: Sidecar = { ...a, annotations: [...a.annotations].reverse() };
    const sa = serializeSidecar(a);
    assert.equal(sa, serializeSidecar(b));
    assert.ok(sa.indexOf('id: "01"') < sa.indexOf('id: "02"') || sa.indexOf('id: 01') < sa.indexOf('id: 02'));
    // one block per annotation, separated by a blank line
    assert.match(sa, /\n\n {2}- id: /);
    const back = parseOk(sa).value.sidecar;
    assert.equal(back.annotations[1]!.verdict, 'true');
    assert.equal(back.annotations[0]!.note, 'multi\nline');
  });

  it('round-trips arbitrary annotations (property)', () => {
    const str = fc.string({ unit: 'grapheme', maxLength: 40 });
    const ann = fc.record({
      kind: fc.constantFrom(...ANNOTATION_KINDS),
      note: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
      tags: fc.option(fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      verdict: fc.option(fc.constantFrom('true', 'false', 'misleading', 'null', '1.5', ' odd '), { nil: undefined }),
      exact: str, prefix: str, suffix: str,
      start: fc.nat(100000),
      len: fc.nat(100),
    });
    fc.assert(fc.property(fc.array(ann, { maxLength: 6 }), (list) => {
      const s = emptySidecar('dir/a b.txt', 'fnv1a64:0123456789abcdef');
      s.annotations = list.map((x, i) => {
        const a: Annotation = { id: `01ID${String(i).padStart(4, '0')}`, kind: x.kind,
          target: { exact: x.exact, prefix: x.prefix, suffix: x.suffix, start: x.start, end: x.start + x.len } };
        if (x.note !== undefined) a.note = x.note;
        if (x.tags !== undefined) a.tags = x.tags;
        if (x.verdict !== undefined) a.verdict = x.verdict;
        return a;
      });
      const text = serializeSidecar(s);
      const back = parseOk(text);
      assert.deepEqual(back.value.sidecar, s);
      // writing it back is byte-stable (canonical path) …
      assert.equal(back.value.canonical, true);
      assert.equal(serializeSidecar(back.value.sidecar, back.value), text);
      // … and through the YAML Document (the path for hand-edited files) keeps the data and is a fixpoint
      const doc = back.value.doc;
      assert.ok(doc.contents, 'the Document is there when looked at');
      const viaDoc = serializeSidecar(back.value.sidecar, doc);
      const again = parseOk(viaDoc);
      assert.deepEqual(again.value.sidecar, s);
      assert.ok(again.value.doc.contents);
      assert.equal(serializeSidecar(again.value.sidecar, again.value.doc), viaDoc);
      // … and both paths write the same bytes
      assert.equal(viaDoc, text);
    }), { numRuns: RUNS });
  });
});

describe('sidecar codec: canonical layout and hand edits', () => {
  const base = (): Sidecar => {
    const s = emptySidecar('a.txt', 'fnv1a64:0123456789abcdef');
    s.annotations = [
      { id: '01ID0000', kind: 'claim', tags: ['x y', 'z'], note: 'Ein Zitat: „so“ — 5,000 people’s\u00a0view', verdict: 'true',
        created: '2026-11-28T03:00:00.000Z', target: { exact: 'said "no"', prefix: ' he ', suffix: '\nNext', start: 0, end: 9 },
        extra: { custom: { a: [1, 'b'] } } },
      { id: '01ID0001', kind: 'note', target: { exact: 'x', prefix: 'a', suffix: 'b', start: 3, end: 4 } },
    ];
    return s;
  };

  it('files Marginalia writes are read by the fast path and rewritten identically', () => {
    const text = serializeSidecar(base());
    const p = parseOk(text);
    assert.equal(p.value.canonical, true);
    assert.deepEqual(p.value.sidecar, base());
    assert.equal(serializeSidecar(p.value.sidecar, p.value), text);
  });

  it('a comment added by hand to a canonical file survives an edit; only the edited line changes', () => {
    const text = serializeSidecar(base()).replace('    kind: claim\n', '    kind: claim # mine\n');
    const p = parseOk(text);
    assert.equal(p.value.canonical, false);
    p.value.sidecar.annotations[1]!.note = 'added';
    const out = serializeSidecar(p.value.sidecar, p.value);
    const before = text.split('\n');
    const after = out.split('\n');
    const at = after.indexOf('    note: added');
    assert.ok(at > 0);
    after.splice(at, 1);
    assert.deepEqual(after, before);
  });

  it('passing the Document of a canonical file keeps the fast path unless the Document was used', () => {
    const text = serializeSidecar(base());
    const p = parseOk(text);
    p.value.sidecar.annotations[1]!.note = 'fast';
    const fast = serializeSidecar(p.value.sidecar, p.value.doc);
    assert.match(fast, /note: fast/);
    const q = parseOk(text);
    const doc = q.value.doc;
    assert.ok(isMapLike(doc.contents));
    q.value.sidecar.annotations[1]!.note = 'via doc';
    assert.match(serializeSidecar(q.value.sidecar, doc), /note: via doc/);
  });

  it('line separators and invisible characters are written escaped on both paths (hand-edited file, comment kept)', () => {
    const odd = 'a\u2028b\u2029c\u0085d\u00ade\ufefff';
    const text = serializeSidecar(base()).replace('    kind: claim\n', '    kind: claim # mine\n');
    const p = parseOk(text);
    assert.equal(p.value.canonical, false);
    p.value.sidecar.annotations[1]!.note = odd;
    const out = serializeSidecar(p.value.sidecar, p.value);
    assert.doesNotMatch(out, /[\u0085\u00ad\u2028\u2029\ufeff]/);
    assert.match(out, /note: "a\\u2028b\\u2029c\\u0085d\\u00ade\\ufefff"/);
    assert.match(out, /kind: claim # mine/);
    assert.equal(parseOk(out).value.sidecar.annotations[1]!.note, odd);
    // the canonical writer writes the same line
    const canon = base();
    canon.annotations[1]!.note = odd;
    assert.ok(serializeSidecar(canon).includes('note: "a\\u2028b\\u2029c\\u0085d\\u00ade\\ufefff"'));
  });

  it('an escaped backslash before a slash is still the canonical layout', () => {
    const s = base();
    s.annotations[1]!.note = 'C:\\/path';
    const text = serializeSidecar(s);
    assert.equal(parseOk(text).value.canonical, true);
    assert.equal(parseOk(text.replace('C:\\\\/path', 'C:\\\\\\/path')).value.canonical, false, 'a \\/ escape is not what the writer writes');
  });

  it('an empty list written `[]` in a hand-edited file becomes one block per annotation when items are added', () => {
    const s = emptySidecar('a.txt', 'fnv1a64:0123456789abcdef');
    const text = `# my notes\n${serializeSidecar(s)}`;
    assert.match(text, /annotations: \[\]/);
    const p = parseOk(text);
    assert.equal(p.value.canonical, false);
    p.value.sidecar.annotations = [
      { id: '01ID0000', kind: 'note', note: 'two\nlines', target: { exact: 'x', prefix: '', suffix: '', start: 0, end: 1 } },
      { id: '01ID0001', kind: 'claim', target: { exact: 'y', prefix: '', suffix: '', start: 2, end: 3 } },
    ];
    const out = serializeSidecar(p.value.sidecar, p.value);
    assert.match(out, /^# my notes\n/);
    assert.match(out, /\nannotations:\n {2}- id: 01ID0000\n/);
    assert.match(out, /\n {2}- id: 01ID0001\n/);
    assert.doesNotMatch(out, /annotations: \[/);
    assert.deepEqual(parseOk(out).value.sidecar.annotations, p.value.sidecar.annotations);
  });

  it('lines of only spaces in a note survive a hand-edited file (written double-quoted)', () => {
    const text = serializeSidecar(base()).replace('    kind: claim\n', '    kind: claim # mine\n');
    const p = parseOk(text);
    p.value.sidecar.annotations[1]!.note = 'first\n  \n\t\nlast ';
    const out = serializeSidecar(p.value.sidecar, p.value);
    assert.equal(parseOk(out).value.sidecar.annotations[1]!.note, 'first\n  \n\t\nlast ');
    assert.match(out, /kind: claim # mine/);
  });

  it('keys reordered by hand keep their order', () => {
    const text = serializeSidecar(base()).replace('    kind: note\n    target:', '    target:').replace('      end: 4\n', '      end: 4\n    kind: note\n');
    const p = parseOk(text);
    assert.equal(p.value.canonical, false);
    p.value.sidecar.annotations[0]!.note = 'new';
    const out = serializeSidecar(p.value.sidecar, p.value);
    assert.match(out, /end: 4\n {4}kind: note\n$/);
  });
});

describe('sidecar codec errors', () => {
  it('syntax errors carry line and column', () => {
    const r = parseSidecar('version: 1\nsource: a.txt\nannotations:\n  - id: [unclosed\n');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'syntax');
    assert.ok(r.error.line >= 4, `line ${r.error.line}`);
  });

  it('wrong types are schema errors at the offending line', () => {
    const r = parseSidecar('version: 1\nsource: a.txt\nannotations:\n  - id: X\n    kind: note\n    target:\n      exact: a\n      start: -3\n      end: 2\n');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'schema');
    assert.equal(r.error.line, 8);
    assert.match(r.error.message, /start/);
  });

  it('unknown kind and duplicate ids are rejected', () => {
    const bad = parseSidecar('version: 1\nsource: a.txt\nannotations:\n  - id: X\n    kind: rant\n    target: {exact: a, start: 0, end: 1}\n');
    assert.equal(bad.ok, false);
    const dup = parseSidecar('version: 1\nsource: a.txt\nannotations:\n  - id: X\n    kind: note\n    target: {exact: a, start: 0, end: 1}\n  - id: X\n    kind: note\n    target: {exact: a, start: 0, end: 1}\n');
    assert.equal(dup.ok, false);
    if (!dup.ok) {
      assert.equal(dup.error.code, 'duplicate-id');
      assert.equal(dup.error.line, 7);
    }
  });

  it('git conflict markers give a specific error that points at the merge driver', () => {
    const text = 'version: 1\nsource: a.txt\nannotations:\n<<<<<<< HEAD\n  - id: A\n=======\n  - id: B\n>>>>>>> theirs\n';
    const r = parseSidecar(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'conflict-markers');
    assert.equal(r.error.line, 4);
    assert.match(r.error.message, /merge driver/);
  });

  it('a newer format version is read, but read-only with a message', () => {
    const r = parseOk('version: 2\nsource: a.txt\nfuture: {x: 1}\nannotations: []\n');
    assert.ok(r.value.readOnly);
    assert.match(r.value.readOnly!, /version 2/);
  });

  it('an alias bomb is refused quickly', () => {
    let text = 'version: 1\nsource: a.txt\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    text += 'annotations: []\n';
    const t0 = Date.now();
    const r = parseSidecar(text);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'alias-limit');
  });

  it('a sidecar over the size limit is refused before parsing', () => {
    const big = 'version: 1\nsource: a.txt\n# ' + 'x'.repeat(2000) + '\nannotations: []\n';
    const r = parseSidecar(big, { maxBytes: 1000 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'too-large');
    assert.equal(parseSidecar(big).ok, true);
  });

  it('a key given twice (in the target, an annotation or at the top) is a syntax error, not silently the last one', () => {
    const s = emptySidecar('a.txt', 'fnv1a64:0123456789abcdef');
    s.annotations = [{ id: '01ID0000', kind: 'note', note: 'x', target: { exact: 'a', prefix: '', suffix: '', start: 0, end: 1 } }];
    const text = serializeSidecar(s);
    for (const bad of [
      text.replace('      exact: a\n', '      exact: a\n      exact: b\n'),
      text.replace('    note: x\n', '    note: x\n    note: y\n'),
      text.replace('version: 1\n', 'version: 1\nversion: 1\n'),
    ]) {
      assert.notEqual(bad, text);
      const r = parseSidecar(bad);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, /unique/);
    }
  });

  it('missing version or source is a schema error', () => {
    const r = parseSidecar('source: a.txt\nannotations: []\n');
    assert.equal(r.ok, false);
    const s = parseSidecar('version: 1\nannotations: []\n');
    assert.equal(s.ok, false);
  });
});
