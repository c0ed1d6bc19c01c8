#!/usr/bin/env node
// The idp command's JavaScript entry (bin/idp starts it when no startup snapshot fits this Node.js).
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `idp needs Node.js 22 or 24, but this is ${process.version}: install Node.js 24 (e.g. nvm install 24), then reinstall idp.\n`,
  );
  process.exit(1);
}
const path = require('node:path');
const fs = require('node:fs');
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;
if (only === '-v' || only === '--version') {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if ((only === '-h' || only === '--help') && !process.stdout.isTTY) {
  // The help commander prints when stdout is not a terminal (80 columns), saved by the pack.
  process.stdout.write(fs.readFileSync(path.join(__dirname, '..', 'dist', 'help.txt')));
} else {
  // Most of a cold start without the snapshot is compiling the bundle: cache that on disk, in the
  // user's cache (Node's default is one folder under the shared /tmp for every user). Optional
  // because Node.js 22.0 has no compile cache (22.1 and 24 do): there idp only starts slower.
  const { cacheHome } = require('../scripts/cacheHome.cjs');
  require('node:module').enableCompileCache?.(path.join(cacheHome(), 'idp', 'compile-cache'));
  require('../dist/idp.cjs');
}
