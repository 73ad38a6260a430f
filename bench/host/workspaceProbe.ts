// Runs INSIDE the real extension host (code-server's Node host), loaded as `extensionTestsPath` by
// the bench's workspace case (bench/cases/workspace.ts) on a workspace of generated articles.
// In order, with a 5 ms timer watching the host's event loop (its longest gap is the longest block):
// 1. activate Marginalia; baseline: find and read every source through `workspace.fs` (the scan's I/O);
// 2. *Re-scan Workspace* (the command, with its progress notification), timed to its end;
// 3. the workspace Entities and Quotes views: their providers' `getChildren()` and `getTreeItem()`
//    for the top level and the first group expanded, timed;
// 4. memory: the host's heap and RSS before, at the peak (sampled) and after.
// Results go to MARGINALIA_BENCH_RESULTS (JSON).
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { MarginaliaApi } from '../../src/host/api';

const EXTENSION_ID = 'marginalia-dev.marginalia';

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

class LoopWatch {
  private last = performance.now();
  private lastCpu = cpuMs();
  private timer?: NodeJS.Timeout;
  max = 0;
  /** CPU time the process used during the longest gap (load-independent, unlike the wall time). */
  maxCpu = 0;
  over50 = 0;
  /** Gaps in which the process spent over 50 ms of CPU. */
  over50Cpu = 0;
  peakRss = 0;
  peakHeap = 0;
  private ticks = 0;
  start(): void {
    this.max = 0;
    this.maxCpu = 0;
    this.over50 = 0;
    this.over50Cpu = 0;
    this.last = performance.now();
    this.lastCpu = cpuMs();
    this.timer = setInterval(() => {
      const now = performance.now();
      const cpu = cpuMs();
      const gap = now - this.last - 5;
      if (gap > this.max) this.max = gap;
      if (cpu - this.lastCpu > this.maxCpu) this.maxCpu = cpu - this.lastCpu;
      if (gap > 50) this.over50++;
      if (cpu - this.lastCpu > 50) this.over50Cpu++;
      this.last = now;
      this.lastCpu = cpu;
      if (++this.ticks % 10 === 0) this.sampleMemory();
    }, 5);
  }
  sampleMemory(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }
  stop(): void {
    clearInterval(this.timer);
    this.sampleMemory();
  }
}

const MB = 1024 * 1024;

async function expandAll<T>(tree: vscode.TreeDataProvider<T>): Promise<{ top: number; children: number }> {
  const top = (await tree.getChildren()) ?? [];
  for (const node of top) await tree.getTreeItem(node);
  let children = 0;
  if (top[0] !== undefined) {
    const kids = (await tree.getChildren(top[0])) ?? [];
    for (const k of kids) await tree.getTreeItem(k);
    children = kids.length;
  }
  return { top: top.length, children };
}

export async function run(): Promise<void> {
  const out: Record<string, unknown> = {};
  const watch = new LoopWatch();
  try {
    const ext = vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
    const api = await ext.activate();
    await api.whenIdle();
    const before = process.memoryUsage();
    out.rssBeforeMB = before.rss / MB;
    out.heapBeforeMB = before.heapUsed / MB;

    // Baseline: the scan's I/O alone.
    watch.start();
    const b0 = performance.now();
    const bc0 = cpuMs();
    const uris = await vscode.workspace.findFiles('**/*.txt');
    let bytes = 0;
    for (const uri of uris) bytes += (await vscode.workspace.fs.readFile(uri)).length;
    out.ioMs = performance.now() - b0;
    out.ioCpuMs = cpuMs() - bc0;
    watch.stop();
    out.ioLongestBlockMs = watch.max;
    out.files = uris.length;
    out.bytes = bytes;

    // Re-scan Workspace.
    watch.start();
    const t0 = performance.now();
    const c0 = cpuMs();
    await vscode.commands.executeCommand('marginalia.rescanWorkspace');
    out.scanMs = performance.now() - t0;
    out.scanCpuMs = cpuMs() - c0;
    watch.stop();
    out.scanLongestBlockMs = watch.max;
    out.scanLongestBlockCpuMs = watch.maxCpu;
    out.scanBlocksOver50 = watch.over50;
    out.scanBlocksOver50Cpu = watch.over50Cpu;
    out.peakRssMB = watch.peakRss / MB;
    out.peakHeapMB = watch.peakHeap / MB;
    const after = process.memoryUsage();
    out.rssAfterMB = after.rss / MB;
    out.heapAfterMB = after.heapUsed / MB;
    out.scanned = api.scannedAnalysisFor ? uris.filter((u) => api.scannedAnalysisFor!(u)).length : undefined;

    // The workspace views.
    watch.start();
    const e0 = performance.now();
    const ec0 = cpuMs();
    const ent = await expandAll(api.entitiesTree);
    out.entitiesViewMs = performance.now() - e0;
    out.entitiesViewCpuMs = cpuMs() - ec0;
    const q0 = performance.now();
    const qc0 = cpuMs();
    const quo = await expandAll(api.quotesTree);
    out.quotesViewMs = performance.now() - q0;
    out.quotesViewCpuMs = cpuMs() - qc0;
    watch.stop();
    out.viewsLongestBlockMs = watch.max;
    out.entitiesTop = ent.top;
    out.entitiesFirstGroup = ent.children;
    out.quotesTop = quo.top;
    out.quotesFirstGroup = quo.children;
    // Second build (a view refresh with nothing changed).
    const r0 = performance.now();
    await expandAll(api.entitiesTree);
    await expandAll(api.quotesTree);
    out.viewsAgainMs = performance.now() - r0;
  } catch (err) {
    out.error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  }
  watch.stop();
  const target = process.env.MARGINALIA_BENCH_RESULTS;
  if (target) fs.writeFileSync(target, JSON.stringify(out));
}
