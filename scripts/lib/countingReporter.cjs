/* global require, module, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS reporter that mocha loads by path */
// Mocha's spec reporter plus machine-readable counts for scripts/test-all.mjs: on 'end' it writes
// {passed, failed, pending, failures[]} to $MARGINALIA_RESULTS_FILE (when set).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class CountingReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    const started = Date.now();
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      failures.push(`${test.fullTitle()}: ${String((err && err.message) || err).split('\n')[0]}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.MARGINALIA_RESULTS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      const result = {
        layer: process.env.MARGINALIA_RESULTS_LAYER || 'mocha',
        passed: s.passes || 0,
        failed: s.failures || 0,
        pending: s.pending || 0,
        durationMs: Date.now() - started,
        failures,
      };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    });
  }
}

module.exports = CountingReporter;
