// Where the test harness keeps things. Shared by the integration and end-to-end runners.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.96.4';
export const CODE_SERVER_DIR = path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CODE_SERVER_MARKER = path.join(CODE_SERVER_DIR, '.marginalia-setup-complete');
export const CHROMIUM = '/usr/bin/chromium';
/** publisher.name from package.json. */
export const EXTENSION_ID = 'marginalia-dev.marginalia';
/** Compiled test code (git-ignored). */
export const OUT_DIR = path.join(ROOT, 'out');
/** Screenshots, results and logs of test runs (git-ignored). */
export const TEST_OUTPUT = path.join(ROOT, 'test-output');
export const RESULTS_DIR = path.join(TEST_OUTPUT, 'results');
export const SCREENSHOTS_DIR = path.join(TEST_OUTPUT, 'screenshots');
/** The fixture workspace copied (with seeds/) into a temp folder for every in-host run. */
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');
export const SEEDS = path.join(ROOT, 'seeds');
