/**
 * Statistical name tagger: averaged structured perceptron over hashed features, BILOU tags for
 * PER / ORG / LOC / MISC, constrained Viterbi decoding, optional second stage that sees the
 * first stage's label votes for the same word across the document (Ratinov & Roth 2009).
 *
 * API
 * - `loadTaggerModel(bytes)` → model (throws `ModelFormatError` on a bad file). Load lazily.
 * - `prepareDocument(model, tokens)` → `DocumentContext`: document-level features (how each word
 *   is written elsewhere; first-pass label votes when the model has two stages). Build once per
 *   document and pass it to every paragraph.
 * - `tagNames(model, tokens, { from, to, doc })` → `NameSpan[]` `{start, end, label, confidence}`
 *   for tokens [from, to) (a paragraph or the whole document; UTF-16 offsets into tokens.text).
 * - `applyConsistency(tokens, spans)` → spans plus the same names elsewhere in the document with
 *   the type of their confident mentions (source 'consistency').
 * - `tagDocument(model, text)` = tokenize + prepareDocument + tagNames + applyConsistency.
 */
import { tokenize, type TokenList } from '../../text/tokenize';
import { applyConsistency } from './consistency';
import { buildDocumentContext } from './doc-context';
import { shrinkScratch } from './emissions';
import { computeAtoms, SMI, type Atoms, type DocumentContext } from './features';
import { IntMap } from './intmap';
import type { TaggerModel } from './model';
import { isAdaptedStage } from './adapt';
import { labelOf, NAME_LABELS, spansFromTags, type NameLabel } from './tags';
import { decodeWindows, ensureTags, learnScratch, tagScratch } from './windows';

export { loadTaggerModel, isTaggerModel, ModelFormatError, encodeModel, type TaggerModel } from './model';
export { NAME_LABELS, type NameLabel } from './tags';
export { adaptModel, baseModel, deltaOf, trainDelta, type LearningSentence, type WeightDelta } from './adapt';
export type { DocumentContext } from './features';
export { applyConsistency, type ConsistencyOptions } from './consistency';

export interface NameSpan {
  start: number;
  end: number;
  label: NameLabel;
  /** 0..1, from the margin of the best path over the best path that tags the span otherwise. */
  confidence: number;
  /** Set on spans added by {@link applyConsistency}. */
  consistency?: boolean;
  /** Raw score margin behind `confidence` (model units). */
  margin?: number;
  /** The model's learned delta (adapt.ts) changed this span's tags from what the base model reads. */
  learned?: boolean;
}

/**
 * confidence = 1 / (1 + exp(-(margin - offset) / scale)). Defaults fitted (log-loss) on CoNLL-2003
 * dev for the shipped model: precision is ~0.6 at margin 0, ~0.8 at 20, ≥ 0.95 above 40. A model's
 * meta may carry its own `confidence: {scale, offset}`.
 */
const CONFIDENCE_SCALE = 18;
const CONFIDENCE_OFFSET = -5;

function calibration(model: TaggerModel): { scale: number; offset: number } {
  const c = model.meta.confidence as { scale?: unknown; offset?: unknown } | undefined;
  if (c && typeof c.scale === 'number' && c.scale > 0 && typeof c.offset === 'number') return { scale: c.scale, offset: c.offset };
  return { scale: CONFIDENCE_SCALE, offset: CONFIDENCE_OFFSET };
}

export interface TagOptions {
  /** First token index (default 0). */
  from?: number;
  /** Token index end, exclusive (default tokens.count). */
  to?: number;
  /** Document context from {@link prepareDocument} over the whole document; default: built from [from, to) only. */
  doc?: DocumentContext;
  /** Score every token, not only the windows around capitalised and gazetteer words (slower; for comparison). */
  exhaustive?: boolean;
}

