/**
 * Adversarial inputs, class 4 of "Every path keeps the promises": time grows linearly (1× against
 * 4× of the same shape, see `assertLinear`) and the call stack stays bounded, on any input — and
 * each case still gives the right result. The largest sizes (a 4 MB line, 130,000 paragraphs,
 * JSON nested 20,000 deep) are in `large.ts`, run by `npm run fuzz`.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { assertLinear } from './harness';
import { bratFragments, deepJsonLd, oneLine, pageChain, shortParagraphs } from './large';
import { analyze } from '../../../src/core/analyze';
import { applyCorrections } from '../../../src/core/corrections';
import { wholeWordOccurrences } from '../../../src/core/correctionTargets';
import { placeTargets } from '../../../src/core/interchange/anchoring';
import { fromBrat } from '../../../src/core/interchange/brat';
import { readInterchange } from '../../../src/core/interchange/import';
import { fromW3C } from '../../../src/core/interchange/w3cImport';
import { recognizeEntities } from '../../../src/core/ner';
import { QuoteFinder, pairMarks } from '../../../src/core/quotes';
import { MAX_DEPTH } from '../../../src/core/quotes/marks';
import { parseSidecar } from '../../../src/core/sidecar/codec';
import type { Correction } from '../../../src/core/sidecar/model';
import type { Analysis, Mention, Quote } from '../../../src/core/types';

const NO_ENTITIES = { mentions: [], entities: [] };

/** `assertLinear` (fastest of five runs, inputs scaled until measurable, three tries). */
function linear<T>(make: (k: number) => T, fn: (input: T) => unknown, units: number): void {
  assertLinear(make, fn, units);
}

/** A fresh finder per call: its per-paragraph cache would make the timed repeats free. Quotation-mark quotations only. */
function quotes(text: string): Quote[] {
  return statements(text).filter((q) => q.kind !== 'indirect');
}

/** Quotations and reported statements (kind `indirect`), from a fresh finder. */
function statements(text: string): Quote[] {
  return new QuoteFinder().find(text, NO_ENTITIES);
}

/** Quotations lie inside the text, sorted, and are disjoint or nested. */
function assertWellNested(text: string, qs: readonly Quote[]): void {
  const open: Quote[] = [];
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    assert.ok(q.start >= 0 && q.start < q.end && q.end <= text.length, `quotation ${i} [${q.start}, ${q.end}) outside the text`);
    if (i > 0) assert.ok(qs[i - 1].start <= q.start, 'quotations out of order');
    while (open.length > 0 && open[open.length - 1].end <= q.start) open.pop();
    if (open.length > 0) assert.ok(q.end <= open[open.length - 1].end, `quotation ${i} overlaps another without nesting`);
    open.push(q);
  }
}

/** A deterministic pseudo-random generator (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text of random words (no long repeats), `n` characters or a little more. */
function randomText(n: number, seed: number): string {
  const r = prng(seed);
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const l = 2 + Math.floor(r() * 8);
    let w = '';
    for (let k = 0; k < l; k++) w += 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)];
    w += r() < 0.1 ? '. ' : ' ';
    parts.push(w);
    len += w.length;
  }
  return parts.join('');
}

function mention(text: string, start: number, end: number, type: Mention['type'] = 'group'): Mention {
  const t = text.slice(start, end);
  return { start, end, type, text: t, canonical: t, entityId: `${type}:${t.toLowerCase()}`, confidence: 0.9, source: 'model' } as Mention;
}

function analysisOf(mentions: Mention[]): Analysis {
  const entities = new Map<string, Analysis['entities'][number]>();
  for (const m of mentions) {
    let e = entities.get(m.entityId);
    if (!e) entities.set(m.entityId, (e = { id: m.entityId, type: m.type, canonical: m.canonical, aliases: [m.text], roles: [], mentions: [] }));
    e.mentions.push({ start: m.start, end: m.end });
  }
  return { mentions, entities: [...entities.values()], quotes: [] };
}

