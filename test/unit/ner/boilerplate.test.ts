import * as assert from 'node:assert/strict';
import { findBoilerplate } from '../../../src/core/ner/boilerplate';
import { recognizeEntities } from '../../../src/core/ner';

describe('boilerplate', () => {
  const page = [
    'The mayor of Lyon opened the bridge.',
    '',
    'Share this:',
    'Click to share on Twitter (Opens in new window)',
    '',
    'Read the rest here',
    '',
    'We use cookies to improve your experience. Accept all cookies',
    '',
    'Leave a Reply',
    '',
    'Your email address will not be published. Required fields are marked *',
    '',
    'Subscribe to our newsletter from Paris Media Group',
  ].join('\n');

  it('finds web furniture lines', () => {
    const spans = findBoilerplate(page).map((s) => page.slice(s.start, s.end));
    assert.deepEqual(spans, [
      'Share this:',
      'Click to share on Twitter (Opens in new window)',
      'Read the rest here',
      'We use cookies to improve your experience. Accept all cookies',
      'Leave a Reply',
      'Your email address will not be published. Required fields are marked *',
      'Subscribe to our newsletter from Paris Media Group',
    ]);
  });

  it('leaves prose alone, even when it starts like furniture', () => {
    const prose = 'Subscribers to the old plan, the minister said in a long statement to parliament on Monday, will keep their rates until the end of the decade and beyond, whatever happens with the merger talks in Brussels next year.';
    assert.deepEqual(findBoilerplate(prose), []);
    assert.deepEqual(findBoilerplate('Read more carefully, he said.\nShare the load.'), []);
  });

  it('nothing inside furniture is marked', () => {
    const r = recognizeEntities(page);
    for (const m of r.mentions) assert.ok(m.start < page.indexOf('Share this:'), `marked inside boilerplate: ${m.text}`);
    assert.ok(r.mentions.some((m) => m.text === 'Lyon'));
  });
});
