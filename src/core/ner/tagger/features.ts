/**
 * Feature extraction for the name tagger. Every feature is a 32-bit hash (template id mixed with
 * per-token "atoms": hashes of the word, its lower case, shape, affixes; gazetteer and document
 * bits). The model maps a hash to a weight row by its top `bits` bits. Atoms are computed once per
 * token range, features once per token; no per-feature strings are built. The hashing, the atoms
 * and the features stay in one module: they are the per-token hot path, and calls within a module
 * are the cheapest (the document context is built in `doc-context.ts`).
 */
import { gazetteerForms, type GazetteerType } from '../gazetteer';
import { TOK_PUNCT, TOK_SENT_START, type TokenList } from '../../text/tokenize';
import type { ClusterTable } from './clusters';
import { IntMap } from './intmap';

/** Bump when features change: the model header must carry the same number. */
export const FEATURE_VERSION = 5;

export function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** Called as `charCodeAt.call(s, i)`: inlined whatever kinds of strings reach it (see the tokenizer's note). */
const charCodeAt = String.prototype.charCodeAt;

const FNV = 0x811c9dc5 | 0;
/** Map keys are masked to 30 bits so that they stay small integers (fast Map hashing). */
export const SMI = 0x3fffffff;

export function hashString(s: string): number {
  let h = FNV;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ charCodeAt.call(s, k), 0x01000193);
  return mix(h, s.length);
}

/** The hash of a word as in `Atoms.word` (case-sensitive). */
export function wordHash(s: string): number {
  return hashString(s);
}

// Cap classes
export const C_LOWER = 0;
const C_INITCAP = 1;
const C_ALLCAPS = 2;
const C_MIXED = 3;
const C_DIGIT = 4;
const C_PUNCT = 5;
const C_OTHER = 6;

/** Per-document context: what each word (by lower-case hash) looks like elsewhere in the document. */
export interface DocumentContext {
  /** lower-case word hash (& SMI) → DOC_* bits */
  readonly words: IntMap;
  /** lower-case word hash → label votes from a first tagging pass ([PER, ORG, LOC, MISC, O] counts), when available. */
  readonly votes?: Map<number, Uint16Array>;
}

export const DOC_CAP_MID = 1;
export const DOC_LOWER = 2;
export const DOC_IN_RUN = 4;
export const DOC_RUN_LAST = 8;
export const DOC_RUN_FIRST = 16;
export const DOC_AFTER_TITLE = 32;
/** The word is in a capitalised run that follows a place preposition elsewhere ("in", "at", "from", …). */
export const DOC_AFTER_PREP = 64;
/** … that follows "the" elsewhere (organisations, bands, places; rarely people). */
export const DOC_AFTER_THE = 128;
/** … that precedes a speech verb elsewhere ("said", "says", "told"): people and organisations. */
export const DOC_BEFORE_SAID = 256;
/** Number of DOC_* bits. */
export const DOC_BITS = 9;

export interface Atoms {
  readonly tokens: TokenList;
  readonly from: number;
  readonly to: number;
  /** All arrays are indexed by (token index - from). */
  readonly word: Int32Array;
  readonly lower: Int32Array;
  readonly shape: Int32Array;
  readonly cls: Uint8Array;
  /** Only what the document context needs (no shape or gazetteer): not for tagging. */
  readonly lite?: boolean;
  /** Gazetteer bits: (type * 4 + part) with type 0 place, 1 group, 2 organization, 3 first name; part 0 B, 1 I, 2 L, 3 U. */
  readonly gaz: Uint16Array;
  /** 1: first word of its sentence (after opening punctuation); 2: sentence is a headline (mostly upper case). */
  readonly pos: Uint8Array;
  /** Sentence ranges (token indices) covering [from, to): s0, e0, s1, e1, ... */
  readonly sentences: Int32Array;
  /** Word-cluster paths with a leading 1 bit (0: unknown word or no cluster table); empty for lite atoms. */
  readonly clus: Uint16Array;
  /** Depth of the cluster paths (0: no clusters). */
  readonly clusDepth: number;
}

const NO_CLUSTERS = new Uint16Array(0);

/** The lower-case form of token i (absolute index). */
export function lowerAt(a: Atoms, i: number): string {
  return a.tokens.text.slice(a.tokens.starts[i], a.tokens.ends[i]).toLowerCase();
}

const GAZ_TYPES: readonly GazetteerType[] = ['place', 'group', 'organization', 'person-first-name'];
const GAZ_SEED = 0x2f6b1d3;
let gazMap: IntMap | undefined;
/** Bit filter of the first-token prefix hashes (bits 14..29 of the hash): most words start no gazetteer form and are rejected here, in L1. */
const gazFirst = new Int32Array(2048);

