// In-host integration tests: the mocha suite in test/integration runs INSIDE a real VS Code
// extension host (code-server 4.96.4 by default; MARGINALIA_TEST_HOST=electron for
// @vscode/test-electron). Exits with the suite's status.
//   node scripts/test-integration.mjs [--verbose] [--grep=PATTERN] [--no-build]
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const { main } = createRequire(import.meta.url)('./lib/integration.ts');
process.exitCode = await main(process.argv.slice(2));
