/**
 * The workspace index of quotations and primary sources.
 *
 * `QuoteIndex` holds, per source path, its text, whether it is a primary source, and its quotations
 * (from `analyzeSource`). Primary sources are indexed whole; in other sources only the words inside
 * their quotations are indexed (that is "the same quotation in other articles"). Candidates come
 * from hashed word 3-grams → postings (`Postings`), never from a scan of the corpus, and an edit is
 * `setSource` again: the source's old postings are retired and its new ones added.
 *
 * `check(path)` gives every quotation of a source with its status (see `align.ts` for the rules),
 * its matched locations and the word diff, measured against the primary sources — or, when none
 * matches, against the same quotation in other sources. The editor keeps one index per workspace,
 * calls `setSource` on open/edit/save/delete (`removeSource`), and re-runs `check` for the visible
 * source when `version` changed.
 */
import type { Quote, Span } from '../types';
import { align, type AlignDoc, type AlignQuote, type Alignment, type QuoteStatus } from './align';
import { blocksOf, renderDiff } from './blocks';
import { Postings } from './postings';
import { countWords, parseQuotation, type QuoteItem } from './quotation';
import { identifySpeakers } from './speakers';
import { Vocabulary, trigramKey, words as wordsOf } from './words';

export type { QuoteStatus } from './align';

/** One operation of the word diff from the matched passage to the quotation. */
export interface DiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
  /** A marked edit: an omission at an ellipsis, or a change in square brackets. */
  mark?: 'ellipsis' | 'bracket';
}

export interface QuoteMatch {
  /** The source the passage is in. */
  path: string;
  /** The matched passage in that source (UTF-16 offsets into its normalised text), from its first to its last matched word. */
  start: number;
  end: number;
  status: QuoteStatus;
  /** A primary source, or another source's quotation. */
  against: 'primary' | 'other';
  /** The contiguous parts of the passage the quotation uses, in quotation order (more than one: ellipses or a splice). */
  parts: Span[];
  diff: DiffOp[];
  /** Quotation words found, of those compared. */
  matched: number;
  words: number;
}

export interface QuoteCheck {
  path: string;
  /** The quotation (marks included), as in `Quote`. */
  start: number;
  end: number;
  text: string;
  speaker: { name: string; canonical: string } | null;
  status: QuoteStatus;
  /** What the status was measured against: a primary source, other sources' quotations, or nothing. */
  against: 'primary' | 'other' | null;
  /** Too few words to check (1–2 words; 3 words count only when found verbatim). */
  short: boolean;
  /** Best first. */
  matches: QuoteMatch[];
  /** When the status comes from a primary source: the same quotation in other sources (each with its status against that quotation). */
  elsewhere: QuoteMatch[];
}

export interface SourceInput {
  text: string;
  primary: boolean;
  /** The source's quotations (from `analyzeSource`); ignored for primary sources' checking but indexed for others. */
  quotes?: readonly Quote[];
}

export interface QuoteRef {
  path: string;
  quote: Quote;
}

export interface SpeakerGroup {
  /** The canonical name (the longest form seen). */
  name: string;
  /** The names as the sources give them. */
  aliases: string[];
  quotes: QuoteRef[];
}

export interface IndexStats {
  sources: number;
  primary: number;
  quotes: number;
  postings: number;
  deadPostings: number;
  vocabulary: number;
}

interface Doc extends AlignDoc {
  path: string;
  primary: boolean;
  /** For a quotation passage: its quote's span (so that a quotation never matches itself). */
  quote?: Span;
}

interface SourceEntry {
  text: string;
  primary: boolean;
  quotes: Quote[];
  slots: number[];
  postings: number;
}

/** Quotations shorter than this are not checked (scare quotes: "unmatched", short). */
export const MIN_WORDS = 3;
/** A quotation of at most this many words counts only when found verbatim. */
export const SHORT_WORDS = 3;
/** A 3-gram with more postings than this is too common to vote (e.g. "one of the"). */
const MAX_POSTINGS_PER_KEY = 64;
const MAX_CANDIDATES = 4;

