#!/usr/bin/env node
'use strict';
// The `marginalia` command: a shim over the bundle built by `npm run build` (also run by `prepare`).
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'marginalia.js');
let cli;
try {
  cli = require(bundle);
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('marginalia.js')) {
    process.stderr.write('marginalia: the command line is not built yet; run `npm run build` in ' + path.join(__dirname, '..') + '\n');
    process.exit(2);
  }
  throw e;
}
cli.run();
