// No `vscode` here: the lazily created analysis engine, unit-tested without the editor.
import type { AnalyzeOptions } from '../../core/analyze';
import type { Edit } from '../../core/text/edits';
import { heavy } from '../lazy';
import type { AnalysisEngine } from '../../core/live/engine';

/**
 * An engine created on its first analysis instead of at activation: by default the incremental
 * ChunkedEngine, whose recognisers live in the heavy module (../heavy.ts), so activation neither
 * loads nor runs them. Until the first analysis there is nothing cached to forget or reset.
 */
export function lazyEngine(create: () => AnalysisEngine = () => new (heavy().ChunkedEngine)()): AnalysisEngine & { readonly created: boolean } {
  let engine: AnalysisEngine | undefined;
  const get = (): AnalysisEngine => (engine ??= create());
  return {
    get created() {
      return engine !== undefined;
    },
    analyze: (key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions) => get().analyze(key, text, edits, options),
    analyzeAsync: (key, text, edits, options, pause, stop) => {
      const e = get();
      return e.analyzeAsync ? e.analyzeAsync(key, text, edits, options, pause, stop) : Promise.resolve(e.analyze(key, text, edits, options));
    },
    forget: (key: string) => engine?.forget(key),
    reset: () => engine?.reset(),
  };
}
