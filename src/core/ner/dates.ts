/**
 * Date and time expressions: explicit (`23 October`, `October 24, 2023`, `March 2021`, `2019`,
 * `2023-10-24`, `the 1990s`) and relative (`Today`, `Last year`, `three days ago`, `years ago`,
 * `the weekend`, `the past few days`, `just a week`, `last Tuesday`, `10 a.m.`).
 *
 * Two stages, so that the per-paragraph cache stays valid when the document's date changes:
 * `findDates(text)` finds spans and a structured {@link DateSpec}; `resolveDate(spec, ref)` turns
 * the spec into the `Mention.value` string against the reference date (the source's dateline,
 * see `findDateline`). Values: ISO dates (`2023-10-23`, `2023-10`, `2022`), decades (`199X`),
 * ISO 8601 intervals (`2023-10-21/2023-10-22`) and durations (`P1W`, `PXY` for "years").
 *
 * Chosen over chrono-node (measured: see the entity issue's report): chrono includes the
 * preposition (`on 23 October`), misses bare years, decades, `years ago` and durations, and is
 * slower than these regular expressions.
 */

export type DateSpec =
  | { kind: 'abs'; y?: number; m?: number; d?: number }
  | { kind: 'decade'; y: number }
  | { kind: 'relday'; offset: number }
  | { kind: 'relunit'; unit: 'week' | 'month' | 'year'; offset: number }
  | { kind: 'weekday'; dow: number; dir: -1 | 0 | 1 }
  | { kind: 'weekend'; dir: -1 | 0 | 1 }
  | { kind: 'ago'; n?: number; unit: Unit }
  | { kind: 'duration'; n?: number; unit: Unit; past?: boolean }
  | { kind: 'time'; text: string }
  | { kind: 'years'; from: number; to: number }
  | { kind: 'relmonth'; m: number; dir: -1 | 0 | 1 }
  | { kind: 'every'; n?: number; unit: Unit }
  | { kind: 'vague' };

export type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade';

export interface DateHit {
  start: number;
  end: number;
  spec: DateSpec;
}

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
  october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const DAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const SMALL: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
};

const MONTH_FULL = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const MONTH_ABBR = '(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';
const MONTH = `(?:${MONTH_FULL}|${MONTH_ABBR})`;
const DAY = '(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const YEAR = '(?:1[5-9][0-9]{2}|20[0-9]{2})';
const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const PART = '(?:\\s+(?:morning|afternoon|evening|night))';
/** `two` → `[Tt]wo`: number words may open a sentence. */
const cap = (alts: string): string => alts.split('|').map((w) => (/^[a-z]/.test(w) ? `[${w[0].toUpperCase()}${w[0]}]${w.slice(1)}` : w)).join('|');
const NUMWORDS = 'a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a few|a couple of|several|many|some';
const NUMW = `(?:${cap(NUMWORDS)}|\\d{1,3})`;
const UNIT = '(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)';
const UNITS = '(?:seconds|minutes|hours|days|weeks|months|years|decades)';

