/**
 * Compact binary model format of the name tagger and its loader (pure: bytes in, model out).
 *
 * Layout (little-endian):
 *   magic "MRGNER\0\1" (8 bytes) · u16 format version · u16 reserved · u32 header length ·
 *   header (UTF-8 JSON: {featureVersion, tags, labels, stages, meta}) · then per stage:
 *   u8 bits · u8 reserved · u16 numTags · f32[256] codebook · f32[numTags²] transitions ·
 *   f32[numTags] start · f32[numTags] end · u32 rowCount · rows: varint(bucket delta) ·
 *   varint(tag mask) · u8 code per set tag.
 *   Format 2 adds, after the stages, the word-cluster table (clusters.ts): u32 count · u8 depth ·
 *   u8[3] reserved · count × varint(key delta) (keys ascending) · count × path without its leading
 *   1 bit (u8 when depth ≤ 8, else u16) (count 0: no table).
 *   Version 1 files (no table) still load.
 *
 * Weights are hashed (row = top `bits` bits of a feature hash) and quantised to 8-bit codes into a
 * per-stage codebook of 255 levels (0 = weight 0; the other levels sit at quantiles of |w|, so
 * small and large weights both keep their precision). The loader expands the non-empty rows into
 * dense rows of codes found through a bit set per 32 buckets (see StageWeights.groups): scoring a
 * feature reads one group word pair and one row of numTags bytes.
 */
import { clusterTable, type ClusterTable } from './clusters';
import { FEATURE_VERSION } from './features';
import { NAME_LABELS, NUM_TAGS } from './tags';

export const MODEL_MAGIC = [0x4d, 0x52, 0x47, 0x4e, 0x45, 0x52, 0x00, 0x01]; // "MRGNER\0\1"
export const MODEL_FORMAT_VERSION = 2;

export interface StageWeights {
  readonly bits: number;
  readonly numTags: number;
  /** code → weight (code 0 → 0) */
  readonly codebook: Float32Array;
  /**
   * The weights, dense per non-empty bucket: row r holds `numTags` codes at codes[r * numTags ..]
   * (code 0: weight 0; row 0 is all zeros, the row of every empty bucket). `groups[2g]` is the bit
   * set of the non-empty buckets among buckets 32g .. 32g + 31 and `groups[2g + 1]` the row of the
   * first of them (see {@link bucketRow}). About 1 MB for 2^18 buckets: mostly cache-resident,
   * and scoring a feature is a fixed run of numTags additions with no branch.
   */
  readonly groups: Int32Array;
  readonly codes: Uint8Array;
  /** The codebook as doubles (code → weight). */
  readonly weights: Float64Array;
  readonly trans: Float32Array;
  readonly start: Float32Array;
  readonly end: Float32Array;
  /** The decoder's caches for this stage, filled on first use; they live and die with the model. */
  readonly memo: StageMemo;
}

/** Filled by the tagger (tagger/index.ts); opaque here. */
export interface StageMemo {
  staticCache: unknown;
  ordered: unknown;
  bounds: unknown;
}

export interface ModelMeta {
  /** Free-form description: training files, epochs, date, dev scores. */
  [key: string]: unknown;
}

export interface TaggerModel {
  readonly kind: 'marginalia-ner';
  readonly featureVersion: number;
  /** Stage 1: local + document features; stage 2 (optional): adds first-pass label votes. */
  readonly stages: readonly StageWeights[];
  /** Word clusters learned from unlabelled text (features.ts uses their path prefixes); absent in format-1 files. */
  readonly clusters?: ClusterTable;
  readonly meta: ModelMeta;
  /** Size of the binary the model was loaded from. */
  readonly byteLength: number;
}

export class ModelFormatError extends Error {
  constructor(message: string) {
    super(`Invalid Marginalia NER model: ${message}`);
    this.name = 'ModelFormatError';
  }
}

/** Float weights of one stage, before quantisation (used by training and tests). */
export interface FloatStage {
  bits: number;
  numTags: number;
  /** (1 << bits) × numTags */
  weights: Float32Array;
  trans: Float32Array;
  start: Float32Array;
  end: Float32Array;
}

