/**
 * Training of the attribution cue classifier (pure; `scripts/train-attribution.ts` does the file
 * I/O). Deterministic: fixed seed, fixed document order, fixed epochs.
 *
 * Data: documents with attributions whose `cue` spans are given (PolNeAR, `../shared/data/README.md`).
 * Every word of the writer's text (quotations are one token each, as in recognition) that lies in
 * a gold cue span is a positive example, unless it is a function word ({@link NOT_CUE_HEAD}: the
 * "has", "to", "in" of "has said", "according to", "said in a statement" are added by the rules).
 * Candidates: words seen as a cue at least `minCount` times with a cue rate of at least `minRate`.
 * Model: an averaged binary perceptron over {@link cueFeatures}, small weights pruned.
 */
import { prng } from '../prng';
import { CUE_MODEL_VERSION, NOT_CUE_HEAD, cueFeatures, type CueModel } from './cues';
import { splitUnits } from './units';
import { analyzeUnitParsed } from './local';
import { isWordTok } from './tokens';
import type { Span } from '../types';

export interface CueTrainDoc {
  id?: string;
  text: string;
  quotes: { cue?: Span | null }[];
}

export interface CueTrainOptions {
  epochs?: number;
  seed?: number;
  minCount?: number;
  minRate?: number;
  /** weights with a smaller magnitude (after averaging, relative to the largest) are dropped */
  prune?: number;
  threshold?: number;
  /** features seen fewer times than this in the examples are dropped (default 6) */
  minFeature?: number;
  trainedOn?: string;
  log?: (m: string) => void;
}

interface Example {
  feats: string[];
  y: 1 | -1;
  word: string;
}

/** Candidate tokens of one document with their features and gold labels. */
function examples(doc: CueTrainDoc): { word: string; y: 1 | -1; feats: () => string[] }[] {
  const mark = new Uint8Array(doc.text.length + 1);
  for (const q of doc.quotes) if (q.cue) for (let i = q.cue.start; i < q.cue.end; i++) mark[i] = 1;
  const out: { word: string; y: 1 | -1; feats: () => string[] }[] = [];
  for (const u of splitUnits(doc.text)) {
    const { local, parsed } = analyzeUnitParsed(doc.text.slice(u.start, u.end));
    if (local.block || parsed.headline) continue;
    const { toks, sent, sentStartTok, sentEndTok } = parsed;
    const hasQuote = new Uint8Array(sentStartTok.length);
    for (let k = 0; k < toks.length; k++) if (toks[k].q !== undefined) hasQuote[sent[k]] = 1;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.q !== undefined || !isWordTok(t) || NOT_CUE_HEAD.has(t.l)) continue;
      const s = sent[i];
      out.push({ word: t.l, y: mark[u.start + t.s] ? 1 : -1, feats: () => cueFeatures(toks, i, sentStartTok[s], sentEndTok[s], hasQuote[s] === 1) });
    }
  }
  return out;
}

export function trainCueModel(docs: readonly CueTrainDoc[], opts: CueTrainOptions = {}): CueModel {
  const epochs = opts.epochs ?? 10;
  const minCount = opts.minCount ?? 3;
  const minRate = opts.minRate ?? 0.05;
  const log = opts.log ?? (() => undefined);
  const all = docs.map(examples);
  const pos = new Map<string, number>();
  const tot = new Map<string, number>();
  for (const d of all)
    for (const e of d) {
      tot.set(e.word, (tot.get(e.word) ?? 0) + 1);
      if (e.y > 0) pos.set(e.word, (pos.get(e.word) ?? 0) + 1);
    }
  const candidates = [...pos.entries()].filter(([w, n]) => n >= minCount && n / (tot.get(w) ?? 1) >= minRate).map(([w]) => w).sort();
  const cand = new Set(candidates);
  const ex: Example[] = [];
  for (const d of all) for (const e of d) if (cand.has(e.word)) ex.push({ feats: e.feats(), y: e.y, word: e.word });
  // features seen fewer than `minFeature` times are dropped (a smaller model, little loss)
  const fcount = new Map<string, number>();
  for (const e of ex) for (const f of e.feats) fcount.set(f, (fcount.get(f) ?? 0) + 1);
  const minFeature = opts.minFeature ?? 6;
  for (const e of ex) e.feats = e.feats.filter((f) => (fcount.get(f) ?? 0) >= minFeature);
  const positives = ex.filter((e) => e.y > 0).length;
  log(`cue classifier: ${candidates.length} candidate words, ${ex.length} examples (${positives} cues)`);
  // averaged perceptron (the lazy-update trick: w_avg = w - u / c)
  const w = new Map<string, number>();
  const u = new Map<string, number>();
  let b = 0;
  let ub = 0;
  let c = 1;
  const rand = prng(opts.seed ?? 15);
  const order = ex.map((_, i) => i);
  for (let ep = 0; ep < epochs; ep++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let errors = 0;
    for (const oi of order) {
      const e = ex[oi];
      let s = b;
      for (const f of e.feats) s += w.get(f) ?? 0;
      if ((s > 0 ? 1 : -1) !== e.y) {
        errors++;
        for (const f of e.feats) {
          w.set(f, (w.get(f) ?? 0) + e.y);
          u.set(f, (u.get(f) ?? 0) + c * e.y);
        }
        b += e.y;
        ub += c * e.y;
      }
      c++;
    }
    log(`  epoch ${ep + 1}: ${errors} mistakes`);
  }
  const avg = new Map<string, number>();
  let max = 0;
  for (const [f, v] of w) {
    const a = v - (u.get(f) ?? 0) / c;
    avg.set(f, a);
    max = Math.max(max, Math.abs(a));
  }
  const bias = b - ub / c;
  const prune = (opts.prune ?? 0.01) * max;
  const weights: Record<string, number> = {};
  const kept = [...avg.entries()].filter(([, v]) => Math.abs(v) >= prune).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  // scaled so the largest weight is 100, rounded to 1 decimal (small file, same decisions up to rounding)
  const scale = max > 0 ? 100 / max : 1;
  for (const [f, v] of kept) weights[f] = Math.round(v * scale * 10) / 10;
  log(`  kept ${kept.length} of ${avg.size} weights`);
  return {
    version: CUE_MODEL_VERSION,
    candidates,
    weights,
    bias: Math.round(bias * scale * 100) / 100,
    threshold: opts.threshold ?? 0,
    trainedOn: opts.trainedOn,
  };
}
