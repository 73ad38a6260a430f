/**
 * The fast canonical reader/writer (src/core/sidecar/canonicalReader.ts, canonicalWriter.ts) against the frozen reference
 * (./reference/fast-v1.ts, the code before the speed-up): for every input it must read the same
 * data, flag the same files canonical and write the same bytes — the canonical format is a promise
 * to git users. Saving a canonical file reuses the blocks of items that did not change; that must
 * give exactly the bytes of a full rewrite, whatever was edited in place.
 *
 * MARGINALIA_FUZZ_RUNS scales the runs (default 150 per property).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { canonicalParse } from '../../../src/core/sidecar/canonicalReader';
import { canonicalStringify } from '../../../src/core/sidecar/canonicalWriter';
import type { Annotation, Correction, Sidecar } from '../../../src/core/sidecar/model';
import { hostileString, sidecarArb } from '../fuzz/properties';
import * as reference from './reference/fast-v1';

const RUNS = Math.max(1, Number(process.env.MARGINALIA_FUZZ_RUNS ?? '') || 150);
const BIG = { maxBytes: 64 * 1024 * 1024 };

/** The new reader agrees with the reference: both refuse, or both read the same data with the same flag. */
function sameRead(text: string): void {
  const want = reference.canonicalParse(text);
  const got = canonicalParse(text);
  if (want === undefined) {
    assert.equal(got, undefined, `the reference refuses this text, the new reader does not:\n${text}`);
    return;
  }
  if (!got) {
    // The one intended difference: a key given twice is left to the YAML parser, which refuses it
    // (the reference took the last value, and a later save through the Document then failed).
    const full = parseSidecar(text, BIG);
    assert.ok(!full.ok && /unique/.test(full.error.message), `the reference reads this text, the new reader refuses it:\n${text}`);
    return;
  }
  if (got.canonical !== want.canonical) {
    // The one intended difference in the flag: the reference called a text canonical when it was
    // what the writer writes for the data *as read* (`verdict: true`, `author: 1.10`), though the
    // model keeps such values as text and the writer writes them otherwise (`"true"`, `"1.10"`):
    // a wholesale rewrite then changed items nobody edited. The new flag means "what the writer
    // writes for the model".
    assert.ok(want.canonical && !got.canonical, `canonical flag differs for:\n${text}`);
    const full = parseSidecar(text, BIG);
    assert.ok(!full.ok || canonicalStringify(full.value.sidecar) !== text, `canonical flag differs for:\n${text}`);
  }
  assert.deepStrictEqual(got.data, want.data);
}

// Lines and values a hand edit (or another tool) may leave in a canonical file.
const ODD_VALUES = [
  'true', 'false', 'null', '~', '1', '1.0', '1e2', '-0', '007', '0x1F', '12:30', '"x"', "'x'", 'x', '"true"', '"1"', '""', '" a"',
  '[ "a" ]', '["a"]', '[]', '[ 1, 2 ]', '{}', '{ "a": 1 }', '{"a":1}', '"a\\u2028b"', '"a\u2028b"', '"\\/"', '"\\u0041"', '"\\ud83d\\ude00"',
  '"\ud83d"', '"\\ud83d"', '"a\\"b"', '"a\\\\"', '"a\\nb"', '"a\\tb"', '"\\u00e9"', '"\u00ad"', 'a b', 'a  b', 'a: b', '"a" # c', '1 # c', '|',
  '&a x', '*a', '"unterminated', '"a\\xb"', '"a"b"', 'Ünïcode', '"Ünïcode"', '2026-11-28T03:00:00.000Z', '"2026-11-28T03:00:00.000Z"',
];
const ODD_LINES = [
  '', '# a comment', '    __proto__: { "x": 1 }', '    __proto__: 1', '__proto__: 1', '    custom: 1', '    custom-key: "v"', '    x y: 1',
  '      exact: dup', '      start: 3', '    target:', '    target: { "exact": "a", "prefix": "", "suffix": "", "start": 0, "end": 1 }',
  '  - id: zzz', '  - kind: note', '    orphan: true', '    orphan: false', '    tags: []', '    conflict: { "note": "x" }',
  'annotations: []', 'corrections:', 'corrections: []', 'extra: 1', '\tkey: 1', '   key: 1', '  -', '  - ', '    kind:', 'version: 1',
  '    verdict: true', '    note: 12', '    id: 2', '      start: 1.0', '      end: 1e1', '      exact: 5',
];

