import { strict as assert } from 'node:assert';
import { Postings, QuoteIndex } from '../../../src/core/quotecheck';
import type { Quote } from '../../../src/core/types';
import { check, fixture, primaryIndex } from './helpers';

function quotesOf(text: string): Quote[] {
  const out: Quote[] = [];
  const re = /“[^”]*”/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'full', speaker: { start: 0, end: 6, name: 'Lavrov', via: 'name' }, cue: null, confidence: 1 });
  return out;
}

describe('quotecheck: QuoteIndex (incremental)', () => {
  it('an edit of a primary source changes the statuses: setSource replaces, removeSource forgets', () => {
    const index = primaryIndex();
    const q = 'The sanctions have not achieved any of their stated goals';
    assert.equal(check(index, q).status, 'verbatim');
    const v0 = index.version;
    const edited = fixture('transcripts/briefing.txt').replace('stated goals', 'declared goals');
    index.setSource('transcripts/briefing.txt', { text: edited, primary: true });
    assert.ok(index.version > v0);
    assert.equal(check(index, q).status, 'altered');
    index.removeSource('transcripts/briefing.txt');
    assert.equal(check(index, q).status, 'unmatched');
    assert.equal(index.hasSource('transcripts/briefing.txt'), false);
  });

  it('check(path) gives every quotation of a source with its speaker; primary sources are not checked', () => {
    const index = primaryIndex();
    const article = 'Lavrov spoke.\n\n“The talks in Geneva were useful,” Lavrov said. “We will never negotiate with anyone at all,” he said.\n';
    index.setSource('article.txt', { text: article, primary: false, quotes: quotesOf(article) });
    const rs = index.check('article.txt');
    assert.deepEqual(rs.map((r) => r.status), ['verbatim', 'unmatched']);
    assert.equal(rs[0].text, '“The talks in Geneva were useful,”');
    assert.equal(article.slice(rs[0].start, rs[0].end), rs[0].text);
    assert.deepEqual(rs[0].speaker, { name: 'Lavrov', canonical: 'Lavrov' });
    assert.deepEqual(index.check('transcripts/briefing.txt'), []);
    assert.equal(index.checkAll().length, 2);
  });

  it('elsewhere: the same quotation in other sources, beside the primary match', () => {
    const index = primaryIndex();
    const a = '“The talks in Geneva were useful, but the other side came without a proposal,” Lavrov said.';
    const b = '“The talks in Geneva were useful,” he said.';
    index.setSource('a.txt', { text: a, primary: false, quotes: quotesOf(a) });
    index.setSource('b.txt', { text: b, primary: false, quotes: quotesOf(b) });
    const [ra] = index.check('a.txt');
    assert.equal(ra.status, 'altered');
    assert.equal(ra.against, 'primary');
    assert.deepEqual(ra.elsewhere.map((m) => [m.path, m.status]), [['b.txt', 'verbatim']]);
    const [rb] = index.check('b.txt');
    assert.equal(rb.status, 'verbatim');
    assert.deepEqual(rb.elsewhere.map((m) => m.path), ['a.txt']);
  });

  it('many edits give the same answers as a fresh index (dead postings skipped, then compacted)', () => {
    const base = fixture('transcripts/briefing.txt');
    const index = new QuoteIndex();
    // Enough sources and edits to pass the compaction threshold.
    const filler = (i: number) => Array.from({ length: 400 }, (_, k) => `word${(i * 7 + k) % 997} filler${k % 13}`).join(' ');
    for (let i = 0; i < 60; i++) index.setSource(`f${i}.txt`, { text: filler(i), primary: true });
    index.setSource('t.txt', { text: base, primary: true });
    for (let round = 0; round < 6; round++) for (let i = 0; i < 60; i++) index.setSource(`f${i}.txt`, { text: filler(i + round), primary: true });
    const st = index.stats();
    assert.ok(st.deadPostings < st.postings, `compaction ran (${st.deadPostings} dead of ${st.postings})`);
    const fresh = new QuoteIndex();
    for (let i = 0; i < 60; i++) fresh.setSource(`f${i}.txt`, { text: filler(i + 5), primary: true });
    fresh.setSource('t.txt', { text: base, primary: true });
    for (const q of ['We will not accept ultimatums from anyone', 'The talks in Geneva were useless', 'word5 filler5 word6 filler6 word7 filler7']) {
      const a = check(index, q);
      const b = check(fresh, q);
      assert.equal(a.status, b.status, q);
      assert.deepEqual(a.matches.map((m) => [m.path, m.start, m.end]), b.matches.map((m) => [m.path, m.start, m.end]), q);
    }
  });

  it('bySpeaker groups quotations across sources by the same person', () => {
    const index = new QuoteIndex();
    const mk = (name: string, q: string) => {
      const text = `“${q},” ${name} said.`;
      return { text, primary: false, quotes: [{ start: 0, end: q.length + 3, kind: 'full' as const, speaker: { start: 0, end: 1, name, via: 'name' as const }, cue: null, confidence: 1 }] };
    };
    index.setSource('a.txt', mk('Sergei Lavrov', 'One two three four'));
    index.setSource('b.txt', mk('Lavrov', 'Five six seven eight'));
    index.setSource('c.txt', mk('a spokesman', 'Nine ten eleven twelve'));
    const groups = index.bySpeaker();
    const lavrov = groups.find((g) => g.name === 'Sergei Lavrov')!;
    assert.deepEqual(lavrov.aliases.sort(), ['Lavrov', 'Sergei Lavrov']);
    assert.deepEqual(lavrov.quotes.map((q) => q.path), ['a.txt', 'b.txt']);
    assert.equal(index.check('b.txt')[0].speaker?.canonical, 'Sergei Lavrov');
    assert.ok(groups.some((g) => g.name === 'a spokesman'));
  });
});

describe('quotecheck: Postings', () => {
  it('stores, finds and compacts postings', () => {
    const p = new Postings(16);
    const alive = new Uint8Array(4).fill(1);
    for (let i = 0; i < 1000; i++) p.add(i % 10, i % 4, i);
    const found: number[] = [];
    p.each(3, alive, 1000, (_s, pos) => found.push(pos));
    assert.equal(found.length, 100);
    alive[1] = 0;
    const after: number[] = [];
    p.each(3, alive, 1000, (s) => after.push(s));
    assert.ok(after.every((s) => s !== 1));
    assert.equal(p.each(3, alive, 10, () => undefined), 11, 'stops past the limit');
  });
});