// Order matters: longer, more specific alternatives first. Named groups identify the construction.
// Every alternative starts at a word boundary before a word character or an apostrophe; that test
// is hoisted in front of the alternation (\b(?:A|B) ≡ \bA|\bB), so most positions fail at once.
const DATE_ALTERNATIVES = [
    `(?<iso>\\b${YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])\\b)`,
    `(?<mdy>\\b${MONTH}\\s+${DAY}(?:,?\\s+${YEAR})?(?![\\w-]))`,
    `(?<dmy>\\b${DAY}\\s+(?:of\\s+)?${MONTH}(?:,?\\s+${YEAR})?(?![\\w-]))`,
    `(?<my>\\b${MONTH}(?:,)?\\s+${YEAR}\\b)`,
    `(?<decade>\\b(?:[Tt]he\\s+)?(?:(?:1[5-9]|20)[0-9]0s|['\u2019][0-9]0s)(?![\\w-]))`,
    `(?<relword>\\b(?:[Tt]oday|TODAY|[Yy]esterday|[Tt]omorrow|[Tt]onight)\\b(?:${PART})?)`,
    `(?<relunit>\\b(?:[Tt]his\\s+past|[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Ee]arlier\\s+this|[Ll]ater\\s+this)\\s+(?:week|month|year|decade|century|spring|summer|autumn|fall|winter)\\b)`,
    `(?<wkday>\\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Ff]ollowing|[Ee]arly|[Ee]arlier|[Ll]ate|[Ll]ater)\\s+)?${WEEKDAY}(?:${PART})?\\b)`,
    `(?<recent>\\b[Rr]ecent\\s+(?:days|weeks|months|years|decades)\\b)`,
    `(?<weekend>\\b(?:the|this|last|next|[Tt]his(?:\\s+past)?|[Ll]ast|[Nn]ext)\\s+weekend\\b)`,
    `(?<ago>\\b(?:(?:just\\s+|only\\s+|about\\s+|nearly\\s+|almost\\s+|some\\s+)?${NUMW}\\s+)?${UNIT}\\s+ago\\b)`,
    `(?<past>\\b(?:[Tt]he\\s+)?(?:past|last|next|coming|previous|preceding|following)\\s+(?:(?:few|two|three|four|five|six|seven|eight|nine|ten|twelve|several|couple\\s+of|\\d{1,3})\\s+)?${UNITS}\\b)`,
    `(?<dur>\\b(?:(?:[Jj]ust|[Oo]nly|[Nn]early|[Aa]lmost|[Aa]bout|[Bb]arely|[Ss]ome|[Oo]ver|[Mm]ore\\s+than|[Ll]ess\\s+than)\\s+)?(?:${cap('a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty')}|[Aa]\\s+few|[Aa]\\s+couple\\s+of|[Ss]everal|\\d{1,3})\\s+${UNIT}(?:-long)?\\b(?!\\s+(?:old|of)\\b)(?!-old))`,
    `(?<time>\\b(?:[01]?[0-9])(?::[0-5][0-9])?\\s?(?:a\\.m\\.|p\\.m\\.|am\\b|pm\\b)(?:\\s+(?:ET|EST|EDT|PT|PST|PDT|CT|CST|CDT|MT|GMT|UTC|BST|CET|CEST|local time|(?:Eastern|Central|Pacific|Mountain)(?:\\s+(?:[Ss]tandard\\s+|[Dd]aylight\\s+)?[Tt]ime)?))?)`,
    // "2011 to 2016", "2011-2016", "2016-17" (not into an ISO date: "2011 to 2016-10-24"; not "2030 to 32 percent").
    `(?<yrange>\\b${YEAR}(?:(?:\\s*[-–—]\\s*|\\s+to\\s+)${YEAR}|[-–][0-9]{2})(?![\\w-]))`,
    // "last December", "next March" (not "last December 5": that is a month and day).
    `(?<relmonth>\\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming)\\s+${MONTH_FULL}\\b(?!,?\\s+\\d))`,
    // "every year", "every three months", "every other week".
    `(?<every>\\b[Ee]very\\s+(?:(?:other|few|${NUMW})\\s+)?${UNIT}\\b)`,
    `(?<month>\\b(?:${MONTH_FULL})\\b)`,
    `(?<year>\\b${YEAR}\\b)`,
];
if (!DATE_ALTERNATIVES.every((a) => /^\(\?<\w+>\\b/.test(a))) throw new Error('every date alternative must start with \\b');
const alternation = (alts: readonly string[]): RegExp => new RegExp(`\\b(?=[\\w'\u2019])(?:${alts.map((a) => a.replace(/^(\(\?<\w+>)\\b/, '$1')).join('|')})`, 'g');
const DATE_RE = alternation(DATE_ALTERNATIVES);
/**
 * The dateline needs full dates only (iso, mdy and dmy with a year). These four alternatives find
 * exactly the full dates the whole pattern finds: the others never start before a full date and
 * run into it, except month-and-year ("October 2023-10-24"), which is kept for that reason.
 */
const FULL_DATE_RE = alternation(DATE_ALTERNATIVES.slice(0, 4));

function num(s: string): number | undefined {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t === 'a few' || t === 'several' || t === 'many' || t === 'some' || t.startsWith('a couple')) return undefined;
  return SMALL[t];
}

function unitOf(s: string): Unit {
  const u = s.toLowerCase().replace(/s$/, '').replace(/-long$/, '');
  if (u === 'second' || u === 'minute') return 'minute';
  return (u === 'hour' || u === 'day' || u === 'week' || u === 'month' || u === 'decade' ? u : 'year') as Unit;
}

function monthOf(s: string): number {
  return MONTHS[s.toLowerCase().replace(/\.$/, '')] ?? 0;
}

/** Words that make a capitalised month name a name, not a date (`May` the modal, `March` the verb). */
const MONTH_CONTEXT_BEFORE = /\b(?:in|since|until|till|by|from|during|of|early|late|mid|through|last|next|this|each|every|before|after|between|and|or|to)[\s-]+$/i;

