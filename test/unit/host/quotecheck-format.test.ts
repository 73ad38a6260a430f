import * as assert from 'assert';
import { marked } from 'marked';
import { QuoteIndex, type QuoteCheck } from '../../../src/core/quotecheck';
import type { Quote } from '../../../src/core/types';
import { commandLink, diagnosticMessage, diffMarkdown, faithfulQuotation, hoverMarkdown, isProblem } from '../../../src/host/quotecheck/format';

// The quotation check's texts: the hover renders (as VS Code does, with `marked`) to struck and
// bold words, document text never becomes a link or HTML, and the faithful quotation is the source's.
const render = (md: string) => marked.parse(md, { async: false, gfm: true }) as string;
const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);

const TRANSCRIPT = 'LAVROV: The sanctions have not achieved any of their stated goals, and they never will. Our economy has adapted to the new conditions faster than anyone expected. We are ready to meet our partners at any level.';

function quote(text: string, article: string): Quote {
  const start = article.indexOf(text);
  return { start, end: start + text.length, kind: 'full', speaker: { name: 'Lavrov' } as Quote['speaker'], cue: null, confidence: 1 };
}

function checkOf(article: string, quoted: string): QuoteCheck {
  const index = new QuoteIndex();
  index.setSource('t.txt', { text: TRANSCRIPT, primary: true });
  index.setSource('a.txt', { text: article, primary: false, quotes: [quote(quoted, article)] });
  return index.check('a.txt')[0]!;
}

const LINKS = { rel: (p: string) => `dir/${p}`, open: 'marginalia.quoteCheck.openMatch', copy: 'marginalia.copyFaithfulQuotation' };

describe('quotation check texts (src/host/quotecheck/format)', () => {
  it('strikes the words left out and marks the words added', () => {
    const q = '"The sanctions have not achieved any of their goals, and they never will,"';
    const c = checkOf(`${q} he said.`, q);
    assert.equal(c.status, 'altered');
    assert.ok(isProblem(c));
    const html = render(diffMarkdown(c.matches[0]!.diff));
    assert.match(html, /their <del>stated<\/del> goals/);
    assert.match(diagnosticMessage(c, (p) => p), /^Quotation altered: differs from the primary source t\.txt \(1 word left out\)$/);
    assert.equal(faithfulQuotation(c, TRANSCRIPT), '"The sanctions have not achieved any of their stated goals, and they never will"');
  });

  it('builds a hover with only our commands as links, whatever the text holds', () => {
    const q = '"The sanctions have not achieved any of their <img src=x onerror=alert(1)> [x](javascript:alert(1)) goals, and they never will,"';
    const c = checkOf(`${q} he said.`, q);
    const md = hoverMarkdown(c, LINKS);
    assert.ok(md);
    const html = render(md);
    assert.doesNotMatch(html, /<img|<script/);
    for (const href of links(html)) assert.match(href!, /^command:marginalia\.(quoteCheck\.openMatch|copyFaithfulQuotation)\?/);
    assert.match(html, /<strong>/);
    assert.match(html, /Copy faithful quotation/);
  });

  it('says nothing for a quotation with no match, and encodes command arguments', () => {
    const q = '"Nothing of the kind was ever said by anyone here,"';
    const c = checkOf(`${q} he said.`, q);
    assert.equal(hoverMarkdown(c, LINKS), undefined);
    assert.equal(isProblem(c), false);
    assert.equal(commandLink('x.y', { path: "a'(b)" }), 'command:x.y?%5B%7B%22path%22%3A%22a%27%28b%29%22%7D%5D');
  });
});