/** Sentence ranges of the atoms clipped to [from, to). */
function clippedSentences(a: Atoms, from: number, to: number): number[] {
  const out: number[] = [];
  const S = a.sentences;
  for (let k = 0; k < S.length; k += 2) {
    const s = Math.max(S[k], from);
    const e = Math.min(S[k + 1], to);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** First-pass label votes (per lower-case word hash) over tokens [from, to). */
function stageOneVotes(model: TaggerModel, a: Atoms, doc: DocumentContext, from: number, to: number): Map<number, Uint16Array> {
  const st = model.stages[0];
  ensureTags(a.to - a.from);
  const S = clippedSentences(a, from, to);
  for (let k = 0; k < S.length; k += 2) decodeWindows(st, a, doc, S[k], S[k + 1], false, undefined);
  const votes = new Map<number, Uint16Array>();
  addVotes(a, tagScratch.tags, votes, from - a.from, to - a.from);
  return votes;
}

/** Count, for every capitalised word in [kFrom, kTo) (atom indices), the labels the first pass gave it. */
export function addVotes(a: Atoms, tags: Uint8Array, votes: Map<number, Uint16Array>, kFrom = 0, kTo = a.to - a.from): void {
  for (let k = kFrom; k < kTo; k++) {
    const c = a.cls[k];
    if (c < 1 || c > 3) continue; // capitalised words only
    const lw = a.lower[k] & SMI;
    let v = votes.get(lw);
    if (!v) {
      v = new Uint16Array(5);
      votes.set(lw, v);
    }
    const lab = labelOf(tags[k]);
    const q = lab < 0 ? 4 : lab;
    if (v[q] < 65535) v[q]++;
  }
}

/** Document context carrying the atoms it was built from (reused when tagging its paragraphs). */
interface PreparedContext extends DocumentContext {
  readonly atoms?: Atoms;
}

/**
 * Document context over the whole token list: word-shape statistics and, for two-stage models,
 * the first pass's label votes. O(tokens); one first-stage tagging pass for two-stage models.
 */
export function prepareDocument(model: TaggerModel | undefined, tokens: TokenList, from = 0, to = tokens.count, options: { full?: boolean } = {}): DocumentContext {
  const twoStage = !!model && model.stages.length >= 2;
  // Full atoms when they will be tagged (two-stage votes, or the caller tags this token list).
  const a = computeAtoms(tokens, from, to, !twoStage && !options.full, model?.clusters);
  const base = buildDocumentContext(a);
  if (!model || model.stages.length < 2) return { words: base.words, atoms: a } as PreparedContext;
  return { words: base.words, votes: stageOneVotes(model, a, base, from, to), atoms: a } as PreparedContext;
}

/** Paragraphs tokenized once, their atoms and the document context merged from them. */
export interface PreparedParagraphs extends DocumentContext {
  readonly paragraphs: Map<string, { tokens: TokenList; atoms: Atoms }>;
}

/**
 * The document context built paragraph by paragraph (each tokenized on its own, as the recogniser
 * tags it), keeping each paragraph's tokens and atoms so tagging does not redo them. Only for
 * single-stage models (two-stage votes need a first tagging pass); undefined otherwise.
 */
export function prepareParagraphs(model: TaggerModel, texts: readonly string[]): PreparedParagraphs | undefined {
  if (model.stages.length >= 2) return undefined;
  // about one distinct word per 10 characters: sized so that it rarely grows
  let chars = 0;
  for (const t of texts) chars += t.length;
  const words = new IntMap(chars / 10);
  const paragraphs = new Map<string, { tokens: TokenList; atoms: Atoms }>();
  for (const t of texts) {
    if (paragraphs.has(t)) {
      // a repeated paragraph counts again (its words' statistics are OR-ed bits: no change)
      continue;
    }
    const tokens = tokenize(t);
    const atoms = computeAtoms(tokens, 0, tokens.count, false, model.clusters);
    buildDocumentContext(atoms, undefined, words);
    paragraphs.set(t, { tokens, atoms });
  }
  return { words, paragraphs };
}

/** Tag a paragraph prepared by {@link prepareParagraphs}; undefined when it was not prepared. */
export function tagPrepared(model: TaggerModel, prepared: PreparedParagraphs, text: string): NameSpan[] | undefined {
  const p = prepared.paragraphs.get(text);
  if (!p) return undefined;
  return tagNames(model, p.tokens, { doc: { words: prepared.words, atoms: p.atoms } as PreparedContext });
}

let lastDoc: { text: string; model: TaggerModel; ctx: DocumentContext } | undefined;

/**
 * Context when the caller gave none: built over the whole `tokens.text` (so a paragraph tokenized
 * with `tokenize(text, start, end)` still sees the document), cached for the last text.
 */
function documentContextFor(model: TaggerModel, tokens: TokenList, a: Atoms, from: number, to: number): DocumentContext {
  const text = tokens.text;
  const whole = from === 0 && to === tokens.count && (tokens.count === 0 || (tokens.starts[0] <= 0 || !/\S/.test(text.slice(0, tokens.starts[0])))) && (tokens.count === 0 || !/\S/.test(text.slice(tokens.ends[tokens.count - 1])));
  if (whole) return model.stages.length >= 2 ? prepareDocument(model, tokens) : buildDocumentContext(a);
  if (lastDoc && lastDoc.model === model && lastDoc.text === text) return lastDoc.ctx;
  const ctx = prepareDocument(model, tokenize(text));
  lastDoc = { text, model, ctx };
  return ctx;
}

/** Tag names in tokens [from, to). Without `options.doc`, document features come from the whole `tokens.text`. */
export function tagNames(model: TaggerModel, tokens: TokenList, options: TagOptions = {}): NameSpan[] {
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(tokens.count, options.to ?? tokens.count);
  if (to <= from) return [];
  const given = options.doc as PreparedContext | undefined;
  const a = given?.atoms && !given.atoms.lite && given.atoms.tokens === tokens && given.atoms.from <= from && given.atoms.to >= to && given.atoms.clusDepth === (model.clusters?.depth ?? 0) ? given.atoms : computeAtoms(tokens, from, to, false, model.clusters);
  let doc: DocumentContext = given ?? documentContextFor(model, tokens, a, from, to);
  if (model.stages.length >= 2 && !doc.votes) doc = { words: doc.words, votes: stageOneVotes(model, a, doc, from, to) };
  const st = model.stages[model.stages.length - 1];
  const T = st.numTags;
  const cal = calibration(model);
  ensureTags(a.to - a.from);
  const out: NameSpan[] = [];
  const S = clippedSentences(a, from, to);
  const tags = tagScratch.tags;
  const onRange = (s: number, e: number, mm: Float64Array): void => {
    const off = s - a.from;
    for (const sp of spansFromTags(tags, off, off + (e - s))) {
      // margin: best path score minus the best path that tags any token of the span differently
      let best = -Infinity;
      let alt = -Infinity;
      for (let j = sp.s; j < sp.e; j++) {
        const i = j - off;
        const pred = tags[j];
        for (let t = 0; t < T; t++) {
          const v = mm[i * T + t];
          if (t === pred) {
            if (v > best) best = v;
          } else if (v > alt) alt = v;
        }
      }
      const margin = best - alt;
      const confidence = 1 / (1 + Math.exp(-(margin - cal.offset) / cal.scale));
      const span: NameSpan = { start: tokens.starts[a.from + sp.s], end: tokens.ends[a.from + sp.e - 1], label: NAME_LABELS[sp.label], confidence: Math.round(confidence * 1000) / 1000, margin: Math.round(margin * 100) / 100 };
      if (isAdaptedStage(st)) for (let j = sp.s; j < sp.e; j++) if (learnScratch.mark[j]) span.learned = true;
      out.push(span);
    }
  };
  for (let k = 0; k < S.length; k += 2) decodeWindows(st, a, doc, S[k], S[k + 1], true, onRange, options.exhaustive);
  shrinkScratch();
  return out;
}

/** Tokenize, prepare the document context, tag and apply the consistency pass. */
export function tagDocument(model: TaggerModel, text: string, options: { consistency?: boolean } = {}): NameSpan[] {
  const tokens = tokenize(text);
  const doc = prepareDocument(model, tokens, 0, tokens.count, { full: true });
  const spans = tagNames(model, tokens, { doc });
  return options.consistency === false ? spans : applyConsistency(tokens, spans);
}