export class QuoteIndex {
  private readonly vocab = new Vocabulary();
  private readonly primaryPostings = new Postings(1 << 14);
  private readonly otherPostings = new Postings(1 << 12);
  private docs: (Doc | undefined)[] = [];
  private alive = new Uint8Array(64);
  private readonly free: number[] = [];
  private readonly sources = new Map<string, SourceEntry>();
  private hitBuffer = new Int32Array(3 * 1024);
  private voteOf = new Int32Array(64);
  private speakerCache: { version: number; map: Map<string, string> } | undefined;
  /** Incremented by every change: results computed at an older version may be stale. */
  version = 0;

  /** Adds or replaces a source (an edit is a replacement: the old postings are retired, the new ones added). */
  setSource(path: string, input: SourceInput): void {
    this.removeSource(path);
    // Reported speech (kind `indirect`) paraphrases: only words in quotation marks are checked.
    const quotes = (input.quotes ?? []).filter((q) => q.kind !== 'indirect');
    const entry: SourceEntry = { text: input.text, primary: input.primary, quotes, slots: [], postings: 0 };
    if (input.primary) {
      const w = wordsOf(input.text);
      entry.postings += this.addDoc(entry, { path, primary: true, open: false, ids: this.idsOf(w.norm), starts: Int32Array.from(w.starts), ends: Int32Array.from(w.ends) });
    } else {
      for (const q of entry.quotes) {
        const w = wordsOf(input.text, q.start, q.end);
        if (w.norm.length < MIN_WORDS) continue;
        entry.postings += this.addDoc(entry, { path, primary: false, open: true, quote: { start: q.start, end: q.end }, ids: this.idsOf(w.norm), starts: Int32Array.from(w.starts), ends: Int32Array.from(w.ends) });
      }
    }
    this.sources.set(path, entry);
    this.version++;
  }

  /** Forgets a source (deleted, closed outside the workspace, no longer a source). */
  removeSource(path: string): void {
    const e = this.sources.get(path);
    if (!e) return;
    let primaryRetired = 0;
    let otherRetired = 0;
    for (const s of e.slots) {
      const d = this.docs[s]!;
      const n = Math.max(0, d.ids.length - 2);
      if (d.primary) primaryRetired += n;
      else otherRetired += n;
      this.alive[s] = 0;
      this.docs[s] = undefined;
      this.free.push(s);
    }
    this.sources.delete(path);
    const isAlive = (s: number) => this.alive[s] === 1;
    // Slots are reused only after compaction could have dropped their old postings: keep them dead until then.
    if (primaryRetired) this.primaryPostings.retire(primaryRetired, isAlive);
    if (otherRetired) this.otherPostings.retire(otherRetired, isAlive);
    this.version++;
  }

  hasSource(path: string): boolean {
    return this.sources.has(path);
  }

  isPrimary(path: string): boolean {
    return this.sources.get(path)?.primary === true;
  }

  textOf(path: string): string | undefined {
    return this.sources.get(path)?.text;
  }

  paths(): string[] {
    return [...this.sources.keys()];
  }

  stats(): IndexStats {
    let primary = 0;
    let quotes = 0;
    for (const e of this.sources.values()) {
      if (e.primary) primary++;
      else quotes += e.quotes.length;
    }
    return {
      sources: this.sources.size,
      primary,
      quotes,
      postings: this.primaryPostings.size + this.otherPostings.size,
      deadPostings: this.primaryPostings.dead + this.otherPostings.dead,
      vocabulary: this.vocab.size,
    };
  }

