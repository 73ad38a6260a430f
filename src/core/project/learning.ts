/**
 * Learning from the user's corrections, across a workspace. Two things, both derived from the
 * sidecars (the only source of truth; nothing is stored besides an optional reset marker):
 *
 * 1. Workspace-wide corrections: a correction with scope `all` (the default) made in one source
 *    applies, by its text, in every other source too (Set Entity Type, Ignore Entity, Merge With
 *    Entity; a quotation's speaker stays in its source). A source's own corrections win over the
 *    other sources' (they are applied after them).
 * 2. Adaptation of the tagger: each corrected mention in its sentence, with the corrected label
 *    (Ignore: not a name), teaches a sparse weight change of the model's last stage (tagger/adapt.ts),
 *    so that similar names in similar contexts are read alike. The base model is never changed.
 *
 * Time: gathering is linear in the corrected sources' text; the corrections another source gets
 * are found through an index by first word (linear in its text plus the matches); training is a
 * few passes over the corrected sentences only.
 */
import { applyCorrections } from '../corrections';
import { adaptModel, deltaOf, isTaggerModel, prepareDocument, trainDelta, type LearningSentence, type TaggerModel, type WeightDelta } from '../ner/tagger';
import { countFeatures, sameDelta } from '../ner/tagger/adapt';
import { IntMap } from '../ner/tagger/intmap';
import { NAME_LABELS } from '../ner/tagger/tags';
import { tokenize } from '../text/tokenize';
import type { Correction } from '../sidecar/model';
import type { Analysis, EntityType } from '../types';
import type { Atoms, DocumentContext } from '../ner/tagger/features';

/** The corrections of one source, anchored on its current text (when it could be read). */
export interface SourceCorrections {
  /** Identifies the source (workspace-relative path, or a URI): its own corrections are not repeated. */
  key: string;
  /** The source's text the targets are anchored on; undefined when it could not be read. */
  text?: string;
  corrections: readonly Correction[];
}

export { LEARNING_STATE_PATH, formatLearningState, parseLearningState, type LearningSettings } from './learningState';
import type { LearningSettings } from './learningState';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** When a correction was made: its `created` field, else the time in its ULID id. */
export function correctionTime(c: Correction): number {
  if (c.created) {
    const t = Date.parse(c.created);
    if (!Number.isNaN(t)) return t;
  }
  if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(c.id)) {
    let ms = 0;
    for (let k = 0; k < 10; k++) ms = ms * 32 + CROCKFORD.indexOf(c.id[k]);
    return ms;
  }
  return 0;
}

