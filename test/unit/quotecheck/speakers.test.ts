import { strict as assert } from 'node:assert';
import { identifySpeakers, speakerKey } from '../../../src/core/quotecheck';

describe('quotecheck: speakers across sources', () => {
  it('a surname joins the one full name that has it', () => {
    const m = identifySpeakers(['Lavrov', 'Sergei Lavrov', 'Foreign Minister Sergei Lavrov', 'S. Lavrov']);
    for (const n of ['Lavrov', 'Sergei Lavrov', 'Foreign Minister Sergei Lavrov', 'S. Lavrov']) assert.equal(m.get(n), m.get('Sergei Lavrov'), n);
  });

  it('a surname shared by two people stays apart; different first names are different people', () => {
    const m = identifySpeakers(['Clinton', 'Hillary Clinton', 'Bill Clinton']);
    assert.equal(m.get('Clinton'), 'Clinton');
    assert.equal(m.get('Hillary Clinton'), 'Hillary Clinton');
    assert.equal(m.get('Bill Clinton'), 'Bill Clinton');
  });

  it('descriptions are only themselves; titles, case, diacritics and suffixes do not matter', () => {
    const m = identifySpeakers(['a spokesman', 'the minister', 'Minister', 'José Núñez Jr.', 'Jose Nunez']);
    assert.equal(m.get('a spokesman'), 'a spokesman');
    assert.equal(m.get('the minister'), 'the minister');
    assert.equal(m.get('José Núñez Jr.'), m.get('Jose Nunez'));
    assert.equal(speakerKey('President Donald J. Trump'), 'donald j trump');
    assert.equal(speakerKey('a senior official'), '~a senior official');
  });
});