function correction(fields: Partial<Correction> & { action: Correction['action'] }, text: string, start: number, end: number): Correction {
  return { id: `c-${fields.action}-${start}`, target: { exact: text.slice(start, end), prefix: '', suffix: '', start, end }, ...fields } as Correction;
}

describe('adversarial: linear time and a bounded stack (class 4)', function () {
  this.timeout(120_000);

  describe('quotation marks', () => {
    it('a text of nothing but straight double quotes (20 KB → 80 KB): pairs linearly, no quotation reported', () => {
      linear((k) => '"'.repeat(k), (t) => pairMarks(t), 20_000);
      linear((k) => '"'.repeat(k), (t) => quotes(t), 20_000);
      assert.equal(pairMarks('"'.repeat(20_000)).length, 10_000);
      assert.equal(quotes('"'.repeat(20_000)).length, 0); // empty quotations are not quotations
    });

    it('alternating double and single straight marks (`"\'"\'…`)', () => {
      const make = (k: number): string => `"'`.repeat(k / 2);
      linear(make, (t) => quotes(t), 20_000);
      const segs = pairMarks(make(20_000));
      assert.ok(segs.every((s) => s.depth < MAX_DEPTH));
      assertWellNested(make(20_000), quotes(make(20_000)));
    });

    it('a one-paragraph dialogue (thousands of quotations in one unit), attributed', () => {
      const make = (k: number): string =>
        Array.from({ length: Math.ceil(k / 90) }, (_, i) => `“We will see ${i},” John Smith said. “No,” he added, and Mary Jones said that it was “odd”. `).join('');
      linear(make, (t) => analyze(t), 15_000);
      const text = make(15_000);
      const r = analyze(text);
      assertWellNested(text, r.quotes);
      const marks = r.quotes.filter((q) => q.kind !== 'indirect');
      assert.equal(marks.length, Math.ceil(15_000 / 90) * 3);
      assert.equal(marks[0].speaker?.name, 'John Smith');
      assert.equal(text.slice(marks[1].start, marks[1].end), '“No,”');
      assert.equal(marks[1].speaker?.name, 'John Smith'); // "he added": the previous speaker
      // "Mary Jones said that it was “odd”": a reported statement holding the quoted word
      const reported = r.quotes.filter((q) => q.kind === 'indirect');
      assert.equal(reported.length, Math.ceil(15_000 / 90));
      assert.equal(text.slice(reported[0].start, reported[0].end), 'it was “odd”');
      const odd = marks[2];
      assert.equal(odd.partOf !== undefined ? r.quotes[odd.partOf] : undefined, reported[0]);
    });

    it('a one-line text with quotations (100 KB → 400 KB; 4 MB in large.ts)', () => {
      linear(oneLine, (t) => quotes(t), 100_000);
      const text = oneLine(100_000);
      const qs = quotes(text);
      assert.equal(text.slice(qs[0].start, qs[0].end), '"yes 0"');
      assert.ok(qs.length >= 3_000);
      assertWellNested(text, qs);
    });

    it('apostrophe storms (contractions, elisions, plural possessives, lone marks)', () => {
      const make = (k: number): string => `don't it's ' 'em '90s students' rock ’n’ roll ’’ ''' `.repeat(k / 50);
      linear(make, (t) => quotes(t), 40_000);
      linear((k) => "'".repeat(k), (t) => quotes(t), 40_000);
      linear((k) => '’'.repeat(k), (t) => quotes(t), 40_000);
      assertWellNested(make(20_000), quotes(make(20_000)));
      // apostrophes alone never open a quotation
      assert.equal(quotes(`don't it's 'em '90s students' rock ’n’ roll O'Brien’s `.repeat(400)).length, 0);
    });

    it(`nested guillemets 10,000 deep: nesting is capped at ${MAX_DEPTH}, well nested`, () => {
      const make = (k: number): string => '«'.repeat(k / 2) + '»'.repeat(k / 2);
      linear(make, (t) => quotes(t), 20_000);
      const segs = pairMarks(make(20_000));
      assert.equal(segs.length, MAX_DEPTH);
      assert.ok(segs.every((s, i) => s.depth === i && (i === 0 || s.parent === i - 1)));
      const words = (k: number): string => '« a '.repeat(k / 8) + '» b '.repeat(k / 8);
      linear(words, (t) => quotes(t), 80_000);
      assertWellNested(words(20_000), quotes(words(20_000)));
    });

    it('openers of one family buried under thousands of open marks of another («««… then ”””…)', () => {
      const make = (k: number): string => '« '.repeat(k / 4) + '” '.repeat(k / 4);
      linear(make, (t) => pairMarks(t), 40_000);
      linear(make, (t) => quotes(t), 40_000);
    });

    it('thousands of quotations nested in one unclosed quotation', () => {
      const make = (k: number): string => '“He said ‘she said “no” and ’ '.repeat(k / 30);
      linear(make, (t) => quotes(t), 20_000);
      const text = make(20_000);
      const qs = quotes(text);
      assertWellNested(text, qs);
      assert.equal(qs[0].start, 0);
      assert.equal(qs[0].end, text.trimEnd().length); // the open quotation runs to the paragraph end
      assert.ok(qs.slice(1).every((q) => q.parent !== undefined));
    });

    it('one endless sentence of partial quotations ("the “a” and the “b” and …")', () => {
      const make = (k: number): string => 'The man said that ' + Array.from({ length: Math.ceil(k / 20) }, (_, i) => `the “w${i}” and `).join('') + 'so on.';
      linear(make, (t) => quotes(t), 20_000);
      const text = make(2_000);
      assertWellNested(text, quotes(text));
    });

    it('many short paragraphs: time grows linearly (the 130,000-paragraph stack case is in large.ts)', () => {
      linear(shortParagraphs, (t) => recognizeEntities(t), 3_000);
      const r = analyze(shortParagraphs(3_000));
      assert.equal(r.quotes.length, 0);
    });

    it('reported speech: endless "said" without content, one endless sentence of cues, long sentences', () => {
      // (statements: the finder without the shortcut of quotation marks)
      const saids = (k: number): string => 'He said, she said, they said; '.repeat(Math.ceil(k / 30));
      linear(saids, (t) => statements(t), 40_000);
      const cues = (k: number): string => `${'Officials said that aides told reporters that critics argued that '.repeat(Math.ceil(k / 68))}it rained.`;
      linear(cues, (t) => statements(t), 40_000);
      const long = (k: number): string => `The mayor said that ${'the city and the county '.repeat(Math.ceil(k / 24))}would pay.`;
      // (sizes that take tens of milliseconds: a busy machine's pauses do not decide the ratio)
      linear(long, (t) => statements(t), 200_000);
      const reports = (k: number): string => Array.from({ length: Math.ceil(k / 60) }, (_, i) => `The minister said the budget would grow by ${i} percent.`).join(' ');
      linear(reports, (t) => statements(t), 100_000);
      const text = reports(6_000);
      const r = analyze(text);
      assertWellNested(text, r.quotes);
      assert.equal(r.quotes.filter((q) => q.kind === 'indirect').length, Math.ceil(6_000 / 60));
      assertWellNested(cues(20_000), statements(cues(20_000)));
    });

    it('a paragraph of quotations on many lines, each with a speaker', () => {
      const make = (k: number): string => Array.from({ length: Math.ceil(k / 30) }, (_, i) => `"Quote ${i}," he said.`).join('\n\n');
      linear(make, (t) => quotes(t), 20_000);
      assert.equal(quotes(make(3_000)).length, Math.ceil(3_000 / 30));
    });
  });

  describe('corrections', () => {
    it('a scope-all entity-type correction over a word repeated thousands of times (400 KB → 1.6 MB)', () => {
      const make = (k: number): { text: string; analysis: Analysis; c: Correction[] } => {
        const text = 'Iran and Iranian talks. '.repeat(k / 24);
        const ms: Mention[] = [];
        for (let i = text.indexOf('Iranian'); i >= 0; i = text.indexOf('Iranian', i + 1)) ms.push(mention(text, i, i + 7));
        return { text, analysis: analysisOf(ms), c: [correction({ action: 'entity-type', type: 'place', scope: 'all' }, text, 0, 4)] };
      };
      linear(make, ({ text, analysis, c }) => applyCorrections(text, analysis, c), 400_000);
      const { text, analysis, c } = make(48_000);
      const r = applyCorrections(text, analysis, c);
      const places = r.mentions.filter((m) => m.type === 'place');
      assert.equal(places.length, 2_000);
      assert.ok(places.every((m) => m.text === 'Iran' && text.slice(m.end, m.end + 1) === ' '));
      assert.equal(r.mentions.filter((m) => m.text === 'Iranian' && m.type === 'group').length, 2_000); // untouched
      assert.equal(r.entities.find((e) => e.id === 'place:iran')?.mentions.length, 2_000);
    });

    it('scope-all matches whole words only: "Iran" is not found in "Iranian", "Iran2", "xIran" or next to an astral letter', () => {
      const text = 'Iran, Iranian, Iran2, xIran, 𝐀Iran, Iranê, (Iran) and Iran.';
      assert.deepEqual(
        wholeWordOccurrences(text, 'Iran').map((i) => text.slice(Math.max(0, i - 1), i + 5)),
        ['Iran,', '(Iran)', ' Iran.'],
      );
      const r = applyCorrections(text, analysisOf([]), [correction({ action: 'entity-type', type: 'place', scope: 'all' }, text, 0, 4)]);
      assert.deepEqual(
        r.mentions.map((m) => m.start),
        wholeWordOccurrences(text, 'Iran'),
      );
      // a match rejected inside a word does not hide a whole-word one overlapping it
      assert.deepEqual(wholeWordOccurrences('aa aa', 'aa'), [0, 3]);
      assert.deepEqual(wholeWordOccurrences('xaa aa', 'aa'), [4]);
    });

    it('thousands of ignore and merge corrections over thousands of mentions', () => {
      const make = (k: number): { text: string; analysis: Analysis; c: Correction[] } => {
        const words = Array.from({ length: k / 10 }, (_, i) => `Name${i}`);
        const text = words.join(' , ');
        const ms: Mention[] = [];
        let p = 0;
        for (const w of words) {
          ms.push(mention(text, p, p + w.length, 'person'));
          p += w.length + 3;
        }
        const c: Correction[] = [];
        ms.forEach((m, i) => {
          if (i % 3 === 0) c.push(correction({ action: 'ignore', scope: 'this' }, text, m.start, m.end));
          if (i % 3 === 1) c.push(correction({ action: 'merge', canonical: 'Everyone', scope: 'all' }, text, m.start, m.end));
        });
        return { text, analysis: analysisOf(ms), c };
      };
      linear(make, ({ text, analysis, c }) => applyCorrections(text, analysis, c), 10_000);
      const { text, analysis, c } = make(3_000);
      const r = applyCorrections(text, analysis, c);
      assert.equal(r.mentions.length, 200);
      assert.equal(r.entities.find((e) => e.canonical === 'Everyone')?.mentions.length, 100);
    });
    it('thousands of entity-type corrections, each on its own name, over thousands of mentions', () => {
      // Timed in a fresh process (see probes/many-corrections.ts), three tries like the others.
      let last = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'probes', 'many-corrections.ts'), '10000'], { encoding: 'utf8' });
        const { t1, t4, organizations, mentions } = JSON.parse(out) as { t1: number; t4: number; organizations: number; mentions: number };
        assert.equal(organizations, 500);
        assert.equal(mentions, 1000);
        const ratio = t4 / Math.max(t1, 1);
        if (ratio <= 8) return;
        last = `time grew ${ratio.toFixed(1)}× for 4× the input (${t1.toFixed(1)} ms → ${t4.toFixed(1)} ms): not linear`;
      }
      assert.fail(last);
    });
    it('a correction re-anchored inside a longer word is not applied there ("Iran" in "Iranian")', () => {
      const text = 'Iranian officials met the press. Later Iran said no.';
      const m = (s: string, type: Mention['type']): Mention => mention(text, text.indexOf(s), text.indexOf(s) + s.length, type);
      const analysis = analysisOf([m('Iranian', 'group'), m('Iran said', 'place')].map((x) => (x.text === 'Iran said' ? { ...x, end: x.start + 4, text: 'Iran' } : x)));
      const c = correction({ action: 'entity-type', type: 'person', scope: 'this' }, text, 0, 4);
      const r = applyCorrections(text, analysis, [c]);
      assert.deepEqual(r.mentions.map((x) => [x.text, x.type]), [['Iranian', 'group'], ['Iran', 'place']]);
      const all = applyCorrections(text, analysis, [{ ...c, scope: 'all' }]);
      assert.deepEqual(all.mentions.map((x) => [x.text, x.type]), [['Iranian', 'group'], ['Iran', 'person']]);
    });
    it('thousands of speaker corrections over thousands of quotations', () => {
      const make = (k: number): { text: string; analysis: Analysis; c: Correction[] } => {
        const n = k / 20;
        const text = Array.from({ length: n }, (_, i) => `"q${String(i).padStart(6, '0')}" Bob.`).join(' ');
        const qs: Quote[] = [];
        const ms: Mention[] = [];
        for (let i = 0; i < n; i++) {
          const at = i * 18;
          qs.push({ start: at, end: at + 9, kind: 'full', speaker: null, cue: null, confidence: 0.5 } as Quote);
          ms.push(mention(text, at + 10, at + 13, 'person'));
        }
        const analysis = { ...analysisOf(ms), quotes: qs };
        const c = qs.map((q, i) => correction({ action: 'speaker', speaker: 'Bob' }, text, q.start + 1 + (i % 3), q.start + 2 + (i % 3)));
        return { text, analysis, c };
      };
      linear(make, ({ text, analysis, c }) => applyCorrections(text, analysis, c), 100_000);
      const { text, analysis, c } = make(20_000);
      const r = applyCorrections(text, analysis, c);
      // each gets Bob, on the Bob mention nearest the quotation (the earlier one on a tie)
      const bobs = r.mentions.filter((m) => m.text === 'Bob');
      r.quotes.forEach((q, i) => {
        const near = bobs.reduce((best, m) => (Math.abs(m.start - q.start) < Math.abs(best.start - q.start) ? m : best));
        assert.deepEqual(q.speaker, { name: 'Bob', via: 'name', start: near.start, end: near.end, entityId: 'person:bob' }, `quotation ${i}`);
      });
    });
  });

  describe('imports', () => {
    it('W3C JSON nested 20,000 deep: a warning, nothing imported, no RangeError', () => {
      const r = readInterchange('w3c', deepJsonLd(20_000), 'a b c');
      assert.equal(r.annotations.length, 0);
      assert.match(r.warnings.join('\n'), /nested deeper than 64 levels/);
      // fromW3C on its own walks without recursion and skips the deep arrays with a warning
      const direct = fromW3C(JSON.parse(deepJsonLd(20_000)), 'a b c');
      assert.equal(direct.annotations.length, 0);
      assert.match(direct.warnings.join('\n'), /nested deeper than 64 levels/);
      // shallow nesting still imports
      assert.equal(readInterchange('w3c', deepJsonLd(10), 'a b c').annotations.length, 1);
    });

    it('an AnnotationPage `next` chain of thousands of pages: every annotation, in order, linearly', () => {
      linear((k) => pageChain(k), (doc) => readInterchange('w3c', doc, 'a word here'), 1_000);
      const r = readInterchange('w3c', pageChain(5_000), 'a word here');
      assert.equal(r.annotations.length, 5_000);
      assert.deepEqual(r.annotations.slice(0, 3).map((a) => a.note), ['n0', 'n1', 'n2']);
      assert.equal(r.annotations[4_999].id, 'p4999');
      assert.deepEqual(r.warnings, []);
    });

    it('marginalia:extra nested 10,000 deep: the annotation imports, its extra is left out with a warning', () => {
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const doc = JSON.parse(`{"type":"Annotation","marginalia:extra":${deep},"target":{"selector":{"type":"TextQuoteSelector","exact":"word"}}}`) as unknown;
      const r = fromW3C(doc, 'a word');
      assert.equal(r.annotations.length, 1);
      assert.equal(r.annotations[0].extra, undefined);
      assert.match(r.warnings.join('\n'), /annotation 1: marginalia:extra nested deeper than 64 levels/);
    });

    it('a brat line of 300,000 fragments is skipped with a warning; 1,000 fragments still import', () => {
      const r = fromBrat(bratFragments(300_000), 'x'.repeat(700_000));
      assert.equal(r.annotations.length, 0);
      assert.match(r.warnings.join('\n'), /line 1: T1 has more than 1000 fragments: skipped/);
      const ok = fromBrat(bratFragments(1_000), 'x'.repeat(3_000));
      assert.equal(ok.annotations.length, 1);
      assert.deepEqual([ok.annotations[0].target.start, ok.annotations[0].target.end], [0, 1_999]);
    });

    it('brat: thousands of T lines and notes on one entity import linearly', () => {
      const make = (k: number): string => {
        const lines: string[] = [];
        for (let i = 0; i < k; i++) lines.push(`T${i}\tNote ${i} ${i + 1}\tx`);
        for (let i = 0; i < k; i++) lines.push(`#${i}\tAnnotatorNotes T0\tnote ${i}`);
        return lines.join('\n') + '\n';
      };
      linear(make, (ann) => fromBrat(ann, 'x'.repeat(50_000)), 2_000);
      const r = fromBrat(make(2_000), 'x'.repeat(50_000));
      assert.equal(r.annotations.length, 2_000);
      assert.equal(r.annotations[0].note?.split('\n\n').length, 2_000);
    });

    it('a MarginaliaMeta line nested 10,000 deep is ignored with a warning', () => {
      const deep = '{"extra":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const r = fromBrat(`T1\tNote 0 4\tword\n#1\tMarginaliaMeta T1\t${deep}\n`, 'word');
      assert.equal(r.annotations.length, 1);
      assert.match(r.warnings.join('\n'), /line 2: MarginaliaMeta nested deeper than 64 levels: ignored/);
    });
  });

  describe('anchoring', () => {
    /** A source, targets on it with long (300-character) contexts, and the source edited: some annotated places rewritten. */
    function longPrefixCase(size: number, seed = 1): { text: string; targets: { exact: string; prefix: string; suffix: string; start: number; end: number }[]; rewritten: Set<number> } {
      const r = prng(seed);
      const original = randomText(size, seed);
      const count = Math.floor(size / 100);
      const targets: { exact: string; prefix: string; suffix: string; start: number; end: number }[] = [];
      for (let k = 0; k < count; k++) {
        const start = Math.floor(r() * (original.length - 100));
        const end = start + 5 + Math.floor(r() * 35);
        targets.push({ exact: original.slice(start, end), prefix: original.slice(Math.max(0, start - 300), start), suffix: original.slice(end, end + 300), start, end });
      }
      // rewrite a third of the annotated places (and 300 characters around them), back to front;
      // `rewritten`: the targets whose text lies in a rewritten range
      let text = original;
      const ranges: [number, number][] = [];
      const order = targets.map((_, i) => i).sort((a, b) => targets[b].start - targets[a].start);
      let last = Infinity;
      for (const i of order) {
        const t = targets[i];
        if (r() >= 0.33 || t.end + 300 >= last) continue;
        const a = Math.max(0, t.start - 300);
        const b = Math.min(text.length, t.end + 300);
        text = text.slice(0, a) + randomText(b - a, seed + i).slice(0, b - a) + text.slice(b);
        ranges.push([a, b]);
        last = a;
      }
      const rewritten = new Set<number>();
      targets.forEach((t, i) => {
        if (ranges.some(([a, b]) => t.start < b && a < t.end)) rewritten.add(i);
      });
      return { text: 'An inserted first line.\n\n' + text, targets, rewritten };
    }

    it('a sidecar of long-prefix targets re-anchored on a changed source (50 KB → 200 KB, fuzzy and orphans hit)', () => {
      linear((k) => longPrefixCase(k), ({ text, targets }) => placeTargets(text, targets), 50_000);
      const { text, targets, rewritten } = longPrefixCase(50_000);
      const placed = placeTargets(text, targets);
      assert.equal(placed.length, targets.length); // never drops one
      let orphans = 0;
      placed.forEach((p, i) => {
        if (p.orphan) {
          orphans++;
          assert.equal(p.target.exact, targets[i].exact); // an orphan keeps its last text
        } else {
          assert.equal(text.slice(p.target.start, p.target.end), p.target.exact);
          if (!rewritten.has(i)) assert.equal(p.target.exact, targets[i].exact); // untouched places are found on their text
        }
      });
      assert.ok(orphans > 0 && orphans <= rewritten.size, `${orphans} orphans of ${rewritten.size} rewritten`);
    });

    it('a moved block is still found far away (a whole-text search), with its status', () => {
      const text = randomText(100_000, 7);
      const block = text.slice(10_000, 20_000);
      const moved = text.slice(0, 10_000) + text.slice(20_000) + block;
      const targets = [12_000, 15_000, 18_000].map((start) => ({ exact: text.slice(start, start + 40), prefix: text.slice(start - 32, start), suffix: text.slice(start + 40, start + 72), start, end: start + 40 }));
      const placed = placeTargets(moved, targets);
      const blockAt = moved.length - block.length;
      placed.forEach((p, i) => {
        assert.equal(p.orphan, false);
        assert.equal(p.target.start, targets[i].start - 10_000 + blockAt);
        assert.equal(p.target.exact, targets[i].exact);
      });
    });
  });

  describe('sidecars (the YAML codec)', () => {
    it('a sidecar nested 20,000 deep, flow [[[…]]], flow {a: {a: …}} and block "- - - …": a clean syntax error', () => {
      const head = 'version: 1\nsource: a.txt\nannotations: []\ncorrections: []\nextra: ';
      const n = 20_000;
      const shapes = {
        'flow sequences': head + '['.repeat(n) + ']'.repeat(n) + '\n',
        'flow mappings': head + '{a: '.repeat(n) + '1' + '}'.repeat(n) + '\n',
        'flow mixed': head + '[{a: '.repeat(n) + '1' + '}]'.repeat(n) + '\n',
        'block sequences on one line': 'version: 1\nsource: a.txt\nannotations:\n' + '- '.repeat(n) + 'x\n',
        'block mappings, indented (3,000 deep: 20,000 would pass the size limit)': 'version: 1\nsource: a.txt\nx:\n' + Array.from({ length: 3_000 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n') + ' 1\n',
      };
      for (const [name, text] of Object.entries(shapes)) {
        const r = parseSidecar(text);
        assert.ok(!r.ok, `${name}: parsed`);
        if (!r.ok) {
          assert.equal(r.error.code, 'syntax', `${name}: ${r.error.message}`);
          assert.match(r.error.message, /nested too deeply/, name);
        }
      }
    });
  });
});
