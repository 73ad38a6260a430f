/**
 * The document pass: resolves each unit's quotations and statements in text order — explicit
 * attributions first (the speaker phrase resolved, see `speakers.ts`), then inheritance (nested
 * quotations take the enclosing speaker, a quotation the speaker of a neighbour, of an earlier
 * sentence or of the previous quotation paragraph), then the unit's reported statements.
 */
import type { Mention, Quote, Span, Speaker } from '../types';
import type { EntityResult } from '../ner';
import type { LocalQuote, LocalSpeaker, LocalUnit, SpeechEvent } from './local';
import { entityKeys, type Checkpoint, type PassRecord } from './passReuse';
import { SpeakerResolver, type RolePhraseResolver, type Resolved } from './speakers';

/** What the pass carries from one unit into the next. */
export interface Carry {
  /** the last top-level quotation speaker of the last unit that had one */
  prevLast: { sp: Speaker; unit: number } | undefined;
  /** the previous unit ended inside an open quotation */
  prevEndsOpen: boolean;
  recent: { sp: Speaker; unit: number } | undefined;
}

/** A unit's speech events (absolute spans), resolved in text order as the pass reaches them. */
interface UnitEvents {
  list: SpeechEvent[];
  next: number;
  /** the resolved ones that name someone or something, in the order resolved */
  named: { pos: number; sp: Speaker }[];
}

/** What resolving one unit's quotations reads and writes. */
interface UnitScope {
  L: LocalUnit;
  u: Span;
  ui: number;
  /** index in the output of the unit's first quotation */
  base: number;
  /** per quotation: its speaker so far */
  resolved: (Speaker | null)[];
  tops: TopQuotes;
  events: UnitEvents;
  /** `events.named` are in text order (binary search), or not (a scan) */
  eventsSorted: boolean;
  carry: Carry;
}

/** Document-level resolution over the cached unit analyses. */
export class DocumentPass extends SpeakerResolver {
  /** What titles alone say (set by the constructor), before the pass learns more. */
  private readonly genderFromTitles: Map<string, 'm' | 'f'>;
  // Where the pass stood at each unit: a later pass over an edited text takes the leading units
  // over (see `reusableUnits`).
  private checkpoints: Checkpoint[] = [];
  private out: Quote[] = [];

