/**
 * Document-level pass over cached paragraph results: consistency (a name marked once is marked,
 * with the same type, wherever it recurs), identity (surnames → full names, acronyms → expansions,
 * short forms → long forms, gazetteer aliases), roles per person, date values against the source's
 * dateline. Linear in the number of mentions and candidates: cheap enough for every keystroke.
 */
import type { Entity, EntityType, Mention, Span } from '../types';
import { resolveDate, type YMD } from './dates';
import { groupCanonical, isCountry, orgCanonical, placeCanonical } from './lexicon';
import type { ParagraphResult, RawMention } from './paragraph';

export interface PlacedParagraph {
  /** Absolute offset of the paragraph in the document. */
  offset: number;
  result: ParagraphResult;
  /** The paragraph's text (for slicing). */
  text: string;
}

export interface DocumentContext {
  /** Reference date for relative dates. */
  refDate?: YMD;
  /** Span of the dateline's name (`The Cradle`), absolute, and whether it is a place. */
  datelineName?: Span & { type: EntityType };
  isIgnored(name: string): boolean;
}

interface Work {
  m: RawMention;
  start: number;
  end: number;
  text: string;
  para: number;
  roles: string[];
}

const NAME_TYPES = new Set<EntityType>(['person', 'organization', 'place', 'group']);
const SENTENCE_WORDS = new Set([
  'The', 'A', 'An', 'In', 'On', 'At', 'By', 'For', 'From', 'To', 'Of', 'And', 'But', 'Or', 'If', 'When', 'While', 'It', 'He', 'She', 'We',
  'They', 'I', 'You', 'This', 'That', 'These', 'Those', 'His', 'Her', 'Their', 'Our', 'My', 'Its', 'There', 'Here', 'What', 'Who',
]);

function stripArticle(s: string): string {
  return s.replace(/^(?:the|a|an)\s+/i, '').trim();
}

function slug(type: EntityType, canonical: string): string {
  return `${type}:${canonical.toLowerCase().replace(/\s+/g, '-')}`;
}

