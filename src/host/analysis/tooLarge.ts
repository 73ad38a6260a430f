import * as vscode from 'vscode';

/** Says that a source was not scanned for its size (`marginalia.maxSourceSize`), offering to scan it anyway or change the limit. */
export function warnTooLarge(document: vscode.TextDocument, size: number, limit: number, scanAnyway: (uri: vscode.Uri) => void): void {
  const key = document.uri.toString();
  const name = document.uri.path.split('/').pop() ?? key;
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  const scan = 'Scan anyway';
  const settings = 'Change the limit';
  void vscode.window
    .showInformationMessage(
      `Marginalia did not scan ${name}: it is ${mb(size)}, over the ${mb(limit)} limit (marginalia.maxSourceSize).`,
      scan,
      settings,
    )
    .then((choice) => {
      if (choice === scan) scanAnyway(document.uri);
      else if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'marginalia.maxSourceSize');
    });
}
