/**
 * The entity pipeline's view of the gazetteers (owned by the tagger engineer, `gazetteer/`):
 * thin, memoised wrappers over `lookupGazetteer`.
 */
import { COUNTRIES } from './gazetteer/countries.generated';
import { lookupGazetteer, type GazetteerEntry } from './gazetteer';

const memo = new Map<string, readonly GazetteerEntry[]>();

function lookup(phrase: string): readonly GazetteerEntry[] {
  let r = memo.get(phrase);
  if (!r) {
    r = lookupGazetteer(phrase);
    if (memo.size > 50000) memo.clear();
    memo.set(phrase, r);
  }
  return r;
}

/** Canonical group name (`Russian` → `Russians`) when the phrase is a demonym or people word. */
export function groupCanonical(phrase: string): string | undefined {
  return lookup(phrase).find((e) => e.type === 'group')?.canonical;
}

/** Canonical place name (`US` → `United States`). */
export function placeCanonical(phrase: string): string | undefined {
  return lookup(phrase).find((e) => e.type === 'place')?.canonical;
}

/** Is the phrase a country (name or short form)? */
export function isCountry(phrase: string): boolean {
  return lookup(phrase).some((e) => e.type === 'place' && e.kind === 'country');
}

/** Canonical organisation name (`Security Council` → `UN Security Council`). */
export function orgCanonical(phrase: string): string | undefined {
  return lookup(phrase).find((e) => e.type === 'organization')?.canonical;
}

/** Is it a common first name? */
export function isFirstNameOnly(phrase: string): boolean {
  const r = lookup(phrase);
  return r.length > 0 && r.every((e) => e.type === 'person-first-name');
}

let demonymCountry: Map<string, string> | undefined;

/**
 * One key for a country and its demonym, for matching roles (`Russia`, `Russian`, `Russia's`
 * → `RU`; `US`, `American` → `US`). Lower-case input allowed.
 */
export function nationKey(word: string): string | undefined {
  if (!demonymCountry) {
    demonymCountry = new Map();
    for (const [name, code, , aliases, , demonyms] of COUNTRIES) {
      demonymCountry.set(name.toLowerCase(), code);
      for (const a of aliases.split('|')) if (a) demonymCountry.set(a.toLowerCase(), code);
      for (const d of demonyms.split('|')) if (d) demonymCountry.set(d.toLowerCase(), code);
    }
    demonymCountry.set('azeri', 'AZ');
    demonymCountry.set('america', 'US');
  }
  const w = word.toLowerCase().replace(/[’']s$/, '');
  return demonymCountry.get(w);
}
