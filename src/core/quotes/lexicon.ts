/**
 * Word lists for attribution: speech verbs (all inflections), words that end a noun phrase,
 * adverbs and auxiliaries that may stand between a speaker and the verb, titles, pronouns.
 */

const SPEECH_LEMMAS = [
  'say', 'tell', 'write', 'add', 'ask', 'state', 'insist', 'note', 'explain', 'warn', 'claim', 'argue', 'declare',
  'announce', 'respond', 'reply', 'recall', 'continue', 'acknowledge', 'admit', 'agree', 'allege', 'assert', 'boast',
  'comment', 'complain', 'concede', 'confirm', 'contend', 'deny', 'emphasize', 'emphasise', 'joke', 'maintain',
  'observe', 'predict', 'promise', 'remark', 'report', 'reiterate', 'repeat', 'shout', 'suggest', 'testify', 'tweet',
  'urge', 'vow', 'call', 'quip', 'conclude', 'exclaim', 'muse', 'mutter', 'whisper', 'yell', 'scream', 'cry', 'plead',
  'pledge', 'proclaim', 'stress', 'post', 'blast', 'slam', 'charge', 'counter', 'retort', 'wonder', 'accuse',
  'criticize', 'criticise', 'condemn', 'praise', 'describe', 'dub', 'label', 'brand', 'term', 'tout', 'demand',
  'answer', 'recount', 'lament', 'mock', 'caution', 'threaten', 'thunder', 'opine', 'scoff', 'snap', 'gush', 'hail',
  'decry', 'denounce', 'dismiss', 'refer', 'express', 'liken', 'compare', 'characterize', 'characterise', 'assure',
  'inform', 'advise', 'explain', 'elaborate', 'concur', 'interject', 'interrupt', 'begin', 'finish', 'groan', 'sigh',
  'laugh', 'chuckle', 'shrug', 'rant', 'rail', 'fume', 'marvel', 'question', 'challenge', 'speculate', 'specify',
  'indicate', 'point', 'mention', 'read', 'write', 'sing', 'chant', 'cite', 'quote', 'preach', 'testify', 'swear',
  'guarantee', 'insinuate', 'suggest', 'imply', 'acknowledge', 'confide', 'reveal', 'disclose', 'estimate', 'forecast',
  'project', 'hope', 'fear', 'worry', 'believe', 'think', 'feel', 'recommend', 'propose', 'request', 'beg', 'implore',
  'command', 'order', 'instruct', 'encourage', 'invite', 'welcome', 'congratulate', 'thank', 'apologize', 'apologise',
  'protest', 'object', 'concede', 'retract', 'clarify', 'correct', 'announce', 'speak', 'rate', 'deem', 'scold', 'lecture', 'rebuke', 'chide', 'retort', 'rebut', 'blurt', 'concede',
  'acknowledge', 'note', 'tell',
];

const IRREGULAR: Record<string, string[]> = {
  say: ['said', 'says', 'saying', 'say'],
  speak: ['spoke', 'spoken', 'speaks', 'speaking', 'speak'],
  tell: ['told', 'tells', 'telling', 'tell'],
  write: ['wrote', 'written', 'writes', 'writing', 'write'],
  read: ['read', 'reads'],
  begin: ['began', 'begun', 'begins', 'beginning', 'begin'],
  think: ['thought', 'thinks', 'thinking', 'think'],
  feel: ['felt', 'feels', 'feel'],
  swear: ['swore', 'sworn', 'swears', 'swear'],
  sing: ['sang', 'sung', 'sings', 'sing'],
  forecast: ['forecast', 'forecasts', 'forecasting'],
};

const DOUBLING = new Set(['quip', 'slam', 'dub', 'snap', 'admit', 'refer', 'scoff', 'concur', 'beg', 'regret', 'chat']);

function inflect(base: string): string[] {
  if (IRREGULAR[base]) return IRREGULAR[base];
  const out = [base];
  const sib = /(?:s|sh|ch|x|z)$/.test(base);
  if (/[^aeiou]y$/.test(base)) {
    const stem = base.slice(0, -1);
    out.push(`${stem}ies`, `${stem}ied`, `${base}ing`);
  } else if (base.endsWith('e')) {
    out.push(`${base}s`, `${base}d`, `${base.slice(0, -1)}ing`);
  } else {
    const dbl = DOUBLING.has(base) && !/(?:ff|ss)$/.test(base) ? base + base[base.length - 1] : base;
    out.push(sib ? `${base}es` : `${base}s`, `${dbl}ed`, `${dbl}ing`);
  }
  return out;
}

