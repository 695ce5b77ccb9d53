// Reductions over one or several axes, keepdims, against float64 loops written here; argmax and
// argmin; numerically stable logsumexp; gradcheck of each differentiable reduction.
import * as wt from '../lib';
import { expectClose, isKernelDevice, randomArray, testDevices } from './helpers';
import { permuted, strides } from './ndref';

type Fold = (xs: number[]) => number;
const REDUCTIONS: [string, (x: wt.Tensor, o?: wt.ReduceOptions) => wt.Tensor, Fold][] = [
  ['sum', wt.sum, (xs) => xs.reduce((a, b) => a + b, 0)],
  ['mean', wt.mean, (xs) => xs.reduce((a, b) => a + b, 0) / xs.length],
  ['max', wt.max, (xs) => Math.max(...xs)],
  ['min', wt.min, (xs) => Math.min(...xs)],
  ['prod', wt.prod, (xs) => xs.reduce((a, b) => a * b, 1)],
  ['logsumexp', wt.logsumexp, (xs) => {
    const m = Math.max(...xs);
    return m + Math.log(xs.reduce((a, b) => a + Math.exp(b - m), 0));
  }],
  ['norm', wt.norm, (xs) => Math.sqrt(xs.reduce((a, b) => a + b * b, 0))],
];

/** Reduces a row-major array of `shape` over `axes` with `fold`, naively. */
function reduceRef(x: Float64Array, shape: number[], axes: number[], fold: Fold): { values: number[]; shape: number[] } {
  const outShape = shape.map((s, i) => (axes.includes(i) ? 1 : s));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outStrides = outShape.map((_, i) => outShape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let flat = 0; flat < x.length; flat++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(flat / strides[d]) % shape[d];
      if (!axes.includes(d)) o += idx * outStrides[d];
    }
    groups[o].push(x[flat]);
  }
  return { values: groups.map(fold), shape: outShape };
}

