import { strict as assert } from 'node:assert';
import { pairMarks } from '../../../src/core/quotes/marks';
import { findQuotes } from '../../../src/core/quotes';
import { none } from './helpers';

const spans = (u: string): string[] => pairMarks(u).map((s) => u.slice(s.start, s.end));

describe('quotation marks', () => {
  it('pairs curly double and single quotes, marks included', () => {
    assert.deepEqual(spans('She called it “a plan” and ‘a bet’.'), ['“a plan”', '‘a bet’']);
  });

  it('never treats an apostrophe as a quotation mark', () => {
    const u = 'We’d seen Israel’s and Gaza’s maps, the ’90s, rock ’n’ roll and the students’ union, don\'t, O\'Brien\'s, the \'80s.';
    assert.deepEqual(spans(u), []);
    assert.deepEqual(findQuotes(u, none), []);
  });

  it('tells a closing single quote from a plural possessive apostrophe', () => {
    assert.deepEqual(spans('The students’ union said ‘no way’ to the teachers’ plan.'), ['‘no way’']);
  });

  it('pairs straight double and single quotes', () => {
    assert.deepEqual(spans('He said "go now" and \'fast\'.'), ['"go now"', "'fast'"]);
  });

  it('reads guillemets and German „ “ quotes', () => {
    assert.deepEqual(spans('Il a dit « bonjour » hier.'), ['« bonjour »']);
    assert.deepEqual(spans('Er sagte „guten Tag“ und ging.'), ['„guten Tag“']);
  });

  it('reads doubled straight single quotes as a double quotation mark', () => {
    assert.deepEqual(spans("the ''Buffett rule'' again"), ["''Buffett rule''"]);
  });

  it('nests quotations and records the parent', () => {
    const u = '“He told me ‘never again’ twice,” she said.';
    const segs = pairMarks(u);
    assert.equal(segs.length, 2);
    assert.equal(segs[1].parent, 0);
    assert.equal(segs[1].depth, 1);
    assert.equal(u.slice(segs[1].start, segs[1].end), '‘never again’');
  });

  it('runs an unclosed double quotation to the end of its paragraph only', () => {
    const u = '“This never closes, he said';
    const segs = pairMarks(u);
    assert.equal(segs.length, 1);
    assert.equal(segs[0].closed, false);
    assert.equal(segs[0].end, u.length);
  });

  it('keeps the damage of an unbalanced mark inside the paragraph', () => {
    const text = 'A stray “ mark opens here and never closes.\n\n“Fine,” Ana said.\n\nThen “more” came.';
    const qs = findQuotes(text, none);
    const found = qs.map((q) => text.slice(q.start, q.end));
    assert.ok(found.includes('“Fine,”'), found.join(' | '));
    assert.ok(found.includes('“more”'), found.join(' | '));
    assert.ok(qs.every((q) => !text.slice(q.start, q.end).includes('\n')), 'no quotation crosses a paragraph');
  });

  it('ignores a stray closing straight quote with nothing open', () => {
    assert.deepEqual(spans('He said foo," and "bar."'), ['"bar."']);
  });

  it('does not take an inch mark for a quotation', () => {
    assert.deepEqual(spans('She is 5\'10" tall and "quick".'), ['"quick"']);
  });
});
