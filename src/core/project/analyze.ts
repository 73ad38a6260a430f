/**
 * Recognition as the user sees it, on every path: the recognisers with the workspace dictionary,
 * then the corrections of the source's sidecar. The editor, the workspace scan, `scan` and `export`
 * all come through here, so they give the same mentions and quotations for the same text.
 */
import { analyze } from '../analyze';
import { applyCorrections } from '../corrections';
import { parseDictionary, type Dictionary, type DictionaryProblem } from '../ner/dictionary';
import type { Correction } from '../sidecar/model';
import type { Analysis } from '../types';
import { errorCode, type ProjectFs } from './files';
import type { WorkspaceLearning } from './learning';
import { DICTIONARY_PATH, type Project } from './project';

export interface SourceAnalysisOptions {
  /** The tagger model (opaque, from the tagger's loader); absent: rules and gazetteers only. */
  model?: unknown;
  /** The workspace dictionary. */
  dictionary?: Dictionary;
  /** The corrections of the source's sidecar, anchored on the same text. */
  corrections?: readonly Correction[];
  /** ISO date relative dates resolve against (default: the text's dateline). */
  documentDate?: string;
  /**
   * The workspace's learning (learning.ts): its model (the tagger adapted to the workspace's
   * corrections) replaces `model`, and the other sources' workspace-wide corrections apply before
   * this source's own.
   */
  learning?: WorkspaceLearning;
  /** The source's key in `learning` (its own corrections are not applied twice). */
  sourceKey?: string;
}

/** The recognisers' result before corrections (what the editor caches between keystrokes). */
export function recognizeSource(text: string, options: SourceAnalysisOptions = {}): Analysis {
  const opts: Parameters<typeof analyze>[1] = {};
  if (options.model !== undefined) opts.model = options.model;
  if (options.learning && options.learning.model !== undefined) opts.model = options.learning.model;
  if (options.dictionary !== undefined) opts.dictionary = options.dictionary;
  if (options.documentDate !== undefined) opts.documentDate = options.documentDate;
  return analyze(text, opts);
}

/** The user's corrections applied to a recognition result (a copy; `raw` is not changed). */
export function withCorrections(text: string, raw: Analysis, corrections: readonly Correction[] | undefined): Analysis {
  return corrections && corrections.length ? applyCorrections(text, raw, corrections) : raw;
}

/** Mentions, entities and quotations of `text` as the user sees them. */
export function analyzeSource(text: string, options: SourceAnalysisOptions = {}): Analysis {
  if (options.learning) return options.learning.apply(options.sourceKey ?? '', text, recognizeSource(text, options), options.corrections);
  return withCorrections(text, recognizeSource(text, options), options.corrections);
}

export interface LoadedDictionary {
  dictionary?: Dictionary;
  /** Where it was read from (absolute), when there is one. */
  file?: string;
  problems: DictionaryProblem[];
}

/** Reads the workspace dictionary (`.marginalia/dictionary.yaml`); its valid entries are used even when others have problems. */
export async function loadDictionary(project: Project): Promise<LoadedDictionary> {
  return readDictionaryAt(project.fs, project.absolute(DICTIONARY_PATH));
}

export async function readDictionaryAt(fs: ProjectFs, file: string): Promise<LoadedDictionary> {
  let text: string;
  try {
    const info = await fs.stat(file);
    if (!info) return { problems: [] };
    if (info.type !== 'file') return { file, problems: [{ message: 'the dictionary is not a regular file' }] };
    text = await fs.readText(file);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { problems: [] };
    return { file, problems: [{ message: `cannot read the dictionary: ${errorCode(err) ?? String(err)}` }] };
  }
  const parsed = parseDictionary(text);
  return { dictionary: parsed.dictionary, file, problems: parsed.errors };
}
