import { strict as assert } from 'node:assert';
import { makeTarget } from '../../../src/core/anchor';
import { applyCorrections } from '../../../src/core/corrections';
import { OffsetMap } from '../../../src/core/interchange/codepoints';
import { bratAnnotationConf } from '../../../src/core/interchange/brat';
import { CSV_COLUMNS, EARLIER_CSV_HEADERS, parseCsv } from '../../../src/core/interchange/csv';
import { exportSource } from '../../../src/core/interchange/export';
import { importIntoSidecar, readInterchange } from '../../../src/core/interchange/import';
import { isOwnExport } from '../../../src/core/interchange/marker';
import { QuoteIndex } from '../../../src/core/quotecheck';
import { emptySidecar, type Correction, type Sidecar } from '../../../src/core/sidecar';
import type { Analysis, Quote } from '../../../src/core/types';
import { formatTable, scanJson } from '../../../src/cli/scan';
import { ann, spanOf } from './helpers';

// Reported speech (kind `indirect`) and a quotation-mark fragment of a reported statement (partOf),
// carried by every export; the imports skip them as recognition records (recognition recomputes them).
const TEXT =
  'The minister said the harbour 🌊 plan would fail. According to the Fishers’ Union, 4,000 boats are idle.\n\n' +
  'Jane Okafor told reporters that the plan was “a disaster for everyone” and would be withdrawn.\n';

function analysis(): Analysis {
  const at = (needle: string) => {
    const [start, end] = spanOf(TEXT, needle);
    return { start, end };
  };
  const jane = at('Jane Okafor');
  const union = at('Fishers’ Union');
  const mentions = [
    { ...jane, type: 'person' as const, text: 'Jane Okafor', canonical: 'Jane Okafor', entityId: 'person:jane-okafor', confidence: 0.9 },
    { ...union, type: 'organization' as const, text: 'Fishers’ Union', canonical: 'Fishers’ Union', entityId: 'org:fishers-union', confidence: 0.9 },
  ];
  const entities = mentions.map((m) => ({ id: m.entityId, type: m.type, canonical: m.canonical, aliases: [m.text], roles: [], mentions: [{ start: m.start, end: m.end }] }));
  const quotes: Quote[] = [
    { ...at('the harbour 🌊 plan would fail'), kind: 'indirect', speaker: { ...at('The minister'), name: 'The minister', via: 'description' }, cue: at('said'), confidence: 0.8 },
    { ...at('4,000 boats are idle'), kind: 'indirect', speaker: { ...union, name: 'Fishers’ Union', entityId: 'org:fishers-union', via: 'organization' }, cue: at('According to'), confidence: 0.7 },
    { ...at('the plan was “a disaster for everyone” and would be withdrawn'), kind: 'indirect', speaker: { ...jane, name: 'Jane Okafor', entityId: 'person:jane-okafor', via: 'name' }, cue: at('told reporters that'), confidence: 0.9 },
    { ...at('“a disaster for everyone”'), kind: 'partial', speaker: { ...jane, name: 'Jane Okafor', entityId: 'person:jane-okafor', via: 'name' }, cue: null, confidence: 0.9, partOf: 2 },
  ];
  return { mentions, entities, quotes };
}

const NOTE = () => ann(TEXT, '01JDQ5N8W9X3Y2Z1A0B4C6D8F1', 'claim', '4,000 boats', { note: 'Check the union’s count.', verdict: 'unverified' });

function source() {
  return { path: 'harbour-reported.txt', text: TEXT, annotations: [NOTE()], analysis: analysis() };
}

/** What a quotation carries that every format must keep (UTF-16 offsets, as in the core). */
function shape(q: Quote) {
  return {
    kind: q.kind,
    start: q.start,
    end: q.end,
    speaker: q.speaker ? { start: q.speaker.start, end: q.speaker.end } : null,
    cue: q.cue ? { start: q.cue.start, end: q.cue.end } : null,
    partOf: q.partOf,
  };
}

function sidecarWithNote(): Sidecar {
  return { ...emptySidecar('harbour-reported.txt'), annotations: [NOTE()] };
}