/** prefix hash → bits: 1 << type index when a form ends here, 256 when longer forms continue (-1: none). */
function gazetteerHash(): IntMap {
  if (gazMap) return gazMap;
  const m = new IntMap(1 << 14);
  for (const f of gazetteerForms()) {
    let h = GAZ_SEED;
    for (let k = 0; k < f.tokens.length; k++) {
      h = mix(h, hashString(f.tokens[k]));
      if (k === 0) gazFirst[(h >>> 19) & 2047] |= 1 << ((h >>> 14) & 31);
      let bits = 0;
      if (k < f.tokens.length - 1) bits |= 256;
      else for (const t of f.types) bits |= 1 << GAZ_TYPES.indexOf(t);
      m.or(h & SMI, bits);
    }
  }
  gazMap = m;
  return m;
}

/** The shape hash of the last {@link classify} call (returned through a variable: no object per token). */
let lastShape = 0;

/** The cap class of `s`; its shape hash is left in `lastShape`. */
function classify(s: string): number {
  let h = FNV;
  let last = -1;
  let upper = 0;
  let lowerN = 0;
  let digit = 0;
  let other = 0;
  for (let k = 0; k < s.length; k++) {
    const c = charCodeAt.call(s, k);
    let sc: number;
    if (c >= 65 && c <= 90) {
      sc = 88; // X
      upper++;
    } else if (c >= 97 && c <= 122) {
      sc = 120; // x
      lowerN++;
    } else if (c >= 48 && c <= 57) {
      sc = 100; // d
      digit++;
    } else if (c < 128) {
      sc = c;
      other++;
    } else {
      const ch = s.charAt(k);
      if (ch !== ch.toLowerCase()) {
        sc = 88;
        upper++;
      } else if (ch !== ch.toUpperCase()) {
        sc = 120;
        lowerN++;
      } else {
        sc = c >= 0xd800 && c <= 0xdfff ? 63 : 120;
        other++;
      }
    }
    if (sc !== last) {
      h = Math.imul(h ^ sc, 0x01000193);
      last = sc;
    }
  }
  const f = charCodeAt.call(s, 0);
  const fch = s.charAt(0);
  lastShape = shapeOf(h, s.length);
  return classOfCounts(upper, lowerN, digit, other, s.length, (f >= 65 && f <= 90) || (f >= 128 && fch !== fch.toLowerCase()));
}

/** The cap class from a word's letter counts (`firstUpper`: its first character is upper case). */
function classOfCounts(upper: number, lowerN: number, digit: number, other: number, len: number, firstUpper: boolean): number {
  if (upper + lowerN === 0) return digit > 0 ? C_DIGIT : other > 0 ? C_PUNCT : C_OTHER;
  if (upper === 0) return C_LOWER;
  if (lowerN === 0) return upper === 1 && len === 1 ? C_INITCAP : C_ALLCAPS;
  return firstUpper && upper === 1 ? C_INITCAP : C_MIXED;
}

/** The shape hash: the character-class run hash and a length bucket ("Xx" short words vs long ones). */
function shapeOf(h: number, len: number): number {
  return mix(h, len <= 2 ? len : len <= 4 ? 3 : len <= 8 ? 4 : 5);
}

/** Prefix (1–4 characters, shorter than the word) and suffix (1–4, shorter than the word) hashes of a lower-case word into out[at..at+8), 0 when absent. */
export function affixHashes(lw: string, out: Int32Array, at: number): void {
  let h = FNV;
  const L = lw.length;
  for (let a = 0; a < 4; a++) {
    if (a < L) {
      h = Math.imul(h ^ charCodeAt.call(lw, a), 0x01000193);
      out[at + a] = a + 1 < L ? mix(h, a) : 0;
    } else out[at + a] = 0;
  }
  for (let a = 1; a <= 4; a++) {
    if (a < L) {
      let g = FNV;
      for (let q = L - a; q < L; q++) g = Math.imul(g ^ charCodeAt.call(lw, q), 0x01000193);
      out[at + 3 + a] = mix(g, 100 + a);
    } else out[at + 3 + a] = 0;
  }
}

/**
 * Compute atoms for tokens [from, to). `lite`: only what {@link buildDocumentContext} needs
 * (lower-case hash, class, position), for the document pass over the whole text.
 */
