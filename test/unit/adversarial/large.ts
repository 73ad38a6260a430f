/**
 * The largest adversarial inputs (class 4: linear time and
 * a bounded stack on any input), too heavy for `npm test`: run by `npm run fuzz` (scripts/fuzz.ts),
 * which prints each name and time and fails on an error. `time.test.ts` runs the same shapes at
 * smaller sizes and checks that their time grows linearly.
 */
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/analyze';
import { findQuotes, pairMarks } from '../../../src/core/quotes';
import { recognizeEntities } from '../../../src/core/ner';
import { readInterchange } from '../../../src/core/interchange/import';
import { fromBrat } from '../../../src/core/interchange/brat';
import { parseSidecar } from '../../../src/core/sidecar/codec';

export interface LargeCase {
  name: string;
  /** Throws (an assertion) when the result is wrong. */
  run(): void;
}

const NO_ENTITIES = { mentions: [], entities: [] };

/** A one-line text of `bytes` characters: sentences with double and single quotations. */
export function oneLine(bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `He said "yes ${i}" and 'no'. `;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

/** `n` short paragraphs, blank-line separated. */
export function shortParagraphs(n: number): string {
  const out: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `Para ${i} x.`;
  return out.join('\n\n');
}

/** A W3C JSON document of arrays nested `depth` deep around one annotation. */
export function deepJsonLd(depth: number): string {
  return '['.repeat(depth) + '{"type":"Annotation","target":{"selector":{"type":"TextQuoteSelector","exact":"a"}}}' + ']'.repeat(depth);
}

/** An AnnotationPage chain of `pages` pages (nested through `next`), one annotation each. */
export function pageChain(pages: number, exact = 'word'): string {
  let s = 'null';
  for (let i = pages - 1; i >= 0; i--) {
    s = `{"type":"AnnotationPage","items":[{"type":"Annotation","id":"urn:x:p${i}","bodyValue":"n${i}","target":{"selector":{"type":"TextQuoteSelector","exact":"${exact}"}}}],"next":${s}}`;
  }
  return s;
}

/** A brat T line with `n` `;`-separated fragments. */
export function bratFragments(n: number): string {
  const frags: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) frags[i] = `${i * 2} ${i * 2 + 1}`;
  return `T1\tNote ${frags.join(';')}\tx\n`;
}

export const LARGE_CASES: LargeCase[] = [
  {
    name: 'quotes: 4 MB one-line text with quotations (pairing and attribution)',
    run() {
      const text = oneLine(4 * 1024 * 1024);
      const segs = pairMarks(text);
      assert.ok(segs.length > 200_000, `${segs.length} segments`);
      const quotes = findQuotes(text, NO_ENTITIES);
      assert.ok(quotes.length > 100_000, `${quotes.length} quotations`);
    },
  },
  {
    name: 'quotes: 512 KB of straight double quotation marks',
    run() {
      const text = '"'.repeat(512 * 1024);
      assert.equal(pairMarks(text).length, 256 * 1024);
      assert.equal(findQuotes(text, NO_ENTITIES).length, 0);
    },
  },
  {
    name: 'ner+quotes: 130,000 short paragraphs (1.9 MB) do not overflow the stack',
    run() {
      const text = shortParagraphs(130_000);
      const r = analyze(text);
      assert.ok(r.mentions.length >= 0);
      // a second, edited recognition reuses the paragraphs
      const r2 = recognizeEntities(text + '\n\nMore text.');
      assert.ok(Array.isArray(r2.mentions));
    },
  },
  {
    name: 'import: W3C JSON nested 20,000 deep gives a warning, no stack overflow',
    run() {
      const r = readInterchange('w3c', deepJsonLd(20_000), 'a b c');
      assert.equal(r.annotations.length, 0);
      assert.match(r.warnings.join('\n'), /nested deeper than 64 levels/);
    },
  },
  {
    name: 'import: an AnnotationPage next chain of 20,000 pages imports every annotation',
    run() {
      const r = readInterchange('w3c', pageChain(20_000), 'a word here');
      assert.equal(r.annotations.length, 20_000);
      assert.equal(r.annotations[19_999].note, 'n19999');
    },
  },
  {
    name: 'import: a brat line of 300,000 fragments is skipped with a warning',
    run() {
      const r = fromBrat(bratFragments(300_000), 'x'.repeat(700_000));
      assert.equal(r.annotations.length, 0);
      assert.match(r.warnings.join('\n'), /more than 1000 fragments/);
    },
  },
  {
    name: 'sidecar: YAML nested 20,000 deep (flow [[[…, flow {a: {a: …, block - - …) is a clean error',
    run() {
      const head = 'version: 1\nsource: a.txt\nannotations: []\ncorrections: []\nextra: ';
      const n = 20_000;
      for (const text of [head + '['.repeat(n) + ']'.repeat(n) + '\n', head + '{a: '.repeat(n) + '1' + '}'.repeat(n) + '\n', 'version: 1\nsource: a.txt\nannotations:\n' + '- '.repeat(n) + 'x\n']) {
        const r = parseSidecar(text);
        assert.ok(!r.ok, 'parsed a 20,000-deep sidecar');
        if (!r.ok) assert.equal(r.error.code, 'syntax');
      }
    },
  },
];