describe('interchange: attributions (reported speech) and fragments of reported statements', () => {
  it('W3C carries kind indirect, the speaker, the cue and partOf; the import skips them and keeps the user’s annotations', () => {
    const src = source();
    const json = exportSource('w3c', src);
    const doc = JSON.parse(json) as { first: { items: Record<string, unknown>[] } };
    const map = new OffsetMap(TEXT);
    const records = doc.first.items.filter((x) => x['marginalia:record'] === 'quote');
    assert.equal(records.length, 4);
    const position = (sel: unknown) => {
      const p = (sel as { type: string; start: number; end: number }[]).find((s) => s.type === 'TextPositionSelector')!;
      return { start: map.toUnit(p.start), end: map.toUnit(p.end) };
    };
    const index = (iri: unknown) => (typeof iri === 'string' ? Number(iri.slice(iri.lastIndexOf(':') + 1)) : undefined);
    const back = records.map((r) => ({
      kind: r['marginalia:quoteKind'] as Quote['kind'],
      ...position((r.target as { selector: unknown }).selector),
      speaker: r['marginalia:saidBy'] ? position((r['marginalia:saidBy'] as { selector: unknown }).selector) : null,
      cue: r['marginalia:cue'] ? position((r['marginalia:cue'] as { selector: unknown }).selector) : null,
      partOf: index(r['marginalia:partOf']),
    }));
    assert.deepEqual(back, src.analysis.quotes.map(shape));
    // described as reported speech, said by the speaker
    const bodies = JSON.stringify(records[0].body);
    assert.match(bodies, /reported speech/);
    assert.match(bodies, /said by The minister/);
    assert.equal((records[1]['marginalia:saidBy'] as { via: string }).via, 'organization');
    // import: the recognition records are counted and skipped, the claim comes back as it was
    const imported = readInterchange('w3c', json, TEXT, src.path);
    assert.deepEqual(imported.warnings, []);
    assert.equal(imported.skipped, 2 + 4);
    assert.equal(imported.annotations.length, 1);
    const merged = importIntoSidecar(sidecarWithNote(), imported, TEXT, () => 'NEW');
    assert.deepEqual(merged.unchanged, [NOTE().id]);
    assert.deepEqual(merged.added, []);
  });

  it('W3C keeps nesting (nestedIn) apart from belonging to a reported statement (partOf)', () => {
    const src = source();
    const [s, e] = spanOf(TEXT, 'disaster');
    src.analysis.quotes.push({ start: s, end: e, kind: 'scare', speaker: null, cue: null, confidence: 0.5, parent: 3 });
    const items = (JSON.parse(exportSource('w3c', src)) as { first: { items: Record<string, unknown>[] } }).first.items.filter((x) => x['marginalia:record'] === 'quote');
    assert.match(String(items[4]['marginalia:nestedIn']), /:3$/);
    assert.equal(items[4]['marginalia:partOf'], undefined);
    assert.match(String(items[3]['marginalia:partOf']), /:2$/);
    assert.equal(items[3]['marginalia:nestedIn'], undefined);
  });

  it('brat: Quotation with QuoteKind indirect, SaidBy, CuedBy and PartOf relations; declared in annotation.conf; the import skips them', () => {
    const src = source();
    const out = exportSource('brat', src);
    const map = new OffsetMap(TEXT);
    const t = new Map<string, { label: string; start: number; end: number }>();
    const kinds = new Map<string, string>();
    const rel = new Map<string, Map<string, string>>();
    for (const line of out.split('\n')) {
      const cols = line.split('\t');
      if (/^T\d+$/.test(cols[0])) {
        const [label, ...offs] = cols[1].split(/[ ;]/);
        const nums = offs.map(Number);
        t.set(cols[0], { label, start: map.toUnit(Math.min(...nums)), end: map.toUnit(Math.max(...nums)) });
      } else if (/^A\d+$/.test(cols[0])) {
        const [name, id, value] = cols[1].split(' ');
        if (name === 'QuoteKind') kinds.set(id, value);
      } else if (/^R\d+$/.test(cols[0])) {
        const [name, a1, a2] = cols[1].split(' ');
        const from = a1.replace('Arg1:', '');
        if (!rel.has(from)) rel.set(from, new Map());
        rel.get(from)!.set(name, a2.replace('Arg2:', ''));
      }
    }
    const quotations = [...t].filter(([, v]) => v.label === 'Quotation').map(([id]) => id);
    const span = (id: string | undefined) => (id ? { start: t.get(id)!.start, end: t.get(id)!.end } : null);
    const back = quotations.map((id) => {
      const r = rel.get(id) ?? new Map<string, string>();
      const part = r.get('PartOf');
      return { kind: kinds.get(id), ...span(id)!, speaker: span(r.get('SaidBy')), cue: span(r.get('CuedBy')), partOf: part ? quotations.indexOf(part) : undefined };
    });
    assert.deepEqual(back, src.analysis.quotes.map(shape));
    // every cue is a Cue; a description as speaker is a Speaker (with its name as a note)
    assert.deepEqual([...new Set([...rel.values()].map((r) => r.get('CuedBy')).filter(Boolean).map((id) => t.get(id!)!.label))], ['Cue']);
    assert.match(out, /AnnotatorNotes T\d+\tThe minister/);
    const conf = bratAnnotationConf();
    assert.match(conf, /QuoteKind\tArg:Quotation, Value:full\|partial\|scare\|block\|indirect/);
    assert.match(conf, /^PartOf\tArg1:Quotation, Arg2:Quotation$/m);
    assert.match(conf, /^CuedBy\tArg1:Quotation, Arg2:Cue$/m);
    assert.match(conf, /^Cue$/m);
    // import: entities, quotations, speakers and cues are skipped, the claim kept
    const imported = readInterchange('brat', out, TEXT);
    assert.deepEqual(imported.warnings, []);
    assert.equal(imported.annotations.length, 1);
    assert.equal(imported.annotations[0].verdict, 'unverified');
    assert.equal(imported.skipped, t.size - 1);
    assert.deepEqual(importIntoSidecar(sidecarWithNote(), imported, TEXT, () => 'NEW').unchanged, [NOTE().id]);
  });

  it('CSV: kind indirect, the cue, part_of and nested_in; an earlier header is still recognised as our export', () => {
    const out = exportSource('csv', source());
    const rows = parseCsv(out);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const quotes = rows.filter((r) => r[col('record')] === 'quote');
    assert.deepEqual(quotes.map((r) => [r[col('id')], r[col('kind')], r[col('speaker')], r[col('attributed_via')], r[col('cue')], r[col('part_of')]]), [
      ['q0', 'indirect', 'The minister', 'description', 'said', ''],
      ['q1', 'indirect', 'Fishers’ Union', 'organization', 'According to', ''],
      ['q2', 'indirect', 'Jane Okafor', 'name', 'told reporters that', ''],
      ['q3', 'partial', 'Jane Okafor', 'name', '', 'q2'],
    ]);
    const map = new OffsetMap(TEXT);
    const cue = quotes[1];
    assert.equal(TEXT.slice(map.toUnit(Number(cue[col('cue_start')])), map.toUnit(Number(cue[col('cue_end')]))), 'According to');
    assert.equal(TEXT.slice(map.toUnit(Number(quotes[0][col('start')])), map.toUnit(Number(quotes[0][col('end')]))), 'the harbour 🌊 plan would fail');
    assert.ok(isOwnExport('csv', out));
    assert.ok(isOwnExport('csv', `${EARLIER_CSV_HEADERS[0]}\r\n`), 'a CSV exported before the new columns may still be replaced');
    assert.ok(!isOwnExport('csv', 'source,record,id\r\n'));
  });

  it('Markdown: reported statements listed under their speaker as reported speech; a fragment says which statement it is part of', () => {
    const src = source();
    src.analysis.quotes[0].speaker!.name = 'The *minister* [x](javascript:alert(1))';
    const md = exportSource('md', src);
    assert.match(md, /1 annotation, 1 quotation, 3 reported statements, 2 entities\./);
    assert.match(md, /_reported speech, line 1, description: “The minister”, cue “said”_/);
    assert.match(md, /_partial, line 3, name: “Jane Okafor”, part of a reported statement \(line 3\)_/);
    assert.match(md, /### The \\\*minister\\\* \\\[x\\\]\\\(javascript\\:alert\\\(1\\\)\\\)/);
    assert.ok(!/\]\(javascript/.test(md), 'the speaker name stays inert');
  });

  it('scan --json passes kind, cue and partOf through; the table counts reported statements', () => {
    const a = analysis();
    const rec = JSON.parse(scanJson('harbour-reported.txt', a)) as { quotes: Quote[] };
    assert.deepEqual(rec.quotes.map(shape), a.quotes.map(shape));
    assert.equal(rec.quotes[1].speaker?.via, 'organization');
    const table = formatTable('harbour-reported.txt', TEXT, a);
    assert.match(table, /2 mentions of 2 entities, 1 quotations, 3 reported statements/);
    assert.match(table, /1:19 +indirect +The minister +the harbour 🌊 plan would fail/);
  });

  it('the quotation check leaves reported speech out: only words in quotation marks are compared', () => {
    const index = new QuoteIndex();
    index.setSource('a.txt', { text: TEXT, primary: false, quotes: analysis().quotes });
    assert.deepEqual(index.check('a.txt').map((c) => c.text), ['“a disaster for everyone”']);
    assert.deepEqual(index.bySpeaker().map((g) => [g.name, g.quotes.length]), [['Jane Okafor', 1]]);
  });

  it('a speaker correction on a reported statement lands on it, not on a fragment listed before it', () => {
    const a = analysis();
    // a recogniser may list the marked fragment before the statement it is part of
    const [statement, fragment] = [a.quotes[2], a.quotes[3]];
    a.quotes = [a.quotes[0], a.quotes[1], { ...fragment, partOf: 3 }, statement];
    const c = { id: 'c1', action: 'speaker', speaker: 'The minister', target: makeTarget(TEXT, statement.start, statement.end) } as Correction;
    const out = applyCorrections(TEXT, a, [c]);
    assert.equal(out.quotes[3].speaker?.name, 'The minister');
    assert.equal(out.quotes[2].speaker?.name, 'Jane Okafor');
    // and one on the fragment lands on the fragment
    const c2 = { id: 'c2', action: 'speaker', speaker: 'Nobody Else', target: makeTarget(TEXT, fragment.start, fragment.end) } as Correction;
    const out2 = applyCorrections(TEXT, a, [c2]);
    assert.equal(out2.quotes[2].speaker?.name, 'Nobody Else');
    assert.equal(out2.quotes[3].speaker?.name, 'Jane Okafor');
  });
});
