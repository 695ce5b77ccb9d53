// The plugin loader refuses a plugin built against another ABI version, and says so in
// backends(): test/native/other_abi_plugin.c is compiled as libwavetape_cuda.so and loaded by a
// fresh process (plugins load once per process).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

function addonAbiVersion(): number {
  const table = fs.readFileSync(path.join(root, 'native', 'abi', 'ops.def'), 'utf8');
  const m = /#define WT_ABI_VERSION (\d+)/.exec(table);
  if (!m) throw new Error('native/abi/ops.def: no WT_ABI_VERSION');
  return Number(m[1]);
}

test('a plugin of another ABI version is refused with a reason naming both versions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wavetape-abi-'));
  try {
    const cc = process.env.CC ?? 'cc';
    const built = spawnSync(cc, ['-shared', '-fPIC', '-o', path.join(dir, 'libwavetape_cuda.so'),
      path.join(root, 'test', 'native', 'other_abi_plugin.c')], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`${cc} failed to build the test plugin: ${built.error ?? built.stderr}`);
    // The raw addon, without the facade (which would load plugins from the default directories).
    const script = `
      const native = require('node-gyp-build')(${JSON.stringify(root)});
      native.init({ errorClass: Error, pluginDirs: [${JSON.stringify(dir)}], simt: false });
      process.stdout.write(JSON.stringify(native.backends()));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cuda = (JSON.parse(run.stdout) as { name: string; loaded: boolean; reason: string; devices: string[] }[])
      .find((b) => b.name === 'cuda');
    const v = addonAbiVersion();
    expect(cuda).toEqual({
      name: 'cuda',
      loaded: false,
      path: path.join(dir, 'libwavetape_cuda.so'),
      reason: `built for plugin ABI version ${v + 1}; this addon needs version ${v} (rebuild the plugin from the same wavetape sources)`,
      devices: [],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
