#!/usr/bin/env node
// Run before the tests: builds the addon with node-gyp when the binary node-gyp-build would load
// (build/Release, else the prebuild) is missing or stale, and the SIMT emulator plugin and its
// self-test binary when they are missing or older than their sources, so `npm test` always
// exercises the current sources (the CUDA ones on `simt` too).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { root, addonInputs, simtInputs, stale } = require('./native-inputs');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// A prebuild made by `npm run build:prebuild` moves the node-gyp output out of build/Release; when it
// is current, it is what the tests load, and compiling the same sources again buys nothing.
const local = 'build/Release/wavetape.node';
const prebuild = `prebuilds/${process.platform}-${process.arch}/wavetape.node`;
const loaded = fs.existsSync(path.join(root, local)) || !fs.existsSync(path.join(root, prebuild)) ? local : prebuild;
if (stale(loaded, addonInputs())) {
  // npm's own node-gyp, pointed by npm at Node's installed headers.
  run('npm', ['run', 'build:addon', '--', '-j', 'max']);
}

const simt = simtInputs();
if (stale('build-cmake/Release/libwavetape_simt.so', simt) || stale('build-cmake/Release/simt_selftest', simt)) {
  run(process.execPath, [path.join(__dirname, 'cmake-build.js'), 'wavetape_simt', 'simt_selftest']);
}
