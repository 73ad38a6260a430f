// Machine-readable results of one test layer, read by scripts/test-all.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR } from './paths';

export interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  /** Titles (and first message line) of failed tests, for the summary. */
  failures: string[];
  /** Set when the layer could not run at all (build error, server did not start…). */
  error?: string;
}

export function resultFile(layer: string): string {
  return path.join(RESULTS_DIR, `${layer}.json`);
}

export function writeResult(result: LayerResult): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(resultFile(result.layer), JSON.stringify(result, null, 2) + '\n');
}

export function readResult(layer: string): LayerResult | undefined {
  const file = resultFile(layer);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LayerResult;
}

export function clearResult(layer: string): void {
  fs.rmSync(resultFile(layer), { force: true });
}

/** The line the in-host suite prints so that the runner can count without a shared file system. */
export const RESULT_LINE_PREFIX = 'MARGINALIA_RESULT ';

export function parseResultLine(line: string): Pick<LayerResult, 'passed' | 'failed' | 'pending' | 'failures'> | undefined {
  const at = line.indexOf(RESULT_LINE_PREFIX);
  if (at < 0) return undefined;
  try {
    return JSON.parse(line.slice(at + RESULT_LINE_PREFIX.length)) as Pick<LayerResult, 'passed' | 'failed' | 'pending' | 'failures'>;
  } catch (err) {
    console.error(`[marginalia] unreadable result line: ${line} (${String(err)})`);
    return undefined;
  }
}
