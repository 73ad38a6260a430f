import * as assert from 'node:assert/strict';
import { makeTarget } from '../../../src/core/anchor';
import { applyCorrections } from '../../../src/core/corrections';
import type { Correction } from '../../../src/core/sidecar';
import type { Analysis, Mention } from '../../../src/core/types';

const TEXT = 'Mayor Jane Okafor said the plan was “a turning point”. Okafor added that Quay Street would be consulted. Share';

function mention(text: string, type: Mention['type'], canonical = text, from = 0): Mention {
  const start = TEXT.indexOf(text, from);
  return { start, end: start + text.length, type, text, canonical, entityId: `${type}:${canonical}`, confidence: 0.8 };
}

function analysis(): Analysis {
  const mentions = [mention('Jane Okafor', 'person'), mention('Okafor', 'person', 'Okafor', 40), mention('Street', 'organization'), mention('Share', 'organization')];
  const entities = mentions.map((m) => ({ id: m.entityId, type: m.type, canonical: m.canonical, aliases: [m.text], roles: m.text === 'Jane Okafor' ? ['Mayor'] : [], mentions: [{ start: m.start, end: m.end }] }));
  const q = TEXT.indexOf('“');
  return { mentions, entities, quotes: [{ start: q, end: TEXT.indexOf('”') + 1, kind: 'partial', speaker: null, cue: null, confidence: 0.5 }] };
}

function corr(id: string, exact: string, fields: Partial<Correction>): Correction {
  const at = TEXT.indexOf(exact);
  return { id, action: 'ignore', target: makeTarget(TEXT, at, at + exact.length), ...fields } as Correction;
}

describe('applyCorrections (the user wins over the recognisers)', () => {
  it('ignore removes the false entity everywhere', () => {
    const out = applyCorrections(TEXT, analysis(), [corr('1', 'Share', { action: 'ignore' })]);
    assert.ok(!out.mentions.some((m) => m.text === 'Share'));
    assert.ok(!out.entities.some((e) => e.canonical === 'Share'));
  });

  it('entity-type makes the span the mention, replacing overlapping partial ones', () => {
    const out = applyCorrections(TEXT, analysis(), [corr('1', 'Quay Street', { action: 'entity-type', type: 'place' })]);
    const m = out.mentions.find((x) => x.text === 'Quay Street');
    assert.equal(m?.type, 'place');
    assert.equal(m?.source, 'correction');
    assert.ok(!out.mentions.some((x) => x.text === 'Street'));
  });

  it('merge puts an alias into the named entity, with its roles', () => {
    const out = applyCorrections(TEXT, analysis(), [corr('1', 'Okafor', { action: 'merge', canonical: 'Jane Okafor' })]);
    const jane = out.entities.filter((e) => e.canonical === 'Jane Okafor');
    assert.equal(jane.length, 1);
    assert.equal(jane[0]!.mentions.length, 2);
    assert.deepEqual(jane[0]!.roles, ['Mayor']);
    assert.deepEqual(jane[0]!.aliases.sort(), ['Jane Okafor', 'Okafor']);
  });

  it('speaker sets the quotation\'s speaker to the named entity', () => {
    const out = applyCorrections(TEXT, analysis(), [corr('1', 'a turning point', { action: 'speaker', speaker: 'Jane Okafor' })]);
    assert.equal(out.quotes[0]!.speaker?.name, 'Jane Okafor');
    assert.equal(out.quotes[0]!.speaker?.entityId, 'person:Jane Okafor');
    assert.equal(TEXT.slice(out.quotes[0]!.speaker!.start, out.quotes[0]!.speaker!.end), 'Jane Okafor');
  });

  it('leaves the input analysis untouched and returns it as is without corrections', () => {
    const a = analysis();
    const before = JSON.stringify(a);
    applyCorrections(TEXT, a, [corr('1', 'Share', { action: 'ignore' })]);
    assert.equal(JSON.stringify(a), before);
    assert.equal(applyCorrections(TEXT, a, []), a);
  });
});
