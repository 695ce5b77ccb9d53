// wt.signal.lagCorrelation and softLagCorrelation on every device, against a naive O(T·L)
// float64 reference of paper A's overlap-normalised formula written here; the lag sign against
// wt.xcorr; gradcheck in float64; bad input.
import * as wt from '../lib';
import { testDevices, randomArray, isKernelDevice, expectClose } from './helpers';
import { T, values, expectCode, weightedSum, expectGrad } from './ndref';

const devices = testDevices();

/** ρ_ab(ℓ) by its definition: sums over the overlap {t : 0 ≤ t < T, 0 ≤ t + ℓ < T}. */
function naiveRho(a: ArrayLike<number>, b: ArrayLike<number>, maxLag: number): number[] {
  const n = a.length;
  const out: number[] = [];
  for (let l = -maxLag; l <= maxLag; l++) {
    let num = 0;
    let ea = 0;
    let eb = 0;
    for (let t = 0; t < n; t++) {
      if (t + l < 0 || t + l >= n) continue;
      num += a[t] * b[t + l];
      ea += a[t] * a[t];
      eb += b[t + l] * b[t + l];
    }
    out.push(num / Math.sqrt(Math.max(ea * eb, 1e-12)));
  }
  return out;
}

function naiveSoft(rho: number[], beta: number): number {
  const m = Math.max(...rho);
  return m + Math.log(rho.reduce((s, r) => s + Math.exp(beta * (r - m)), 0)) / beta;
}

/** Row r of a [rows, T] array. */
const row = (x: Float64Array, r: number, n: number) => x.subarray(r * n, (r + 1) * n);

describe.each(devices)('lagCorrelation on %s', (device) => {
  const n = isKernelDevice(device) ? 19 : 53;
  for (const dtype of ['float64', 'float32'] as const) {
    const atol = dtype === 'float64' ? 1e-12 : 2e-5;
    test(`${dtype}: every lag equals the naive overlap-normalised sum (pairs × channels, broadcast)`, () => {
      const A = randomArray(3 * 2 * n, 1);
      const B = randomArray(2 * n, 2);
      for (const maxLag of [0, 1, 7, n - 1]) {
        const rho = wt.tidy(() => values(wt.signal.lagCorrelation(T(A, [3, 2, n], device, dtype), T(B, [2, n], device, dtype), { maxLag })));
        expect(rho.length).toBe(3 * 2 * (2 * maxLag + 1));
        const want: number[] = [];
        for (let p = 0; p < 3; p++) for (let c = 0; c < 2; c++) want.push(...naiveRho(row(A, p * 2 + c, n), row(B, c, n), maxLag));
        expectClose(rho, want, atol, dtype === 'float64' ? 1e-10 : 1e-4);
      }
    });

    test(`${dtype}: softLagCorrelation is (1/β)·logsumexp(β·ρ) and lies within its bounds`, () => {
      const A = randomArray(4 * n, 3);
      const B = randomArray(4 * n, 4);
      const maxLag = 5;
      for (const beta of [0.5, 10, 200]) {
        const got = wt.tidy(() => values(wt.signal.softLagCorrelation(T(A, [4, n], device, dtype), T(B, [4, n], device, dtype), { maxLag, beta })));
        for (let p = 0; p < 4; p++) {
          const rho = naiveRho(row(A, p, n), row(B, p, n), maxLag);
          const want = naiveSoft(rho, beta);
          expect(Math.abs(got[p] - want)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-11 : 1e-4);
          expect(got[p]).toBeGreaterThanOrEqual(Math.max(...rho) - 1e-5);
          expect(got[p]).toBeLessThanOrEqual(Math.max(...rho) + Math.log(2 * maxLag + 1) / beta + 1e-5);
        }
      }
    });
  }

  test('sign: b = a delayed by d peaks at lag +d, where ρ is 1; the numerator is xcorr(b, a)', () => {
    const base = randomArray(n + 4, 5);
    const d = 3;
    const a = base.subarray(4, 4 + n);
    const b = base.subarray(4 - d, 4 - d + n); // b(t) = base(t + 4 − d) = a(t − d)
    const maxLag = 6;
    const rho = wt.tidy(() => values(wt.signal.lagCorrelation(T(a, [n], device), T(b, [n], device), { maxLag })));
    const peak = rho.indexOf(Math.max(...rho)) - maxLag;
    expect(peak).toBe(d);
    expect(rho[maxLag + d]).toBeCloseTo(1, 12);
    // xcorr's lag k pairs a[t + k] with b[t]: ρ's numerator at ℓ is xcorr(b, a) at ℓ, not xcorr(a, b).
    const xc = wt.tidy(() => values(wt.xcorr(T(b, [n], device), T(a, [n], device), { maxLag })));
    const naiveNum = (l: number) => {
      let s = 0;
      for (let t = 0; t < n; t++) if (t + l >= 0 && t + l < n) s += a[t] * b[t + l];
      return s;
    };
    for (let l = -maxLag; l <= maxLag; l++) expect(xc[maxLag + l]).toBeCloseTo(naiveNum(l), 10);
  });

  test('a silent signal gives 0, not NaN', () => {
    const rho = wt.tidy(() => values(wt.signal.lagCorrelation(wt.zeros([n], { dtype: 'float64', device }), T(randomArray(n, 6), [n], device), { maxLag: 2 })));
    expect(rho).toHaveLength(5);
    for (const r of rho) expect(Math.abs(r)).toBe(0);
  });
});

