import * as vscode from 'vscode';
import type { DocumentAnalysisService } from '../analysis/service';
import { Commands } from '../commands';
import type { QuotesFilter } from './group';
import { EntitiesTreeProvider, QuotesTreeProvider, ViewScope } from './trees';
import type { WorkspaceIndex } from './workspaceIndex';

/** The workspace-state key of the Quotes view's filter. */
const QUOTES_FILTER_KEY = 'marginalia.quotesFilter';

/**
 * What the Quotes and Entities views show: the active source, or the whole workspace after
 * *Re-scan Workspace*. Both views follow the one scope; the `marginalia.workspaceScope` context
 * key switches their title buttons.
 */
export function createViewScope(service: DocumentAnalysisService, index: WorkspaceIndex): ViewScope {
  const scope = new ViewScope(service, index);
  const setContext = () => void vscode.commands.executeCommand('setContext', 'marginalia.workspaceScope', scope.workspace);
  setContext();
  scope.onDidChange(setContext);
  return scope;
}

/**
 * The Quotes view: quotations and reported speech under their speakers, with a filter (reported
 * speech listed or not, kept per workspace) toggled from the view's title.
 */
export function registerQuotesView(scope: ViewScope, state: vscode.Memento): { tree: QuotesTreeProvider; disposable: vscode.Disposable } {
  const tree = new QuotesTreeProvider(scope);
  const view = vscode.window.createTreeView('marginalia.quotes', { treeDataProvider: tree, showCollapseAll: true });
  const describe = () => {
    view.description = tree.filter === 'quotations' ? [scope.label, 'quotations only'].filter(Boolean).join(' · ') : scope.label;
  };
  const setFilter = (filter: QuotesFilter) => {
    tree.setFilter(filter);
    void state.update(QUOTES_FILTER_KEY, filter);
    void vscode.commands.executeCommand('setContext', 'marginalia.quotesFilter', filter);
    describe();
  };
  setFilter(state.get<QuotesFilter>(QUOTES_FILTER_KEY) === 'quotations' ? 'quotations' : 'all');
  return {
    tree,
    disposable: vscode.Disposable.from(
      tree,
      view,
      scope.onDidChange(describe),
      vscode.commands.registerCommand(Commands.showReportedSpeech, () => setFilter('all')),
      vscode.commands.registerCommand(Commands.quotationsOnly, () => setFilter('quotations')),
    ),
  };
}

/** The Entities view: the names of the active source (or the workspace), grouped by type. */
export function registerEntitiesView(scope: ViewScope): { tree: EntitiesTreeProvider; disposable: vscode.Disposable } {
  const tree = new EntitiesTreeProvider(scope);
  const view = vscode.window.createTreeView('marginalia.entities', { treeDataProvider: tree, showCollapseAll: true });
  const describe = () => {
    view.description = scope.label;
  };
  describe();
  return { tree, disposable: vscode.Disposable.from(tree, view, scope.onDidChange(describe)) };
}
