import * as vscode from 'vscode';
import type { Logger } from '../../core/types';
import type { Configuration } from '../config';
import { heavy } from '../lazy';
import { WorkspaceIndex } from '../views/workspaceIndex';
import { lazyEngine } from './lazyEngine';
import { DocumentAnalysisService } from './service';

export interface AnalysisDeps {
  extensionUri: vscode.Uri;
  config: Configuration;
  log: Logger;
}

/**
 * Recognition of open sources (the live engine, loaded on first use) and the workspace index that
 * *Re-scan Workspace* fills. Every other editor feature reads from these two.
 */
export function createAnalysis(deps: AnalysisDeps): { service: DocumentAnalysisService; index: WorkspaceIndex; disposable: vscode.Disposable } {
  const { config, log } = deps;
  const service = new DocumentAnalysisService({
    extensionUri: deps.extensionUri,
    config,
    log,
    engine: lazyEngine(),
    loadModel: (bytes) => heavy().loadTaggerModel(bytes),
    parseDictionary: (text, file) => {
      const parsed = heavy().parseDictionary(text);
      for (const e of parsed.errors) log.warn(`${file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
      if (parsed.errors.length) void vscode.window.showWarningMessage(`Marginalia: the dictionary has ${parsed.errors.length} problem(s); see the Marginalia output.`);
      return parsed.dictionary;
    },
  });
  const index = new WorkspaceIndex(service, config, log);
  return { service, index, disposable: vscode.Disposable.from(service, index) };
}
