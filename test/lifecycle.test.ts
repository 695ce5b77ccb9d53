// Memory accounting (per environment, views counted once), tidy/keep, and leaks over many
// training steps.
import * as os from 'os';
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

  test("memory() counts a storage shared by views once, within the process's totals", () => {
    const before = wt.memory();
    const a = wt.zeros([10], { dtype: 'float64', device });
    const v = wt.reshape(a, [2, 5]);
    const during = wt.memory();
    expect(during.byDevice[device].tensors - before.byDevice[device].tensors).toBe(2);
    expect(during.byDevice[device].bytes - before.byDevice[device].bytes).toBe(80);
    expect(during.process.byDevice[device].tensors).toBeGreaterThanOrEqual(during.byDevice[device].tensors);
    expect(during.process.byDevice[device].bytes).toBeGreaterThanOrEqual(during.byDevice[device].bytes);
    a.dispose();
    // The view keeps the storage alive.
    expect(wt.memory().byDevice[device].bytes - before.byDevice[device].bytes).toBe(80);
    v.dispose();
    expect(wt.memory().byDevice[device]).toEqual(expect.objectContaining({ tensors: before.byDevice[device].tensors, bytes: before.byDevice[device].bytes }));
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

test('the CPU keeps freed blocks for reuse up to an eighth of physical memory (1–8 GiB), and releaseCache frees them', () => {
  const limit = Math.min(Math.max(os.totalmem() / 8, 2 ** 30), 8 * 2 ** 30);
  // Above the old fixed 1 GiB where memory allows: soft-DTW's weights for 64 x 64 pairs at T = 256 are 2 GiB.
  const elements = Math.floor(Math.min(limit - 2 ** 20, 1.25 * 2 ** 30) / 4);
  const cached = () => wt.memory().byDevice.cpu.cachedBytes;
  wt.sync(); // queued work of earlier tests returns its blocks first
  wt.releaseCache();
  expect(cached()).toBe(0);
  const big = wt.zeros([elements], { device: 'cpu' });
  wt.sync();
  big.dispose();
  wt.sync();
  expect(cached()).toBeGreaterThanOrEqual(elements * 4);
  // The next block of the same size is the cached one: the cache gives it back up.
  const again = wt.zeros([elements], { device: 'cpu' });
  wt.sync();
  expect(cached()).toBeLessThan(elements * 4);
  again.dispose();
  wt.releaseCache();
  expect(cached()).toBe(0);
});

test('10,000 training steps inside tidy leave memory() unchanged and RSS flat', () => {
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
  for (let i = 0; i < 2000; i++) step(); // warm caches, pools and the JIT before the baseline
  const memBefore = wt.memory();
  const rss = [process.memoryUsage().rss];
  for (let window = 0; window < 2; window++) {
    for (let i = 0; i < 5000; i++) step();
    rss.push(process.memoryUsage().rss);
  }
  const memAfter = wt.memory();
  expect(memAfter.tensors).toBe(memBefore.tensors);
  expect(memAfter.bytes).toBe(memBefore.bytes);
  // Flat: the second window of 5,000 steps adds no more than noise (a steady leak of even
  // 512 bytes a step would add 2.5 MiB in it), and the whole run stays small.
  expect(rss[2] - rss[1]).toBeLessThan(2 * 1024 * 1024);
  expect(rss[2] - rss[0]).toBeLessThan(16 * 1024 * 1024);
  [w, x, y].forEach((t) => t.dispose());
});
