/**
 * Quotations and who said them.
 *
 * Two passes:
 *  1. per paragraph ("unit", see {@link splitUnits}), cached by the unit's text: quotation marks
 *     paired ({@link pairMarks}), kinds, and the phrase that attributes each quotation — the speaker
 *     noun phrase and the cue — found next to the quotation or in its sentence ({@link analyzeUnit});
 *  2. a cheap document pass that resolves those phrases against the entity recogniser's output
 *     (names → entities, pronouns → the most recent fitting person or group, role phrases → the
 *     person the text gave that role, organisations), carries a speaker over quote-only paragraphs
 *     and quotations continued over paragraphs, and inherits the speaker of nested quotations.
 *
 * `findQuotes(text, entities)` is the simple entry point; the editor keeps one {@link QuoteFinder}
 * per document so an edit re-analyses only the paragraphs that changed.
 *
 * Conventions (documented for held-out scoring):
 *  - kinds: `full` (the quotation is its own sentence, or is introduced by an attribution and a
 *    comma/colon), `partial` (quoted words inside the writer's sentence), `scare` (a short phrase of at
 *    most four words nobody is said to have said), `block` (a Markdown `>` block quote);
 *  - titles and names in quotation marks inside a sentence (“Fox News Sunday,” ‘The Apprentice’)
 *    and web debris (ids, handles, `(CROSSTALK)`) are not reported, except in headlines;
 *  - a speaker is `null` when nothing in the sentence, the paragraph or the previous quotation
 *    paragraph attributes the quotation; a sentence subject with no speech verb counts only when the
 *    entity recogniser knows it (a person, an organisation, a group).
 */
import type { Entity, Mention, Quote, Span, Speaker } from '../types';
import { resolveRolePhrase, type EntityResult } from '../ner';
import { splitParagraphs } from '../text/paragraphs';
import { analyzeUnitParsed, type LocalSpeaker, type LocalUnit } from './local';
import { findReports } from './attribution';
import type { LoadedCueModel } from './cues';
import { shippedCueModel } from './cueModel';
import { FEMALE_TITLES, MALE_TITLES, TITLES } from './lexicon';
import { isFirstName } from '../ner/gazetteer';

export { pairMarks } from './marks';
export { analyzeUnit } from './local';

/**
 * Paragraph units: blank-line separated blocks, further split at line breaks when the text is laid
 * out one paragraph per line (the line before ends a sentence or is short, or the next line opens
 * a quotation). Markdown block quotes (`>` lines) stay whole.
 */
