/**
 * Quotation-fidelity benchmark. Pure: no I/O, no Node
 * built-ins; `scripts/eval.ts` feeds it real texts (PolNeAR dev) and runs the real pipeline.
 *
 * `makeFidelityCases` takes the texts as primary sources and makes article-like quotations from
 * their sentences and their own quotations (the quote-marked spans), one perturbation each:
 *
 * | kind       | what                                                            | expected     |
 * |------------|-----------------------------------------------------------------|--------------|
 * | verbatim   | a whole sentence or quotation                                   | verbatim     |
 * | cropped    | a part of one (≥ 5 words), sometimes with its first letter's case, apostrophes, commas or dashes changed | verbatim |
 * | ellipsis   | 2–8 words left out, marked with `…`, `...` or `[…]`; or the start of a sentence `…` the end of the next | marked-edit |
 * | bracket    | 1–2 words replaced by a bracketed phrase (sometimes with an omission too), or `[W]e`-style | marked-edit |
 * | sub1, sub2 | one / two words replaced by other words, no mark                | altered      |
 * | insert     | one or two words inserted, no mark                              | altered      |
 * | delete     | one or two inner words left out, no mark                        | altered      |
 * | splice     | the start of one sentence joined to the end of another at least two sentences later, no mark | spliced |
 * | fabricated | a sentence of a held-out text sharing no 4 words in a row with a primary source or another fabrication | unmatched |
 *
 * `buildFidelityArticles` lays the quotations out as news paragraphs (`NAME said: “…”`) so that the
 * quotation finder has to find them; `scoreFidelity` gives accuracy per expected status, the
 * confusion matrix and the false-alarm rate (verbatim or marked-edit reported as altered or spliced).
 */
import { prng } from '../prng';
import type { QuoteStatus } from '../quotecheck/align';

export type Perturbation = 'verbatim' | 'cropped' | 'ellipsis' | 'bracket' | 'sub1' | 'sub2' | 'insert' | 'delete' | 'splice' | 'fabricated';

export const PERTURBATIONS: readonly Perturbation[] = ['verbatim', 'cropped', 'ellipsis', 'bracket', 'sub1', 'sub2', 'insert', 'delete', 'splice', 'fabricated'];

export const EXPECTED: Record<Perturbation, QuoteStatus> = {
  verbatim: 'verbatim',
  cropped: 'verbatim',
  ellipsis: 'marked-edit',
  bracket: 'marked-edit',
  sub1: 'altered',
  sub2: 'altered',
  insert: 'altered',
  delete: 'altered',
  splice: 'spliced',
  fabricated: 'unmatched',
};

export const STATUSES: readonly QuoteStatus[] = ['verbatim', 'marked-edit', 'altered', 'spliced', 'unmatched'];

export interface FidelityDoc {
  id: string;
  text: string;
  /** Quote-marked spans (marks included), as in polnear-dev.quotes.jsonl. */
  quotes?: { start: number; end: number }[];
}

export interface FidelityCase {
  kind: Perturbation;
  expected: QuoteStatus;
  /** The quotation's text, without its quotation marks. */
  text: string;
  /** The primary document it was made from. */
  doc: string;
  /** Made from one of the document's own quotations (rather than a sentence). */
  fromQuote: boolean;
}

export interface FidelityOptions {
  seed?: number;
  /** Cases per perturbation. */
  perKind?: number;
  /** Documents held out of the primary sources (fabrications come from them). */
  holdOut?: number;
}


const MARKS = /["“”„«»‹›[\]…]|\.\.|(^|[^\p{L}])['‘’]|['‘’]($|[^\p{L}])/u;

/** Sentences of a text (simple rules, enough for news prose). */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const p = para.replace(/\s+/g, ' ').trim();
    if (!p) continue;
    for (const s of p.split(/(?<=[.!?])\s+(?=[A-Z])/)) out.push(s.trim());
  }
  return out;
}

const WORDISH = /[\p{L}\p{N}]/u;

function wordCount(s: string): number {
  return s.split(' ').filter((t) => WORDISH.test(t)).length;
}

