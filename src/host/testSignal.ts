import * as vscode from 'vscode';

/**
 * Test-only activation signal. The test harness (scripts/lib, test/e2e/harness) sets
 * MARGINALIA_TEST_SIGNAL_FILE for code-server's extension host and waits for this small JSON file,
 * so end-to-end scenarios never guess how long activation takes. Without the variable (every real
 * user, and the browser host where `process` does not exist) it does nothing.
 */
export function signalActivation(context: vscode.ExtensionContext, log?: vscode.LogOutputChannel): void {
  const file = typeof process === 'object' ? process.env?.MARGINALIA_TEST_SIGNAL_FILE : undefined;
  if (!file) return;
  const body = JSON.stringify({ extension: context.extension.id, activatedAt: Date.now(), uiKind: vscode.env.uiKind });
  void vscode.workspace.fs.writeFile(vscode.Uri.file(file), new TextEncoder().encode(body)).then(
    () => log?.debug(`test signal written to ${file}`),
    (err: unknown) => log?.error(`could not write the test signal ${file}: ${String(err)}`),
  );
}
