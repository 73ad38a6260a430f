import { strict as assert } from 'node:assert';
import { findQuotes, QuoteFinder } from '../../../src/core/quotes';
import { analyzeUnitParsed } from '../../../src/core/quotes/local';
import { findReports, MAX_CUES_PER_SENTENCE } from '../../../src/core/quotes/attribution';
import { cueFeatures, cueScore } from '../../../src/core/quotes/cues';
import { shippedCueModel } from '../../../src/core/quotes/cueModel';
import type { Quote } from '../../../src/core/types';
import { entities, none } from './helpers';

// Our own sentences (no corpus text): reported speech and thought, kind `indirect`.

const LOPEZ = { canonical: 'Maria Lopez', type: 'person' as const, surfaces: ['Maria Lopez', 'Lopez'] };
const MINISTRY = { canonical: 'Health Ministry', type: 'organization' as const };

function reported(text: string, qs: Quote[]): { content: string; speaker: string | null; cue: string | null; via?: string }[] {
  return qs
    .filter((q) => q.kind === 'indirect')
    .map((q) => ({
      content: text.slice(q.start, q.end),
      speaker: q.speaker?.name ?? null,
      cue: q.cue ? text.slice(q.cue.start, q.cue.end) : null,
      ...(q.speaker ? { via: q.speaker.via } : {}),
    }));
}

