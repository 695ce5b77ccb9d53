#!/usr/bin/env node
// The prepack step of `npm pack` / `npm publish`: puts the prebuilt binaries in prebuilds/linux-x64/
// (the addon, and the CUDA plugin where nvcc is found), rebuilding only what is older than its
// sources, and empties dist/ so that the prepare step's tsc packs no file of a deleted module.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { root, addonInputs, cudaInputs, stale } = require('./native-inputs');

const tuple = `${process.platform}-${process.arch}`;
const prebuildDir = `prebuilds/${tuple}`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** nvcc as CMake's check_language(CUDA) finds it: CUDACXX, PATH, or the default toolkit folder. */
function hasNvcc() {
  if (process.env.CUDACXX) return fs.existsSync(process.env.CUDACXX);
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'nvcc')));
  return onPath || fs.existsSync('/usr/local/cuda/bin/nvcc');
}

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });

const addon = `${prebuildDir}/wavetape.node`;
if (stale(addon, addonInputs())) {
  console.log(`prepack: building ${addon} (npm run build:prebuild)`);
  run('npm', ['run', 'build:prebuild']);
} else {
  console.log(`prepack: ${addon} is newer than its sources: kept`);
}

const plugin = `${prebuildDir}/libwavetape_cuda.so`;
const built = 'build-cmake/Release/libwavetape_cuda.so';
const inputs = cudaInputs();
if (hasNvcc()) {
  if (stale(built, inputs)) {
    console.log(`prepack: building ${built} (npm run build:cuda)`);
    run('npm', ['run', 'build:cuda']);
  } else {
    console.log(`prepack: ${built} is newer than its sources: kept`);
  }
  if (stale(plugin, [built])) {
    fs.copyFileSync(path.join(root, built), path.join(root, plugin));
    console.log(`prepack: copied ${built} -> ${plugin}`);
  }
} else if (fs.existsSync(path.join(root, plugin)) && stale(plugin, inputs)) {
  // Built from older sources than the addon beside it: the package goes out CPU-only instead.
  fs.rmSync(path.join(root, plugin));
  console.log(`prepack: nvcc not found; removed ${plugin}, older than its sources`);
} else if (!fs.existsSync(path.join(root, plugin))) {
  console.log('prepack: nvcc not found: the package carries no CUDA plugin (users can build one, see README)');
}
