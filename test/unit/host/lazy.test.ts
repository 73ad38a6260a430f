// The heavy half of the extension is reached through heavy() and a lazily created engine, so that
// activation neither loads nor runs the recognisers and the YAML codecs.
import * as assert from 'assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { AnalyzeOptions } from '../../../src/core/analyze';
import type { Analysis } from '../../../src/core/types';
import { FullEngine, type AnalysisEngine } from '../../../src/core/live/engine';
import { lazyEngine } from '../../../src/host/analysis/lazyEngine';
import { heavy, heavyLoaded } from '../../../src/host/lazy';
import type { Edit } from '../../../src/core/text/edits';

const TEXT = 'Sergei Lavrov met Antony Blinken in Geneva on Monday. "We agree," Lavrov said.';

/** An engine that records what it was asked to do. */
class Recording implements AnalysisEngine {
  readonly calls: string[] = [];
  private readonly inner = new FullEngine();
  analyze(key: string, text: string, edits: readonly Edit[] | undefined, options: AnalyzeOptions): Analysis {
    this.calls.push(`analyze ${key}`);
    return this.inner.analyze(key, text, edits, options);
  }
  forget(key: string): void {
    this.calls.push(`forget ${key}`);
  }
  reset(): void {
    this.calls.push('reset');
  }
}

describe('host: lazy loading of the heavy module', () => {
  it('lazyEngine creates nothing until the first analysis; forget/reset before it are no-ops', () => {
    let created = 0;
    const rec = new Recording();
    const engine = lazyEngine(() => {
      created++;
      return rec;
    });
    engine.forget('a');
    engine.reset();
    assert.strictEqual(created, 0);
    assert.strictEqual(engine.created, false);
    const a = engine.analyze('a', TEXT, undefined, {});
    assert.strictEqual(created, 1);
    assert.strictEqual(engine.created, true);
    assert.deepStrictEqual(a, new FullEngine().analyze('x', TEXT, undefined, {}));
    engine.analyze('b', TEXT, undefined, {});
    engine.forget('a');
    engine.reset();
    assert.strictEqual(created, 1, 'the engine is created once');
    assert.deepStrictEqual(rec.calls, ['analyze a', 'analyze b', 'forget a', 'reset']);
  });

  it('lazyEngine.analyzeAsync falls back to analyze for engines without it', async () => {
    const rec = new Recording();
    const engine = lazyEngine(() => rec);
    const pause = () => Promise.resolve();
    const a = await engine.analyzeAsync!('k', TEXT, undefined, {}, pause, () => false);
    assert.ok(a && a.mentions.length > 0, 'the recogniser found mentions');
    assert.deepStrictEqual(rec.calls, ['analyze k']);
  });

  it('the default lazyEngine is the incremental engine of the heavy module, and agrees with the full analysis', async () => {
    const engine = lazyEngine();
    const full = new FullEngine().analyze('k', TEXT, undefined, {});
    const pause = () => new Promise<void>((r) => setTimeout(r, 0));
    const a = await engine.analyzeAsync!('k', TEXT, undefined, {}, pause, () => false);
    assert.ok(engine.created);
    assert.deepStrictEqual(a, full);
    // An edit goes through the same (now created) engine.
    const edited = `${TEXT} Blinken left.`;
    const b = engine.analyze('k', edited, [{ offset: TEXT.length, length: 0, text: ' Blinken left.' }], {});
    assert.deepStrictEqual(b, new FullEngine().analyze('k', edited, undefined, {}));
  });

  it('loading lazy.ts loads none of the heavy modules; the first heavy() call does (a fresh process)', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const probe = `
      const heavyIn = () => Object.keys(require.cache).filter((k) => /[\\/](yaml|src[\\/]core[\\/](ner|sidecar))[\\/]/.test(k)).length;
      const lazy = require(${JSON.stringify(path.join(root, 'src', 'host', 'lazy.ts'))});
      const before = heavyIn();
      const loadedBefore = lazy.heavyLoaded();
      lazy.heavy();
      console.log(JSON.stringify({ before, loadedBefore, after: heavyIn(), loadedAfter: lazy.heavyLoaded() }));`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.strictEqual(r.status, 0, r.stderr);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: number; loadedBefore: boolean; after: number; loadedAfter: boolean };
    assert.deepStrictEqual({ before: seen.before, loadedBefore: seen.loadedBefore, loadedAfter: seen.loadedAfter }, { before: 0, loadedBefore: false, loadedAfter: true });
    assert.ok(seen.after > 10, `heavy() loaded ${seen.after} recogniser and codec modules`);
  });

  it('heavy() loads the heavy module once and exposes what the host calls', () => {
    const h = heavy();
    assert.ok(heavyLoaded());
    assert.strictEqual(heavy(), h, 'loaded once');
    for (const name of [
      'ChunkedEngine', 'loadTaggerModel', 'parseDictionary', 'parseSidecar', 'serializeSidecar', 'mergeSidecars', 'exportSource',
      'importIntoSidecar', 'readInterchange', 'placeTargets', 'toNormalizedOffsets', 'remapAnalysis',
    ] as const) {
      assert.strictEqual(typeof h[name], 'function', name);
    }
    // The YAML parser runs through heavy(): a duplicate key is reported.
    const parsed = h.parseDictionary('people: []\npeople: []\n');
    assert.strictEqual(parsed.errors.length, 1, JSON.stringify(parsed.errors));
    assert.match(parsed.errors[0].message, /unique/i);
  });
});
