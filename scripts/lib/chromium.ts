// Debian's chromium driven by playwright-core (never `npx playwright install`: it downloads).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './paths';

export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchChromium(tmpRoot: string, viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  }
  const xdg = path.join(tmpRoot, 'chromium-xdg');
  fs.mkdirSync(xdg, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: path.join(xdg, 'cache') } as Record<string, string>,
  });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  // Test code runs through tsx/esbuild, which wraps named functions in `__name(...)`; functions
  // passed to page.evaluate() carry that call into the page, so define it there.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await context.close().catch((err: unknown) => console.error(`[marginalia] closing browser context: ${String(err)}`));
      await browser.close();
    },
  };
}
