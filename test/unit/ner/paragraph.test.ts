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
