/**
 * The Markdown fact-check draft: each claim with its verdict, who said it, when and where, and its
 * evidence as footnoted quotations linked to their sources — and every field inert. Proved by
 * rendering with `marked` (GFM): hostile text in every field gives exactly the elements the same
 * draft with plain text gives, and every link goes to an http(s) URL or a `./` path.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { marked } from 'marked';
import { toFactCheckMarkdown, linkDestination, markdownLink } from '../../../src/core/claims/factcheck';
import type { ClaimAnnotation, ClaimReviewInput } from '../../../src/core/claims/claimreview';
import { exportSource } from '../../../src/core/interchange/export';
import { isOwnExport } from '../../../src/core/interchange/marker';
import type { Analysis } from '../../../src/core/types';

const render = (md: string): string => marked.parse(md, { async: false, gfm: true }) as string;

function elements(html: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b/g)) out.set(m[1]!.toLowerCase(), (out.get(m[1]!.toLowerCase()) ?? 0) + 1);
  return out;
}

const HOSTILE = [
  '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '# heading', 'text\n===', '---', '[x](javascript:alert(1))', '![i](https://evil.example/p.png)',
  '<https://evil.example>', 'https://evil.example/x?y=1', 'www.evil.example', 'ada@evil.example', '```\ncode\n```', '`', '    indented', '- item', '1. item', '> quote',
  '| a | b |\n|---|---|', '*em* _em_ **strong** ~~del~~', '[ref]\n\n[ref]: https://evil.example', '\\', '&amp; &#x3C;', '\u202eevil', '\u0000\u001b[31m', '[^1]\n\n[^1]: note',
];

/**
 * A draft input with `s` in every field (and the structure fixed: two claims, three evidence links).
 * The source's and the evidence's URL lines and the publisher's URL stay fixed: a string that is a
 * URL there is meant to become a link.
 */
function input(s: string, safe = false): ClaimReviewInput {
  const text = `Headline\nhttps://news.example/a\nGENEVA, October 24, 2023 —\n“${s} one,” said Ada.\nClaim two ${s}.\n`;
  const q1 = text.indexOf('“');
  const t1 = { exact: `${s} one`, prefix: '', suffix: '', start: q1 + 1, end: q1 + 1 + `${s} one`.length };
  const c2 = text.indexOf('Claim two');
  const t2 = { exact: `Claim two ${s}`, prefix: '', suffix: '', start: c2, end: c2 + `Claim two ${s}`.length };
  const src = safe ? 'docs/source.txt' : `docs/${s.split('/').join('_').split('\\').join('_').split('\u0000').join('_') || 'x'}.txt`;
  const annotations: ClaimAnnotation[] = [
    { id: `a-${s}`, kind: 'claim', verdict: `false ${s}`, note: `note ${s}`, claimant: undefined, target: t1,
      evidence: [
        { relation: 'contradicts', source: src, target: { exact: `evidence ${s}`, prefix: '', suffix: '', start: 0, end: 9 + s.length } },
        { relation: 'context', source: 'article.txt', target: { exact: `context ${s}`, prefix: '', suffix: '', start: 0, end: 8 + s.length }, orphan: true },
      ] },
    { id: `b-${s}`, kind: 'verdict', verdict: `misleading ${s}`, claimant: `Claimant ${s}`, claimDate: '2023-10-20', appearance: safe ? 'https://tv.example/clip' : s, target: t2,
      evidence: [{ relation: 'supports', source: src, target: { exact: `support ${s}`, prefix: '', suffix: '', start: 0, end: 8 + s.length } }] },
  ];
  const analysis: Analysis = { mentions: [], entities: [], quotes: [{ start: q1, end: text.indexOf('”') + 1, kind: 'full', speaker: { start: 0, end: 1, name: `Speaker ${s}`, via: 'name' }, cue: null, confidence: 1 }] };
  return {
    path: `article ${s}.txt`, text, annotations, analysis,
    publisher: { name: `Desk ${s}`, url: 'https://check.example/' },
    evidenceTexts: new Map([[src, `https://gov.example/t\nevidence ${s} support ${s}`]]),
  };
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!);
}

