import { strict as assert } from 'node:assert';
import { findQuotes as findAll, QuoteFinder, splitUnits } from '../../../src/core/quotes';
import { entities, none, view } from './helpers';

/** Quotation-mark quotations only (reported statements, kind `indirect`, have their own tests: reported.test.ts). */
function findQuotes(...args: Parameters<typeof findAll>): ReturnType<typeof findAll> {
  return findAll(...args).filter((q) => q.kind !== 'indirect');
}

describe('quotation kinds', () => {
  it('a quotation standing as its own sentence is full', () => {
    const text = '“We will rebuild the bridge by spring,” Maria Lopez said.';
    const [q] = findQuotes(text, entities(text, [{ canonical: 'Maria Lopez', type: 'person' }]));
    assert.equal(q.kind, 'full');
    assert.equal(text.slice(q.start, q.end), '“We will rebuild the bridge by spring,”');
  });

  it('quoted words inside the writer’s sentence are partial and belong to the sentence’s speaker', () => {
    const text = 'Lopez dismissed the report as “a work of fiction” on Monday.';
    const qs = findQuotes(text, entities(text, [{ canonical: 'Maria Lopez', type: 'person', surfaces: ['Lopez'] }]));
    assert.deepEqual(view(text, qs), [{ q: '“a work of fiction”', kind: 'partial', speaker: 'Maria Lopez', via: 'name' }]);
  });

  it('a short phrase in quotation marks that nobody is said to have said is a scare quote', () => {
    const text = 'The “reform” left the harbour exactly as it was.';
    assert.deepEqual(view(text, findQuotes(text, none)), [{ q: '“reform”', kind: 'scare', speaker: null }]);
  });

  it('the subject of a passive speech verb is spoken to, not the speaker: no speaker rather than a guess', () => {
    const text = 'Paul Stone was asked about the “reform” on Monday.';
    const er = entities(text, [{ canonical: 'Paul Stone', type: 'person' }]);
    assert.deepEqual(view(text, findQuotes(text, er)), [{ q: '“reform”', kind: 'scare', speaker: null }]);
    // the active form still attributes it
    const active = 'Paul Stone asked about the “reform” on Monday.';
    assert.equal(findQuotes(active, entities(active, [{ canonical: 'Paul Stone', type: 'person' }]))[0]?.speaker?.name, 'Paul Stone');
  });

  it('a Markdown block quote is one quotation of kind block, attributed by the line that introduces it', () => {
    const text = 'The mayor wrote on her blog:\n\n> The bridge will open in May.\n> Bring your “bikes”.\n\nNobody believed it.';
    const er = entities(text, [{ canonical: 'Ana Ruiz', type: 'person', roles: ['mayor'], surfaces: [] }]);
    const qs = findQuotes(text, er);
    const block = qs.find((q) => q.kind === 'block');
    assert.ok(block, 'block quote found');
    assert.equal(text.slice(block.start, block.end), '> The bridge will open in May.\n> Bring your “bikes”.');
    assert.equal(block.speaker?.name, 'Ana Ruiz');
    assert.equal(block.speaker?.via, 'role');
    // words quoted inside the block are the block's speaker's
    const inner = qs.find((q) => q.parent !== undefined);
    assert.equal(inner && text.slice(inner.start, inner.end), '“bikes”');
    assert.equal(inner?.speaker?.name, 'Ana Ruiz');
  });

  it('titles and names in quotation marks are not quotations', () => {
    const text = 'On “Morning Edition,” Tom Baker said the vote was close.';
    assert.deepEqual(findQuotes(text, none), []);
  });
});

