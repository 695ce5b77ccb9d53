// What each native binary is built from, and whether a binary is older than its inputs: shared
// by ensure-native.js (before the tests) and prepack.js (before npm pack), so neither rebuilds fresh work.
'use strict';
const fs = require('fs');
const path = require('path');
const sources = require('./sources');

const root = path.join(__dirname, '..');

const headers = (dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs.readdirSync(path.join(root, dir)).filter((f) => /\.(h|cuh|def)$/.test(f)).map((f) => path.join(dir, f))
    : [];
// Headers and X-macro tables (.def) every binary includes: the ABI floor, core, the shared math.
const shared = () => ['native/abi', 'native/kernels', 'native/core'].flatMap(headers);

/** Inputs of the addon (wavetape.node), relative to the package root. */
function addonInputs() {
  return [...sources.list('addon'), ...shared(), ...headers('native/cpu'), ...headers('native/napi'), 'binding.gyp'];
}

/** Inputs of the CUDA plugin (libwavetape_cuda.so). */
function cudaInputs() {
  return [...sources.list('cuda'), ...shared(), ...headers('native/cuda'), 'CMakeLists.txt'];
}

/** Inputs of the SIMT emulator plugin and its self-test binary. */
function simtInputs() {
  return [...sources.list('cuda'), ...sources.list('simt'), ...sources.list('simt_selftest'), ...shared(),
    ...headers('native/cuda'), ...headers('native/simt'), ...headers('native/simt/include'),
    ...headers('native/simt/selftest'), 'CMakeLists.txt'];
}

/** True when `output` (relative to the root) is missing or older than any of `inputs`. */
function stale(output, inputs) {
  const file = path.join(root, output);
  if (!fs.existsSync(file)) return true;
  const newest = Math.max(0, ...inputs.map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  return fs.statSync(file).mtimeMs < newest;
}

module.exports = { root, addonInputs, cudaInputs, simtInputs, stale };
