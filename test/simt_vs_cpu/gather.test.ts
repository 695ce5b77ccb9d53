// Device agreement, gather and scatterAdd: the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { randomArray } from '../helpers';
import { describeAgreement, DType, EPS, FLOATS, expectWithin, make, realOf, values } from './agreement';

describeAgreement('gather and scatterAdd', ({ device, onBoth, same }) => {
  it('gathers along an axis for every dtype (GATHER)', () => {
    for (const dtype of ['float32', 'float64', 'complex64', 'complex128', 'int32'] as DType[]) {
      const x = values(6 * 11 * 7, 3, dtype, -40, 40);
      const idx = [10, 0, 3, 3, 7, 10, 1];
      same(`gather axis 1 ${dtype}`, (dev) => wt.gather(make(x, [6, 11, 7], dtype, dev), idx, 1));
      same(`gather axis 0 ${dtype}`, (dev) => wt.gather(make(x, [66, 7], dtype, dev), [65, 0, 12, 12], 0));
      same(`gather last axis ${dtype}`, (dev) => wt.gather(make(x, [42, 11], dtype, dev), idx, 1));
    }
    const big = randomArray(40005, 4);
    const many = Array.from(randomArray(9000, 5), (v) => Math.floor(v * 0.5 * 40005 + 20002));
    same('gather many', (dev) => wt.gather(make(big, [40005], 'float32', dev), many, 0));
  });

  it('scatters in the cpu order when there are enough columns (bitwise)', () => {
    for (const dtype of ['float32', 'float64', 'complex64', 'complex128', 'int32'] as DType[]) {
      const idx = [3, 0, 3, 5, 3, 0, 1];
      const src = values(4 * 7 * 9, 8, dtype, -30, 30);
      same(`scatterAdd ${dtype}`, (dev) => wt.scatterAdd(make(src, [4, 7, 9], dtype, dev), idx, 1, 6));
      same(`scatterAdd last ${dtype}`, (dev) => wt.scatterAdd(make(src, [36, 7], dtype, dev), idx, 1, 6));
    }
  });

  it('scatters long index lists into few columns with atomics', () => {
    const g = 3000;
    const idx = Array.from(randomArray(g, 9), (v) => Math.floor((v + 1) * 10));
    // Small integers: exact in any order of the atomic additions.
    const ints = Array.from(randomArray(g * 2, 10), (v) => Math.round(v * 50));
    for (const dtype of ['float32', 'float64', 'int32'] as DType[])
      same(`scatterAdd atomic ${dtype}`, (dev) => wt.scatterAdd(make(ints, [g, 2], dtype, dev), idx, 0, 20));
    const real = randomArray(g * 2, 11);
    for (const dtype of FLOATS) {
      const r = onBoth((dev) => wt.scatterAdd(make(real, [g, 2], dtype, dev), idx, 0, 20));
      r.out.dispose();
      expectWithin(r.got, r.cpu, r.cpu.map(() => 2 * g * EPS[realOf(dtype)] * 2), `scatterAdd atomic ${dtype}`);
    }
  });

  it('reports an out-of-range index as E_RANGE when the result is read', () => {
    wt.tidy(() => {
      const x = wt.tensor([1, 2, 3, 4], [4], { device });
      let code: string | undefined;
      try {
        wt.gather(x, [0, 4], 0).dataSync();
      } catch (e) {
        code = (e as wt.WavetapeError).code;
      }
      expect(code).toBe('E_RANGE');
      // The device stays usable afterwards.
      expect(Array.from(wt.add(x, x).dataSync())).toEqual([2, 4, 6, 8]);
    });
  });
});