/** A line-level edit of a text: replace a value, insert, delete, duplicate or move a line, or raw bytes. */
const editArb = fc.oneof(
  fc.record({ op: fc.constant('value' as const), at: fc.nat(), v: fc.oneof(fc.constantFrom(...ODD_VALUES), hostileString(2)) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), v: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ODD_LINES) }, hostileString(2)) }),
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const), at: fc.nat(), v: fc.constant('') }),
  fc.record({ op: fc.constant('raw' as const), at: fc.nat(), v: hostileString(2) }),
);
type Edit = { op: 'value' | 'insert' | 'delete' | 'duplicate' | 'swap' | 'raw'; at: number; v: string };

function applyEdit(text: string, e: Edit): string {
  if (e.op === 'raw') {
    const i = e.at % (text.length + 1);
    return text.slice(0, i) + e.v + text.slice(i);
  }
  const lines = text.split('\n');
  const i = e.at % lines.length;
  switch (e.op) {
    case 'value': {
      const colon = lines[i]!.indexOf(': ');
      if (colon >= 0) lines[i] = `${lines[i]!.slice(0, colon + 2)}${e.v}`;
      break;
    }
    case 'insert': lines.splice(i, 0, e.v); break;
    case 'delete': lines.splice(i, 1); break;
    case 'duplicate': lines.splice(i, 0, lines[i]!); break;
    case 'swap': if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!]; break;
  }
  return lines.join('\n');
}

const editedTextArb = fc.tuple(sidecarArb, fc.array(editArb, { minLength: 1, maxLength: 4 }))
  .map(([s, edits]) => edits.reduce((t, e) => applyEdit(t, e), canonicalStringify(s)));

/** An in-place edit of a model read from a canonical file (as the store and the commands make them). */
type ModelEdit = (s: Sidecar, pick: number, text: string) => void;
const MODEL_EDITS: ModelEdit[] = [
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a) a.note = t; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) delete a.note; },
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a) s.annotations[k % s.annotations.length] = { ...a, note: t }; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.target.start += 1; },
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a) a.target = { ...a.target, exact: t }; },
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a) a.target.prefix = t; },
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a?.tags) a.tags.push(t); else if (a) a.tags = [t]; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a?.tags) a.tags[0] = 'changed'; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a?.tags) a.tags = []; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.orphan = true; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.orphan = false; },
  (s, k, t) => { const a = s.annotations[k % s.annotations.length]; if (a) a.extra = { ...a.extra, added: t }; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a?.extra) delete a.extra[Object.keys(a.extra)[0]!]; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.conflict = { note: 'theirs' }; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.kind = a.kind === 'note' ? 'claim' : 'note'; },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) a.id = `${a.id}x`; },
  (s, k) => { s.annotations.splice(k % (s.annotations.length + 1), 1); },
  (s, k, t) => { s.annotations.push({ id: `new-${k}`, kind: 'note', note: t, target: { exact: t, prefix: '', suffix: '', start: 0, end: t.length } }); },
  (s) => { s.annotations.reverse(); },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) s.annotations.push(a); }, // the same item twice
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) s.annotations[k % s.annotations.length] = structuredClone(a); },
  (s, k, t) => { const c = s.corrections[k % s.corrections.length]; if (c) c.speaker = t; },
  (s, k) => { const c = s.corrections[k % s.corrections.length]; if (c) s.annotations.push(c as unknown as Annotation); },
  (s, k) => { const a = s.annotations[k % s.annotations.length]; if (a) s.corrections.push(a as unknown as Correction); },
  (s, _k, t) => { s.source = t || 'x'; },
  (s) => { s.extra = { ...s.extra, top: 1 }; },
];

