// Memory accounting, tidy/keep, leaks over many training steps, and the event loop staying
// responsive while a long op runs on the stream.
import * as wt from '../lib';
import { testDevices } from './helpers';

describe.each(testDevices())('memory on %s', (device) => {
  test('memory() counts live tensors and bytes per device, and tidy releases them', () => {
    const before = wt.memory();
    const kept = wt.tidy(() => {
      const a = wt.zeros([10], { dtype: 'float64', device });
      const b = wt.ones([3, 4], { dtype: 'float32', device });
      const during = wt.memory();
      expect(during.tensors - before.tensors).toBe(2);
      expect(during.byDevice[device].bytes - before.byDevice[device].bytes).toBe(80 + 48);
      wt.add(b, 1);
      return wt.keep(wt.add(a, 1));
    });
    const after = wt.memory();
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.byDevice[device].bytes - before.byDevice[device].bytes).toBe(80);
    kept.dispose();
    expect(wt.memory().tensors).toBe(before.tensors);
    expect(wt.memory().bytes).toBe(before.bytes);
  });

  test('tidy returns nested results and disposes everything else', () => {
    const before = wt.memory().tensors;
    const [x, { y }] = wt.tidy(() => {
      const t = wt.arange(0, 4, 1, { device });
      wt.square(t);
      return [wt.add(t, 1), { y: wt.mul(t, 2) }] as const;
    });
    expect(wt.memory().tensors - before).toBe(2);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual([0, 2, 4, 6]);
    x.dispose();
    y.dispose();
    expect(wt.memory().tensors).toBe(before);
  });
});

test('10,000 training steps inside tidy leave memory unchanged and RSS flat', () => {
  const w = wt.variable(wt.normal([16, 1], 0, 0.1, { seed: 1, dtype: 'float32' }));
  const x = wt.keep(wt.normal([32, 16], 0, 1, { seed: 2, dtype: 'float32' }));
  const y = wt.keep(wt.normal([32, 1], 0, 1, { seed: 3, dtype: 'float32' }));
  const step = () =>
    wt.tidy(() => {
      const pred = wt.sum(wt.mul(wt.reshape(x, [32, 16, 1]), wt.reshape(w, [1, 16, 1])), { axis: 1 });
      const loss = wt.mean(wt.square(wt.sub(pred, y)));
      const [g] = wt.gradients(loss, [w]);
      w.assign(wt.sub(w, wt.mul(g, 0.01)));
    });
  for (let i = 0; i < 500; i++) step(); // warm caches and pools before the baseline
  global.gc?.();
  const memBefore = wt.memory();
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 10000; i++) step();
  global.gc?.();
  const memAfter = wt.memory();
  expect(memAfter.tensors).toBe(memBefore.tensors);
  expect(memAfter.bytes).toBe(memBefore.bytes);
  // Flat: no per-step growth (10,000 leaked steps of even 1 KiB would be 10 MiB).
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(8 * 1024 * 1024);
  [w, x, y].forEach((t) => t.dispose());
});

test('a 200 ms op does not block the event loop: a 1 ms timer fires at least every 10 ms', async () => {
  // Size an op that takes ≥ 200 ms on this machine.
  const x = wt.ones([1 << 22], { dtype: 'float64' });
  const time = (reps: number) => {
    const t0 = performance.now();
    let y = x;
    const made: wt.Tensor[] = [];
    for (let i = 0; i < reps; i++) {
      const a = wt.neg(y);
      const b = wt.exp(a);
      y = wt.sin(b);
      made.push(a, b, y);
    }
    y.dataSync();
    made.forEach((t) => t.dispose());
    return performance.now() - t0;
  };
  let reps = 1;
  while (time(reps) < 200) reps *= 2;

  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  // Queue the whole chain (each op returns at once), then await the result asynchronously.
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  let y = x;
  const chain: wt.Tensor[] = [];
  for (let i = 0; i < reps; i++) {
    const a = wt.neg(y);
    const b = wt.exp(a);
    y = wt.sin(b);
    chain.push(a, b, y);
  }
  await y.data();
  const elapsed = performance.now() - started;
  last = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  chain.forEach((t) => t.dispose());
  x.dispose();
  expect(elapsed).toBeGreaterThanOrEqual(150);
  // Skip the first gap (measured across the synchronous queuing of the chain).
  expect(Math.max(...gaps.slice(1))).toBeLessThanOrEqual(10);
});