export function splitUnits(text: string): Span[] {
  const out: Span[] = [];
  for (const p of splitParagraphs(text)) {
    const block = text.slice(p.start, p.end);
    if (!/[\r\n]/.test(block) || /^\s{0,3}>/.test(block)) {
      out.push(p);
      continue;
    }
    const re = /\r\n|\r|\n/g;
    let ls = 0;
    let unitStart = 0;
    for (let m = re.exec(block); m; m = re.exec(block)) {
      const line = block.slice(ls, m.index).replace(/\s+$/, '');
      const nextStart = m.index + m[0].length;
      const next = block.slice(nextStart, nextStart + 3);
      const split =
        /[.?!:;…"”’'»)\]]$/.test(line) || line.length < 60 || /^\s*(?:["“„«>#*+-]|\d+[.)]\s)/.test(next) || line.trim().length === 0;
      if (split) {
        pushUnit(text, p.start + unitStart, p.start + m.index, out);
        unitStart = nextStart;
      }
      ls = nextStart;
    }
    pushUnit(text, p.start + unitStart, p.end, out);
  }
  return out;
}

function pushUnit(text: string, start: number, end: number, out: Span[]): void {
  while (end > start && /[\r\n]/.test(text[end - 1])) end--;
  if (end > start && text.slice(start, end).trim().length > 0) out.push({ start, end });
}

interface Resolved {
  name: string;
  entityId?: string;
  via: Speaker['via'];
  /** person / organization / group / other, for pronoun agreement */
  type: string;
  plural: boolean;
}

interface Antecedent {
  pos: number;
  unit: number;
  r: Resolved;
  span: Span;
}

interface CacheEntry {
  local: LocalUnit;
  gen: number;
}

const DET_RE = /^(?:the|a|an)\s+/i;

// norm and roleMatches are pure and called per candidate role per quotation on every pass:
// memoised per string (bounded).
const NORM_MEMO = new Map<string, string>();
/** phrase → role → match; `roleMatchMemoSize` counts the inner entries. */
const ROLE_MATCH_MEMO = new Map<string, Map<string, boolean>>();
let roleMatchMemoSize = 0;

function norm(s: string): string {
  let out = NORM_MEMO.get(s);
  if (out === undefined) {
    if (NORM_MEMO.size >= 20_000) NORM_MEMO.clear();
    out = normUncached(s);
    NORM_MEMO.set(s, out);
  }
  return out;
}

function normUncached(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Does the role phrase (e.g. "the Iranian president", "Russian FM") name the role `role`? */
export function roleMatches(phrase: string, role: string): boolean {
  // Two levels (no key string built per call: this runs per role holder per role phrase).
  let byRole = ROLE_MATCH_MEMO.get(phrase);
  let out = byRole?.get(role);
  if (out === undefined) {
    if (roleMatchMemoSize >= 20_000) {
      ROLE_MATCH_MEMO.clear();
      roleMatchMemoSize = 0;
      byRole = undefined;
    }
    out = roleMatchesUncached(phrase, role);
    if (!byRole) ROLE_MATCH_MEMO.set(phrase, (byRole = new Map()));
    byRole.set(role, out);
    roleMatchMemoSize++;
  }
  return out;
}

function roleMatchesUncached(phrase: string, role: string): boolean {
  const p = norm(phrase.replace(DET_RE, ''));
  const r = norm(role);
  if (!p || !r) return false;
  if (p === r) return true;
  const pw = phrase.replace(DET_RE, '').split(/\s+/).filter(Boolean);
  const rw = role.split(/\s+/).filter(Boolean);
  // acronyms: "Russian FM" ~ "Russian Foreign Minister"
  let j = 0;
  let used = false;
  for (const w of pw) {
    if (j >= rw.length) return false;
    if (/^\p{Lu}{2,4}$/u.test(w) && norm(w) !== norm(rw[j])) {
      const letters = w.split('');
      for (const ch of letters) {
        if (j >= rw.length || rw[j][0]?.toUpperCase() !== ch) return false;
        j++;
      }
      used = true;
      continue;
    }
    if (norm(w) !== norm(rw[j])) return false;
    j++;
  }
  return used && j === rw.length;
}

// The gendered title ending the 8 characters before a person mention ("Mrs. ", "Mr "): memoised
// per window (the pass looks at every person mention of the text on every run).
const TITLE_GENDER_MEMO = new Map<string, 'm' | 'f' | ''>();

function titleGender(window: string): 'm' | 'f' | '' {
  let g = TITLE_GENDER_MEMO.get(window);
  if (g === undefined) {
    const before = /([A-Za-z]+)\.?\s+$/.exec(window);
    const t = before ? before[1].toLowerCase() : '';
    g = t && MALE_TITLES.has(t) ? 'm' : t && FEMALE_TITLES.has(t) ? 'f' : '';
    if (TITLE_GENDER_MEMO.size >= 20_000) TITLE_GENDER_MEMO.clear();
    TITLE_GENDER_MEMO.set(window, g);
  }
  return g;
}

function stripTitles(s: string): string {
  let t = s.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/[,;:]+$/, '').replace(/[’']s$/, '').trim();
  t = t.replace(DET_RE, '');
  const words = t.split(/\s+/);
  while (words.length > 1 && TITLES.has(words[0].replace(/\.$/, '').toLowerCase())) words.shift();
  return words.join(' ');
}

function lastWord(s: string): string {
  const w = s.split(/\s+/).filter(Boolean);
  return w.length ? w[w.length - 1].toLowerCase() : '';
}

export interface QuoteFinderOptions {
  /**
   * The attribution cue classifier: the shipped one when absent, `null` for the rules alone (the
   * speech-verb lexicon), `false` to find no attributions beyond quotation marks.
   */
  cueModel?: LoadedCueModel | null | false;
  /** Optional role-phrase resolver from the entity pipeline: phrase → entity. */
  resolveRolePhrase?: (phrase: string, entities: EntityResult, position: number) => Entity | undefined;
}

/** Finds quotations; keeps per-paragraph analyses cached by paragraph text between calls. */
export class QuoteFinder {
  private cache = new Map<string, CacheEntry>();
  private gen = 0;
  /** The last document pass, whose leading units a pass over an edited text may take over. */
  private last: PassRecord | undefined;
  /** Units taken over from the previous pass by the last call (for tests). */
  reusedUnits = 0;

  constructor(private readonly options: QuoteFinderOptions = {}) {}

  /** Drop all cached paragraph analyses. */
  clear(): void {
    this.cache.clear();
    this.last = undefined;
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  find(text: string, entities: EntityResult = { mentions: [], entities: [] }): Quote[] {
    const gen = ++this.gen;
    const units = splitUnits(text);
    const locals: LocalUnit[] = units.map((u) => {
      const key = text.slice(u.start, u.end);
      let e = this.cache.get(key);
      if (!e) {
        const { local, parsed } = analyzeUnitParsed(key);
        const cm = this.options.cueModel;
        if (cm !== false) local.reports = findReports(parsed, local, cm === undefined ? shippedCueModel() : (cm ?? undefined));
        e = { local, gen };
        this.cache.set(key, e);
      } else {
        e.gen = gen;
      }
      return e.local;
    });
    // evict analyses not used in this or the previous run
    if (this.cache.size > units.length * 2 + 64) {
      for (const [k, v] of this.cache) if (v.gen < gen - 1) this.cache.delete(k);
    }
    const pass = new DocumentPass(text, entities, units, locals, this.options);
    const k = this.last ? reusableUnits(this.last, pass) : 0;
    this.reusedUnits = k;
    const out = pass.run(k > 0 ? this.last : undefined, k);
    this.last = pass.record();
    return out;
  }
}

/** Where the pass stood when it reached a unit. */
interface Checkpoint {
  antecedents: number;
  speakers: number;
  gender: number;
  surnames: number;
  out: number;
  prevLast: { sp: Speaker; unit: number } | undefined;
  prevEndsOpen: boolean;
  recent: { sp: Speaker; unit: number } | undefined;
}

/** A finished pass: its inputs, its state logs and a checkpoint per unit it went through. */
interface PassRecord {
  text: string;
  units: Span[];
  locals: LocalUnit[];
  /** Per entity, flat (no entity object kept): id, type, canonical name, roles, spans. */
  entities: EntityKey[];
  mentions: Mention[];
  initialGender: Map<string, 'm' | 'f'>;
  antecedents: Antecedent[];
  speakersLog: string[];
  genderLog: [string, 'm' | 'f'][];
  surnamesLog: [string, string][];
  out: Quote[];
  checkpoints: Checkpoint[];
}

type EntityKey = string | readonly string[] | readonly Span[];
const ENTITY_KEY = 5;

function entityKeys(entities: readonly Entity[]): EntityKey[] {
  const out: EntityKey[] = new Array<EntityKey>(entities.length * ENTITY_KEY);
  entities.forEach((e, i) => {
    out[i * ENTITY_KEY] = e.id;
    out[i * ENTITY_KEY + 1] = e.type;
    out[i * ENTITY_KEY + 2] = e.canonical;
    out[i * ENTITY_KEY + 3] = e.roles;
    out[i * ENTITY_KEY + 4] = e.mentions;
  });
  return out;
}

/** The same spans, in the same order, among those starting before `before`? */
function sameSpansBefore(a: readonly Span[], b: readonly Span[], before: number): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && a[i].start >= before) i++;
    while (j < b.length && b[j].start >= before) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i].start !== b[j].start || a[i].end !== b[j].end) return false;
    i++;
    j++;
  }
}

