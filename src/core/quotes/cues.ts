/**
 * Attribution cues: which words of the writer's text report someone's words or thoughts. A learned
 * classifier ({@link CueModel}: an averaged perceptron over the word and its neighbours, trained on
 * PolNeAR train by `npm run train`, see `attributionTrain.ts`) scores the words of its candidate
 * list; without a model, the speech-verb lexicon decides (rules only). What each cue reports, and
 * who, is `attribution.ts`.
 */
import { PERSONAL_PRONOUNS, SPEECH_FORMS } from './lexicon';
import { isCap, isWordTok, type Tok } from './tokens';
import { accordingTo, nounUse, passiveAt } from './speechVerbs';
import type { ParsedUnit } from './local';

/** A learned cue classifier (see `attributionTrain.ts`; the shipped one is media/model/attribution.json). */
export interface CueModel {
  version: number;
  /** lower-case words the classifier scores (others are never cues) */
  candidates: string[];
  /** feature → weight */
  weights: Record<string, number>;
  bias: number;
  /** decision threshold on the score */
  threshold: number;
  /** what it was trained on, for the README and `--version` style reports */
  trainedOn?: string;
}

export const CUE_MODEL_VERSION = 1;

/** Prepared for scoring. */
export interface LoadedCueModel {
  candidates: Set<string>;
  weights: Map<string, number>;
  /** the same weights by template ("w", "pw", …) and value: scoring builds no feature strings */
  byTemplate: Map<string, Map<string, number>>;
  /** template → its map (an empty one when the model has none), looked up once */
  template: (tmpl: string) => Map<string, number>;
  bias: number;
  threshold: number;
}

const EMPTY = new Map<string, number>();

export function loadCueModel(m: CueModel): LoadedCueModel {
  if (m.version !== CUE_MODEL_VERSION) throw new Error(`attribution cue model version ${m.version} does not match ${CUE_MODEL_VERSION}`);
  const byTemplate = new Map<string, Map<string, number>>();
  for (const [f, w] of Object.entries(m.weights)) {
    const eq = f.indexOf('=');
    const tmpl = f.slice(0, eq);
    let tm = byTemplate.get(tmpl);
    if (!tm) byTemplate.set(tmpl, (tm = new Map()));
    tm.set(f.slice(eq + 1), w);
  }
  const fixed = new Map<string, Map<string, number>>();
  for (const t of ['w', 'p', 'n', 'p2', 'n2', 'pw', 'wn', 'ps', 'ns', 'wps', 'wns', 'cap', 's3', 'sp', 'q', 'first', 'last']) fixed.set(t, byTemplate.get(t) ?? EMPTY);
  const template = (tmpl: string): Map<string, number> => fixed.get(tmpl) ?? EMPTY;
  return { candidates: new Set(m.candidates), weights: new Map(Object.entries(m.weights)), byTemplate, template, bias: m.bias, threshold: m.threshold };
}

/** The score of token `i`: the bias plus the weights of {@link cueFeatures}, looked up by template (same sum, fewer strings). */
// The neighbour set-up repeats cueFeatures' on purpose: this runs for every candidate token, and a shared
// helper would allocate an object per token (test/unit/quotes/reported.test.ts checks the same sum).
export function cueScore(model: LoadedCueModel, toks: readonly Tok[], i: number, sentStart: number, sentEnd: number, sentHasQuote: boolean): number {
  const g = model.template;
  const t = toks[i];
  const p = i > sentStart ? toks[i - 1] : undefined;
  const p2 = i - 1 > sentStart ? toks[i - 2] : undefined;
  const n = i < sentEnd ? toks[i + 1] : undefined;
  const n2 = i + 1 < sentEnd ? toks[i + 2] : undefined;
  const pl = p ? (p.q !== undefined ? '"' : p.l) : BOS;
  const nl = n ? (n.q !== undefined ? '"' : n.l) : '</s>';
  const l = t.l;
  const ps = shapeOf(p);
  const ns = shapeOf(n);
  let s = model.bias;
  s += g('w').get(l) ?? 0;
  s += g('p').get(pl) ?? 0;
  s += g('n').get(nl) ?? 0;
  s += g('p2').get(p2 ? (p2.q !== undefined ? '"' : p2.l) : BOS) ?? 0;
  s += g('n2').get(n2 ? (n2.q !== undefined ? '"' : n2.l) : '</s>') ?? 0;
  const pw = g('pw');
  if (pw.size > 0) s += pw.get(`${pl}_${l}`) ?? 0;
  const wn = g('wn');
  if (wn.size > 0) s += wn.get(`${l}_${nl}`) ?? 0;
  s += g('ps').get(ps) ?? 0;
  s += g('ns').get(ns) ?? 0;
  const wps = g('wps');
  if (wps.size > 0) s += wps.get(`${l}_${ps}`) ?? 0;
  const wns = g('wns');
  if (wns.size > 0) s += wns.get(`${l}_${ns}`) ?? 0;
  s += g('cap').get(isCap(t.t) ? '1' : '0') ?? 0;
  s += g('s3').get(l.slice(-3)) ?? 0;
  s += g('sp').get(SPEECH_FORMS.has(l) ? '1' : '0') ?? 0;
  s += g('q').get(sentHasQuote ? '1' : '0') ?? 0;
  s += g('first').get(i === sentStart ? '1' : '0') ?? 0;
  s += g('last').get(i + 1 >= sentEnd ? '1' : '0') ?? 0;
  return s;
}

