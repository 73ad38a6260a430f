import * as vscode from 'vscode';

// Wiring only: each feature lives in src/host and returns a Disposable.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Marginalia', { log: true });
  context.subscriptions.push(log);
  log.info('Marginalia activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
