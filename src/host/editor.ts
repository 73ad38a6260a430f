import * as vscode from 'vscode';
import type { Logger } from '../core/types';
import type { MarginaliaApi } from './api';
import { lazyEngine } from './analysis/lazyEngine';
import { DocumentAnalysisService, type ModelLoader } from './analysis/service';
import type { Configuration } from './config';
import { DecorationController } from './decorations/controller';
import { registerEditorCommands } from './editorCommands';
import { HoverProvider } from './hover/provider';
import { heavy } from './lazy';
import { registerToggle, type StatusAnnotations } from './toggle';
import { EntitiesTreeProvider, QuotesTreeProvider, ViewScope } from './views/trees';
import { WorkspaceIndex } from './views/workspaceIndex';
import type { QuotesFilter } from './views/group';
import { Commands } from './commands';
import { forgetLearning } from './analysis/learning';

export interface EditorFeatureDeps {
  extensionUri: vscode.Uri;
  config: Configuration;
  log: Logger;
  loadModel?: ModelLoader;
  /** Where the Quotes view keeps its filter (the workspace state). */
  state?: vscode.Memento;
}

/** The workspace-state key of the Quotes view's filter. */
const QUOTES_FILTER_KEY = 'marginalia.quotesFilter';

/**
 * The editor experience: analysis of open sources, decorations, hovers, the Quotes and Entities
 * views, the editor commands and the status-bar item. Returns its Disposable and the test API.
 */
export function registerEditorFeatures(deps: EditorFeatureDeps): {
  disposable: vscode.Disposable;
  api: MarginaliaApi;
  service: DocumentAnalysisService;
  /** Lets the status item count the active source's annotations and show a sidecar problem. */
  connectAnnotations(annotations: StatusAnnotations): vscode.Disposable;
} {
  const { config, log } = deps;
  const service = new DocumentAnalysisService({
    extensionUri: deps.extensionUri,
    config,
    log,
    engine: lazyEngine(),
    loadModel: deps.loadModel ?? ((bytes) => heavy().loadTaggerModel(bytes)),
    parseDictionary: (text, file) => {
      const parsed = heavy().parseDictionary(text);
      for (const e of parsed.errors) log.warn(`${file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
      if (parsed.errors.length) void vscode.window.showWarningMessage(`Marginalia: the dictionary has ${parsed.errors.length} problem(s); see the Marginalia output.`);
      return parsed.dictionary;
    },
  });
  const index = new WorkspaceIndex(service, config, log);
  const decorations = new DecorationController(service, config, log);
  const hovers = new HoverProvider(service, index);
  const scope = new ViewScope(service, index);
  const quotesTree = new QuotesTreeProvider(scope);
  const entitiesTree = new EntitiesTreeProvider(scope);
  const quotesView = vscode.window.createTreeView('marginalia.quotes', { treeDataProvider: quotesTree, showCollapseAll: true });
  const entitiesView = vscode.window.createTreeView('marginalia.entities', { treeDataProvider: entitiesTree, showCollapseAll: true });
  const describe = () => {
    quotesView.description = quotesTree.filter === 'quotations' ? [scope.label, 'quotations only'].filter(Boolean).join(' · ') : scope.label;
    entitiesView.description = scope.label;
    void vscode.commands.executeCommand('setContext', 'marginalia.workspaceScope', scope.workspace);
  };
  // Reported speech listed with the quotations, or not (the view's title toggles; kept per workspace).
  const setQuotesFilter = (filter: QuotesFilter) => {
    quotesTree.setFilter(filter);
    void deps.state?.update(QUOTES_FILTER_KEY, filter);
    void vscode.commands.executeCommand('setContext', 'marginalia.quotesFilter', filter);
    describe();
  };
  setQuotesFilter(deps.state?.get<QuotesFilter>(QUOTES_FILTER_KEY) === 'quotations' ? 'quotations' : 'all');

  const api: MarginaliaApi = {
    version: 1,
    analysisFor: (uri) => service.getByUri(uri)?.analysis,
    scannedAnalysisFor: (uri) => index.scannedAnalysis(uri),
    decorationsFor: (editor) => decorations.paintedIn(editor),
    speakerLabelsFor: (editor) => decorations.afterTextsIn(editor),
    whenIdle: () => service.whenIdle(),
    quotesTree,
    entitiesTree,
    lastAnalysisMs: (uri) => service.timings.get(uri.toString()),
    modelSource: () => service.modelSource(),
  };

  const toggle = registerToggle(config, service);
  const disposable = vscode.Disposable.from(
    service,
    index,
    decorations,
    hovers,
    scope,
    quotesTree,
    entitiesTree,
    quotesView,
    entitiesView,
    scope.onDidChange(describe),
    registerEditorCommands(service, index, log),
    vscode.commands.registerCommand(Commands.showReportedSpeech, () => setQuotesFilter('all')),
    vscode.commands.registerCommand(Commands.quotationsOnly, () => setQuotesFilter('quotations')),
    vscode.commands.registerCommand(Commands.forgetLearnedCorrections, async () => {
      const at = await forgetLearning();
      if (!at) return undefined;
      await service.relearn();
      void vscode.window.showInformationMessage('Marginalia forgot what it learned from your corrections so far. The corrections stay in the sidecars and still apply; new ones are learned again. (Delete .marginalia/learning.json to learn from the earlier ones again.)');
      return at;
    }),
    toggle.disposable,
  );
  return { disposable, api, service, connectAnnotations: toggle.connect };
}
