#!/usr/bin/env node
// The one list of native sources, read by binding.gyp (node-gyp) and CMakeLists.txt (cmake-js).
// Groups are folders, so adding a file to a folder adds it to every build.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const GROUPS = {
  // the addon Node loads: core + CPU backend + binding
  addon: [['native/core', '.cpp'], ['native/cpu', '.cpp'], ['native/napi', '.cc']],
  // CUDA kernels and the plugin's host code, compiled by nvcc or (simt) by g++
  cuda: [['native/cuda', '.cu']],
  // the SIMT emulator's runtime
  simt: [['native/simt', '.cpp']],
  // planted-bug kernels proving the emulator's detectors
  simt_selftest: [['native/simt/selftest', '.cu'], ['native/simt/selftest', '.cpp']],
};

function list(group) {
  const dirs = GROUPS[group];
  if (!dirs) throw new Error(`sources.js: unknown group '${group}' (expected one of ${Object.keys(GROUPS).join(', ')})`);
  const out = [];
  for (const [dir, ext] of dirs) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).sort()) if (f.endsWith(ext)) out.push(`${dir}/${f}`);
  }
  return out;
}

if (require.main === module) {
  const [group, format] = process.argv.slice(2);
  const files = list(group);
  process.stdout.write(format === '--cmake' ? files.join(';') : files.join('\n'));
}
module.exports = { list };
