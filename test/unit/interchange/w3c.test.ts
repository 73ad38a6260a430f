import { strict as assert } from 'node:assert';
import type { W3CAnnotation } from '../../../src/core/interchange/w3c';
import { toW3C } from '../../../src/core/interchange/w3cExport';
import { fromW3C } from '../../../src/core/interchange/w3cImport';
import { importIntoSidecar, readInterchange } from '../../../src/core/interchange/import';
import { emptySidecar, normalizeText } from '../../../src/core/sidecar/model';
import { HARBOUR, cpSlice, sampleAnalysis, sampleAnnotations } from './helpers';

const items = (text: string, withAnalysis = true) =>
  toW3C({ path: 'news/harbour.txt', text, annotations: sampleAnnotations(text), analysis: withAnalysis ? sampleAnalysis(text) : undefined }).first.items;

function selector(a: W3CAnnotation, type: string): Record<string, unknown> {
  const t = a.target as { selector: Array<Record<string, unknown>> };
  return t.selector.find((s) => s.type === type)!;
}

let counter = 0;
const newId = () => `NEW${String(++counter).padStart(4, '0')}`;

describe('interchange: W3C Web Annotation', () => {
  it('writes an AnnotationCollection with the W3C context', () => {
    const c = toW3C({ path: 'a.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR) });
    assert.equal(c.type, 'AnnotationCollection');
    assert.ok(Array.isArray(c['@context']) && (c['@context'] as unknown[])[0] === 'http://www.w3.org/ns/anno.jsonld');
    assert.equal(c.total, 7);
    assert.equal(c.first.items.length, 7);
  });

  it('maps kinds to motivations and tags/verdicts to bodies', () => {
    const byId = new Map(items(HARBOUR, false).map((a) => [a.id.split(':').pop(), a]));
    const mot = (id: string) => byId.get(id)!.motivation;
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E1'), 'commenting');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E2'), 'assessing');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E3'), 'questioning');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E4'), 'assessing');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E5'), 'tagging');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E6'), 'linking');
    assert.equal(mot('01JDQ5N8W9X3Y2Z1A0B4C6D8E7'), 'editing');
    const claim = byId.get('01JDQ5N8W9X3Y2Z1A0B4C6D8E2')!;
    const bodies = claim.body as Array<{ purpose: string; value: string }>;
    assert.deepEqual(bodies.filter((b) => b.purpose === 'tagging').map((b) => b.value), ['numbers', 'to check']);
    assert.deepEqual(bodies.filter((b) => b.purpose === 'assessing').map((b) => b.value), ['mostly true']);
    const note = byId.get('01JDQ5N8W9X3Y2Z1A0B4C6D8E1')!;
    assert.deepEqual(note.creator, { type: 'Person', name: 'Ada' });
    assert.equal(note.created, '2026-11-28T03:00:00.000Z');
    assert.equal(note.modified, '2026-11-28T03:05:00.000Z');
  });

  it('positions are code points: slicing the code points gives the exact text (emoji before and inside)', () => {
    for (const a of items(HARBOUR)) {
      const pos = selector(a, 'TextPositionSelector');
      const quote = selector(a, 'TextQuoteSelector');
      assert.equal(cpSlice(HARBOUR, pos.start as number, pos.end as number), quote.exact, a.id);
    }
    const tag = items(HARBOUR, false).find((a) => a.id.endsWith('E5'))!;
    const utf16Start = HARBOUR.indexOf('👩‍👩‍👧 Families');
    // Two 🌊 before it: the code-point start is two less than the UTF-16 start.
    assert.equal(selector(tag, 'TextPositionSelector').start, utf16Start - 2);
  });

  it('exports entities and quotations, quotations with a said-by link to the speaker', () => {
    const all = items(HARBOUR);
    const mentions = all.filter((a) => a['marginalia:record'] === 'mention');
    const quotes = all.filter((a) => a['marginalia:record'] === 'quote');
    assert.equal(mentions.length, 6);
    assert.equal(quotes.length, 3);
    const okafor = mentions.find((a) => selector(a, 'TextQuoteSelector').exact === 'Jane Okafor')!;
    const saidBy = quotes[0]['marginalia:saidBy'] as Record<string, unknown>;
    assert.equal(saidBy.id, okafor['marginalia:entity']);
    assert.equal(saidBy.name, 'Jane Okafor');
    const pronoun = quotes[1]['marginalia:saidBy'] as { selector: Array<Record<string, unknown>> };
    assert.equal(pronoun.selector.find((s) => s.type === 'TextQuoteSelector')!.exact, 'she');
    assert.equal(quotes[2]['marginalia:saidBy'], undefined);
  });

  it('round trip: export → import gives the same annotations', () => {
    const anns = sampleAnnotations(HARBOUR);
    const json = JSON.stringify(toW3C({ path: 'harbour.txt', text: HARBOUR, annotations: anns, analysis: sampleAnalysis(HARBOUR) }));
    const read = readInterchange('w3c', json, HARBOUR, 'harbour.txt');
    assert.equal(read.skipped, 9, 'entity and quotation records are skipped');
    assert.deepEqual(read.warnings, []);
    const r = importIntoSidecar(emptySidecar('harbour.txt'), read, HARBOUR, newId);
    assert.deepEqual(r.sidecar.annotations, anns);
    // Importing again changes nothing.
    const again = importIntoSidecar(r.sidecar, read, HARBOUR, newId);
    assert.deepEqual(again.unchanged.length, 7);
    assert.deepEqual(again.added, []);
  });

  it('BOM and CRLF do not shift positions: the same export from LF, CRLF and BOM+CRLF files', () => {
    const lf = HARBOUR;
    const crlf = '\ufeff' + HARBOUR.replace(/\n/g, '\r\n');
    const text = normalizeText(crlf);
    assert.equal(text, lf);
    assert.deepEqual(toW3C({ path: 'h.txt', text, annotations: sampleAnnotations(text) }), toW3C({ path: 'h.txt', text: lf, annotations: sampleAnnotations(lf) }));
  });

  it('imports a W3C file written on CRLF text into the LF-normalised text', () => {
    const crlfText = HARBOUR.replace(/\n/g, '\r\n');
    // A foreign tool counted the CRLF text: positions are off, the quote has \r\n.
    const exported = toW3C({ path: 'h.txt', text: crlfText, annotations: [{ id: 'X1', kind: 'note', target: { exact: 'reckless”.\r\n\r\nThe council', prefix: '', suffix: '', start: crlfText.indexOf('reckless”.'), end: crlfText.indexOf(' approved') } }] });
    const read = fromW3C(exported, HARBOUR);
    const r = importIntoSidecar(emptySidecar('h.txt'), read, HARBOUR, newId);
    const t = r.sidecar.annotations[0].target;
    assert.equal(HARBOUR.slice(t.start, t.end), 'reckless”.\n\nThe council');
    assert.deepEqual(r.orphans, []);
  });

  it('re-anchors imported annotations when the text changed since the export', () => {
    const anns = sampleAnnotations(HARBOUR);
    const json = JSON.stringify(toW3C({ path: 'h.txt', text: HARBOUR, annotations: anns }));
    const edited = 'BREAKING 🚨 — ' + HARBOUR.replace('Harbour Council', 'The Harbour Council');
    const r = importIntoSidecar(emptySidecar('h.txt'), readInterchange('w3c', json, edited), edited, newId);
    assert.deepEqual(r.orphans, []);
    for (const a of r.sidecar.annotations) {
      const orig = anns.find((x) => x.id === a.id)!;
      assert.equal(edited.slice(a.target.start, a.target.end), orig.target.exact);
    }
  });

  it('keeps an annotation whose text is gone as an orphan, never drops it', () => {
    const json = JSON.stringify(toW3C({ path: 'h.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR) }));
    const edited = HARBOUR.replace('Port Ellis, 12 March 2024 —\n\n', '');
    const r = importIntoSidecar(emptySidecar('h.txt'), readInterchange('w3c', json, edited), edited, newId);
    assert.equal(r.sidecar.annotations.length, 7);
    assert.deepEqual(r.orphans, ['01JDQ5N8W9X3Y2Z1A0B4C6D8E6']);
    const orphan = r.sidecar.annotations.find((a) => a.id === '01JDQ5N8W9X3Y2Z1A0B4C6D8E6')!;
    assert.equal(orphan.orphan, true);
    assert.equal(orphan.target.exact, 'Port Ellis');
  });

  it('reads foreign annotations: motivation → kind, bodyValue, creator string, IRI ids, a single annotation', () => {
    const text = 'The minister said the budget was balanced.';
    const foreign = [
      { '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'https://hyp.example/a/abc123', type: 'Annotation', motivation: 'questioning', bodyValue: 'Really?', creator: 'https://hyp.example/u/bob', target: { source: 'https://x/doc', selector: { type: 'TextQuoteSelector', exact: 'budget was balanced' } } },
      { id: 'urn:uuid:5', type: 'Annotation', motivation: 'oa:assessing', body: [{ type: 'TextualBody', value: 'false', purpose: 'assessing' }], target: { selector: [{ type: 'TextPositionSelector', start: 4, end: 12 }] } },
      { type: 'Annotation', motivation: 'bookmarking', target: 'https://x/doc' },
    ];
    const r = fromW3C(foreign, text);
    assert.equal(r.annotations.length, 2);
    assert.equal(r.warnings.length, 1);
    const [q, v] = r.annotations;
    assert.equal(q.kind, 'question');
    assert.equal(q.note, 'Really?');
    assert.equal(q.author, 'https://hyp.example/u/bob');
    assert.equal(q.id, 'abc123');
    assert.equal(v.kind, 'verdict');
    assert.equal(v.verdict, 'false');
    assert.equal(v.target.exact, 'minister');
    const one = fromW3C(foreign[0], text);
    assert.equal(one.annotations.length, 1);
  });

  it('keeps only the annotations of the named source when a file holds several', () => {
    const a = toW3C({ path: 'a.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR).slice(0, 2) });
    const b = toW3C({ path: 'b.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR).slice(2, 3) });
    const r = fromW3C([a, b], HARBOUR, 'b.txt');
    assert.equal(r.annotations.length, 1);
    assert.equal(r.skipped, 2);
  });

  it('exports an orphan with its quote only (no position)', () => {
    const anns = sampleAnnotations(HARBOUR);
    const c = toW3C({ path: 'h.txt', text: HARBOUR, annotations: anns, orphans: new Set([anns[0].id]) });
    const o = c.first.items[0];
    assert.equal(o['marginalia:orphan'], true);
    const sels = (o.target as { selector: Array<{ type: string }> }).selector.map((s) => s.type);
    assert.deepEqual(sels, ['TextQuoteSelector']);
  });
});
