// Runs INSIDE the real extension host (code-server), loaded as `extensionTestsPath` by the bench's
// activation case (bench/cases/activation.ts), which compiles it to out/bench/probe.js.
//
// The workspace the bench opens holds one .txt source outside `seeds/`, so none of Marginalia's
// activation events has fired when this runs. In order:
// 1. baseline: activate `bench.empty` (an extension whose activate() does nothing, installed by the
//    bench in --extensions-dir): the host's own cost of activating any extension;
// 2. `require` of Marginalia's main module (dist/node/extension.js): module load, timed apart;
// 3. `await extension.activate()`: the host's activation with Marginalia's `activate()` body;
// 4. open the source and wait for its first decorations (through the extension's test API); with
//    MARGINALIA_BENCH_IDLE_MS set, first wait that long, idle (the extension active, no source
//    open): "visible when active" rather than "the opening activates".
// Results go to MARGINALIA_BENCH_RESULTS (JSON) and to the log as `MARGINALIA_BENCH {…}`.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../src/host/api';

const EXTENSION_ID = 'marginalia-dev.marginalia';
const EMPTY_ID = 'bench.empty';

export async function run(): Promise<void> {
  const out: Record<string, unknown> = {};
  try {
    const ext = vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
    out.wasActive = ext.isActive;
    const empty = vscode.extensions.getExtension(EMPTY_ID);
    if (empty) {
      const e0 = performance.now();
      await empty.activate();
      out.emptyActivateMs = performance.now() - e0;
    }
    const main = path.join(ext.extensionPath, (ext.packageJSON as { main?: string }).main ?? 'dist/node/extension.js');
    const r0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(main);
    out.requireMs = performance.now() - r0;
    const t0 = performance.now();
    const api = await ext.activate();
    out.activateMs = performance.now() - t0;

    const idle = Number(process.env.MARGINALIA_BENCH_IDLE_MS ?? 0);
    if (idle > 0) {
      await new Promise((r) => setTimeout(r, idle));
      out.idleMs = idle;
    }
    const [file] = await vscode.workspace.findFiles('**/*.txt', undefined, 1);
    if (!file) throw new Error('no .txt source in the bench workspace');
    const t1 = performance.now();
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    out.openMs = performance.now() - t1;
    while (performance.now() - t1 < 60_000) {
      const ranges = api.decorationsFor(editor);
      const n = Object.values(ranges).reduce((s, r) => s + r.length, 0);
      if (n > 0) {
        out.firstDecorationsMs = performance.now() - t1;
        out.decorations = n;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    out.lastAnalysisMs = api.lastAnalysisMs(doc.uri);
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  }
  const line = JSON.stringify(out);
  console.log(`MARGINALIA_BENCH ${line}`);
  const target = process.env.MARGINALIA_BENCH_RESULTS;
  if (target) fs.writeFileSync(target, line);
}
