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

/** A sentence or quotation of a primary source that the quotations are made from. */
interface Base {
  doc: string;
  text: string;
  fromQuote: boolean;
  /** Sentence index in the document (splices need distance). */
  at: number;
}

/** The seeded draws (in a fixed order: the same seed, the same cases) and what they draw from. */
interface Maker {
  rnd: () => number;
  pick: <T>(xs: readonly T[]) => T;
  int: (lo: number, hi: number) => number;
  bases: Base[];
  sentencesByDoc: Map<string, string[]>;
  /** Lower-case words of the primary sources, for substitutions and insertions. */
  vocab: string[];
}

export function makeFidelityCases(docs: readonly FidelityDoc[], options: FidelityOptions = {}): { cases: FidelityCase[]; primaries: FidelityDoc[] } {
  const rnd = prng(options.seed ?? 7);
  const perKind = options.perKind ?? 200;
  const holdOut = Math.min(options.holdOut ?? Math.max(1, Math.floor(docs.length / 5)), Math.max(0, docs.length - 1));
  const primaries = docs.slice(0, docs.length - holdOut);
  const heldOut = docs.slice(docs.length - holdOut);
  const m: Maker = {
    rnd,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)],
    int: (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1)),
    ...basesOf(primaries),
  };
  const fabrications = new Fabrications(primaries, heldOut.length ? heldOut : primaries);
  const cases = new CaseList();
  for (const kind of PERTURBATIONS) {
    let made = 0;
    let tries = 0;
    while (made < perKind && tries++ < perKind * 50) {
      if (kind === 'fabricated') {
        const f = fabrications.candidate(m);
        if (f && cases.add(kind, f.text, { doc: f.doc, fromQuote: false })) {
          fabrications.keep(f.text);
          made++;
        }
        continue;
      }
      const b = m.pick(m.bases);
      const out = perturb(kind, b, m);
      if (!out || out === b.text && kind !== 'verbatim' && kind !== 'cropped') continue;
      if (cases.add(kind, out, b)) made++;
    }
  }
  // Shuffle so that articles mix kinds.
  const list = cases.list;
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return { cases: list, primaries };
}

/** Bases: clean sentences (≥ 8 words) and the documents' own quotations (≥ 6 words), per document. */
function basesOf(primaries: readonly FidelityDoc[]): Pick<Maker, 'bases' | 'sentencesByDoc' | 'vocab'> {
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
  return { bases, sentencesByDoc, vocab };
}

/**
 * Fabrications: sentences of the held-out texts that share no 4 words in a row with a primary
 * source or with each other (wire copy repeated across held-out texts would otherwise make one
 * confirm another).
 */
class Fabrications {
  private readonly primaryGrams = new Set<string>();
  private readonly fabricatedGrams = new Set<string>();
  private readonly pools = new Map<string, string[]>();

  constructor(
    primaries: readonly FidelityDoc[],
    private readonly from: readonly FidelityDoc[],
  ) {
    for (const d of primaries) for (const g of grams(d.text, 4)) this.primaryGrams.add(g);
  }

  /** A sentence that may be used, or undefined (this try failed). */
  candidate(m: Maker): { doc: string; text: string } | undefined {
    const d = m.pick(this.from);
    let pool = this.pools.get(d.id);
    if (!pool) this.pools.set(d.id, (pool = sentencesOf(d.text).filter((x) => !MARKS.test(x) && wordCount(x) >= 8 && wordCount(x) <= 45)));
    if (!pool.length) return undefined;
    const s = m.pick(pool);
    if (!s || grams(s, 4).some((g) => this.primaryGrams.has(g) || this.fabricatedGrams.has(g))) return undefined;
    return { doc: d.id, text: s };
  }

  /** The sentence was used: later ones must not share its words. */
  keep(s: string): void {
    for (const g of grams(s, 4)) this.fabricatedGrams.add(g);
  }
}

/** The cases made so far; every quotation once (the same words in two articles would confirm each other). */
class CaseList {
  readonly list: FidelityCase[] = [];
  private readonly seen = new Set<string>();

  add(kind: Perturbation, text: string, b: { doc: string; fromQuote: boolean }): boolean {
    const k = grams(text, 1).join(' ');
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    this.list.push({ kind, expected: EXPECTED[kind], text, doc: b.doc, fromQuote: b.fromQuote });
    return true;
  }
}

/** The base with one perturbation of the kind (not fabricated), or undefined when this base cannot take it. */
function perturb(kind: Perturbation, b: Base, m: Maker): string | undefined {
  const ts = b.text.split(' ');
  switch (kind) {
    case 'verbatim':
      return b.text;
    case 'cropped':
      return cropped(ts, m);
    case 'ellipsis':
      return withEllipsis(b, ts, m);
    case 'bracket':
      return withBracket(ts, m);
    case 'sub1':
    case 'sub2':
      return substituted(ts, kind === 'sub1' ? 1 : 2, m);
    case 'insert':
      return inserted(ts, m);
    case 'delete':
      return deleted(ts, m);
    case 'splice':
      return spliced(b, ts, m);
  }
  return undefined;
}

