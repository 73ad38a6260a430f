/**
 * Bench corpus: varied news text.
 *
 * On our machines `../shared/data/*.jsonl` exists (PolNeAR dev: 2016 US election news in
 * paragraphs; CoNLL-2003 dev: Reuters 1996) and the bench reads the texts from there (only read,
 * never copied into the project). Elsewhere (a fresh clone) it generates news-like text from the
 * built-in word and name lists below with a seeded PRNG, so every run measures the same input.
 * Override the folder with MARGINALIA_BENCH_DATA=<dir>, or force generation with `--generated`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countTokens, prng } from './stats';

export interface Doc {
  id: string;
  text: string;
  tokens: number;
}

export interface Corpus {
  /** Where the texts came from (shown in the report). */
  origin: string;
  docs: Doc[];
  tokens: number;
  chars: number;
}

const DATA_FILES = ['polnear-dev.jsonl', 'conll2003-dev.jsonl'];

export function loadCorpus(root: string, forceGenerated = false): Corpus {
  const dir = process.env.MARGINALIA_BENCH_DATA ?? resolve(root, '..', 'shared', 'data');
  const files = DATA_FILES.map((f) => join(dir, f)).filter((f) => existsSync(f));
  if (!forceGenerated && files.length > 0) {
    const docs: Doc[] = [];
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const rec = JSON.parse(line) as { id?: string; text?: unknown };
        if (typeof rec.text !== 'string' || !rec.text.trim()) continue;
        docs.push({ id: rec.id ?? `${file}#${docs.length}`, text: rec.text, tokens: countTokens(rec.text) });
      }
    }
    return finish(`${files.map((f) => f.replace(/^.*[\\/]/, '')).join(' + ')} (${dir})`, interleave(docs));
  }
  return finish('generated news-like text (built-in word lists, seed 9)', generateDocs(300, 9));
}

function finish(origin: string, docs: Doc[]): Corpus {
  let tokens = 0;
  let chars = 0;
  for (const d of docs) {
    tokens += d.tokens;
    chars += d.text.length;
  }
  return { origin, docs, tokens, chars };
}