  /** Every quotation of the source at `path` with its status (none for a primary source: it is the record). */
  check(path: string): QuoteCheck[] {
    const e = this.sources.get(path);
    if (!e || e.primary) return [];
    const speakers = this.speakerMap();
    return e.quotes.map((q) => {
      const r = this.checkSpan(e.text, q.start, q.end, path);
      const name = q.speaker?.name;
      return { path, ...r, speaker: name ? { name, canonical: speakers.get(name) ?? name } : null };
    });
  }

  /** Every quotation of every non-primary source, by path. */
  checkAll(): QuoteCheck[] {
    const out: QuoteCheck[] = [];
    for (const p of [...this.sources.keys()].sort()) for (const c of this.check(p)) out.push(c);
    return out;
  }

  /**
   * Checks any span of text as a quotation (`start`/`end` may include the quotation marks). Other
   * sources' quotations in `excludePath` are not compared (a quotation never confirms itself).
   */
  checkSpan(text: string, start: number, end: number, excludePath?: string): Omit<QuoteCheck, 'path' | 'speaker'> {
    const items = parseQuotation(text, start, end);
    const base = { start, end, text: text.slice(start, end) };
    const n = countWords(items);
    if (n < MIN_WORDS) return { ...base, status: 'unmatched', against: null, short: true, matches: [], elsewhere: [] };
    const q = this.alignQuote(items);
    const short = n <= SHORT_WORDS;
    const keep = (ms: QuoteMatch[]) => (short ? ms.filter((m) => m.status === 'verbatim') : ms);
    const primary = keep(this.matchesIn(q, true, text, excludePath));
    const other = this.otherPostings.size > 0 ? keep(this.matchesIn(q, false, text, excludePath)) : [];
    if (primary.length) return { ...base, status: primary[0].status, against: 'primary', short, matches: primary, elsewhere: other };
    if (other.length) return { ...base, status: other[0].status, against: 'other', short, matches: other, elsewhere: [] };
    return { ...base, status: 'unmatched', against: null, short, matches: [], elsewhere: [] };
  }

  /** The quotations of the workspace by speaker, speakers identified across sources (see `identifySpeakers`). */
  bySpeaker(): SpeakerGroup[] {
    const map = this.speakerMap();
    const groups = new Map<string, SpeakerGroup>();
    for (const [path, e] of [...this.sources].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      for (const quote of e.quotes) {
        const name = quote.speaker?.name;
        if (!name) continue;
        const canonical = map.get(name) ?? name;
        let g = groups.get(canonical);
        if (!g) groups.set(canonical, (g = { name: canonical, aliases: [], quotes: [] }));
        if (!g.aliases.includes(name)) g.aliases.push(name);
        g.quotes.push({ path, quote });
      }
    }
    return [...groups.values()].sort((a, b) => b.quotes.length - a.quotes.length || (a.name < b.name ? -1 : 1));
  }

  /** The canonical name of every speaker name in the index. */
  speakerMap(): Map<string, string> {
    if (this.speakerCache?.version === this.version) return this.speakerCache.map;
    const names: string[] = [];
    for (const e of this.sources.values()) for (const q of e.quotes) if (q.speaker?.name) names.push(q.speaker.name);
    const map = identifySpeakers(names);
    this.speakerCache = { version: this.version, map };
    return map;
  }

  // ---------------------------------------------------------------------------------------------

  private idsOf(norm: string[]): Int32Array {
    const ids = new Int32Array(norm.length);
    for (let i = 0; i < norm.length; i++) ids[i] = this.vocab.id(norm[i]);
    return ids;
  }

  private addDoc(entry: SourceEntry, doc: Doc): number {
    const slot = this.free.length && this.freeReusable() ? this.free.pop()! : this.docs.length;
    if (slot === this.docs.length) this.docs.push(doc);
    else this.docs[slot] = doc;
    if (slot >= this.alive.length) {
      const a = new Uint8Array(Math.max(this.alive.length * 2, slot + 1));
      a.set(this.alive);
      this.alive = a;
    }
    this.alive[slot] = 1;
    entry.slots.push(slot);
    const p = doc.primary ? this.primaryPostings : this.otherPostings;
    const ids = doc.ids;
    for (let i = 0; i + 2 < ids.length; i++) p.add(trigramKey(ids[i], ids[i + 1], ids[i + 2]), slot, i);
    return Math.max(0, ids.length - 2);
  }

