/**
 * Adapter between the pipeline and whatever finds names: the statistical tagger (`tagger/`, its
 * model given as `EntityOptions.model`), a tagging function (tests, custom taggers) or, without
 * either, the interim capitalised-run finder.
 */
import { tokenize } from '../text/tokenize';
import { isTaggerModel, tagNames } from './tagger';
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

/** Tags names in `text.slice(start, end)`; offsets into `text`. */
export type NameTagger = (text: string, start: number, end: number) => NameSpan[];

/** A tagger from the model object (from `loadTaggerModel`) or a function; the interim finder without one. */
export function taggerFor(model: unknown): NameTagger {
  if (typeof model === 'function') return model as NameTagger;
  if (isTaggerModel(model)) {
    return (text, start, end) => {
      const tokens = tokenize(text, start, end);
      return tagNames(model, tokens);
    };
  }
  return interimTag;
}
