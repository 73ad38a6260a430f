/**
 * A digest of everything entity recognition returns over the bench corpus (every mention with its
 * fields, every entity with aliases, roles and mentions), to check that a speed change leaves the
 * output identical:
 *   npx tsx bench/tools/digest.ts            prints the digest (and counts)
 *   npx tsx bench/tools/digest.ts --diff=F   also writes the per-document output to F (JSON lines) to diff two runs
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCorpus } from '../lib/corpus';
import { readModelBytes } from '../lib/project';
import { recognizeEntities } from '../../src/core/ner';
import { loadTaggerModel } from '../../src/core/ner/tagger';

const root = resolve(__dirname, '..', '..');
const corpus = loadCorpus(root);
const model = loadTaggerModel(readModelBytes(root));
const diff = process.argv.find((a) => a.startsWith('--diff='))?.slice(7);
const h = createHash('sha256');
const lines: string[] = [];
let mentions = 0;
let entities = 0;
for (const d of corpus.docs) {
  const r = recognizeEntities(d.text, { model });
  const line = JSON.stringify({ mentions: r.mentions, entities: r.entities });
  mentions += r.mentions.length;
  entities += r.entities.length;
  h.update(line);
  h.update('\n');
  if (diff) lines.push(line);
}
if (diff) writeFileSync(diff, lines.join('\n') + '\n');
console.log(`${corpus.docs.length} docs, ${mentions} mentions, ${entities} entities, digest ${h.digest('hex').slice(0, 16)}`);
