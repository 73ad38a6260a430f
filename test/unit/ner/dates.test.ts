import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findDateline, findDates, fullDates, resolveDate } from '../../../src/core/ner/dates';

const REF = { y: 2023, m: 10, d: 24 }; // a Tuesday

function dates(text: string): [string, string | undefined][] {
  return findDates(text).map((h) => [text.slice(h.start, h.end), resolveDate(h.spec, REF)]);
}

describe('dates', () => {
  const cases: [string, [string, string | undefined][]][] = [
    ["The minister flew to Oslo on 12 March, days before the vote.", [["12 March", "2023-03-12"]]],
    ['Talks resumed on October 2, 2021 in Doha.', [['October 2, 2021', '2021-10-02']]],
    ['The plant opened in June 2019.', [['June 2019', '2019-06']]],
    ['Last year, the harvest failed.', [['Last year', '2022']]],
    ['“Today, we start again,” she said.', [['Today', '2023-10-24']]],
    ['He had warned of this years ago.', [['years ago', 'PAST_REF']]],
    ['He had warned of this three days ago.', [['three days ago', '2023-10-21']]],
    ['Protests continued over the weekend.', [['the weekend', '2023-10-21/2023-10-22']]],
    ['Dozens were detained over the past few days.', [['the past few days', 'PXD']]],
    ['The deal came just a week after the summit.', [['just a week', 'P1W']]],
    ['She arrived last Friday and leaves next month.', [['last Friday', '2023-10-20'], ['next month', '2023-11']]],
    ['Yesterday the council met.', [['Yesterday', '2023-10-23']]],
    ['The 1990s were different.', [['The 1990s', '199X']]],
    ['The report, dated 2022-11-05, was leaked.', [['2022-11-05', '2022-11-05']]],
    ['In 2015 the border closed.', [['2015', '2015']]],
  ];
  for (const [text, want] of cases) {
    it(`finds and normalises: ${text}`, () => assert.deepEqual(dates(text), want));
  }

  it('does not mark modal "may" or the verb "march", numbers, ages or money', () => {
    assert.deepEqual(dates('You may march to the square. May I ask?'), []);
    assert.deepEqual(dates('It cost $2019 and 2,019 people came; a five-year-old girl; five years old.'), []);
  });

  it('a date without a year takes the year closest to the reference', () => {
    assert.deepEqual(dates('On 28 December the ship sank.'), [['28 December', '2022-12-28']]);
  });

  it('reads the dateline of a source', () => {
    const text = 'Headline about something\n\nThe Daily Planet, March 3, 2021 —\n\nBody text on 1 March.';
    const dl = findDateline(text);
    assert.ok(dl);
    assert.deepEqual(dl.date, { y: 2021, m: 3, d: 3 });
    assert.equal(text.slice(dl.name!.start, dl.name!.end), 'The Daily Planet');
  });

  it('resolves against no reference only what is absolute', () => {
    const [h] = findDates('Today it rains.');
    assert.equal(resolveDate(h.spec, undefined), undefined);
  });
});

describe('dates: more constructions', () => {
  const more: [string, [string, string | undefined][]][] = [
    ['Eight years ago, the dam broke.', [['Eight years ago', '2015']]],
    ['They argued for 90 minutes.', [['90 minutes', 'PT90M']]],
    ['She called earlier Friday.', [['earlier Friday', '2023-10-20']]],
    ['Prices rose in recent months.', [['recent months', 'PXM']]],
    ['It rained this past week.', [['this past week', '2023-10-16/2023-10-22']]],
    ['The vote is at 4:45 p.m. Nobody came.', [['4:45 p.m.', undefined]]],
    ['Polls close at 9:00 a.m. Eastern Time and 7 p.m. PST.', [['9:00 a.m. Eastern Time', undefined], ['7 p.m. PST', undefined]]],
    ['They meet again the following Monday.', [['following Monday', '2023-10-30']]],
    ['Sales grew from 2011 to 2016, and again in 2016-17.', [['2011 to 2016', '2011/2016'], ['2016-17', '2016/2017']]],
    ['The 1990–2000 decade; 2016-2012 is a typo.', [['1990–2000', '1990/2000'], ['2016', '2016']]],
    ['By 2030 to 32 percent of voters.', [['2030', '2030']]],
    ['They met last December and meet again next March.', [['last December', '2022-12'], ['next March', '2024-03']]],
    ['It was cold last December 5.', [['December 5', '2023-12-05']]],
    ['Prices are set every year, reviewed every three months and checked every other week.', [['every year', 'P1Y'], ['every three months', 'P3M'], ['every other week', 'P2W']]],
  ];
  for (const [text, want] of more) {
    it(text, () => assert.deepEqual(findDates(text).map((h) => [text.slice(h.start, h.end), resolveDate(h.spec, REF)]), want));
  }
});

describe('dates: the dateline scan', () => {
  // Words that start, end or run into dates, so that matches overlap in many ways.
  const piece = fc.constantFrom(
    'October', 'Oct.', 'Sept', 'May', 'March', '23', '3rd', '2023', '1990s', '’90s', '2023-10-24', '-10-24', 'of', 'the', 'The',
    'past', 'last', 'Monday', 'morning', 'two', 'days', 'ago', 'weeks', 'Over', 'about', '10', 'a.m.', 'ET', 'Today', ',', '.', '—',
    '(AFP)', 'Published', 'Jan', '12th', '31', '2019', 'week', 'years', 'this', 'spring', 'to', '–', 'every', 'December', 'next', '17',
  );
  const sep = fc.constantFrom(' ', ' ', ' ', '', ', ', '\n', '\n\n', '-', ' — ');
  const text = fc.array(fc.tuple(piece, sep), { maxLength: 30 }).map((ps) => ps.map(([p, s]) => p + s).join(''));

  it('finds the same full dates as the whole date pattern', () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.deepEqual(fullDates(t), fullDates(t, true));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a month and year that runs into a date, as the whole pattern does', () => {
    const t = 'Published October 2023-10-24 — news';
    assert.deepEqual(fullDates(t), fullDates(t, true));
    assert.deepEqual(fullDates(t), []);
    assert.deepEqual(fullDates('Published 2023-10-24 — news').map((h) => h.spec), [{ kind: 'abs', y: 2023, m: 10, d: 24 }]);
  });
});
