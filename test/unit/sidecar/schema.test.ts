// The JSON Schema shipped for editors (schemas/marginalia.schema.json) and the codec's validator are
// two statements of one format: every sidecar of a corpus (a valid one and its mutations) must be
// accepted by both or rejected by both. Rules that JSON Schema cannot state (an end before its start)
// are listed once, below, as the codec's own.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { stringify } from 'yaml';
import { parseSidecar } from '../../../src/core/sidecar/codec';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'marginalia.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const target = (exact: string, start: number): Json => ({ exact, prefix: 'The ', suffix: ' said.', start, end: start + exact.length });

function base(): { [k: string]: Json } {
  return {
    version: 1,
    source: 'article.txt',
    hash: 'fnv1a64:0123456789abcdef',
    url: 'https://example.org/a',
    annotations: [
      { id: '01HZX0000000000000000000AA', kind: 'claim', target: target('minister', 4), verdict: 'false', tags: ['budget', 2024],
        note: 'check', author: 'ana', created: '2026-01-01T00:00:00Z', claimant: 'The minister', claimDate: '2026-01-02',
        appearance: 'https://example.org/a',
        evidence: [{ relation: 'contradicts', source: 'other/report.txt', target: target('report', 0) }] },
      { id: '01HZX0000000000000000000AB', kind: 'note', target: target('said', 13), orphan: true, custom: { kept: true } },
    ],
    corrections: [
      { id: 'c1', action: 'entity-type', type: 'organization', scope: 'all', target: target('Acme', 0) },
      { id: 'c2', action: 'merge', canonical: 'Acme Corp', target: target('Acme', 0) },
      { id: 'c3', action: 'ignore', scope: 'this', target: target('Monday', 20) },
      { id: 'c4', action: 'speaker', speaker: '', target: target('plan', 30) },
    ],
  };
}

type Path = (string | number)[];
const DELETE = Symbol('delete');

function mutate(path: Path, value: Json | typeof DELETE): { [k: string]: Json } {
  const doc = base();
  let node: Json = doc;
  for (const k of path.slice(0, -1)) node = (node as Record<string, Json>)[k as string];
  const last = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete (node as Record<string, Json>)[last as string];
  } else (node as Record<string, Json>)[last as string] = value;
  return doc;
}

const ann = (k: string): Path => ['annotations', 0, k];
const cor = (i: number, k: string): Path => ['corrections', i, k];
const ev = (k: string): Path => ['annotations', 0, 'evidence', 0, k];
const tgt = (k: string): Path => ['annotations', 0, 'target', k];

/** Every mutation of the valid sidecar: [description, path, new value or DELETE]. */
const MUTATIONS: [string, Path, Json | typeof DELETE][] = [
  ['no version', ['version'], DELETE],
  ['version 0', ['version'], 0],
  ['version 2 (newer: read-only, still valid)', ['version'], 2],
  ['version as text', ['version'], '1'],
  ['version 1.5', ['version'], 1.5],
  ['no source', ['source'], DELETE],
  ['empty source', ['source'], ''],
  ['numeric source (read as text)', ['source'], 12],
  ['source as a list', ['source'], ['a']],
  ['hash of another shape', ['hash'], 'sha1:abc'],
  ['hash as a number', ['hash'], 12],
  ['url as a list', ['url'], ['https://x']],
  ['no annotations', ['annotations'], DELETE],
  ['annotations null', ['annotations'], null],
  ['annotations a mapping', ['annotations'], { a: 1 }],
  ['annotation a string', ['annotations', 0], 'note'],
  ['no id', ann('id'), DELETE],
  ['empty id', ann('id'), ''],
  ['numeric id', ann('id'), 7],
  ['no kind', ann('kind'), DELETE],
  ['unknown kind', ann('kind'), 'rumour'],
  ['each kind: question', ann('kind'), 'question'],
  ['each kind: correction', ann('kind'), 'correction'],
  ['no target', ann('target'), DELETE],
  ['target a string', ann('target'), 'minister'],
  ['target without exact', tgt('exact'), DELETE],
  ['target without prefix', tgt('prefix'), DELETE],
  ['target start negative', tgt('start'), -1],
  ['target start fractional', tgt('start'), 1.5],
  ['target start as text', tgt('start'), '4'],
  ['target without end', tgt('end'), DELETE],
  ['target prefix null', tgt('prefix'), null],
  ['target with an unknown key', tgt('selector'), 'css'],
  ['tags a string', ann('tags'), 'budget'],
  ['tags with a mapping', ann('tags'), [{ a: 1 }]],
  ['tags null', ann('tags'), null],
  ['verdict boolean', ann('verdict'), true],
  ['verdict a list', ann('verdict'), ['false']],
  ['verdict null', ann('verdict'), null],
  ['note a number', ann('note'), 1.1],
  ['note a mapping', ann('note'), { a: 1 }],
  ['note null', ann('note'), null],
  ['author a list', ann('author'), ['ana']],
  ['created a number', ann('created'), 2026],
  ['modified a list', ann('modified'), ['x']],
  ['orphan as text', ['annotations', 1, 'orphan'], 'yes'],
  ['orphan false', ['annotations', 1, 'orphan'], false],
  ['claimDate a year', ann('claimDate'), '2026'],
  ['claimDate a month', ann('claimDate'), '2026-02'],
  ['claimDate with time', ann('claimDate'), '2026-02-03T10:00:00Z'],
  ['claimDate in words', ann('claimDate'), 'last Monday'],
  ['claimDate month 13', ann('claimDate'), '2026-13-01'],
  ['claimant a list', ann('claimant'), ['a']],
  ['appearance a mapping', ann('appearance'), { href: 'x' }],
  ['conflict a mapping', ann('conflict'), { note: 'theirs' }],
  ['conflict a list of mappings', ann('conflict'), [{ note: 'a' }, { deleted: true }]],
  ['conflict an empty list', ann('conflict'), []],
  ['conflict a string', ann('conflict'), 'theirs'],
  ['conflict a list with a string', ann('conflict'), [{ note: 'a' }, 'b']],
  ['evidence a mapping', ann('evidence'), { relation: 'supports' }],
  ['evidence null', ann('evidence'), null],
  ['evidence link a string', ['annotations', 0, 'evidence', 0], 'x'],
  ['evidence unknown relation', ev('relation'), 'refutes'],
  ['evidence relation supports', ev('relation'), 'supports'],
  ['evidence relation context', ev('relation'), 'context'],
  ['evidence without source', ev('source'), DELETE],
  ['evidence absolute source', ev('source'), '/etc/passwd'],
  ['evidence windows source', ev('source'), 'C:\\x.txt'],
  ['evidence parent source', ev('source'), 'a/../../x.txt'],
  ['evidence source ending in ..', ev('source'), 'a/..'],
  ['evidence source with dots in a name', ev('source'), 'a/..b/x.txt'],
  ['evidence without target', ev('target'), DELETE],
  ['evidence orphan as text', ev('orphan'), 'no'],
  ['evidence with an unknown key', ev('weight'), 3],
  ['no corrections', ['corrections'], DELETE],
  ['corrections a string', ['corrections'], 'none'],
  ['correction unknown action', cor(0, 'action'), 'rename'],
  ['correction without action', cor(0, 'action'), DELETE],
  ['correction without id', cor(0, 'id'), DELETE],
  ['correction empty id', cor(0, 'id'), ''],
  ['entity-type without type', cor(0, 'type'), DELETE],
  ['entity-type unknown type', cor(0, 'type'), 'animal'],
  ['each type: date', cor(0, 'type'), 'date'],
  ['scope everywhere', cor(0, 'scope'), 'everywhere'],
  ['scope null', cor(0, 'scope'), null],
  ['merge without canonical', cor(1, 'canonical'), DELETE],
  ['merge with empty canonical', cor(1, 'canonical'), ''],
  ['speaker without speaker', cor(3, 'speaker'), DELETE],
  ['correction without target', cor(2, 'target'), DELETE],
  ['correction orphan as text', cor(2, 'orphan'), 'x'],
  ['top-level conflict a list of mappings', ['conflict'], [{ key: 'source', theirs: 'b.txt' }]],
  ['top-level conflict a mapping', ['conflict'], { key: 'source', deleted: true }],
  ['unknown top-level key', ['x-review'], { by: 'ana' }],
  ['an annotation with an unknown key', ['annotations', 0, 'x-priority'], 'high'],
];