describe.each(testDevices())('reductions on %s', (device) => {
  const shape = isKernelDevice(device) ? [3, 37, 5] : [7, 129, 5];
  const size = shape.reduce((a, b) => a * b, 1);
  const AXES: (number[] | undefined)[] = [undefined, [0], [1], [2], [0, 2], [-1, -2]];

  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    const rtol = dtype === 'float32' ? 2e-5 : 1e-12;
    // prod of hundreds of values needs inputs near 1 to stay finite.
    const data = (name: string) => {
      const raw = randomArray(size, 7, name === 'prod' ? 0.9 : -2, name === 'prod' ? 1.1 : 2);
      return dtype === 'float32' ? Float64Array.from(new Float32Array(raw)) : raw;
    };
    test.each(REDUCTIONS)('%s over every axis set, with and without keepdims', (name, op, fold) => {
      const x = data(name);
      for (const axes of AXES) {
        for (const keepdims of [false, true]) {
          const norm = axes === undefined ? [0, 1, 2] : axes.map((a) => (a + 3) % 3);
          const ref = reduceRef(x, shape, norm, fold);
          wt.tidy(() => {
            const y = op(wt.tensor(x, shape, { dtype, device }), { axis: axes, keepdims });
            const expectShape = keepdims ? ref.shape : ref.shape.filter((_, i) => !norm.includes(i));
            expect(y.shape).toEqual(expectShape);
            expectClose(y.dataSync(), ref.values, 1e-6 * (dtype === 'float32' ? 1 : 1e-9), rtol);
          });
        }
      }
    });

    test('argmax and argmin return int32 indices of the first extreme', () => {
      const x = data('argmax');
      for (const axis of [0, 1, 2]) {
        const argRef = (better: (a: number, b: number) => boolean) =>
          reduceRef(Float64Array.from(x.keys()), shape, [axis], (idxs) =>
            idxs.reduce((best, i) => (better(x[i], x[best]) ? i : best), idxs[0]),
          ).values.map((flat) => Math.floor(flat / shape.slice(axis + 1).reduce((a, b) => a * b, 1)) % shape[axis]);
        wt.tidy(() => {
          const t = wt.tensor(x, shape, { dtype, device });
          const am = wt.argmax(t, { axis });
          expect(am.dtype).toBe('int32');
          expect(Array.from(am.dataSync())).toEqual(argRef((a, b) => a > b));
          expect(Array.from(wt.argmin(t, { axis }).dataSync())).toEqual(argRef((a, b) => a < b));
        });
      }
    });

    // A permuted view of a dense tensor is reduced in its storage's order when its kept axes keep
    // their order there (no copy; core/reduce.cpp), else through a copy: both against references
    // on the materialised view. A size-1 axis rides along.
    test.each(REDUCTIONS)('%s of permuted views', (name, op, fold) => {
      const x = data(name);
      for (const [base, perm] of [
        [shape, [1, 0, 2]],
        [shape, [2, 1, 0]],
        [shape, [0, 2, 1]],
        [shape, [1, 2, 0]],
        [[shape[0], 1, shape[1] * shape[2]], [2, 1, 0]],
      ] as [number[], number[]][]) {
        const { data: view, shape: vshape } = permuted({ data: x, shape: base }, perm);
        const vstrides = strides(vshape);
        for (const axes of [undefined, [0], [1], [2], [0, 1], [1, 2], [0, 2]]) {
          const norm = axes ?? [0, 1, 2];
          const ref = reduceRef(view, vshape, norm, fold);
          wt.tidy(() => {
            const y = op(wt.transpose(wt.tensor(x, base, { dtype, device }), perm), { axis: axes });
            expect(y.shape).toEqual(ref.shape.filter((_, i) => !norm.includes(i)));
            expectClose(y.dataSync(), ref.values, 1e-6 * (dtype === 'float32' ? 1 : 1e-9), rtol);
          });
        }
        if (name === 'sum')
          for (const axis of [0, 1, 2]) {
            const argRef = reduceRef(Float64Array.from(view.keys()), vshape, [axis], (idxs) =>
              idxs.reduce((best, i) => (view[i] > view[best] ? i : best), idxs[0]),
            ).values.map((flat) => Math.floor(flat / vstrides[axis]) % vshape[axis]);
            wt.tidy(() => {
              const am = wt.argmax(wt.transpose(wt.tensor(x, base, { dtype, device }), perm), { axis });
              expect(Array.from(am.dataSync())).toEqual(argRef);
            });
          }
      }
    });

    test('logsumexp is exact for huge and tiny magnitudes', () => {
      wt.tidy(() => {
        const big = dtype === 'float32' ? 1e30 : 1e300;
        const y = wt.logsumexp(wt.tensor([[big, big], [-big, -big], [1000, -1000]], undefined, { dtype, device }), { axis: 1 });
        expectClose(y.dataSync(), [big, -big, 1000], 0, rtol);
      });
    });

    test('max propagates NaN; empty-free reductions of one element are the element', () => {
      wt.tidy(() => {
        expect(Number.isNaN(wt.max(wt.tensor([1, NaN, 3], undefined, { dtype, device })).item())).toBe(true);
        expect(wt.sum(wt.tensor([2.5], undefined, { dtype, device })).item()).toBe(2.5);
      });
    });
  });

  describe('gradients (float64, central differences)', () => {
    test.each(REDUCTIONS)('%s', (name, op) => {
      wt.tidy(() => {
        // Distinct values, so max/min have a unique argmax.
        const x = wt.tensor(randomArray(24, 13, name === 'prod' ? 0.5 : -2, 2), [2, 3, 4], { dtype: 'float64', device });
        const w = wt.tensor(randomArray(8, 14), [2, 4], { dtype: 'float64', device });
        expect(wt.testing.gradcheck((t) => wt.sum(wt.mul(op(t, { axis: 1 }), w)), [x])).toEqual([]);
        expect(wt.testing.gradcheck((t) => op(t), [x])).toEqual([]);
        expect(wt.testing.gradcheck((t) => wt.sum(op(t, { axis: [0, 2], keepdims: true })), [x])).toEqual([]);
      });
    });
  });
});

test('cpu reductions give bit-identical results for every thread count', () => {
  const x = randomArray(3 << 18, 77); // long enough to be split over threads
  const before = wt.numThreads();
  try {
    const results = [1, 2, 3].map((t) => {
      wt.setNumThreads(t);
      return wt.tidy(() => {
        const v = wt.tensor(x, [x.length], { dtype: 'float32', device: 'cpu' });
        return [wt.sum(v).item(), wt.logsumexp(v).item(), wt.norm(v).item()];
      });
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    // And accurate: pairwise float32 summation of 786k values stays within a few ulps of float64.
    const exact = x.reduce((a, b) => a + Math.fround(b), 0);
    expect(Math.abs(results[0][0] - exact)).toBeLessThan(1e-3);
  } finally {
    wt.setNumThreads(before);
  }
});
