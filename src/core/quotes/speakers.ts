/**
 * Speaker resolution: a speaker phrase of the text (a name, a pronoun, a role phrase, an
 * organisation, a description) resolved against the entity recogniser's output and what the
 * document pass has learnt so far (speakers, genders, surnames, antecedents).
 */
import type { Entity, Mention, Span, Speaker } from '../types';
import { resolveRolePhrase, type EntityResult } from '../ner';
import { isFirstName } from '../ner/gazetteer';
import type { LocalUnit } from './local';
import { MALE_TITLES, FEMALE_TITLES, TITLES } from './lexicon';
import { DET_RE, lastWord, norm, roleMatches, stripTitles, titleGender } from './roles';

export interface Resolved {
  name: string;
  entityId?: string;
  via: Speaker['via'];
  /** person / organization / group / other, for pronoun agreement */
  type: string;
  plural: boolean;
}

export interface Antecedent {
  pos: number;
  unit: number;
  r: Resolved;
  span: Span;
}

/** Phrase → entity, from the entity pipeline (see `QuoteFinderOptions.resolveRolePhrase`). */
export type RolePhraseResolver = (phrase: string, entities: EntityResult, position: number) => Entity | undefined;

/** Resolves speaker phrases; the state it reads and learns is logged for a later pass to take over. */
export class SpeakerResolver {
  protected readonly mentions: Mention[];
  protected readonly byId = new Map<string, Entity>();
  protected antecedents: Antecedent[] = [];
  protected readonly gender = new Map<string, 'm' | 'f'>();
  protected readonly surnames = new Map<string, string>();
  /** entity ids (or names) seen as the subject of a speech verb or as a speaker */
  protected speakers = new Set<string>();
  // Every change to the pass's state, in order: a later pass over an edited text takes the
  // leading units over (see `reusableUnits`).
  protected speakersLog: string[] = [];
  protected genderLog: [string, 'm' | 'f'][] = [];
  protected surnamesLog: [string, string][] = [];
  private bySurname: Map<string, Entity | null> | undefined;
  private roleHolders: Entity[] | undefined;
  /** Per pass: role phrase → the role holders with a role it matches (in `roleHolders` order). */
  private readonly holdersByPhrase = new Map<string, Entity[]>();
  /** Per pass: people with roles, with the roles normalised (for "the president"). */
  private rolePeople: { e: Entity; roles: string[] }[] | undefined;
  /** Per pass: normalised role word(s) → the people one of whose roles ends with them. */
  private readonly peopleByRoleWord = new Map<string, Entity[]>();

  constructor(
    protected readonly text: string,
    protected readonly er: EntityResult,
    private readonly rolePhraseResolver: RolePhraseResolver | undefined,
  ) {
    this.mentions = [...er.mentions].sort((a, b) => a.start - b.start);
    for (const e of er.entities) this.byId.set(e.id, e);
    for (const m of this.mentions) if (m.type === 'person') this.learnGenderFromTitle(m);
  }

  protected addSpeaker(key: string): void {
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

  protected resolvePhrase(span: Span & { antecedent?: Span }, pronoun: string | undefined, ui: number, u: Span, L: LocalUnit): Resolved | null {
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
    const resolver = this.rolePhraseResolver ?? defaultRoleResolver;
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
