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
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Runs `make(k)` (an input of k units) through `fn` at 1× and 4× and fails when the time ratio
 * exceeds `maxRatio` (6: linear is 4, n log n a little more, quadratic 16). Inputs are made before
 * timing. Returns both times for messages.
 */
export function assertLinear<T>(make: (k: number) => T, fn: (input: T) => unknown, units: number, maxRatio = 6): { t1: number; t4: number; ratio: number } {
  const small = make(units);
  const large = make(units * 4);
  fn(small); // warm up: compile the code paths before timing
  const t1 = Math.max(timeIt(() => fn(small)), 1);
  const t4 = timeIt(() => fn(large));
  const ratio = t4 / t1;
  assert.ok(ratio <= maxRatio, `time grew ${ratio.toFixed(1)}× for 4× the input (${t1.toFixed(1)} ms → ${t4.toFixed(1)} ms): not linear`);
  return { t1, t4, ratio };
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
