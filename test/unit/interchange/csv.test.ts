import { strict as assert } from 'node:assert';
import { CSV_COLUMNS, csvField, parseCsv, toCsv } from '../../../src/core/interchange/csv';
import { HARBOUR, cpSlice, sampleAnalysis, sampleAnnotations } from './helpers';

describe('interchange: CSV', () => {
  it('quotes per RFC 4180: commas, double quotes, CR and LF; plain fields stay bare', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(12, true, false), '12');
  });

  it('guards cells that a spreadsheet would run as formulas', () => {
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvField('@cmd'), "'@cmd");
    assert.equal(csvField('-2+3', true, true), "'-2+3");
    assert.equal(csvField('=x', false), '=x');
  });

  it('writes a header and one row per annotation, mention and quotation, CRLF-terminated; parses back', () => {
    const anns = sampleAnnotations(HARBOUR);
    const out = toCsv({ path: 'harbour.txt', text: HARBOUR, annotations: anns, analysis: sampleAnalysis(HARBOUR) });
    assert.ok(out.endsWith('\r\n'));
    const rows = parseCsv(out);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 1 + 7 + 6 + 3);
    for (const r of rows.slice(1)) assert.equal(r.length, CSV_COLUMNS.length);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    const records = rows.slice(1).map((r) => r[col('record')]);
    assert.deepEqual([...new Set(records)], ['annotation', 'mention', 'quote']);
    // The note with a newline, quotes and commas comes back intact.
    const first = rows[1];
    assert.equal(first[col('note')], anns[0].note);
    assert.equal(first[col('tags')], '');
    assert.equal(rows[2][col('tags')], 'numbers; to check');
    assert.equal(rows[2][col('note')], "'=SUM(A1) is not a formula here");
    // Code-point offsets.
    for (const r of rows.slice(1)) {
      if (r[col('start')] === '') continue;
      assert.equal(cpSlice(HARBOUR, Number(r[col('start')]), Number(r[col('end')])), r[col('exact')]);
    }
  });

  it('without a header row for appending sources', () => {
    const out = toCsv({ path: 'h.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR).slice(0, 1) }, { header: false });
    assert.equal(parseCsv(out).length, 1);
  });
});
