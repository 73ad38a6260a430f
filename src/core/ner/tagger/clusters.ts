/**
 * Word clusters learned from unlabelled text (Ratinov & Roth 2009 used Brown clusters; this is a
 * cheaper relative with the same use): each frequent word gets a path in a binary tree of depth
 * {@link CLUSTER_DEPTH}, and the tagger uses prefixes of the path as features, so that a word seen
 * rarely (or never) in labelled data shares weights with words used in the same contexts.
 *
 * Building (training time only, deterministic): every word's left and right neighbours among the
 * most frequent words are counted, weighted by positive PMI, projected to a small dense vector with
 * a seeded random matrix and normalised; the vectors are split by bisecting spherical k-means
 * (each split seeded by the PRNG of src/core/prng.ts), one bit per level.
 *
 * Table (shipped inside the model file): word hash (case-sensitive, & SMI; see features.ts) →
 * path with a leading 1 bit (so prefixes of different lengths never collide; 0 = unknown word).
 */
import { prng } from '../../prng';
import { tokenize } from '../../text/tokenize';
import { SMI, wordHash } from './features';
import { IntMap } from './intmap';

/** Depth of the cluster tree (bits of a path). */
export const CLUSTER_DEPTH = 8;

export interface ClusterTable {
  /** word hash & SMI → path | (1 << depth) (0 when absent) */
  readonly map: IntMap;
  readonly depth: number;
  /** Sorted keys and their paths (for encoding). */
  readonly keys: Int32Array;
  readonly paths: Uint16Array;
}

export function clusterTable(keys: Int32Array, paths: Uint16Array, depth: number): ClusterTable {
  const map = new IntMap(keys.length);
  for (let k = 0; k < keys.length; k++) map.set(keys[k], paths[k]);
  return { map, depth, keys, paths };
}

export interface ClusterOptions {
  /** Words seen fewer times are left out (default 3). */
  minCount?: number;
  /** At most this many words (the most frequent; default 30000). */
  maxWords?: number;
  /** Context words: the most frequent ones (default 1500). */
  contexts?: number;
  /** Dimension of the projected vectors (default 64). */
  dims?: number;
  depth?: number;
  seed?: number;
  log?: (m: string) => void;
}

/** Build clusters from texts (each tokenized with the project's tokenizer). */
export function buildClusters(texts: Iterable<string>, options: ClusterOptions = {}): ClusterTable {
  const minCount = options.minCount ?? 3;
  const C = options.contexts ?? 1500;
  const D = options.dims ?? 64;
  const depth = options.depth ?? CLUSTER_DEPTH;
  const rnd = prng(options.seed ?? 7);
  const log = options.log ?? (() => undefined);
  const corpus = internWords(texts);
  const { ctxOf, vocab, row } = chooseWords(corpus, C, minCount, options.maxWords ?? 30000);
  log(`clusters: ${corpus.words.length} word types, ${vocab.length} clustered (count >= ${minCount}), ${C} context words`);
  const co = countContexts(corpus.streams, row, ctxOf, C, vocab.length);
  const vec = projectedVectors(co, vocab.length, D, rnd);
  const paths = bisectLevels(vec, D, vocab.length, depth, rnd);
  // the table, sorted by key (a hash collision keeps the more frequent word: it comes first)
  const seen = new Map<number, number>();
  vocab.forEach((w, r) => {
    const h = wordHash(corpus.words[w]) & SMI;
    if (!seen.has(h)) seen.set(h, paths[r]);
  });
  const keys = Int32Array.from([...seen.keys()].sort((x, y) => x - y));
  const out = new Uint16Array(keys.length);
  keys.forEach((k, i) => (out[i] = seen.get(k)!));
  return clusterTable(keys, out, depth);
}

/** The token stream as word ids (strings interned in first-seen order: deterministic), with each word's count. */
interface InternedCorpus {
  words: string[];
  counts: number[];
  streams: Int32Array[];
}

function internWords(texts: Iterable<string>): InternedCorpus {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const counts: number[] = [];
  const streams: Int32Array[] = [];
  for (const text of texts) {
    const t = tokenize(text);
    const s = new Int32Array(t.count);
    for (let i = 0; i < t.count; i++) {
      const w = text.slice(t.starts[i], t.ends[i]);
      let id = ids.get(w);
      if (id === undefined) {
        id = words.length;
        ids.set(w, id);
        words.push(w);
        counts.push(0);
      }
      counts[id]++;
      s[i] = id;
    }
    streams.push(s);
  }
  return { words, counts, streams };
}

/**
 * The context words (the `C` most frequent: word id → context index, else -1) and the words to
 * cluster (`vocab`, at most `maxWords` seen `minCount` times, most frequent first; `row`: word id
 * → index in vocab, else -1).
 */
function chooseWords({ words, counts }: InternedCorpus, C: number, minCount: number, maxWords: number): { ctxOf: Int32Array; vocab: number[]; row: Int32Array } {
  const byFreq = words.map((_, i) => i).sort((x, y) => counts[y] - counts[x] || (words[x] < words[y] ? -1 : words[x] > words[y] ? 1 : 0));
  const ctxOf = new Int32Array(words.length).fill(-1);
  for (let r = 0; r < Math.min(C, byFreq.length); r++) ctxOf[byFreq[r]] = r;
  const vocab = byFreq.filter((i) => counts[i] >= minCount).slice(0, maxWords);
  const row = new Int32Array(words.length).fill(-1);
  vocab.forEach((w, r) => (row[w] = r));
  return { ctxOf, vocab, row };
}

