import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyConsistency, loadTaggerModel, ModelFormatError, prepareDocument, tagDocument, tagNames, type NameSpan } from '../../../src/core/ner/tagger';
import { maxMarginals, viterbi } from '../../../src/core/ner/tagger/decode';
import { bucketWeights, buildCodebook, encodeModel, quantize, type FloatStage } from '../../../src/core/ner/tagger/model';
import { IntMap } from '../../../src/core/ner/tagger/intmap';
import { allowedTransition, NUM_TAGS, spansFromTags, tagName, tagOf, TAG_O } from '../../../src/core/ner/tagger/tags';
import { train, type TrainDoc } from '../../../src/core/ner/tagger/train';
import { tokenize } from '../../../src/core/text/tokenize';

const root = join(__dirname, '..', '..', '..');
const shipped = loadTaggerModel(new Uint8Array(readFileSync(join(root, 'media', 'model', 'ner.bin'))));

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1103515245) + 12345) | 0;
    return ((a >>> 8) & 0xffff) / 0x10000;
  };
}

function randomStage(bits: number, seed: number): FloatStage {
  const r = prng(seed);
  const T = NUM_TAGS;
  const weights = new Float32Array((1 << bits) * T);
  for (let k = 0; k < weights.length; k++) if (r() < 0.1) weights[k] = (r() - 0.5) * 20;
  const rnd = (n: number): Float32Array => Float32Array.from({ length: n }, () => (r() - 0.5) * 4);
  return { bits, numTags: T, weights, trans: rnd(T * T), start: rnd(T), end: rnd(T) };
}

function names(text: string, spans: NameSpan[]): string[] {
  return spans.map((s) => `${s.label}:${text.slice(s.start, s.end)}`);
}