export function computeAtoms(tokens: TokenList, from = 0, to = tokens.count, lite = false, clusters?: ClusterTable): Atoms {
  const n = Math.max(0, to - from);
  const ns = n > 0 ? 2 * sentenceCount(tokens, from, to) : 0;
  // one buffer for all the arrays (int32 ones first, then gaz, then the byte ones)
  const nx = lite ? 0 : n;
  const buf = new ArrayBuffer(4 * (2 * n + nx + ns) + 2 * nx + 2 * n);
  const word = new Int32Array(buf, 0, n);
  const lower = new Int32Array(buf, 4 * n, n);
  const shape = new Int32Array(buf, 8 * n, nx);
  const sentences = new Int32Array(buf, 4 * (2 * n + nx), ns);
  const gaz = new Uint16Array(buf, 4 * (2 * n + nx + ns), nx);
  const cls = new Uint8Array(buf, 4 * (2 * n + nx + ns) + 2 * nx, n);
  const pos = new Uint8Array(buf, 4 * (2 * n + nx + ns) + 2 * nx + n, n);
  hashWords(tokens, from, n, word, lower, lite ? undefined : shape, cls);
  markSentences(tokens, from, to, cls, sentences, pos);
  if (lite) return { tokens, from, to, word, lower, shape, cls, gaz, pos, sentences, lite, clus: NO_CLUSTERS, clusDepth: 0 };
  markGazetteerForms(lower, gaz, n);
  const clus = clusters ? clusterPaths(clusters, word, lower, n) : NO_CLUSTERS;
  // the same properties as the lite atoms (one object shape for the code that reads them)
  return { tokens, from, to, word, lower, shape, cls, gaz, pos, sentences, lite: false, clus, clusDepth: clusters ? clusters.depth : 0 };
}

/** The number of sentences tokens [from, to) (not empty) start or continue. */
function sentenceCount(tokens: TokenList, from: number, to: number): number {
  let count = 1;
  for (let i = from + 1; i < to; i++) if (tokens.flags[i] & TOK_SENT_START) count++;
  return count;
}

/** Word, lower-case and shape (`shape` given) hashes and the cap class of tokens [from, from + n). */
function hashWords(tokens: TokenList, from: number, n: number, word: Int32Array, lower: Int32Array, shape: Int32Array | undefined, cls: Uint8Array): void {
  const text = tokens.text;
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const st = tokens.starts[i];
    const en = tokens.ends[i];
    // ASCII words (most of them): hashes, class and shape in one pass, no string made. The same
    // values as the general path below.
    let hw = FNV;
    let hl = FNV;
    let hs = FNV;
    let last = -1;
    let upper = 0;
    let lowerN = 0;
    let digit = 0;
    let other = 0;
    let p = st;
    for (; p < en; p++) {
      const c = charCodeAt.call(text, p);
      if (c >= 128) break;
      hw = Math.imul(hw ^ c, 0x01000193);
      let lc = c;
      let sc: number;
      if (c >= 65 && c <= 90) {
        lc = c + 32;
        sc = 88;
        upper++;
      } else if (c >= 97 && c <= 122) {
        sc = 120;
        lowerN++;
      } else if (c >= 48 && c <= 57) {
        sc = 100;
        digit++;
      } else {
        sc = c;
        other++;
      }
      hl = Math.imul(hl ^ lc, 0x01000193);
      if (sc !== last) {
        hs = Math.imul(hs ^ sc, 0x01000193);
        last = sc;
      }
    }
    if (p === en) {
      const len = en - st;
      word[k] = mix(hw, len);
      lower[k] = upper === 0 ? word[k] : mix(hl, len);
      const f = charCodeAt.call(text, st);
      cls[k] = classOfCounts(upper, lowerN, digit, other, len, f >= 65 && f <= 90);
      if (shape) shape[k] = shapeOf(hs, len);
      continue;
    }
    const s = text.slice(st, en);
    const lw = s.toLowerCase();
    word[k] = hashString(s);
    const lh = lw === s ? word[k] : hashString(lw);
    lower[k] = lh;
    cls[k] = classify(s);
    if (shape) shape[k] = lastShape;
  }
}

/** Sentence ranges and positions: the first word of each sentence (1) and headline sentences (2). */
function markSentences(tokens: TokenList, from: number, to: number, cls: Uint8Array, sentences: Int32Array, pos: Uint8Array): void {
  let sn = 0;
  let sStart = from;
  for (let i = from + 1; i <= to; i++) {
    if (i === to || tokens.flags[i] & TOK_SENT_START) {
      sentences[sn++] = sStart;
      sentences[sn++] = i;
      // headline: ≥ 2 letters-words and most of them all-caps
      let words = 0;
      let caps = 0;
      let first = -1;
      for (let j = sStart; j < i; j++) {
        const c = cls[j - from];
        if (c === C_LOWER || c === C_INITCAP || c === C_ALLCAPS || c === C_MIXED) {
          if (first < 0) first = j;
          words++;
          if (c === C_ALLCAPS) caps++;
        }
      }
      if (first < 0) first = sStart;
      pos[first - from] |= 1;
      if (words >= 2 && caps * 2 > words) for (let j = sStart; j < i; j++) pos[j - from] |= 2;
      sStart = i;
    }
  }
}

