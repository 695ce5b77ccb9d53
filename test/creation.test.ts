// Creation: tensors from numbers, nested and typed arrays in every dtype; the fillers and ranges;
// and the counter-based random streams (same seed → same numbers on every device, correct
// moments, independent streams).
import * as wt from '../lib';
import { expectClose, testDevices } from './helpers';

const devices = testDevices();

describe.each(devices)('creation on %s', (device) => {
  test('from nested arrays, numbers and typed arrays, keeping shape and dtype', () => {
    wt.tidy(() => {
      const a = wt.tensor([[1, 2, 3], [4, 5, 6]], undefined, { device });
      expect([a.shape, a.dtype, a.device]).toEqual([[2, 3], 'float32', device]);
      expect(a.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
      const s = wt.tensor(2.5, undefined, { dtype: 'float64', device });
      expect([s.shape, s.item()]).toEqual([[], 2.5]);
      const d = wt.tensor(new Float64Array([1, 2, 3, 4]), [2, 2], { device });
      expect(d.dtype).toBe('float64');
      expect(Array.from(d.dataSync())).toEqual([1, 2, 3, 4]);
      const i = wt.tensor(new Int32Array([7, -8]), undefined, { device });
      expect([i.dtype, Array.from(i.dataSync())]).toEqual(['int32', [7, -8]]);
      const c = wt.tensor([[1, 2], [3, -4]], undefined, { dtype: 'complex128', device });
      expect([c.shape, c.dtype]).toEqual([[2], 'complex128']);
      expect(c.arraySync()).toEqual([[1, 2], [3, -4]]);
    });
  });

  test('float32 storage rounds float64 input to nearest', () => {
    wt.tidy(() => {
      const x = wt.tensor([0.1, 1 / 3], undefined, { device });
      expect(Array.from(x.dataSync())).toEqual([Math.fround(0.1), Math.fround(1 / 3)]);
    });
  });

  test('data() resolves to the same values as dataSync(), as a fresh copy', async () => {
    const x = wt.tensor([1, 2, 3], undefined, { device });
    const a = await x.data();
    a[0] = 99;
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    expect(await x.array()).toEqual([1, 2, 3]);
    x.dispose();
  });

  test('zeros, ones, full, zerosLike, onesLike', () => {
    wt.tidy(() => {
      expect(Array.from(wt.zeros([2, 2], { device }).dataSync())).toEqual([0, 0, 0, 0]);
      expect(Array.from(wt.ones([3], { dtype: 'int32', device }).dataSync())).toEqual([1, 1, 1]);
      const f = wt.full([2], -1.5, { dtype: 'float64', device });
      expect(Array.from(f.dataSync())).toEqual([-1.5, -1.5]);
      expect(wt.onesLike(f).dtype).toBe('float64');
      expect(Array.from(wt.zerosLike(f).dataSync())).toEqual([0, 0]);
      expect(wt.zeros([0, 3], { device }).shape).toEqual([0, 3]);
    });
  });

  test('arange, linspace and eye match their definitions', () => {
    wt.tidy(() => {
      expect(Array.from(wt.arange(5, undefined, 1, { device }).dataSync())).toEqual([0, 1, 2, 3, 4]);
      expect(Array.from(wt.arange(1, 2, 0.25, { dtype: 'float64', device }).dataSync())).toEqual([1, 1.25, 1.5, 1.75]);
      expect(Array.from(wt.arange(3, 0, -1, { device }).dataSync())).toEqual([3, 2, 1]);
      const l = wt.linspace(-1, 1, 5, { dtype: 'float64', device });
      expectClose(l.dataSync(), [-1, -0.5, 0, 0.5, 1], 1e-15);
      expect(Array.from(wt.linspace(2, 3, 1, { device }).dataSync())).toEqual([2]);
      expect(wt.eye(2, 3, { device }).arraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
    });
  });

  test('uniform, normal and bernoulli have the right moments and ranges', () => {
    wt.tidy(() => {
      const n = 1 << 14;
      const u = wt.uniform([n], -2, 4, { seed: 5, dtype: 'float64', device }).dataSync();
      let mean = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of u) {
        mean += v / n;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(min).toBeGreaterThanOrEqual(-2);
      expect(max).toBeLessThan(4);
      expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(3 / n)); // σ = 6/√12
      const g = Array.from(wt.normal([n], 3, 2, { seed: 6, dtype: 'float64', device }).dataSync());
      const gm = g.reduce((a, b) => a + b, 0) / n;
      const gv = g.reduce((a, b) => a + (b - gm) ** 2, 0) / (n - 1);
      expect(Math.abs(gm - 3)).toBeLessThan(5 * (2 / Math.sqrt(n)));
      expect(Math.abs(gv - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / n));
      const b = Array.from(wt.bernoulli([n], 0.3, { seed: 7, device }).dataSync());
      expect(b.every((v) => v === 0 || v === 1)).toBe(true);
      const p = b.reduce((a, c) => a + c, 0) / n;
      expect(Math.abs(p - 0.3)).toBeLessThan(5 * Math.sqrt(0.21 / n));
    });
  });

  test('a seed gives the same numbers every time; the global stream advances', () => {
    wt.tidy(() => {
      const a = wt.uniform([100], 0, 1, { seed: 11, device }).dataSync();
      const b = wt.uniform([100], 0, 1, { seed: 11, device }).dataSync();
      expect(b).toEqual(a);
      wt.seed(3);
      const c = wt.normal([10], 0, 1, { device }).dataSync();
      const d = wt.normal([10], 0, 1, { device }).dataSync();
      expect(d).not.toEqual(c);
      wt.seed(3);
      expect(wt.normal([10], 0, 1, { device }).dataSync()).toEqual(c);
    });
  });
});

test('one seed gives bit-identical random numbers on every device', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const make of [
      (device: string) => wt.uniform([1000], -1, 1, { seed: 99, dtype, device }),
      (device: string) => wt.normal([1001], 0, 1, { seed: 99, dtype, device }),
      (device: string) => wt.bernoulli([1000], 0.5, { seed: 99, dtype, device }),
    ]) {
      const results = devices.map((d) => wt.tidy(() => make(d).dataSync()));
      for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    }
  }
});
