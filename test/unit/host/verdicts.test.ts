import * as assert from 'assert';
import { badgeText, verdictClass, verdictColorId } from '../../../src/host/annotations/verdicts';

describe('verdicts at a glance', () => {
  it('classes the default scale, common synonyms and the user\'s own verdicts', () => {
    assert.equal(verdictClass('true'), 'true');
    assert.equal(verdictClass('FALSE'), 'false');
    assert.equal(verdictClass('Misleading'), 'misleading');
    assert.equal(verdictClass('unverified'), 'unverified');
    assert.equal(verdictClass('pants on fire'), 'false');
    assert.equal(verdictClass('satire'), 'other');
    assert.equal(verdictClass(undefined), 'none');
  });

  it('names a themeable colour per class', () => {
    assert.equal(verdictColorId('false'), 'marginalia.verdictFalse');
    assert.equal(verdictColorId('none'), 'marginalia.annotationBorder');
  });

  it('the badge says the verdict (or the kind) and a clipped note', () => {
    assert.equal(badgeText('claim', 'false', 'The figure is from 2021'), 'false · The figure is from 2021');
    assert.equal(badgeText('note', undefined, undefined), 'note');
    assert.ok(badgeText('note', undefined, 'x'.repeat(100)).length <= 47);
  });
});