/** Nouns of saying and thinking whose "that" clause is reported content ("X's claim that …"). */
export const REPORT_NOUNS = new Set(
  `claim claims statement statements remark remarks comment comments assertion assertions promise promises warning warnings
  suggestion argument arguments insistence accusation accusations charge charges prediction predictions contention view views
  complaint complaints boast boasts pledge pledges declaration belief beliefs argument assurance assurances admission
  allegation allegations announcement insistence notion idea fear fears hope hopes concern concerns report reports
  suggestion suggestions demand demands`.split(/\s+/),
);

/** Function words that are never the head of a cue (they belong to a cue only around a head word). */
export const NOT_CUE_HEAD = new Set(
  `to of a an the in on for is has have was are not with been had as at by were be did would will more over up now back
  also out about against and or but that this these those it its he she they we i you his her their our my your which who
  from into than then there here so if do does can could should may might must just very too even still only much many
  don't doesn't didn't won't wouldn't can't cannot couldn't isn't wasn't aren't weren't haven't hasn't hadn't shouldn't
  never no yes i'm i've we're they're he's she's it's let's
  'S 's ’s : , . ; — – -`.split(/\s+/),
);

const BOS = '<s>';

function shapeOf(t: Tok | undefined): string {
  if (!t) return 'END';
  if (t.q !== undefined) return 'Q';
  if (!isWordTok(t)) return t.t.length === 1 ? t.t : 'P';
  if (PERSONAL_PRONOUNS.has(t.l)) return 'PRON';
  if (t.l === 'that') return 'THAT';
  return isCap(t.t) ? 'Cap' : 'low';
}

/**
 * Features of token `i` as a cue word. Shared by training and recognition (the same strings).
 * `sentHasQuote`: the token's sentence holds a quotation-mark quotation.
 */
export function cueFeatures(toks: readonly Tok[], i: number, sentStart: number, sentEnd: number, sentHasQuote: boolean): string[] {
  const t = toks[i];
  const p = i > sentStart ? toks[i - 1] : undefined;
  const p2 = i - 1 > sentStart ? toks[i - 2] : undefined;
  const n = i < sentEnd ? toks[i + 1] : undefined;
  const n2 = i + 1 < sentEnd ? toks[i + 2] : undefined;
  const pl = p ? (p.q !== undefined ? '"' : p.l) : BOS;
  const nl = n ? (n.q !== undefined ? '"' : n.l) : '</s>';
  const l = t.l;
  return [
    `w=${l}`,
    `p=${pl}`,
    `n=${nl}`,
    `p2=${p2 ? (p2.q !== undefined ? '"' : p2.l) : BOS}`,
    `n2=${n2 ? (n2.q !== undefined ? '"' : n2.l) : '</s>'}`,
    `pw=${pl}_${l}`,
    `wn=${l}_${nl}`,
    `ps=${shapeOf(p)}`,
    `ns=${shapeOf(n)}`,
    `wps=${l}_${shapeOf(p)}`,
    `wns=${l}_${shapeOf(n)}`,
    `cap=${isCap(t.t) ? 1 : 0}`,
    `s3=${l.slice(-3)}`,
    `sp=${SPEECH_FORMS.has(l) ? 1 : 0}`,
    `q=${sentHasQuote ? 1 : 0}`,
    `first=${i === sentStart ? 1 : 0}`,
    `last=${i + 1 >= sentEnd ? 1 : 0}`,
  ];
}

/** Is token i a cue word by the rules alone (no model)? */
function ruleCue(toks: readonly Tok[], i: number): boolean {
  const t = toks[i];
  if (accordingTo(toks as Tok[], i)) return true;
  if (SPEECH_FORMS.has(t.l) && !isCap(t.t)) return !nounUse(toks as Tok[], i) && !passiveAt(toks as Tok[], i);
  return REPORT_NOUNS.has(t.l) && toks[i + 1]?.l === 'that';
}

/** Scores of the cue words of a unit (one per token, NaN where the token is not scored). */
export function cueScores(parsed: ParsedUnit, model: LoadedCueModel | undefined): Float64Array {
  const { toks, sent, sentStartTok, sentEndTok } = parsed;
  const out = new Float64Array(toks.length).fill(Number.NaN);
  let hasQuote: Uint8Array | undefined;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.q !== undefined || !isWordTok(t)) continue;
    if (!model) {
      if (ruleCue(toks, i)) out[i] = 1;
      continue;
    }
    if (!model.candidates.has(t.l) || NOT_CUE_HEAD.has(t.l)) continue;
    if (!hasQuote) {
      hasQuote = new Uint8Array(sentStartTok.length);
      for (let k = 0; k < toks.length; k++) if (toks[k].q !== undefined) hasQuote[sent[k]] = 1;
    }
    const s = sent[i];
    out[i] = cueScore(model, toks, i, sentStartTok[s], sentEndTok[s], hasQuote[s] === 1) - model.threshold;
  }
  return out;
}
