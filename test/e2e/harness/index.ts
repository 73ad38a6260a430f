// What scenario files import: `workbench()` gives the shared, already-started Workbench.
//   import { workbench, SEED } from './harness';
export { Workbench, type DecorationInfo, type WorkbenchInfo } from './workbench';
export { e2eHost, type E2EHost } from './session';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { E2ESession } from './session';
import type { Workbench } from './workbench';

/** The seed source, relative to the workspace root. */
export const SEED = 'seeds/000_f0f083a2e182d3f1.txt';

let current: E2ESession | undefined;

export function setSession(session: E2ESession | undefined): void {
  current = session;
}

export function getSession(required: true): E2ESession;
export function getSession(required: boolean): E2ESession | undefined;
export function getSession(required: boolean): E2ESession | undefined {
  if (!current && required) throw new Error('no e2e session: run scenarios through `npm run test:e2e` (root hooks start it)');
  return current;
}

/** The shared workbench (code-server + chromium) every scenario drives. */
export function workbench(): Workbench {
  return getSession(true).workbench;
}

/**
 * A screenshot of the workbench, not an empty or failed page: a PNG of the viewport's size with
 * enough detail that it cannot be a blank or single-colour frame.
 */
export function assertWorkbenchImage(file: string, viewport = { width: 1440, height: 900 }): void {
  const png = fs.readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  assert.deepEqual({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }, viewport, `${file} has the viewport's size`);
  assert.ok(png.length > 30_000, `${file} is ${png.length} bytes: a blank or single-colour frame compresses below 30 KB`);
}
