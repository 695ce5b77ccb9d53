// Device agreement, soft-DTW kernels: the CUDA wavefront forward and backward on simt (and any GPU)
// against the cpu backend — short, long with a band (past the shared-memory diagonals), unequal and
// per-pair lengths, many pairs per block, from a cost, and hard DTW.
import * as wt from '../../lib';
import { sdtwPairs, sdtwFromCost, SdtwKernelOptions } from '../../lib/ops/sdtw_native';
import { randomArray } from '../helpers';
import { describeAgreement, EPS, expectWithin, make } from './agreement';

const FLOATS = ['float32', 'float64'] as const;

type Case = { N: number; M: number; tx: number; ty: number; d: number; band: number | null; gamma: number; lx?: number[]; ly?: number[]; pairs: [number, number][] };

const all = (N: number, M: number): [number, number][] => Array.from({ length: N * M }, (_, k) => [Math.floor(k / M), k % M]);

const cases: Record<string, Case> = {
  'short, no band': { N: 2, M: 3, tx: 5, ty: 7, d: 2, band: null, gamma: 1, pairs: all(2, 3) },
  'unequal lengths, band 0': { N: 1, M: 2, tx: 3, ty: 11, d: 1, band: 0, gamma: 0.5, pairs: [[0, 0], [0, 1]] },
  'per-pair lengths with a band': { N: 3, M: 2, tx: 20, ty: 17, d: 3, band: 2, gamma: 0.3, lx: [20, 9, 2], ly: [5, 17], pairs: all(3, 2) },
  'many pairs per block (grid-stride)': { N: 6, M: 7, tx: 6, ty: 5, d: 1, band: 1, gamma: 1, pairs: all(6, 7) },
  'long with a band (diagonals in global scratch)': { N: 1, M: 1, tx: 1100, ty: 1030, d: 1, band: 2, gamma: 0.1, pairs: [[0, 0]] },
  'hard DTW': { N: 2, M: 2, tx: 9, ty: 8, d: 2, band: 3, gamma: 0, pairs: all(2, 2) },
};

describeAgreement('sdtw', ({ onBoth, onGpu }) => {
  const opts = (c: Case, dev: string): SdtwKernelOptions => ({
    gamma: c.gamma,
    band: c.band,
    lengthsX: c.lx ? wt.tensor(c.lx, [c.N], { dtype: 'int32', device: dev }) : null,
    lengthsY: c.ly ? wt.tensor(c.ly, [c.M], { dtype: 'int32', device: dev }) : null,
  });

  // Both backends run the same cell update (kernels/sdtw_softmin.h) on the same predecessors and
  // sum E's three terms in the same order, so values, E and float64 gradients agree bitwise on simt
  // (a GPU may contract multiply-adds: a few ulps per cell along the path). float32 gradients differ
  // in accumulation precision (double rows on cpu, per-cell float on the device): within
  // w · 2^-23 of the largest gradient, w the terms in a row sum.
  it.each(Object.keys(cases))('%s: values and both gradients', (name) => {
    const c = cases[name];
    for (const dtype of FLOATS) {
      const x = randomArray(c.N * c.tx * c.d, 3 + c.tx), y = randomArray(c.M * c.ty * c.d, 5 + c.ty);
      const run = (dev: string, part: 0 | 1 | 2) => {
        const X = make(x, [c.N, c.tx, c.d], dtype, dev), Y = make(y, [c.M, c.ty, c.d], dtype, dev);
        const P = wt.tensor(c.pairs.flat(), [c.pairs.length, 2], { dtype: 'int32', device: dev });
        const w = make(randomArray(c.pairs.length, 9, 0.5, 1.5), [c.pairs.length], dtype, dev);
        const o = opts(c, dev);
        if (part === 0) return sdtwPairs(X, Y, P, o, 'test');
        const grads = wt.grad((a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.mul(sdtwPairs(a, b, P, o, 'test'), w)), { argnums: [0, 1] })(X, Y) as wt.Tensor[];
        return grads[part - 1];
      };
      for (const part of [0, 1, 2] as const) {
        const r = onBoth((dev) => run(dev, part));
        r.out.dispose();
        const scale = Math.max(...Array.from(r.cpu, Math.abs), 1);
        const exact = part === 0 || dtype === 'float64';
        const rel = onGpu ? 64 * (c.tx + c.ty) * EPS[dtype] : exact ? 0 : (c.ty + 2) * EPS.float32;
        expectWithin(r.got, r.cpu, Array.from(r.cpu, () => rel * scale), `${name} ${dtype} part ${part}`);
        expect(Array.from(r.got).every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('from a cost: values and dC = g·E, band and per-pair lengths', () => {
    const B = 3, tx = 7, ty = 9;
    const C = randomArray(B * tx * ty, 77, 0, 2);
    for (const dtype of FLOATS)
      for (const band of [null, 1]) {
        const o = (dev: string): SdtwKernelOptions => ({
          gamma: 0.4,
          band,
          lengthsX: wt.tensor([7, 4, 1], [B], { dtype: 'int32', device: dev }),
          lengthsY: wt.tensor([9, 6, 3], [B], { dtype: 'int32', device: dev }),
        });
        for (const part of [0, 1]) {
          const r = onBoth((dev) => {
            const Ct = make(C, [B, tx, ty], dtype, dev);
            if (part === 0) return sdtwFromCost(Ct, o(dev), 'test');
            return (wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, o(dev), 'test')), { argnums: [0] })(Ct) as wt.Tensor[])[0];
          });
          r.out.dispose();
          const bound = onGpu ? 64 * (tx + ty) * EPS[dtype] : 0;
          expectWithin(r.got, r.cpu, Array.from(r.cpu, (v) => bound * Math.max(1, Math.abs(v))), `cost ${dtype} band ${band} part ${part}`);
        }
      }
  });
});
