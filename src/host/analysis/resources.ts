import * as vscode from 'vscode';
import type { Dictionary } from '../../core/ner';
import type { Logger } from '../../core/types';
import type { Configuration } from '../config';
import { safeRelativeSegments } from '../../core/sidecar/paths';

// What the recognisers are given besides the text: the tagger model (the bundled one or the
// user's) and the user's dictionary.

/** Turns the bytes of a tagger model into the opaque object the recogniser takes. */
export type ModelLoader = (bytes: Uint8Array) => unknown;
/** Parses the user's dictionary (`.marginalia/dictionary.yaml`) into what the recogniser takes. */
export type DictionaryParser = (text: string, file: string) => Dictionary | undefined;

export const DICTIONARY_PATH = '.marginalia/dictionary.yaml';
export const BUNDLED_MODEL = 'media/model/ner.bin';

export interface ModelDeps {
  extensionUri: vscode.Uri;
  config: Configuration;
  log: Logger;
  loadModel?: ModelLoader;
}

/**
 * The bundled model, or the user's (`marginalia.model.path`, workspace-relative, trusted workspaces
 * only), with where it came from ('media/model/ner.bin' or the custom model's URI); none without a
 * loader or when the file cannot be loaded.
 */
export async function readModel(deps: ModelDeps): Promise<{ model: unknown; origin?: string }> {
  const { loadModel, log } = deps;
  if (!loadModel) return { model: undefined };
  const custom = await customModelUri(deps);
  const uri = custom ?? vscode.Uri.joinPath(deps.extensionUri, BUNDLED_MODEL);
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const model = loadModel(bytes);
    const origin = custom ? uri.toString() : BUNDLED_MODEL;
    log.info(`tagger model loaded from ${custom ? uri.toString() : BUNDLED_MODEL} (${(bytes.length / 1024).toFixed(0)} KB)`);
    return { model, origin };
  } catch (err) {
    log.warn(`tagger model not loaded from ${uri.toString()}: ${String(err)}; recognising with rules and gazetteers only`);
    if (custom) void vscode.window.showWarningMessage(`Marginalia could not load the model at marginalia.model.path: ${String(err)}`);
    return { model: undefined };
  }
}

async function customModelUri({ config, log }: ModelDeps): Promise<vscode.Uri | undefined> {
  const setting = config.current.modelPath;
  if (!setting) return undefined;
  if (!vscode.workspace.isTrusted) {
    log.warn('marginalia.model.path is ignored in an untrusted workspace');
    return undefined;
  }
  const segments = safeRelativeSegments(setting);
  if (!segments) {
    log.warn(`marginalia.model.path must be a path inside the workspace; ignoring ${JSON.stringify(setting)}`);
    return undefined;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...segments);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch (err) {
      log.debug(`no model at ${uri.toString()}: ${String(err)}`);
    }
  }
  log.warn(`marginalia.model.path: ${setting} not found in the workspace; using the bundled model`);
  return undefined;
}

/** The first workspace folder's `.marginalia/dictionary.yaml` that parses (an error is shown and the next folder tried). */
export async function readDictionary(log: Logger, parseDictionary: DictionaryParser | undefined): Promise<Dictionary | undefined> {
  if (!parseDictionary) return undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, DICTIONARY_PATH);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (err) {
      log.trace(`no dictionary at ${uri.toString()}: ${String(err)}`);
      continue;
    }
    try {
      const dictionary = parseDictionary(new TextDecoder().decode(bytes), uri.toString());
      log.info(`dictionary loaded from ${uri.toString()}`);
      return dictionary;
    } catch (err) {
      log.warn(`dictionary ${uri.toString()} not loaded: ${String(err)}`);
      void vscode.window.showWarningMessage(`Marginalia: ${DICTIONARY_PATH} has an error: ${String(err)}`);
    }
  }
  return undefined;
}
