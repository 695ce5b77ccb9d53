// Device agreement, reductions: the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { randomArray } from '../helpers';
import { describeAgreement, Arr, DType, EPS, FLOATS, expectUlps, expectWithin, make, realOf, values } from './agreement';

describeAgreement('reductions', ({ onBoth, same }) => {
  // [shape, axis]: I = 1 short rows (sub-warp), I = 1 long rows (block per row, several rows per
  // block, split into chunks when rows are few), I > 1 (column kernel: narrow and wide tiles,
  // several tiles per block, split R) and reductions over permuted axes.
  const cases: [number[], number | number[]][] = [
    [[1], 0], [[7], 0], [[33], 0], [[5, 3], 1], [[100, 31], 1], [[9, 513], 1], [[40, 600], 1],
    [[2, 10000], 1], [[1, 20000], 1], [[4, 33, 5], 1], [[3, 50, 70], 1], [[12, 20, 96], 1], [[40, 20, 96], 1],
    [[1, 300, 40], 1], [[2, 2100, 3], 1], [[6, 7, 8], [0, 2]], [[37, 41], 0], [[5, 6, 7], undefined as never],
  ];
  const sumAbs = (x: wt.Tensor, axis: number | number[] | undefined): wt.TypedArray =>
    wt.tidy(() => wt.sum(wt.abs(x), { axis }).dataSync());

  it.each(cases)('sum, mean, prod, logsumexp and norm of %j over axis %j', (shape, axis) => {
    const n = shape.reduce((p, q) => p * q, 1);
    for (const dtype of FLOATS) {
      const eps = EPS[realOf(dtype)];
      const x = values(n, 61 + n, dtype);
      const r = Math.max(1, n / (wt.tidy(() => wt.sum(wt.zeros(shape), { axis }).size) || 1));
      const slack = 4 * (Math.log2(r) + 8) * eps;
      const bound = (scale: Arr): number[] => Array.from(scale, (s) => slack * s + 1e-300);
      for (const [name, f, scale] of [
        ['sum', wt.sum, 1],
        ['mean', wt.mean, 1 / r],
      ] as const) {
        const res = onBoth((dev) => f(make(x, shape, dtype, dev), { axis }));
        res.out.dispose();
        // Reassociation error of a sum: ≤ (depth of the combining tree) · eps · Σ|x|.
        const ref = wt.tidy(() => sumAbs(make(x, shape, dtype, 'cpu'), axis));
        expectWithin(res.got, res.cpu, bound(Array.from(ref, (v) => v * scale)), `${name} ${dtype}`);
      }
      // prod of values near 1 (no overflow): relative error grows at most linearly in R.
      const near1 = Array.from(x, (v) => 1 + v / 64);
      const p = onBoth((dev) => wt.prod(make(near1, shape, dtype, dev), { axis }));
      p.out.dispose();
      expectWithin(p.got, p.cpu, Array.from(p.cpu, (v) => 2 * (r + 4) * eps * Math.abs(v)), `prod ${dtype}`);
      const l = onBoth((dev) => wt.logsumexp(make(x, shape, dtype, dev), { axis }));
      l.out.dispose();
      expectWithin(l.got, l.cpu, Array.from(l.cpu, (v) => slack * (Math.abs(v) + 1) * 4), `logsumexp ${dtype}`);
      const nr = onBoth((dev) => wt.norm(make(x, shape, dtype, dev), { axis }));
      nr.out.dispose();
      expectWithin(nr.got, nr.cpu, Array.from(nr.cpu, (v) => slack * Math.abs(v) * 4), `norm ${dtype}`);
    }
  });

  it.each(cases)('max, min, argmax and argmin of %j over axis %j are exact', (shape, axis) => {
    const n = shape.reduce((p, q) => p * q, 1);
    for (const dtype of FLOATS) {
      // Few distinct values, so ties (first index wins) are common.
      const x = Array.from(values(n, 71 + n, dtype), (v) => Math.round(v * 3));
      same(`max ${dtype}`, (dev) => wt.max(make(x, shape, dtype, dev), { axis }));
      same(`min ${dtype}`, (dev) => wt.min(make(x, shape, dtype, dev), { axis }));
      // Sums of small integers are exact in any order, so even sum is bitwise here.
      same(`integer sum ${dtype}`, (dev) => wt.sum(make(x, shape, dtype, dev), { axis }));
      if (typeof axis === 'number') {
        same(`argmax ${dtype}`, (dev) => wt.argmax(make(x, shape, dtype, dev), { axis }));
        same(`argmin ${dtype}`, (dev) => wt.argmin(make(x, shape, dtype, dev), { axis }));
      }
    }
  });

  it('propagates NaN and infinities like the cpu', () => {
    const x = Array.from(randomArray(4 * 600, 81));
    x[5] = NaN;
    x[700] = Infinity;
    x[1300] = -Infinity;
    x[1900] = Infinity;
    x[1901] = -Infinity;
    for (const dtype of FLOATS) {
      for (const [name, f] of [['max', wt.max], ['min', wt.min], ['sum', wt.sum], ['logsumexp', wt.logsumexp], ['norm', wt.norm]] as const)
        same(`${name} ${dtype} special`, (dev) => f(make(x, [4, 600], dtype, dev), { axis: 1 }));
      same(`argmax ${dtype} special`, (dev) => wt.argmax(make(x, [4, 600], dtype, dev), { axis: 1 }));
      same(`argmin ${dtype} special`, (dev) => wt.argmin(make(x, [4, 600], dtype, dev), { axis: 1 }));
    }
  });

  it('sums and averages complex tensors', () => {
    for (const dtype of ['complex64', 'complex128'] as DType[]) {
      for (const [shape, axis] of [[[3, 700], 1], [[5, 40, 3], 1], [[9, 17], 0]] as [number[], number][]) {
        const n = shape.reduce((p, q) => p * q, 1);
        const x = Array.from(values(n, 91, dtype), (v) => Math.round(v * 8));
        same(`sum ${dtype} ${shape}`, (dev) => wt.sum(make(x, shape, dtype, dev), { axis }));
        const m = onBoth((dev) => wt.mean(make(x, shape, dtype, dev), { axis }));
        m.out.dispose();
        expectUlps(m.got, m.cpu, realOf(dtype), 2, `mean ${dtype}`);
      }
    }
  });
});