describe('reported speech (attributions without quotation marks)', () => {
  it('"X said (that) …": the clause after the verb, the subject as speaker', () => {
    const text = 'Maria Lopez said the bridge would reopen in May. Lopez said that the tolls would stay.';
    assert.deepEqual(reported(text, findQuotes(text, entities(text, [LOPEZ]))), [
      { content: 'the bridge would reopen in May', speaker: 'Maria Lopez', cue: 'said', via: 'name' },
      { content: 'the tolls would stay', speaker: 'Maria Lopez', cue: 'said', via: 'name' },
    ]);
  });

  it('"according to X, …" and "…, according to X": the other side of the cue', () => {
    const text = 'According to the Health Ministry, 5,000 people were evacuated.\n\nThe river rose by two metres overnight, according to the Health Ministry.';
    const r = reported(text, findQuotes(text, entities(text, [MINISTRY])));
    assert.deepEqual(
      r.map((x) => [x.content, x.speaker, x.cue]),
      [
        ['5,000 people were evacuated', 'Health Ministry', 'According to'],
        ['The river rose by two metres overnight', 'Health Ministry', 'according to'],
      ],
    );
  });

  it('"X told reporters (that) …": the one spoken to is not content', () => {
    const text = 'Maria Lopez told reporters that the budget was balanced.';
    const [r] = reported(text, findQuotes(text, entities(text, [LOPEZ])));
    assert.equal(r.content, 'the budget was balanced');
    assert.equal(r.speaker, 'Maria Lopez');
    assert.equal(r.cue, 'told');
  });

  it('"…, X warned.": the verb closes the sentence, the content is before it', () => {
    const text = 'The new levy will hurt small farmers, Lopez warned on Tuesday.';
    const [r] = reported(text, findQuotes(text, entities(text, [LOPEZ])));
    assert.equal(r.content, 'The new levy will hurt small farmers');
    assert.equal(r.speaker, 'Maria Lopez');
  });

  it('"he added" and "she believes": a pronoun resolved as a quotation\'s speaker is', () => {
    const text = 'Maria Lopez said the plant would close next year. She added that forty jobs would move to the coast.';
    const r = reported(text, findQuotes(text, entities(text, [LOPEZ])));
    assert.equal(r.length, 2);
    assert.equal(r[1].content, 'forty jobs would move to the coast');
    assert.equal(r[1].speaker, 'Maria Lopez');
    assert.equal(r[1].via, 'pronoun');
  });

  it('a noun of saying: "X\'s claim that …"', () => {
    const text = 'Lopez’s claim that the count was rigged drew a swift rebuttal.';
    const r = reported(text, findQuotes(text, entities(text, [LOPEZ])));
    // (the clause runs on to the sentence end or a comma: without a parse, "drew …" is not told apart)
    assert.ok(r.some((x) => x.content.startsWith('the count was rigged') && x.speaker === 'Maria Lopez' && x.cue === 'claim'), JSON.stringify(r));
  });

  it('mixed direct and indirect: the quoted words are part of the statement (partOf) and take its speaker', () => {
    const text = 'Maria Lopez said the plan was “a disaster for the valley” and would be withdrawn.';
    const qs = findQuotes(text, entities(text, [LOPEZ]));
    const statement = qs.find((q) => q.kind === 'indirect');
    const fragment = qs.find((q) => q.kind !== 'indirect');
    assert.ok(statement && fragment);
    assert.equal(text.slice(statement.start, statement.end), 'the plan was “a disaster for the valley” and would be withdrawn');
    assert.equal(fragment.partOf, qs.indexOf(statement));
    assert.equal(fragment.speaker?.name, 'Maria Lopez');
    // in text order, the statement before the quotation it holds
    assert.ok(qs.indexOf(statement) < qs.indexOf(fragment));
  });

  it('a fragment inside a nested statement belongs to the innermost one, and takes its speaker', () => {
    const MORA = { canonical: 'Tom Mora', type: 'person' as const, surfaces: ['Tom Mora', 'Mora'] };
    const text = 'Maria Lopez said on Tuesday that the vote was “rigged” and that Tom Mora said the count was “fake”.';
    const qs = findQuotes(text, entities(text, [LOPEZ, MORA]));
    const statementOf = (words: string): Quote | undefined => {
      const frag = qs.find((q) => q.kind !== 'indirect' && text.slice(q.start, q.end).includes(words));
      return frag?.partOf === undefined ? undefined : qs[frag.partOf];
    };
    const outer = statementOf('rigged');
    const inner = statementOf('fake');
    assert.ok(outer && inner && outer !== inner, 'each fragment has its own statement');
    assert.equal(outer.speaker?.name, 'Maria Lopez');
    assert.equal(text.slice(inner.start, inner.end), 'the count was “fake”');
    assert.equal(inner.speaker?.name, 'Tom Mora');
    assert.equal(qs.find((q) => text.slice(q.start, q.end) === '“fake”')?.speaker?.name, 'Tom Mora');
  });

  it('a quotation that is the whole content stays a quotation (no statement beside it)', () => {
    const text = '“We are ready for the storm,” Lopez said. “No,” she added, and the meeting ended.';
    const qs = findQuotes(text, entities(text, [LOPEZ]));
    assert.deepEqual(reported(text, qs), []);
    assert.equal(qs.filter((q) => q.kind === 'full').length, 2);
  });

  it('no cue, no statement: plain narration and speech nouns without a clause', () => {
    const text = 'The bridge reopened in May. The statement was short. Her remarks drew applause.';
    assert.deepEqual(reported(text, findQuotes(text, none)), []);
  });

  it('without the learned model the speech-verb rules still find "said that"; with `cueModel: false` nothing', () => {
    const text = 'Maria Lopez said that the tolls would stay.';
    const er = entities(text, [LOPEZ]);
    const rules = reported(text, new QuoteFinder({ cueModel: null }).find(text, er));
    assert.deepEqual(rules.map((x) => x.content), ['the tolls would stay']);
    assert.deepEqual(reported(text, new QuoteFinder({ cueModel: false }).find(text, er)), []);
  });

  it('statements and quotations come out sorted by start, nested or disjoint', () => {
    const text = 'Officials said that aides told reporters that critics argued that the plan, which Lopez called “rushed”, was unfair. The mayor, Lopez said, would resign.';
    const qs = findQuotes(text, entities(text, [LOPEZ]));
    assert.ok(qs.filter((q) => q.kind === 'indirect').length >= 3);
    for (let i = 1; i < qs.length; i++) assert.ok(qs[i - 1].start <= qs[i].start, 'sorted');
    for (let i = 0; i < qs.length; i++)
      for (let j = i + 1; j < qs.length; j++) {
        const [a, b] = [qs[i], qs[j]];
        const disjoint = a.end <= b.start || b.end <= a.start;
        const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
        assert.ok(disjoint || nested, `${text.slice(a.start, a.end)} / ${text.slice(b.start, b.end)}`);
      }
    // "The mayor, Lopez said, would resign": the content runs round the attribution
    assert.ok(qs.some((q) => q.kind === 'indirect' && text.slice(q.start, q.end) === 'The mayor, Lopez said, would resign'));
  });

  it(`scores at most ${MAX_CUES_PER_SENTENCE} cues of one sentence`, () => {
    const u = `${'He said, she said, they said, '.repeat(20)}and the rain came.`;
    const { local, parsed } = analyzeUnitParsed(u);
    assert.ok(findReports(parsed, local, shippedCueModel()).length <= MAX_CUES_PER_SENTENCE);
  });

  it('the fast cue score equals the sum of the feature weights the trainer sees', () => {
    const model = shippedCueModel();
    const u = 'Officials said on Monday that the plan, which critics called “rushed”, would be reviewed, according to a statement. She told reporters she believes it.';
    const { parsed } = analyzeUnitParsed(u);
    const { toks, sent, sentStartTok, sentEndTok } = parsed;
    let checked = 0;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].q !== undefined) continue;
      const s = sent[i];
      const hasQuote = toks.some((t, k) => sent[k] === s && t.q !== undefined);
      let sum = model.bias;
      for (const f of cueFeatures(toks, i, sentStartTok[s], sentEndTok[s], hasQuote)) sum += model.weights.get(f) ?? 0;
      assert.ok(Math.abs(sum - cueScore(model, toks, i, sentStartTok[s], sentEndTok[s], hasQuote)) < 1e-9, toks[i].t);
      checked++;
    }
    assert.ok(checked > 20);
  });
});
