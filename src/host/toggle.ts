import * as vscode from 'vscode';
import type { DocumentAnalysisService } from './analysis/service';
import { Commands } from './commands';
import type { Configuration } from './config';
import { DECORATION_KINDS, KIND_LABELS, type DecorationKind } from './decorations/kinds';
import { statusText } from './toggle-text';

/** *Toggle Entity Types…* (a multi-select quick pick) and the status-bar item that shows what is on. */
export function registerToggle(config: Configuration, service: DocumentAnalysisService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('marginalia.types', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Marginalia: decorations';
  item.command = Commands.toggleEntityTypes;

  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const isSource = !!editor && service.isSource(editor.document);
    void vscode.commands.executeCommand('setContext', 'marginalia.isSource', isSource);
    if (!isSource) {
      item.hide();
      return;
    }
    if (editor && service.isTooLarge(editor.document)) {
      // Say why nothing is marked, and offer the way out.
      item.text = '$(warning) Marginalia: not scanned';
      item.tooltip = 'This source is over marginalia.maxSourceSize. Click to scan it anyway.';
      item.command = { command: Commands.scanAnyway, title: 'Scan anyway', arguments: [editor.document.uri] };
      item.show();
      return;
    }
    const enabled = config.current.decorations;
    item.text = statusText(enabled);
    const tooltip = new vscode.MarkdownString('**Marginalia** — shown in the editor:\n\n', false);
    for (const k of DECORATION_KINDS) tooltip.appendMarkdown(`- ${enabled[k] ? '✓' : '✗'} ${KIND_LABELS[k]}\n`);
    tooltip.appendMarkdown('\nClick to choose.');
    item.tooltip = tooltip;
    item.command = Commands.toggleEntityTypes;
    item.show();
  };

  const toggle = async () => {
    const enabled = config.current.decorations;
    const picks = await vscode.window.showQuickPick(
      DECORATION_KINDS.map((kind) => ({ label: KIND_LABELS[kind], description: kind, picked: enabled[kind], value: kind })),
      { title: 'Marginalia: Toggle Entity Types', canPickMany: true, placeHolder: 'What the editor marks' },
    );
    if (!picks) return;
    const chosen = new Set(picks.map((p) => p.value));
    const changes: Partial<Record<DecorationKind, boolean>> = {};
    for (const kind of DECORATION_KINDS) if (chosen.has(kind) !== enabled[kind]) changes[kind] = chosen.has(kind);
    await config.setDecorations(changes);
  };

  update();
  return vscode.Disposable.from(
    item,
    vscode.commands.registerCommand(Commands.toggleEntityTypes, toggle),
    config.onDidChange((e) => {
      if (e.affects('decorations') || e.affects('sources')) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    service.onDidChangeAnalysis(update),
  );
}