/**
 * Finds date expressions in `text` (offsets relative to `text`). Years inside larger numbers,
 * money and percentages are left alone.
 */
export function findDates(text: string): DateHit[] {
  return scanDates(text, DATE_RE);
}

function scanDates(text: string, re: RegExp): DateHit[] {
  const out: DateHit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const hit = dateHit(text, m);
    if (hit) out.push(hit);
  }
  return out;
}

type Groups = Record<string, string | undefined>;

/** The date a match of the date pattern stands for (by its named group), trimmed; undefined when it is none. */
function dateHit(text: string, m: RegExpExecArray): DateHit | undefined {
  const g: Groups = m.groups ?? {};
  let start = m.index;
  let end = start + m[0].length;
  const s = m[0];
  let spec: DateSpec | undefined;
  if (g.iso || g.mdy || g.dmy || g.my || g.decade) spec = calendarSpec(g, s);
  else if (g.relword || g.relunit || g.recent || g.wkday || g.weekend) spec = relativeSpec(g, s);
  else if (g.ago || g.past || g.dur) spec = durationSpec(g, s);
  else if (g.yrange) {
    spec = yearRangeSpec(text, s, start);
    // Not a range ("2016-2012"): the first year alone.
    if (spec?.kind === 'abs') end = start + 4;
  } else if (g.relmonth || g.every || g.time) spec = recurringSpec(g, s);
  else if (g.month) spec = monthSpec(text, s, start, end);
  else if (g.year) spec = yearSpec(text, s, start, end);
  if (!spec) return undefined;
  // Trim trailing spaces/punctuation the alternatives may carry.
  while (end > start && /[\s,]/.test(text[end - 1])) end--;
  while (start < end && /\s/.test(text[start])) start++;
  return { start, end, spec };
}

/** ISO dates, month and day (with a year or not), month and year, decades. */
function calendarSpec(g: Groups, s: string): DateSpec | undefined {
  if (g.iso) {
    const [y, mo, d] = s.split('-').map(Number);
    return { kind: 'abs', y, m: mo, d };
  }
  if (g.mdy || g.dmy) {
    const mm = /([A-Za-z]+\.?)/.exec(s.replace(/\bof\b/, ''));
    const mon = mm ? monthOf(mm[1]) : 0;
    const nums = s.match(/\d+/g) ?? [];
    const d = Number(nums[0]);
    const y = nums[1] ? Number(nums[1]) : undefined;
    // "May 5" fine; but "may 2" lowercase never matches (MONTH is capitalised).
    return mon ? { kind: 'abs', y, m: mon, d } : undefined;
  }
  if (g.my) {
    const mm = /([A-Za-z]+\.?)/.exec(s);
    return { kind: 'abs', y: Number(/\d{4}/.exec(s)?.[0]), m: mm ? monthOf(mm[1]) : undefined };
  }
  const d = /(\d+)0s/.exec(s);
  if (!d) return undefined;
  let y = Number(d[1]) * 10;
  if (y < 100) y += 1900;
  return { kind: 'decade', y };
}

/** Today and its kin, this/last/next week (month, year), recent years, weekdays, the weekend. */
function relativeSpec(g: Groups, s: string): DateSpec {
  if (g.relword) {
    const w = s.toLowerCase();
    return { kind: 'relday', offset: w.startsWith('yesterday') ? -1 : w.startsWith('tomorrow') ? 1 : 0 };
  }
  if (g.relunit) {
    const w = s.toLowerCase().split(/\s+/);
    const unit = w[w.length - 1];
    const off = /^(?:last|previous)$/.test(w[0]) || w[1] === 'past' ? -1 : /^(?:next|coming)$/.test(w[0]) ? 1 : 0;
    return unit === 'week' || unit === 'month' || unit === 'year' ? { kind: 'relunit', unit, offset: off } : { kind: 'vague' };
  }
  if (g.recent) {
    const w = s.toLowerCase().split(/\s+/);
    return { kind: 'duration', unit: unitOf(w[1]), past: true };
  }
  if (g.wkday) {
    const w = s.toLowerCase().split(/\s+/);
    const day = w.find((x) => x in DAYS) ?? 'monday';
    const dir = /^(?:last|previous)$/.test(w[0]) ? -1 : /^(?:next|coming|following)$/.test(w[0]) ? 1 : 0;
    return { kind: 'weekday', dow: DAYS[day], dir };
  }
  const w = s.toLowerCase();
  // "the weekend": mark "the weekend" (the preposition "over" stays outside).
  return { kind: 'weekend', dir: w.startsWith('last') ? -1 : w.startsWith('next') ? 1 : 0 };
}

