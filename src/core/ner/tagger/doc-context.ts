/**
 * The tagger's document context: what each word (by lower-case hash) looks like elsewhere in the
 * document (capitalised mid-sentence, lower case, in a capitalised run, after a title, after a
 * place preposition or "the", before a speech verb), so that each paragraph's features see the
 * whole text.
 */
import { TOK_PUNCT, TOK_SENT_START } from '../../text/tokenize';
import {
  C_LOWER,
  DOC_AFTER_PREP,
  DOC_AFTER_THE,
  DOC_AFTER_TITLE,
  DOC_BEFORE_SAID,
  DOC_CAP_MID,
  DOC_IN_RUN,
  DOC_LOWER,
  DOC_RUN_FIRST,
  DOC_RUN_LAST,
  hashString,
  isCapCls,
  lowerAt,
  SMI,
  type Atoms,
  type DocumentContext,
} from './features';
import { IntMap } from './intmap';

/** Title words after which a capitalised word is a person (for DOC_AFTER_TITLE). */
const TITLES = new Set(['mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'president', 'minister', 'prime', 'secretary', 'senator', 'sen.', 'gov.', 'governor', 'king', 'queen', 'prince', 'chancellor', 'pope', 'mayor', 'judge', 'coach', 'captain', 'striker', 'midfielder', 'defender', 'goalkeeper', 'spokesman', 'spokeswoman', 'general', 'gen.', 'rev.', 'sir', 'lord', 'lady', 'ambassador', 'chairman', 'director']);
/** Lower-case hashes (& SMI) of the titles: a cheap first test before the string one. */
let titleHashes: IntMap | undefined;
function isTitleAt(a: Atoms, k: number): boolean {
  if (!titleHashes) {
    titleHashes = new IntMap(TITLES.size);
    for (const t of TITLES) titleHashes.set(hashString(t) & SMI, 1);
  }
  return titleHashes.get(a.lower[k] & SMI, 0) === 1 && TITLES.has(lowerAt(a, a.from + k));
}

/**
 * Build the document context from atoms over the whole document (cheap: one pass). Pass it to
 * every paragraph's tagging so that document-level features see the whole text.
 */
export function buildDocumentContext(atoms: Atoms, votes?: Map<number, Uint16Array>, into?: IntMap): DocumentContext {
  const words = into ?? new IntMap(atoms.to - atoms.from);
  const { from, cls, pos, lower, tokens } = atoms;
  const n = atoms.to - from;
  for (let k = 0; k < n; k++) {
    const c = cls[k];
    if (c === C_LOWER) words.or(lower[k] & SMI, DOC_LOWER);
    else if (isCapCls(c) && !(pos[k] & 3)) {
      let bits = DOC_CAP_MID;
      if (k > 0 && isTitleAt(atoms, k - 1)) bits |= DOC_AFTER_TITLE;
      // capitalised runs (not across punctuation)
      const prevCap = k > 0 && isCapCls(cls[k - 1]) && !(pos[k - 1] & 3) && !(tokens.flags[from + k] & TOK_SENT_START);
      const nextCap = k + 1 < n && isCapCls(cls[k + 1]) && !(pos[k + 1] & 2) && !(tokens.flags[from + k + 1] & (TOK_SENT_START | TOK_PUNCT));
      if (prevCap || nextCap) bits |= DOC_IN_RUN;
      if (prevCap && !nextCap) bits |= DOC_RUN_LAST;
      if (!prevCap && nextCap) bits |= DOC_RUN_FIRST;
      words.or(lower[k] & SMI, bits);
    }
  }
  // cue words around capitalised runs (a run: capitalised words, no punctuation, not a headline)
  const cues = cueHashes();
  for (let k = 0; k < n; k++) {
    if (!isCapCls(cls[k]) || pos[k] & 2) continue;
    let j = k;
    while (j + 1 < n && isCapCls(cls[j + 1]) && !(tokens.flags[from + j + 1] & (TOK_SENT_START | TOK_PUNCT))) j++;
    let bits = 0;
    if (k > 0 && !(tokens.flags[from + k] & TOK_SENT_START)) bits |= cues.get(lower[k - 1] & SMI, 0) & (DOC_AFTER_PREP | DOC_AFTER_THE);
    if (j + 1 < n && !(tokens.flags[from + j + 1] & TOK_SENT_START)) bits |= cues.get(lower[j + 1] & SMI, 0) & DOC_BEFORE_SAID;
    if (bits) for (let q = k; q <= j; q++) words.or(lower[q] & SMI, bits);
    k = j;
  }
  return { words, votes };
}

let cueMap: IntMap | undefined;
/** Lower-case hashes (& SMI) of the cue words → their DOC_* bit. */
function cueHashes(): IntMap {
  if (cueMap) return cueMap;
  const m = new IntMap(32);
  for (const w of ['in', 'at', 'from', 'near', 'to', 'into', 'across', 'outside', 'inside']) m.or(hashString(w) & SMI, DOC_AFTER_PREP);
  m.or(hashString('the') & SMI, DOC_AFTER_THE);
  for (const w of ['said', 'says', 'told', 'added', 'announced', 'wrote']) m.or(hashString(w) & SMI, DOC_BEFORE_SAID);
  cueMap = m;
  return m;
}
