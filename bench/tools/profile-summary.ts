/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per file, top N.
 *   npx tsx bench/tools/profile-summary.ts [--top=N] PROFILE.cpuprofile...  (several are merged)
 * Used to find the hot spots behind a missed bench goal (see bench/tools/profile.ts).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarizeProfile(profiles: Profile[], top = 25): string {
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    total += us;
    const f = node.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '') || '(native)';
    const fn = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  }
  const fmt = (entries: Map<string, number>): string[] =>
    [...entries.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  return [
    `total sampled ${(total / 1000).toFixed(0)} ms`,
    'self time by function:',
    ...fmt(byFn),
    '',
    'self time by file:',
    ...fmt(byFile),
  ].join('\n');
}

if (/profile-summary\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
  if (files.length === 0) {
    console.error('usage: tsx bench/tools/profile-summary.ts [--top=N] PROFILE.cpuprofile...');
    process.exit(2);
  }
  console.log(summarizeProfile(files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Profile), top));
}