function words(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

function initials(s: string): string {
  return words(s)
    .filter((w) => !/^(?:of|the|for|and|on|in|de|du|la|le|des|der)$/i.test(w))
    .flatMap((w) => w.split('-'))
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
}

/** Builds the final mentions and entities. */
export function documentPass(paras: readonly PlacedParagraph[], ctx: DocumentContext): { mentions: Mention[]; entities: Entity[] } {
  const work: Work[] = [];
  // --- collect
  for (let p = 0; p < paras.length; p++) {
    const { offset, result, text } = paras[p];
    for (const m of result.mentions) {
      const w: Work = { m, start: offset + m.start, end: offset + m.end, text: text.slice(m.start, m.end), para: p, roles: [] };
      if (m.roles) for (const r of m.roles) w.roles.push(stripArticle(text.slice(r.start, r.end)));
      work.push(w);
    }
  }

  // --- dateline name (publisher or place) → a mention, replacing whatever overlaps it
  if (ctx.datelineName) {
    const dn = ctx.datelineName;
    const p = paras.findIndex((x) => x.offset <= dn.start && dn.end <= x.offset + x.text.length);
    if (p >= 0) {
      const txt = paras[p].text.slice(dn.start - paras[p].offset, dn.end - paras[p].offset);
      if (!ctx.isIgnored(txt)) {
        for (let i = work.length - 1; i >= 0; i--) if (work[i].start < dn.end && dn.start < work[i].end && NAME_TYPES.has(work[i].m.type)) work.splice(i, 1);
        const m: RawMention = { start: dn.start - paras[p].offset, end: dn.end - paras[p].offset, type: dn.type, source: 'rule', confidence: 0.8 };
        work.push({ m, start: dn.start, end: dn.end, text: txt, para: p, roles: [] });
      }
    }
  }

  // --- consistency: majority type per surface form (names only)
  const votes = new Map<string, Map<EntityType, number>>();
  for (const w of work) {
    if (!NAME_TYPES.has(w.m.type)) continue;
    let v = votes.get(w.text);
    if (!v) votes.set(w.text, (v = new Map()));
    v.set(w.m.type, (v.get(w.m.type) ?? 0) + (w.m.source === 'dictionary' ? 100 : w.m.confidence));
  }
  const majority = new Map<string, EntityType>();
  for (const [t, v] of votes) {
    let best: EntityType | undefined;
    let bv = -1;
    for (const [type, n] of v) if (n > bv) [best, bv] = [type, n];
    if (best) majority.set(t, best);
  }
  for (const w of work) {
    if (!NAME_TYPES.has(w.m.type) || w.m.source === 'dictionary') continue;
    const t = majority.get(w.text);
    if (t && t !== w.m.type && w.m.type !== 'group' && t !== 'group') w.m = { ...w.m, type: t };
  }
  // Surnames of people named in full (for candidates and identity).
  const personTokens = new Map<string, number>();
  for (const w of work) {
    if (w.m.type !== 'person') continue;
    const ws = words(w.text);
    if (ws.length >= 2) personTokens.set(ws[ws.length - 1], (personTokens.get(ws[ws.length - 1]) ?? 0) + 1);
  }
  // Candidates: unmarked capitalised words equal to a known name.
  for (let p = 0; p < paras.length; p++) {
    const { offset, result, text } = paras[p];
    for (const c of result.candidates) {
      const t = text.slice(c.start, c.end);
      let type = majority.get(t);
      if (!type && personTokens.has(t)) type = 'person';
      if (!type || (type === 'group' && !groupCanonical(t))) continue;
      if (SENTENCE_WORDS.has(t) || ctx.isIgnored(t)) continue;
      const m: RawMention = { start: c.start, end: c.end, type, source: 'consistency', confidence: 0.6 };
      work.push({ m, start: offset + c.start, end: offset + c.end, text: t, para: p, roles: [] });
    }
  }
  work.sort((a, b) => a.start - b.start || b.end - a.end);

  // --- identity
  const canonical = new Array<string>(work.length);
  // People: full names first.
  const fullByToken = new Map<string, { name: string; start: number; count: number }[]>();
  const fullCount = new Map<string, number>();
  for (const w of work) {
    if (w.m.type !== 'person') continue;
    const ws = words(w.text);
    if (ws.length < 2) continue;
    fullCount.set(w.text, (fullCount.get(w.text) ?? 0) + 1);
  }
  for (const w of work) {
    if (w.m.type !== 'person') continue;
    const ws = words(w.text);
    if (ws.length < 2) continue;
    for (const tok of new Set([ws[0], ws[ws.length - 1], ...ws.slice(1, -1)])) {
      let list = fullByToken.get(tok);
      if (!list) fullByToken.set(tok, (list = []));
      list.push({ name: w.text, start: w.start, count: fullCount.get(w.text) ?? 1 });
    }
  }
  // A longer full name containing a shorter one (Joe Biden ⊂ Joseph R. Biden? no — only exact
  // prefix/suffix word runs): map each full name to the longest full name that contains it.
  const fullNames = [...fullCount.keys()].sort((a, b) => words(b).length - words(a).length);
  const fullCanon = new Map<string, string>();
  for (const n of fullNames) {
    const nw = ` ${n} `;
    const longer = fullNames.find((o) => o !== n && words(o).length > words(n).length && ` ${o} `.includes(nw));
    fullCanon.set(n, longer ? (fullCanon.get(longer) ?? longer) : n);
  }

  // Orgs and places: acronym definitions and gazetteer canonical names.
  const longForms = new Map<EntityType, Map<string, number>>();
  for (const w of work) {
    if (w.m.type !== 'organization' && w.m.type !== 'place') continue;
    let lf = longForms.get(w.m.type);
    if (!lf) longForms.set(w.m.type, (lf = new Map()));
    lf.set(w.text, (lf.get(w.text) ?? 0) + 1);
  }
  const acronyms = new Map<string, string>();
  // Acronym pairs, found via the paragraph-level `expands` (indices into the paragraph list).
  for (let p = 0; p < paras.length; p++) {
    const ms = paras[p].result.mentions;
    for (const m of ms) {
      if (m.expands === undefined || !ms[m.expands]) continue;
      const t = paras[p].text;
      acronyms.set(t.slice(m.start, m.end), t.slice(ms[m.expands].start, ms[m.expands].end));
    }
  }
  // Initials of a long form present in the text: EU ↔ European Union.
  for (const [type, lf] of longForms) {
    void type;
    const byInitials = new Map<string, string>();
    for (const name of lf.keys()) if (words(name).length >= 2) byInitials.set(initials(name), name);
    for (const name of lf.keys()) {
      if (!/^[\p{Lu}.]{2,8}$/u.test(name) || acronyms.has(name)) continue;
      const long = byInitials.get(name.replace(/\./g, ''));
      if (long) acronyms.set(name, long);
    }
  }

  function shortToLong(type: EntityType, name: string): string | undefined {
    // Suffix or prefix word run of a longer name of the same type in the text ("Security Council"
    // ⊂ "UN Security Council", "Gaza" ⊂ "Gaza Strip"); the most frequent longer name wins.
    const lf = longForms.get(type);
    if (!lf || isCountry(name)) return undefined;
    let best: string | undefined;
    let bc = 0;
    for (const [o, c] of lf) {
      if (o.length <= name.length || !(o.startsWith(`${name} `) || o.endsWith(` ${name}`))) continue;
      if (c > bc) [best, bc] = [o, c];
    }
    return best;
  }

  for (let i = 0; i < work.length; i++) {
    const w = work[i];
    const t = w.text;
    switch (w.m.type) {
      case 'person': {
        if (w.m.entry) {
          canonical[i] = w.m.entry.name;
          break;
        }
        const ws = words(t);
        if (ws.length >= 2) {
          canonical[i] = fullCanon.get(t) ?? t;
          break;
        }
        const cands = fullByToken.get(t);
        if (!cands || cands.length === 0) {
          canonical[i] = t;
          break;
        }
        const names = new Set(cands.map((c) => fullCanon.get(c.name) ?? c.name));
        if (names.size === 1) {
          canonical[i] = [...names][0];
          break;
        }
        // Several people share the word: the one named most recently before, else the first.
        let pick = cands[0];
        for (const c of cands) if (c.start < w.start && (pick.start > w.start || c.start > pick.start)) pick = c;
        canonical[i] = fullCanon.get(pick.name) ?? pick.name;
        break;
      }
      case 'organization':
      case 'place': {
        if (w.m.entry) {
          canonical[i] = w.m.entry.name;
          break;
        }
        let c = acronyms.get(t) ?? t;
        const viaShort = shortToLong(w.m.type, c);
        if (viaShort) c = viaShort;
        const g = w.m.type === 'place' ? placeCanonical(c) : orgCanonical(c);
        // Gazetteer canonical only when it names a different form already (US → United States).
        canonical[i] = g ?? c;
        break;
      }
      case 'group':
        canonical[i] = w.m.entry?.name ?? groupCanonical(t) ?? groupCanonical(t.replace(/s$/, '')) ?? t;
        break;
      case 'date': {
        const v = w.m.date ? resolveDate(w.m.date, ctx.refDate) : undefined;
        w.m = { ...w.m, value: v };
        canonical[i] = w.m.entry?.name ?? t;
        break;
      }
      case 'number':
        canonical[i] = w.m.entry?.name ?? t;
        break;
    }
  }

  // --- entities
  const entities = new Map<string, Entity>();
  const mentions: Mention[] = [];
  for (let i = 0; i < work.length; i++) {
    const w = work[i];
    const type = w.m.type;
    const canon = canonical[i];
    const id = type === 'date' && w.m.value ? `date:${w.m.value}` : slug(type, canon);
    let e = entities.get(id);
    if (!e) {
      e = { id, type, canonical: canon, aliases: [], roles: [], mentions: [] };
      if (w.m.entry?.description) e.description = w.m.entry.description;
      entities.set(id, e);
    }
    if (w.text !== canon && !e.aliases.includes(w.text)) e.aliases.push(w.text);
    for (const r of w.roles) if (!e.roles.includes(r)) e.roles.push(r);
    e.mentions.push({ start: w.start, end: w.end });
    const out: Mention = { start: w.start, end: w.end, type, text: w.text, canonical: canon, entityId: id, confidence: w.m.confidence, source: w.m.source };
    if (w.m.value !== undefined) out.value = w.m.value;
    mentions.push(out);
  }
  // Dictionary descriptions for entities reached through other forms.
  return { mentions, entities: [...entities.values()] };
}