/**
 * Resolving unit i reads only the text up to a couple of characters past the unit, the mentions
 * and entity mentions before that point, the entities' ids, types, names and roles, and the
 * genders that titles give people anywhere in the text. Margin past the unit end for those reads.
 */
const READ_MARGIN = 8;

/**
 * How many leading units of `pass` would be resolved exactly as in `prev` (the previous pass of
 * the same finder, over the text before an edit): the same unit texts at the same offsets,
 * ending before the first changed character, over an entity result that agrees before that point
 * (and has the same entities, roles and title genders). 0 when nothing can be taken over.
 */
function reusableUnits(prev: PassRecord, pass: DocumentPass): number {
  const { text, units, locals, er } = pass.inputs();
  // (the pass resumes at a unit it has a checkpoint for)
  const max = Math.min(units.length, prev.units.length, prev.checkpoints.length - 1);
  if (max <= 0) return 0;
  // The first changed character (compared only as far as units could be taken over).
  const limit = Math.min(text.length, prev.text.length, units[max - 1].end + READ_MARGIN);
  let p = 0;
  while (p < limit && text.charCodeAt(p) === prev.text.charCodeAt(p)) p++;
  let k = 0;
  while (k < max && units[k].start === prev.units[k].start && units[k].end === prev.units[k].end && locals[k] === prev.locals[k] && units[k].end + READ_MARGIN <= p) k++;
  if (k === 0) return 0;
  const before = units[k - 1].end + READ_MARGIN;
  // Mentions: the same number (the search over them is positional), the same ones before the point.
  const ms = pass.sortedMentions();
  if (ms.length !== prev.mentions.length) return 0;
  for (let i = 0; i < ms.length && (ms[i].start < before || prev.mentions[i].start < before); i++) {
    const a = ms[i];
    const b = prev.mentions[i];
    if (a.start !== b.start || a.end !== b.end || a.type !== b.type || a.entityId !== b.entityId || a.canonical !== b.canonical) return 0;
  }
  // Entities: the same ids, types, names and roles in the same order; their spans before the point.
  const es = er.entities;
  const ps = prev.entities;
  if (es.length * ENTITY_KEY !== ps.length) return 0;
  for (let i = 0; i < es.length; i++) {
    const a = es[i];
    const o = i * ENTITY_KEY;
    const roles = ps[o + 3] as readonly string[];
    if (a.id !== ps[o] || a.type !== ps[o + 1] || a.canonical !== ps[o + 2] || a.roles.length !== roles.length) return 0;
    for (let r = 0; r < roles.length; r++) if (a.roles[r] !== roles[r]) return 0;
    if (!sameSpansBefore(a.mentions, ps[o + 4] as readonly Span[], before)) return 0;
  }
  const g = pass.initialGender();
  if (g.size !== prev.initialGender.size) return 0;
  for (const [id, v] of g) if (prev.initialGender.get(id) !== v) return 0;
  return k;
}

/** Document-level resolution over the cached unit analyses. */
class DocumentPass {
  private readonly mentions: Mention[];
  private readonly byId = new Map<string, Entity>();
  private antecedents: Antecedent[] = [];
  private readonly gender = new Map<string, 'm' | 'f'>();
  private readonly surnames = new Map<string, string>();
  /** entity ids (or names) seen as the subject of a speech verb or as a speaker */
  private speakers = new Set<string>();
  /** What titles alone say (set by the constructor), before the pass learns more. */
  private readonly genderFromTitles: Map<string, 'm' | 'f'>;
  // Every change to the pass's state, in order, and where the pass stood at each unit: a later
  // pass over an edited text takes the leading units over (see `reusableUnits`).
  private speakersLog: string[] = [];
  private genderLog: [string, 'm' | 'f'][] = [];
  private surnamesLog: [string, string][] = [];
  private checkpoints: Checkpoint[] = [];
  private bySurname: Map<string, Entity | null> | undefined;
  private roleHolders: Entity[] | undefined;
  /** Per pass: role phrase → the role holders with a role it matches (in `roleHolders` order). */
  private readonly holdersByPhrase = new Map<string, Entity[]>();
  /** Per pass: people with roles, with the roles normalised (for "the president"). */
  private rolePeople: { e: Entity; roles: string[] }[] | undefined;
  /** Per pass: normalised role word(s) → the people one of whose roles ends with them. */
  private readonly peopleByRoleWord = new Map<string, Entity[]>();
  private out: Quote[] = [];

  constructor(
    private readonly text: string,
    private readonly er: EntityResult,
    private readonly units: Span[],
    private readonly locals: LocalUnit[],
    private readonly options: QuoteFinderOptions,
  ) {
    this.mentions = [...er.mentions].sort((a, b) => a.start - b.start);
    for (const e of er.entities) this.byId.set(e.id, e);
    for (const m of this.mentions) if (m.type === 'person') this.learnGenderFromTitle(m);
    this.genderFromTitles = new Map(this.gender);
  }

  inputs(): { text: string; units: Span[]; locals: LocalUnit[]; er: EntityResult } {
    return { text: this.text, units: this.units, locals: this.locals, er: this.er };
  }

