/**
 * Adapter between the pipeline and whatever finds names: the statistical tagger (`tagger/`, its
 * model given as `EntityOptions.model`), a tagging function (tests, custom taggers) or, without
 * either, the interim capitalised-run finder.
 */
import { tokenize } from '../text/tokenize';
import { isTaggerModel, prepareDocument, prepareParagraphs, tagNames, tagPrepared, type DocumentContext, type PreparedParagraphs } from './tagger';
import { interimTag } from './interim-tagger';

export type NameLabel = 'PER' | 'ORG' | 'LOC' | 'MISC';

export interface NameSpan {
  /** Offsets into the text passed to the tagger. */
  start: number;
  end: number;
  label: NameLabel;
  /** 0..1 */
  confidence: number;
  /** The label comes from what the tagger learned from the user's corrections. */
  learned?: boolean;
}

/**
 * Tags names in `text.slice(start, end)`; offsets into `text`. `context` is what
 * {@link documentContextFor} returned for the whole document (word statistics the statistical
 * tagger uses across paragraphs); taggers may ignore it.
 */
export type NameTagger = (text: string, start: number, end: number, context?: unknown) => NameSpan[];

/**
 * The document-level context for the model (undefined for other taggers). O(text). With the
 * paragraphs' texts, they are tokenized once here and tagging them reuses that work (call
 * {@link releaseParagraphs} once they are tagged, so the context does not hold on to them).
 */
export function documentContextFor(model: unknown, text: string, paragraphs?: readonly string[]): unknown {
  if (!isTaggerModel(model)) return undefined;
  if (paragraphs) {
    const p = prepareParagraphs(model, paragraphs);
    if (p) return p;
  }
  return prepareDocument(model, tokenize(text));
}

/** The context without the prepared paragraphs' tokens (what edits keep). */
export function releaseParagraphs(context: unknown): unknown {
  if (context && typeof context === 'object' && 'paragraphs' in context) {
    const { words, votes } = context as PreparedParagraphs;
    return votes ? { words, votes } : { words };
  }
  return context;
}

/** A tagger from the model object (from `loadTaggerModel`) or a function; the interim finder without one. */
export function taggerFor(model: unknown): NameTagger {
  if (typeof model === 'function') return model as NameTagger;
  if (isTaggerModel(model)) {
    return (text, start, end, context) => {
      if (start === 0 && end === text.length && context && typeof context === 'object' && 'paragraphs' in context) {
        const spans = tagPrepared(model, context as PreparedParagraphs, text);
        if (spans) return spans;
      }
      const tokens = tokenize(text, start, end);
      return tagNames(model, tokens, context ? { doc: context as DocumentContext } : {});
    };
  }
  return interimTag;
}
