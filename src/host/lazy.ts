/**
 * Lazy access to the heavy half of the extension (./heavy.ts): recognition, the YAML codecs, the
 * interchange formats. Activation never loads it; the first caller of `heavy()` does, once.
 *
 * Only `import type` from './heavy' anywhere on the activation path: a value import would pull the
 * heavy modules back into dist/node/extension.js (test/unit/build/bundle.test.ts checks that).
 */
import type * as HeavyModule from './heavy';

export type Heavy = typeof HeavyModule;

let loaded: Heavy | undefined;

/** The heavy module, loaded on first use (synchronously: `require`). */
export function heavy(): Heavy {
  if (!loaded) {
    // Node bundle: scripts/build.mjs resolves this to the sibling file dist/node/heavy.js. Web bundle
    // and tests: the module itself (bundled; its body runs on this first call).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./heavy') as Heavy;
  }
  return loaded;
}

/** Whether `heavy()` has been called yet (for tests). */
export function heavyLoaded(): boolean {
  return loaded !== undefined;
}