describe('speakers', () => {
  it('links a named speaker to the entity, with the cue', () => {
    const text = 'The port reopened on Friday.\n\n“Ships are moving again,” Harbour Master Jonas Berg said in a statement.';
    const er = entities(text, [{ canonical: 'Jonas Berg', type: 'person' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Jonas Berg');
    assert.equal(q.speaker?.entityId, 'person:jonas-berg');
    assert.equal(q.speaker?.via, 'name');
    assert.ok(q.cue);
    assert.equal(text.slice(q.cue.start, q.cue.end), 'said in a statement');
    assert.ok(q.confidence > 0.5);
  });

  it('reads inverted attributions and attributions before the quotation', () => {
    const text = '“Not this year,” said Omar Haddad.\n\nPriya Nair told reporters: “We expect a decision soon.”';
    const er = entities(text, [
      { canonical: 'Omar Haddad', type: 'person' },
      { canonical: 'Priya Nair', type: 'person' },
    ]);
    assert.deepEqual(
      findQuotes(text, er).map((q) => q.speaker?.name),
      ['Omar Haddad', 'Priya Nair'],
    );
  });

  it('resolves a pronoun to the most recent fitting person', () => {
    const text = '“The talks went well,” Keller said.\n\n“We meet again in June,” she added.';
    const er = entities(text, [{ canonical: 'Greta Keller', type: 'person', surfaces: ['Keller'] }]);
    const qs = findQuotes(text, er);
    assert.equal(qs[1].speaker?.name, 'Greta Keller');
    assert.equal(qs[1].speaker?.via, 'pronoun');
    assert.equal(text.slice(qs[1].speaker.start, qs[1].speaker.end), 'she');
  });

  it('resolves "they" to an organisation or group', () => {
    const text = 'The Dock Workers Union rejected the offer.\n\n“It is not enough,” they said.';
    const er = entities(text, [{ canonical: 'Dock Workers Union', type: 'organization' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Dock Workers Union');
    assert.equal(q.speaker?.via, 'pronoun');
  });

  it('resolves a role phrase to the person the text gave that role', () => {
    const text = 'Finnish Prime Minister Aino Virtanen met the delegation.\n\n“We are ready,” the Finnish prime minister said.';
    const er = entities(text, [{ canonical: 'Aino Virtanen', type: 'person', roles: ['Finnish Prime Minister'] }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Aino Virtanen');
    assert.equal(q.speaker?.via, 'role');
    assert.equal(text.slice(q.speaker.start, q.speaker.end), 'the Finnish prime minister');
  });

  it('attributes to an organisation', () => {
    const text = '“Flights will resume tomorrow,” the Civil Aviation Authority said.';
    const er = entities(text, [{ canonical: 'Civil Aviation Authority', type: 'organization' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Civil Aviation Authority');
    assert.equal(q.speaker?.via, 'organization');
  });

  it('keeps an unnamed speaker as its description, without an entity', () => {
    const text = 'The plan was rejected over what a senior official called a failure “to plan for winter.”';
    const [q] = findQuotes(text, none);
    assert.equal(q.kind, 'partial');
    assert.equal(q.speaker?.name, 'a senior official');
    assert.equal(q.speaker?.via, 'description');
    assert.equal(q.speaker?.entityId, undefined);
  });

  it('reads "according to"', () => {
    const text = 'The river is “higher than in 1952,” according to the Water Board.';
    const er = entities(text, [{ canonical: 'Water Board', type: 'organization' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Water Board');
  });

  it('says so when there is no speaker', () => {
    const text = 'The sign on the door read nothing at all.\n\n“Closed until further notice.”';
    const [q] = findQuotes(text, none);
    assert.equal(q.speaker, null);
  });

  it('a quote-only paragraph continues the previous paragraph’s speaker', () => {
    const text = '“Prices will fall,” Chen Wei said.\n\n“Not at once, but by the end of the year.”';
    const er = entities(text, [{ canonical: 'Chen Wei', type: 'person' }]);
    const qs = findQuotes(text, er);
    assert.equal(qs[1].speaker?.name, 'Chen Wei');
    assert.equal(qs[1].speaker?.via, 'continuation');
  });

  it('a quotation continued over paragraphs gives one quotation per paragraph, same speaker', () => {
    const text = 'Dana Brook said: “The first part of the plan is the school.\n\n“The second part is the clinic.”\n\nThe council meets on Monday.';
    const er = entities(text, [{ canonical: 'Dana Brook', type: 'person' }]);
    const qs = findQuotes(text, er);
    assert.deepEqual(view(text, qs), [
      { q: '“The first part of the plan is the school.', kind: 'full', speaker: 'Dana Brook', via: 'name' },
      { q: '“The second part is the clinic.”', kind: 'full', speaker: 'Dana Brook', via: 'continuation' },
    ]);
  });

  it('a second fragment in the same paragraph keeps the speaker', () => {
    const text = '“We tried,” Ruiz said. “We will try again.”';
    const er = entities(text, [{ canonical: 'Ana Ruiz', type: 'person', surfaces: ['Ruiz'] }]);
    assert.deepEqual(findQuotes(text, er).map((q) => q.speaker?.name), ['Ana Ruiz', 'Ana Ruiz']);
  });

  it('a nested quotation is its own quotation with its own speaker', () => {
    const text = '“When we met, Petrov told me, ‘The deal is off,’ and left,” Novak said.';
    const er = entities(text, [
      { canonical: 'Ivan Petrov', type: 'person', surfaces: ['Petrov'] },
      { canonical: 'Eva Novak', type: 'person', surfaces: ['Novak'] },
    ]);
    const qs = findQuotes(text, er);
    assert.deepEqual(view(text, qs), [
      { q: '“When we met, Petrov told me, ‘The deal is off,’ and left,”', kind: 'full', speaker: 'Eva Novak', via: 'name' },
      { q: '‘The deal is off,’', kind: 'full', speaker: 'Ivan Petrov', via: 'name', parent: 0 },
    ]);
  });

  it('a nested quotation without its own attribution belongs to the enclosing speaker', () => {
    const text = '“They keep calling it ‘temporary’ and nothing changes,” Novak said.';
    const er = entities(text, [{ canonical: 'Eva Novak', type: 'person', surfaces: ['Novak'] }]);
    const qs = findQuotes(text, er);
    assert.equal(qs[1].speaker?.name, 'Eva Novak');
    assert.equal(qs[1].parent, 0);
  });

  it('reads speaker labels in transcripts and headlines', () => {
    const text = 'Mayor Says Bridge Plan Is ‘Dead’\n\n"HOST: Is the plan dead?\n\n"REYES: It is on hold.';
    const qs = findQuotes(text, none);
    assert.equal(qs[0].speaker?.name, 'Mayor');
    assert.deepEqual(qs.slice(1).map((q) => q.speaker?.name), ['HOST', 'REYES']);
  });

  it('works with straight quotes, guillemets and „ “', () => {
    const text = '"We won," said Lena Fischer.\n\n« Nous avons gagné », a-t-elle dit, and then „Wir haben gewonnen“, Fischer said.';
    const er = entities(text, [{ canonical: 'Lena Fischer', type: 'person', surfaces: ['Lena Fischer', 'Fischer'] }]);
    const qs = findQuotes(text, er);
    assert.equal(qs.length, 3);
    assert.equal(qs[0].speaker?.name, 'Lena Fischer');
    assert.equal(qs[2].speaker?.name, 'Lena Fischer');
  });
});

describe('harder attributions', () => {
  it('"X said he …": the pronoun is the reporting verb’s subject, not the nearest name', () => {
    const text = 'Tom Hale met Peter Voss on Friday. Hale said he found the offer “far too low.”';
    const er = entities(text, [
      { canonical: 'Tom Hale', type: 'person', surfaces: ['Tom Hale', 'Hale'] },
      { canonical: 'Peter Voss', type: 'person' },
    ]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Tom Hale');
  });

  it('a pronoun right after a name in a relative clause goes to that name', () => {
    const text = 'Ana Ruiz cited a speech by Senator Paul Dunn, in which he said, “Roads come first.”';
    const er = entities(text, [
      { canonical: 'Ana Ruiz', type: 'person' },
      { canonical: 'Paul Dunn', type: 'person' },
    ]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Paul Dunn');
    assert.equal(q.speaker?.via, 'pronoun');
  });

  it('an attribution clause later in the sentence: “…” for the record, she said.', () => {
    const text = 'Lena Fischer spoke first.\n\n“We will appeal” against the ruling, she said, and left.';
    const er = entities(text, [{ canonical: 'Lena Fischer', type: 'person' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.kind, 'partial');
    assert.equal(q.speaker?.name, 'Lena Fischer');
  });

  it('a possessor of a speech noun is the source: “Hale’s claim that …”', () => {
    const text = 'Reporters doubted Hale’s claim that the bridge was “perfectly safe.”';
    const er = entities(text, [{ canonical: 'Tom Hale', type: 'person', surfaces: ['Hale'] }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Tom Hale');
  });

  it('a speech noun after an article is not a verb: “her remark”', () => {
    const text = '“Enough is enough,” the remark that Dunn made, was repeated.';
    const er = entities(text, [{ canonical: 'Paul Dunn', type: 'person', surfaces: ['Dunn'] }]);
    const [q] = findQuotes(text, er);
    assert.notEqual(q.speaker?.name, 'the');
  });

  it('a quotation after an earlier attribution sentence of the paragraph keeps that speaker', () => {
    const text = 'The vote may slip to June, Okafor said. “Nobody wants that, but it is likely.”';
    const er = entities(text, [{ canonical: 'Grace Okafor', type: 'person', surfaces: ['Okafor'] }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Grace Okafor');
  });

  it('the second half of a split sentence is a full quotation', () => {
    const text = '“If the river rises,” Okafor said, “we close the road.”';
    const er = entities(text, [{ canonical: 'Grace Okafor', type: 'person', surfaces: ['Okafor'] }]);
    assert.deepEqual(findQuotes(text, er).map((q) => [q.kind, q.speaker?.name]), [['full', 'Grace Okafor'], ['full', 'Grace Okafor']]);
  });

  it('an appositive between the speaker and the verb: “…,” Dunn, a senator since 2010, said.', () => {
    const text = '“We need the road,” Paul Dunn, a senator since 2010 and a former mayor, said on Monday.';
    const er = entities(text, [{ canonical: 'Paul Dunn', type: 'person' }]);
    const [q] = findQuotes(text, er);
    assert.equal(q.speaker?.name, 'Paul Dunn');
  });
});

describe('QuoteFinder', () => {
  it('caches paragraph analyses by content and gives the same result', () => {
    const text = '“One,” Ada said.\n\n“Two,” Ada said.\n\nPlain text.';
    const finder = new QuoteFinder();
    const a = finder.find(text, none);
    const size = finder.cacheSize;
    const edited = text.replace('Plain text.', 'Plain text, edited.');
    const b = finder.find(edited, none);
    assert.deepEqual(b.map((q) => [q.start, q.end, q.speaker?.name]), a.map((q) => [q.start, q.end, q.speaker?.name]));
    assert.equal(finder.cacheSize, size + 1, 'only the edited paragraph was analysed again');
  });

  it('splits one-paragraph-per-line text into units but keeps hard-wrapped lines together', () => {
    const news = 'First paragraph ends here.\nSecond paragraph starts here.';
    assert.equal(splitUnits(news).length, 2);
    const wrapped = 'This is a long hard-wrapped line of prose that goes on and on without\nstopping at the line end, as e-mail and Markdown often do.';
    assert.equal(splitUnits(wrapped).length, 1);
  });
});
