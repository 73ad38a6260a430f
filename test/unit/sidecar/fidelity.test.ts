/**
 * The codec keeps every value's text: a plain scalar YAML would read as a number, boolean or null
 * where the model wants text keeps the text the user typed; a value the model cannot hold exactly
 * (a 20-digit number, `1.10`, `0x1F` in an unknown key) is written back as it was; `__proto__` is
 * a key like any other; nesting bombs in flow style are refused cleanly.
 */
import * as assert from 'node:assert/strict';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar/codec';
import { canonicalParse } from '../../../src/core/sidecar/canonicalReader';
import { canonicalStringify } from '../../../src/core/sidecar/canonicalWriter';
import type { Annotation } from '../../../src/core/sidecar/model';
import { mergeSidecars } from '../../../src/core/sidecar/merge';

const HEADER = '# Marginalia annotations: one block per annotation, sorted by id. Comments and unknown keys are kept.\n';
const TARGET = '    target:\n      exact: x\n      prefix: ""\n      suffix: ""\n      start: 0\n      end: 1\n';

function block(id: string, lines: string): string {
  return `  - id: ${id}\n    kind: note\n${lines}${TARGET}`;
}

function file(lines: string, top = ''): string {
  return `${HEADER}version: 1\nsource: a.txt\n${top}annotations:\n${block('01A', lines)}`;
}

const added: Annotation = { id: '01B', kind: 'note', note: 'new', target: { exact: 'y', prefix: '', suffix: '', start: 1, end: 2 } };

/** Load, add one annotation, save with the previous parse (what import and the store do). */
function addOne(text: string): string {
  const r = parseSidecar(text);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  r.value.sidecar.annotations.push(structuredClone(added));
  return serializeSidecar(r.value.sidecar, r.value);
}

describe('sidecar codec: every value keeps its text', () => {
  const TEXTS = ['0012', '1.10', 'yes', 'No', '~', 'null', '1e3', '0x1F', '0o17', '.inf', '-.Inf', '.NaN', '-0', '+12', '12345678901234567890', '1_000', 'true', 'False'];

  for (const t of TEXTS) {
    it(`note: ${t} and author: ${t} are read as the text "${t}" and written back unchanged by an unrelated save`, () => {
      const text = file(`    note: ${t}\n    author: ${t}\n`);
      const r = parseSidecar(text);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.value.sidecar.annotations[0]!.note, t);
      assert.equal(r.value.sidecar.annotations[0]!.author, t);
      const out = addOne(text);
      assert.ok(out.includes(`    note: ${t}\n    author: ${t}\n`), out);
      const back = parseSidecar(out);
      assert.ok(back.ok);
      assert.equal(back.value.sidecar.annotations[0]!.note, t);
      assert.equal(back.value.sidecar.annotations.length, 2);
    });
  }

  it('tags that YAML reads as numbers keep their text, 20 digits included', () => {
    const text = file('    tags: [12345678901234567890, 1.10, 0012, yes]\n');
    const r = parseSidecar(text);
    assert.ok(r.ok);
    assert.deepStrictEqual(r.value.sidecar.annotations[0]!.tags, ['12345678901234567890', '1.10', '0012', 'yes']);
    const out = addOne(text);
    assert.match(out, /12345678901234567890, 1\.10, 0012, yes/);
  });

  it('the same in JSON flow (the canonical layout): the line reader hands the file to the YAML parser', () => {
    const text = file('    tags: [ 12345678901234567890, "a" ]\n    author: 1.10\n');
    assert.equal(canonicalParse(text)?.lossy, true);
    const r = parseSidecar(text);
    assert.ok(r.ok);
    assert.deepStrictEqual(r.value.sidecar.annotations[0]!.tags, ['12345678901234567890', 'a']);
    assert.equal(r.value.sidecar.annotations[0]!.author, '1.10');
    const out = addOne(text);
    assert.ok(out.includes('    tags: [ 12345678901234567890, "a" ]\n    author: 1.10\n'), out);
  });

  it('unknown keys keep numbers the model cannot hold exactly (item and top level)', () => {
    const text = file('    big: 12345678901234567890\n    float: 1.10000000000000000001\n    hex: 0x1F\n    list: [ 12345678901234567890, 2 ]\n', 'huge: 99999999999999999999999\n');
    const out = addOne(text);
    for (const s of ['big: 12345678901234567890', 'float: 1.10000000000000000001', 'hex: 0x1F', '12345678901234567890, 2', 'huge: 99999999999999999999999']) {
      assert.ok(out.includes(s), `${s} lost:\n${out}`);
    }
  });

  it('an unchanged item is written back byte for byte (canonical file with a hand-typed value)', () => {
    const text = file('    note: 0012\n');
    const out = addOne(text);
    assert.ok(out.startsWith(text.slice(0, text.indexOf('    target:'))), out);
    assert.ok(out.includes(block('01A', '    note: 0012\n')), out);
  });

  it('a key named __proto__ is kept (item, top level, and through a merge)', () => {
    const text = file('    __proto__: { "polluted": true }\n', '__proto__: 5\n');
    const r = parseSidecar(text);
    assert.ok(r.ok);
    const a = r.value.sidecar.annotations[0]!;
    assert.ok(Object.prototype.hasOwnProperty.call(a.extra, '__proto__'));
    assert.ok(Object.prototype.hasOwnProperty.call(r.value.sidecar.extra, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const out = addOne(text);
    assert.match(out, /^ {4}__proto__: \{ "?polluted"?: true \}$/m);
    assert.match(out, /^__proto__: 5$/m);
    // canonical writer and merge keep it too
    assert.match(canonicalStringify(r.value.sidecar), /__proto__/);
    const m = mergeSidecars(r.value.sidecar, r.value.sidecar, { ...r.value.sidecar, annotations: [...r.value.sidecar.annotations, added] });
    assert.ok(Object.prototype.hasOwnProperty.call(m.sidecar.extra, '__proto__'));
    assert.ok(Object.prototype.hasOwnProperty.call(m.sidecar.annotations[0]!.extra, '__proto__'));
  });

  it('fast path and YAML path read the same model', () => {
    const text = file('    note: 12\n    verdict: true\n    author: 1.5\n');
    const fast = parseSidecar(text);
    const full = parseSidecar(text.replace(HEADER, '# hand edited\n'));
    assert.ok(fast.ok && full.ok);
    assert.deepStrictEqual(fast.value.sidecar, full.value.sidecar);
    assert.equal(fast.value.canonical, false, 'the writer would quote these: not the canonical layout');
  });

  it('a list of recorded conflicts is read and written back', () => {
    const text = file('    conflict:\n      - note: a\n      - deleted: true\n');
    const r = parseSidecar(text);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.ok(Array.isArray(r.value.sidecar.annotations[0]!.conflict));
    const bad = parseSidecar(file('    conflict: [ 1 ]\n'));
    assert.ok(!bad.ok && bad.error.code === 'schema');
    const back = parseSidecar(canonicalStringify(r.value.sidecar));
    assert.ok(back.ok);
    assert.deepStrictEqual(back.value.sidecar, r.value.sidecar);
  });
});

describe('sidecar codec: a top-level conflict', () => {
  it('recorded by the merge driver ({key, theirs} entries): read into the model and written back by both writers', () => {
    const text = file('', 'conflict:\n  - key: reviewer\n    theirs: bob\nreviewer: ada\n');
    const r = parseSidecar(text);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepStrictEqual(r.value.sidecar.conflict, [{ key: 'reviewer', theirs: 'bob' }]);
    assert.deepStrictEqual(r.value.sidecar.extra, { reviewer: 'ada' });
    for (const out of [addOne(text), canonicalStringify(r.value.sidecar)]) {
      const back = parseSidecar(out);
      assert.ok(back.ok);
      assert.deepStrictEqual(back.value.sidecar.conflict, r.value.sidecar.conflict);
      assert.deepStrictEqual(back.value.sidecar.extra, { reviewer: 'ada' });
    }
  });

  it('a user key named conflict of another shape stays an unknown key (the file is not refused)', () => {
    const text = file('', 'conflict: none\n');
    const r = parseSidecar(text);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.sidecar.conflict, undefined);
    assert.deepStrictEqual(r.value.sidecar.extra, { conflict: 'none' });
    assert.match(addOne(text), /^conflict: none$/m);
    assert.match(canonicalStringify(r.value.sidecar), /^conflict: none$/m);
  });
});

