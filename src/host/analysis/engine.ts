// Pure: the recognition step the service runs, behind a small interface so the incremental engine
// can be timed without VS Code (bench) and swapped without touching the host.
import { analyze, type AnalyzeOptions } from '../../core/analyze';
import { EntityRecognizer } from '../../core/ner';
import { QuoteFinder } from '../../core/quotes';
import type { Analysis } from '../../core/types';
import type { Edit } from '../live/edits';

export interface AnalysisEngine {
  /**
   * Analyses `text` of document `key`. `edits` are the changes since the previous call for the same
   * key (in order); undefined means "no usable history, start afresh".
   */
  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis;
  /** Drops what is cached for `key` (document closed). */
  forget(key: string): void;
  /** Drops everything (model or dictionary changed). */
  reset(): void;
}

/** Whole-document analysis every time: the reference the incremental engine must agree with. */
export class FullEngine implements AnalysisEngine {
  analyze(_key: string, text: string, _edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis {
    return analyze(text, options);
  }
  forget(): void {
    // nothing cached
  }
  reset(): void {
    // nothing cached
  }
}

interface DocumentEngines {
  entities: EntityRecognizer;
  quotes: QuoteFinder;
  model: unknown;
  dictionary: unknown;
}

/**
 * One entity recogniser and one quote finder per document. Both cache their per-paragraph work by
 * the paragraph's text, so after an edit only the touched paragraphs are recognised again and the
 * document-level passes (identity, attribution) run over cached results. Pure: the bench times it
 * without VS Code (`new IncrementalEngine().analyze('doc', text, edits, {})`).
 */
export class IncrementalEngine implements AnalysisEngine {
  private readonly docs = new Map<string, DocumentEngines>();

  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis {
    let d = key ? this.docs.get(key) : undefined;
    if (d && (edits === undefined || d.model !== options.model || d.dictionary !== options.dictionary)) {
      // No usable history, or the model/dictionary changed: the caches may not be reused.
      d = undefined;
    }
    if (!d) {
      d = { entities: new EntityRecognizer(options), quotes: new QuoteFinder(), model: options.model, dictionary: options.dictionary };
      if (key) this.docs.set(key, d);
    }
    const entities = d.entities.recognize(text);
    const quotes = d.quotes.find(text, entities);
    return { mentions: entities.mentions, entities: entities.entities, quotes };
  }

  /** Paragraphs recognised by the last call for `key` (the rest came from the cache). */
  lastRecognised(key: string): number | undefined {
    return this.docs.get(key)?.entities.stats.recognised;
  }

  forget(key: string): void {
    this.docs.delete(key);
  }

  reset(): void {
    this.docs.clear();
  }
}
