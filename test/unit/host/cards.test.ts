import * as assert from 'assert';
import { marked } from 'marked';
import type { Entity, Mention, Quote } from '../../../src/core/types';
import { commandUri, encodeStrict, entityCard, escapeMarkdown, quoteCard, webSearchUrl, wikipediaUrl } from '../../../src/host/hover/cards';

// VS Code renders hover markdown with `marked` (GFM, autolinks on); we render the same way and look
// at the HTML: hostile document text must never become a link, an HTML element or an entity.
const render = (md: string) => marked.parse(md, { async: false, gfm: true }) as string;
const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);

const HOSTILE = [
  '[x](command:marginalia.showAllMentions?%5B%5D)',
  '[click](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'https://evil.example/x',
  'www.evil.example',
  '![i](https://evil.example/p.png)',
  '&lt;b&gt; &#x3C;i&#x3E;',
  '`code` **bold** _em_ # head',
  '<https://evil.example>',
  '[ref]\n\n[ref]: command:workbench.action.terminal.new',
  'a\\](command:x)',
];

function entity(over: Partial<Entity> = {}): Entity {
  return { id: 'person:x', type: 'person', canonical: 'Sergei Lavrov', aliases: ['Lavrov'], roles: ['Russian Foreign Minister'], mentions: [{ start: 0, end: 6 }], ...over };
}

describe('hover cards: escaping', () => {
  for (const h of HOSTILE) {
    it(`renders ${JSON.stringify(h)} as inert text`, () => {
      const html = render(escapeMarkdown(h));
      assert.deepStrictEqual(links(html), [], html);
      assert.ok(!/<(img|script|a|code|strong|em|h\d)\b/i.test(html), html);
      // what the reader sees is the text itself (whitespace collapsed)
      const visible = html.replace(/<\/?p>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
      assert.strictEqual(visible, h.replace(/\s+/g, ' ').trim());
    });
  }

  it('keeps hostile canonical names, roles, aliases and descriptions out of links', () => {
    const e = entity({ canonical: HOSTILE[0], roles: [HOSTILE[1]], aliases: [HOSTILE[2], HOSTILE[5]], description: HOSTILE[11] });
    const md = entityCard({
      entity: e,
      text: '“[y](command:evil)” he said',
      quotes: [{ start: 0, end: 20, kind: 'full', speaker: null, cue: null, confidence: 1 }],
      showAllMentions: { command: 'marginalia.showAllMentions', args: { uri: 'file:///a).txt', type: 'person', canonical: HOSTILE[0], entityId: 'person:x' } },
    });
    const hrefs = links(render(md));
    assert.strictEqual(hrefs.length, 3, hrefs.join('\n'));
    assert.ok(hrefs[0].startsWith('command:marginalia.showAllMentions?'), hrefs[0]);
    assert.ok(hrefs[1].startsWith('https://en.wikipedia.org/w/index.php?search='), hrefs[1]);
    assert.ok(hrefs[2].startsWith('https://duckduckgo.com/?q='), hrefs[2]);
    // the command's argument survives intact
    const args = JSON.parse(decodeURIComponent(hrefs[0].slice(hrefs[0].indexOf('?') + 1))) as unknown[];
    assert.deepStrictEqual(args, [{ uri: 'file:///a).txt', type: 'person', canonical: HOSTILE[0], entityId: 'person:x' }]);
  });

  it('encodes search URLs strictly (no parentheses, quotes or spaces)', () => {
    const name = "O'Brien (journalist) & co";
    for (const url of [wikipediaUrl(name), webSearchUrl(name)]) {
      assert.ok(!/[()' &]/.test(url.slice(url.indexOf('=') + 1)), url);
      assert.strictEqual(decodeURIComponent(url.slice(url.indexOf('=') + 1)), name);
    }
    assert.strictEqual(encodeStrict("(!'*)"), '%28%21%27%2A%29');
    assert.ok(!/[()]/.test(commandUri('marginalia.x', { a: '()' })));
  });
});

describe('hover cards: content', () => {
  const text = 'Sergei Lavrov met. “We agree,” he added. Lavrov left on 23 October.';
  const quote: Quote = { start: 19, end: 30, kind: 'full', speaker: { start: 31, end: 33, name: 'Sergei Lavrov', entityId: 'person:x', via: 'pronoun' }, cue: { start: 31, end: 39 }, confidence: 0.9 };

  it('names the entity, its type, role, aliases, counts, quotations and links', () => {
    const md = entityCard({ entity: entity({ mentions: [{ start: 0, end: 13 }, { start: 41, end: 47 }] }), text, quotes: [quote], workspace: { mentions: 7, sources: 3 } });
    assert.match(md, /\*\*Sergei Lavrov\*\* — person/);
    assert.match(md, /Russian Foreign Minister/);
    assert.match(md, /Also: Lavrov/);
    assert.match(md, /Mentioned 2 times here · 7 times in 3 sources of the workspace/);
    assert.match(md, /Quotations \(1\)/);
    assert.match(md, /“We agree\\,”/);
  });

  it('offers a workspace count link when the workspace has not been scanned', () => {
    const md = entityCard({ entity: entity(), text, quotes: [], scanCommand: 'marginalia.rescanWorkspace' });
    assert.deepStrictEqual(links(render(md)).filter((l) => l.startsWith('command:')), [commandUri('marginalia.rescanWorkspace', {})]);
  });

  it('gives the normalised date of a date mention and a dictionary description', () => {
    const date: Entity = { id: 'date:1', type: 'date', canonical: '23 October', aliases: [], roles: [], mentions: [{ start: 57, end: 67 }], description: 'The day of the visit' };
    const mention: Mention = { start: 57, end: 67, type: 'date', text: '23 October', canonical: '23 October', entityId: 'date:1', confidence: 1, value: '2023-10-23' };
    const md = entityCard({ entity: date, mention, text, quotes: [] });
    assert.match(md, /Date: `2023-10-23`/);
    assert.match(md, /The day of the visit/);
  });

  it('explains how a quotation was attributed, with its cue and the other quotations', () => {
    const other: Quote = { ...quote, start: 41, end: 47 };
    const md = quoteCard({ quote, text, others: [other] });
    assert.match(md, /said by \*\*Sergei Lavrov\*\*, attributed by pronoun \(“he”\)/);
    assert.match(md, /Cue: \*he added\*/);
    assert.match(md, /Other quotations by Sergei Lavrov \(1\)/);
    assert.match(quoteCard({ quote: { ...quote, speaker: null }, text, others: [] }), /speaker not found/);
  });
});