/** Quantise float stages into a model binary. Weights whose int8 value is 0 are dropped. */
export function encodeModel(stages: readonly FloatStage[], meta: ModelMeta = {}, clusters?: ClusterTable): Uint8Array {
  const chunks: Uint8Array[] = [];
  const header = new TextEncoder().encode(JSON.stringify({ featureVersion: FEATURE_VERSION, tags: NUM_TAGS, labels: NAME_LABELS, stages: stages.length, meta }));
  const head = new Uint8Array(16);
  head.set(MODEL_MAGIC, 0);
  const hv = new DataView(head.buffer);
  hv.setUint16(8, MODEL_FORMAT_VERSION, true);
  hv.setUint32(12, header.length, true);
  chunks.push(head, header);
  for (const st of stages) {
    const T = st.numTags;
    const codebook = buildCodebook(st.weights);
    const fixed = new Uint8Array(4 + 4 * 256 + 4 * (T * T + 2 * T) + 4);
    const fv = new DataView(fixed.buffer);
    fv.setUint8(0, st.bits);
    fv.setUint16(2, T, true);
    let o = 4;
    for (const arr of [codebook, st.trans, st.start, st.end]) for (let k = 0; k < arr.length; k++, o += 4) fv.setFloat32(o, arr[k], true);
    const rowBytes: number[] = [];
    let rowCount = 0;
    let lastBucket = 0;
    const nb = 1 << st.bits;
    const q = new Uint8Array(T);
    for (let b = 0; b < nb; b++) {
      let mask = 0;
      for (let t = 0; t < T; t++) {
        const v = quantize(codebook, st.weights[b * T + t]);
        q[t] = v;
        if (v !== 0) mask |= 1 << t;
      }
      if (!mask) continue;
      pushVarint(rowBytes, b - lastBucket);
      lastBucket = b;
      pushVarint(rowBytes, mask);
      for (let t = 0; t < T; t++) if (mask & (1 << t)) rowBytes.push(q[t]);
      rowCount++;
    }
    fv.setUint32(o, rowCount, true);
    chunks.push(fixed, Uint8Array.from(rowBytes));
  }
  const cl: number[] = [];
  const n = clusters ? clusters.keys.length : 0;
  cl.push(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24, clusters?.depth ?? 0, 0, 0, 0);
  if (clusters) {
    let last = 0;
    for (let k = 0; k < n; k++) {
      pushVarint(cl, clusters.keys[k] - last);
      last = clusters.keys[k];
    }
    const wide = clusters.depth > 8;
    for (let k = 0; k < n; k++) {
      const p = clusters.paths[k] ^ (1 << clusters.depth);
      if (wide) cl.push(p & 255, p >>> 8);
      else cl.push(p);
    }
  }
  chunks.push(Uint8Array.from(cl));
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/**
 * 8-bit codebook: code 0 = 0, codes 1..127 = positive levels, 129..255 = the negated levels,
 * log-spaced from the 1st percentile of the non-zero |w| to the largest |w| (relative error of a
 * quantised weight ≤ ~3 %). Weights below half the smallest level quantise to 0.
 */
export function buildCodebook(weights: Float32Array): Float32Array {
  const abs: number[] = [];
  for (let k = 0; k < weights.length; k++) if (weights[k] !== 0) abs.push(Math.abs(weights[k]));
  abs.sort((x, y) => x - y);
  const cb = new Float32Array(256);
  if (!abs.length) return cb;
  const hi = abs[abs.length - 1];
  const lo = Math.min(hi, Math.max(abs[Math.floor(abs.length * 0.01)], hi * 1e-6));
  const ratio = Math.log(hi / lo) / 126;
  for (let k = 0; k < 127; k++) {
    cb[1 + k] = Math.fround(lo * Math.exp(ratio * k));
    cb[129 + k] = -cb[1 + k];
  }
  return cb;
}

/** Nearest code of `w` in the codebook. */
export function quantize(cb: Float32Array, w: number): number {
  if (w === 0) return 0;
  const a = Math.abs(w);
  if (a < cb[1] / 2) return 0;
  let lo = 1;
  let hi = 127;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cb[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  // lo: first level ≥ a; compare with the one below
  if (lo > 1 && a - cb[lo - 1] < cb[lo] - a) lo--;
  return w > 0 ? lo : lo + 128;
}

function pushVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/**
 * Load a model from its bytes (read by the caller: `vscode.workspace.fs.readFile`, `fs.readFile`,
 * `fetch`). Throws {@link ModelFormatError} with a clear message when the bytes are not a model of
 * this version.
 */
export function loadTaggerModel(bytes: Uint8Array): TaggerModel {
  const { version, header, end } = readHeader(bytes);
  const nStages = typeof header.stages === 'number' ? header.stages : 0;
  if (nStages < 1 || nStages > 4) throw new ModelFormatError(`bad stage count ${String(header.stages)}`);
  const r = new ModelReader(bytes, end);
  const stages: StageWeights[] = [];
  for (let s = 0; s < nStages; s++) stages.push(readStage(r));
  const clusters = version >= 2 ? readClusters(r) : undefined;
  if (r.o !== bytes.length) throw new ModelFormatError(`${bytes.length - r.o} unexpected trailing bytes`);
  const meta = header.meta && typeof header.meta === 'object' ? (header.meta as ModelMeta) : {};
  return { kind: 'marginalia-ner', featureVersion: FEATURE_VERSION, stages, clusters, meta, byteLength: bytes.length };
}

interface ModelHeader {
  featureVersion?: unknown;
  tags?: unknown;
  labels?: unknown;
  stages?: unknown;
  meta?: unknown;
}

/** The format version and the JSON header (checked against this tagger), and where the header ends. */
function readHeader(bytes: Uint8Array): { version: number; header: ModelHeader; end: number } {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError('expected bytes (Uint8Array)');
  if (bytes.length < 16) throw new ModelFormatError(`file too short (${bytes.length} bytes)`);
  for (let k = 0; k < MODEL_MAGIC.length; k++) {
    if (bytes[k] !== MODEL_MAGIC[k]) throw new ModelFormatError('wrong magic number (not a Marginalia NER model file)');
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(8, true);
  if (version !== MODEL_FORMAT_VERSION && version !== 1) throw new ModelFormatError(`format version ${version} is not supported (expected ${MODEL_FORMAT_VERSION}); retrain with this version's \`npm run train\``);
  const hlen = dv.getUint32(12, true);
  if (16 + hlen > bytes.length) throw new ModelFormatError('truncated header');
  let header: ModelHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + hlen))) as ModelHeader;
  } catch (e) {
    throw new ModelFormatError(`unreadable header (${(e as Error).message})`);
  }
  if (header.featureVersion !== FEATURE_VERSION) throw new ModelFormatError(`feature version ${String(header.featureVersion)} does not match this tagger (${FEATURE_VERSION}); retrain the model`);
  if (header.tags !== NUM_TAGS || JSON.stringify(header.labels) !== JSON.stringify(NAME_LABELS)) throw new ModelFormatError('unexpected tag set');
  return { version, header, end: 16 + hlen };
}

