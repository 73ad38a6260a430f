/**
 * Incremental recognition. `EntityRecognizer.recognize(text)` splits the text into paragraphs,
 * re-recognises only paragraphs whose content it has not seen (cache keyed by the paragraph's
 * text), then runs the cheap document pass (consistency, identity, roles, date values). An edit
 * inside one paragraph re-tags that paragraph only.
 */
import type { Span } from '../types';
import { splitParagraphs } from '../text/paragraphs';
import { findDateline, parseIsoDate, type YMD } from './dates';
import { compileDictionary, type Dictionary, type DictionaryMatcher } from './dictionary';
import { documentPass, type PlacedParagraph } from './document';
import { isCountry, placeCanonical } from './lexicon';
import { taggerFor, type NameTagger } from './names';
import { recognizeParagraph, type ParagraphResult } from './paragraph';
import type { EntityResult } from './index';

export interface RecognizerOptions {
  /** Opaque model object from the tagger's loader, or a tagging function; absent → interim rules. */
  model?: unknown;
  /** ISO date relative dates resolve against; default: the text's own dateline. */
  documentDate?: string;
  /** The workspace dictionary (see `parseDictionary`). */
  dictionary?: Dictionary;
}

export interface RecognizerStats {
  paragraphs: number;
  /** Paragraphs recognised in the last call (the rest came from the cache). */
  recognised: number;
}

export class EntityRecognizer {
  private tagger: NameTagger;
  private dict: DictionaryMatcher;
  private documentDate?: string;
  private cache = new Map<string, ParagraphResult>();
  /** Paragraph spans of the last text, to answer `boilerplate()` cheaply. */
  private last: PlacedParagraph[] = [];
  readonly stats: RecognizerStats = { paragraphs: 0, recognised: 0 };

  constructor(options: RecognizerOptions = {}) {
    this.tagger = taggerFor(options.model);
    this.dict = compileDictionary(options.dictionary);
    this.documentDate = options.documentDate;
  }

  /** Changing the model or the dictionary empties the cache. */
  setOptions(options: RecognizerOptions): void {
    if ('model' in options) {
      this.tagger = taggerFor(options.model);
      this.cache.clear();
    }
    if ('dictionary' in options) {
      const d = compileDictionary(options.dictionary);
      if (d.key !== this.dict.key) this.cache.clear();
      this.dict = d;
    }
    if ('documentDate' in options) this.documentDate = options.documentDate;
  }

  recognize(text: string): EntityResult {
    const spans = splitParagraphs(text);
    const next = new Map<string, ParagraphResult>();
    const placed: PlacedParagraph[] = [];
    let recognised = 0;
    for (const s of spans) {
      const ptext = text.slice(s.start, s.end);
      let r = next.get(ptext) ?? this.cache.get(ptext);
      if (!r) {
        r = recognizeParagraph(ptext, this.tagger, this.dict);
        recognised++;
      }
      next.set(ptext, r);
      placed.push({ offset: s.start, result: r, text: ptext });
    }
    this.cache = next;
    this.last = placed;
    this.stats.paragraphs = spans.length;
    this.stats.recognised = recognised;

    let refDate: YMD | undefined = parseIsoDate(this.documentDate);
    let datelineName: (Span & { type: 'organization' | 'place' }) | undefined;
    const dl = findDateline(text);
    if (dl) {
      refDate ??= dl.date;
      if (dl.name) {
        const name = text.slice(dl.name.start, dl.name.end);
        const place = !!placeCanonical(name) || isCountry(name) || /^[\p{Lu}\s.-]+$/u.test(name);
        datelineName = { ...dl.name, type: place ? 'place' : 'organization' };
      }
    }
    return documentPass(placed, { refDate, datelineName, isIgnored: (n) => this.dict.isIgnored(n) });
  }

  /** Boilerplate spans (absolute) of the last recognised text. */
  boilerplate(): Span[] {
    const out: Span[] = [];
    for (const p of this.last) for (const b of p.result.boilerplate) out.push({ start: p.offset + b.start, end: p.offset + b.end });
    return out;
  }
}
