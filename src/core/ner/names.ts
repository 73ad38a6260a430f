/**
 * Adapter between the pipeline and whatever finds names: the statistical tagger (`tagger/`, its
 * model given as `EntityOptions.model`), a tagging function (tests, custom taggers) or, without
 * either, the interim capitalised-run finder.
 */
import { tokenize } from '../text/tokenize';
import { isTaggerModel, prepareDocument, tagNames, type DocumentContext } from './tagger';
import { interimTag } from './interim-tagger';

export type NameLabel = 'PER' | 'ORG' | 'LOC' | 'MISC';

export interface NameSpan {
  /** Offsets into the text passed to the tagger. */
  start: number;
  end: number;
  label: NameLabel;
  /** 0..1 */
  confidence: number;
}

/**
 * Tags names in `text.slice(start, end)`; offsets into `text`. `context` is what
 * {@link documentContextFor} returned for the whole document (word statistics the statistical
 * tagger uses across paragraphs); taggers may ignore it.
 */
export type NameTagger = (text: string, start: number, end: number, context?: unknown) => NameSpan[];

/** The document-level context for the model (undefined for other taggers). O(text). */
export function documentContextFor(model: unknown, text: string): unknown {
  if (!isTaggerModel(model)) return undefined;
  return prepareDocument(model, tokenize(text));
}

/** A tagger from the model object (from `loadTaggerModel`) or a function; the interim finder without one. */
export function taggerFor(model: unknown): NameTagger {
  if (typeof model === 'function') return model as NameTagger;
  if (isTaggerModel(model)) {
    return (text, start, end, context) => {
      const tokens = tokenize(text, start, end);
      return tagNames(model, tokens, context ? { doc: context as DocumentContext } : {});
    };
  }
  return interimTag;
}