describe('sidecar codec: nesting bombs', () => {
  const N = 20000;
  const cases: [string, string][] = [
    ['flow lists', `version: 1\nsource: a\nx: ${'['.repeat(N)}${']'.repeat(N)}\nannotations: []\n`],
    ['flow lists (JSON, canonical-looking)', `${HEADER}version: 1\nsource: a\nannotations: []\nx: ${'['.repeat(N)}${']'.repeat(N)}\n`],
    ['flow mappings', `version: 1\nsource: a\nx: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\nannotations: []\n`],
    ['unclosed flow', `version: 1\nsource: a\nx: ${'['.repeat(N)}\n`],
    ['block sequences', `version: 1\nsource: a\nx:\n${'- '.repeat(N)}1\n`],
    ['block mappings', `version: 1\nsource: a\nx:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`],
  ];
  for (const [name, text] of cases) {
    it(`${name}, ${N} deep → a syntax error, never a throw`, () => {
      const r = parseSidecar(text);
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'syntax');
      assert.match(r.error.message, /nested too deeply/);
    });
  }

  it('many unclosed brackets in plain text (notes like "see [1") never add up to a nesting error', () => {
    const notes = Array.from({ length: 100 }, (_, i) => block(`01A${String(i).padStart(3, '0')}`, '    note: see [1 and {2\n')).join('\n');
    const r = parseSidecar(`version: 1\nsource: a\nannotations:\n${notes}`);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.sidecar.annotations.length, 100);
  });

  it('brackets inside strings, comments and plain text do not count', () => {
    const many = '['.repeat(100);
    const text = `version: 1\nsource: a\n# ${many}\nannotations:\n${block('01A', `    note: "${many}"\n    author: a${many}\n    verdict: '${many}'\n`)}`;
    const r = parseSidecar(text);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.sidecar.annotations[0]!.note, many);
  });
});
