import * as assert from 'node:assert/strict';
import { recognizeEntities } from '../../../src/core/ner';
import { listTagger } from './helpers';

describe('paragraph rules: interjections are not names', () => {
  // A tagger that reads these capitalised words as names, as the statistical one sometimes does.
  const model = listTagger([['Well', 'PER'], ['Look', 'LOC'], ['Hey', 'LOC'], ['Wells', 'PER'], ['Pence', 'PER']]);
  const names = (text: string): string[] => recognizeEntities(text, { model }).mentions.map((m) => `${m.text}/${m.type}`);

  it('drops an interjection that opens a sentence, an utterance or a quotation', () => {
    assert.deepEqual(names('PENCE: Well, look, the question is fair.'), []);
    assert.deepEqual(names('They said, ‘Look, this is not who we are.’'), []);
    assert.deepEqual(names('“Hey, go vote,” she said. Well! That was it.'), []);
  });

  it('keeps the same word as a name elsewhere', () => {
    assert.deepEqual(names('Pence met Well, the mayor, on Monday.'), ['Pence/person', 'Well/person', 'Monday/date']);
    assert.deepEqual(names('Well said it first.'), ['Well/person']);
    assert.deepEqual(names('Wells, the mayor, spoke.'), ['Wells/person']);
  });
});

describe('paragraph rules: a tagging function may recognise text itself', () => {
  it('gives the same mentions as a tagger that does not', () => {
    const plain = listTagger([['Acme', 'ORG']]);
    // A custom tagger that runs a whole recognition of its own before answering (as a wrapper might).
    const nested: typeof plain = (text, start, end, context) => {
      recognizeEntities('Other text on 4 June 2023 with 12 people and Zeta Corp in it.', { model: listTagger([['Zeta Corp', 'ORG']]) });
      return plain(text, start, end, context);
    };
    const text = 'On 3 May 2024 Acme hired 40 people.';
    const want = recognizeEntities(text, { model: plain }).mentions.map((m) => `${m.text}/${m.type}`);
    assert.deepEqual(want, ['3 May 2024/date', 'Acme/organization', '40/number']);
    assert.deepEqual(recognizeEntities(text, { model: nested }).mentions.map((m) => `${m.text}/${m.type}`), want);
  });
});

describe('paragraph rules: an organisation head word before "for/of (the) Name"', () => {
  const model = listTagger([['South Caucasus', 'LOC'], ['Black Sea', 'LOC']]);
  const names = (text: string): string[] => recognizeEntities(text, { model }).mentions.filter((m) => m.type !== 'date').map((m) => `${m.text}/${m.type}`);

  it('reads an untagged capitalised run ending in a head word, and the name after it, as one organisation', () => {
    assert.deepEqual(names('She attended the Consultative Regional Platform for the South Caucasus in May.'), ['Consultative Regional Platform for the South Caucasus/organization']);
    assert.deepEqual(names('Delegates of the Permanent Joint Commission of the Black Sea met.'), ['Permanent Joint Commission of the Black Sea/organization']);
  });

  it('leaves runs without a head word, and runs opening with "The", to the tagger', () => {
    assert.deepEqual(names('She attended the Regional Meeting for the South Caucasus in May.'), ['South Caucasus/place']);
    assert.deepEqual(names('The Joint Commission for the Black Sea met.'), ['Black Sea/place']);
  });
});
