import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTaggerModel, ModelFormatError } from '../../../src/core/ner/tagger';
import { buildClusters, CLUSTER_DEPTH } from '../../../src/core/ner/tagger/clusters';
import { buildDocumentContext } from '../../../src/core/ner/tagger/doc-context';
import { computeAtoms, DOC_AFTER_PREP, DOC_AFTER_THE, DOC_BEFORE_SAID, SMI, wordHash } from '../../../src/core/ner/tagger/features';
import { encodeModel, type FloatStage } from '../../../src/core/ner/tagger/model';
import { NUM_TAGS } from '../../../src/core/ner/tagger/tags';
import { train, type TrainDoc } from '../../../src/core/ner/tagger/train';
import { tokenize } from '../../../src/core/text/tokenize';

const root = join(__dirname, '..', '..', '..');

/** A small synthetic corpus: words of three kinds used in three kinds of context. */
function corpus(): string[] {
  const cities = ['Paris', 'Berlin', 'Madrid', 'Lisbon', 'Vienna', 'Prague'];
  const people = ['Smith', 'Jones', 'Brown', 'Taylor', 'Wilson', 'Davies'];
  const verbs = ['runs', 'walks', 'sings', 'reads', 'writes', 'sleeps'];
  const out: string[] = [];
  for (let i = 0; i < 60; i++) {
    const c = cities[i % 6];
    const p = people[(i * 5) % 6];
    const v = verbs[(i * 7) % 6];
    out.push(`She lives in ${c} now. Mr. ${p} said so. Every day he ${v} slowly.`);
  }
  return out;
}

function emptyStage(bits: number): FloatStage {
  const T = NUM_TAGS;
  const weights = new Float32Array((1 << bits) * T);
  weights[5] = 1.5;
  weights[T * 7 + 2] = -0.25;
  return { bits, numTags: T, weights, trans: new Float32Array(T * T), start: new Float32Array(T), end: new Float32Array(T) };
}

describe('word clusters (tagger features from unlabelled text)', () => {
  it('puts words used in the same contexts in the same cluster, deterministically', () => {
    const a = buildClusters(corpus(), { minCount: 3, contexts: 50, dims: 32, depth: 4, seed: 3 });
    const b = buildClusters(corpus(), { minCount: 3, contexts: 50, dims: 32, depth: 4, seed: 3 });
    assert.deepEqual([...a.keys], [...b.keys]);
    assert.deepEqual([...a.paths], [...b.paths]);
    const path = (w: string): number => a.map.get(wordHash(w) & SMI, 0);
    for (const w of ['Paris', 'Smith', 'runs']) assert.ok(path(w) >>> 4 === 1, `${w} has a depth-4 path`);
    // same-kind words share a longer prefix than words of different kinds
    const shared = (x: string, y: string): number => {
      let n = 0;
      for (let d = 3; d >= 0 && ((path(x) >>> d) & 1) === ((path(y) >>> d) & 1); d--) n++;
      return n;
    };
    assert.ok(shared('Paris', 'Berlin') > shared('Paris', 'Smith'), `${path('Paris').toString(2)} ${path('Berlin').toString(2)} ${path('Smith').toString(2)}`);
    assert.ok(shared('runs', 'sings') > shared('runs', 'Berlin'));
  });

  it('ships inside the model file and loads back; a corrupt table is refused', () => {
    const table = buildClusters(corpus(), { minCount: 3, contexts: 50, dims: 16, depth: 6, seed: 1 });
    const bytes = encodeModel([emptyStage(8)], { note: 'clusters' }, table);
    const m = loadTaggerModel(bytes);
    assert.ok(m.clusters);
    assert.equal(m.clusters.depth, 6);
    assert.deepEqual([...m.clusters.keys], [...table.keys]);
    assert.deepEqual([...m.clusters.paths], [...table.paths]);
    // a path byte with bits above the depth
    const bad = bytes.slice();
    bad[bad.length - 1] = 0xff;
    assert.throws(() => loadTaggerModel(bad), (e: Error) => e instanceof ModelFormatError && /cluster path/.test(e.message));
    assert.throws(() => loadTaggerModel(bytes.slice(0, bytes.length - 2)), /truncated/);
    // no table: no clusters
    assert.equal(loadTaggerModel(encodeModel([emptyStage(8)])).clusters, undefined);
  });

  it('the shipped model carries its cluster table, and atoms read it', () => {
    const shipped = loadTaggerModel(new Uint8Array(readFileSync(join(root, 'media', 'model', 'ner.bin'))));
    assert.ok(shipped.clusters && shipped.clusters.keys.length > 1000, 'clusters in the shipped model');
    assert.equal(shipped.clusters.depth, CLUSTER_DEPTH);
    const t = tokenize('The minister said that the government would meet on Tuesday.');
    const a = computeAtoms(t, 0, t.count, false, shipped.clusters);
    assert.equal(a.clusDepth, CLUSTER_DEPTH);
    // frequent words of the training texts have clusters
    for (const k of [0, 1, 2, 3]) assert.ok(a.clus[k] >>> CLUSTER_DEPTH === 1, `token ${k}`);
    assert.equal(computeAtoms(t).clusDepth, 0);
  });

  it('training with clusters is deterministic', () => {
    const docs: TrainDoc[] = corpus().slice(0, 20).map((text) => {
      const s = text.indexOf('Mr. ') + 4;
      const e = text.indexOf(' said');
      const c = text.indexOf('in ') + 3;
      return { text, entities: [{ start: c, end: text.indexOf(' now'), type: 'place' }, { start: s, end: e, type: 'person' }] };
    });
    const table = buildClusters(docs.map((d) => d.text), { minCount: 2, contexts: 40, dims: 16, depth: 4, seed: 2 });
    const a = encodeModel(train(docs, { bits: 12, epochs: 3, seed: 3, clusters: table }), {}, table);
    const b = encodeModel(train(docs, { bits: 12, epochs: 3, seed: 3, clusters: table }), {}, table);
    assert.deepEqual(a, b);
  });
});

describe('document cue features', () => {
  it('marks the words of a capitalised run after a place preposition, after "the" and before "said"', () => {
    const t = tokenize('He flew in from Lake Placid. The rest of the Rolling Stones played. Ann Lee said no.');
    const doc = buildDocumentContext(computeAtoms(t));
    const bits = (w: string): number => doc.words.get(wordHash(w.toLowerCase()) & SMI, 0);
    assert.ok(bits('Lake') & DOC_AFTER_PREP && bits('Placid') & DOC_AFTER_PREP);
    assert.ok(bits('Rolling') & DOC_AFTER_THE && bits('Stones') & DOC_AFTER_THE);
    assert.ok(!(bits('Rolling') & DOC_AFTER_PREP));
    assert.ok(bits('Ann') & DOC_BEFORE_SAID && bits('Lee') & DOC_BEFORE_SAID);
    assert.ok(!(bits('Lake') & DOC_BEFORE_SAID));
  });
});