const WORKSPACE_ACTIONS = new Set<Correction['action']>(['ignore', 'entity-type', 'merge']);
const LEADING_WORD = /^[\p{L}\p{N}\p{M}]+/u;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** The tagger label of an entity type (dates and numbers are not the tagger's: O). */
function labelOfType(type: EntityType | undefined): number {
  switch (type) {
    case 'person':
      return NAME_LABELS.indexOf('PER');
    case 'organization':
      return NAME_LABELS.indexOf('ORG');
    case 'place':
      return NAME_LABELS.indexOf('LOC');
    case 'group':
      return NAME_LABELS.indexOf('MISC');
    default:
      return -1;
  }
}

/** Tag of label `l` (0..3) and part (1 B, 2 I, 3 L, 4 U): tags.ts numbering. */
function tagOf(l: number, part: number): number {
  return 1 + 4 * l + (part - 1);
}

export interface LearningStats {
  /** Sources whose corrections were read. */
  sources: number;
  /** Corrections that apply across the workspace. */
  workspaceCorrections: number;
  /** Corrections the tagger learned from, and their sentences. */
  learnedCorrections: number;
  sentences: number;
  /** Weight rows of the learned change. */
  features: number;
  /** Milliseconds spent deriving. */
  ms: number;
}

/** The workspace's learning, derived from its corrections: see the file comment. */
export class WorkspaceLearning {
  /** first word of `exact` → the workspace-wide corrections with that text (or texts starting with it) */
  private readonly byWord = new Map<string, { c: Correction; key: string }[]>();
  private readonly noWord: { c: Correction; key: string }[] = [];

  constructor(
    /** The model to recognise with: the base model with the learned change (or the base model). */
    readonly model: unknown,
    corrections: readonly { c: Correction; key: string }[],
    readonly stats: LearningStats,
    /** The learned change, when there is one. */
    readonly delta?: WeightDelta,
  ) {
    for (const x of corrections) {
      const w = LEADING_WORD.exec(x.c.target.exact);
      if (!w) {
        this.noWord.push(x);
        continue;
      }
      const list = this.byWord.get(w[0]);
      if (list) list.push(x);
      else this.byWord.set(w[0], [x]);
    }
  }

  /** No workspace-wide corrections and nothing learned. */
  get empty(): boolean {
    return this.byWord.size === 0 && this.noWord.length === 0 && !this.delta;
  }

  /**
   * The other sources' workspace-wide corrections that apply to `text`, whose recognised mentions
   * are `mentions`. Ignore Entity and Merge With Entity apply to the mentions with exactly their text
   * (as orphans: by text, never by a position). Set Entity Type applies at each whole-word
   * occurrence of its text that is a mention or no part of one: a correction of "Czech" retypes a
   * mention "Czech" but leaves "Czech Republic" whole. Linear in `text` plus the candidates and
   * their occurrences.
   */
  correctionsFor(key: string, text: string, mentions: readonly { start: number; end: number }[] = []): Correction[] {
    if (this.byWord.size === 0 && this.noWord.length === 0) return [];
    const seen = new Set<string>();
    const candidates: Correction[] = [];
    const take = (x: { c: Correction; key: string }): void => {
      if (x.key === key || seen.has(x.c.id)) return;
      seen.add(x.c.id);
      candidates.push(x.c);
    };
    // where each word starts (only words some correction starts with)
    const starts = new Map<string, number[]>();
    if (this.byWord.size > 0) {
      WORDS.lastIndex = 0;
      for (let m = WORDS.exec(text); m; m = WORDS.exec(text)) {
        const list = this.byWord.get(m[0]);
        if (!list) continue;
        const at = starts.get(m[0]);
        if (at) {
          at.push(m.index);
          continue;
        }
        starts.set(m[0], [m.index]);
        for (const x of list) take(x);
      }
    }
    for (const x of this.noWord) take(x);
    if (!candidates.length) return [];
    // the mentions by start, with the running maximum of their ends (overlap queries in log time)
    const sorted = [...mentions].sort((a, b) => a.start - b.start || a.end - b.end);
    const maxEnd: number[] = [];
    let run = -Infinity;
    for (const m of sorted) maxEnd.push((run = Math.max(run, m.end)));
    const exactAt = new Set<string>();
    for (const m of sorted) exactAt.add(`${m.start}:${m.end}`);
    const overlapsOther = (s: number, e: number): boolean => {
      if (exactAt.has(`${s}:${e}`)) return false;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid].start < e) lo = mid + 1;
        else hi = mid;
      }
      return lo > 0 && maxEnd[lo - 1] > s;
    };
    const out: Correction[] = [];
    for (const c of candidates) {
      if (c.action !== 'entity-type') {
        out.push({ ...c, target: { ...c.target }, orphan: true });
        continue;
      }
      const exact = c.target.exact;
      const first = LEADING_WORD.exec(exact);
      const at = first ? starts.get(first[0]) ?? [] : [];
      let after = 0;
      for (const i of at) {
        const e = i + exact.length;
        if (i < after || !text.startsWith(exact, i) || (e < text.length && WORD_CHAR.test(text[e]))) continue;
        after = e;
        if (overlapsOther(i, e)) continue;
        out.push({ ...c, id: c.id, scope: 'this', orphan: undefined, target: { ...c.target, start: i, end: e } });
      }
    }
    return out;
  }

  /**
   * Recognition result `raw` of source `key` with the corrections applied: the other sources'
   * workspace-wide ones first, then the source's own (which win).
   */
  apply(key: string, text: string, raw: Analysis, own: readonly Correction[] | undefined): Analysis {
    const foreign = this.correctionsFor(key, text, raw.mentions);
    const a = foreign.length ? applyCorrections(text, raw, foreign) : raw;
    return own && own.length ? applyCorrections(text, a, own) : a;
  }
}