  sortedMentions(): Mention[] {
    return this.mentions;
  }

  initialGender(): Map<string, 'm' | 'f'> {
    return this.genderFromTitles;
  }

  record(): PassRecord {
    return {
      text: this.text,
      units: this.units,
      locals: this.locals,
      entities: entityKeys(this.er.entities),
      mentions: this.mentions,
      initialGender: this.genderFromTitles,
      antecedents: this.antecedents,
      speakersLog: this.speakersLog,
      genderLog: this.genderLog,
      surnamesLog: this.surnamesLog,
      out: this.out,
      checkpoints: this.checkpoints,
    };
  }

  private addSpeaker(key: string): void {
    this.speakers.add(key);
    this.speakersLog.push(key);
  }

  private setGender(key: string, g: 'm' | 'f'): void {
    this.gender.set(key, g);
    this.genderLog.push([key, g]);
  }

  private setSurname(key: string, name: string): void {
    this.surnames.set(key, name);
    this.surnamesLog.push([key, name]);
  }

  /**
   * Resolves the quotations. With `prev` and `from` > 0, units before `from` are taken over from
   * `prev` (their quotations and the state they left), and the pass goes on from there.
   */
  run(prev?: PassRecord, from = 0): Quote[] {
    let prevLast: { sp: Speaker; unit: number } | undefined;
    let prevEndsOpen = false;
    let recent: { sp: Speaker; unit: number } | undefined;
    if (prev && from > 0) {
      const c = prev.checkpoints[from];
      this.antecedents = prev.antecedents.slice(0, c.antecedents);
      this.speakersLog = prev.speakersLog.slice(0, c.speakers);
      this.speakers = new Set(this.speakersLog);
      this.genderLog = prev.genderLog.slice(0, c.gender);
      for (const [key, g] of this.genderLog) this.gender.set(key, g);
      this.surnamesLog = prev.surnamesLog.slice(0, c.surnames);
      for (const [key, name] of this.surnamesLog) this.surnames.set(key, name);
      this.out = prev.out.slice(0, c.out);
      this.checkpoints = prev.checkpoints.slice(0, from);
      prevLast = c.prevLast;
      prevEndsOpen = c.prevEndsOpen;
      recent = c.recent;
    }
    // Units after the last one holding a quotation add nothing: what they would resolve (speech
    // events, names learnt) only serves the units after them.
    let lastWithQuotes = -1;
    for (let i = 0; i < this.locals.length; i++) if (this.locals[i].quotes.length > 0 || this.locals[i].reports.length > 0) lastWithQuotes = i;
    this.units.forEach((u, ui) => {
      if (ui < from || ui > lastWithQuotes) return;
      this.checkpoints.push({
        antecedents: this.antecedents.length,
        speakers: this.speakersLog.length,
        gender: this.genderLog.length,
        surnames: this.surnamesLog.length,
        out: this.out.length,
        prevLast,
        prevEndsOpen,
        recent,
      });
      const L = this.locals[ui];
      const base = this.out.length;
      const resolved: (Speaker | null)[] = [];
      // speech events of this unit become antecedents (before resolving its pronouns, in order)
      // (a literal, not a spread copy: this runs for every unit of the text on every pass)
      const events = L.events.map((ev) => ({ start: ev.start + u.start, end: ev.end + u.start, verb: ev.verb }));
      let evIdx = 0;
      const unitEvents: { pos: number; sp: Speaker }[] = [];
      const pushEventsUpTo = (pos: number): void => {
        while (evIdx < events.length && events[evIdx].start < pos) {
          const ev = events[evIdx++];
          const word = this.text.slice(ev.start, ev.end).toLowerCase();
          const pron = ['he', 'she', 'they'].includes(word) ? word : undefined;
          const r = this.resolvePhrase(ev, pron, ui, u, L);
          if (r && r.via !== 'pronoun' && r.via !== 'description') {
            this.antecedents.push({ pos: ev.start, unit: ui, r, span: ev });
            this.addSpeaker(r.entityId ?? r.name);
          }
          if (r && r.type !== 'other') {
            const sp: Speaker = { start: ev.start, end: ev.end, name: r.name, via: r.via };
            if (r.entityId) sp.entityId = r.entityId;
            unitEvents.push({ pos: ev.start, sp });
          }
        }
      };
      const prevL = ui > 0 ? this.locals[ui - 1] : undefined;
      const intro = prevL?.introduces ? { ...prevL.introduces, start: prevL.introduces.start + this.units[ui - 1].start, end: prevL.introduces.end + this.units[ui - 1].start } : undefined;
      // first pass: explicit attributions
      L.quotes.forEach((lq, qi) => {
        let sp: Speaker | null = null;
        if (intro && qi === 0 && (lq.kind === 'block' || L.quoteOnly) && !lq.speaker) {
          // "X wrote:" followed by the quoted passage
          const r = this.resolvePhrase(intro, intro.pronoun, ui - 1, this.units[ui - 1], prevL as LocalUnit);
          if (r) {
            sp = { start: intro.start, end: intro.end, name: r.name, via: r.via };
            if (r.entityId) sp.entityId = r.entityId;
          }
          resolved[qi] = sp;
          return;
        }
        if (lq.speaker) {
          const abs: LocalSpeaker = { ...lq.speaker, start: lq.speaker.start + u.start, end: lq.speaker.end + u.start };
          if (lq.speaker.antecedent) abs.antecedent = { start: lq.speaker.antecedent.start + u.start, end: lq.speaker.antecedent.end + u.start };
          pushEventsUpTo(abs.start);
          let r = this.resolvePhrase(abs, abs.pronoun, ui, u, L);
          // a sentence subject counts only when it names someone the recogniser found: a person, an organisation, a group
          if (r && lq.how === 'subject' && !r.entityId) r = null;
          if (r) {
            sp = { start: abs.start, end: abs.end, name: r.name, via: r.via };
            if (r.entityId) sp.entityId = r.entityId;
            if (r.type === 'person' || r.type === 'organization' || r.type === 'group') this.antecedents.push({ pos: abs.start, unit: ui, r, span: abs });
          }
        }
        resolved[qi] = sp;
      });
      pushEventsUpTo(Number.POSITIVE_INFINITY);
      // second pass: inheritance
      const tops = L.quotes.map((q, i) => ({ q, i })).filter((x) => x.q.parent === undefined || L.quotes[x.q.parent].kind === 'block');
      // (per quotation in O(1) or O(log n): a paragraph of thousands of quotations stays linear)
      const topPos = new Map<number, number>();
      tops.forEach((t, p) => topPos.set(t.i, p));
      // the first top-level quotation after each one attributed next to it (first pass; those
      // after the current one are not yet changed by this pass when it is read)
      const nextAdjacent = new Int32Array(tops.length + 1).fill(-1);
      for (let p = tops.length - 1; p >= 0; p--) {
        const t = tops[p];
        nextAdjacent[p] = resolved[t.i] && L.quotes[t.i].how === 'adjacent' ? p : nextAdjacent[p + 1];
      }
      // the last top-level quotation so far (all before the current one) with a speaker
      let lastResolvedTop = -1;
      let eventsSorted = true;
      for (let e = 1; e < unitEvents.length; e++) if (unitEvents[e].pos < unitEvents[e - 1].pos) eventsSorted = false;
      /** The last of `unitEvents` (in order) before `pos`, or undefined. */
      const lastEventBefore = (pos: number): { pos: number; sp: Speaker } | undefined => {
        if (!eventsSorted) return unitEvents.filter((e) => e.pos < pos).pop();
        let lo = 0;
        let hi = unitEvents.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (unitEvents[mid].pos < pos) lo = mid + 1;
          else hi = mid;
        }
        return lo > 0 ? unitEvents[lo - 1] : undefined;
      };
      L.quotes.forEach((lq, qi) => {
        let conf = 0.5;
        let sp = resolved[qi];
        let kind = lq.kind;
        if (!sp && lq.how === 'subject' && lq.short && kind === 'partial') kind = 'scare';
        if (sp) {
          conf = lq.how === 'adjacent' ? (sp.via === 'pronoun' ? 0.8 : 0.9) : lq.how === 'subject' ? 0.5 : 0.7;
          if (sp.via === 'description') conf -= 0.1;
        } else if (lq.parent !== undefined && (L.quotes[lq.parent].kind !== 'block' || kind === 'scare' || !lq.standalone)) {
          // words quoted inside a quotation (or a block quote) are the enclosing speaker's, unless attributed
          const ps = this.out[base + lq.parent]?.speaker;
          if (ps) {
            sp = { ...ps, via: 'continuation' };
            conf = 0.6;
            if (kind === 'scare') kind = 'partial';
          }
        } else if (kind !== 'scare') {
          const pos = topPos.get(qi) ?? -1;
          const before = pos >= 0 ? (lastResolvedTop >= 0 ? tops[lastResolvedTop] : undefined) : tops.slice(0, pos).reverse().find((t) => resolved[t.i]);
          const after = pos >= 0 ? (nextAdjacent[pos + 1] >= 0 ? tops[nextAdjacent[pos + 1]] : undefined) : tops.slice(pos + 1).find((t) => resolved[t.i] && L.quotes[t.i].how === 'adjacent');
          const earlierEvent = lastEventBefore(lq.start + u.start);
          const carry = prevLast && (prevLast.unit === ui - 1 || prevEndsOpen) ? prevLast : undefined;
          if (before) {
            sp = { ...(resolved[before.i] as Speaker), via: 'continuation' };
            conf = 0.75;
          } else if (carry && pos === 0 && (L.quoteOnly || (prevEndsOpen && L.opensWithQuote))) {
            sp = { ...carry.sp, via: 'continuation' };
            conf = 0.75;
          } else if (lq.standalone && lq.kind === 'full' && earlierEvent) {
            // "…, Schiff said. “The other factor …”": the speaker of an earlier sentence of the paragraph
            sp = { ...earlierEvent.sp };
            conf = 0.6;
          } else if (after && lq.standalone) {
            sp = { ...(resolved[after.i] as Speaker), via: 'continuation' };
            conf = 0.6;
          } else if (carry && pos === 0 && lq.standalone) {
            sp = { ...carry.sp, via: 'continuation' };
            conf = 0.6;
          } else if (recent && ui - recent.unit <= 2 && kind === 'partial') {
            sp = { ...recent.sp, via: 'continuation' };
            conf = 0.4;
          } else if (recent && ui - recent.unit <= 1 && lq.standalone) {
            sp = { ...recent.sp, via: 'continuation' };
            conf = 0.4;
          }
          resolved[qi] = sp;
        }
        if (kind === 'scare') conf = 0.6;
        const q: Quote = {
          start: lq.start + u.start,
          end: lq.end + u.start,
          kind,
          speaker: sp,
          cue: lq.cue ? { start: lq.cue.start + u.start, end: lq.cue.end + u.start } : null,
          confidence: Math.round(conf * 100) / 100,
        };
        if (lq.parent !== undefined) q.parent = base + lq.parent;
        this.out.push(q);
        const tp = topPos.get(qi);
        if (tp !== undefined && resolved[qi]) lastResolvedTop = tp;
      });
      this.emitReports(L, u, ui, base);
      const lastWithSpeaker = [...tops].reverse().find((t) => this.out[base + t.i].speaker);
      if (lastWithSpeaker) {
        prevLast = { sp: this.out[base + lastWithSpeaker.i].speaker as Speaker, unit: ui };
        recent = prevLast;
      }
      prevEndsOpen = L.endsOpen;
      if (L.reports.length > 0) this.sortUnit(base);
    });
    return this.out;
  }

  /**
   * The unit's quotations and statements (from `base` on) in text order, outer before inner, with
   * their `parent` and `partOf` indices renumbered (they point inside the unit).
   */
  private sortUnit(base: number): void {
    const slice = this.out.slice(base);
    const order = slice.map((_, i) => i).sort((a, b) => slice[a].start - slice[b].start || slice[b].end - slice[a].end || a - b);
    const newIndex = new Int32Array(slice.length);
    order.forEach((old, i) => (newIndex[old] = base + i));
    const fix = (i: number | undefined): number | undefined => (i === undefined || i < base ? i : newIndex[i - base]);
    order.forEach((old, i) => {
      const q = slice[old];
      if (q.parent !== undefined) q.parent = fix(q.parent);
      if (q.partOf !== undefined) q.partOf = fix(q.partOf);
      this.out[base + i] = q;
    });
  }

  /**
   * The unit's reported statements (kind `indirect`), after its quotations: the source phrase
   * resolved as a quotation's speaker is, the quotations inside the content tied to the statement.
   */
  private emitReports(L: LocalUnit, u: Span, ui: number, base: number): void {
    for (const rep of L.reports) {
      let sp: Speaker | null = null;
      if (rep.speaker) {
        const abs: LocalSpeaker = { ...rep.speaker, start: rep.speaker.start + u.start, end: rep.speaker.end + u.start };
        if (rep.speaker.antecedent) abs.antecedent = { start: rep.speaker.antecedent.start + u.start, end: rep.speaker.antecedent.end + u.start };
        const r = this.resolvePhrase(abs, abs.pronoun, ui, u, L);
        if (r) {
          sp = { start: abs.start, end: abs.end, name: r.name, via: r.via };
          if (r.entityId) sp.entityId = r.entityId;
          if (r.type === 'person' || r.type === 'organization' || r.type === 'group') this.antecedents.push({ pos: abs.start, unit: ui, r, span: abs });
        }
      }
      const idx = this.out.length;
      const q: Quote = {
        start: rep.start + u.start,
        end: rep.end + u.start,
        kind: 'indirect',
        speaker: sp,
        cue: { start: rep.cue.start + u.start, end: rep.cue.end + u.start },
        confidence: rep.confidence,
      };
      this.out.push(q);
      for (const qi of rep.parts) {
        const part = this.out[base + qi];
        if (!part) continue;
        if (part.partOf !== undefined) {
          // the innermost statement holding the fragment owns it ("X said … and that Y said … 'fake'")
          const held = this.out[part.partOf];
          if (!held || q.start < held.start || q.end > held.end || q.end - q.start >= held.end - held.start) continue;
          // a speaker the fragment only took from the outer statement goes with it
          if (part.speaker && held.speaker && part.speaker.start === held.speaker.start && part.speaker.end === held.speaker.end) part.speaker = null;
        }
        part.partOf = idx;
        // a fragment nobody was found to have said is the statement's speaker's
        if (!part.speaker && sp && part.kind !== 'scare') part.speaker = { ...sp };
      }
    }
  }

  /** Mentions overlapping [start, end). */
  private mentionsIn(start: number, end: number): Mention[] {
    const ms = this.mentions;
    let lo = 0;
    let hi = ms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ms[mid].end <= start) lo = mid + 1;
      else hi = mid;
    }
    // mentions are sorted by start, not end: step back over long mentions that still overlap
    while (lo > 0 && ms[lo - 1].end > start) lo--;
    const out: Mention[] = [];
    for (let i = lo; i < ms.length && ms[i].start < end; i++) if (ms[i].end > start) out.push(ms[i]);
    return out;
  }

  /** A possessive follows the mention (Obama's former strategist): the mention is not the phrase's head. */
  private isPossessiveAt(end: number): boolean {
    const after = this.text.slice(end, end + 2);
    return /^[’']s$/.test(after) || (/^[’']/.test(after) && /s$/i.test(this.text.slice(end - 1, end)) && !/^[’'][\p{L}]/u.test(after));
  }

  private resolvePhrase(span: Span & { antecedent?: Span }, pronoun: string | undefined, ui: number, u: Span, L: LocalUnit): Resolved | null {
    const phrase = this.text.slice(span.start, span.end).replace(/[,;:\s]+$/, '');
    if (pronoun && span.antecedent && (pronoun === 'he' || pronoun === 'she' || pronoun === 'they')) {
      // "X said he …": the pronoun is the subject of the verb before it
      const ante = { start: span.antecedent.start, end: span.antecedent.end };
      const word = this.text.slice(ante.start, ante.end).toLowerCase();
      const r = ['he', 'she', 'they'].includes(word) ? this.resolvePronoun(word, ante, ui, u, L) : this.resolvePhrase(ante, undefined, ui, u, L);
      if (r && r.via !== 'description' && (r.type === 'person') === (pronoun !== 'they')) return { ...r, via: 'pronoun' };
    }
    if ((pronoun === 'who' || pronoun === 'which') && span.antecedent) {
      // "…, which said": the relative pronoun stands for the phrase before it
      const ante = { start: span.antecedent.start, end: span.antecedent.end };
      const r = this.resolvePhrase(ante, undefined, ui, u, L);
      if (r) return { ...r, via: r.via === 'description' ? 'description' : 'pronoun' };
    }
    if (pronoun === 'who' || pronoun === 'which') return { name: phrase, via: 'description', type: 'other', plural: false };
    if (pronoun) return this.resolvePronoun(pronoun, span, ui, u, L);
    // a possessor phrase ("Hale’s" in "Hale’s claim that …") keeps its possessive mention
    const ownerPhrase = /[’']s$/.test(phrase);
    const heads = this.mentionsIn(span.start, span.end).filter((m) => !this.isPossessiveAt(m.end) || (ownerPhrase && m.end >= span.end - 2));
    // the head of "Clinton spokesman Jesse Lehrich, a former …" is the last name before a comma, "of", "who"
    const cut = /,|\(|\s(?:of|who|which|from|at)\s/.exec(phrase);
    const headEnd = cut ? span.start + cut.index : span.end;
    const inHead = heads.filter((m) => m.type === 'person' && m.start < headEnd);
    const person = inHead.length > 0 ? inHead[inHead.length - 1] : heads.find((m) => m.type === 'person');
    if (person) return this.fromEntity(person.entityId, person.canonical, 'name', 'person');
    // role phrase
    const role = this.resolveRole(phrase, span.start);
    if (role) return role;
    const org = heads.find((m) => m.type === 'organization');
    if (org && (heads.length === 1 || org.end >= span.end - 1 || org.start === span.start || /^(?:the|a|an)\s/i.test(phrase))) {
      return this.fromEntity(org.entityId, org.canonical, 'organization', 'organization');
    }
    const group = heads.find((m) => m.type === 'group' && m.end >= span.end - 1);
    if (group) return { ...this.fromEntity(group.entityId, group.canonical, 'organization', 'group'), plural: true };
    // no entity: a capitalised name, or a description
    const bare = stripTitles(phrase);
    const words = bare.split(/\s+/).filter(Boolean);
    const capWords = words.filter((w) => /^\p{Lu}/u.test(w));
    const startsWithDet = DET_RE.test(phrase) || /^\p{Ll}/u.test(phrase);
    if (!startsWithDet && words.length > 0 && words.length <= 4 && capWords.length === words.length && !/^\p{Lu}{2,}$/u.test(bare)) {
      const sn = lastWord(bare);
      // a surname the recogniser missed here but knows elsewhere ("Trump" → Donald Trump)
      const known = this.personBySurname(sn);
      if (known) return this.fromEntity(known.id, known.canonical, 'name', 'person');
      const full = this.surnames.get(sn);
      const name = words.length === 1 && full ? full : bare;
      if (words.length > 1) this.setSurname(sn, bare);
      const r: Resolved = { name, via: 'name', type: 'person', plural: false };
      const t = phrase.split(/\s+/)[0].replace(/\.$/, '').toLowerCase();
      if (MALE_TITLES.has(t)) this.setGender(name, 'm');
      if (FEMALE_TITLES.has(t)) this.setGender(name, 'f');
      return r;
    }
    if (!startsWithDet && capWords.length > 0 && capWords.length === words.length) {
      return { name: bare, via: 'organization', type: 'organization', plural: false };
    }
    const plural = /s$/i.test(lastWord(bare)) && !/ss$/i.test(lastWord(bare));
    return { name: phrase, via: 'description', type: plural ? 'group' : 'other', plural };
  }

  /** "Mrs. Clinton", "Mr. Obama": a gendered title right before a person mention tells which pronoun fits. */
  private learnGenderFromTitle(m: Mention): void {
    const g = titleGender(this.text.slice(Math.max(0, m.start - 8), m.start));
    if (g) this.gender.set(m.entityId, g);
  }

  /** The person entity whose canonical name ends with this surname, when there is exactly one. */
  private personBySurname(sn: string): Entity | undefined {
    if (!sn) return undefined;
    if (!this.bySurname) {
      const map = new Map<string, Entity | null>();
      for (const e of this.er.entities) {
        if (e.type !== 'person') continue;
        const words = e.canonical.split(/\s+/);
        if (words.length < 2) continue;
        const k = words[words.length - 1].toLowerCase();
        map.set(k, map.has(k) && map.get(k) !== e ? null : e);
      }
      this.bySurname = map;
    }
    return this.bySurname.get(sn) ?? undefined;
  }

  /** A person we are sure of: a first name and a surname, or someone already seen speaking. */
  private reliable(r: Resolved): boolean {
    if (r.type !== 'person') return false;
    const key = r.entityId ?? r.name;
    if (this.speakers.has(key)) return true;
    const words = r.name.split(/\s+/);
    return words.length >= 2 && (isFirstName(words[0]) || TITLES.has(words[0].replace(/\.$/, '').toLowerCase()));
  }

  private fromEntity(id: string, canonical: string, via: Speaker['via'], type: string): Resolved {
    const e = this.byId.get(id);
    return { name: e?.canonical ?? canonical, entityId: id, via, type: e?.type ?? type, plural: false };
  }

  private resolveRole(phrase: string, pos: number): Resolved | null {
    if (!this.roleHolders) this.roleHolders = this.er.entities.filter((e) => e.roles && e.roles.length > 0);
    if (this.roleHolders.length === 0) return null;
    // a role phrase is short and has a common noun ("the Iranian president", "Russian FM")
    if (phrase.length > 60) return null;
    const resolver = this.options.resolveRolePhrase ?? defaultRoleResolver;
    {
      const e = resolver(phrase, this.er, pos);
      if (e) return { name: e.canonical, entityId: e.id, via: 'role', type: e.type, plural: false };
    }
    // the most recently mentioned entity that holds this role
    let best: { e: Entity; last: number } | undefined;
    let holders = this.holdersByPhrase.get(phrase);
    if (!holders) {
      holders = this.roleHolders.filter((e) => e.roles.some((r) => roleMatches(phrase, r)));
      this.holdersByPhrase.set(phrase, holders);
    }
    for (const e of holders) {
      let last = -1;
      for (const m of e.mentions) if (m.start < pos && m.start > last) last = m.start;
      if (!best || last > best.last) best = { e, last };
    }
    if (best) return { name: best.e.canonical, entityId: best.e.id, via: 'role', type: best.e.type, plural: false };
    // "the president" etc. — a role word that is the last word of exactly one entity's role
    const p = norm(phrase.replace(DET_RE, ''));
    if (/^(?:the)\s/i.test(phrase) && p.split(' ').length <= 3) {
      let cands = this.peopleByRoleWord.get(p);
      if (!cands) {
        this.rolePeople ??= this.er.entities.filter((e) => e.type === 'person' && e.roles?.length).map((e) => ({ e, roles: e.roles.map(norm) }));
        const tail = ` ${p}`;
        cands = this.rolePeople.filter((x) => x.roles.some((r) => r.endsWith(tail) || r === p)).map((x) => x.e);
        this.peopleByRoleWord.set(p, cands);
      }
      if (cands.length === 1) return { name: cands[0].canonical, entityId: cands[0].id, via: 'role', type: 'person', plural: false };
    }
    return null;
  }

  private resolvePronoun(pronoun: string, span: Span, ui: number, u: Span, L: LocalUnit): Resolved | null {
    const pos = span.start;
    if (pronoun === 'i' || pronoun === 'we' || pronoun === 'you') return { name: this.text.slice(span.start, span.end), via: 'pronoun', type: 'other', plural: pronoun === 'we' };
    const wantPerson = pronoun === 'he' || pronoun === 'she';
    const g = pronoun === 'he' ? 'm' : pronoun === 'she' ? 'f' : undefined;
    const fits = (r: Resolved): boolean => {
      if (wantPerson) {
        if (r.type !== 'person') return false;
        const known = this.gender.get(r.entityId ?? r.name);
        return !known || known === g;
      }
      if (pronoun === 'they') return r.type === 'organization' || r.type === 'group' || r.plural;
      return r.type === 'organization';
    };
    const done = (r: Resolved): Resolved => {
      return { ...r, via: 'pronoun' };
    };
    // 1. a fitting name earlier in the same sentence, in the writer's text
    const rel = pos - u.start;
    const sent = sentenceAt(L.sentences, rel) ?? { start: rel, end: rel };
    const inQuote = (p: number): boolean => insideQuote(L, p - u.start);
    const sentStart = sent.start + u.start;
    const cands: { pos: number; r: Resolved }[] = this.mentionsIn(sentStart, pos)
      .filter((m) => !inQuote(m.start) && !this.isPossessiveAt(m.end))
      .map((m) => ({ pos: m.start, r: this.fromEntity(m.entityId, m.canonical, 'name', m.type) }));
    for (let k = this.antecedents.length - 1; k >= 0 && this.antecedents[k].pos >= sentStart; k--) {
      const a = this.antecedents[k];
      if (a.pos < pos) cands.push({ pos: a.pos, r: a.r });
    }
    cands.sort((a, b) => b.pos - a.pos);
    for (const c of cands) if (fits(c.r) && (!wantPerson || this.reliable(c.r))) return done(c.r);
    for (const c of cands) if (fits(c.r)) return done(c.r);
    // 2. the most recent fitting speaker or subject of a speech verb, within a few paragraphs
    for (let k = this.antecedents.length - 1; k >= 0; k--) {
      const a = this.antecedents[k];
      if (a.pos >= pos) continue;
      if (ui - a.unit > 4) break;
      if (fits(a.r)) return done(a.r);
    }
    // 3. the most recent fitting mention
    const window = this.mentionsIn(Math.max(0, pos - 3000), pos);
    for (let k = window.length - 1; k >= 0; k--) {
      const m = window[k];
      if (this.isPossessiveAt(m.end) && wantPerson === false) continue;
      const r = this.fromEntity(m.entityId, m.canonical, 'name', m.type);
      if (fits(r)) return done(r);
    }
    return { name: this.text.slice(span.start, span.end), via: 'pronoun', type: 'other', plural: pronoun === 'they' };
  }
}

/** The sentence span holding `rel` (spans sorted and disjoint), by binary search. */
function sentenceAt(spans: readonly Span[], rel: number): Span | undefined {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= rel) lo = mid + 1;
    else hi = mid;
  }
  const s = lo > 0 ? spans[lo - 1] : undefined;
  return s && rel < s.end ? s : undefined;
}

