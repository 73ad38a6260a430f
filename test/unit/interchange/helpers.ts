import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Annotation } from '../../../src/core/sidecar/model';
import { makeTarget } from '../../../src/core/anchor';
import type { Analysis } from '../../../src/core/types';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'interchange');
export const HARBOUR = readFileSync(path.join(FIXTURES, 'harbour.txt'), 'utf8');

/** The span of the `n`-th occurrence of `needle` (0-based). */
export function spanOf(text: string, needle: string, n = 0): [number, number] {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not in text`);
  }
  return [at, at + needle.length];
}

export function ann(text: string, id: string, kind: Annotation['kind'], needle: string, extra: Partial<Annotation> = {}): Annotation {
  const [s, e] = spanOf(text, needle);
  return { id, kind, target: makeTarget(text, s, e), ...extra };
}

/** Annotations on the harbour text covering every field, emoji and a multi-line span. */
export function sampleAnnotations(text: string): Annotation[] {
  return [
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E1', 'note', 'harbour 🌊 and', { note: 'Emoji inside the quote.\nSecond line, with "quotes", commas.', author: 'Ada', created: '2026-11-28T03:00:00.000Z', modified: '2026-11-28T03:05:00.000Z' }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E2', 'claim', '4,000 metres', { tags: ['numbers', 'to check'], verdict: 'mostly true', note: '=SUM(A1) is not a formula here' }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E3', 'question', 'Fishers’ Union', { note: 'Which union? [link](javascript:alert(1)) <script>x</script>' }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E4', 'verdict', '“reckless”', { verdict: 'misleading' }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E5', 'tag', '👩‍👩‍👧 Families', { tags: ['people'] }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E6', 'link', 'Port Ellis', { note: 'https://example.org/port-ellis' }),
    ann(text, '01JDQ5N8W9X3Y2Z1A0B4C6D8E7', 'correction', 'reckless”.\n\nThe council', { note: 'Paragraphs were merged | split' }),
  ];
}

/** A hand-made analysis of the harbour text (independent of the recognisers' current output). */
export function sampleAnalysis(text: string): Analysis {
  const m = (needle: string, type: Analysis['mentions'][number]['type'], canonical: string, n = 0) => {
    const [start, end] = spanOf(text, needle, n);
    return { start, end, type, text: needle, canonical, entityId: `${type}:${canonical.toLowerCase().replace(/\s+/g, '-')}`, confidence: 0.9 };
  };
  const mentions = [
    m('Port Ellis', 'place', 'Port Ellis'),
    m('12 March 2024', 'date', '12 March 2024'),
    m('Jane Okafor', 'person', 'Jane Okafor'),
    m('Fishers’ Union', 'organization', 'Fishers’ Union'),
    m('4,000 metres', 'number', '4,000 metres'),
    m('Quay Street', 'place', 'Quay Street'),
  ];
  const entities = mentions.map((x) => ({ id: x.entityId, type: x.type, canonical: x.canonical, aliases: [x.text], roles: x.type === 'person' ? ['Mayor'] : [], mentions: [{ start: x.start, end: x.end }] }));
  const [q1s, q1e] = spanOf(text, '“a turning point for the harbour 🌊 and for everyone who lives by it.”');
  const [q2s, q2e] = spanOf(text, '“We have waited too long,”');
  const [q3s, q3e] = spanOf(text, '“reckless”');
  const [shes, shee] = spanOf(text, 'she');
  const [cue1s, cue1e] = spanOf(text, 'said');
  return {
    mentions,
    entities,
    quotes: [
      { start: q1s, end: q1e, kind: 'partial', speaker: { start: mentions[2].start, end: mentions[2].end, name: 'Jane Okafor', entityId: mentions[2].entityId, via: 'name' }, cue: { start: cue1s, end: cue1e }, confidence: 0.9 },
      { start: q2s, end: q2e, kind: 'full', speaker: { start: shes, end: shee, name: 'Jane Okafor', entityId: mentions[2].entityId, via: 'pronoun' }, cue: null, confidence: 0.8 },
      { start: q3s, end: q3e, kind: 'scare', speaker: null, cue: null, confidence: 0.6 },
    ],
  };
}

/** Code-point slice, the way W3C and brat count. */
export function cpSlice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}
