/**
 * Adapters from the bench to the project's modules. The modules land progressively, so each
 * loader imports lazily and throws `Skip` with the reason while something is missing. When an
 * API changes, this is the one file to adapt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { firstLine, importLanded, skip } from './harness';
import { loadShippedCore } from './shipped';

export const MODEL_PATH = 'media/model/ner.bin';

export interface Recognizer {
  tokenize?: (text: string) => unknown;
  /** Tokenize + tag with the statistical model only (no rules, identity or quotes). */
  tag?: (text: string) => unknown;
  tagSkip?: string;
  /** Entity recognition (`recognizeEntities`: names, groups, dates, numbers, identity) with the shipped model. */
  entities?: (text: string) => unknown;
  /** The full `analyze` (entities + quotes) with the shipped model. */
  analyze?: (text: string) => unknown;
  analyzeSkip?: string;
  /** Set when analyze runs without the shipped model (why). */
  analyzeLabel?: string;
  /** The loaded model object passed to `analyze`. */
  model?: unknown;
}

interface TokenizeModule {
  tokenize(text: string): unknown;
}

/** Reads the shipped model's bytes (a Uint8Array), or skips when it has not been trained yet. */
export function readModelBytes(root: string): Uint8Array {
  const file = resolve(root, MODEL_PATH);
  if (!existsSync(file)) skip(`${MODEL_PATH} not landed yet`);
  const buf = readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

interface TaggerModule {
  loadTaggerModel(bytes: Uint8Array): unknown;
  tagDocument(model: unknown, text: string, options?: { consistency?: boolean }): unknown;
}

async function taggerModule(root: string): Promise<TaggerModule> {
  return importLanded<TaggerModule>(root, 'src/core/ner/tagger/index.ts', ['loadTaggerModel', 'tagDocument']);
}

/** Loads the tagger model from bytes with the tagger's own loader. */
export async function loadModel(root: string, bytes?: Uint8Array): Promise<unknown> {
  const tagger = await taggerModule(root);
  return tagger.loadTaggerModel(bytes ?? readModelBytes(root));
}

/**
 * The recogniser as it ships (an esbuild bundle built in this run, see shipped.ts), or (`source`)
 * the TypeScript sources through the bench's loader.
 */
export async function loadRecognizer(root: string, options: { source?: boolean } = {}): Promise<Recognizer> {
  if (!options.source) return loadShippedRecognizer(root);
  return loadSourceRecognizer(root);
}

async function loadShippedRecognizer(root: string): Promise<Recognizer> {
  const core = await loadShippedCore(root);
  const rec: Recognizer = { tokenize: (t) => core.tokenize(t) };
  const model = core.loadTaggerModel(readModelBytes(root));
  rec.model = model;
  rec.tag = (t) => core.tagDocument(model, t);
  rec.entities = (t) => core.recognizeEntities(t, { model });
  rec.analyze = (t) => core.analyze(t, { model });
  return rec;
}

async function loadSourceRecognizer(root: string): Promise<Recognizer> {
  const rec: Recognizer = {};
  const tok = await importLanded<TokenizeModule>(root, 'src/core/text/tokenize.ts', ['tokenize']);
  rec.tokenize = (t) => tok.tokenize(t);
  try {
    const tagger = await taggerModule(root);
    const model = tagger.loadTaggerModel(readModelBytes(root));
    rec.model = model;
    // tokenize + document context + tag + consistency pass: the statistical tagger alone.
    rec.tag = (t) => tagger.tagDocument(model, t);
  } catch (err) {
    rec.tagSkip = firstLine(err);
  }
  try {
    const an = await importLanded<{ analyze(text: string, o?: unknown): unknown }>(root, 'src/core/analyze.ts', ['analyze']);
    const ner = await importLanded<{ recognizeEntities(text: string, o?: unknown): unknown }>(root, 'src/core/ner/index.ts', ['recognizeEntities']);
    const model = rec.model;
    // Without the shipped model, analyze runs its interim rule tagger: measured, but labelled.
    if (model === undefined) rec.analyzeLabel = `interim tagger, no model: ${rec.tagSkip}`;
    rec.analyze = (t) => an.analyze(t, { model });
    rec.entities = (t) => ner.recognizeEntities(t, { model });
  } catch (err) {
    rec.analyzeSkip = firstLine(err);
  }
  return rec;
}