function key(w: string): string {
  return w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

/** Words in a row, normalised, for the fabrication filter. */
function grams(s: string, n: number): string[] {
  const ws = s.split(/[^\p{L}\p{N}']+/u).filter(Boolean).map((w) => w.toLowerCase());
  const out: string[] = [];
  for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(' '));
  return out;
}

const BRACKETS = ['[the president]', '[Trump]', '[Clinton]', '[the campaign]', '[they]', '[the party]', '[sic]', '[the senator]', '[that]', '[the administration]'];

export function makeFidelityCases(docs: readonly FidelityDoc[], options: FidelityOptions = {}): { cases: FidelityCase[]; primaries: FidelityDoc[] } {
  const rnd = prng(options.seed ?? 7);
  const perKind = options.perKind ?? 200;
  const holdOut = Math.min(options.holdOut ?? Math.max(1, Math.floor(docs.length / 5)), Math.max(0, docs.length - 1));
  const primaries = docs.slice(0, docs.length - holdOut);
  const heldOut = docs.slice(docs.length - holdOut);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

  // Bases: clean sentences (≥ 8 words) and the documents' own quotations (≥ 6 words), per document.
  interface Base {
    doc: string;
    text: string;
    fromQuote: boolean;
    /** Sentence index in the document (splices need distance). */
    at: number;
  }
  const bases: Base[] = [];
  const sentencesByDoc = new Map<string, string[]>();
  const vocab: string[] = [];
  for (const d of primaries) {
    const sents = sentencesOf(d.text).filter((s) => !MARKS.test(s) && !/[()]/.test(s));
    sentencesByDoc.set(d.id, sents);
    sents.forEach((s, i) => {
      if (wordCount(s) >= 8 && wordCount(s) <= 45) bases.push({ doc: d.id, text: s, fromQuote: false, at: i });
      for (const w of s.split(' ')) if (/^[a-z]{3,12}$/.test(w)) vocab.push(w);
    });
    for (const q of d.quotes ?? []) {
      const inner = d.text.slice(q.start, q.end).replace(/^[\s"“”„«»'‘’]+|[\s"“”„«»'‘’]+$/gu, '').replace(/\s+/g, ' ').trim();
      if (!inner || MARKS.test(inner) || /[()]/.test(inner)) continue;
      const n = wordCount(inner);
      if (n >= 6 && n <= 45) bases.push({ doc: d.id, text: inner, fromQuote: true, at: -1 });
    }
  }
  const primaryGrams = new Set<string>();
  for (const d of primaries) for (const g of grams(d.text, 4)) primaryGrams.add(g);
  // Fabrications share no 4 words in a row with a primary source or with each other (wire copy
  // repeated across held-out texts would otherwise make one confirm another).
  const fabricatedGrams = new Set<string>();
  const fabricationPool = new Map<string, string[]>();

  const otherWord = (orig: string): string => {
    for (;;) {
      const w = pick(vocab);
      if (key(w) !== key(orig)) return /^\p{Lu}/u.test(orig) ? w[0].toUpperCase() + w.slice(1) : w;
    }
  };
  /** Replaces the word core of a token, keeping its punctuation. */
  const swapCore = (token: string, word: string) => token.replace(/[\p{L}\p{N}'’]+(?:[-][\p{L}\p{N}'’]+)*/u, word);

  const cases: FidelityCase[] = [];
  // Every quotation once: the same words in two articles would confirm each other.
  const seen = new Set<string>();
  const add = (kind: Perturbation, text: string, b: { doc: string; fromQuote: boolean }) => {
    const k = grams(text, 1).join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    cases.push({ kind, expected: EXPECTED[kind], text, doc: b.doc, fromQuote: b.fromQuote });
    return true;
  };
  const wordy = (ts: string[], i: number) => WORDISH.test(ts[i]) && !/-/.test(ts[i]);

  for (const kind of PERTURBATIONS) {
    let made = 0;
    let tries = 0;
    while (made < perKind && tries++ < perKind * 50) {
      if (kind === 'fabricated') {
        const d = pick(heldOut.length ? heldOut : primaries);
        let pool = fabricationPool.get(d.id);
        if (!pool) fabricationPool.set(d.id, (pool = sentencesOf(d.text).filter((x) => !MARKS.test(x) && wordCount(x) >= 8 && wordCount(x) <= 45)));
        if (!pool.length) continue;
        const s = pick(pool);
        if (!s || grams(s, 4).some((g) => primaryGrams.has(g) || fabricatedGrams.has(g))) continue;
        if (add(kind, s, { doc: d.id, fromQuote: false })) {
          for (const g of grams(s, 4)) fabricatedGrams.add(g);
          made++;
        }
        continue;
      }
      const b = pick(bases);
      const ts = b.text.split(' ');
      const n = ts.length;
      let out: string | undefined;
      switch (kind) {
        case 'verbatim':
          out = b.text;
          break;
        case 'cropped': {
          const len = int(5, Math.max(5, n - 2));
          if (len >= n) break;
          const s = int(0, n - len);
          let t = ts.slice(s, s + len).join(' ').replace(/[,;:]$/, '');
          if (rnd() < 0.5) t = /^\p{Lu}/u.test(t) ? t[0].toLowerCase() + t.slice(1) : t[0].toUpperCase() + t.slice(1);
          // Typography a writer changes freely: apostrophes, commas, dashes.
          if (rnd() < 0.3) t = t.replace(/[’']/g, (m) => (m === '’' ? "'" : '’')).replace(/, /g, ' ').replace(/ — /g, ' -- ');
          out = t;
          break;
        }
        case 'ellipsis': {
          if (!b.fromQuote && rnd() < 0.3) {
            // Across sentences: the start of one, the end of the next.
            const next = sentencesByDoc.get(b.doc)![b.at + 1];
            if (!next || wordCount(next) < 6) break;
            const nx = next.split(' ');
            const a = ts.slice(0, int(4, Math.min(10, n - 2))).join(' ').replace(/[,;:.]$/, '');
            out = `${a} … ${nx.slice(nx.length - int(4, Math.min(10, nx.length - 2))).join(' ')}`;
            break;
          }
          if (n < 12) break;
          const omit = int(2, Math.min(8, n - 8));
          const s = int(4, n - 4 - omit);
          const mark = pick([' … ', ' ... ', ' […] ', '… ']);
          out = ts.slice(0, s).join(' ').replace(/[,;:]$/, '') + mark + ts.slice(s + omit).join(' ');
          out = out.replace(/\s+/g, ' ');
          break;
        }
        case 'bracket': {
          if (rnd() < 0.3 && /^\p{L}/u.test(ts[0])) {
            // [W]e: the first letter changed in brackets (here: its case).
            const t0 = ts[0];
            const c = t0[0] === t0[0].toUpperCase() ? t0[0].toLowerCase() : t0[0].toUpperCase();
            out = [`[${c}]${t0.slice(1)}`, ...ts.slice(1)].join(' ');
            break;
          }
          const len = int(1, 2);
          const s = int(0, n - len - 1);
          if (!ts.slice(s, s + len).every((_, k) => wordy(ts, s + k))) break;
          const trail = ts[s + len - 1].match(/[,;:.!?]+$/)?.[0] ?? '';
          out = [...ts.slice(0, s), pick(BRACKETS) + trail, ...ts.slice(s + len)].join(' ');
          if (rnd() < 0.2 && n >= 14 && s < n - 9) {
            // With an omission too.
            const o = out.split(' ');
            const at = int(s + 2, o.length - 6);
            out = [...o.slice(0, at), '...', ...o.slice(at + int(2, 3))].join(' ');
          }
          break;
        }
        case 'sub1':
        case 'sub2': {
          const k = kind === 'sub1' ? 1 : 2;
          const t = [...ts];
          const chosen = new Set<number>();
          while (chosen.size < k) {
            const i = int(0, n - 1);
            if (wordy(t, i)) chosen.add(i);
          }
          for (const i of chosen) t[i] = swapCore(t[i], otherWord(t[i].replace(/[^\p{L}\p{N}']/gu, '')));
          out = t.join(' ');
          break;
        }
        case 'insert': {
          const t = [...ts];
          const k = int(1, 2);
          for (let j = 0; j < k; j++) t.splice(int(1, t.length - 1), 0, otherWord('x'));
          out = t.join(' ');
          break;
        }
        case 'delete': {
          const t = [...ts];
          const k = int(1, 2);
          for (let j = 0; j < k; j++) {
            const i = int(1, t.length - 2);
            if (!wordy(t, i)) break;
            t.splice(i, 1);
          }
          if (t.length === n) break;
          out = t.join(' ');
          break;
        }
        case 'splice': {
          if (b.fromQuote) break;
          const sents = sentencesByDoc.get(b.doc)!;
          const later = sents.slice(b.at + 2).filter((s) => wordCount(s) >= 8);
          if (!later.length) break;
          const other = pick(later).split(' ');
          const a = ts.slice(0, int(4, Math.min(9, n - 3))).join(' ').replace(/[,;:.]$/, '');
          const c = other.slice(other.length - int(4, Math.min(9, other.length - 3))).join(' ');
          out = `${a} ${c}`;
          break;
        }
      }
      if (!out || out === b.text && kind !== 'verbatim' && kind !== 'cropped') continue;
      if (add(kind, out, b)) made++;
    }
  }
  // Shuffle so that articles mix kinds.
  for (let i = cases.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  return { cases, primaries };
}

const NAMES = ['Maria Keller', 'John Ortiz', 'Aisha Bello', 'Thomas Lindqvist', 'Elena Novak', 'David Mensah', 'Laura Fischer', 'Samuel Okafor'];

export interface FidelityArticle {
  path: string;
  text: string;
  /** The quotation of each case in the article: its index in `cases` and its span (marks included). */
  spans: { index: number; start: number; end: number }[];
}

/** News-like articles holding the quotations, `perArticle` each: `NAME said: “…”` paragraphs after a headline. */
export function buildFidelityArticles(cases: readonly FidelityCase[], perArticle = 12): FidelityArticle[] {
  const out: FidelityArticle[] = [];
  for (let a = 0; a * perArticle < cases.length; a++) {
    let text = `Report number ${a + 1}\n\nWASHINGTON — Officials spoke on Tuesday.\n\n`;
    const spans: FidelityArticle['spans'] = [];
    for (let i = a * perArticle; i < Math.min(cases.length, (a + 1) * perArticle); i++) {
      const name = NAMES[i % NAMES.length];
      const lead = `${name} said: `;
      const start = text.length + lead.length;
      const q = `“${cases[i].text}”`;
      text += `${lead}${q}\n\n`;
      spans.push({ index: i, start, end: start + q.length });
    }
    out.push({ path: `articles/report-${String(a + 1).padStart(3, '0')}.txt`, text, spans });
  }
  return out;
}

export interface FidelityScores {
  cases: number;
  /** Quotations the finder did not find (counted as wrong, predicted `null`). */
  notFound: number;
  accuracy: number;
  byStatus: Record<string, { cases: number; correct: number; accuracy: number }>;
  byKind: Record<string, { cases: number; correct: number; accuracy: number }>;
  /** expected → predicted → count (`missing`: the quotation was not found). */
  confusion: Record<string, Record<string, number>>;
  /** Verbatim or marked-edit quotations reported as altered or spliced. */
  falseAlarms: number;
  faithful: number;
  falseAlarmRate: number;
  /** A few wrong cases per expected status, for reading. */
  errors: { kind: Perturbation; expected: QuoteStatus; predicted: string; text: string }[];
}

export function scoreFidelity(cases: readonly FidelityCase[], predicted: readonly (QuoteStatus | null)[]): FidelityScores {
  const byStatus: FidelityScores['byStatus'] = {};
  const byKind: FidelityScores['byKind'] = {};
  const confusion: FidelityScores['confusion'] = {};
  for (const s of STATUSES) {
    byStatus[s] = { cases: 0, correct: 0, accuracy: 0 };
    confusion[s] = Object.fromEntries([...STATUSES, 'missing'].map((x) => [x, 0]));
  }
  let correct = 0;
  let notFound = 0;
  let falseAlarms = 0;
  let faithful = 0;
  const errors: FidelityScores['errors'] = [];
  cases.forEach((c, i) => {
    const p = predicted[i];
    const got = p ?? 'missing';
    if (p === null) notFound++;
    const ok = p === c.expected;
    if (ok) correct++;
    byStatus[c.expected].cases++;
    if (ok) byStatus[c.expected].correct++;
    const k = (byKind[c.kind] ??= { cases: 0, correct: 0, accuracy: 0 });
    k.cases++;
    if (ok) k.correct++;
    confusion[c.expected][got]++;
    if (c.expected === 'verbatim' || c.expected === 'marked-edit') {
      faithful++;
      if (p === 'altered' || p === 'spliced') falseAlarms++;
    }
    if (!ok && errors.filter((e) => e.expected === c.expected).length < 5) errors.push({ kind: c.kind, expected: c.expected, predicted: got, text: c.text });
  });
  for (const r of [...Object.values(byStatus), ...Object.values(byKind)]) r.accuracy = r.cases ? r.correct / r.cases : 0;
  return {
    cases: cases.length,
    notFound,
    accuracy: cases.length ? correct / cases.length : 0,
    byStatus,
    byKind,
    confusion,
    falseAlarms,
    faithful,
    falseAlarmRate: faithful ? falseAlarms / faithful : 0,
    errors,
  };
}

export function formatFidelityScores(s: FidelityScores, label = 'quotation fidelity'): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  const lines: string[] = [];
  lines.push(`${label}: ${s.cases} generated quotations, status accuracy ${pct(s.accuracy)}% (${s.notFound} not found by the quotation finder)`);
  lines.push(`  false alarms (verbatim or marked-edit reported altered or spliced): ${s.falseAlarms}/${s.faithful} = ${(200 * s.falseAlarmRate).toFixed(2)} per 200`);
  lines.push('  expected      cases  accuracy');
  for (const st of STATUSES) {
    const r = s.byStatus[st];
    lines.push(`  ${st.padEnd(12)} ${String(r.cases).padStart(6)}  ${pct(r.accuracy).padStart(7)}%`);
  }
  lines.push('  by perturbation: ' + Object.entries(s.byKind).map(([k, r]) => `${k} ${pct(r.accuracy)}%`).join(', '));
  const cols = [...STATUSES, 'missing'];
  lines.push('  confusion (rows expected, columns predicted):');
  lines.push('  ' + ''.padEnd(12) + cols.map((c) => c.slice(0, 11).padStart(12)).join(''));
  for (const st of STATUSES) lines.push('  ' + st.padEnd(12) + cols.map((c) => String(s.confusion[st][c]).padStart(12)).join(''));
  return lines.join('\n');
}

