/**
 * Quotations and who said them.
 *
 * Two passes:
 *  1. per paragraph ("unit", see {@link splitUnits}), cached by the unit's text: quotation marks
 *     paired ({@link pairMarks}), kinds, and the phrase that attributes each quotation — the speaker
 *     noun phrase and the cue — found next to the quotation or in its sentence ({@link analyzeUnit});
 *  2. a cheap document pass (`documentPass.ts`, with `speakers.ts`) that resolves those phrases
 *     against the entity recogniser's output (names → entities, pronouns → the most recent fitting
 *     person or group, role phrases → the person the text gave that role, organisations), carries
 *     a speaker over quote-only paragraphs and quotations continued over paragraphs, and inherits
 *     the speaker of nested quotations.
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
import type { Entity, Quote } from '../types';
import type { EntityResult } from '../ner';
import { analyzeUnitParsed, type LocalUnit } from './local';
import { findReports } from './attribution';
import type { LoadedCueModel } from './cues';
import { shippedCueModel } from './cueModel';
import { splitUnits } from './units';
import { DocumentPass } from './documentPass';
import { reusableUnits, type PassRecord } from './passReuse';

export { pairMarks } from './marks';
export { analyzeUnit } from './local';
export { splitUnits } from './units';
export { roleMatches } from './roles';

interface CacheEntry {
  local: LocalUnit;
  gen: number;
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
    const pass = new DocumentPass(text, entities, units, locals, this.options.resolveRolePhrase);
    const k = this.last ? reusableUnits(this.last, pass) : 0;
    this.reusedUnits = k;
    const out = pass.run(k > 0 ? this.last : undefined, k);
    this.last = pass.record();
    return out;
  }
}

const shared = new QuoteFinder();

/** Quotations of `text`, attributed with the help of the entity recogniser's result. */
export function findQuotes(text: string, entities: EntityResult): Quote[] {
  return shared.find(text, entities);
}
