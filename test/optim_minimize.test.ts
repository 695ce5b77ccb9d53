// wt.optim.minimize and minimizeBatched against known minimisers and scipy's published counts:
// Rosenbrock (2-D, 10-D, 100-D), Beale, a convex quadratic solved by Gaussian elimination here,
// scipy's status codes, and batched runs equal to separate ones.
import * as wt from '../lib';
import { codeOf } from './helpers';

const f64 = (v: number[]) => wt.tensor(v, undefined, { dtype: 'float64' });

/** Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², over the last axis (one value per row for a 2-d x). */
function rosen(x: wt.Tensor): wt.Tensor {
  const n = x.shape[x.rank - 1];
  const lead = x.shape.slice(0, -1).map(() => 0);
  const a = wt.slice(x, [...lead, 0], [...x.shape.slice(0, -1), n - 1]);
  const b = wt.slice(x, [...lead, 1], [...x.shape.slice(0, -1), n - 1]);
  const terms = wt.add(wt.mul(100, wt.square(wt.sub(b, wt.square(a)))), wt.square(wt.sub(1, a)));
  return x.rank === 1 ? wt.sum(terms) : wt.sum(terms, { axis: -1 });
}

/** Beale: (1.5 − a + ab)² + (2.25 − a + ab²)² + (2.625 − a + ab³)², minimum 0 at (3, 0.5). */
function beale(x: wt.Tensor): wt.Tensor {
  const a = wt.slice(x, [0], [1]);
  const b = wt.slice(x, [1], [1]);
  const term = (c: number, k: number) => wt.square(wt.add(wt.sub(c, a), wt.mul(a, wt.pow(b, k))));
  return wt.sum(wt.add(wt.add(term(1.5, 1), term(2.25, 2)), term(2.625, 3)));
}

const TUTORIAL = [1.3, 0.7, 0.8, 1.9, 1.2];
const tiled = (n: number) => Array.from({ length: n }, (_, i) => TUTORIAL[i % 5]);

// Published values: scipy.optimize.minimize with jac=rosen_der, hess=rosen_hess (beale: its
// analytic gradient and a central-difference Hessian), gtol 1e-4, measured with scipy 1.17.1
// (/usr/bin/python3); the 2-D Rosenbrock counts equal scipy 1.10's (REFERENCES.md).
// [nit, nfev, njev, status]; status 3 is scipy's LinAlgError (dogleg, Hessian not positive definite at x0).
const SCIPY: Record<string, Record<string, [number, number, number, number]>> = {
  rosen2: { 'trust-ncg': [29, 30, 27, 0], dogleg: [23, 24, 21, 0], 'trust-exact': [25, 26, 23, 0] },
  rosen10: { 'trust-ncg': [20, 21, 20, 0], dogleg: [0, 1, 1, 3], 'trust-exact': [14, 15, 13, 0] },
  rosen100: { 'trust-ncg': [24, 24, 23, 0], dogleg: [0, 1, 1, 3], 'trust-exact': [14, 15, 15, 0] },
  beale: { 'trust-ncg': [11, 12, 12, 0], dogleg: [0, 1, 1, 3], 'trust-exact': [7, 8, 7, 0] },
};

const cases: [string, (x: wt.Tensor) => wt.Tensor, number[], number[]][] = [
  ['rosen2', rosen, [-1.2, 1], [1, 1]],
  ['rosen10', rosen, tiled(10), Array(10).fill(1)],
  ['rosen100', rosen, tiled(100), Array(100).fill(1)],
  ['beale', beale, [1, 1], [3, 0.5]],
];

