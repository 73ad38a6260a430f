import * as vscode from 'vscode';
import type { MarginaliaApi } from './host/api';
import { createAnalysis } from './host/analysis';
import { registerForgetLearning } from './host/analysis/learning';
import { warmUpWhenIdle } from './host/analysis/warmUp';
import { registerAnnotations } from './host/annotations';
import { Configuration } from './host/config';
import { DecorationController } from './host/decorations/controller';
import { registerEditorCommands } from './host/editorCommands';
import { HoverProvider } from './host/hover/provider';
import { registerInterchangeCommands } from './host/interchange';
import { channelLogger } from './host/log';
import { registerQuoteCheck } from './host/quotecheck';
import { signalActivation } from './host/testSignal';
import { registerToggle } from './host/toggle';
import { createViewScope, registerEntitiesView, registerQuotesView } from './host/views';
import { registerWelcome } from './host/welcome';

// Wiring only: each feature lives in its folder under src/host and is registered here, in the
// order they depend on one another; everything registered is disposed with the extension.
export function activate(context: vscode.ExtensionContext): MarginaliaApi {
  const channel = vscode.window.createOutputChannel('Marginalia', { log: true });
  const log = channelLogger(channel);
  const config = new Configuration();
  const add = (...d: vscode.Disposable[]) => context.subscriptions.push(...d);
  add(channel, config);

  // Recognition of open sources, and the workspace index of Re-scan Workspace.
  const { service, index, disposable: analysis } = createAnalysis({ extensionUri: context.extensionUri, config, log });
  add(analysis, registerForgetLearning(service, config));

  // What the reader sees in the editor: decorations, hover cards, navigation and the editor commands.
  const decorations = new DecorationController(service, config, log);
  add(decorations, new HoverProvider(service, index), registerEditorCommands(service, index, log));

  // The Quotes and Entities views, following one scope (the active source or the workspace).
  const scope = createViewScope(service, index);
  const quotes = registerQuotesView(scope, context.workspaceState);
  const entities = registerEntitiesView(scope);
  add(scope, quotes.disposable, entities.disposable);

  // The status-bar item and Toggle Entity Types.
  const status = registerToggle(config, service);
  add(status.disposable);

  // The reader's annotations and corrections (sidecars), which also correct recognition.
  const annotations = registerAnnotations({ extensionUri: context.extensionUri, log, config, analysisFor: (uri) => service.getByUri(uri)?.analysis, showLog: () => channel.show(true), state: context.workspaceState });
  add(annotations.disposable, service.useCorrections(annotations.api), status.connect(annotations.api));

  // Import and export (W3C, brat, CSV, Markdown, ClaimReview), the quotation check, the welcome.
  add(registerInterchangeCommands({ log, config, annotations: annotations.api, analysisFor: (uri) => service.getByUri(uri)?.analysis, whenIdle: () => service.whenIdle() }));
  add(registerQuoteCheck({ service, config, log }));
  add(registerWelcome(context.extensionUri));
  add(warmUpWhenIdle(service, log)); // first paint at warm speed when no source is open yet

  log.info('Marginalia activated');
  signalActivation(context, config, channel); // test-only: no-op unless the test signal setting is set
  return {
    version: 1,
    analysisFor: (uri) => service.getByUri(uri)?.analysis,
    scannedAnalysisFor: (uri) => index.scannedAnalysis(uri),
    decorationsFor: (editor) => decorations.paintedIn(editor),
    speakerLabelsFor: (editor) => decorations.afterTextsIn(editor),
    whenIdle: () => service.whenIdle(),
    quotesTree: quotes.tree,
    entitiesTree: entities.tree,
    lastAnalysisMs: (uri) => service.timings.get(uri.toString()),
    modelSource: () => service.modelSource(),
    annotations: annotations.api,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