/** Alternate the corpora's documents (deterministic shuffle) so any prefix is varied. */
function interleave(docs: Doc[]): Doc[] {
  const rnd = prng(2023);
  const out = [...docs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The first documents of the corpus totalling at least `tokens` tokens. */
export function subset(corpus: Corpus, tokens: number): Corpus {
  const docs: Doc[] = [];
  let n = 0;
  for (const d of corpus.docs) {
    if (n >= tokens) break;
    docs.push(d);
    n += d.tokens;
  }
  return finish(corpus.origin, docs);
}

/**
 * A source of at least `chars` UTF-16 code units: corpus documents joined by blank lines (their
 * own paragraphs kept), cycling with a numbered heading when the corpus is smaller. Cut at a
 * paragraph boundary just past `chars`.
 */
export function buildSource(corpus: Corpus, chars: number): string {
  const parts: string[] = [];
  let len = 0;
  for (let round = 0; len < chars; round++) {
    for (const d of corpus.docs) {
      const piece = round === 0 ? d.text.trim() : `Part ${round + 1}.\n\n${d.text.trim()}`;
      parts.push(piece);
      len += piece.length + 2;
      if (len >= chars) break;
    }
  }
  return parts.join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Generated fallback corpus

const FIRST = ['Sergei', 'Ebrahim', 'Maria', 'John', 'Angela', 'Olaf', 'Fatima', 'Chen', 'Yuki', 'Carlos', 'Amina', 'Pierre', 'Hillary', 'Donald', 'Joe', 'Priya', 'Ahmed', 'Elena', 'Lars', 'Kwame', 'Sofia', 'Rahul', 'Ingrid', 'Tomás', 'Leila', 'Dmitri', 'Grace', 'Omar', 'Hannah', 'Mateo'];
const LAST = ['Lavrov', 'Raisi', 'Schmidt', 'Okafor', 'Tanaka', 'García', 'Dubois', 'Khan', 'Novak', 'Andersen', 'Mensah', 'Rossi', 'Kowalski', 'Haddad', 'Ivanova', 'Clinton', 'Trump', 'Biden', 'Sharma', 'Petrov', 'Lindqvist', 'Nakamura', 'Silva', 'Abbas', 'Moreau', 'Fischer', 'Osei', 'Romero', 'Yilmaz', 'Walsh'];
const ROLES = ['Foreign Minister', 'President', 'Prime Minister', 'spokesman', 'Finance Minister', 'senator', 'chief executive', 'ambassador', 'Defence Minister', 'central bank governor', 'governor', 'mayor', 'party leader', 'analyst'];
const ORGS = ['the United Nations', 'the UN Security Council', 'NATO', 'the European Union', 'the World Bank', 'the International Monetary Fund', 'Reuters', 'the Red Cross', 'Gazprom', 'the Federal Reserve', 'the African Union', 'OPEC', 'the Foreign Ministry', 'the Supreme Court', 'Amnesty International', 'the World Health Organization', 'Siemens', 'Toyota', 'the State Department', 'Hamas'];
const PLACES = ['Tehran', 'Moscow', 'Gaza', 'Washington', 'Berlin', 'Beijing', 'Tokyo', 'Paris', 'London', 'Nairobi', 'Cairo', 'Brussels', 'Ankara', 'Kyiv', 'Brasília', 'New Delhi', 'Lagos', 'Madrid', 'Ottawa', 'Jakarta', 'Syria', 'Iran', 'Russia', 'Germany', 'Kenya', 'Mexico', 'Canada', 'Israel', 'Egypt', 'Ukraine'];
const GROUPS = ['Russian', 'Iranian', 'Palestinian', 'German', 'Chinese', 'American', 'Kenyan', 'French', 'Brazilian', 'Turkish', 'Israeli', 'Egyptian', 'Republicans', 'Democrats', 'Palestinians'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const NOUNS = ['talks', 'agreement', 'sanctions', 'crisis', 'election', 'economy', 'budget', 'ceasefire', 'border', 'pipeline', 'negotiations', 'inflation', 'reform', 'investigation', 'trade deal', 'aid convoy', 'summit', 'vote', 'proposal', 'security situation', 'energy prices', 'corridor', 'report', 'campaign', 'statement', 'delegation', 'partnership', 'protests', 'court ruling', 'exports'];
const ADJ = ['dire', 'bilateral', 'regional', 'new', 'long-awaited', 'controversial', 'urgent', 'economic', 'humanitarian', 'political', 'strategic', 'fragile', 'unprecedented', 'modest', 'sweeping', 'collective'];
const VERBS = ['discussed', 'rejected', 'welcomed', 'criticised', 'announced', 'postponed', 'signed', 'condemned', 'backed', 'questioned', 'proposed', 'approved', 'delayed', 'defended', 'reviewed'];
const SAY = ['said', 'told reporters', 'said in a statement', 'added', 'wrote on social media', 'told Reuters', 'said on Tuesday', 'according to a transcript'];
const FILL = ['The', 'officials', 'said', 'that', 'the', 'would', 'not', 'be', 'enough', 'to', 'end', 'months', 'of', 'uncertainty', 'and', 'that', 'further', 'steps', 'were', 'needed', 'in', 'coming', 'weeks', 'as', 'pressure', 'mounted', 'on', 'all', 'sides', 'while', 'markets', 'remained', 'cautious', 'after', 'a', 'week', 'of', 'losses'];

/**
 * `count` generated news-like articles of about `chars` characters each (several generated
 * dispatches under one headline), named article-0001.txt…: the "thousand sources" workspace.
 */
export function generateArticles(count: number, chars: number, seed: number): Array<{ name: string; text: string }> {
  const pool = generateDocs(Math.max(60, Math.ceil(count / 4)), seed);
  const rnd = prng(seed + 1);
  const out: Array<{ name: string; text: string }> = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    let len = 0;
    while (len < chars) {
      const d = pool[Math.floor(rnd() * pool.length)].text;
      const body = parts.length === 0 ? d : d.split('\n\n').slice(2).join('\n\n');
      parts.push(body);
      len += body.length + 2;
    }
    out.push({ name: `article-${String(i + 1).padStart(4, '0')}.txt`, text: parts.join('\n\n') + '\n' });
  }
  return out;
}

function generateDocs(count: number, seed: number): Doc[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const person = (): string => `${pick(FIRST)} ${pick(LAST)}`;
  const num = (): string => {
    const r = rnd();
    if (r < 0.3) return `${Math.floor(rnd() * 900 + 10)}`;
    if (r < 0.55) return `${Math.floor(rnd() * 90 + 1)},${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`;
    if (r < 0.75) return `$${(rnd() * 50).toFixed(1)} billion`;
    return `${(rnd() * 20).toFixed(1)} percent`;
  };
  const date = (): string => (rnd() < 0.5 ? `${Math.floor(rnd() * 28) + 1} ${pick(MONTHS)}` : `on ${pick(DAYS)}`);
  const filler = (n: number): string => Array.from({ length: n }, () => pick(FILL)).join(' ');
  const sentence = (): string => {
    const r = rnd();
    const p = person();
    if (r < 0.2) return `${pick(GROUPS)} ${pick(ROLES)} ${p} ${pick(VERBS)} the ${pick(ADJ)} ${pick(NOUNS)} in ${pick(PLACES)} ${date()}.`;
    if (r < 0.4) return `“${capitalise(pick(ADJ))} ${pick(NOUNS)} cannot wait, and ${filler(6)},” ${p.split(' ')[1]} ${pick(SAY)}.`;
    if (r < 0.55) return `${capitalise(pick(ORGS))} ${pick(VERBS)} the ${pick(NOUNS)} after ${num()} people ${filler(5)} in ${pick(PLACES)}.`;
    if (r < 0.7) return `${p}, the ${pick(ROLES)} of ${pick(PLACES)}, ${pick(SAY)} the ${pick(NOUNS)} was “${pick(ADJ)}” and ${filler(7)}.`;
    if (r < 0.85) return `Talks between ${pick(PLACES)} and ${pick(PLACES)} on the ${pick(NOUNS)} ${pick(['resumed', 'stalled', 'ended'])} ${date()}, with ${num()} at stake, ${filler(4)}.`;
    return `${capitalise(filler(8))} ${pick(ORGS)} ${filler(5)}.`;
  };
  const docs: Doc[] = [];
  for (let d = 0; d < count; d++) {
    const paras: string[] = [`${pick(GROUPS)} ${pick(ROLES)} ${pick(VERBS)} ${pick(NOUNS)} in ${pick(PLACES)}`];
    paras.push(`${pick(PLACES).toUpperCase()}, ${pick(MONTHS)} ${Math.floor(rnd() * 28) + 1} —`);
    const n = 4 + Math.floor(rnd() * 10);
    for (let i = 0; i < n; i++) {
      const k = 1 + Math.floor(rnd() * 4);
      paras.push(Array.from({ length: k }, sentence).join(' '));
    }
    const text = paras.join('\n\n');
    docs.push({ id: `generated-${d}`, text, tokens: countTokens(text) });
  }
  return docs;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