describe.each(cases)('%s', (name, f, x0, xStar) => {
  test.each(['trust-ncg', 'dogleg', 'trust-exact'] as const)('%s: status and iterations as scipy, the known minimiser', (method) => {
    const [nit, , , status] = SCIPY[name][method];
    const r = wt.optim.minimize(f, f64(x0), { method });
    expect(r.status).toBe(status);
    expect(r.success).toBe(status === 0);
    expect(r.message).toBe(
      status === 0 ? 'Optimization terminated successfully.' : 'A linalg error occurred, such as a non-psd Hessian.',
    );
    // "Close to scipy's": within 2 iterations (the float64 arithmetic differs in rounding).
    expect(Math.abs(r.nit - nit)).toBeLessThanOrEqual(2);
    const x = r.x.dataSync();
    if (status === 0) {
      x.forEach((v, i) => expect(Math.abs(v - xStar[i])).toBeLessThan(1e-3));
      const g = r.jac.dataSync();
      expect(Math.hypot(...g)).toBeLessThan(1e-4);
      expect(r.fun).toBeLessThan(1e-8);
    } else {
      expect(Array.from(x)).toEqual(x0);
      expect(r.nit).toBe(0);
    }
    // scipy's counts: f at x0 and at every trial point, ∇f at x0 and at every accepted point.
    expect(r.nfev).toBe(r.nit + 1);
    if (name === 'rosen2') expect([r.nfev, r.njev]).toEqual(SCIPY[name][method].slice(1, 3));
  });
});

test('trust-ncg uses one Hessian-vector product per CG iteration, never the dense Hessian', () => {
  const r = wt.optim.minimize(rosen, f64([-1.2, 1]), { method: 'trust-ncg' });
  // scipy with hessp=rosen_hess_prod counts 82 products here (one more than ours: its model
  // value at x0 is evaluated once more); each outer iteration needs at least two.
  expect(r.nhev).toBeGreaterThanOrEqual(2 * r.nit);
  expect(Math.abs(r.nhev - 82)).toBeLessThanOrEqual(3);
});

describe('convex quadratic ½xᵀAx − bᵀx', () => {
  const A = [
    [4, 1, 0],
    [1, 3, 0.5],
    [0, 0.5, 2],
  ];
  const b = [1, -2, 0.5];
  // x* = A⁻¹b by Gaussian elimination with partial pivoting, in the test.
  const xStar = (() => {
    const m = A.map((row, i) => [...row, b[i]]);
    for (let c = 0; c < 3; c++) {
      const p = m.slice(c).reduce((best, row, k) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? k + c : best), c);
      [m[c], m[p]] = [m[p], m[c]];
      for (let r = c + 1; r < 3; r++) {
        const t = m[r][c] / m[c][c];
        for (let k = c; k < 4; k++) m[r][k] -= t * m[c][k];
      }
    }
    const x = [0, 0, 0];
    for (let r = 2; r >= 0; r--) {
      let s = m[r][3];
      for (let k = r + 1; k < 3; k++) s -= m[r][k] * x[k];
      x[r] = s / m[r][r];
    }
    return x;
  })();
  const quad = (x: wt.Tensor) => {
    const ax = wt.matmul(wt.reshape(f64(A.flat()), [3, 3]), x);
    return wt.sub(wt.mul(0.5, wt.sum(wt.mul(x, ax))), wt.sum(wt.mul(f64(b), x)));
  };
  test('the reference solves Ax = b', () => {
    A.forEach((row, i) => expect(row.reduce((s, a, j) => s + a * xStar[j], 0)).toBeCloseTo(b[i], 12));
  });
  // scipy 1.17.1 from x0 = 0: trust-ncg 5, dogleg 2, trust-exact 2 iterations.
  test.each([['trust-ncg', 5], ['dogleg', 2], ['trust-exact', 2]] as const)('%s reaches A⁻¹b in about scipy\'s %d iterations', (method, nit) => {
    const r = wt.optim.minimize(quad, f64([0, 0, 0]), { method });
    expect(r.status).toBe(0);
    expect(Math.abs(r.nit - nit)).toBeLessThanOrEqual(1);
    r.x.dataSync().forEach((v, i) => expect(Math.abs(v - xStar[i])).toBeLessThan(1e-4));
  });
  test('the Cauchy point alone converges, slowly', () => {
    const r = wt.optim.minimize(quad, f64([0, 0, 0]), { method: 'cauchy', gtol: 1e-6 });
    expect(r.status).toBe(0);
    expect(r.nit).toBeGreaterThan(10);
    r.x.dataSync().forEach((v, i) => expect(Math.abs(v - xStar[i])).toBeLessThan(1e-5));
  });
  test.each(['bfgs', 'sr1'] as const)("quasi-Newton hessian '%s' converges with every method", (hessian) => {
    for (const method of ['trust-ncg', 'dogleg', 'trust-exact'] as const) {
      const r = wt.optim.minimize(quad, f64([0, 0, 0]), { method, hessian });
      expect(r.status).toBe(0);
      expect(r.nhev).toBe(0);
      r.x.dataSync().forEach((v, i) => expect(Math.abs(v - xStar[i])).toBeLessThan(1e-4));
    }
  });
});

