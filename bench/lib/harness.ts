/**
 * The bench's case model: a case measures something and returns metrics and goals, or throws
 * `Skip` (a dependency has not landed, a tool is not set up) so the bench always runs to the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType, arch } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Corpus } from './corpus';

export interface Metric {
  name: string;
  unit: string;
  median: number;
  /** For times: the p95 time. For rates: the rate of the p95 (slow) pass. Absent for one-off figures. */
  p95?: number;
  /** Timed runs behind the figure. */
  n?: number;
  note?: string;
}

export interface Goal {
  /** e.g. "≥ 250,000 tokens/s" */
  text: string;
  /** The figure the goal is judged on, formatted. */
  actual: string;
  met: boolean;
}

export interface CaseOutput {
  metrics: Metric[];
  goals?: Goal[];
  notes?: string[];
}

export interface CaseResult extends CaseOutput {
  id: string;
  title: string;
  status: 'ok' | 'skipped' | 'error';
  reason?: string;
  goals: Goal[];
  notes: string[];
  seconds: number;
}

export interface BenchContext {
  root: string;
  corpus: Corpus;
  /** Fewer iterations (`--quick`), for checking the bench itself. */
  quick: boolean;
  /** Skip the production build and measure dist/ as it is (`--no-build`). */
  noBuild: boolean;
  /** Figures other cases computed earlier in the same run (e.g. a shared 1 MB source). */
  shared: Map<string, unknown>;
  log(message: string): void;
}

export interface BenchCase {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<CaseOutput>;
}

export class Skip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Skip';
  }
}

export function skip(reason: string): never {
  throw new Skip(reason);
}

/**
 * Imports one of the project's modules if it has landed: the file exists, is not marked as a
 * stub in its header, and exports the named functions. Otherwise throws `Skip` with the reason.
 */
export async function importLanded<T>(root: string, relPath: string, functions: string[]): Promise<T> {
  const file = resolve(root, relPath);
  if (!existsSync(file)) skip(`${relPath} not landed yet`);
  const head = readFileSync(file, 'utf8').slice(0, 400);
  if (/^\s*\/\/\s*STUB\b/m.test(head)) skip(`${relPath} is still a stub`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    skip(`${relPath} does not load: ${firstLine(err)}`);
  }
  // tsx may wrap a CommonJS-compiled module's exports in `default`.
  const exportsOf = (name: string): unknown => mod[name] ?? (mod.default as Record<string, unknown> | undefined)?.[name];
  const missing = functions.filter((f) => typeof exportsOf(f) !== 'function' && typeof exportsOf(f) !== 'object');
  if (missing.length > 0) skip(`${relPath} does not export ${missing.join(', ')} yet`);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(mod), ...Object.keys((mod.default as object | undefined) ?? {})])) {
    out[key] = exportsOf(key);
  }
  return out as T;
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  os: string;
  loadAverage: number[];
}

export function describeMachine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    node: process.version,
    os: `${osType()} ${release()} ${arch()}`,
    loadAverage: loadavg().map((x) => round(x, 2)),
  };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
