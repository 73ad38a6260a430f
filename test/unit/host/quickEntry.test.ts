import * as assert from 'assert';
import { clipWords, describeQuickEntry, parseQuickEntry } from '../../../src/host/annotations/quickEntry';

const KINDS = ['note', 'claim', 'question', 'verdict', 'tag', 'link', 'correction'];
const VERDICTS = ['true', 'false', 'misleading', 'unverified', 'mostly true'];

describe('annotate: the quick entry', () => {
  it('claim: false #casualties the figure is from 2021', () => {
    assert.deepStrictEqual(parseQuickEntry('claim: false #casualties the figure is from 2021', KINDS, VERDICTS), {
      kind: 'claim', verdict: 'false', tags: ['casualties'], note: 'the figure is from 2021',
    });
  });

  it('a kind alone, a note without a verdict, tags anywhere, any case', () => {
    assert.deepStrictEqual(parseQuickEntry('note:', KINDS, VERDICTS), { kind: 'note', tags: [] });
    assert.deepStrictEqual(parseQuickEntry('Note: check the falsehood #a later #b', KINDS, VERDICTS), { kind: 'note', tags: ['a', 'b'], note: 'check the falsehood later' });
    assert.deepStrictEqual(parseQuickEntry('VERDICT: Misleading', KINDS, VERDICTS), { kind: 'verdict', verdict: 'misleading', tags: [] });
  });

  it('the longest verdict wins and a verdict must be a whole word', () => {
    assert.equal(parseQuickEntry('claim: mostly true, per the ministry', KINDS, VERDICTS)?.verdict, 'mostly true');
    assert.equal(parseQuickEntry('claim: falsehoods abound', KINDS, VERDICTS)?.verdict, undefined);
    assert.equal(parseQuickEntry('claim: falsehoods abound', KINDS, VERDICTS)?.note, 'falsehoods abound');
  });

  it('is not a quick entry without a known kind and a colon', () => {
    assert.equal(parseQuickEntry('claim', KINDS, VERDICTS), undefined);
    assert.equal(parseQuickEntry('opinion: x', KINDS, VERDICTS), undefined);
    assert.equal(parseQuickEntry('cla', KINDS, VERDICTS), undefined);
  });

  it('describes what it will save', () => {
    assert.equal(describeQuickEntry({ kind: 'claim', verdict: 'false', tags: ['casualties'], note: 'the figure is from 2021' }), 'claim · false · #casualties — the figure is from 2021');
    assert.equal(describeQuickEntry({ kind: 'note', tags: [] }), 'note');
  });

  it('toasts and titles cut text at a word, never mid-word', () => {
    assert.equal(clipWords('The figure is from 2021', 40), 'The figure is from 2021');
    assert.equal(clipWords('In a traditionally trusting atmosphere, current aspects of the bilateral agenda', 40), 'In a traditionally trusting atmosphere…');
    assert.equal(clipWords('Supercalifragilisticexpialidocious-and-more-words', 20).length, 20);
  });
});
