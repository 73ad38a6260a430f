// Mocha root hooks for the end-to-end layer (loaded with --require by scripts/test-e2e.mjs): one
// code-server + chromium session for all scenario files, a screenshot of every failed test.
import type { Context } from 'mocha';
import { setSession, getSession } from './index';
import { startSession } from './session';

export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    this.timeout(330_000);
    const session = await startSession();
    setSession(session);
    // The workspace holds seeds/, so the extension activates on its own: wait for it here, under this
    // hook's timeout, not under the first scenario's (a loaded machine's web worker host took over a minute).
    await session.workbench.waitForActivation();
  },
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    const session = getSession(false);
    if (test?.state === 'failed' && session) {
      const file = await session.workbench.screenshot(`FAILED-${test.fullTitle()}`).catch((err: unknown) => `(none: ${String(err)})`);
      console.log(`      screenshot of the failure: ${file}`);
    }
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(30_000);
    const session = getSession(false);
    setSession(undefined);
    await session?.close();
  },
};