  /** A freed slot may be reused only when no dead posting can still name it. */
  private freeReusable(): boolean {
    return this.primaryPostings.dead === 0 && this.otherPostings.dead === 0;
  }

  private alignQuote(items: QuoteItem[]): AlignQuote {
    const n = countWords(items);
    const ids = new Int32Array(n);
    const itemOf = new Int32Array(n);
    let k = 0;
    items.forEach((it, i) => {
      if (it.kind !== 'word') return;
      ids[k] = this.vocab.lookup(it.norm);
      itemOf[k] = i;
      k++;
    });
    return { items, ids, itemOf };
  }

  private matchesIn(q: AlignQuote, primary: boolean, quoteText: string, excludePath: string | undefined): QuoteMatch[] {
    const { len, touched } = this.collectHits(q, primary, excludePath);
    const { chosen, votesOf, top } = this.chooseCandidates(touched, primary);
    if (chosen.size === 0) return [];
    const buf = this.hitBuffer;
    for (let i = 0; i < len; i += 3) chosen.get(buf[i])?.push(buf[i + 1], buf[i + 2]);
    return this.alignCandidates(q, chosen, votesOf, top, quoteText);
  }

  /**
   * Hits: (slot, quotation word, passage word) triples starting an equal 3-gram, in a reused buffer
   * (`hitBuffer`, `len` entries); votes: distinct quotation 3-grams per slot (`voteOf`, for the
   * `touched` slots). A 3-gram with more than MAX_POSTINGS_PER_KEY postings does not vote (blocks
   * still grow over it from the rarer 3-grams around it).
   */
  private collectHits(q: AlignQuote, primary: boolean, excludePath: string | undefined): { len: number; touched: number[] } {
    const postings = primary ? this.primaryPostings : this.otherPostings;
    const n = q.ids.length;
    let buf = this.hitBuffer;
    let len = 0;
    if (this.voteOf.length < this.docs.length) {
      this.voteOf = new Int32Array(Math.max(this.docs.length, this.voteOf.length * 2));
    }
    const voteOf = this.voteOf;
    const touched: number[] = [];
    // Quotations in the quotation's own source never count.
    const skipOwn = !primary && excludePath !== undefined && this.sources.has(excludePath);
    for (let k = 0; k + 2 < n; k++) {
      if (q.itemOf[k + 2] - q.itemOf[k] !== 2) continue; // a mark lies between
      const a = q.ids[k];
      const b = q.ids[k + 1];
      const c = q.ids[k + 2];
      if (a < 0 || b < 0 || c < 0) continue;
      const key = trigramKey(a, b, c);
      const from = len;
      let lastSlot = -1;
      let seen = 0;
      for (let e = postings.firstEntry(key); e >= 0; e = postings.nextEntry(e)) {
        if (postings.keyAt(e) !== key) continue;
        const slot = postings.slotAt(e);
        if (!this.alive[slot]) continue;
        if (++seen > MAX_POSTINGS_PER_KEY) break;
        if (skipOwn && this.docs[slot]!.path === excludePath) continue;
        const pos = postings.posAt(e);
        // Not verified here (a 32-bit key rarely collides): `blocksOf` checks the words of the chosen passages.
        if (len + 3 > buf.length) {
          const nb = new Int32Array(buf.length * 2);
          nb.set(buf);
          buf = this.hitBuffer = nb;
        }
        buf[len++] = slot;
        buf[len++] = k;
        buf[len++] = pos;
        if (slot !== lastSlot) {
          if (voteOf[slot]++ === 0) touched.push(slot);
          lastSlot = slot;
        }
      }
      if (seen > MAX_POSTINGS_PER_KEY) len = this.takeBackVotes(from, len);
    }
    return { len, touched };
  }

