#!/usr/bin/env node
// Run as `PREBUILDS_ONLY=1 node scripts/check-prebuild.js` (npm run test-prebuild): proves that
// node-gyp-build resolves the addon from prebuilds/linux-x64/ (not build/) and that the loaded
// binary works.
'use strict';
const path = require('path');

const root = path.join(__dirname, '..');
if (process.env.PREBUILDS_ONLY !== '1') {
  console.error('check-prebuild: run with PREBUILDS_ONLY=1 so a local build cannot be picked');
  process.exit(2);
}
const file = require('node-gyp-build').resolve(root);
const expectedDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
if (path.dirname(file) !== expectedDir) {
  console.error(`check-prebuild: resolved ${file}, expected a file in ${expectedDir}`);
  process.exit(1);
}
const wt = require(path.join(root, 'dist'));
const got = wt.sum(wt.mul(wt.arange(0, 10), 2)).item();
if (got !== 90) {
  console.error(`check-prebuild: sum(2·arange(10)) = ${got}, expected 90`);
  process.exit(1);
}
console.log(`check-prebuild: loaded ${path.relative(root, file)}; devices ${wt.devices().join(', ')}; computed ok`);
