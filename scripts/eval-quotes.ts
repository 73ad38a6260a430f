/**
 * Dev script: score quotations on JSON Lines files (the format of ../shared/data/README.md).
 *
 *   npx tsx scripts/eval-quotes.ts [--entities ner|gold|none] [--errors] FILE.jsonl...
 *
 * `--entities ner` (default) runs the project's entity recogniser; `gold` builds the entity result
 * from the file's own entity spans (to separate attribution errors from recognition errors);
 * `none` gives the finder no entities at all. The shared `npm run eval` uses the same scorer.
 */
import { readFileSync } from 'node:fs';
import { recognizeEntities, type EntityResult } from '../src/core/ner';
import { findQuotes } from '../src/core/quotes';
import { formatQuoteErrors, formatQuoteScores, scoreQuotes, type QuoteDoc } from '../src/core/eval/quotes';
import type { Entity, EntityType, Mention, Quote } from '../src/core/types';

interface Doc extends QuoteDoc {
  id: string;
  entities?: { start: number; end: number; type: string; canonical?: string }[];
}

const TYPES: Record<string, EntityType | undefined> = {
  person: 'person', organization: 'organization', place: 'place', group: 'group', misc: 'group', date: 'date', number: 'number',
};

/** Entity result from the file's own spans, with surnames linked to the last full name. */
export function entitiesFromSpans(doc: Doc): EntityResult {
  const mentions: Mention[] = [];
  const entities = new Map<string, Entity>();
  const full = new Map<string, string>();
  for (const e of [...(doc.entities ?? [])].sort((a, b) => a.start - b.start)) {
    const type = TYPES[e.type];
    if (!type) continue;
    const text = doc.text.slice(e.start, e.end);
    let canonical = e.canonical ?? text.replace(/[’']s$/, '');
    if (type === 'person' && !e.canonical) {
      const words = canonical.split(/\s+/);
      const last = words[words.length - 1];
      if (words.length > 1) full.set(last, canonical);
      else if (full.has(last)) canonical = full.get(last) as string;
    }
    const id = `${type}:${canonical}`;
    let ent = entities.get(id);
    if (!ent) {
      ent = { id, type, canonical, aliases: [], roles: [], mentions: [] };
      entities.set(id, ent);
    }
    ent.mentions.push({ start: e.start, end: e.end });
    mentions.push({ start: e.start, end: e.end, type, text, canonical, entityId: id, confidence: 1 });
  }
  return { mentions, entities: [...entities.values()] };
}

function main(): void {
  const args = process.argv.slice(2);
  let mode = 'ner';
  let showErrors = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--entities') mode = args[++i];
    else if (args[i] === '--errors') showErrors = true;
    else files.push(args[i]);
  }
  for (const f of files) {
    const docs = readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Doc);
    const t0 = performance.now();
    const preds: Quote[][] = docs.map((d) => {
      const er: EntityResult = mode === 'gold' ? entitiesFromSpans(d) : mode === 'none' ? { mentions: [], entities: [] } : recognizeEntities(d.text);
      return findQuotes(d.text, er);
    });
    const ms = performance.now() - t0;
    const s = scoreQuotes(docs, preds);
    console.log(formatQuoteScores(s, `${f} (entities: ${mode}, ${ms.toFixed(0)} ms)`));
    if (showErrors) console.log(formatQuoteErrors(s));
  }
}

if (process.argv[1]?.endsWith("eval-quotes.ts")) main();
