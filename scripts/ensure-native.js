#!/usr/bin/env node
// Run before the tests: builds the addon with node-gyp when no binary is there yet (npm install
// normally did), and the SIMT emulator plugin and its self-test binary when they are missing or
// older than their sources, so `npm test` always exercises the current CUDA sources on `simt`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const sources = require('./sources');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestMtime(files) {
  return Math.max(0, ...files.map((f) => fs.statSync(path.join(root, f)).mtimeMs));
}

function stale(output, inputs) {
  const file = path.join(root, output);
  return !fs.existsSync(file) || fs.statSync(file).mtimeMs < newestMtime(inputs);
}

const headers = (dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir)).filter((f) => /\.(h|cuh)$/.test(f)).map((f) => path.join(dir, f))
    : [];
const shared = ['native/kernels', 'native/core'].flatMap(headers);

if (stale('build/Release/wavetape.node', [...sources.list('addon'), ...shared, ...headers('native/cpu'), ...headers('native/napi')])) {
  // npm's own node-gyp, pointed by npm at Node's installed headers.
  run('npm', ['run', 'build:addon', '--', '-j', 'max']);
}

const simtInputs = [...sources.list('cuda'), ...sources.list('simt'), ...sources.list('simt_selftest'), ...shared,
  ...headers('native/cuda'), ...headers('native/simt'), ...headers('native/simt/include'), ...headers('native/simt/selftest'),
  'CMakeLists.txt'];
if (stale('build-cmake/Release/libwavetape_simt.so', simtInputs) || stale('build-cmake/Release/simt_selftest', simtInputs)) {
  run(process.execPath, [path.join(__dirname, 'cmake-build.js'), 'wavetape_simt', 'simt_selftest']);
}
