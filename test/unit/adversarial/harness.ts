/**
 * Shared helpers of the adversarial suite (`test/unit/adversarial/*.test.ts`): each case asserts a
 * clear error or the right result, that no byte changed in an input the command was not meant to
 * write, that no annotation was lost, and — for the shapes that could be slow — that time grows
 * linearly (1× against 4× of the same shape).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export { BIN, buildCli, cli, removeTmpdirs, tmpdir, type Run } from '../cli/helpers';

/** Median of `n` timed calls of `fn`, in milliseconds. */
export function timeIt(fn: () => unknown, n = 3): number {
  const times = timings(fn, n);
  return times[Math.floor(times.length / 2)];
}

/** `n` timed calls of `fn`, in milliseconds, sorted. */
function timings(fn: () => unknown, n: number): number[] {
  const times: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < n; i++) {
    gc?.(); // each run starts from a collected heap: earlier tests' garbage is not this run's cost (.mocharc.json exposes gc)
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

/** The smallest time of one call below which a ratio of two timings says more about the machine than the code. */
const MIN_MEASURABLE_MS = 20;

/**
 * Runs `make(k)` (an input of k units) through `fn` at 1× and 4× and fails when the time ratio
 * exceeds `maxRatio` (8: linear is 4, n log n a little more, quadratic 16 — the limit sits halfway,
 * since inputs of megabytes also meet the caches and the collector). Inputs are made before timing.
 * Returns both times for messages.
 *
 * What keeps it honest on a busy machine (another test layer, a build, a collector pause):
 * - each size is timed five times and the fastest run counts — load only ever adds time, so the
 *   minimum is the closest to the work itself;
 * - when the 1× input runs in under 20 ms, both sizes are doubled (up to 16×) until it does not, so
 *   a pause of a few milliseconds cannot decide the ratio;
 * - a ratio over the limit is measured again, up to three times in all. A quadratic path fails every
 *   time (16× against 8).
 */
export function assertLinear<T>(make: (k: number) => T, fn: (input: T) => unknown, units: number, maxRatio = 8): { t1: number; t4: number; ratio: number } {
  let k = units;
  let small = make(k);
  fn(small); // warm up: compile the code paths before timing
  while (k < units * 16 && timings(() => fn(small), 1)[0] < MIN_MEASURABLE_MS) {
    k *= 2;
    small = make(k);
  }
  const large = make(k * 4);
  fn(large);
  let last = { t1: 0, t4: 0, ratio: Infinity };
  for (let attempt = 0; attempt < 3; attempt++) {
    const t1 = Math.max(timings(() => fn(small), 5)[0], 1);
    const t4 = timings(() => fn(large), 5)[0];
    last = { t1, t4, ratio: t4 / t1 };
    if (last.ratio <= maxRatio) return last;
  }
  assert.fail(`time grew ${last.ratio.toFixed(1)}× for 4× the input (${k} → ${k * 4} units, ${last.t1.toFixed(1)} ms → ${last.t4.toFixed(1)} ms, fastest of five): not linear`);
}

export interface TreeSnapshot {
  [rel: string]: { sha: string; mode: number };
}

/** Every regular file below `dir` (symlinks not followed) with its content hash and permission bits. */
export function snapshotTree(dir: string): TreeSnapshot {
  const out: TreeSnapshot = {};
  const visit = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) visit(p);
      else if (ent.isFile()) {
        const st = fs.statSync(p);
        out[path.relative(dir, p).split(path.sep).join('/')] = { sha: createHash('sha256').update(fs.readFileSync(p)).digest('hex'), mode: st.mode & 0o7777 };
      }
    }
  };
  visit(dir);
  return out;
}

/** Asserts that every file of `before` is unchanged in `after` except those named in `mayChange`. */
export function assertUntouched(before: TreeSnapshot, after: TreeSnapshot, mayChange: string[] = []): void {
  for (const [rel, v] of Object.entries(before)) {
    if (mayChange.includes(rel)) continue;
    assert.ok(after[rel], `${rel} was removed`);
    assert.equal(after[rel].sha, v.sha, `${rel} was changed`);
    assert.equal(after[rel].mode, v.mode, `${rel} changed its permissions`);
  }
}

/** Asserts a command failed cleanly: the exit status, a message naming `mention`, and no stack trace. */
export function assertCleanError(r: { status: number; stderr: string }, status: number, mention?: RegExp): void {
  assert.equal(r.status, status, `exit ${r.status}, expected ${status}; stderr: ${r.stderr.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /\n\s+at [^\n]+:\d+:\d+\)?\n|internal error/, `a stack trace was printed: ${r.stderr.slice(0, 2000)}`);
  if (mention) assert.match(r.stderr, mention);
}