/** A read position in a model's bytes. */
class ModelReader {
  readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public o: number,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Throws unless `n` more bytes are there. */
  need(n: number): void {
    if (this.o + n > this.bytes.length) throw new ModelFormatError('truncated weights');
  }
  /** An unsigned LEB128 number (at most 5 bytes); `truncated`: the message when the bytes end first. */
  varint(truncated: string): number {
    const bytes = this.bytes;
    let v = 0;
    let shift = 0;
    let byte = 0x80;
    while (byte & 0x80) {
      if (this.o >= bytes.length || shift > 28) throw new ModelFormatError(this.o >= bytes.length ? truncated : 'bad varint');
      byte = bytes[this.o++];
      v |= (byte & 0x7f) << shift;
      shift += 7;
    }
    return v;
  }
}

/** One stage: its header, codebook, transitions and weight rows. */
function readStage(r: ModelReader): StageWeights {
  const dv = r.dv;
  r.need(4);
  const bits = dv.getUint8(r.o);
  const T = dv.getUint16(r.o + 2, true);
  if (bits < 8 || bits > 24 || T !== NUM_TAGS) throw new ModelFormatError('bad stage header');
  r.o += 4;
  r.need(4 * (256 + T * T + 2 * T) + 4);
  const codebook = new Float32Array(256);
  const trans = new Float32Array(T * T);
  const start = new Float32Array(T);
  const end = new Float32Array(T);
  for (const arr of [codebook, trans, start, end]) for (let k = 0; k < arr.length; k++, r.o += 4) arr[k] = dv.getFloat32(r.o, true);
  for (let k = 0; k < 256; k++) if (!Number.isFinite(codebook[k])) throw new ModelFormatError('bad codebook');
  if (codebook[0] !== 0) throw new ModelFormatError('bad codebook (code 0 must be weight 0)');
  const rowCount = dv.getUint32(r.o, true);
  r.o += 4;
  const nb = 1 << bits;
  if (rowCount > nb) throw new ModelFormatError('row count exceeds the hash space');
  // a row takes at least two bytes (bucket delta and tag mask)
  if (rowCount * 2 > r.bytes.length - r.o) throw new ModelFormatError('truncated weights');
  const groups = new Int32Array((nb >>> 5) * 2);
  // row 0: zeros; row r + 1: the r-th row of the file
  const codes = new Uint8Array((rowCount + 1) * T);
  readRows(r, rowCount, nb, T, groups, codes);
  const weights = Float64Array.from(codebook);
  return { bits, numTags: T, codebook, groups, codes, weights, trans, start, end, memo: { staticCache: undefined, ordered: undefined, bounds: undefined } };
}

