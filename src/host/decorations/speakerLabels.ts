// Pure: where the speaker label of a quotation goes, and whether it is needed at all. No `vscode`
// here (unit-tested). The label is drawn as an inlay hint, so that it wraps with the text.
import type { Quote } from '../../core/types';

/** Below this confidence a speaker is shown with a "?" (and said to be uncertain in the tooltip). */
export const LOW_CONFIDENCE = 0.5;

export interface SpeakerHint {
  /** Offset the label is drawn at (before the character there). */
  at: number;
  /** `— Sergei Lavrov`, with a trailing `?` when uncertain. */
  label: string;
  /** The attribution is uncertain (quote confidence below LOW_CONFIDENCE). */
  low: boolean;
}

/** The speaker line drawn after a quotation: `— Sergei Lavrov`. */
export function speakerLabel(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  return `— ${clean.length > 60 ? `${clean.slice(0, 59)}…` : clean}`;
}

const DETERMINERS = new Set(['the', 'a', 'an', 'its', 'their', 'his', 'her']);

function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !DETERMINERS.has(w));
}

/**
 * Do the words the text uses for the speaker already name them? `Lavrov` names Sergei Lavrov, `the
 * Russian Foreign Ministry` names the Russian Foreign Ministry; `he`, `the Iranian president` or
 * `Russian FM` do not.
 */
export function namesSpeaker(surface: string, name: string): boolean {
  const s = words(surface);
  const n = words(name);
  if (!s.length || !n.length) return false;
  const ns = new Set(n);
  const ss = new Set(s);
  return s.every((w) => ns.has(w)) || n.every((w) => ss.has(w));
}

/** Only spaces and punctuation (no words, no sentence end followed by a new sentence) between two offsets. */
function adjacent(text: string, from: number, to: number): boolean {
  if (to < from || to - from > 4) return false;
  return /^[\s,;:—–-]*$/u.test(text.slice(from, to));
}

/** The speaker's words come before the quotation in the same sentence (no sentence end, no line break between). */
function sameSentenceBefore(text: string, speakerEnd: number, quoteStart: number): boolean {
  if (speakerEnd > quoteStart || quoteStart - speakerEnd > 120) return false;
  return !/[.!?]\s|\n/.test(text.slice(speakerEnd, quoteStart));
}

/**
 * The hint for one quotation, or undefined when none is needed:
 * - no speaker, or the same speaker as the quotation it is nested in;
 * - the cue next to the quotation already names the speaker (`“…,” Lavrov said.`);
 * - the speaker is named earlier in the same sentence (`Raisi condemned “…”`).
 * When the words earlier in the sentence do not name the speaker (`Russian FM calls for ‘collective’
 * action`), the label goes right after those words rather than in the middle of the sentence.
 */
export function speakerHintFor(text: string, quote: Quote, parent?: Quote): SpeakerHint | undefined {
  const sp = quote.speaker;
  if (!sp) return undefined;
  if (parent?.speaker && parent.speaker.name === sp.name) return undefined;
  const low = quote.confidence < LOW_CONFIDENCE;
  const label = `${speakerLabel(sp.name)}${low ? '?' : ''}`;
  const hasSpan = sp.end > sp.start && sp.end <= text.length;
  const surface = hasSpan ? text.slice(sp.start, sp.end) : '';
  if (hasSpan && sp.via !== 'continuation') {
    const names = namesSpeaker(surface, sp.name);
    if (sp.start >= quote.end && adjacent(text, quote.end, sp.start) && names) return undefined;
    if (sp.end <= quote.start && sameSentenceBefore(text, sp.end, quote.start)) {
      return names ? undefined : { at: sp.end, label, low };
    }
  }
  return { at: quote.end, label, low };
}
