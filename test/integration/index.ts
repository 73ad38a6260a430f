// The in-host suite's entry point, exactly the @vscode/test-electron convention: the extension host
// loads this module (extensionTestsPath) and awaits `run()`. It runs every compiled
// out/test/integration/suite/*.test.js with mocha BDD (describe/it) and rejects on any failure.
//
// Works under both hosts: code-server (payload route, scripts/test-integration.mjs) and
// @vscode/test-electron (MARGINALIA_TEST_HOST=electron).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const RESULT_LINE_PREFIX = 'MARGINALIA_RESULT ';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.MARGINALIA_TEST_TIMEOUT ?? 20_000),
    reporter: 'spec',
  });
  const grep = process.env.MARGINALIA_TEST_GREP;
  if (grep) mocha.grep(grep);
  const dir = path.join(__dirname, 'suite');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
  for (const f of files) mocha.addFile(path.join(dir, f));

  return new Promise<void>((resolve, reject) => {
    const failures: string[] = [];
    const runner = mocha.run((failed) => {
      const stats = runner.stats ?? { passes: 0, failures: failed, pending: 0 };
      const result = { passed: stats.passes, failed: stats.failures, pending: stats.pending, failures };
      const line = RESULT_LINE_PREFIX + JSON.stringify(result);
      console.log(line);
      const file = process.env.MARGINALIA_RESULTS_FILE;
      if (file) {
        try {
          fs.writeFileSync(file, JSON.stringify(result));
        } catch (err) {
          console.error(`could not write ${file}: ${String(err)}`);
        }
      }
      if (files.length === 0) reject(new Error(`no test files in ${dir}`));
      else if (failed > 0) reject(new Error(`${failed} in-host test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, err: Error) => {
      failures.push(`${test.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`);
    });
  });
}
