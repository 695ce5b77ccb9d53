// wt.dct / wt.idct against naive float64 cosine sums written here (scipy.fft's definitions and
// norms), round trips, n / axis semantics, gradcheck, and bad input, on every device.
import * as wt from '../lib';
import { testDevices, randomArray, expectClose, isKernelDevice } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();
const NORMS = ['backward', 'ortho', 'forward'] as const;

/** scipy's DCT-II / DCT-III of each row of x [rows, n], unnormalised, then scaled by `norm`. */
function naiveDct(x: ArrayLike<number>, rows: number, n: number, type: 2 | 3, norm: (typeof NORMS)[number]): Float64Array {
  const y = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < n; k++) {
      let s = 0;
      if (type === 2) {
        for (let j = 0; j < n; j++) s += 2 * x[r * n + j] * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
        if (norm === 'ortho') s *= k === 0 ? Math.sqrt(1 / (4 * n)) : Math.sqrt(1 / (2 * n));
      } else {
        for (let j = 0; j < n; j++) {
          const w = norm === 'ortho' ? (j === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) : j === 0 ? 1 : 2;
          s += w * x[r * n + j] * Math.cos((Math.PI * j * (2 * k + 1)) / (2 * n));
        }
      }
      if (norm === 'forward') s /= 2 * n;
      y[r * n + k] = s;
    }
  return y;
}

describe.each(devices)('dct / idct on %s', (device) => {
  const lengths = isKernelDevice(device) ? [1, 2, 3, 5, 8, 17] : [1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 100, 127, 256];

  test.each([2, 3] as const)('type %i matches the naive float64 sum for every norm and length', (type) => {
    wt.tidy(() => {
      for (const n of lengths)
        for (const norm of NORMS) {
          const xs = randomArray(3 * n, n + type);
          const got = values(wt.dct(T(xs, [3, n], device), { type, norm }));
          expectClose(got, naiveDct(xs, 3, n, type, norm), 1e-11 * Math.max(1, n));
        }
    });
  });

  test('idct inverts dct for both types and every norm; ortho is orthonormal (energy kept)', () => {
    wt.tidy(() => {
      for (const n of lengths)
        for (const type of [2, 3] as const)
          for (const norm of NORMS) {
            const xs = randomArray(2 * n, 7 * n);
            const x = T(xs, [2, n], device);
            expectClose(values(wt.idct(wt.dct(x, { type, norm }), { type, norm })), xs, 1e-11 * Math.max(1, n));
            if (norm === 'ortho') {
              const e = values(wt.sum(wt.square(wt.dct(x, { type, norm }))))[0];
              expect(e).toBeCloseTo(xs.reduce((a, v) => a + v * v, 0), 9);
            }
          }
    });
  });

  test('axis, n (crop and zero-pad) and float32', () => {
    wt.tidy(() => {
      const xs = randomArray(4 * 6, 3);
      const x = T(xs, [4, 6], device);
      // Along axis 0: the columns.
      const cols = Float64Array.from({ length: 24 }, (_, i) => xs[(i % 4) * 6 + Math.floor(i / 4)]);
      const ref = naiveDct(cols, 6, 4, 2, 'ortho');
      const got = values(wt.dct(x, { axis: 0, norm: 'ortho' }));
      expectClose(got, Float64Array.from({ length: 24 }, (_, i) => ref[(i % 6) * 4 + Math.floor(i / 6)]), 1e-12);
      const padded = Float64Array.from({ length: 4 * 9 }, (_, i) => (i % 9 < 6 ? xs[Math.floor(i / 9) * 6 + (i % 9)] : 0));
      expectClose(values(wt.dct(x, { n: 9 })), naiveDct(padded, 4, 9, 2, 'backward'), 1e-11);
      const cropped = Float64Array.from({ length: 4 * 4 }, (_, i) => xs[Math.floor(i / 4) * 6 + (i % 4)]);
      expectClose(values(wt.idct(x, { n: 4, type: 3 })), naiveDct(cropped, 4, 4, 2, 'forward'), 1e-11);
      const f32 = wt.dct(T(xs, [4, 6], device, 'float32'));
      expect(f32.dtype).toBe('float32');
      expectClose(values(f32), naiveDct(xs, 4, 6, 2, 'backward'), 1e-4);
    });
  });

  test('gradcheck in float64 (both types, both functions, a length with odd n)', () => {
    wt.tidy(() => {
      const x = T(randomArray(2 * 7, 5), [2, 7], device);
      const w = T(randomArray(2 * 7, 6), [2, 7], device);
      for (const type of [2, 3] as const)
        for (const norm of NORMS) {
          expect(wt.testing.gradcheck((v) => wt.sum(wt.mul(wt.dct(v, { type, norm }), w)), [x])).toEqual([]);
          expect(wt.testing.gradcheck((v) => wt.sum(wt.sin(wt.idct(v, { type, norm, axis: 0 }))), [x])).toEqual([]);
        }
    });
  });

  test('bad input', () => {
    wt.tidy(() => {
      const x = wt.zeros([4], { device });
      expectCode(() => wt.dct(x, { type: 1 as never }), 'E_RANGE', /dct: argument 'type'/);
      expectCode(() => wt.idct(x, { norm: 'none' as never }), 'E_RANGE', /idct: argument 'norm'/);
      expectCode(() => wt.dct(x, { n: 0 }), 'E_RANGE', /dct: argument 'n'/);
      expectCode(() => wt.dct(x, { axis: 2 }), 'E_RANGE', /dct: argument 'axis'/);
      expectCode(() => wt.dct(wt.zeros([4], { dtype: 'complex64', device })), 'E_DTYPE', /dct: argument 'x'/);
      expectCode(() => wt.dct(wt.zeros([], { device })), 'E_SHAPE', /dct: argument 'x'/);
      expectCode(() => wt.dct('x' as never), 'E_DTYPE', /dct: argument 'x'/);
    });
  });
});