/** Three days ago, the past few weeks, just a week. */
function durationSpec(g: Groups, s: string): DateSpec | undefined {
  if (g.ago) {
    const mm = new RegExp(`(?:(${NUMW})\\s+)?(${UNIT})\\s+ago`, 'i').exec(s);
    return { kind: 'ago', n: mm?.[1] ? num(mm[1]) : undefined, unit: unitOf(mm?.[2] ?? 'years') };
  }
  if (g.past) {
    const w = s.replace(/^[Tt]he\s+/, '').split(/\s+/);
    const unit = unitOf(w[w.length - 1]);
    const n = w.length > 2 ? num(w.slice(1, -1).join(' ')) : undefined;
    const past = /^(?:past|last|previous|preceding)$/i.test(w[0]);
    return { kind: 'duration', n, unit, past };
  }
  const mm = new RegExp(`(${NUMW.replace('a couple of', 'a\\s+couple\\s+of').replace('a few', 'a\\s+few')})\\s+(${UNIT})`, 'i').exec(s);
  // "a day" after an article-less verb is a duration worth marking; "one day" (someday) is not.
  if (/^one\s+day$/i.test(s)) return undefined;
  return { kind: 'duration', n: mm ? num(mm[1]) : undefined, unit: unitOf(mm?.[2] ?? 'year') };
}