describe('sidecar fast path: same data, same flag, same bytes as the reference', () => {
  it('reads every canonical text as the reference does (property)', () => {
    fc.assert(fc.property(sidecarArb, (s) => sameRead(canonicalStringify(s))), { numRuns: RUNS });
  });

  it('reads hand-edited and damaged texts as the reference does (property)', () => {
    fc.assert(fc.property(editedTextArb, (text) => sameRead(text)), { numRuns: RUNS * 4 });
  });

  it('writes the same bytes as the reference (property)', () => {
    fc.assert(fc.property(sidecarArb, (s) => {
      assert.equal(canonicalStringify(s), reference.canonicalStringify(s));
      const shuffled = { ...s, annotations: [...s.annotations].reverse(), corrections: [...s.corrections].reverse() };
      assert.equal(canonicalStringify(shuffled), reference.canonicalStringify(shuffled));
    }), { numRuns: RUNS });
  });

  it('a save that reuses unchanged blocks writes what a full rewrite writes, whatever was edited in place (property)', () => {
    fc.assert(fc.property(
      fc.oneof(sidecarArb.map((s) => canonicalStringify(s)), editedTextArb),
      fc.array(fc.tuple(fc.nat(MODEL_EDITS.length - 1), fc.nat(), hostileString(3)), { maxLength: 4 }),
      (text, edits) => {
        const r = parseSidecar(text, BIG);
        // (only canonical files are rewritten by the canonical writer; the others by Document edits)
        if (!r.ok || !r.value.canonical) return;
        const sc = r.value.sidecar;
        for (const [e, k, t] of edits) MODEL_EDITS[e]!(sc, k, t);
        const out = serializeSidecar(sc, r.value);
        assert.equal(out, reference.canonicalStringify(sc), 'reused blocks change the bytes');
        // a second save from the same parse (the store saves again after more edits)
        if (sc.annotations[0]) sc.annotations[0].note = 'second';
        assert.equal(serializeSidecar(sc, r.value), reference.canonicalStringify(sc));
      },
    ), { numRuns: RUNS });
  });
});