  /** A 3-gram too common to vote: its hits `hitBuffer[from, len)` are dropped and their votes taken back; returns the new length. */
  private takeBackVotes(from: number, len: number): number {
    const buf = this.hitBuffer;
    let prev = -1;
    for (let i = from; i < len; i += 3) {
      if (buf[i] === prev) continue;
      prev = buf[i];
      this.voteOf[prev]--;
    }
    return from;
  }

  /**
   * The passages worth aligning: those with at least half the top vote, best first, at most
   * MAX_CANDIDATES (twice that among other sources' quotations), each with an empty hit list.
   * Clears the votes.
   */
  private chooseCandidates(touched: readonly number[], primary: boolean): { chosen: Map<number, number[]>; votesOf: Map<number, number>; top: number } {
    const voteOf = this.voteOf;
    let top = 0;
    for (const s of touched) if (voteOf[s] > top) top = voteOf[s];
    const limit = primary ? MAX_CANDIDATES : MAX_CANDIDATES * 2;
    const ranked: number[] = [];
    if (top > 0) for (const s of touched) if (voteOf[s] * 2 >= top) ranked.push(s);
    ranked.sort((x, y) => voteOf[y] - voteOf[x] || x - y);
    const chosen = new Map<number, number[]>();
    for (const s of ranked.slice(0, limit)) chosen.set(s, []);
    const votesOf = new Map<number, number>();
    for (const s of chosen.keys()) votesOf.set(s, voteOf[s]);
    for (const s of touched) voteOf[s] = 0;
    return { chosen, votesOf, top };
  }

  /** The quotation aligned with each chosen passage (given its hits), matched ones best first. */
  private alignCandidates(q: AlignQuote, chosen: Map<number, number[]>, votesOf: Map<number, number>, top: number, quoteText: string): QuoteMatch[] {
    const out: { m: QuoteMatch; a: Alignment }[] = [];
    let exact = false;
    for (const [slot, hits] of chosen) {
      // Once a passage holds the quotation verbatim, only candidates as strong as the best are worth aligning.
      if (exact && votesOf.get(slot)! * 5 < top * 4) continue;
      const doc = this.docs[slot]!;
      const a = align(q, doc, blocksOf(q, doc, hits));
      if (!a || a.status === 'unmatched') continue;
      if (a.status === 'verbatim' && a.matched === a.words) exact = true;
      out.push({ a, m: this.toMatch(a, doc, quoteText) });
    }
    out.sort((x, y) => y.a.matched - x.a.matched || rank(x.a.status) - rank(y.a.status) || x.a.unmarked - y.a.unmarked);
    return out.map((x) => x.m);
  }

  private toMatch(a: Alignment, doc: Doc, quoteText: string): QuoteMatch {
    const src = this.sources.get(doc.path)!.text;
    let s0 = Infinity;
    let s1 = -Infinity;
    for (const p of a.parts) {
      if (p.s1 <= p.s0) continue;
      s0 = Math.min(s0, p.s0);
      s1 = Math.max(s1, p.s1);
    }
    const parts = a.parts.filter((p) => p.s1 > p.s0).map((p) => ({ start: doc.starts[p.s0], end: doc.ends[p.s1 - 1] }));
    return {
      path: doc.path,
      start: Number.isFinite(s0) ? doc.starts[s0] : 0,
      end: Number.isFinite(s1) ? doc.ends[s1 - 1] : 0,
      status: a.status,
      against: doc.primary ? 'primary' : 'other',
      parts,
      diff: renderDiff(a.ops, quoteText, src),
      matched: a.matched,
      words: a.words,
    };
  }
}

function rank(s: QuoteStatus): number {
  // Best first among matched statuses.
  return ['verbatim', 'marked-edit', 'altered', 'spliced', 'unmatched'].indexOf(s);
}
