// Pure: the one-line quick entry of the annotate flow (`claim: false #casualties the figure is from
// 2021`). No `vscode` here (unit-tested).

export interface QuickEntry {
  kind: string;
  verdict?: string;
  tags: string[];
  note?: string;
}

/**
 * Parses `KIND: [VERDICT] [#tag…] [note]`. The kind must be one of `kinds` (case-insensitive); a
 * verdict is recognised only right after the colon and only from `verdicts` (the longest that
 * matches, so `mostly true` wins over `mostly`); tags are `#words` anywhere; the rest is the note.
 * Returns undefined when the text does not start with a known kind and a colon.
 */
export function parseQuickEntry(text: string, kinds: readonly string[], verdicts: readonly string[]): QuickEntry | undefined {
  const m = /^\s*([\p{L}-]+)\s*:\s*([\s\S]*)$/u.exec(text);
  if (!m) return undefined;
  const kind = kinds.find((k) => k.toLowerCase() === m[1].toLowerCase());
  if (!kind) return undefined;
  let rest = m[2];
  let verdict: string | undefined;
  const lower = rest.toLowerCase();
  for (const v of [...verdicts].sort((a, b) => b.length - a.length)) {
    const lv = v.toLowerCase();
    if (lower.startsWith(lv) && (lower.length === lv.length || /[\s,.;:#]/.test(lower[lv.length]))) {
      verdict = v;
      rest = rest.slice(v.length).replace(/^[\s,.;:]+/, '');
      break;
    }
  }
  const tags: string[] = [];
  rest = rest.replace(/(^|\s)#([^\s#,]+)/gu, (_all, pre: string, tag: string) => {
    if (!tags.includes(tag)) tags.push(tag);
    return pre;
  });
  const note = rest.replace(/\s+/g, ' ').trim();
  return { kind, ...(verdict ? { verdict } : {}), tags, ...(note ? { note } : {}) };
}

/** One line that says what a quick entry will save: `claim · false · #casualties — the figure is from 2021`. */
export function describeQuickEntry(e: QuickEntry): string {
  const head = [e.kind, e.verdict, e.tags.map((t) => `#${t}`).join(' ')].filter(Boolean).join(' · ');
  return e.note ? `${head} — ${e.note}` : head;
}

/** One line of at most `max` characters, cut at a word boundary with "…" (never mid-word). */
export function clipWords(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  // The cut already ends a word when the next character is a space.
  const space = /\s/.test(t[max - 1] ?? '') ? cut.length : cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:—–-]+$/, '')}…`;
}
