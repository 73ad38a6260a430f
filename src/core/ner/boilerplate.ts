/**
 * Web page furniture that ends up in copied articles: comment forms ("Leave a Reply", "Your email
 * address will not be published", "Required fields are marked *"), share and follow prompts, cookie
 * banners, newsletter prompts, "Read the rest here", navigation, copyright lines, ad labels.
 *
 * Detection is per line: a line is boilerplate when it is short and starts with (or, for a few
 * patterns, consists of) one of the known phrases. Nothing inside a boilerplate span is marked as an
 * entity. Pure and cheap: one pass over the lines.
 */
import type { Span } from '../types';

/** Phrases that make a whole (short) line furniture when the line starts with them. */
const LINE_START: RegExp[] = [
  /^leave a (?:reply|comment|response)\b/i,
  /^(?:post|add|write|submit) (?:a |your )?comment\b/i,
  /^(?:\d+\s+)?comments?\s*(?:\(\d+\))?\s*$/i,
  /^comments are closed\b/i,
  /^cancel reply\b/i,
  /^your email address will not be published\b/i,
  /^required fields are marked\b/i,
  /^save my name, email,? and website\b/i,
  /^(?:notify me of (?:follow-up comments|new posts))\b/i,
  /^(?:share|tweet|pin|email|print)\s*(?:this(?: article| story| post| page)?)?\s*(?:on|via|with)?\s*(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email|pinterest)?\s*[:!]?\s*$/i,
  /^share (?:this|on|via)\b/i,
  /^click to (?:share|print|email|open)\b/i,
  /^like this:?\s*$/i,
  /^(?:like|follow) us on\b/i,
  /^follow (?:us|@\w+)\b/i,
  /^related(?: articles| posts| stories| content| news)?:?\s*$/i,
  /^(?:read|see) (?:the rest(?: of (?:this|the) (?:article|story|post))?(?: here| at| on)?|more|full story|the full (?:article|story)(?: here)?|also)\s*(?:[:.…»>→]+.*)?$/i,
  /^(?:read|see) (?:the rest|the full (?:article|story)) (?:here|at|on)\b/i,
  /^continue reading\b/i,
  /^(?:subscribe|sign up)\b/i,
  /^(?:get|join) (?:our|the) (?:newsletter|mailing list)\b/i,
  /^(?:this (?:web)?site|we) uses? cookies\b/i,
  /^by (?:continuing to (?:use|browse)|using this (?:web)?site)\b/i,
  /^(?:accept|reject|manage) (?:all )?cookies\b/i,
  /^cookie (?:policy|settings|preferences)\b/i,
  /^privacy policy\b/i,
  /^terms (?:of (?:use|service)|and conditions)\b/i,
  /^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}|[A-Z])/i,
  /^all rights reserved\b/i,
  /^(?:advertisement|sponsored(?: content)?|advert)\s*$/i,
  /^skip to (?:main )?content\b/i,
  /^post navigation\b/i,
  /^(?:previous|next) (?:article|post|story)\b/i,
  /^(?:tags|filed under|categories|posted in):/i,
  /^(?:you may also like|recommended for you|more from|most popular|trending)\b/i,
  /^(?:support|donate to) (?:our|independent) journalism\b/i,
  /^(?:photo|image) credit:/i,
];

/** Lines longer than this are prose, whatever they start with. */
const MAX_LINE = 160;

/**
 * Spans of web furniture in `text` (whole lines, trimmed), offsets relative to `text`. A line
 * following "Leave a Reply" / comment-form lines in the same block is also furniture when it is
 * a form label ("Name *", "Email *", "Website", "Comment").
 */
export function findBoilerplate(text: string): Span[] {
  const out: Span[] = [];
  let pos = 0;
  let inForm = false;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let s = pos;
    let e = nl;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s && e - s <= MAX_LINE) {
      const line = text.slice(s, e);
      let hit = LINE_START.some((re) => re.test(line));
      if (!hit && inForm && /^(?:name|e-?mail|website|comment|url)\s*\*?\s*$/i.test(line)) hit = true;
      if (hit) {
        out.push({ start: s, end: e });
        if (/^(?:leave a|your email address|required fields|post a comment|add a comment)/i.test(line)) inForm = true;
      }
    } else if (e > s) inForm = false;
    pos = nl + 1;
  }
  return out;
}
