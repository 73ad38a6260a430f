import { strict as assert } from 'node:assert';
import { escapeMarkdown, markdownBlockQuote, toMarkdown } from '../../../src/core/interchange/markdown';
import { HARBOUR, sampleAnalysis, sampleAnnotations } from './helpers';

// markdown-it (installed with @vscode/vsce) ships no types; renders as VS Code's preview does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o?: object) => { render(s: string): string; renderInline(s: string): string };
const md = new MarkdownIt({ html: true, linkify: false });

describe('interchange: Markdown report', () => {
  it('escapes user text so it renders literally: no links, images, HTML, emphasis or headings', () => {
    const evil = '# Head [x](javascript:alert(1)) ![i](http://e/x.png) <script>alert(1)</script> *em* _u_ `code` | ~~s~~ &amp;';
    const html = md.renderInline(escapeMarkdown(evil));
    assert.ok(!/<a |<img|<script|<em>|<code>|<del>|<s>/.test(html), html);
    assert.ok(html.includes('&lt;script&gt;'));
    assert.ok(html.includes('&amp;amp;'));
    // Block-level: a leading "#", "-", "1." or ">" stays text.
    for (const s of ['# not a heading', '- not a list', '1. not a list', '> not a quote', '+ nope']) {
      const block = md.render(escapeMarkdown(s));
      assert.ok(block.startsWith('<p>'), block);
    }
  });

  it('block quotes keep every line inside the quote', () => {
    const html = md.render(markdownBlockQuote('line one\n# two\n\nthree'));
    assert.ok(html.startsWith('<blockquote>'));
    assert.ok(!html.includes('<h1>'));
    assert.equal((html.match(/<blockquote>/g) ?? []).length, 1);
  });

  it('reports annotations, quotations by speaker and an entity index', () => {
    const out = toMarkdown({ path: 'news/harbour.txt', text: HARBOUR, annotations: sampleAnnotations(HARBOUR), analysis: sampleAnalysis(HARBOUR) });
    assert.match(out, /^# news\\\/harbour\\\.txt\n/);
    assert.match(out, /7 annotations, 3 quotations, 6 entities\./);
    for (const h of ['## Annotations', '## Quotations by speaker', '### Jane Okafor', '### Scare quotes', '## Entity index', '### People', '### Places']) assert.ok(out.includes(h), h);
    const html = md.render(out);
    assert.ok(!/<script|<a |href=/.test(html), 'user text never becomes HTML or a link');
    // The table of people survives the | in a note elsewhere and lists the role.
    assert.match(out, /\| Jane Okafor \| {2}\| Mayor \| 1 \| line 5 \|/);
    // Both of Okafor's quotations are under her name, with how they were attributed.
    const okafor = out.slice(out.indexOf('### Jane Okafor'), out.indexOf('### Scare quotes'));
    assert.match(okafor, /pronoun: “she”/);
    assert.equal((okafor.match(/^> /gm) ?? []).length, 2);
  });

  it('marks orphans', () => {
    const anns = sampleAnnotations(HARBOUR);
    const out = toMarkdown({ path: 'h.txt', text: HARBOUR, annotations: anns, orphans: new Set([anns[0].id]) });
    assert.match(out, /\*\*note\*\* \(orphaned: text not found\)/);
  });
});
