// The addon is context-aware: four worker_threads load it and compute at once, each getting the
// right answer; a worker terminated in the middle of a long op, or with reads pending, does not
// take the process down; wt.memory() counts each environment's own tensors, and an exited
// worker's idle cache blocks are trimmed.
import { Worker } from 'worker_threads';
import * as path from 'path';

const lib = path.join(__dirname, '..', 'dist', 'index.js');

// Each worker computes sum over i of (i mod 97)·k for its own k, through several ops, and posts it.
const COMPUTE = `
const { parentPort, workerData } = require('worker_threads');
const wt = require(workerData.lib);
const { k, n } = workerData;
let total = 0;
for (let rep = 0; rep < 20; rep++) {
  total = wt.tidy(() => {
    const i = wt.arange(0, n, 1, { dtype: 'float64' });
    const m = wt.sub(i, wt.mul(wt.tensor([97], [1], { dtype: 'float64' }), wt.tensor(Float64Array.from({ length: n }, (_, j) => Math.floor(j / 97)), [n], { dtype: 'float64' })));
    return wt.sum(wt.mul(m, k)).item();
  });
}
parentPort.postMessage({ total });
`;

// Starts a long op (a 2^26-element reduction chain) and reports when it is under way.
const LONG = `
const { parentPort, workerData } = require('worker_threads');
const wt = require(workerData.lib);
const x = wt.ones([1 << 25], { dtype: 'float64' });
parentPort.postMessage('started');
for (;;) { wt.sum(wt.exp(x)).dataSync(); }
`;

// Queues a dozen large matmuls and 16 t.data() reads of them, then says so (reads still pending).
const PENDING_READS = `
const { parentPort, workerData } = require('worker_threads');
const wt = require(workerData.lib);
const a = wt.uniform([768, 768], -1, 1, { seed: 1, device: 'cpu' });
const results = Array.from({ length: 12 }, () => wt.matmul(a, a));
let settled = 0;
for (let i = 0; i < 16; i++) results[i % 12].data().then(() => settled++);
parentPort.postMessage({ settled });
`;

// Holds 16 tensors of 4 MiB, reports its own wt.memory(), and returns when told to (leaving them
// to the environment's cleanup hook).
const HOLD = `
const { parentPort, workerData } = require('worker_threads');
const wt = require(workerData.lib);
const kept = Array.from({ length: 16 }, (_, i) => wt.full([1 << 20], i, { dtype: 'float32', device: 'cpu' }));
kept[15].dataSync();
const m = wt.memory();
parentPort.postMessage({ tensors: m.tensors, bytes: m.bytes });
parentPort.once('message', () => parentPort.close());
`;

function run(code: string, workerData: object): Worker {
  return new Worker(code, { eval: true, workerData });
}

test('four workers compute concurrently and correctly', async () => {
  const n = 10000;
  const expected = (k: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += (j % 97) * k;
    return s;
  };
  const results = await Promise.all(
    [1, 2, 3, 4].map(
      (k) =>
        new Promise<{ total: number }>((resolve, reject) => {
          const w = run(COMPUTE, { lib, k, n });
          // Resolved once the worker is gone, so that the process-wide counts the next tests read
          // before and after their own workers no longer include this one's tensors.
          w.once('message', (m) => void w.terminate().then(() => resolve(m), reject));
          w.once('error', reject);
        }),
    ),
  );
  results.forEach((r, i) => expect(r.total).toBe(expected(i + 1)));
});

test('terminating a worker mid-op leaves the process and other environments working', async () => {
  const wt = require(lib);
  const tensorsBefore = wt.memory().tensors;
  const processBefore = wt.memory().process.tensors;
  const w = run(LONG, { lib });
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  // Let it get into the middle of a big op, then pull the rug.
  await new Promise((r) => setTimeout(r, 150));
  const code = await w.terminate();
  expect(code).toBe(1);
  // Its environment's tensors were freed by the cleanup hook.
  expect(wt.memory().process.tensors).toBe(processBefore);
  expect(wt.memory().tensors).toBe(tensorsBefore);
  // The main thread's environment still computes.
  expect(wt.sum(wt.ones([1000])).item()).toBe(1000);
  // And a fresh worker can load the addon and compute again.
  const again = await new Promise<{ total: number }>((resolve, reject) => {
    const w2 = run(COMPUTE, { lib, k: 1, n: 194 });
    w2.once('message', (m) => void w2.terminate().then(() => resolve(m), reject));
    w2.once('error', reject);
  });
  expect(again.total).toBe(2 * ((96 * 97) / 2));
});

test('terminating a worker with reads pending does not crash, and the others keep working', async () => {
  const wt = require(lib);
  const processBefore = wt.memory().process.tensors;
  const w = run(PENDING_READS, { lib });
  const m = await new Promise<{ settled: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  expect(m.settled).toBe(0);
  expect(await w.terminate()).toBe(1);
  expect(wt.memory().process.tensors).toBe(processBefore);
  const x = wt.tensor([1, 2, 3]);
  expect(Array.from(await x.data())).toEqual([1, 2, 3]);
  x.dispose();
});

test("memory() counts this environment's tensors; process totals, trimming and releaseCache span all", async () => {
  const wt = require(lib);
  const mine = wt.ones([3], { device: 'cpu' });
  const base = wt.memory();
  const workers = [run(HOLD, { lib }), run(HOLD, { lib })];
  const reports = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ tensors: number; bytes: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  // Each worker sees only its own 16 tensors; the main thread sees only its own.
  for (const r of reports) expect(r).toEqual({ tensors: 16, bytes: 16 * 4 * 2 ** 20 });
  const during = wt.memory();
  expect(during.tensors).toBe(base.tensors);
  expect(during.bytes).toBe(base.bytes);
  expect(during.process.tensors).toBe(base.process.tensors + 32);
  expect(during.process.byDevice.cpu.bytes).toBeGreaterThanOrEqual(base.process.byDevice.cpu.bytes + 32 * 4 * 2 ** 20);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.postMessage('done');
        }),
    ),
  );
  const after = wt.memory();
  expect(after.tensors).toBe(base.tensors);
  expect(after.process.tensors).toBe(base.process.tensors);
  // The workers' 32 freed blocks were trimmed at their teardown down to what is still live.
  expect(after.byDevice.cpu.cachedBytes).toBeLessThanOrEqual(after.process.byDevice.cpu.bytes);
  wt.tidy(() => wt.sum(wt.ones([1 << 20], { device: 'cpu' })).dataSync()); // a 4 MiB block into the cache
  expect(wt.memory().byDevice.cpu.cachedBytes).toBeGreaterThan(0);
  wt.releaseCache();
  for (const d of Object.values(wt.memory().byDevice) as { cachedBytes: number }[]) expect(d.cachedBytes).toBe(0);
  mine.dispose();
});
