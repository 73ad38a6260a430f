import { strict as assert } from 'node:assert';
import { QuoteIndex } from '../../../src/core/quotecheck';
import { check, diffLine, fixture, primaryIndex } from './helpers';

describe('quotecheck: statuses against primary sources', () => {
  const index = primaryIndex();

  it('verbatim: a whole sentence, a part of one, with other quotation marks, case, dashes and punctuation', () => {
    for (const q of [
      'We will not accept ultimatums from anyone, and we will defend our interests by all available means.',
      'the other side came without a single concrete proposal',
      "Our economy has adapted to the new conditions — faster than anyone expected",
      'we have always said that the dialogue must continue',
    ]) {
      const r = check(index, q);
      assert.equal(r.status, 'verbatim', q);
      assert.equal(r.against, 'primary');
      assert.equal(r.matches[0].path, 'transcripts/briefing.txt');
    }
  });

  it('verbatim: the match locates the passage in the primary source (UTF-16 offsets)', () => {
    const r = check(index, 'The talks in Geneva were useful');
    const t = fixture('transcripts/briefing.txt');
    const m = r.matches[0];
    assert.equal(t.slice(m.start, m.end), 'The talks in Geneva were useful');
    assert.deepEqual(m.parts, [{ start: m.start, end: m.end }]);
  });

  it('marked-edit: an ellipsis that leaves words out, with the omitted words in the diff', () => {
    const r = check(index, 'We will not accept ultimatums from anyone … I want to stress that the door remains open');
    assert.equal(r.status, 'marked-edit');
    const del = r.matches[0].diff.find((d) => d.op === 'delete');
    assert.equal(del?.mark, 'ellipsis');
    assert.match(del!.text, /we will defend our interests by all available means/);
    assert.equal(r.matches[0].parts.length, 2);
  });

  it('marked-edit: segments too short for a 3-gram, cut off by ellipses, are found near their neighbours', () => {
    for (const q of [
      'The sanctions … achieved any of their stated goals',
      'The sanctions have not achieved any … goals, and they never will',
      'We have always said … the dialogue … continue, and we are ready to meet our partners at any level',
      '[They] have … said that the dialogue must continue',
    ]) {
      const r = check(index, q);
      assert.equal(r.status, 'marked-edit', `${q}: ${diffLine(r)}`);
      assert.ok(r.matches[0].diff.some((d) => d.mark === 'ellipsis'), q);
    }
    assert.equal(check(index, 'We have always said that the dialogue must continue … bananas').status, 'altered', 'a segment that is nowhere near');
  });

  it('marked-edit: a bracketed change; an ellipsis that leaves nothing out is verbatim', () => {
    const r = check(index, '[Russia] will not accept ultimatums from anyone');
    assert.equal(r.status, 'marked-edit');
    assert.equal(diffLine(r), '-{We} +{[Russia]} will not accept ultimatums from anyone');
    assert.equal(check(index, 'We will not accept … ultimatums from anyone').status, 'verbatim');
    assert.equal(check(index, '[W]e will not accept ultimatums from anyone').status, 'marked-edit');
  });

  it('altered: a substitution, an insertion, a deletion — each in the diff', () => {
    const sub = check(index, 'The sanctions have not achieved any of their goals, and they never can');
    assert.equal(sub.status, 'altered');
    assert.match(diffLine(sub), /-\{stated\}/);
    const ins = check(index, 'The talks in Geneva were very useful, but the other side came without a proposal');
    assert.equal(ins.status, 'altered');
    assert.match(diffLine(ins), /\+\{very\}/);
    assert.match(diffLine(ins), /-\{single concrete\}/);
    const rep = check(index, 'We will not not accept ultimatums from anyone');
    assert.equal(rep.status, 'altered', 'a repeated word is an insertion, not a jump');
  });

  it('spliced: distant parts joined without an ellipsis; the same with an ellipsis is a marked edit', () => {
    const r = check(index, 'Our economy has adapted to the new conditions and we are ready to meet our partners at any level');
    assert.equal(r.status, 'spliced');
    assert.equal(r.matches[0].parts.length, 2);
    const e = check(index, 'We are ready to meet our partners at any level … our economy has adapted to the new conditions');
    assert.equal(e.status, 'marked-edit');
    const back = check(index, 'Our economy has adapted to the new conditions … we are ready to meet our partners at any level');
    assert.equal(back.status, 'spliced', 'out of order across an ellipsis');
  });

  it('unmatched: nothing close, and short quotations (1–2 words; 3 words only verbatim)', () => {
    assert.equal(check(index, 'We will never negotiate with terrorists under any circumstances').status, 'unmatched');
    const short = check(index, 'useful');
    assert.equal(short.status, 'unmatched');
    assert.equal(short.short, true);
    assert.equal(check(index, 'all available means').status, 'verbatim');
    assert.equal(check(index, 'all possible means').status, 'unmatched');
  });

  it('a primary source in another file: the press release', () => {
    const r = check(index, 'It will handle four million travellers a year');
    assert.equal(r.status, 'verbatim');
    assert.equal(r.matches[0].path, 'statements/press-release.txt');
  });
});

describe('quotecheck: other sources when no primary source matches', () => {
  const text = (q: string) => `Headline\n\n“${q},” the minister said.\n`;
  const quote = (t: string) => ({ start: t.indexOf('“'), end: t.indexOf('”') + 1, kind: 'full' as const, speaker: null, cue: null, confidence: 1 });

  it('compares with the same quotation in other articles, never with itself', () => {
    const index = new QuoteIndex();
    const a = text('Our farmers have planted more wheat this year than in any year before');
    const b = text('Our farmers have planted more barley this year than in any year before');
    index.setSource('a.txt', { text: a, primary: false, quotes: [quote(a)] });
    assert.equal(index.check('a.txt')[0].status, 'unmatched', 'alone: nothing to compare with');
    index.setSource('b.txt', { text: b, primary: false, quotes: [quote(b)] });
    const r = index.check('a.txt')[0];
    assert.equal(r.status, 'altered');
    assert.equal(r.against, 'other');
    assert.equal(r.matches[0].path, 'b.txt');
  });

  it('a cropped quotation elsewhere confirms the overlap; a three-word overlap does not', () => {
    const index = new QuoteIndex();
    const a = text('Our farmers have planted more wheat this year than in any year before');
    const b = text('planted more wheat this year than in any year');
    const c = text('This year the White House said nothing at all about farming');
    index.setSource('a.txt', { text: a, primary: false, quotes: [quote(a)] });
    index.setSource('b.txt', { text: b, primary: false, quotes: [quote(b)] });
    index.setSource('c.txt', { text: c, primary: false, quotes: [quote(c)] });
    assert.equal(index.check('a.txt')[0].status, 'verbatim');
    assert.equal(index.check('c.txt')[0].status, 'unmatched');
  });
});