interface SourceSentences {
  text: string;
  signature: string;
  sentences: LearningSentence[];
  learned: number;
  /** How often each feature fires in the source (the common ones are learned less). */
  counts: { map: IntMap; tokens: number };
}

/**
 * Derives a workspace's learning; keeps, per source, the sentences it extracted (keyed by the
 * source's text and corrections), so that re-deriving after one correction re-reads one source.
 */
export class WorkspaceLearner {
  private readonly cache = new Map<string, SourceSentences>();
  private cacheModel: unknown;
  /** The last learned change and its model: an equal change gives the same model object (nothing to re-analyse). */
  private last?: { base: unknown; delta: WeightDelta; model: unknown };

  derive(model: unknown, sources: readonly SourceCorrections[], settings: LearningSettings = {}): WorkspaceLearning {
    const t0 = Date.now();
    // 1. workspace-wide corrections: the latest Set Entity Type or Ignore of each text, the latest merge of each (text, name)
    const latest = new Map<string, { c: Correction; key: string }>();
    for (const s of sources) {
      for (const c of s.corrections) {
        if (!WORKSPACE_ACTIONS.has(c.action) || (c.scope ?? 'all') !== 'all' || !c.target.exact.trim()) continue;
        // what a name is (its type, or no name): the latest correction of it wins across the workspace
        const k = c.action === 'merge' ? `merge\u0000${c.target.exact}\u0000${c.canonical ?? ''}` : `name\u0000${c.target.exact}`;
        const cur = latest.get(k);
        if (!cur || cur.c.id < c.id) latest.set(k, { c, key: s.key });
      }
    }
    const workspace = [...latest.values()].sort((x, y) => (x.c.id < y.c.id ? -1 : x.c.id > y.c.id ? 1 : 0));
    const stats: LearningStats = { sources: sources.length, workspaceCorrections: workspace.length, learnedCorrections: 0, sentences: 0, features: 0, ms: 0 };
    // 2. adaptation
    let used = model;
    let delta: WeightDelta | undefined;
    const base = isTaggerModel(model) ? (model as TaggerModel) : undefined;
    if (base && settings.enabled !== false && !deltaOf(base)) {
      if (this.cacheModel !== model) {
        this.cache.clear();
        this.cacheModel = model;
      }
      const forgotten = settings.forgottenBefore ? Date.parse(settings.forgottenBefore) : -Infinity;
      const all: LearningSentence[] = [];
      const counted: { map: IntMap; tokens: number }[] = [];
      const keys = new Set<string>();
      for (const s of [...sources].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) {
        keys.add(s.key);
        if (s.text === undefined) continue;
        const teach = s.corrections.filter((c) => (c.action === 'ignore' || c.action === 'entity-type') && !c.orphan && c.target.end > c.target.start && correctionTime(c) >= forgotten);
        if (!teach.length) continue;
        const signature = JSON.stringify(teach.map((c) => [c.id, c.action, c.type, c.target.start, c.target.end]));
        let got = this.cache.get(s.key);
        if (!got || got.text !== s.text || got.signature !== signature) {
          got = { text: s.text, signature, ...sentencesOf(base, s.text, teach) };
          this.cache.set(s.key, got);
        }
        for (const x of got.sentences) all.push(x);
        counted.push(got.counts);
        stats.learnedCorrections += got.learned;
      }
      for (const k of [...this.cache.keys()]) if (!keys.has(k)) this.cache.delete(k);
      if (all.length) {
        delta = trainDelta(base, all, { frequency: frequencyOver(counted) });
        if (this.last && this.last.base === base && sameDelta(this.last.delta, delta)) {
          delta = this.last.delta;
          used = this.last.model;
        } else {
          used = adaptModel(base, delta);
          this.last = { base, delta, model: used };
        }
        stats.sentences = all.length;
        stats.features = delta.size;
      }
    }
    stats.ms = Date.now() - t0;
    return new WorkspaceLearning(used, workspace, stats, delta && delta.size ? delta : undefined);
  }
}