test("BFGS on 2-D Rosenbrock reaches (1, 1) with trust-exact and dogleg", () => {
  for (const method of ['trust-exact', 'dogleg'] as const) {
    const r = wt.optim.minimize(rosen, f64([-1.2, 1]), { method, hessian: 'bfgs' });
    expect(r.status).toBe(0);
    r.x.dataSync().forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-3));
  }
});

test('the Cauchy point alone is slow on Rosenbrock: the iteration limit 200·n ends it (status 1)', () => {
  const r = wt.optim.minimize(rosen, f64([-1.2, 1]), { method: 'cauchy' });
  expect([r.status, r.nit, r.success]).toEqual([1, 400, false]);
  expect(r.message).toBe('Maximum number of iterations has been exceeded.');
  expect(r.fun).toBeLessThan(rosen(f64([-1.2, 1])).item());
});

test('status 2 when the model predicts no decrease (gtol 0 after the exact minimum of a quadratic)', () => {
  const f = (x: wt.Tensor) => wt.add(wt.sum(wt.square(wt.sub(x, f64([1, 2])))), 1);
  const r = wt.optim.minimize(f, f64([0, 0]), { method: 'trust-exact', gtol: 0 });
  expect(r.status).toBe(2);
  expect(r.message).toBe('A bad approximation caused failure to predict improvement.');
  r.x.dataSync().forEach((v, i) => expect(Math.abs(v - [1, 2][i])).toBeLessThan(1e-12));
});

test('maxIter, initialTrustRadius and maxTrustRadius are honoured', () => {
  const r = wt.optim.minimize(rosen, f64([-1.2, 1]), { method: 'trust-exact', maxIter: 3 });
  expect([r.status, r.nit]).toEqual([1, 3]);
  // With Δmax tiny every step is at most Δmax long.
  const x0 = [-1.2, 1];
  const small = wt.optim.minimize(rosen, f64(x0), { method: 'dogleg', initialTrustRadius: 0.01, maxTrustRadius: 0.02, maxIter: 1 });
  const x = small.x.dataSync();
  expect(Math.hypot(x[0] - x0[0], x[1] - x0[1])).toBeLessThanOrEqual(0.01 + 1e-15);
});

test('float32 problems stay float32 and converge to float32 precision', () => {
  const r = wt.optim.minimize(rosen, wt.tensor([-1.2, 1]), { method: 'trust-exact', gtol: 1e-3 });
  expect(r.x.dtype).toBe('float32');
  expect(r.status).toBe(0);
  r.x.dataSync().forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-2));
});

