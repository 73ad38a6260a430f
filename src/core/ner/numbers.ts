/**
 * Numbers: counts, money and percentages with their qualifier (`over 5,000`, `More than 2,000`,
 * `$3.5 billion`, `12%`, `about 40 percent`, `two million`, `thousands`). Ordinals (`first`,
 * `3rd`) are not marked, nor are digits inside identifiers (`G20`, `F-16`, `COVID-19`), years
 * (those are dates) or times.
 *
 * `Mention.value`: the qualifier as an operator (`>`, `<`, `~`, `>=`, `<=`), then the value
 * (`>5000`, `USD 3500000000`, `12%`, `~40%`).
 */

export interface NumberHit {
  start: number;
  end: number;
  value?: string;
}

const QUALIFIERS: [RegExp, string][] = [
  [/^(?:just\s+|well\s+)?(?:over|more\s+than|greater\s+than|upwards\s+of|in\s+excess\s+of|above)$/i, '>'],
  [/^(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of)$/i, '>='],
  [/^(?:just\s+|well\s+)?(?:under|less\s+than|fewer\s+than|below)$/i, '<'],
  [/^(?:up\s+to|at\s+most|as\s+many\s+as|as\s+much\s+as|no\s+more\s+than|a\s+maximum\s+of)$/i, '<='],
  [/^(?:nearly|almost|about|around|approximately|roughly|some|close\s+to|an\s+estimated|an\s+average\s+of|estimated|circa|approx\.)$/i, '~'],
  [/^(?:exactly|only|just|precisely)$/i, ''],
];
const QUAL =
  '(?:(?:just|well)\\s+)?(?:over|more\\s+than|greater\\s+than|upwards\\s+of|in\\s+excess\\s+of|above|at\\s+least|no\\s+fewer\\s+than|no\\s+less\\s+than|under|less\\s+than|fewer\\s+than|below|up\\s+to|at\\s+most|as\\s+many\\s+as|as\\s+much\\s+as|no\\s+more\\s+than|nearly|almost|about|around|approximately|roughly|some|close\\s+to|an\\s+estimated|an\\s+average\\s+of|exactly|only|just|precisely)';

const UNITS: Record<string, number> = {
  zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, m: 1e6, mn: 1e6, k: 1e3, tn: 1e12 };
const CURRENCY_SYMBOL: Record<string, string> = { $: 'USD', 'US$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', 'A$': 'AUD', 'C$': 'CAD' };

const SPELLED =
  '(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)';
const DIGITS = '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)';
const SCALE = '(?:hundred|thousand|million|billion|trillion)';
const CUR = '(?:US\\$|A\\$|C\\$|[$€£¥₹])';
const CURWORD = '(?:dollars|euros|pounds|yen|rupees|roubles|rubles|rials|yuan|shekels|francs|cents)';
const PCT = '(?:\\s?%|\\s+percent(?:age\\s+points?)?\\b|\\s+per\\s+cent\\b|\\s+percentage\\s+points?\\b)';

// Both alternatives start where no word character or hyphen precedes and a word character or a
// currency sign follows; that test is hoisted in front of the alternation, so positions inside
// words fail at once.
const NUMBER_RE = new RegExp(
  '(?<![\\w-])(?=[\\w$€£¥₹])(?:' +
  [
    // money / digits with scale / percent, with an optional qualifier
    `(?<![\\w.,/:#-])(?<q>${QUAL}\\s+)?(?<cur>${CUR}\\s?)?(?<n>${DIGITS})(?<sc>\\s?(?:${SCALE}|bn|mn|tn)\\b|[mbk]\\b)?(?![\\w/]|[.,]\\d|-\\w|:\\d)(?<pct>${PCT})?(?<cw>\\s+${CURWORD}\\b)?`,
    // spelled numbers: "two million", "twenty-five", "a dozen", "hundreds of", "thousands"
    `(?<![\\w-])(?<q2>${QUAL}\\s+)?(?<sp>(?:${SPELLED}|a|one)\\s+${SCALE}|${SPELLED}(?:\\s+${SCALE})?|(?:a\\s+|two\\s+|three\\s+)?dozen)(?<pct2>${PCT})?(?<cw2>\\s+${CURWORD}\\b)?(?![\\w-])`,
  ].join('|') +
  ')',
  'gi',
);

function qualifierOp(q: string | undefined): string {
  if (!q) return '';
  const t = q.trim().replace(/\s+/g, ' ');
  for (const [re, op] of QUALIFIERS) if (re.test(t)) return op;
  return '';
}