/** Gazetteer bits: hashed token-sequence matcher over the lower-case hashes. */
function markGazetteerForms(lower: Int32Array, gaz: Uint16Array, n: number): void {
  const gz = gazetteerHash();
  for (let k = 0; k < n; k++) {
    let h = mix(GAZ_SEED, lower[k]);
    if (((gazFirst[(h >>> 19) & 2047] >>> ((h >>> 14) & 31)) & 1) === 0) continue;
    let v = gz.get(h & SMI, -1);
    let j = k;
    while (v !== -1) {
      const typeBits = v & 15;
      if (typeBits) {
        for (let g = 0; g < 4; g++) {
          if (!(typeBits & (1 << g))) continue;
          if (j === k) gaz[k] |= 1 << (g * 4 + 3);
          else {
            gaz[k] |= 1 << (g * 4);
            for (let q = k + 1; q < j; q++) gaz[q] |= 1 << (g * 4 + 1);
            gaz[j] |= 1 << (g * 4 + 2);
          }
        }
      }
      if (!(v & 256) || j + 1 >= n) break;
      j++;
      h = mix(h, lower[j]);
      v = gz.get(h & SMI, -1);
    }
  }
}

/** Word-cluster paths: the case-sensitive form's, else the lower-case one's. */
function clusterPaths(clusters: ClusterTable, word: Int32Array, lower: Int32Array, n: number): Uint16Array {
  const clus = new Uint16Array(n);
  const cm = clusters.map;
  for (let k = 0; k < n; k++) {
    const c = cm.get(word[k] & SMI, 0);
    clus[k] = c !== 0 ? c : cm.get(lower[k] & SMI, 0);
  }
  return clus;
}

export function isCapCls(c: number): boolean {
  return c === C_INITCAP || c === C_ALLCAPS || c === C_MIXED;
}

// Template ids
const T = {
  bias: 1, w: 2, lw: 3, shape: 4, lwm1: 5, lwp1: 6, lwm2: 7, lwp2: 8, shm1: 9, shp1: 10, shm1sh: 11, shshp1: 12, lwm1lw: 13, lwlwp1: 14,
  affix: 15, posCls: 16, headLw: 17, gaz: 18, gazCls: 19, gazm1: 20, gazp1: 21, doc: 22, docBit: 23, lwm1sh: 24, shlwp1: 25, clsm1clsp1: 26,
  votes: 27, voteMaj: 28, hyphen: 29, wm1w: 30, cluster: 31, clusm1: 32, clusp1: 33, clusCls: 34, runHead: 35,
};

const BOS = 0x5bd1e995 | 0;
const EOS = 0x1b873593 | 0;

/**
 * Write the feature hashes of token `i` (absolute index) into `out` from `at`; returns the new
 * write position. `out` must have room for MAX_FEATURES entries.
 */
export const MAX_FEATURES = 96;

export function tokenFeatures(a: Atoms, doc: DocumentContext | undefined, i: number, sentFrom: number, sentTo: number, out: Int32Array, at: number): number {
  at = staticFeatures(a, i - a.from, out, at);
  return contextFeatures(a, doc, i, sentFrom, sentTo, out, at);
}

const affixBuf = new Int32Array(8);

/** Features that depend only on the token's own string (cacheable per word). */
export function staticFeatures(a: Atoms, k: number, out: Int32Array, at: number): number {
  out[at++] = T.bias;
  out[at++] = mix(T.w, a.word[k]);
  out[at++] = mix(T.lw, a.lower[k]);
  out[at++] = mix(T.shape, a.shape[k]);
  affixHashes(lowerAt(a, a.from + k), affixBuf, 0);
  for (let q = 0; q < 8; q++) {
    const h = affixBuf[q];
    if (h !== 0) out[at++] = mix(T.affix + q * 101, h);
  }
  const cp = a.clusDepth ? a.clus[k] : 0;
  if (cp !== 0) {
    // path prefixes (the leading 1 bit keeps their lengths apart) and the full path with the cap class
    for (let len = 2; len <= a.clusDepth; len += 2) out[at++] = mix(T.cluster, cp >>> (a.clusDepth - len));
    out[at++] = mix(T.clusCls, (cp << 4) | a.cls[k]);
  }
  return at;
}