  constructor(
    text: string,
    er: EntityResult,
    private readonly units: Span[],
    private readonly locals: LocalUnit[],
    resolveRolePhrase: RolePhraseResolver | undefined,
  ) {
    super(text, er, resolveRolePhrase);
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

  /**
   * Resolves the quotations. With `prev` and `from` > 0, units before `from` are taken over from
   * `prev` (their quotations and the state they left), and the pass goes on from there.
   */
  run(prev?: PassRecord, from = 0): Quote[] {
    const carry: Carry = prev && from > 0 ? this.resume(prev, from) : { prevLast: undefined, prevEndsOpen: false, recent: undefined };
    // Units after the last one holding a quotation add nothing: what they would resolve (speech
    // events, names learnt) only serves the units after them.
    let lastWithQuotes = -1;
    for (let i = 0; i < this.locals.length; i++) if (this.locals[i].quotes.length > 0 || this.locals[i].reports.length > 0) lastWithQuotes = i;
    for (let ui = from; ui < this.units.length && ui <= lastWithQuotes; ui++) this.resolveUnit(this.units[ui], ui, carry);
    return this.out;
  }

  /** Takes over the units before `from` from `prev`: their quotations and the state they left. */
  private resume(prev: PassRecord, from: number): Carry {
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
    return { prevLast: c.prevLast, prevEndsOpen: c.prevEndsOpen, recent: c.recent };
  }

  /** One unit: a checkpoint, explicit attributions, inheritance, statements; then what it carries on. */
  private resolveUnit(u: Span, ui: number, carry: Carry): void {
    this.checkpoints.push({
      antecedents: this.antecedents.length,
      speakers: this.speakersLog.length,
      gender: this.genderLog.length,
      surnames: this.surnamesLog.length,
      out: this.out.length,
      prevLast: carry.prevLast,
      prevEndsOpen: carry.prevEndsOpen,
      recent: carry.recent,
    });
    const L = this.locals[ui];
    const base = this.out.length;
    // speech events of this unit become antecedents (before resolving its pronouns, in order)
    // (a literal, not a spread copy: this runs for every unit of the text on every pass)
    const events: UnitEvents = { list: L.events.map((ev) => ({ start: ev.start + u.start, end: ev.end + u.start, verb: ev.verb })), next: 0, named: [] };
    const resolved = this.resolveExplicit(L, u, ui, events);
    this.resolveEventsBefore(events, Number.POSITIVE_INFINITY, ui, u, L);
    const tops = new TopQuotes(L, resolved);
    const scope: UnitScope = { L, u, ui, base, resolved, tops, events, eventsSorted: inTextOrder(events.named), carry };
    L.quotes.forEach((lq, qi) => this.emitQuote(lq, qi, scope));
    this.emitReports(L, u, ui, base);
    const lastWithSpeaker = [...tops.list].reverse().find((t) => this.out[base + t.i].speaker);
    if (lastWithSpeaker) {
      carry.prevLast = { sp: this.out[base + lastWithSpeaker.i].speaker as Speaker, unit: ui };
      carry.recent = carry.prevLast;
    }
    carry.prevEndsOpen = L.endsOpen;
    if (L.reports.length > 0) this.sortUnit(base);
  }

  /** Resolves the unit's speech events that start before `pos`; those naming someone become antecedents. */
  private resolveEventsBefore(events: UnitEvents, pos: number, ui: number, u: Span, L: LocalUnit): void {
    const list = events.list;
    while (events.next < list.length && list[events.next].start < pos) {
      const ev = list[events.next++];
      const word = this.text.slice(ev.start, ev.end).toLowerCase();
      const pron = ['he', 'she', 'they'].includes(word) ? word : undefined;
      const r = this.resolvePhrase(ev, pron, ui, u, L);
      if (r && r.via !== 'pronoun' && r.via !== 'description') {
        this.antecedents.push({ pos: ev.start, unit: ui, r, span: ev });
        this.addSpeaker(r.entityId ?? r.name);
      }
      if (r && r.type !== 'other') events.named.push({ pos: ev.start, sp: speakerAt(ev, r) });
    }
  }

  /** First pass: each quotation's own attribution (or the previous unit's "X wrote:"), resolved. */
  private resolveExplicit(L: LocalUnit, u: Span, ui: number, events: UnitEvents): (Speaker | null)[] {
    const resolved: (Speaker | null)[] = [];
    const prevL = ui > 0 ? this.locals[ui - 1] : undefined;
    const intro = prevL?.introduces ? { ...prevL.introduces, start: prevL.introduces.start + this.units[ui - 1].start, end: prevL.introduces.end + this.units[ui - 1].start } : undefined;
    L.quotes.forEach((lq, qi) => {
      if (intro && qi === 0 && (lq.kind === 'block' || L.quoteOnly) && !lq.speaker) {
        // "X wrote:" followed by the quoted passage
        const r = this.resolvePhrase(intro, intro.pronoun, ui - 1, this.units[ui - 1], prevL as LocalUnit);
        resolved[qi] = r ? speakerAt(intro, r) : null;
        return;
      }
      let sp: Speaker | null = null;
      if (lq.speaker) {
        const abs = absolute(lq.speaker, u.start);
        this.resolveEventsBefore(events, abs.start, ui, u, L);
        const r = this.resolvePhrase(abs, abs.pronoun, ui, u, L);
        // a sentence subject counts only when it names someone the recogniser found: a person, an organisation, a group
        sp = this.speakerFor(abs, r && lq.how === 'subject' && !r.entityId ? null : r, ui);
      }
      resolved[qi] = sp;
    });
    return resolved;
  }

  /** The speaker a resolved phrase makes; a person, organisation or group becomes an antecedent. */
  private speakerFor(abs: LocalSpeaker, r: Resolved | null, ui: number): Speaker | null {
    if (!r) return null;
    const sp = speakerAt(abs, r);
    if (r.type === 'person' || r.type === 'organization' || r.type === 'group') this.antecedents.push({ pos: abs.start, unit: ui, r, span: abs });
    return sp;
  }

  /** Second pass: the quotation with its speaker (its own, or inherited), kind and confidence. */
  private emitQuote(lq: LocalQuote, qi: number, s: UnitScope): void {
    const { L, u, base, resolved, tops } = s;
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
      const inherited = inheritedSpeaker(lq, qi, kind, s);
      if (inherited) {
        sp = inherited.sp;
        conf = inherited.conf;
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
    const tp = tops.pos.get(qi);
    if (tp !== undefined && resolved[qi]) tops.lastResolved = tp;
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
        const abs = absolute(rep.speaker, u.start);
        sp = this.speakerFor(abs, this.resolvePhrase(abs, abs.pronoun, ui, u, L), ui);
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
      for (const qi of rep.parts) this.tieToStatement(this.out[base + qi], q, idx, sp);
    }
  }

  /** A quotation inside a statement's content becomes part of it (`partOf`), and its speaker's when unattributed. */
  private tieToStatement(part: Quote | undefined, q: Quote, idx: number, sp: Speaker | null): void {
    if (!part) return;
    if (part.partOf !== undefined) {
      // the innermost statement holding the fragment owns it ("X said … and that Y said … 'fake'")
      const held = this.out[part.partOf];
      if (!held || q.start < held.start || q.end > held.end || q.end - q.start >= held.end - held.start) return;
      // a speaker the fragment only took from the outer statement goes with it
      if (part.speaker && held.speaker && part.speaker.start === held.speaker.start && part.speaker.end === held.speaker.end) part.speaker = null;
    }
    part.partOf = idx;
    // a fragment nobody was found to have said is the statement's speaker's
    if (!part.speaker && sp && part.kind !== 'scare') part.speaker = { ...sp };
  }
}

/**
 * A top-level quotation without its own attribution: the speaker of the quotation before it in the
 * unit, of the previous unit, of an earlier sentence, of the next quotation, or a recent speaker.
 */
function inheritedSpeaker(lq: LocalQuote, qi: number, kind: LocalQuote['kind'], s: UnitScope): { sp: Speaker; conf: number } | null {
  const { L, u, ui, resolved, tops, carry } = s;
  const pos = tops.pos.get(qi) ?? -1;
  const before = tops.before(pos, resolved);
  const after = tops.after(pos, resolved, L);
  const earlierEvent = lastEventBefore(s.events.named, s.eventsSorted, lq.start + u.start);
  const { prevLast, prevEndsOpen, recent } = carry;
  const carried = prevLast && (prevLast.unit === ui - 1 || prevEndsOpen) ? prevLast : undefined;
  if (before) return { sp: { ...(resolved[before.i] as Speaker), via: 'continuation' }, conf: 0.75 };
  if (carried && pos === 0 && (L.quoteOnly || (prevEndsOpen && L.opensWithQuote))) return { sp: { ...carried.sp, via: 'continuation' }, conf: 0.75 };
  // "…, Schiff said. “The other factor …”": the speaker of an earlier sentence of the paragraph
  if (lq.standalone && lq.kind === 'full' && earlierEvent) return { sp: { ...earlierEvent.sp }, conf: 0.6 };
  if (after && lq.standalone) return { sp: { ...(resolved[after.i] as Speaker), via: 'continuation' }, conf: 0.6 };
  if (carried && pos === 0 && lq.standalone) return { sp: { ...carried.sp, via: 'continuation' }, conf: 0.6 };
  if (recent && ui - recent.unit <= 2 && kind === 'partial') return { sp: { ...recent.sp, via: 'continuation' }, conf: 0.4 };
  if (recent && ui - recent.unit <= 1 && lq.standalone) return { sp: { ...recent.sp, via: 'continuation' }, conf: 0.4 };
  return null;
}

/**
 * The unit's top-level quotations (and those right inside its block quote), with the look-ups
 * inheritance needs (per quotation in O(1) or O(log n): a paragraph of thousands of quotations
 * stays linear).
 */
class TopQuotes {
  readonly list: { q: LocalQuote; i: number }[];
  /** quotation index → position in `list` */
  readonly pos = new Map<number, number>();
  /**
   * Per position: the first top-level quotation from there on attributed next to it (first pass;
   * those after the current one are not yet changed by the second pass when it is read).
   */
  private readonly nextAdjacent: Int32Array;
  /** the position of the last top-level quotation so far (all before the current one) with a speaker */
  lastResolved = -1;