describe('lag correlation gradients (gradcheck, float64, cpu)', () => {
  const n = 23;
  const a = T(randomArray(2 * n, 7), [2, n], 'cpu');
  const b = T(randomArray(2 * n, 8), [2, n], 'cpu');
  afterAll(() => [a, b].forEach((t) => t.dispose()));
  test('lagCorrelation in a and b', () => {
    expectGrad((x, y) => weightedSum(wt.signal.lagCorrelation(x, y, { maxLag: 6 }), 9), [a, b]);
  });
  test('softLagCorrelation in a and b', () => {
    expectGrad((x, y) => weightedSum(wt.signal.softLagCorrelation(x, y, { maxLag: 6, beta: 4 }), 10), [a, b]);
  });
});

describe('bad input', () => {
  const a = wt.keep(wt.ones([2, 8], { dtype: 'float64' }));
  const b = wt.keep(wt.ones([2, 9], { dtype: 'float64' }));
  afterAll(() => [a, b].forEach((t) => t.dispose()));
  test('maxLag >= T, missing or negative is E_RANGE naming the function', () => {
    expectCode(() => wt.signal.lagCorrelation(a, a, { maxLag: 8 }), 'E_RANGE', /^lagCorrelation: argument 'maxLag'/);
    expectCode(() => wt.signal.lagCorrelation(a, a, { maxLag: -1 }), 'E_RANGE', /maxLag/);
    expectCode(() => wt.signal.lagCorrelation(a, a, {} as never), 'E_RANGE', /maxLag/);
    expectCode(() => wt.signal.softLagCorrelation(a, a, { maxLag: 8, beta: 1 }), 'E_RANGE', /^softLagCorrelation: argument 'maxLag'/);
  });
  test('beta <= 0 or not finite is E_RANGE', () => {
    for (const beta of [0, -1, NaN, Infinity]) expectCode(() => wt.signal.softLagCorrelation(a, a, { maxLag: 2, beta }), 'E_RANGE', /'beta'/);
  });
  test('signals of different lengths, dtypes or a scalar', () => {
    expectCode(() => wt.signal.lagCorrelation(a, b, { maxLag: 2 }), 'E_SHAPE', /same length/);
    expectCode(() => wt.tidy(() => wt.signal.lagCorrelation(a, wt.cast(a, 'float32'), { maxLag: 2 })), 'E_DTYPE', /same dtype/);
    expectCode(() => wt.tidy(() => wt.signal.lagCorrelation(wt.tensor(1, undefined, { dtype: 'float64' }), a, { maxLag: 0 })), 'E_SHAPE', /'a'/);
    expectCode(() => wt.tidy(() => wt.signal.lagCorrelation(wt.cast(a, 'int32'), a, { maxLag: 0 })), 'E_DTYPE', /'a'/);
  });
});

describe("the bench's direct JS reference", () => {
  // lib/bench/signal.ts times a hand-written O(T·L) forward and gradient; it must compute what
  // softLagCorrelation computes, or the bench's ratio means nothing.
  test('agrees with softLagCorrelation and its tape gradient', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { directSoftLag } = require('../lib/bench/signal') as typeof import('../lib/bench/signal');
    const n = 40;
    const a32 = Float32Array.from(randomArray(n, 51));
    const b32 = Float32Array.from(randomArray(n, 52));
    const ga = new Float64Array(n);
    const gb = new Float64Array(n);
    const value = directSoftLag(a32, b32, 6, 3, ga, gb);
    const a = T(a32, [n], 'cpu');
    const b = T(b32, [n], 'cpu');
    const [v, grads] = wt.valueAndGrad((x: wt.Tensor, y: wt.Tensor) => wt.signal.softLagCorrelation(x, y, { maxLag: 6, beta: 3 }), { argnums: [0, 1] })(a, b) as [wt.Tensor, wt.Tensor[]];
    expect(v.item()).toBeCloseTo(value, 12);
    expectClose(values(grads[0]), ga, 1e-12, 1e-10);
    expectClose(values(grads[1]), gb, 1e-12, 1e-10);
    [a, b, v, ...grads].forEach((t) => t.dispose());
  });
});

describe('second order (gradgradcheck, float64, cpu)', () => {
  // The trust-region optimisers take Hessian-vector products of these losses through the tape.
  test('softLagCorrelation has Hessian-vector products matching differences of its gradient', () => {
    const n = 13;
    const a = T(randomArray(n, 61), [n], 'cpu');
    const b = T(randomArray(n, 62), [n], 'cpu');
    const failures = wt.tidy(() => wt.testing.gradgradcheck((x, y) => wt.signal.softLagCorrelation(x, y, { maxLag: 3, beta: 2 }), [a, b]));
    expect(failures).toEqual([]);
    [a, b].forEach((t) => t.dispose());
  });
});