/** "2011 to 2016", "2016-17": a range of years, or the first year alone when it is no range; undefined inside a number. */
function yearRangeSpec(text: string, s: string, start: number): DateSpec | undefined {
  const ys = s.match(/\d+/g) ?? [];
  const from = Number(ys[0]);
  let to = Number(ys[1]);
  if (ys[1]?.length === 2) to = Math.floor(from / 100) * 100 + to;
  const prev = text.slice(Math.max(0, start - 2), start);
  if (/[$€£#\d.,:/-]\s?$/.test(prev) && !/^\s$/.test(prev.slice(-1))) return undefined;
  return to > from && to - from <= 100 ? { kind: 'years', from, to } : { kind: 'abs', y: from };
}

/** Last December, every three months, 4 p.m. */
function recurringSpec(g: Groups, s: string): DateSpec {
  if (g.relmonth) {
    const w = s.toLowerCase().split(/\s+/);
    return { kind: 'relmonth', m: monthOf(w[w.length - 1]), dir: /^(?:last|previous)$/.test(w[0]) ? -1 : /^(?:next|coming)$/.test(w[0]) ? 1 : 0 };
  }
  if (g.every) {
    const w = s.toLowerCase().split(/\s+/);
    return { kind: 'every', n: w.length > 2 && w[1] !== 'other' ? num(w.slice(1, -1).join(' ')) : w[1] === 'other' ? 2 : 1, unit: unitOf(w[w.length - 1]) };
  }
  // "at 4 p.m. The …": the abbreviation keeps its period, which also ends the sentence.
  return { kind: 'time', text: s };
}

/** A bare month name, when a preposition-like word before it ("in October") or a year after it makes it a date. */
function monthSpec(text: string, s: string, start: number, end: number): DateSpec | undefined {
  const before = text.slice(Math.max(0, start - 12), start);
  if ((s === 'May' || s === 'March') && !MONTH_CONTEXT_BEFORE.test(before)) return undefined;
  if (!MONTH_CONTEXT_BEFORE.test(before) && !/^\s*\d{4}\b/.test(text.slice(end, end + 6))) return undefined;
  return { kind: 'abs', m: monthOf(s) };
}

/** A year, when not part of a number, money, a range like "2019-20", an address, an identifier or a count. */
function yearSpec(text: string, s: string, start: number, end: number): DateSpec | undefined {
  const prev = text.slice(Math.max(0, start - 2), start);
  const next = text.slice(end, end + 2);
  if (/[$€£#\d.,:/-]\s?$/.test(prev) && !/^\s$/.test(prev.slice(-1)) ) return undefined;
  if (/^[$€£#]/.test(prev.trim().slice(-1))) return undefined;
  if (/^(?:,\d|\.\d|%|\s?%|:\d|\/\d)/.test(next)) return undefined;
  if (/^\s+(?:people|percent|per cent|votes|troops|members|jobs|cases|deaths|dollars|euros|miles|kilometres|kilometers|km|feet|metres|meters|tons|tonnes|barrels|units|children|women|men|residents|refugees|soldiers)\b/i.test(text.slice(end, end + 16))) return undefined;
  return { kind: 'abs', y: Number(s) };
}

// ---------------------------------------------------------------------------------------------
// Resolution against a reference date

export interface YMD {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const iso = (t: YMD): string => `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)}`;

function toDate(t: YMD): Date {
  return new Date(Date.UTC(t.y, t.m - 1, t.d));
}
function fromDate(d: Date): YMD {
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
function addDays(t: YMD, n: number): YMD {
  const d = toDate(t);
  d.setUTCDate(d.getUTCDate() + n);
  return fromDate(d);
}

/** Parses `2023-10-24` (or `2023-10-24T…`) to a YMD; undefined when malformed. */
export function parseIsoDate(s: string | undefined): YMD | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return undefined;
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

const durCode: Record<Unit, string> = { minute: 'TM', hour: 'TH', day: 'D', week: 'W', month: 'M', year: 'Y', decade: 'DE' };

function duration(n: number | undefined, unit: Unit): string {
  const q = n === undefined ? 'X' : String(n);
  if (unit === 'hour') return `PT${q}H`;
  if (unit === 'minute') return `PT${q}M`;
  if (unit === 'decade') return `P${n === undefined ? 'X' : n * 10}Y`;
  return `P${q}${durCode[unit]}`;
}

/**
 * The normalised value of a date expression; `ref` is the document date (undefined → only
 * absolute parts resolve). Returns undefined when nothing sensible can be said.
 */
export function resolveDate(spec: DateSpec, ref: YMD | undefined): string | undefined {
  switch (spec.kind) {
    case 'abs':
      return absoluteValue(spec, ref);
    case 'decade':
      return `${String(spec.y).slice(0, 3)}X`;
    case 'relday':
      return ref ? iso(addDays(ref, spec.offset)) : undefined;
    case 'relunit':
      return ref ? relativeUnitValue(spec, ref) : undefined;
    case 'weekday':
      return ref ? weekdayValue(spec, ref) : undefined;
    case 'weekend':
      return ref ? weekendValue(spec, ref) : undefined;
    case 'ago':
      return agoValue(spec, ref);
    case 'duration':
      if (spec.past && ref && spec.n !== undefined && spec.unit === 'day') return `${iso(addDays(ref, -spec.n))}/${iso(ref)}`;
      return duration(spec.n, spec.unit);
    case 'years':
      return `${pad(spec.from, 4)}/${pad(spec.to, 4)}`;
    case 'relmonth': {
      if (!ref) return `XXXX-${pad(spec.m)}`;
      let y = ref.y;
      if (spec.dir === -1 && spec.m >= ref.m) y--;
      else if (spec.dir === 1 && spec.m <= ref.m) y++;
      return `${pad(y, 4)}-${pad(spec.m)}`;
    }
    case 'every':
      return duration(spec.n, spec.unit);
    case 'time':
    case 'vague':
      return undefined;
  }
}

type SpecOf<K extends DateSpec['kind']> = Extract<DateSpec, { kind: K }>;

/** A date with what it gives of year, month and day; a missing year from the reference. */
function absoluteValue(spec: SpecOf<'abs'>, ref: YMD | undefined): string | undefined {
  if (spec.y !== undefined && spec.m !== undefined && spec.d !== undefined) return iso({ y: spec.y, m: spec.m, d: spec.d });
  if (spec.y !== undefined && spec.m !== undefined) return `${pad(spec.y, 4)}-${pad(spec.m)}`;
  if (spec.y !== undefined) return pad(spec.y, 4);
  if (spec.m === undefined) return undefined;
  if (!ref) return spec.d !== undefined ? `XXXX-${pad(spec.m)}-${pad(spec.d)}` : `XXXX-${pad(spec.m)}`;
  // Without a year: news looks back, so the same year unless that puts the date more than
  // about two months after the reference (then last year) or ten months before it (next year).
  let y = ref.y;
  const diff = (spec.m - ref.m) * 31 + ((spec.d ?? 15) - ref.d);
  if (diff > 62) y--;
  else if (diff < -310) y++;
  return spec.d !== undefined ? iso({ y, m: spec.m, d: spec.d }) : `${pad(y, 4)}-${pad(spec.m)}`;
}

/** This/last/next year, month or week (Monday to Sunday). */
function relativeUnitValue(spec: SpecOf<'relunit'>, ref: YMD): string {
  if (spec.unit === 'year') return pad(ref.y + spec.offset, 4);
  if (spec.unit === 'month') {
    const t = fromDate(new Date(Date.UTC(ref.y, ref.m - 1 + spec.offset, 1)));
    return `${pad(t.y, 4)}-${pad(t.m)}`;
  }
  // Week: Monday..Sunday containing ref, shifted.
  const dow = (toDate(ref).getUTCDay() + 6) % 7;
  const mon = addDays(ref, -dow + 7 * spec.offset);
  return `${iso(mon)}/${iso(addDays(mon, 6))}`;
}

function weekdayValue(spec: SpecOf<'weekday'>, ref: YMD): string {
  const cur = toDate(ref).getUTCDay();
  let delta = spec.dow - cur;
  if (spec.dir === -1) {
    if (delta >= 0) delta -= 7;
  } else if (spec.dir === 1) {
    if (delta <= 0) delta += 7;
  } else if (delta > 0) {
    // Plain "Monday" in news: the most recent one (past tense dominates), today counts.
    delta -= 7;
  }
  return iso(addDays(ref, delta));
}

function weekendValue(spec: SpecOf<'weekend'>, ref: YMD): string {
  const cur = toDate(ref).getUTCDay();
  // Most recent Saturday on or before ref (dir 0/-1), the next one for dir 1.
  let back = (cur + 1) % 7; // days since Saturday
  if (spec.dir === -1 && back < 2) back += 7;
  let sat = addDays(ref, -back);
  if (spec.dir === 1) sat = addDays(sat, 7);
  return `${iso(sat)}/${iso(addDays(sat, 1))}`;
}

function agoValue(spec: SpecOf<'ago'>, ref: YMD | undefined): string | undefined {
  if (spec.n === undefined || !ref) return 'PAST_REF';
  if (spec.unit === 'day') return iso(addDays(ref, -spec.n));
  if (spec.unit === 'week') return iso(addDays(ref, -7 * spec.n));
  if (spec.unit === 'month') {
    const t = fromDate(new Date(Date.UTC(ref.y, ref.m - 1 - spec.n, 1)));
    return `${pad(t.y, 4)}-${pad(t.m)}`;
  }
  if (spec.unit === 'year') return pad(ref.y - spec.n, 4);
  if (spec.unit === 'decade') return pad(ref.y - 10 * spec.n, 4);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Datelines

export interface Dateline {
  /** The full date the source gives for itself. */
  date: YMD;
  /** Span of the date expression. */
  start: number;
  end: number;
  /** `The Cradle, October 24, 2023 —`: the name before the date (publisher or place), if any. */
  name?: { start: number; end: number };
}

/**
 * The full dates (year, month and day) of `text`, as `findDates` finds them; `exhaustive` filters
 * `findDates` itself (slower; for comparison).
 */
export function fullDates(text: string, exhaustive = false): DateHit[] {
  return scanDates(text, exhaustive ? DATE_RE : FULL_DATE_RE).filter((h) => h.spec.kind === 'abs' && h.spec.y !== undefined && h.spec.m !== undefined && h.spec.d !== undefined);
}

/**
 * The source's own date: the first full date (day, month and year) within the first lines of the
 * text, preferring a short line ending in a dash (a dateline). Undefined when there is none.
 */
export function findDateline(text: string, within = 1500): Dateline | undefined {
  const head = text.slice(0, within);
  const hits = fullDates(head);
  if (hits.length === 0) return undefined;
  let best = hits[0];
  for (const h of hits) {
    const lineStart = head.lastIndexOf('\n', h.start) + 1;
    const nl = head.indexOf('\n', h.end);
    const line = head.slice(lineStart, nl < 0 ? head.length : nl);
    if (line.length < 120 && /[—–-]\s*$|\(\w+\)\s*[—–-]/.test(line)) {
      best = h;
      break;
    }
  }
  const spec = best.spec as { kind: 'abs'; y: number; m: number; d: number };
  const out: Dateline = { date: { y: spec.y, m: spec.m, d: spec.d }, start: best.start, end: best.end };
  const lineStart = head.lastIndexOf('\n', best.start) + 1;
  const before = head.slice(lineStart, best.start);
  const nm = /^\s*((?:The\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})\s*,\s*$/.exec(before);
  if (nm) {
    const s = lineStart + before.indexOf(nm[1]);
    out.name = { start: s, end: s + nm[1].length };
  }
  return out;
}
