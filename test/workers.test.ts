// The addon is context-aware: four worker_threads load it and compute at once, each getting the
// right answer; a worker terminated in the middle of a long op does not take the process down.
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
          w.once('message', (m) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  results.forEach((r, i) => expect(r.total).toBe(expected(i + 1)));
});

test('terminating a worker mid-op leaves the process and other environments working', async () => {
  const wt = require(lib);
  const tensorsBefore = wt.memory().tensors;
  const w = run(LONG, { lib });
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  // Let it get into the middle of a big op, then pull the rug.
  await new Promise((r) => setTimeout(r, 150));
  const code = await w.terminate();
  expect(code).toBe(1);
  // Its environment's tensors were freed by the cleanup hook (memory() counts the process).
  expect(wt.memory().tensors).toBe(tensorsBefore);
  // The main thread's environment still computes.
  expect(wt.sum(wt.ones([1000])).item()).toBe(1000);
  // And a fresh worker can load the addon and compute again.
  const again = await new Promise<{ total: number }>((resolve, reject) => {
    const w2 = run(COMPUTE, { lib, k: 1, n: 194 });
    w2.once('message', (m) => {
      resolve(m);
      void w2.terminate();
    });
    w2.once('error', reject);
  });
  expect(again.total).toBe(2 * ((96 * 97) / 2));
});
