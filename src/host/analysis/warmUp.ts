import * as vscode from 'vscode';
import { WARM_UP_TEXT } from '../../core/text/warmUpText';
import type { Logger } from '../../core/types';
import type { DocumentAnalysisService } from './service';

/**
 * First paint when the extension is already active: the first recognition of a session pays for
 * loading the recogniser (the heavy module, the model, the gazetteer index) and for the engine's
 * first, unoptimised runs — about 30 times a warm run. When nothing is being analysed a moment
 * after activation, this runs one recognition of WARM_UP_TEXT (through the service, so the
 * model is loaded as the editor loads it; the analysis yields between chunks as any scan does), so
 * a source opened later is painted at warm speed. Skipped when a source is already open: its own
 * analysis warms the recogniser.
 */
export function warmUpWhenIdle(service: DocumentAnalysisService, log: Logger, delayMs = 500): vscode.Disposable {
  let disposed = false;
  const timer = setTimeout(() => {
    if (disposed || service.documents().length > 0 || vscode.window.visibleTextEditors.some((e) => service.isSource(e.document))) return;
    const t0 = performance.now();
    service.analyzeText(WARM_UP_TEXT).then(
      (a) => log.debug(`recognition warmed up in ${(performance.now() - t0).toFixed(0)} ms (${a.mentions.length} mentions)`),
      (err: unknown) => log.debug(`recognition warm-up failed: ${String(err)}`),
    );
  }, delayMs);
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
