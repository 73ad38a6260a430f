/**
 * Fallback name finder used when no statistical model is loaded: runs of capitalised words (with
 * `of`, `the`, `for`, `and` inside), typed by gazetteers and by head words. Weak, but it keeps the
 * pipeline usable (and testable) without `media/model/ner.bin`.
 */
import { groupCanonical, orgCanonical, placeCanonical } from './lexicon';
import type { NameSpan } from './names';
import { isTitleWord } from './roles';

const ORG_HEADS = /^(?:Ministry|Council|Union|Party|Company|Corporation|Corp\.?|Inc\.?|Ltd\.?|Bank|Agency|Organi[sz]ation|Platform|Committee|Association|University|College|Institute|Army|Forces|Force|Navy|Government|Parliament|Congress|Senate|Court|Commission|Department|Office|Foundation|Fund|Group|Federation|League|Alliance|Front|Movement|Brigades?|Authority|Assembly|Administration|Times|Post|News|Press|Agency|Network|Television|Radio|Club|FC|Police|Service|Services|Cabinet|Bureau|Board|Church|Embassy|Mission|Programme|Program|Tribunal|Academy|School|Hospital|Society|Center|Centre|Trust|Airlines|Airways|Motors|Holdings|Partners|Reuters|Guard|Cradle)$/;
const PLACE_HEADS = /^(?:Strip|Bank|River|Sea|Ocean|Mountains?|Valley|Island|Islands|Peninsula|Gulf|Bay|Lake|Province|Region|State|County|City|Street|Square|Crossing|Corridor|Canal|Desert|Coast|Heights|Caucasus|Republic|Kingdom|Territory|Territories|District|Airport|Port|Border)$/;
const CONNECTORS = new Set(['of', 'the', 'for', 'de', 'al', 'bin', 'van', 'von', 'der', 'du', 'la', 'le']);
const STOP = new Set([
  'The', 'A', 'An', 'In', 'On', 'At', 'By', 'For', 'From', 'To', 'Of', 'And', 'But', 'Or', 'If', 'When', 'While', 'During', 'After',
  'Before', 'Since', 'As', 'This', 'That', 'These', 'Those', 'It', 'He', 'She', 'We', 'They', 'I', 'You', 'His', 'Her', 'Their', 'Our',
  'My', 'Its', 'Some', 'Many', 'Most', 'All', 'No', 'Not', 'There', 'Here', 'What', 'Who', 'Why', 'How', 'Where', 'Which', 'Yet',
  'So', 'Also', 'However', 'Meanwhile', 'Today', 'Yesterday', 'Last', 'Next', 'Leave', 'Your', 'Required', 'Additional', 'Such',
  'Both', 'Each', 'Every', 'One', 'Two', 'More', 'Less', 'Mr', 'Mrs', 'Ms', 'Dr', 'Monday', 'Tuesday', 'Wednesday', 'Thursday',
  'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December', 'President', 'Minister', 'Foreign', 'Prime', 'Secretary', 'Senator', 'Governor', 'General', 'King',
  'Queen', 'Prince', 'Chancellor', 'Pope', 'Mayor', 'Judge', 'Ambassador', 'Chief', 'Deputy', 'Former', 'Vice', 'Russian-drafted',
]);

/** Capitalised-run name finder over `text.slice(start, end)`; offsets into `text`. */
export function interimTag(text: string, start: number, end: number): NameSpan[] {
  const out: NameSpan[] = [];
  const re = /[\p{L}][\p{L}\p{N}.'’-]*|[^\s\p{L}]/gu;
  re.lastIndex = start;
  const toks: { s: number; e: number; w: string }[] = [];
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    let w = m[0];
    let e = m.index + w.length;
    if (e > end) break;
    // split possessive
    const pm = /[’']s$/.exec(w);
    if (pm) {
      w = w.slice(0, -2);
      e -= 2;
    }
    w = w.replace(/\.$/, (x) => (/^(?:[A-Z]\.)+$/.test(w) ? x : ''));
    toks.push({ s: m.index, e: m.index + w.length, w });
  }
  const isCap = (w: string): boolean => /^\p{Lu}/u.test(w);
  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    if (!isCap(t.w)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < toks.length) {
      const n = toks[j + 1];
      if (isCap(n.w) && n.s - toks[j].e <= 1) j++;
      else if (CONNECTORS.has(n.w) && j + 2 < toks.length && isCap(toks[j + 2].w) && toks[j + 2].s - n.e <= 1) j += 2;
      else break;
    }
    // Drop leading stop words / title words.
    let a = i;
    while (a <= j && STOP.has(toks[a].w)) a++;
    // A title inside the run ("Russian Foreign Minister Sergei Lavrov"): the name is what follows it;
    // what precedes it is tagged on its own (a demonym or a country).
    for (let k = j - 1; k >= a; k--) {
      if (isTitleWord(toks[k].w)) {
        if (k > a) for (const x of interimTag(text, toks[a].s, toks[k].s - 1)) if (x.label !== 'PER') out.push(x);
        a = k + 1;
        break;
      }
    }
    // A demonym first, then a person-like run: split ("Russian Sergei Lavrov" is rare, but
    // "Iranian Ebrahim Raisi" happens).
    while (j >= a && CONNECTORS.has(toks[j].w)) j--;
    if (a <= j) {
      const words = toks.slice(a, j + 1).map((x) => x.w);
      const s = toks[a].s;
      const e = toks[j].e;
      const surface = text.slice(s, e);
      const last = words[words.length - 1];
      let label: NameSpan['label'] | undefined;
      if (groupCanonical(surface)) label = 'MISC';
      else if (placeCanonical(surface)) label = 'LOC';
      else if (orgCanonical(surface)) label = 'ORG';
      else if (ORG_HEADS.test(last) || /^[A-Z]{2,6}$/.test(surface)) label = 'ORG';
      else if (PLACE_HEADS.test(last)) label = 'LOC';
      else if (words.length >= 3 && groupCanonical(words[0]) && !ORG_HEADS.test(last)) {
        out.push({ start: s, end: toks[a].e, label: 'MISC', confidence: 0.5 });
        out.push({ start: toks[a + 1].s, end: e, label: 'PER', confidence: 0.5 });
      } else if (words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}[\p{Ll}’'-]+/u.test(w))) label = 'PER';
      else if (words.length === 1 && a > 0 && !(toks[a].s === start || /[.!?“"‘]$/.test(toks[a - 1]?.w ?? ''))) label = 'PER';
      if (label) out.push({ start: s, end: e, label, confidence: 0.5 });
    }
    i = j + 1 > i ? j + 1 : i + 1;
  }
  return out;
}
