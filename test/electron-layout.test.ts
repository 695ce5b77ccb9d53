// The package inside an Electron app: the JS loads from the virtual `…/app.asar/…` (which native
// code cannot see) and the binaries are found under `…/app.asar.unpacked/…`, as asarUnpack leaves them.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as wt from '../lib';
import { addonPath } from '../lib/native';

const root = path.join(__dirname, '..');

/** Runs in the child: loads the package from argv[2] and prints what it found and an rfft on simt. */
const CHILD = `
const path = require('path');
const pkg = process.argv[1];
const wt = require(pkg);
const { addonPath } = require(path.join(pkg, 'dist', 'native.js'));
const simt = wt.backends().find((b) => b.name === 'simt');
const x = [0.5, -1, 2, 3.25, -0.75, 1.5, 0, 4];
const spectrum = Array.from(wt.rfft(wt.tensor(x, [8], { dtype: 'float64', device: 'simt' })).dataSync());
process.stdout.write(JSON.stringify({ addonPath, simt, devices: wt.devices(), x, spectrum }));
`;

/** Naive float64 DFT of real x: bins 0..n/2 as [re, im] pairs, interleaved. */
function naiveRfft(x: number[]): number[] {
  const n = x.length;
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t] * Math.cos((-2 * Math.PI * k * t) / n);
      im += x[t] * Math.sin((-2 * Math.PI * k * t) / n);
    }
    out.push(re, im);
  }
  return out;
}

describe('Electron layout (app.asar + app.asar.unpacked)', () => {
  let app: string;
  let simtPlugin: string;

  beforeAll(() => {
    const simt = wt.backends().find((b) => b.name === 'simt');
    if (!simt || !simt.loaded) throw new Error('the simt plugin must be built and loaded (WAVETAPE_SIMT=1)');
    simtPlugin = simt.path;
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'wavetape-electron-'));
    // The archive's view: package.json and the compiled JS, no native binaries, and node-gyp-build.
    const asarPkg = path.join(app, 'app.asar', 'node_modules', 'wavetape');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'),
      '--outDir', path.join(asarPkg, 'dist'), '--declaration', 'false'], { stdio: 'inherit' });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(asarPkg, 'package.json'));
    fs.cpSync(path.dirname(require.resolve('node-gyp-build/package.json')),
      path.join(app, 'app.asar', 'node_modules', 'node-gyp-build'), { recursive: true });
    // The unpacked copy: the same package with the addon as a prebuild.
    const unpackedPkg = path.join(app, 'app.asar.unpacked', 'node_modules', 'wavetape');
    fs.cpSync(asarPkg, unpackedPkg, { recursive: true });
    fs.mkdirSync(path.join(unpackedPkg, 'prebuilds', 'linux-x64'), { recursive: true });
    fs.copyFileSync(addonPath, path.join(unpackedPkg, 'prebuilds', 'linux-x64', 'wavetape.node'));
  }, 120000);

  afterAll(() => {
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  /** Puts the simt plugin at `dir` (relative to app/) and loads the package from app.asar in a child. */
  function loadWithPluginAt(dir: string, env: Record<string, string> = {}) {
    const dest = path.join(app, dir);
    fs.mkdirSync(dest, { recursive: true });
    fs.copyFileSync(simtPlugin, path.join(dest, 'libwavetape_simt.so'));
    try {
      const out = execFileSync(process.execPath, ['-e', CHILD, path.join(app, 'app.asar', 'node_modules', 'wavetape')], {
        env: { ...process.env, WAVETAPE_SIMT: '1', WAVETAPE_PLUGIN_PATH: '', ...env },
        encoding: 'utf8',
      });
      return JSON.parse(out) as {
        addonPath: string; simt: { loaded: boolean; path: string; reason: string }; devices: string[];
        x: number[]; spectrum: number[];
      };
    } finally {
      fs.rmSync(path.join(dest, 'libwavetape_simt.so'));
    }
  }

  function expectWorkingSimt(got: ReturnType<typeof loadWithPluginAt>, pluginDir: string) {
    expect(got.addonPath).toBe(path.join(app, 'app.asar.unpacked/node_modules/wavetape/prebuilds/linux-x64/wavetape.node'));
    expect(got.simt).toMatchObject({ loaded: true, path: path.join(app, pluginDir, 'libwavetape_simt.so') });
    expect(got.devices).toContain('simt');
    const want = naiveRfft(got.x);
    expect(got.spectrum).toHaveLength(want.length);
    got.spectrum.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-12));
  }

  it('finds the addon and a plugin next to it in the unpacked prebuilds/', () => {
    const dir = 'app.asar.unpacked/node_modules/wavetape/prebuilds/linux-x64';
    expectWorkingSimt(loadWithPluginAt(dir), dir);
  });

  it('maps the package\'s build-cmake/Release inside app.asar to the unpacked copy', () => {
    const dir = 'app.asar.unpacked/node_modules/wavetape/build-cmake/Release';
    expectWorkingSimt(loadWithPluginAt(dir), dir);
  });

  it('maps a WAVETAPE_PLUGIN_PATH entry inside app.asar to the unpacked copy', () => {
    const dir = 'app.asar.unpacked/plugins';
    expectWorkingSimt(loadWithPluginAt(dir, { WAVETAPE_PLUGIN_PATH: path.join(app, 'app.asar', 'plugins') }), dir);
  });
});