export const SPEECH_FORMS = new Set<string>(SPEECH_LEMMAS.flatMap(inflect));

/** Verbs too vague to attribute a quotation standing next to them (only cue partial quotes via a subject). */
export const WEAK_SPEECH = new Set<string>([
  ...['hope', 'fear', 'worry', 'believe', 'think', 'feel', 'welcome', 'thank', 'order', 'command', 'project', 'read', 'sing', 'begin', 'finish', 'post', 'charge', 'counter', 'question', 'challenge', 'object', 'correct', 'continue', 'point', 'express', 'compare', 'invite', 'encourage', 'laugh'].flatMap(inflect),
]);

/** Speech forms that are participles (subject is the main clause's). */
export function isParticiple(w: string): boolean {
  return w.endsWith('ing');
}

/** Words that end a noun phrase scanned leftwards or rightwards. */
export const NP_STOP = new Set<string>(
  `that which who whom whose what when where while after before because since as if and but or nor so than then to in on at for
  with by from about into over under through during without within against between among upon onto off out up down
  is was are were be been being am has have had having do does did would will could should might may must can shall
  not never also just even still already only very too there here how why whether though although unless until till yet
  despite including following regarding amid amidst via per like unlike toward towards across behind beyond near around
  inside outside except besides concerning
  it's he's she's they're we're i'm this's
  said says told tells`.split(/\s+/),
);

/** Words allowed between a subject and its speech verb (adverbs, auxiliaries). */
export const BETWEEN = new Set<string>(
  `also then later has have had was is were would will did does do could might may can should must already once again
  further earlier previously repeatedly reportedly recently first later afterward afterwards again too not never just
  simply even still often frequently quickly angrily flatly bluntly publicly privately bluntly finally then
  once has been had been later today yesterday tonight 's 're 've 'll 'd`.split(/\s+/),
);

export const DETERMINERS = new Set<string>(
  `the a an this these those his her its their our my your some many several two three four five six seven eight nine ten
  both each every another other one no most few all such`.split(/\s+/),
);

export const PERSONAL_PRONOUNS = new Set<string>(['he', 'she', 'they', 'it', 'we', 'i', 'you']);

/** Titles (and other abbreviations) after which a period does not end a sentence. */
export const ABBREVIATIONS = new Set<string>(
  `mr mrs ms dr prof gov sen rep reps sens st jr sr gen col lt sgt capt cmdr adm maj rev hon pres supt det insp atty amb
  fr msgr no nos vs etc inc corp co ltd bros dept univ est approx fig jan feb mar apr jun jul aug sep sept oct nov dec
  mt ft ave blvd rd u.s u.k u.n e.g i.e a.m p.m d.c`.split(/\s+/),
);

export const TITLES = new Set<string>(
  `mr mrs ms miss dr prof gov sen rep sir dame lord lady president senator governor representative minister secretary
  chancellor judge justice gen general col colonel lt capt captain sgt rev reverend father pope king queen prince
  princess mayor chairman chairwoman chair ambassador speaker leader director chief`.split(/\s+/),
);

export const MALE_TITLES = new Set<string>(['mr', 'sir', 'lord', 'king', 'prince', 'father', 'pope', 'chairman']);
export const FEMALE_TITLES = new Set<string>(['mrs', 'ms', 'miss', 'dame', 'lady', 'queen', 'princess', 'chairwoman']);

/** Capitalised words that are not names (time words and such) — they end a rightward speaker scan. */
export const NON_NAME_CAPS = new Set<string>(
  `monday tuesday wednesday thursday friday saturday sunday today yesterday tonight january february march april may june
  july august september october november december`.split(/\s+/),
);

/** Sentence openers that introduce an adverbial phrase ending at the first comma. */
export const ADVERBIAL_OPENERS = new Set<string>(
  `in on at during after before as while when following asked speaking despite since although though if with without like
  unlike by for from over under earlier later meanwhile still yet but and however instead then now also last this next
  once until upon amid amidst according responding writing addressing`.split(/\s+/),
);

/** Nouns that, preceded by "in a/an", extend a cue: "said in a statement". */
export const CUE_NOUNS = new Set<string>(
  `statement interview tweet email e-mail letter post message speech release briefing op-ed column essay video
  conference call note memo post blog podcast appearance address remarks testimony filing report`.split(/\s+/),
);