/** The weight rows: each a bucket delta, a tag mask and a code per tag in the mask, into `groups` and `codes`. */
function readRows(r: ModelReader, rowCount: number, nb: number, T: number, groups: Int32Array, codes: Uint8Array): void {
  const bytes = r.bytes;
  const len = bytes.length;
  let bucket = 0;
  for (let q = 0; q < rowCount; q++) {
    const delta = r.varint('truncated weights');
    const mask = r.varint('truncated weights');
    bucket += delta;
    if (delta < 0 || bucket >= nb || (q > 0 && delta === 0) || mask < 0 || mask >= 1 << T) throw new ModelFormatError('bad row index');
    const g = bucket >>> 5;
    if (groups[2 * g] === 0) groups[2 * g + 1] = q + 1;
    groups[2 * g] |= 1 << (bucket & 31);
    const row = (q + 1) * T;
    for (let t = 0; t < T; t++) {
      if (mask & (1 << t)) {
        if (r.o >= len) throw new ModelFormatError('truncated weights');
        codes[row + t] = bytes[r.o++];
      }
    }
  }
}

/** The word-cluster table (format 2): delta-coded word keys, then their paths. */
function readClusters(r: ModelReader): ClusterTable | undefined {
  const bytes = r.bytes;
  r.need(8);
  const count = r.dv.getUint32(r.o, true);
  const depth = r.dv.getUint8(r.o + 4);
  r.o += 8;
  if (count === 0) return undefined;
  if (depth < 1 || depth > 15) throw new ModelFormatError('bad cluster depth');
  if (count * 3 > bytes.length - r.o) throw new ModelFormatError('truncated cluster table');
  const keys = new Int32Array(count);
  let key = 0;
  for (let k = 0; k < count; k++) {
    const delta = r.varint('truncated cluster table');
    key += delta;
    if ((k > 0 && delta <= 0) || key < 0 || key > 0x3fffffff) throw new ModelFormatError('bad cluster key');
    keys[k] = key;
  }
  const wide = depth > 8;
  r.need((wide ? 2 : 1) * count);
  const paths = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const p = wide ? r.dv.getUint16(r.o, true) : bytes[r.o];
    r.o += wide ? 2 : 1;
    if (p >>> depth !== 0) throw new ModelFormatError('bad cluster path');
    paths[k] = p | (1 << depth);
  }
  return clusterTable(keys, paths, depth);
}

/** The row of bucket `b` in `st.codes` (times numTags: the offset of its first code); 0 for an empty bucket. */
export function bucketRow(st: StageWeights, b: number): number {
  const g = (b >>> 5) << 1;
  const set = st.groups[g];
  const sh = b & 31;
  return (st.groups[g + 1] + bitCount(set & ((1 << sh) - 1))) * ((set >>> sh) & 1) * st.numTags;
}

/** The weights of bucket `b` (tag → weight, 0 when absent) into `out` (length ≥ numTags). */
export function bucketWeights(st: StageWeights, b: number, out: Float32Array | Float64Array): void {
  const r = bucketRow(st, b);
  for (let t = 0; t < st.numTags; t++) out[t] = st.weights[st.codes[r + t]];
}

/** Number of set bits of a 32-bit integer. */
export function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Is `x` a loaded tagger model? */
export function isTaggerModel(x: unknown): x is TaggerModel {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'marginalia-ner';
}
