/**
 * Recognition for the command line: loads the shipped tagger model (media/model/ner.bin relative
 * to the package root) once per thread and analyses texts with the core.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { loadTaggerModel } from '../core/ner/tagger';
import type { Analysis } from '../core/types';

export interface RecognizeOptions {
  /** A model file to use instead of the shipped one; `false` = no statistical model. */
  model?: string | false;
  /** ISO date relative dates resolve against (default: each source's own dateline). */
  documentDate?: string;
}

/** The package root: this file is dist/cli/marginalia.js (bundle) or src/cli/recognize.ts (tsx). */
export function packageRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

export function shippedModelPath(): string {
  return path.join(packageRoot(), 'media', 'model', 'ner.bin');
}

let cached: { key: string; model: unknown } | undefined;

/** Reads and decodes the model once per thread. Missing shipped model → rules and gazetteers only. */
export function loadModel(options: RecognizeOptions): unknown {
  if (options.model === false) return undefined;
  const file = options.model ?? shippedModelPath();
  if (cached?.key === file) return cached.model;
  let bytes: Uint8Array;
  try {
    // Only a regular file (a FIFO or a device such as /dev/zero would block or never end).
    const st = fs.statSync(file);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'not a regular file' });
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (options.model === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') {
      cached = { key: file, model: undefined };
      return undefined;
    }
    throw new Error(`cannot read model ${file}: ${(e as Error).message}`);
  }
  let model: unknown;
  try {
    model = loadTaggerModel(bytes);
  } catch (e) {
    throw new Error(`${file} is not a usable tagger model: ${(e as Error).message}`);
  }
  cached = { key: file, model };
  return model;
}

export function recognize(text: string, options: RecognizeOptions): Analysis {
  const model = loadModel(options);
  return analyze(text, { model, documentDate: options.documentDate });
}
