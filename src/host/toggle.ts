import * as vscode from 'vscode';
import type { DocumentAnalysisService } from './analysis/service';
import { Commands } from './commands';
import type { Configuration } from './config';
import { DECORATION_KINDS, KIND_LABELS, type DecorationKind } from './decorations/kinds';
import { statusText } from './toggle-text';

/** What the status item needs to know of the annotations (connected once both features are up). */
export interface StatusAnnotations {
  annotationsFor(uri: vscode.Uri): readonly unknown[];
  readOnlyReason(uri: vscode.Uri): string | undefined;
  readonly onDidChange: vscode.Event<void>;
}

/** The contributed colour of a decoration kind in the current theme (for the legend), if any. */
function legendColor(kind: DecorationKind): string | undefined {
  const id = kind === 'quotation' ? 'marginalia.quotationBorder' : kind === 'attribution' ? 'marginalia.attributionBorder' : kind === 'speaker' ? undefined : `marginalia.${kind}Foreground`;
  if (!id) return undefined;
  const pkg = vscode.extensions.getExtension('marginalia-dev.marginalia')?.packageJSON as { contributes?: { colors?: { id: string; defaults: Record<string, string> }[] } } | undefined;
  const c = pkg?.contributes?.colors?.find((x) => x.id === id);
  if (!c) return undefined;
  const k = vscode.window.activeColorTheme.kind;
  const key = k === vscode.ColorThemeKind.Light ? 'light' : k === vscode.ColorThemeKind.HighContrast ? 'highContrast' : k === vscode.ColorThemeKind.HighContrastLight ? 'highContrastLight' : 'dark';
  const hex = c.defaults[key];
  return /^#[0-9a-fA-F]{6,8}$/.test(hex ?? '') ? hex.slice(0, 7) : undefined;
}

/** Quotations and reported statements (kind `indirect`) counted apart. */
function quoteCounts(quotes: readonly { kind: string }[]): { quotes: number; reported: number } {
  let reported = 0;
  for (const q of quotes) if (q.kind === 'indirect') reported++;
  return { quotes: quotes.length - reported, reported };
}

/**
 * *Toggle Entity Types…* (a multi-select quick pick) and the status-bar item: what the active
 * source holds (names, quotations, annotations), a sidecar problem first of all, and a legend of
 * the colours in its tooltip.
 */
export function registerToggle(config: Configuration, service: DocumentAnalysisService): { disposable: vscode.Disposable; connect(annotations: StatusAnnotations): vscode.Disposable } {
  let annotations: StatusAnnotations | undefined;
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
    const doc = editor?.document;
    const result = doc ? service.get(doc) : undefined;
    const problem = doc && annotations ? annotations.readOnlyReason(doc.uri) : undefined;
    const brokenSidecar = !!problem && /sidecar/i.test(problem);
    const counts = result && doc
      ? { names: result.analysis.mentions.length, ...quoteCounts(result.analysis.quotes), annotations: annotations?.annotationsFor(doc.uri).length ?? 0, problem: brokenSidecar }
      : undefined;
    item.text = statusText(enabled, counts);
    item.backgroundColor = brokenSidecar ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString('', false);
    tooltip.supportHtml = true;
    if (problem) tooltip.appendText(`${problem}\n\n`);
    tooltip.appendMarkdown('**Marginalia** — shown in the editor, in these colours:\n\n');
    for (const k of DECORATION_KINDS) {
      const hex = legendColor(k);
      const swatch = hex ? `<span style="color:${hex};">■</span> ` : '';
      tooltip.appendMarkdown(`- ${enabled[k] ? '✓' : '✗'} ${swatch}${KIND_LABELS[k]}\n`);
    }
    tooltip.appendMarkdown(brokenSidecar ? '\nClick to open the sidecar.' : '\nClick to choose what is shown.');
    item.tooltip = tooltip;
    item.command = brokenSidecar ? Commands.openSidecar : Commands.toggleEntityTypes;
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
  const connect = (a: StatusAnnotations): vscode.Disposable => {
    annotations = a;
    update();
    return a.onDidChange(update);
  };
  const disposable = vscode.Disposable.from(
    item,
    vscode.commands.registerCommand(Commands.toggleEntityTypes, toggle),
    config.onDidChange((e) => {
      if (e.affects('decorations') || e.affects('sources')) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeActiveColorTheme(update),
    service.onDidChangeAnalysis(update),
  );
  return { disposable, connect };
}
