// Fuzzes every export (test/fuzz/child.ts enumerates them, so a new op is covered without
// editing anything) in a child process: a crash or hang fails the test instead of killing jest.
// Every throw must be a WavetapeError with a stable code, and memory returns to its baseline.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as wt from '../lib';

interface FuzzReport {
  device: string;
  seed: number;
  calls: number;
  leftToGc: number;
  targets: string[];
  excluded: string[];
  failures: string[];
  baseline: { tensors: number; bytes: number };
  final: { tensors: number; bytes: number };
  crashed?: string;
}

function fuzz(device: string, runs: number, timeoutMs: number): FuzzReport {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '-r', path.join(__dirname, 'fuzz', 'register.js'), path.join(__dirname, 'fuzz', 'child.ts')],
    {
      env: { ...process.env, FUZZ_DEVICE: device, FUZZ_RUNS: String(runs), WAVETAPE_SIMT: '1' },
      timeout: timeoutMs,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  // A crash (signal, abort) or a hang (killed at the timeout) is a failure, with what it printed.
  expect({ signal: child.signal, status: child.status, stderr: child.stderr.slice(-4000) }).toEqual({ signal: null, status: 0, stderr: '' });
  const lines = child.stdout.trim().split('\n');
  const report = JSON.parse(lines[lines.length - 1]) as FuzzReport;
  expect(report.crashed).toBeUndefined();
  return report;
}

/** The package's functions and namespace members, enumerated here independently of the child. */
function exportedFunctions(): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(wt)) {
    if (typeof v === 'function' && !/^class\b/.test(Function.prototype.toString.call(v))) names.push(k);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v))
        if (typeof v2 === 'function' && !/^class\b/.test(Function.prototype.toString.call(v2))) names.push(`${k}.${k2}`);
  }
  return names;
}

/** The package's classes (top level and one namespace down), which the child may not call. */
function exportedClasses(): string[] {
  const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
  const names: string[] = [];
  for (const [k, v] of Object.entries(wt)) {
    if (isClass(v)) names.push(k);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) if (isClass(v2)) names.push(`${k}.${k2}`);
  }
  return names;
}

test('12,000 random calls over every export on cpu: only WavetapeErrors, no leak, memory back to baseline after GC', () => {
  const r = fuzz('cpu', 12000, 280000);
  expect({ seed: r.seed, failures: r.failures }).toEqual({ seed: r.seed, failures: [] });
  expect(r.calls).toBeGreaterThanOrEqual(10000);
  expect(r.targets).toEqual(expect.arrayContaining([...exportedFunctions(), 'Tensor.dataSync', 'Tensor.toString', 'Variable.assign']));
  // Exactly the classes are excluded (each with where it is tested, in the child's map).
  expect(r.excluded.sort()).toEqual(exportedClasses().sort());
  // Some results were left undisposed on purpose; the finalizer freed them.
  expect(r.leftToGc).toBeGreaterThan(0);
  expect(r.final).toEqual(r.baseline);
}, 300000);

// Test runs load the emulator (test/setup-env.js): a missing simt device fails here, never skips.
test('1,500 random calls on simt: the same properties', () => {
  const why = wt.backends().map((b) => `${b.name}: ${b.loaded ? 'loaded' : 'not loaded'} ${b.reason}`).join('; ');
  expect({ devices: wt.devices(), why }).toEqual({ devices: expect.arrayContaining(['simt']), why });
  const r = fuzz('simt', 1500, 280000);
  expect({ seed: r.seed, failures: r.failures }).toEqual({ seed: r.seed, failures: [] });
  expect(r.final).toEqual(r.baseline);
}, 300000);
