// The recognition step the editor's service runs, behind a small interface so the incremental engine
// can be timed without VS Code (bench) and swapped without touching the host.
import { analyze, type AnalyzeOptions } from '../analyze';
import type { Edit } from '../text/edits';
import type { Analysis } from '../types';

export interface AnalysisEngine {
  /**
   * Analyses `text` of document `key`. `edits` are the changes since the previous call for the same
   * key (in order); undefined means "no usable history, start afresh".
   */
  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis;
  /** Optional: the same, yielding (`await pause()`) during long work; undefined when `stop()` said so. */
  analyzeAsync?(
    key: string,
    text: string,
    edits: readonly Edit[] | undefined,
    options: AnalyzeOptions,
    pause: () => Promise<void>,
    stop: () => boolean,
  ): Promise<Analysis | undefined>;
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