/**
 * Rules only the codec states, because JSON Schema cannot compare two values or check a list's
 * elements against each other. Each is a rejection by the codec of a file the schema accepts.
 */
const CODEC_ONLY: [string, Path, Json][] = [
  ['target end before start', tgt('end'), 2],
];

/**
 * A plain `null` or `~` where text is required: the codec reads the text as typed ("null"), while the
 * schema sees JSON's null, which is also what an empty value is. Both readings are stated here.
 */
const TEXT_AS_TYPED: [string, Path, Json][] = [
  ['target exact null', tgt('exact'), null],
  ['a null tag', ann('tags'), ['a', null]],
];

describe('sidecar JSON Schema and codec agree', () => {
  const schemaAccepts = (doc: Json): boolean => validate(doc) as boolean;
  const codecAccepts = (doc: Json): { ok: boolean; message?: string } => {
    const r = parseSidecar(stringify(doc));
    return r.ok ? { ok: true } : { ok: false, message: r.error.message };
  };

  it('both accept the valid sidecar', () => {
    assert.equal(schemaAccepts(base()), true, JSON.stringify(validate.errors));
    assert.deepEqual(codecAccepts(base()), { ok: true });
  });

  it(`accept and reject the same ${MUTATIONS.length} mutations`, () => {
    const disagreements: string[] = [];
    let accepted = 0;
    for (const [what, path, value] of MUTATIONS) {
      const doc = mutate(path, value);
      const s = schemaAccepts(doc);
      const c = codecAccepts(doc);
      if (s) accepted++;
      if (s !== c.ok) disagreements.push(`${what}: schema ${s ? 'accepts' : `rejects (${JSON.stringify(validate.errors?.[0])})`}, codec ${c.ok ? 'accepts' : `rejects (${c.message})`}`);
    }
    assert.deepEqual(disagreements, []);
    // The corpus has both sides: a test that only ever accepts (or rejects) would prove nothing.
    assert.ok(accepted > 15 && accepted < MUTATIONS.length - 30, `accepted ${accepted} of ${MUTATIONS.length}`);
  });

  it('a plain null where text is required: the codec reads the text typed, the schema sees null', () => {
    for (const [what, path, value] of TEXT_AS_TYPED) {
      const doc = mutate(path, value);
      assert.equal(schemaAccepts(doc), false, what);
      assert.equal(codecAccepts(doc).ok, true, what);
      // An empty value is null for both: the codec rejects it as missing.
      const empty = stringify(doc).replace(/: null$|- null$/m, (m) => m.slice(0, -5).trimEnd());
      assert.equal(parseSidecar(empty).ok, false, `${what} (empty)`);
    }
  });

  it('the codec alone rejects what JSON Schema cannot state', () => {
    for (const [what, path, value] of CODEC_ONLY) {
      const doc = mutate(path, value);
      assert.equal(schemaAccepts(doc), true, what);
      assert.equal(codecAccepts(doc).ok, false, what);
    }
  });
});