describe('sidecar fast path: fallbacks and reuse', () => {
  const base = (): Sidecar => ({
    version: 1, source: 'a.txt', annotations: [
      { id: '01A', kind: 'note', note: 'one', target: { exact: 'x', prefix: 'p', suffix: 's', start: 0, end: 1 } },
      { id: '01B', kind: 'claim', verdict: 'misleading', tags: ['t'], target: { exact: 'said "no"', prefix: '', suffix: '', start: 5, end: 14 } },
      { id: '01C', kind: 'question', note: 'three', target: { exact: 'y', prefix: '', suffix: '', start: 20, end: 21 } },
    ], corrections: [],
  });

  it('a file that leaves the canonical layout is read by the YAML parser, with the same data', () => {
    const text = canonicalStringify(base());
    const variants = [
      text.replace('    kind: claim\n', '    kind: claim # mine\n'), // a comment
      text.replace('    note: one\n', "    note: 'one'\n"), // another quoting style
      text.replace('    target:\n      exact: x\n      prefix: p\n      suffix: s\n      start: 0\n      end: 1\n',
        '    target: {exact: x, prefix: p, suffix: s, start: 0, end: 1}\n'), // YAML flow (not JSON)
      text.replace('  - id: 01B\n', '  - "id": 01B\n'), // a quoted key
      text.replace('  - id: 01B\n    kind: claim\n', '  -\n    id: 01B\n    kind: claim\n'), // the item's first key on its own line
    ];
    for (const v of variants) {
      assert.equal(canonicalParse(v), undefined, `the line reader should refuse:\n${v}`);
      const r = parseSidecar(v);
      assert.ok(r.ok, v);
      assert.equal(r.value.canonical, false);
      assert.deepStrictEqual(r.value.sidecar, base());
    }
  });

  it('values the model keeps as text are read with their text, and an unrelated save keeps them as they were', () => {
    const text = canonicalStringify(base());
    const odd = text.replace('    verdict: misleading\n', '    verdict: true\n').replace('      start: 20\n', '      start: 2e1\n')
      .replace('    note: three\n', '    note: 1.10\n');
    const r = parseSidecar(odd);
    assert.ok(r.ok);
    // (the writer would write `verdict: "true"`: not the canonical layout, so saved through the Document)
    assert.equal(r.value.canonical, false);
    assert.equal(r.value.sidecar.annotations[1]!.verdict, 'true');
    assert.equal(r.value.sidecar.annotations[2]!.note, '1.10');
    assert.equal(r.value.sidecar.annotations[2]!.target.start, 20);
    r.value.sidecar.annotations[0]!.note = 'edited';
    const out = serializeSidecar(r.value.sidecar, r.value);
    assert.equal(out, odd.replace('    note: one\n', '    note: edited\n'));
    const back = parseSidecar(out);
    assert.ok(back.ok);
    assert.deepStrictEqual(back.value.sidecar, r.value.sidecar);
  });

  it('saving after one edit rewrites only that block; in-place edits of the others are seen', () => {
    const text = canonicalStringify(base());
    const r = parseSidecar(text);
    assert.ok(r.ok && r.value.canonical);
    const sc = r.value.sidecar;
    assert.equal(serializeSidecar(sc, r.value), text, 'unchanged: the same bytes');
    sc.annotations[1]!.tags!.push('u');
    sc.annotations[2]!.target.end = 22;
    const out = serializeSidecar(sc, r.value);
    assert.equal(out, reference.canonicalStringify(sc));
    assert.match(out, /tags: \[ "t", "u" \]/);
    assert.match(out, /end: 22\n/);
    // The CLI passes the Document stand-in instead of the ParsedSidecar: the same bytes.
    sc.annotations[0]!.note = 'via the Document';
    assert.equal(serializeSidecar(sc, r.value.doc), reference.canonicalStringify(sc));
    // A copy of the model (as after the store reads its own write back) saves the same.
    assert.equal(serializeSidecar(structuredClone(sc), r.value), reference.canonicalStringify(sc));
  });

  it('blocks read line by line (unknown keys, orphans) and raw characters the writer escapes: a save still matches a full rewrite', () => {
    const s = base();
    s.annotations[0]!.extra = { reviewer: 'Ada', score: 3 };
    s.annotations[1]!.orphan = true;
    const text = canonicalStringify(s);
    const r = parseSidecar(text);
    assert.ok(r.ok && r.value.canonical);
    assert.deepStrictEqual(r.value.sidecar, s);
    assert.equal(serializeSidecar(r.value.sidecar, r.value), text);
    r.value.sidecar.annotations[0]!.extra!.score = 4;
    assert.equal(serializeSidecar(r.value.sidecar, r.value), reference.canonicalStringify(r.value.sidecar));
    // A raw U+2028 in a quoted value (a hand edit; the writer escapes it): read as canonical, as before,
    // but that block is written again, escaped, not copied.
    const raw = text.replace('note: three', 'note: "thr\u2028ee"');
    const q = parseSidecar(raw);
    assert.ok(q.ok);
    assert.equal(reference.canonicalParse(raw)!.canonical, true);
    assert.equal(q.value.canonical, true);
    const out = serializeSidecar(q.value.sidecar, q.value);
    assert.equal(out, reference.canonicalStringify(q.value.sidecar));
    assert.match(out, /note: "thr\\u2028ee"/);
  });

  it('a duplicate id is reported at the same place whether or not the annotations are sorted', () => {
    const dup = canonicalStringify(base()) + 'corrections:\n  - id: 01Z\n    action: ignore\n    target:\n      exact: x\n      prefix: ""\n      suffix: ""\n      start: 0\n      end: 1\n\n  - id: 01B\n    action: ignore\n    target:\n      exact: x\n      prefix: ""\n      suffix: ""\n      start: 0\n      end: 1\n';
    const r = parseSidecar(dup);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'duplicate-id');
    assert.match(r.error.message, /^corrections\[1\]\.id: duplicate id "01B"/);
    const unsorted = dup.replace('  - id: 01A\n', '  - id: 01D\n');
    const u = parseSidecar(unsorted);
    assert.ok(!u.ok);
    assert.match(u.error.message, /^corrections\[1\]\.id: duplicate id "01B"/);
    const within = parseSidecar(dup.replace('  - id: 01Z\n', '  - id: 01B\n'));
    assert.ok(!within.ok);
    assert.match(within.error.message, /^corrections\[0\]\.id: duplicate id "01B"/);
  });
});