/** Features of token `i` in its context (neighbours, position, gazetteer, document). */
export function contextFeatures(a: Atoms, doc: DocumentContext | undefined, i: number, sentFrom: number, sentTo: number, out: Int32Array, at: number): number {
  const k = i - a.from;
  const lw = a.lower[k];
  const sh = a.shape[k];
  const c = a.cls[k];
  const p = a.pos[k];
  const lwm1 = i - 1 >= sentFrom ? a.lower[k - 1] : BOS;
  const lwp1 = i + 1 < sentTo ? a.lower[k + 1] : EOS;
  const shm1 = i - 1 >= sentFrom ? a.shape[k - 1] : BOS;
  const shp1 = i + 1 < sentTo ? a.shape[k + 1] : EOS;
  const cm1 = i - 1 >= sentFrom ? a.cls[k - 1] : 9;
  const cp1 = i + 1 < sentTo ? a.cls[k + 1] : 9;
  out[at++] = mix(T.lwm1, lwm1);
  out[at++] = mix(T.lwp1, lwp1);
  out[at++] = mix(mix(T.shm1sh, shm1), sh);
  out[at++] = mix(mix(T.shshp1, sh), shp1);
  out[at++] = mix(mix(T.lwm1lw, lwm1), lw);
  out[at++] = mix(mix(T.lwlwp1, lw), lwp1);
  out[at++] = mix(mix(T.lwm1sh, lwm1), sh);
  out[at++] = mix(mix(T.shlwp1, sh), lwp1);
  out[at++] = mix(T.clsm1clsp1, (cm1 << 8) | (c << 4) | cp1);
  out[at++] = mix(T.posCls, (p << 4) | c);
  if (p & 2) out[at++] = mix(T.headLw, lw);
  if (isCapCls(c)) {
    // the last word of the capitalised run this word opens or continues ("Consultative Regional
    // Platform", "Rolling Stones"): the head word says organisation, place or person
    let j = i;
    while (j + 1 < sentTo && j - i < 6 && isCapCls(a.cls[j + 1 - a.from]) && !(a.tokens.flags[j + 1] & TOK_PUNCT)) j++;
    if (j > i) out[at++] = mix(T.runHead, a.lower[j - a.from]);
  }
  if (a.clusDepth) {
    const D = a.clusDepth;
    const pm1 = i - 1 >= sentFrom ? a.clus[k - 1] : 1;
    const pp1 = i + 1 < sentTo ? a.clus[k + 1] : 1;
    if (pm1 !== 0) out[at++] = mix(T.clusm1, pm1 >>> (D > 6 ? D - 6 : 0));
    if (pp1 !== 0) out[at++] = mix(T.clusp1, pp1 >>> (D > 6 ? D - 6 : 0));
  }
  const g = a.gaz[k];
  if (g !== 0) {
    for (let b = 0; b < 16; b++) {
      if (g & (1 << b)) {
        out[at++] = mix(T.gaz, b);
        out[at++] = mix(T.gazCls, (b << 4) | c);
      }
    }
  }
  if (i - 1 >= sentFrom && a.gaz[k - 1] !== 0) out[at++] = mix(T.gazm1, a.gaz[k - 1]);
  if (i + 1 < sentTo && a.gaz[k + 1] !== 0) out[at++] = mix(T.gazp1, a.gaz[k + 1]);
  if (doc) {
    const d = doc.words.get(lw & SMI, 0);
    const ctx = (p << 4) | c;
    out[at++] = mix(mix(T.doc, d), ctx);
    for (let b = 0; b < DOC_BITS; b++) if (d & (1 << b)) out[at++] = mix(T.docBit + b * 7, ctx);
    if (doc.votes) {
      const v = doc.votes.get(lw & SMI);
      if (v) {
        let best = 4;
        let total = 0;
        for (let q = 0; q < 5; q++) {
          total += v[q];
          if (v[q] > v[best] || (best === 4 && q < 4 && v[q] > 0 && v[q] >= v[4])) best = q;
        }
        out[at++] = mix(T.voteMaj, best);
        out[at++] = mix(mix(T.voteMaj, best), c);
        for (let q = 0; q < 4; q++) if (v[q] > 0) out[at++] = mix(T.votes, (q << 2) | (v[q] * 2 >= total ? 2 : 1));
      } else out[at++] = mix(T.voteMaj, 9);
    }
  }
  return at;
}
