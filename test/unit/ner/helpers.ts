import type { NameSpan, NameTagger } from '../../../src/core/ner';

/** A deterministic stand-in for the statistical tagger: marks every occurrence of the given names. */
export function listTagger(names: [string, NameSpan['label']][]): NameTagger {
  const sorted = [...names].sort((a, b) => b[0].length - a[0].length);
  return (text, start, end) => {
    const out: NameSpan[] = [];
    const taken: [number, number][] = [];
    for (const [name, label] of sorted) {
      for (let i = text.indexOf(name, start); i >= 0 && i + name.length <= end; i = text.indexOf(name, i + 1)) {
        const e = i + name.length;
        if (/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') || /[\p{L}\p{N}]/u.test(text[e] ?? '')) continue;
        if (taken.some(([s, t]) => s < e && i < t)) continue;
        taken.push([i, e]);
        out.push({ start: i, end: e, label, confidence: 0.9 });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  };
}
