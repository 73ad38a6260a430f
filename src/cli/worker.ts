/** Task handlers run inside worker threads (and in this thread when there are none). */
import { checkSidecar, type CheckTask } from './check';
import type { Handler } from './pool';
import { scanFile, type ScanTask } from './scan';

export function workerHandler(task: string): Handler {
  switch (task) {
    case 'scan':
      return (payload) => scanFile(payload as ScanTask);
    case 'check':
      return (payload) => checkSidecar(payload as CheckTask);
    default:
      return () => Promise.reject(new Error(`unknown worker task ${task}`));
  }
}