/** Co-occurrence counts of the clustered words with their neighbours, and the totals PMI needs. */
interface Cooccurrences {
  /** Context indices per row: left c, right C + c, sentence edges 2C and 2C + 1. */
  W: number;
  /** row * W + ctx → count */
  co: Map<number, number>;
  ctxTotal: Float64Array;
  rowTotal: Float64Array;
  total: number;
}

function countContexts(streams: readonly Int32Array[], row: Int32Array, ctxOf: Int32Array, C: number, V: number): Cooccurrences {
  const W = 2 * C + 2;
  const co = new Map<number, number>();
  const ctxTotal = new Float64Array(W);
  const rowTotal = new Float64Array(V);
  let total = 0;
  for (const s of streams) {
    for (let i = 0; i < s.length; i++) {
      const r = row[s[i]];
      if (r < 0) continue;
      const lc = i > 0 ? ctxOf[s[i - 1]] : 2 * C;
      const rc = i + 1 < s.length ? ctxOf[s[i + 1]] : 2 * C + 1;
      const left = lc < 0 ? -1 : lc;
      const right = rc < 0 ? -1 : rc === 2 * C + 1 ? rc : C + rc;
      for (const c of [left, right]) {
        if (c < 0) continue;
        const key = r * W + c;
        co.set(key, (co.get(key) ?? 0) + 1);
        ctxTotal[c]++;
        rowTotal[r]++;
        total++;
      }
    }
  }
  return { W, co, ctxTotal, rowTotal, total };
}

/** PPMI-weighted context vectors projected with a seeded ±1 matrix to `D` dimensions, normalised. */
function projectedVectors({ W, co, ctxTotal, rowTotal, total }: Cooccurrences, V: number, D: number, rnd: () => number): Float64Array {
  const R = new Float32Array(W * D);
  for (let k = 0; k < R.length; k++) R[k] = rnd() < 0.5 ? -1 : 1;
  const vec = new Float64Array(V * D);
  for (const [key, n] of co) {
    const r = Math.floor(key / W);
    const c = key - r * W;
    const pmi = Math.log((n * total) / (rowTotal[r] * ctxTotal[c]));
    if (pmi <= 0) continue;
    for (let d = 0; d < D; d++) vec[r * D + d] += pmi * R[c * D + d];
  }
  for (let r = 0; r < V; r++) normalise(vec, r * D, D);
  return vec;
}

/** Bisecting spherical k-means, one bit per level: each row's path with a leading 1 bit. */
function bisectLevels(vec: Float64Array, D: number, V: number, depth: number, rnd: () => number): Uint16Array {
  const paths = new Uint16Array(V).fill(1);
  let groups: number[][] = [Array.from({ length: V }, (_, r) => r)];
  for (let level = 0; level < depth; level++) {
    const next: number[][] = [];
    for (const g of groups) {
      const [a, b] = bisect(vec, D, g, rnd);
      for (const r of a) paths[r] = paths[r] << 1;
      for (const r of b) paths[r] = (paths[r] << 1) | 1;
      next.push(a, b);
    }
    groups = next;
  }
  return paths;
}

function normalise(v: Float64Array, o: number, D: number): void {
  let s = 0;
  for (let d = 0; d < D; d++) s += v[o + d] * v[o + d];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < D; d++) v[o + d] *= inv;
  }
}

/** Split rows `g` in two by spherical 2-means (8 rounds). */
function bisect(vec: Float64Array, D: number, g: number[], rnd: () => number): [number[], number[]] {
  if (g.length < 2) return [g, []];
  const c0 = new Float64Array(D);
  const c1 = new Float64Array(D);
  const i0 = g[Math.floor(rnd() * g.length)];
  let i1 = g[Math.floor(rnd() * g.length)];
  if (i1 === i0) i1 = g[(g.indexOf(i0) + 1) % g.length];
  for (let d = 0; d < D; d++) {
    c0[d] = vec[i0 * D + d];
    c1[d] = vec[i1 * D + d];
  }
  let side = new Uint8Array(g.length);
  for (let round = 0; round < 8; round++) {
    side = new Uint8Array(g.length);
    const s0 = new Float64Array(D);
    const s1 = new Float64Array(D);
    let n1 = 0;
    for (let q = 0; q < g.length; q++) {
      const o = g[q] * D;
      let d0 = 0;
      let d1 = 0;
      for (let d = 0; d < D; d++) {
        d0 += vec[o + d] * c0[d];
        d1 += vec[o + d] * c1[d];
      }
      const s = d1 > d0 ? 1 : 0;
      side[q] = s;
      const acc = s ? s1 : s0;
      n1 += s;
      for (let d = 0; d < D; d++) acc[d] += vec[o + d];
    }
    if (n1 === 0 || n1 === g.length) break;
    c0.set(s0);
    c1.set(s1);
    normalise(c0, 0, D);
    normalise(c1, 0, D);
  }
  const a: number[] = [];
  const b: number[] = [];
  g.forEach((r, q) => (side[q] ? b : a).push(r));
  return [a, b];
}