/**
 * The sentences of `text` holding the corrections, with gold tags on the corrected tokens
 * (the rest: 255, the base model's own reading). Later corrections of the same tokens win.
 */
const FREQUENCY_PRIOR = 2000;

/**
 * A feature's share of the tokens over several sources' counts. The counts are merged once (linear in
 * their total size), so a look-up does not visit every source.
 */
function frequencyOver(counted: readonly { map: IntMap; tokens: number }[]): (feature: number) => number {
  let tokens = 0;
  const merged = new IntMap(counted.reduce((n, c) => n + c.map.size, 0));
  for (const c of counted) {
    tokens += c.tokens;
    c.map.forEach((f, n) => merged.add(f, n));
  }
  const over = Math.max(tokens, FREQUENCY_PRIOR);
  return (f) => {
    const n = merged.get(f, 0);
    // a few corrected sentences are no sample of the language: a feature counts as common only
    // when it is seen several times, over at least FREQUENCY_PRIOR tokens
    return n < 3 ? 0 : n / over;
  };
}

export function sentencesOf(model: TaggerModel, text: string, corrections: readonly Correction[]): { sentences: LearningSentence[]; learned: number; counts: { map: IntMap; tokens: number } } {
  const tokens = tokenize(text);
  const doc = prepareDocument(model, tokens, 0, tokens.count, { full: true }) as DocumentContext & { atoms?: Atoms };
  const atoms = doc.atoms;
  const counts = { map: new IntMap(4096), tokens: 0 };
  if (!atoms || atoms.lite) return { sentences: [], learned: 0, counts };
  countFeatures(atoms, doc, counts);
  const S = atoms.sentences;
  const bySentence = new Map<number, LearningSentence>();
  let learned = 0;
  const sorted = [...corrections].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const c of sorted) {
    const { start, end } = c.target;
    // tokens inside the target (binary search on the token starts)
    let lo = 0;
    let hi = tokens.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens.starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    let j = lo;
    while (j < tokens.count && tokens.ends[j] <= end) j++;
    if (j <= lo) continue;
    // the sentence holding the first token
    let sl = 0;
    let sh = S.length / 2;
    while (sl < sh) {
      const mid = (sl + sh) >> 1;
      if (S[2 * mid + 1] <= lo) sl = mid + 1;
      else sh = mid;
    }
    if (sl >= S.length / 2) continue;
    const ss = S[2 * sl];
    const se = S[2 * sl + 1];
    if (j > se) j = se;
    let sent = bySentence.get(ss);
    if (!sent) {
      sent = { atoms, doc, from: ss, to: se, gold: new Uint8Array(se - ss).fill(255) };
      bySentence.set(ss, sent);
    }
    const label = c.action === 'ignore' ? -1 : labelOfType(c.type);
    for (let k = lo; k < j; k++) {
      const part = label < 0 ? 0 : j - lo === 1 ? 4 : k === lo ? 1 : k === j - 1 ? 3 : 2;
      sent.gold[k - ss] = label < 0 ? 0 : tagOf(label, part);
    }
    learned++;
  }
  return { sentences: [...bySentence.values()].sort((a, b) => a.from - b.from), learned, counts };
}
