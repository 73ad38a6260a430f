/**
 * Ordered, bounded parallel map for the command line. Work runs either in this thread or in
 * worker_threads running this same bundle (`dist/cli/marginalia.js` checks `workerData` on start).
 * At most `2 × jobs` items are in flight and results are emitted in input order, so memory stays
 * bounded however many files stream through.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { UsageError } from './args';

export type Handler = (payload: unknown) => Promise<unknown>;

export interface PoolOptions {
  /** Worker threads; 0 = run in this thread. */
  jobs: number;
  /** The task name the workers dispatch on. */
  task: string;
  /** Passed to every worker at start (e.g. model options). */
  init?: unknown;
}

export const WORKER_FLAG = 'marginaliaWorker';

/** Workers need the compiled bundle (a .js file); under tsx the pool runs in this thread. */
export function canUseWorkers(): boolean {
  return __filename.endsWith('.js');
}

/**
 * Default worker count: one per core beyond the first, at most 4 — and none below 3 cores, where a
 * single worker only moves the work off the (otherwise idle) main thread: measured on 2 cores,
 * 300 news files took 11.1 s inline and 11.2 s with one worker (see the report).
 */
export function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** `--jobs N`: a whole number from 0 to the number of cores (more threads than cores only add overhead and memory). */
export function jobsOption(value: string | undefined): number {
  if (value === undefined) return defaultJobs();
  const n = Number(value);
  const max = cores();
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > max) throw new UsageError(`--jobs must be a whole number from 0 to ${max} (the cores here); got "${value}"`);
  return n;
}

export function defaultJobs(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const jobs = Math.min(4, n - 1);
  return jobs >= 2 ? jobs : 0;
}

export async function* mapOrdered<T, R>(
  items: AsyncIterable<T>,
  local: (item: T) => Promise<R>,
  options: PoolOptions,
): AsyncGenerator<R> {
  const jobs = canUseWorkers() ? options.jobs : 0;
  if (jobs <= 0) {
    // In this thread: still overlap I/O of the next file with the current analysis.
    for await (const item of items) yield await local(item);
    return;
  }
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const pending = new Map<Worker, { resolve: (r: R) => void; reject: (e: Error) => void }>();
  const waiters: Array<() => void> = [];
  for (let i = 0; i < jobs; i++) {
    const w = new Worker(__filename, { workerData: { [WORKER_FLAG]: true, task: options.task, init: options.init } });
    w.on('message', (m: { ok: boolean; value?: R; error?: string }) => {
      const p = pending.get(w);
      pending.delete(w);
      idle.push(w);
      const next = waiters.shift();
      if (next) next();
      if (!p) return;
      if (m.ok) p.resolve(m.value as R);
      else p.reject(new Error(m.error ?? 'worker failed'));
    });
    w.on('error', (e) => {
      const p = pending.get(w);
      pending.delete(w);
      if (p) p.reject(e);
    });
    workers.push(w);
    idle.push(w);
  }
  const acquire = async (): Promise<Worker> => {
    while (idle.length === 0) await new Promise<void>((res) => waiters.push(res));
    return idle.shift()!;
  };
  const run = async (item: T): Promise<R> => {
    const w = await acquire();
    return new Promise<R>((resolve, reject) => {
      pending.set(w, { resolve, reject });
      w.postMessage(item);
    });
  };
  const window: Promise<R>[] = [];
  try {
    for await (const item of items) {
      const p = run(item);
      // Avoid unhandled rejections while the promise waits in the window; it is awaited below.
      p.catch(() => undefined);
      window.push(p);
      if (window.length >= jobs * 2) yield await window.shift()!;
    }
    while (window.length) yield await window.shift()!;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Body of a worker thread: handle messages with `handlers[task]`. */
export function serveWorker(port: { on(e: 'message', f: (m: unknown) => void): void; postMessage(m: unknown): void }, handler: Handler): void {
  port.on('message', (m) => {
    handler(m).then(
      (value) => port.postMessage({ ok: true, value }),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
