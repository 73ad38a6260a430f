import * as vscode from 'vscode';
import { Commands } from './commands';

export const SAMPLE = 'seeds/000_f0f083a2e182d3f1.txt';

/**
 * *Open the Sample Article*: the workspace's copy of the sample when it has one, otherwise the copy
 * shipped with the extension (read as a source like any other `.txt`).
 */
export function registerWelcome(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.openSample, async () => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ...SAMPLE.split('/'));
      try {
        await vscode.workspace.fs.stat(uri);
        return vscode.window.showTextDocument(uri);
      } catch (err) {
        if (!(err instanceof vscode.FileSystemError)) throw err;
      }
    }
    return vscode.window.showTextDocument(vscode.Uri.joinPath(extensionUri, ...SAMPLE.split('/')));
  });
}