describe('tagger model format', () => {
  it('round-trips weights through the binary (8-bit codebook, ≤ 3 % error)', () => {
    const st = randomStage(10, 7);
    const bytes = encodeModel([st], { note: 'test' });
    const m = loadTaggerModel(bytes);
    assert.equal(m.stages.length, 1);
    assert.equal(m.meta.note, 'test');
    const s = m.stages[0];
    assert.deepEqual(Array.from(s.trans), Array.from(st.trans));
    let checked = 0;
    for (let b = 0; b < 1 << 10; b++) {
      const dense = new Float32Array(NUM_TAGS);
      bucketWeights(s, b, dense);
      for (let t = 0; t < NUM_TAGS; t++) {
        const w = st.weights[b * NUM_TAGS + t];
        const q = dense[t];
        if (Math.abs(w) >= 0.5) {
          assert.ok(Math.abs(q - w) <= 0.03 * Math.abs(w) + 1e-6, `bucket ${b} tag ${t}: ${w} → ${q}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 500);
  });

  it('quantizes to the nearest codebook level', () => {
    const cb = buildCodebook(Float32Array.from([0.1, -0.5, 2, 8, -8, 0]));
    assert.equal(quantize(cb, 0), 0);
    assert.ok(Math.abs(cb[quantize(cb, 8)] - 8) < 1e-5);
    assert.ok(Math.abs(cb[quantize(cb, -8)] + 8) < 1e-5);
    assert.ok(cb[quantize(cb, -0.5)] < 0);
  });

  it('rejects files that are not models, with clear errors', () => {
    const good = encodeModel([randomStage(8, 3)]);
    assert.throws(() => loadTaggerModel(new Uint8Array(4)), (e: Error) => e instanceof ModelFormatError && /too short/.test(e.message));
    const badMagic = good.slice();
    badMagic[0] = 0x50;
    assert.throws(() => loadTaggerModel(badMagic), /wrong magic/);
    const badVersion = good.slice();
    badVersion[8] = 99;
    assert.throws(() => loadTaggerModel(badVersion), /format version 99/);
    assert.throws(() => loadTaggerModel(good.slice(0, good.length - 5)), /truncated/);
    const trailing = new Uint8Array(good.length + 3);
    trailing.set(good);
    assert.throws(() => loadTaggerModel(trailing), /trailing/);
    // header with another feature version
    const hlen = new DataView(good.buffer).getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(good.subarray(16, 16 + hlen))) as Record<string, unknown>;
    const other = new TextEncoder().encode(JSON.stringify({ ...header, featureVersion: 0 }).padEnd(hlen, ' '));
    assert.equal(other.length, hlen);
    const wrongFeatures = good.slice();
    wrongFeatures.set(other, 16);
    assert.throws(() => loadTaggerModel(wrongFeatures), /feature version 0/);
  });
});

describe('IntMap (the tagger\'s integer hash map)', () => {
  it('agrees with a Map through growth, colliding keys, or and clear', () => {
    const r = prng(5);
    const m = new IntMap(4);
    const ref = new Map<number, number>();
    for (let k = 0; k < 20000; k++) {
      // many keys share their low bits (same first probe slot)
      const key = r() < 0.5 ? Math.floor(r() * 0x3fffffff) : (Math.floor(r() * 64) << 20) | 7;
      const v = Math.floor(r() * 1000);
      if (r() < 0.5) {
        m.set(key, v);
        ref.set(key, v);
      } else {
        m.or(key, v);
        ref.set(key, (ref.get(key) ?? 0) | v);
      }
    }
    assert.equal(m.size, ref.size);
    for (const [k, v] of ref) assert.equal(m.get(k, -1), v);
    assert.equal(m.get(0x3fffffff, -7), ref.get(0x3fffffff) ?? -7);
    m.clear();
    assert.equal(m.size, 0);
    for (const k of [...ref.keys()].slice(0, 100)) assert.equal(m.get(k, -1), -1);
  });
});

describe('BILOU constraints and decoding', () => {
  const PER = 0;
  it('knows which transitions are allowed', () => {
    assert.ok(allowedTransition(-1, tagOf(PER, 1)));
    assert.ok(!allowedTransition(-1, tagOf(PER, 2)));
    assert.ok(allowedTransition(tagOf(PER, 1), tagOf(PER, 3)));
    assert.ok(!allowedTransition(tagOf(PER, 1), tagOf(1, 3)));
    assert.ok(!allowedTransition(tagOf(PER, 1), TAG_O));
    assert.ok(allowedTransition(tagOf(PER, 4), tagOf(1, 4)));
    assert.equal(tagName(tagOf(2, 3)), 'L-LOC');
  });

  it('reads spans from tags and repairs broken runs', () => {
    const t = [TAG_O, tagOf(0, 1), tagOf(0, 3), tagOf(2, 4), tagOf(1, 2), tagOf(1, 3), TAG_O, tagOf(3, 1)];
    assert.deepEqual(spansFromTags(t, 0, t.length), [
      { s: 1, e: 3, label: 0 },
      { s: 3, e: 4, label: 2 },
      { s: 4, e: 6, label: 1 },
      { s: 7, e: 8, label: 3 },
    ]);
  });

  it('Viterbi never outputs an invalid sequence, even when emissions prefer one', () => {
    const T = NUM_TAGS;
    const n = 4;
    const em = new Float32Array(n * T);
    em[0 * T + tagOf(PER, 2)] = 10; // I-PER first: not allowed
    em[1 * T + tagOf(PER, 1)] = 10; // B-PER then O: not allowed
    em[2 * T + TAG_O] = 10;
    em[3 * T + tagOf(1, 1)] = 10; // B-ORG last: not allowed
    const zero = new Float32Array(T * T);
    const out = new Uint8Array(n);
    viterbi(em, n, T, zero, new Float32Array(T), new Float32Array(T), out);
    for (let i = 0; i < n; i++) assert.ok(allowedTransition(i === 0 ? -1 : out[i - 1], out[i]), `position ${i}: ${tagName(out[i])}`);
    assert.ok([2, 3, 4].includes(out[n - 1] === TAG_O ? 4 : ((out[n - 1] - 1) & 3) + 1));
  });

  it('Viterbi and max-marginals give exactly the scores of a plain reference over all allowed transitions', () => {
    const T = NUM_TAGS;
    const NEG = -1e30;
    const allowed = (p: number, t: number): boolean => allowedTransition(p, t);
    const r = prng(23);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(r() * 9);
      // divided by 3 and 7: values off the binary grid, so that a change in the order of additions shows
      const em = Float64Array.from({ length: n * T }, () => ((r() - 0.5) * 40) / 3);
      const tr = Float32Array.from({ length: T * T }, () => ((r() - 0.5) * 10) / 7);
      const st = Float32Array.from({ length: T }, () => r() - 0.5);
      const en = Float32Array.from({ length: T }, () => r() - 0.5);
      // reference: dense loops, same sums, max taken in tag order
      const al = new Float64Array(n * T);
      for (let t = 0; t < T; t++) al[t] = allowedTransition(-1, t) ? st[t] + em[t] : NEG;
      for (let i = 1; i < n; i++) {
        for (let t = 0; t < T; t++) {
          let best = NEG;
          for (let p = 0; p < T; p++) if (allowed(p, t)) best = Math.max(best, al[(i - 1) * T + p] + tr[p * T + t]);
          al[i * T + t] = best + em[i * T + t];
        }
      }
      const be = new Float64Array(n * T);
      for (let t = 0; t < T; t++) be[(n - 1) * T + t] = [0, 3, 4].includes(t === 0 ? 0 : ((t - 1) & 3) + 1) ? en[t] : NEG;
      for (let i = n - 2; i >= 0; i--) {
        for (let p = 0; p < T; p++) {
          let best = NEG;
          for (let t = 0; t < T; t++) if (allowed(p, t)) best = Math.max(best, tr[p * T + t] + em[(i + 1) * T + t] + be[(i + 1) * T + t]);
          be[i * T + p] = best;
        }
      }
      for (let k = 0; k < n * T; k++) be[k] += al[k];
      let best = NEG;
      for (let t = 0; t < T; t++) if ([0, 3, 4].includes(t === 0 ? 0 : ((t - 1) & 3) + 1)) best = Math.max(best, al[(n - 1) * T + t] + en[t]);
      const out = new Uint8Array(n);
      assert.equal(viterbi(em, n, T, tr, st, en, out), best);
      assert.deepEqual(Array.from(maxMarginals(em, n, T, tr, en).subarray(0, n * T)), Array.from(be));
      // from a later token on: the same values there
      const from = Math.floor(r() * n);
      assert.deepEqual(Array.from(maxMarginals(em, n, T, tr, en, undefined, from).subarray(from * T, n * T)), Array.from(be.subarray(from * T)));
    }
  });

  it('is deterministic and max-marginals agree with the best path', () => {
    const T = NUM_TAGS;
    const r = prng(11);
    const n = 12;
    const em = Float32Array.from({ length: n * T }, () => r() * 3);
    const tr = Float32Array.from({ length: T * T }, () => r() - 0.5);
    const st = new Float32Array(T);
    const en = new Float32Array(T);
    const a = new Uint8Array(n);
    const b = new Uint8Array(n);
    const score = viterbi(em, n, T, tr, st, en, a);
    const mm = maxMarginals(em, n, T, tr, en);
    viterbi(em, n, T, tr, st, en, b);
    assert.deepEqual(a, b);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(mm[i * T + a[i]] - score) < 1e-6);
      for (let t = 0; t < T; t++) assert.ok(mm[i * T + t] <= score + 1e-6);
    }
  });
});

describe('tagging with the shipped model', () => {
  it('finds people, places and organisations in made-up news sentences', () => {
    const text = 'Foreign Minister Sergei Lavrov met Antony Blinken in Geneva on Friday. The talks were hosted by the United Nations, officials in Moscow said.';
    const found = names(text, tagDocument(shipped, text));
    assert.ok(found.includes('PER:Sergei Lavrov'), found.join(', '));
    assert.ok(found.includes('PER:Antony Blinken'), found.join(', '));
    assert.ok(found.includes('LOC:Geneva'), found.join(', '));
    assert.ok(found.includes('LOC:Moscow'), found.join(', '));
    assert.ok(found.includes('ORG:United Nations'), found.join(', '));
    assert.ok(!found.some((f) => f.endsWith(':Friday')));
  });

  it('gives confidences in (0, 1] and stable results across calls', () => {
    const text = 'Angela Merkel spoke in Berlin. Merkel later flew to Paris.';
    const a = tagDocument(shipped, text);
    const b = tagDocument(shipped, text);
    assert.deepEqual(a, b);
    for (const s of a) assert.ok(s.confidence > 0 && s.confidence <= 1);
  });

  it('tags one paragraph with the document context like the whole document', () => {
    const text = 'Pakistan beat India by five wickets in Lahore.\n\nLahore will host the final on Sunday, said Rashid Latif of the Pakistan Cricket Board.';
    const tokens = tokenize(text);
    const doc = prepareDocument(shipped, tokens);
    const whole = tagNames(shipped, tokens, { doc });
    const p2 = text.indexOf('Lahore will');
    let from = 0;
    while (tokens.starts[from] < p2) from++;
    const part = tagNames(shipped, tokens, { from, doc });
    assert.deepEqual(part, whole.filter((s) => s.start >= p2));
    assert.ok(part.length > 0 && part.every((s) => s.start >= p2));
  });

  it('uses the whole text as document context for a paragraph tokenized alone', () => {
    const text = 'KAZAN WIN TITLE\n\nRubin Kazan won the title on Sunday. Kazan coach Kurban Berdyev said the team deserved it.';
    const start = text.indexOf('Rubin');
    const alone = tokenize(text, start, text.length);
    const withDoc = tagNames(shipped, alone, { doc: prepareDocument(shipped, tokenize(text)) });
    assert.deepEqual(tagNames(shipped, alone), withDoc);
    assert.ok(withDoc.every((s) => s.start >= start));
  });

  it('scoring only the windows around capitalised words finds what scoring every token finds', () => {
    const texts = [
      readFileSync(join(root, 'test', 'fixtures', 'ner', 'seed-000.txt'), 'utf8'),
      'the minister of state for the affairs of the bank of england said on monday that rates would stay.',
      'Shares in Banco do Brasil and the Bank of the Philippine Islands rose 3 percent, said analysts at de Nederlandsche Bank in Amsterdam.',
      'iPhone maker Apple and eBay met in São Paulo; ÉCOLE Polytechnique and the 1990 World Cup were mentioned — so was al-Qaeda.',
    ];
    let spans = 0;
    for (const text of texts) {
      const tokens = tokenize(text);
      const doc = prepareDocument(shipped, tokens, 0, tokens.count, { full: true });
      const fast = tagNames(shipped, tokens, { doc });
      const full = tagNames(shipped, tokens, { doc, exhaustive: true });
      assert.deepEqual(fast.map((x) => [x.start, x.end, x.label]), full.map((x) => [x.start, x.end, x.label]), text.slice(0, 60));
      spans += full.length;
    }
    assert.ok(spans > 40, `spans: ${spans}`);
  });

  it('applies document consistency to untagged and low-confidence repeats', () => {
    const text = 'Zorblat Industries said on Monday. Zorblat Industries shares fell.';
    const tokens = tokenize(text);
    const first: NameSpan = { start: 0, end: 18, label: 'ORG', confidence: 0.97 };
    const out = applyConsistency(tokens, [first]);
    const second = text.lastIndexOf('Zorblat Industries');
    assert.deepEqual(
      out.map((s) => [s.start, s.end, s.label, s.consistency === true]),
      [
        [0, 18, 'ORG', false],
        [second, second + 18, 'ORG', true],
      ],
    );
    const relabel = applyConsistency(tokens, [first, { start: second, end: second + 18, label: 'PER', confidence: 0.6 }]);
    assert.equal(relabel[1].label, 'ORG');
  });
});

describe('training', () => {
  const docs: TrainDoc[] = [
    {
      text: 'Maria Lopez visited Valparaiso . She met Tomas Reyes there .',
      entities: [
        { start: 0, end: 11, type: 'person' },
        { start: 20, end: 30, type: 'place' },
        { start: 41, end: 52, type: 'person' },
      ],
    },
    { text: 'Acme Widgets opened an office in Valparaiso on Monday .', entities: [{ start: 0, end: 12, type: 'organization' }, { start: 33, end: 43, type: 'place' }] },
  ];

  it('is deterministic and learns its training data', () => {
    const a = encodeModel(train(docs, { bits: 12, epochs: 5, seed: 3 }));
    const b = encodeModel(train(docs, { bits: 12, epochs: 5, seed: 3 }));
    assert.deepEqual(a, b);
    const m = loadTaggerModel(a);
    const text = docs[1].text;
    assert.deepEqual(names(text, tagDocument(m, text)), ['ORG:Acme Widgets', 'LOC:Valparaiso']);
  });
});