function spelledValue(s: string): number | undefined {
  let total = 0;
  let cur = 0;
  for (const w of s.toLowerCase().split(/[\s-]+/)) {
    if (w === 'a' || w === 'one') cur += 1;
    else if (w in UNITS) cur += UNITS[w];
    else if (w === 'dozen' || w === 'dozens') cur = (cur || 1) * 12;
    else if (w in SCALES) {
      cur = (cur || 1) * SCALES[w];
      if (SCALES[w] >= 1000) {
        total += cur;
        cur = 0;
      }
    } else if (w === 'of' || w === 'tens' || w === 'hundreds' || w === 'thousands' || w === 'millions' || w === 'billions') return undefined;
    else return undefined;
  }
  return total + cur;
}

const COUNT_NOUN = /^\s+(?:people|percent|per cent|votes|troops|members|jobs|cases|deaths|dollars|euros|miles|kilometres|kilometers|km|feet|metres|meters|tons|tonnes|barrels|units|children|women|men|residents|refugees|soldiers)\b/i;
const CURRENCY_WORD: Record<string, string> = { dollars: 'USD', euros: 'EUR', pounds: 'GBP', yen: 'JPY', rupees: 'INR', roubles: 'RUB', rubles: 'RUB', rials: 'IRR', yuan: 'CNY', shekels: 'ILS', francs: 'CHF', cents: 'USD' };
function currencyCode(w: string): string {
  return CURRENCY_WORD[w.trim().toLowerCase()] ?? w.trim().toUpperCase();
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}

/** Finds numbers in `text` (offsets relative to it). Callers drop those overlapping dates. */
export function findNumbers(text: string): NumberHit[] {
  const out: NumberHit[] = [];
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(text); m; m = NUMBER_RE.exec(text)) {
    const g = m.groups ?? {};
    const start = m.index;
    let end = start + m[0].length;
    const q = g.q ?? g.q2;
    // A lowercase qualifier word must not be a capitalised-name part; fine. Skip ordinals / identifiers.
    let value: number | undefined;
    let currency = '';
    let percent = false;
    if (g.n !== undefined) {
      const raw = g.n.replace(/,/g, '');
      value = Number(raw);
      const sc = (g.sc ?? '').trim().toLowerCase();
      // "5m" / "5k": only with a currency symbol (otherwise metres / a unit).
      if (sc && SCALES[sc] !== undefined) {
        // "5m" / "5k" are units (metres, kilo-) unless money.
        if ((sc === 'm' || sc === 'k') && !g.cur) continue;
        value *= SCALES[sc];
      }
      if (g.cur) currency = CURRENCY_SYMBOL[g.cur.trim()] ?? 'USD';
      if (g.cw) currency = currencyCode(g.cw);
      percent = !!g.pct;
      // Years and times are dates; numbers right after "No." or "#" are identifiers.
      if (!g.cur && !g.pct && !g.sc && !q && /^(?:1[5-9]\d{2}|20\d{2})$/.test(g.n) && !COUNT_NOUN.test(text.slice(end, end + 16))) continue;
      if (/(?:No\.|#|\bNo)\s*$/.test(text.slice(Math.max(0, start - 4), start))) continue;
      // Ten or more digits without separators: an identifier (a tweet id, a timestamp, a phone number).
      if (/^\d{10,}$/.test(g.n)) continue;
      // A time ("10:30", "10 a.m.") — handled by dates.
      if (/^\s?(?:a\.m\.|p\.m\.|am\b|pm\b)/i.test(text.slice(end, end + 5))) continue;
    } else if (g.sp !== undefined) {
      value = spelledValue(g.sp);
      percent = !!g.pct2;
      if (g.cw2) currency = currencyCode(g.cw2);
      // "a"/"one" alone never reach here (SPELLED excludes them); "a hundred" etc. do.
      if (/^(?:a|one)$/i.test(g.sp)) continue;
    }
    // Drop a capitalised qualifier that is really the start of a title? No: "More than 2,000" is right.
    const op = qualifierOp(q);
    let v = value === undefined ? undefined : `${op}${currency ? `${currency} ` : ''}${fmt(value)}${percent ? '%' : ''}`;
    if (value === undefined) v = op ? `${op}?` : undefined;
    while (end > start && /[\s,.]/.test(text[end - 1]) && !/\d/.test(text[end - 2] ?? '')) end--;
    out.push({ start, end, value: v });
  }
  return out;
}
