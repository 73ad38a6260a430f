import { strict as assert } from 'node:assert';
import type { CaseResult } from '../../../bench/lib/harness';
import { formatValue, renderResults, renderSummary } from '../../../bench/lib/report';
import { applyEdits, makeAnnotations, makeOutsideEdits, shiftOffset } from '../../../bench/lib/fixtures';

const base = { metrics: [], goals: [], notes: [], seconds: 1 };

describe('bench report', () => {
  it('formats values by unit', () => {
    assert.equal(formatValue(1.23456, 'ms'), '1.235 ms');
    assert.equal(formatValue(123.456, 'ms'), '123.5 ms');
    assert.equal(formatValue(12345.6, 'ms'), '12,346 ms');
    assert.equal(formatValue(250000.4, 'tok/s'), '250,000 tok/s');
    assert.equal(formatValue(31.04, 'x'), '31.0×');
    assert.equal(formatValue(448.7, 'KB'), '449 KB');
  });

  it('prints skipped cases with their reason and goals as MET/MISSED', () => {
    const results: CaseResult[] = [
      { ...base, id: 'a', title: 'A', status: 'skipped', reason: 'src/x.ts not landed yet' },
      {
        ...base,
        id: 'b',
        title: 'B',
        status: 'ok',
        metrics: [{ name: 'edit', unit: 'ms', median: 4, p95: 12, n: 20 }],
        goals: [{ text: 'p95 ≤ 10 ms', actual: 'p95 12 ms', met: false }, { text: 'p50 ≤ 5 ms', actual: '4 ms', met: true }],
      },
    ];
    const table = renderResults(results);
    assert.match(table, /\[a\] A[^\n]*\n\s+skipped: src\/x\.ts not landed yet/);
    assert.match(table, /edit\s+4\.000 ms\s+12\.0 ms\s+20/);
    assert.match(table, /goal p95 ≤ 10 ms: p95 12 ms → MISSED/);
    assert.match(table, /goal p50 ≤ 5 ms: 4 ms → MET/);
    const summary = renderSummary(results).split('\n');
    assert.equal(summary.length, 4);
    assert.match(summary[1], /^a\s+—\s+—\s+skipped: src\/x\.ts not landed yet$/);
    assert.match(summary[2], /^b\s+p95 ≤ 10 ms\s+p95 12 ms\s+MISSED$/);
    assert.match(summary[3], /MET$/);
  });
});

describe('bench fixtures', () => {
  const text = Array.from({ length: 400 }, (_, i) => `Paragraph ${i} says that Minister Ana Lima met the delegation in Lisbon.`).join('\n\n');

  it('annotations lie on word boundaries, in order, without overlap, with their context', () => {
    const anns = makeAnnotations(text, 200);
    assert.equal(anns.length, 200);
    let prevEnd = 0;
    for (const a of anns) {
      const t = a.target;
      assert.ok(t.start >= prevEnd && t.end > t.start);
      assert.equal(text.slice(t.start, t.end), t.exact);
      assert.equal(text.slice(t.start - t.prefix.length, t.start), t.prefix);
      assert.equal(text.slice(t.end, t.end + t.suffix.length), t.suffix);
      prevEnd = t.end;
    }
    assert.equal(new Set(anns.map((a) => a.id)).size, 200);
    assert.deepEqual(anns.map((a) => a.id), [...anns.map((a) => a.id)].sort());
  });

  it('outside edits never touch annotated text, and shiftOffset predicts where it moves', () => {
    const anns = makeAnnotations(text, 200);
    const edits = makeOutsideEdits(text, anns, 20);
    assert.ok(edits.length >= 15);
    const edited = applyEdits(text, edits);
    assert.notEqual(edited, text);
    for (const a of anns) {
      for (const e of edits) assert.ok(e.end <= a.target.start || e.start >= a.target.end, 'edit overlaps an annotation');
      const s = shiftOffset(a.target.start, edits);
      assert.equal(edited.slice(s, s + a.target.exact.length), a.target.exact);
    }
  });
});