/** Per unit analysis: the union of its quotations' spans, merged and sorted (for {@link insideQuote}). */
const QUOTE_COVER = new WeakMap<LocalUnit, Span[]>();

/** Does a quotation of the unit hold the unit offset `rel`? (binary search over the merged spans) */
function insideQuote(L: LocalUnit, rel: number): boolean {
  let cover = QUOTE_COVER.get(L);
  if (!cover) {
    const spans = L.quotes.filter((q) => q.start < q.end).map((q) => ({ start: q.start, end: q.end }));
    spans.sort((a, b) => a.start - b.start);
    cover = [];
    for (const sp of spans) {
      const last = cover[cover.length - 1];
      if (last && sp.start <= last.end) {
        if (sp.end > last.end) last.end = sp.end;
      } else cover.push(sp);
    }
    QUOTE_COVER.set(L, cover);
  }
  let lo = 0;
  let hi = cover.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cover[mid].start <= rel) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && rel < cover[lo - 1].end;
}

/** The entity pipeline's role resolver ("the Iranian president", "Russian FM" → the person given that role). */
function defaultRoleResolver(phrase: string, er: EntityResult, position: number): Entity | undefined {
  return resolveRolePhrase(phrase, er.entities, { position });
}

const shared = new QuoteFinder();

/** Quotations of `text`, attributed with the help of the entity recogniser's result. */
export function findQuotes(text: string, entities: EntityResult): Quote[] {
  return shared.find(text, entities);
}