describe('minimizeBatched', () => {
  const starts = [[-1.2, 1], [2, 2], [0.5, -0.5], [1, 1], [-2, 3]];
  test.each(['trust-ncg', 'dogleg', 'trust-exact', 'cauchy'] as const)('%s: B problems give exactly what B separate minimize runs give', (method) => {
    const opts = { method, maxIter: method === 'cauchy' ? 50 : undefined };
    const batched = wt.optim.minimizeBatched(rosen, wt.tensor(starts.flat(), [starts.length, 2], { dtype: 'float64' }), opts);
    const bx = batched.x.dataSync();
    starts.forEach((s, b) => {
      const r = wt.optim.minimize(rosen, f64(s), opts);
      expect([batched.nit[b], batched.nfev[b], batched.njev[b], batched.nhev[b], batched.status[b]]).toEqual([r.nit, r.nfev, r.njev, r.nhev, r.status]);
      expect(batched.success[b]).toBe(r.success);
      expect(batched.message[b]).toBe(r.message);
      const x = r.x.dataSync();
      expect(Math.abs(bx[2 * b] - x[0]) + Math.abs(bx[2 * b + 1] - x[1])).toBeLessThan(1e-12);
      expect(Math.abs(batched.fun[b] - r.fun)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r.fun)));
    });
  });
  test('rows converge independently: a row already at the minimum takes no iteration', () => {
    const r = wt.optim.minimizeBatched(rosen, wt.tensor([1, 1, -1.2, 1], [2, 2], { dtype: 'float64' }));
    expect(r.nit[0]).toBe(0);
    expect(r.nit[1]).toBe(29);
    expect(r.jac.shape).toEqual([2, 2]);
  });
});

describe('bad input: WavetapeError with a stable code', () => {
  const code = (fn: () => unknown) => codeOf(fn, /^optim\.minimize(Batched)?: /);
  const x0 = () => f64([1, 2]);
  test('f that does not return a real scalar', () => {
    expect(code(() => wt.optim.minimize((x) => x, x0()))).toBe('E_SHAPE');
    expect(code(() => wt.optim.minimize((() => 3) as never, x0()))).toBe('E_DTYPE');
    expect(code(() => wt.optim.minimize((x) => wt.complex(wt.sum(x), wt.sum(x)), x0()))).toBe('E_DTYPE');
    expect(code(() => wt.optim.minimizeBatched((x) => wt.sum(x), wt.zeros([3, 2], { dtype: 'float64' })))).toBe('E_SHAPE');
  });
  test('options out of range', () => {
    const f = (x: wt.Tensor) => wt.sum(wt.square(x));
    expect(code(() => wt.optim.minimize(f, x0(), { eta: 0.25 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { eta: -0.1 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { initialTrustRadius: 0 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { initialTrustRadius: NaN }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { initialTrustRadius: 2000 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { maxTrustRadius: -1 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { maxIter: 0 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { method: 'bfgs' as never }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { hessian: 'lbfgs' as never }))).toBe('E_RANGE');
    expect(code(() => wt.optim.minimize(f, x0(), { tol: 1 } as never))).toBe('E_RANGE');
  });
  test('x0 of the wrong kind, a start where f is not finite', () => {
    const f = (x: wt.Tensor) => wt.sum(wt.square(x));
    expect(code(() => wt.optim.minimize(f, wt.tensor([1, 2], undefined, { dtype: 'int32' })))).toBe('E_DTYPE');
    expect(code(() => wt.optim.minimize(f, [1, 2] as never))).toBe('E_DTYPE');
    expect(code(() => wt.optim.minimize(f, wt.zeros([0], { dtype: 'float64' })))).toBe('E_SHAPE');
    expect(code(() => wt.optim.minimizeBatched(f, f64([1, 2])))).toBe('E_SHAPE');
    expect(code(() => wt.optim.minimize((x) => wt.sum(wt.log(x)), f64([-1, 2])))).toBe('E_RANGE');
  });
  test("a user's own error in f passes through untouched", () => {
    const boom = new Error('mine');
    expect(() =>
      wt.optim.minimize(() => {
        throw boom;
      }, x0()),
    ).toThrow(boom);
  });
});

test('no tensor is left behind but the results', () => {
  const x0 = f64([-1.2, 1]);
  const before = wt.memory().tensors;
  const r = wt.optim.minimize(rosen, x0, { method: 'trust-ncg' });
  expect(wt.memory().tensors).toBe(before + 2);
  r.x.dispose();
  r.jac.dispose();
  expect(wt.memory().tensors).toBe(before);
});
