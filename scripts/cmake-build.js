#!/usr/bin/env node
// Builds CMake targets with cmake-js into build-cmake/ (kept apart from node-gyp's build/):
//   node scripts/cmake-build.js <target>...   e.g. wavetape wavetape_simt simt_selftest
// Also serves an installed package (`npm explore wavetape -- npm run build:cuda`), where cmake-js
// is whatever the app has installed: it is a devDependency here, not a dependency.
// Configures once through cmake-js (which supplies Node's headers), then builds the named targets
// with CMake, and copies the addon to build/Release where node-gyp-build looks for it.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build-cmake');
const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: node scripts/cmake-build.js <target>...');
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function cmakeJsBin() {
  try {
    return path.join(path.dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  } catch {
    console.error('wavetape: building the plugins needs cmake-js, which is not installed. In your app, run\n' +
      '  npm install --no-save cmake-js@8\n' +
      'and retry (CMake >= 3.18 and a C++17 compiler are needed too; nvcc for the CUDA plugin).');
    process.exit(1);
  }
}

const cmakeJs = cmakeJsBin();
if (!fs.existsSync(path.join(out, 'CMakeCache.txt'))) {
  run(process.execPath, [cmakeJs, 'configure', '--out', 'build-cmake', '--config', 'Release']);
}
const cache = fs.readFileSync(path.join(out, 'CMakeCache.txt'), 'utf8');
if (targets.includes('wavetape_cuda') && !/^CMAKE_CUDA_COMPILER:\w+=(?!.*NOTFOUND)\S/m.test(cache)) {
  console.error('wavetape: no nvcc was found when build-cmake/ was configured, so there is no CUDA plugin to build.\n' +
    'Install the CUDA toolkit (or set CUDACXX to nvcc), delete build-cmake/CMakeCache.txt and retry.');
  process.exit(1);
}
const jobs = String(Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
run('cmake', ['--build', out, '--config', 'Release', '--parallel', jobs, '--target', ...targets]);

if (targets.includes('wavetape')) {
  const dest = path.join(root, 'build', 'Release');
  fs.mkdirSync(dest, { recursive: true });
  fs.copyFileSync(path.join(out, 'Release', 'wavetape.node'), path.join(dest, 'wavetape.node'));
  console.log('wavetape: installed build-cmake/Release/wavetape.node -> build/Release/wavetape.node');
}
