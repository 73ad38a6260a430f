import * as vscode from 'vscode';
import type { MarginaliaApi } from './host/api';
import { registerAnnotations } from './host/annotations';
import { warmUpWhenIdle } from './host/analysis/warmUp';
import { Configuration } from './host/config';
import { registerEditorFeatures } from './host/editor';
import { registerInterchangeCommands } from './host/interchange';
import { channelLogger } from './host/log';
import { registerQuoteCheck } from './host/quotecheck';
import { signalActivation } from './host/testSignal';
import { registerWelcome } from './host/welcome';

// Wiring only: each feature lives in src/host and returns a Disposable.
export function activate(context: vscode.ExtensionContext): MarginaliaApi {
  const channel = vscode.window.createOutputChannel('Marginalia', { log: true });
  const log = channelLogger(channel);
  const config = new Configuration();
  context.subscriptions.push(channel, config);

  const editor = registerEditorFeatures({ extensionUri: context.extensionUri, config, log, state: context.workspaceState });
  context.subscriptions.push(editor.disposable);
  context.subscriptions.push(registerInterchangeCommands({ log, analysisFor: editor.api.analysisFor, whenIdle: editor.api.whenIdle }));

  const annotations = registerAnnotations({ extensionUri: context.extensionUri, log, analysisFor: editor.api.analysisFor, showLog: () => channel.show(true), state: context.workspaceState });
  context.subscriptions.push(annotations.disposable);
  context.subscriptions.push(editor.service.useCorrections(annotations.api));
  context.subscriptions.push(editor.connectAnnotations(annotations.api));

  context.subscriptions.push(registerWelcome(context.extensionUri));
  context.subscriptions.push(registerQuoteCheck({ service: editor.service, config, log }));
  context.subscriptions.push(warmUpWhenIdle(editor.service, log)); // first paint at warm speed when no source is open yet

  log.info('Marginalia activated');
  signalActivation(context, channel); // test-only: no-op unless MARGINALIA_TEST_SIGNAL_FILE is set
  return { ...editor.api, annotations: annotations.api };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
