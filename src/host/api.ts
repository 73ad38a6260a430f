import type * as vscode from 'vscode';
import type { Analysis } from '../core/types';
import type { AnnotationsApi } from './annotations';
import type { DecorationKind } from './decorations/kinds';
import type { EntitiesNode, QuotesNode } from './views/trees';

/**
 * What `activate()` returns, for tests (and other extensions). Stable within a minor version.
 *
 * ```ts
 * const api = await vscode.extensions.getExtension<MarginaliaApi>('marginalia-dev.marginalia')!.activate();
 * await api.whenIdle();
 * api.analysisFor(doc.uri)?.quotes.length;
 * api.decorationsFor(vscode.window.activeTextEditor!).person; // vscode.Range[]
 * ```
 */
export interface MarginaliaApi {
  readonly version: 1;
  /** The latest analysis of an open source, or undefined (not a source, too large, not analysed yet). */
  analysisFor(uri: vscode.Uri): Analysis | undefined;
  /** The analysis the last *Re-scan Workspace* made of a source (read from disk, not the open editor), or undefined. */
  scannedAnalysisFor?(uri: vscode.Uri): Analysis | undefined;
  /** Ranges painted in a visible editor, per kind (entity types, `quotation`, `attribution` — reported speech —, `speaker`). */
  decorationsFor(editor: vscode.TextEditor): Record<DecorationKind, vscode.Range[]>;
  /** The after-texts (`— Sergei Lavrov`) painted in a visible editor, in text order. */
  speakerLabelsFor(editor: vscode.TextEditor): string[];
  /** Resolves when no analysis is scheduled or running (and, hence, everything is painted). */
  whenIdle(): Promise<void>;
  /** The views' data providers (call `getChildren()` / `getTreeItem()`). */
  readonly quotesTree: vscode.TreeDataProvider<QuotesNode>;
  readonly entitiesTree: vscode.TreeDataProvider<EntitiesNode>;
  /** Where the tagger model in use came from: 'media/model/ner.bin', the URI of `marginalia.model.path`, or undefined (rules only). */
  modelSource(): Promise<string | undefined>;
  /** Milliseconds the last analysis of a document took (recognition only). */
  lastAnalysisMs(uri: vscode.Uri): number | undefined;
  /** The user's annotations and corrections (src/host/annotations). */
  readonly annotations?: AnnotationsApi;
}