function cropped(ts: string[], m: Maker): string | undefined {
  const n = ts.length;
  const len = m.int(5, Math.max(5, n - 2));
  if (len >= n) return undefined;
  const s = m.int(0, n - len);
  let t = ts.slice(s, s + len).join(' ').replace(/[,;:]$/, '');
  if (m.rnd() < 0.5) t = /^\p{Lu}/u.test(t) ? t[0].toLowerCase() + t.slice(1) : t[0].toUpperCase() + t.slice(1);
  // Typography a writer changes freely: apostrophes, commas, dashes.
  if (m.rnd() < 0.3) t = t.replace(/[’']/g, (x) => (x === '’' ? "'" : '’')).replace(/, /g, ' ').replace(/ — /g, ' -- ');
  return t;
}

function withEllipsis(b: Base, ts: string[], m: Maker): string | undefined {
  const n = ts.length;
  if (!b.fromQuote && m.rnd() < 0.3) {
    // Across sentences: the start of one, the end of the next.
    const next = m.sentencesByDoc.get(b.doc)![b.at + 1];
    if (!next || wordCount(next) < 6) return undefined;
    const nx = next.split(' ');
    const a = ts.slice(0, m.int(4, Math.min(10, n - 2))).join(' ').replace(/[,;:.]$/, '');
    return `${a} … ${nx.slice(nx.length - m.int(4, Math.min(10, nx.length - 2))).join(' ')}`;
  }
  if (n < 12) return undefined;
  const omit = m.int(2, Math.min(8, n - 8));
  const s = m.int(4, n - 4 - omit);
  const mark = m.pick([' … ', ' ... ', ' […] ', '… ']);
  const out = ts.slice(0, s).join(' ').replace(/[,;:]$/, '') + mark + ts.slice(s + omit).join(' ');
  return out.replace(/\s+/g, ' ');
}

function withBracket(ts: string[], m: Maker): string | undefined {
  const n = ts.length;
  if (m.rnd() < 0.3 && /^\p{L}/u.test(ts[0])) {
    // [W]e: the first letter changed in brackets (here: its case).
    const t0 = ts[0];
    const c = t0[0] === t0[0].toUpperCase() ? t0[0].toLowerCase() : t0[0].toUpperCase();
    return [`[${c}]${t0.slice(1)}`, ...ts.slice(1)].join(' ');
  }
  const len = m.int(1, 2);
  const s = m.int(0, n - len - 1);
  if (!ts.slice(s, s + len).every((_, k) => wordy(ts, s + k))) return undefined;
  const trail = ts[s + len - 1].match(/[,;:.!?]+$/)?.[0] ?? '';
  let out = [...ts.slice(0, s), m.pick(BRACKETS) + trail, ...ts.slice(s + len)].join(' ');
  if (m.rnd() < 0.2 && n >= 14 && s < n - 9) {
    // With an omission too.
    const o = out.split(' ');
    const at = m.int(s + 2, o.length - 6);
    out = [...o.slice(0, at), '...', ...o.slice(at + m.int(2, 3))].join(' ');
  }
  return out;
}

function substituted(ts: string[], k: number, m: Maker): string {
  const n = ts.length;
  const t = [...ts];
  const chosen = new Set<number>();
  while (chosen.size < k) {
    const i = m.int(0, n - 1);
    if (wordy(t, i)) chosen.add(i);
  }
  for (const i of chosen) t[i] = swapCore(t[i], otherWord(t[i].replace(/[^\p{L}\p{N}']/gu, ''), m));
  return t.join(' ');
}

function inserted(ts: string[], m: Maker): string {
  const t = [...ts];
  const k = m.int(1, 2);
  for (let j = 0; j < k; j++) t.splice(m.int(1, t.length - 1), 0, otherWord('x', m));
  return t.join(' ');
}

function deleted(ts: string[], m: Maker): string | undefined {
  const t = [...ts];
  const k = m.int(1, 2);
  for (let j = 0; j < k; j++) {
    const i = m.int(1, t.length - 2);
    if (!wordy(t, i)) break;
    t.splice(i, 1);
  }
  if (t.length === ts.length) return undefined;
  return t.join(' ');
}

function spliced(b: Base, ts: string[], m: Maker): string | undefined {
  if (b.fromQuote) return undefined;
  const n = ts.length;
  const sents = m.sentencesByDoc.get(b.doc)!;
  const later = sents.slice(b.at + 2).filter((s) => wordCount(s) >= 8);
  if (!later.length) return undefined;
  const other = m.pick(later).split(' ');
  const a = ts.slice(0, m.int(4, Math.min(9, n - 3))).join(' ').replace(/[,;:.]$/, '');
  const c = other.slice(other.length - m.int(4, Math.min(9, other.length - 3))).join(' ');
  return `${a} ${c}`;
}

/** A word of the vocabulary other than `orig`, capitalised like it. */
function otherWord(orig: string, m: Maker): string {
  for (;;) {
    const w = m.pick(m.vocab);
    if (key(w) !== key(orig)) return /^\p{Lu}/u.test(orig) ? w[0].toUpperCase() + w.slice(1) : w;
  }
}

/** Replaces the word core of a token, keeping its punctuation. */
function swapCore(token: string, word: string): string {
  return token.replace(/[\p{L}\p{N}'’]+(?:[-][\p{L}\p{N}'’]+)*/u, word);
}

function wordy(ts: string[], i: number): boolean {
  return WORDISH.test(ts[i]) && !/-/.test(ts[i]);
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

