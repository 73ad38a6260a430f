/**
 * One person across sources: "Lavrov" in one file and "Sergei Lavrov" in another are the same
 * speaker; "Clinton" next to both "Hillary Clinton" and "Bill Clinton" is nobody in particular.
 *
 * Conservative rules (`identifySpeakers`):
 * - names are compared without titles (`Mr.`, `President`, `Sen.` …), case, diacritics, dots and
 *   a `Jr.`/`Sr.`/`II`-style suffix;
 * - a description (`a senior official`, `the spokesman`: any word in lower case after the titles are
 *   removed) is only ever itself;
 * - two full names are one person when their last names agree and their first names agree or one is
 *   the other's initial (`S. Lavrov`); middle names are ignored;
 * - a lone surname joins the full name with that surname only when exactly one such person is known
 *   in the workspace.
 * The canonical name shown is the longest form seen (most words, then the most frequent).
 */

const TITLES = new Set(
  'mr mrs ms miss dr prof sir dame lord lady president vice prime minister foreign secretary sen senator rep representative gov governor mayor gen general col lt capt adm judge justice chancellor king queen prince princess pope rev reverend father sister brother ambassador spokesman spokeswoman spokesperson chairman chairwoman chair ceo director deputy minister'.split(
    ' ',
  ),
);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

interface Parsed {
  /** Name words after titles (original case). */
  words: string[];
  description: boolean;
}

function parseName(name: string): Parsed {
  const raw = name.replace(/[’']s$/u, '').split(/[\s\u00a0]+/u).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, '')).filter(Boolean);
  let i = 0;
  while (i < raw.length - 1 && TITLES.has(fold(raw[i]).replace(/\.$/, ''))) i++;
  let words = raw.slice(i);
  while (words.length > 1 && SUFFIXES.has(fold(words[words.length - 1]).replace(/\.$/, ''))) words = words.slice(0, -1);
  const description = words.length === 0 || words.some((w) => !/^\p{Lu}/u.test(w));
  return { words, description };
}

/** The comparison key of a name (titles, case, diacritics and dots removed). */
export function speakerKey(name: string): string {
  const p = parseName(name);
  if (p.description) return `~${fold(name.trim().replace(/\s+/g, ' '))}`;
  return p.words.map((w) => fold(w).replace(/\./g, '')).join(' ');
}

function firstNamesAgree(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === 1) return b.startsWith(a);
  if (b.length === 1) return a.startsWith(b);
  return false;
}

/** Maps every name to its canonical form (see the module comment). */
export function identifySpeakers(names: Iterable<string>): Map<string, string> {
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  // Union-find over keys.
  const keyOf = new Map<string, string>();
  for (const n of count.keys()) keyOf.set(n, speakerKey(n));
  const keys = [...new Set(keyOf.values())];
  const parent = new Map(keys.map((k) => [k, k]));
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const full = keys.filter((k) => !k.startsWith('~') && k.includes(' '));
  const byLast = new Map<string, string[]>();
  for (const k of full) {
    const ws = k.split(' ');
    const last = ws[ws.length - 1];
    const list = byLast.get(last) ?? [];
    list.push(k);
    byLast.set(last, list);
  }
  for (const list of byLast.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (firstNamesAgree(list[i].split(' ')[0], list[j].split(' ')[0])) union(list[i], list[j]);
      }
    }
  }
  for (const k of keys) {
    if (k.startsWith('~') || k.includes(' ')) continue;
    const list = byLast.get(k);
    if (!list) continue;
    const people = new Set(list.map(find));
    if (people.size === 1) union(k, list[0]);
  }
  // Canonical display name per group: the most words, then the most frequent, then alphabetical.
  const best = new Map<string, string>();
  const score = (n: string) => [parseName(n).words.length, count.get(n) ?? 0] as const;
  for (const n of count.keys()) {
    const g = find(keyOf.get(n)!);
    const cur = best.get(g);
    if (cur === undefined) {
      best.set(g, n);
      continue;
    }
    const [a1, a2] = score(n);
    const [b1, b2] = score(cur);
    if (a1 > b1 || (a1 === b1 && (a2 > b2 || (a2 === b2 && n < cur)))) best.set(g, n);
  }
  const out = new Map<string, string>();
  for (const n of count.keys()) out.set(n, best.get(find(keyOf.get(n)!))!);
  return out;
}
