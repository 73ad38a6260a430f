import * as vscode from 'vscode';
import type { Settings } from './config';

/**
 * Test-only activation signal. The test harness (scripts/lib, test/e2e/harness) names a file and
 * waits for this small JSON, so end-to-end scenarios never guess how long activation takes.
 *
 * Node extension host: the file is MARGINALIA_TEST_SIGNAL_FILE. The browser's web worker host has
 * no `process`, so there the harness names it in the (uncontributed) user setting
 * `marginalia.test.signalFile` (read from the user settings only, never a workspace's), an absolute path on the machine of the workspace: it is written
 * through `vscode.workspace.fs` with the workspace folder's scheme and authority (vscode-remote on
 * code-server). Without either (every real user) it does nothing.
 *
 * The body says where the extension runs: `host` is 'node' or 'webworker' (no `process` object),
 * and `extensionKind` is what VS Code reports (1 UI: the browser's host; 2 Workspace: the server).
 */
export function signalActivation(context: vscode.ExtensionContext, config: Settings, log?: vscode.LogOutputChannel): void {
  const hasProcess = typeof process === 'object' && typeof process.versions === 'object' && !!process.versions?.node;
  const fromEnv = hasProcess ? process.env?.MARGINALIA_TEST_SIGNAL_FILE : undefined;
  // Only the user's own settings count (never a workspace's: a cloned repository must not name a file
  // to overwrite), and only a file named activated.json.
  const file = fromEnv || config.current.testSignalFile;
  if (!file || !/(^|[\\/])activated\.json$/.test(file)) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = fromEnv || !folder ? vscode.Uri.file(file) : folder.with({ path: vscode.Uri.file(file).path, query: '', fragment: '' });
  const body = JSON.stringify({
    extension: context.extension.id,
    activatedAt: Date.now(),
    uiKind: vscode.env.uiKind,
    host: hasProcess ? 'node' : 'webworker',
    extensionKind: context.extension.extensionKind,
  });
  void vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(body)).then(
    () => log?.debug(`test signal written to ${uri.toString()}`),
    (err: unknown) => log?.error(`could not write the test signal ${uri.toString()}: ${String(err)}`),
  );
}
