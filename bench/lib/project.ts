/**
 * Adapters from the bench to the project's modules. The modules land progressively, so each
 * loader imports lazily and throws `Skip` with the reason while something is missing. When an
 * API changes, this is the one file to adapt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { firstLine, importLanded, skip } from './harness';
import { keep } from './stats';


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
 * The whole result: the entity list is built when first read (the editor reads mentions on every
 * keystroke, entities only for hovers and views), so the bench reads it, and a run pays for all
 * that recognition returns (mentions and entities), as compromise's pass returns its lists.
 */
interface Whole {
  mentions: unknown[];
  entities: unknown[];
}
function whole(r: Whole): Whole {
  keep(r.entities);
  return r;
}

/**
 * The recogniser as it ships: the core bundle (`coreBundle` in child.ts: esbuild, minified, one
 * module scope, as the extension and the CLI run it) loaded into this process; or, without a
 * bundle file, the TypeScript sources through the bench's loader (tsx compiles each file to its
 * own CommonJS module and reads every cross-module import through a getter, which slows the hot
 * loops; reported for reference).
 */
export async function loadRecognizer(root: string, bundleFile?: string): Promise<Recognizer> {
  if (bundleFile === undefined) return loadSourceRecognizer(root);
  const core = createRequire(bundleFile)(bundleFile) as {
    tokenize(text: string): unknown;
    loadTaggerModel(bytes: Uint8Array): unknown;
    tagDocument(model: unknown, text: string): unknown;
    recognizeEntities(text: string, options?: { model?: unknown }): Whole;
    analyze(text: string, options?: { model?: unknown }): Whole;
  };
  if (typeof core.recognizeEntities !== 'function' || typeof core.tagDocument !== 'function') skip('the core bundle lacks recognizeEntities or tagDocument');
  const model = core.loadTaggerModel(readModelBytes(root));
  return {
    model,
    tokenize: (t) => core.tokenize(t),
    tag: (t) => core.tagDocument(model, t),
    entities: (t) => whole(core.recognizeEntities(t, { model })),
    analyze: (t) => whole(core.analyze(t, { model })),
  };
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
    const an = await importLanded<{ analyze(text: string, o?: unknown): Whole }>(root, 'src/core/analyze.ts', ['analyze']);
    const ner = await importLanded<{ recognizeEntities(text: string, o?: unknown): Whole }>(root, 'src/core/ner/index.ts', ['recognizeEntities']);
    const model = rec.model;
    // Without the shipped model, analyze runs its interim rule tagger: measured, but labelled.
    if (model === undefined) rec.analyzeLabel = `interim tagger, no model: ${rec.tagSkip}`;
    rec.analyze = (t) => whole(an.analyze(t, { model }));
    rec.entities = (t) => whole(ner.recognizeEntities(t, { model }));
  } catch (err) {
    rec.analyzeSkip = firstLine(err);
  }
  return rec;
}
