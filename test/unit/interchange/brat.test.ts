import { strict as assert } from 'node:assert';
import { escapeNote, fromBrat, toBrat, unescapeNote } from '../../../src/core/interchange/brat';
import { importIntoSidecar } from '../../../src/core/interchange/import';
import { emptySidecar, normalizeText } from '../../../src/core/sidecar/model';
import { HARBOUR, cpSlice, sampleAnalysis, sampleAnnotations } from './helpers';

interface TLine {
  id: string;
  label: string;
  frags: number[][];
  text: string;
}

function tLines(ann: string): TLine[] {
  return ann
    .split('\n')
    .filter((l) => l.startsWith('T'))
    .map((l) => {
      const [id, mid, text] = l.split('\t');
      const sp = mid.indexOf(' ');
      const frags = mid.slice(sp + 1).split(';').map((f) => f.split(' ').map(Number));
      return { id, label: mid.slice(0, sp), frags, text };
    });
}

let n = 0;
const newId = () => `B${++n}`;

describe('interchange: brat standoff', () => {
  const ann = toBrat({ path: 'harbour.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR), analysis: sampleAnalysis(HARBOUR) });
  const lines = ann.trimEnd().split('\n');

  it('every line is a well-formed brat line (T, R, A, N, #) with tab-separated fields', () => {
    for (const l of lines) assert.match(l, /^(T\d+\t\S+ \d+ \d+(;\d+ \d+)*\t[^\t\n]*|R\d+\t(?:SaidBy|CuedBy|PartOf|NestedIn) Arg1:T\d+ Arg2:T\d+|A\d+\t\S+ T\d+( \S+)?|N\d+\tReference T\d+ \S+:\S+\t.*|#\d+\t\S+ T\d+\t.*)$/, l);
  });

  it('T offsets are code points: each fragment slices to its text, across emoji', () => {
    for (const t of tLines(ann)) {
      const joined = t.frags.map(([s, e]) => cpSlice(HARBOUR, s, e)).join(' ');
      assert.equal(joined, t.text, `${t.id} ${t.label}`);
    }
  });

  it('writes entities, quotations and annotations as T lines', () => {
    const labels = tLines(ann).map((t) => t.label);
    for (const l of ['Person', 'Organization', 'Place', 'Date', 'Number', 'Quotation', 'Speaker', 'Note', 'Claim', 'Question', 'Verdict', 'Tag', 'Link', 'Correction']) {
      assert.ok(labels.includes(l), l);
    }
  });

  it('splits a multi-line span into fragments without the line breaks', () => {
    const corr = tLines(ann).find((t) => t.label === 'Correction')!;
    assert.equal(corr.frags.length, 2);
    assert.equal(corr.text, 'reckless”. The council');
  });

  it('relates quotations to their speakers with SaidBy (mention or Speaker span)', () => {
    const ts = new Map(tLines(ann).map((t) => [t.id, t]));
    const rels = lines.filter((l) => /^R\d+\tSaidBy /.test(l)).map((l) => /Arg1:(T\d+) Arg2:(T\d+)/.exec(l)!.slice(1));
    assert.equal(rels.length, 2, 'the scare quote has no speaker');
    assert.deepEqual(rels.map(([q, s]) => [ts.get(q)!.label, ts.get(s)!.label, ts.get(s)!.text]), [
      ['Quotation', 'Person', 'Jane Okafor'],
      ['Quotation', 'Speaker', 'she'],
    ]);
  });

  it('relates quotations to their cues with CuedBy (a Cue span)', () => {
    const ts = new Map(tLines(ann).map((t) => [t.id, t]));
    const rels = lines.filter((l) => /^R\d+\tCuedBy /.test(l)).map((l) => /Arg1:(T\d+) Arg2:(T\d+)/.exec(l)!.slice(1));
    assert.deepEqual(rels.map(([q, c]) => [ts.get(q)!.label, ts.get(c)!.label, ts.get(c)!.text]), [['Quotation', 'Cue', 'said']]);
  });

  it('carries verdicts as attributes, notes as AnnotatorNotes, entity canonical names as N', () => {
    assert.ok(lines.some((l) => /^A\d+\tVerdict T\d+ mostly_true$/.test(l)));
    assert.ok(lines.some((l) => /^A\d+\tVerdict T\d+ misleading$/.test(l)));
    assert.ok(lines.some((l) => /^A\d+\tQuoteKind T\d+ scare$/.test(l)));
    assert.ok(lines.some((l) => l.includes('AnnotatorNotes') && l.endsWith('Emoji inside the quote.\\nSecond line, with "quotes", commas.')));
    assert.ok(lines.some((l) => /^N\d+\tReference T\d+ Marginalia:person:jane-okafor\tJane Okafor$/.test(l)));
  });

  it('note escaping round-trips backslashes, newlines and tabs', () => {
    const s = 'a\\nb\nc\td\\\\e\r\n';
    assert.ok(!escapeNote(s).includes('\n'));
    assert.equal(unescapeNote(escapeNote(s)), s);
  });

  it('round trip: export → import gives the same annotations', () => {
    const anns = sampleAnnotations(HARBOUR);
    const read = fromBrat(ann, HARBOUR);
    assert.deepEqual(read.warnings, []);
    assert.equal(read.skipped, 6 + 3 + 1 + 1); // mentions, quotations, a Speaker, a Cue
    const r = importIntoSidecar(emptySidecar('harbour.txt'), read, HARBOUR, newId);
    assert.deepEqual(r.sidecar.annotations, anns);
  });

  it('CRLF and BOM: the .ann is the same as for the LF file, and imports into it', () => {
    const raw = '\ufeff' + HARBOUR.replace(/\n/g, '\r\n');
    const text = normalizeText(raw);
    const again = toBrat({ path: 'harbour.txt', text, annotations: sampleAnnotations(text), analysis: sampleAnalysis(text) });
    assert.equal(again, ann);
  });

  it('re-anchors by the T text when the source changed since the export', () => {
    const edited = 'Update 🆕: ' + HARBOUR;
    const r = importIntoSidecar(emptySidecar('h.txt'), fromBrat(ann, edited), edited, newId);
    assert.deepEqual(r.orphans, []);
    for (const a of r.sidecar.annotations) {
      const orig = sampleAnnotations(HARBOUR).find((x) => x.id === a.id)!;
      assert.equal(edited.slice(a.target.start, a.target.end), orig.target.exact, a.id);
    }
  });

  it('reads a hand-written .ann from another tool (no meta lines): kinds from labels, fresh ids', () => {
    const text = 'Mayor 🌊 Jane Okafor said so.';
    const r = fromBrat('T1\tPerson 8 19\tJane Okafor\nT2\tQuestion 0 5\tMayor\n#1\tAnnotatorNotes T2\tWhich mayor?\nA1\tVerdict T2 unverified\n', text);
    assert.equal(r.skipped, 1);
    assert.equal(r.annotations.length, 1);
    const q = r.annotations[0];
    assert.equal(q.kind, 'question');
    assert.equal(q.id, undefined);
    assert.equal(q.note, 'Which mayor?');
    assert.equal(q.verdict, 'unverified');
    assert.equal(q.target.exact, 'Mayor');
  });

  it('reports malformed lines instead of failing', () => {
    const r = fromBrat('T1\tNote x y\tfoo\nT2 broken\n', HARBOUR);
    assert.equal(r.annotations.length, 0);
    assert.equal(r.warnings.length, 2);
  });

  it('leaves orphans out (no position in brat)', () => {
    const anns = sampleAnnotations(HARBOUR);
    const out = toBrat({ path: 'h.txt', text: HARBOUR, annotations: anns, orphans: new Set([anns[1].id]) });
    assert.equal(tLines(out).length, 6);
    assert.ok(!out.includes(anns[1].id));
  });
});
