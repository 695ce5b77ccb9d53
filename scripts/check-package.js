#!/usr/bin/env node
// Run by .ci/run (npm run check-package): packs the package as npm publish would, installs the
// tarball into a scratch app with install scripts disabled, loads it (CommonJS and ESM), checks the
// packed CUDA plugin loads to a reason, and type-checks a strict consumer (skipLibCheck: false).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const tuple = `${process.platform}-${process.arch}`;

function run(cmd, args, cwd, env = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    process.stdout.write(r.stdout);
    fail(`\`${cmd} ${args.join(' ')}\` exited with ${r.status}`);
  }
  return r.stdout;
}

function fail(message) {
  console.error(`check-package: ${message}`);
  process.exit(1);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wavetape-consumer-'));
try {
  // ---- pack: prepack puts the prebuilds in place, prepare compiles dist/ ----
  // The lifecycle scripts print to the same stdout: the report is the JSON array printed last.
  const packOut = run('npm', ['pack', '--json', '--pack-destination', scratch], root);
  const starts = [...packOut.matchAll(/^\[$/gm)];
  if (starts.length === 0) fail(`npm pack printed no JSON report:\n${packOut}`);
  const packed = JSON.parse(packOut.slice(starts[starts.length - 1].index));
  const files = packed[0].files.map((f) => f.path);
  const tarball = path.join(scratch, packed[0].filename);
  const has = (p) => files.includes(p);
  for (const want of [`prebuilds/${tuple}/wavetape.node`, 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts',
    'dist/index.d.mts', 'binding.gyp', 'CMakeLists.txt', 'scripts/sources.js', 'scripts/cmake-build.js']) {
    if (!has(want)) fail(`the tarball has no ${want}`);
  }
  const maps = files.filter((f) => f.endsWith('.map'));
  if (maps.length > 0) fail(`the tarball ships source maps without their sources: ${maps.join(', ')}`);
  const strays = files.filter((f) => /^(build|build-cmake|lib|test)\//.test(f));
  if (strays.length > 0) fail(`the tarball carries build or source folders: ${strays.slice(0, 5).join(', ')}`);
  const cudaPlugin = `prebuilds/${tuple}/libwavetape_cuda.so`;
  const shipsCuda = has(cudaPlugin);
  console.log(`check-package: packed ${packed[0].filename} (${files.length} files, ` +
    `${(packed[0].size / 1e6).toFixed(1)} MB; CUDA plugin ${shipsCuda ? 'included' : 'not included (no nvcc)'})`);

  // ---- install with scripts disabled: nothing may compile ----
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true }));
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', tarball], app);
  const installed = path.join(app, 'node_modules', 'wavetape');
  if (fs.existsSync(path.join(installed, 'build'))) fail('the installed package has a build/ folder, but no script ran');

  // ---- load it: the prebuild, an rfft against a naive DFT, the CUDA plugin's reason ----
  const loadCheck = `
    const path = require('path');
    const wt = require('wavetape');
    const { addonPath } = require(path.join(path.dirname(require.resolve('wavetape')), 'native.js'));
    const x = [1, -2, 0.5, 3, 0, -1, 2.5, 4];
    const got = wt.rfft(wt.tensor(x, [8], { dtype: 'float64', device: 'cpu' })).dataSync();
    let err = 0;
    for (let k = 0; k <= 4; k++) {
      let re = 0, im = 0;
      x.forEach((v, t) => { re += v * Math.cos(-2 * Math.PI * k * t / 8); im += v * Math.sin(-2 * Math.PI * k * t / 8); });
      err = Math.max(err, Math.abs(got[2 * k] - re), Math.abs(got[2 * k + 1] - im));
    }
    process.stdout.write(JSON.stringify({ addonPath, err, backends: wt.backends(), devices: wt.devices() }));`;
  const loaded = JSON.parse(run(process.execPath, ['-e', loadCheck], app, { ...process.env, WAVETAPE_PLUGIN_PATH: '' }));
  const prebuildDir = path.join(installed, 'prebuilds', tuple);
  if (loaded.addonPath !== path.join(prebuildDir, 'wavetape.node')) fail(`loaded the addon from ${loaded.addonPath}`);
  if (!(loaded.err <= 1e-12)) fail(`rfft differs from a naive DFT by ${loaded.err}`);
  const cuda = loaded.backends.find((b) => b.name === 'cuda');
  if (shipsCuda) {
    // Loaded means dlopen and the ABI check passed; then either GPUs or the driver/device reason.
    if (!cuda.loaded || cuda.path !== path.join(prebuildDir, 'libwavetape_cuda.so')) {
      fail(`the packed CUDA plugin did not load: ${JSON.stringify(cuda)}`);
    }
    if (cuda.devices.length === 0 && !/driver|device/i.test(cuda.reason)) {
      fail(`the CUDA plugin loaded without devices and gave no driver or device reason: ${JSON.stringify(cuda)}`);
    }
  }
  const esm = run(process.execPath, ['--input-type=module', '-e',
    "import * as wt from 'wavetape'; process.stdout.write(String(wt.sum(wt.arange(0, 5)).item()));"], app);
  if (esm !== '10') fail(`the ESM entry computed sum(arange(5)) = ${esm}`);
  console.log(`check-package: --ignore-scripts install loads ${path.relative(app, loaded.addonPath)}; ` +
    `devices ${loaded.devices.join(', ')}; cuda: ${cuda.devices.length ? cuda.devices.join(', ') : cuda.reason}`);

  // ---- building a plugin without cmake-js installed says what to install ----
  const build = spawnSync(process.execPath, [path.join(installed, 'scripts', 'cmake-build.js'), 'wavetape_simt'],
    { cwd: installed, encoding: 'utf8' });
  if (build.status !== 1 || !build.stderr.includes('npm install --no-save cmake-js@8')) {
    fail(`a plugin build without cmake-js gave status ${build.status}: ${build.stderr}`);
  }

  // ---- a strict TypeScript consumer type-checks against the shipped typings ----
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext',
      types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
    },
    files: ['main.ts', 'esm.mts'],
  }));
  fs.writeFileSync(path.join(app, 'main.ts'), `import * as wt from 'wavetape';
const x: wt.Tensor = wt.tensor([1, 2, 3, 4], [4], { dtype: 'float64' });
const spectrum: wt.Tensor = wt.rfft(x);
const dx: wt.Tensor = wt.grad((t: wt.Tensor) => wt.sum(wt.square(t)))(x);
const kept: wt.Tensor = wt.tidy(() => wt.add(x, 1));
const backends: { name: string; loaded: boolean; reason: string }[] = wt.backends();
try { wt.reshape(x, [3]); } catch (e) { if (e instanceof wt.WavetapeError) { const code: wt.ErrorCode = e.code; void code; } }
void [spectrum, dx, kept, backends];
`);
  fs.writeFileSync(path.join(app, 'esm.mts'), `import * as wt from 'wavetape';
const y: wt.Tensor = wt.irfft(wt.rfft(wt.ones([8])), { n: 8 });
const data: Promise<wt.TypedArray> = y.data();
void data;
`);
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app], app);
  console.log('check-package: a strict consumer (skipLibCheck: false) type-checks against the shipped typings');
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