  constructor(L: LocalUnit, resolved: (Speaker | null)[]) {
    this.list = L.quotes.map((q, i) => ({ q, i })).filter((x) => x.q.parent === undefined || L.quotes[x.q.parent].kind === 'block');
    const tops = this.list;
    tops.forEach((t, p) => this.pos.set(t.i, p));
    this.nextAdjacent = new Int32Array(tops.length + 1).fill(-1);
    for (let p = tops.length - 1; p >= 0; p--) {
      const t = tops[p];
      this.nextAdjacent[p] = resolved[t.i] && L.quotes[t.i].how === 'adjacent' ? p : this.nextAdjacent[p + 1];
    }
  }

  /** The last top-level quotation before position `pos` with a speaker. */
  before(pos: number, resolved: (Speaker | null)[]): { q: LocalQuote; i: number } | undefined {
    if (pos >= 0) return this.lastResolved >= 0 ? this.list[this.lastResolved] : undefined;
    return this.list.slice(0, pos).reverse().find((t) => resolved[t.i]);
  }

  /** The first top-level quotation after position `pos` attributed next to it. */
  after(pos: number, resolved: (Speaker | null)[], L: LocalUnit): { q: LocalQuote; i: number } | undefined {
    if (pos >= 0) return this.nextAdjacent[pos + 1] >= 0 ? this.list[this.nextAdjacent[pos + 1]] : undefined;
    return this.list.slice(pos + 1).find((t) => resolved[t.i] && L.quotes[t.i].how === 'adjacent');
  }
}

function inTextOrder(named: { pos: number }[]): boolean {
  for (let e = 1; e < named.length; e++) if (named[e].pos < named[e - 1].pos) return false;
  return true;
}

/** The last of `named` (in order) before `pos`, or undefined. */
function lastEventBefore(named: { pos: number; sp: Speaker }[], sorted: boolean, pos: number): { pos: number; sp: Speaker } | undefined {
  if (!sorted) return named.filter((e) => e.pos < pos).pop();
  let lo = 0;
  let hi = named.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (named[mid].pos < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? named[lo - 1] : undefined;
}

/** A unit's speaker phrase, moved to document offsets. */
function absolute(ls: LocalSpeaker, offset: number): LocalSpeaker {
  const abs: LocalSpeaker = { ...ls, start: ls.start + offset, end: ls.end + offset };
  if (ls.antecedent) abs.antecedent = { start: ls.antecedent.start + offset, end: ls.antecedent.end + offset };
  return abs;
}

/** The speaker of the phrase at `span`, resolved as `r`. */
function speakerAt(span: Span, r: Resolved): Speaker {
  const sp: Speaker = { start: span.start, end: span.end, name: r.name, via: r.via };
  if (r.entityId) sp.entityId = r.entityId;
  return sp;
}