describe('claims: the Markdown fact-check draft', () => {
  it('lists each claim with verdict and rating, who said it, when, where, and its evidence as footnotes linked to their sources', () => {
    const md = toFactCheckMarkdown(input('plain', true));
    assert.match(md, /^# Fact-check: article plain\\\.txt\n/);
    assert.match(md, /## Claim 1: false plain\n/);
    assert.match(md, /\*\*Said by:\*\* Speaker plain \(the speaker of the quotation\)/);
    assert.match(md, /\*\*When:\*\* 2023\\-10\\-24 \(the source's dateline\)/);
    assert.match(md, /\*\*Where:\*\* \[https\\:\\\/\\\/news\\\.example\\\/a\]\(https:\/\/news\.example\/a\), line 4/);
    assert.match(md, /\*\*Evidence:\*\* Contradicts \\\[1\\\], Context \\\[2\\\]/);
    assert.match(md, /## Claim 2: misleading plain\n/);
    assert.match(md, /\*\*Said by:\*\* Claimant plain\s/);
    assert.match(md, /\*\*When:\*\* 2023\\-10\\-20 {2}\n/);
    assert.match(md, /\n1\. Contradicts: “evidence plain” — \[docs\\\/source\\\.txt\]\(https:\/\/gov\.example\/t\), line 1\n/);
    assert.match(md, /\n2\. Context: “context plain” — \[article\\\.txt\]\(\.\/article\.txt\) \(orphaned: the text is no longer there\)\n/);
    assert.match(md, /\n3\. Supports: “support plain”/);
    const html = render(md);
    assert.deepStrictEqual(hrefs(html).sort(), ['./article.txt', 'https://check.example/', 'https://gov.example/t', 'https://gov.example/t', 'https://news.example/a', 'https://news.example/a', 'https://tv.example/clip'].sort());
  });

  it('hostile text in every field renders to exactly the elements of the plain draft; links only to http(s) or ./ paths', () => {
    const plain = elements(render(toFactCheckMarkdown(input('plain'))));
    assert.ok(!/evil/.test(render(toFactCheckMarkdown(input('[x](https://evil.example)'))).replace(/>[^<]*</g, '><')), 'no hostile text in any tag');
    for (const s of HOSTILE) {
      const html = render(toFactCheckMarkdown(input(s)));
      // (a multi-line quotation or note is quoted line by line: compare with plain text of the same lines)
      const same = s.includes('\n') ? elements(render(toFactCheckMarkdown(input(s.replace(/[^\n]+/g, 'plain'))))) : plain;
      assert.deepStrictEqual(elements(html), same, `${JSON.stringify(s)}:\n${html}`);
      for (const h of hrefs(html)) assert.match(h, /^(?:https?:\/\/|\.\/)[^"<>\s]*$/, `${JSON.stringify(s)}: ${h}`);
      assert.ok(!/<[a-z][^>]*\son\w+=|<script|href="javascript:/i.test(html), JSON.stringify(s));
    }
  });

  it('any string (fast-check) in every field: the same elements as the plain draft', () => {
    const plain = elements(render(toFactCheckMarkdown(input('plain'))));
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s.trim() !== '' && !/[\s]/.test(s)), (s) => {
      assert.deepStrictEqual(elements(render(toFactCheckMarkdown(input(s)))), plain, JSON.stringify(s));
    }), { numRuns: 150 });
  });

  it('links: a destination cannot end early or name a scheme; non-URLs are plain text', () => {
    assert.equal(linkDestination('https://a.example/x (1)<b> "q"'), 'https://a.example/x%20%281%29%3Cb%3E%20%22q%22');
    assert.equal(linkDestination('https://a.example/%zz'), 'https://a.example/%25zz');
    assert.equal(markdownLink('x', 'javascript:alert(1)'), 'x');
    assert.equal(markdownLink('x', '../up.txt'), 'x');
    assert.equal(markdownLink('x', '/etc/passwd'), 'x');
    assert.equal(markdownLink('x', 'a b.txt'), '[x](./a%20b.txt)');
  });

  it('export --format md with layout factcheck: the draft behind the Markdown marker (re-export replaces it)', () => {
    const i = input('plain', true);
    const out = exportSource('md', { path: i.path, text: i.text, annotations: i.annotations, analysis: i.analysis }, { layout: 'factcheck', publisher: i.publisher });
    assert.ok(isOwnExport('md', out));
    assert.match(out, /\n# Fact-check: /);
    assert.doesNotMatch(exportSource('md', { path: i.path, text: i.text, annotations: i.annotations }), /Fact-check/);
  });
});
