/**
 * The entity pipeline's view of the gazetteers (`gazetteer/`):
 * thin, memoised wrappers over `lookupGazetteer`.
 */
import { COUNTRIES } from './gazetteer/countries.generated';
import { lookupGazetteer } from './gazetteer';
import { BoundedMemo } from '../text/memo';

/** What the pipeline asks of a phrase's gazetteer entries, derived once per phrase. */
export interface PhraseInfo {
  readonly group: string | undefined;
  readonly place: string | undefined;
  readonly org: string | undefined;
  readonly country: boolean;
  readonly firstNameOnly: boolean;
}

const memo = new BoundedMemo<PhraseInfo>(50000);

/** All of the answers below for one phrase (one memo lookup). */
export function phraseInfo(phrase: string): PhraseInfo {
  return memo.get(phrase, makeInfo);
}

function makeInfo(phrase: string): PhraseInfo {
  const entries = lookupGazetteer(phrase);
  return {
    group: entries.find((e) => e.type === 'group')?.canonical,
    place: entries.find((e) => e.type === 'place')?.canonical,
    org: entries.find((e) => e.type === 'organization')?.canonical,
    country: entries.some((e) => e.type === 'place' && e.kind === 'country'),
    firstNameOnly: entries.length > 0 && entries.every((e) => e.type === 'person-first-name'),
  };
}

/** Canonical group name (`Russian` → `Russians`) when the phrase is a demonym or people word. */
export function groupCanonical(phrase: string): string | undefined {
  return phraseInfo(phrase).group;
}

/** Canonical place name (`US` → `United States`). */
export function placeCanonical(phrase: string): string | undefined {
  return phraseInfo(phrase).place;
}

/** Is the phrase a country (name or short form)? */
export function isCountry(phrase: string): boolean {
  return phraseInfo(phrase).country;
}

/** Canonical organisation name (`Security Council` → `UN Security Council`). */
export function orgCanonical(phrase: string): string | undefined {
  return phraseInfo(phrase).org;
}

/** Is it a common first name? */
export function isFirstNameOnly(phrase: string): boolean {
  return phraseInfo(phrase).firstNameOnly;
}

/** Has the phrase a (non-empty) organisation, place or group canonical? */
export function isKnownName(phrase: string): boolean {
  const r = phraseInfo(phrase);
  return !!(r.org || r.place || r.group);
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
