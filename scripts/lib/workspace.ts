// A temp COPY of the fixture workspace for each run: tests may edit and save files freely.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_WORKSPACE, SEEDS } from './paths';

/** A fresh temp folder for one run; removed by the caller with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function makeTempRoot(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `marginalia-${prefix}-`));
}

/**
 * Builds `<tmpRoot>/workspace`: `seeds/` (the sample sources) plus everything under
 * test/fixtures/workspace/ (which may add files beside or inside seeds/). Returns its path.
 */
export function makeWorkspace(tmpRoot: string): string {
  const ws = path.join(tmpRoot, 'workspace');
  fs.mkdirSync(ws, { recursive: true });
  fs.cpSync(SEEDS, path.join(ws, 'seeds'), { recursive: true });
  if (fs.existsSync(FIXTURE_WORKSPACE)) {
    for (const name of fs.readdirSync(FIXTURE_WORKSPACE)) {
      if (name === 'README.md') continue;
      fs.cpSync(path.join(FIXTURE_WORKSPACE, name), path.join(ws, name), { recursive: true });
    }
  }
  return ws;
}
