// wt.hvp: Hessian-vector products against analytic Hessians (a quadratic form, logsumexp, norm,
// Σ tanh, mean²: the second derivatives the tape once got silently wrong), against second
// differences of function values only (independent of the tape), for several arguments, and
// its argument checks and memory.
import * as wt from '../lib';
import { expectClose, randomArray, testDevices } from './helpers';

/** y = M·v for a dense n×n row-major M. */
function matVec(m: number[][], v: ArrayLike<number>): number[] {
  return m.map((row) => row.reduce((acc, mij, j) => acc + mij * v[j], 0));
}

describe.each(testDevices())('hvp on %s', (device) => {
  const t64 = (data: ArrayLike<number>, shape?: number[]) => wt.tensor(Float64Array.from(data), shape, { dtype: 'float64', device });
  const n = 5;
  const x0 = Array.from(randomArray(n, 21));
  const v0 = Array.from(randomArray(n, 22));

  const analytic: [string, (x: wt.Tensor) => wt.Tensor, (x: number[]) => number[][]][] = [
    [
      'xᵀAx (H = A + Aᵀ)',
      (x) => wt.sum(wt.mul(x, wt.matmul(t64(randomArray(n * n, 23), [n, n]), x))),
      () => {
        const a = Array.from(randomArray(n * n, 23));
        return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i * n + j] + a[j * n + i]));
      },
    ],
    [
      'logsumexp (H = diag(p) − ppᵀ)',
      (x) => wt.logsumexp(x),
      (x) => {
        const m = Math.max(...x);
        const e = x.map((xi) => Math.exp(xi - m));
        const z = e.reduce((a, b) => a + b, 0);
        const p = e.map((ei) => ei / z);
        return p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
      },
    ],
    [
      'norm (H = (I − uuᵀ)/‖x‖)',
      (x) => wt.norm(x),
      (x) => {
        const r = Math.sqrt(x.reduce((a, b) => a + b * b, 0));
        return x.map((xi, i) => x.map((xj, j) => ((i === j ? 1 : 0) - (xi * xj) / (r * r)) / r));
      },
    ],
    [
      'Σ tanh (H = diag(−2·tanh·(1 − tanh²)))',
      (x) => wt.sum(wt.tanh(x)),
      (x) => x.map((xi, i) => x.map((_, j) => (i === j ? -2 * Math.tanh(xi) * (1 - Math.tanh(xi) ** 2) : 0))),
    ],
    ['mean² (H = 2/n²·11ᵀ)', (x) => wt.square(wt.mean(x)), (x) => x.map(() => x.map(() => 2 / (n * n)))],
  ];

  test.each(analytic)('%s: H·v matches the analytic Hessian', (_, f, hessian) => {
    wt.tidy(() => {
      const hv = wt.hvp(f)(t64(x0), t64(v0));
      expect(hv.shape).toEqual([n]);
      expectClose(hv.dataSync(), matVec(hessian(x0), v0), 1e-13, 1e-12);
    });
  });

  test('grad of grad of Σ tanh(x) is the second derivative −2·tanh·(1 − tanh²)', () => {
    wt.tidy(() => {
      const inner = wt.grad((y: wt.Tensor) => wt.sum(wt.tanh(y)));
      const g2 = wt.grad((x: wt.Tensor) => wt.sum(inner(x)))(t64(x0));
      expectClose(g2.dataSync(), x0.map((x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)), 1e-14, 1e-13);
    });
  });

  test('a non-quadratic network: H·v matches second differences of f alone', () => {
    wt.tidy(() => {
      const w = t64(randomArray(12, 24), [4, 3]);
      const f = (x: wt.Tensor) => wt.logsumexp(wt.tanh(wt.matmul(w, wt.sin(x))));
      const x = [0.3, -0.8, 1.1];
      const v = [0.5, 0.25, -1];
      const hv = wt.hvp(f)(t64(x), t64(v)).dataSync();
      // (H·v)_i = ∂²f/∂x_i∂v from four values of f: [f(+e_i,+v) − f(+e_i,−v) − f(−e_i,+v) + f(−e_i,−v)]/4h².
      const h = 1e-4;
      const fAt = (di: number, i: number, dv: number) => wt.tidy(() => f(t64(x.map((xk, k) => xk + (k === i ? di : 0) + dv * v[k]))).item());
      const numeric = x.map((_, i) => (fAt(h, i, h) - fAt(h, i, -h) - fAt(-h, i, h) + fAt(-h, i, -h)) / (4 * h * h));
      expectClose(hv, numeric, 1e-6, 1e-6);
    });
  });

  test('several arguments: the block Hessian of Σ x²·y over argnums, a constant argument left out', () => {
    wt.tidy(() => {
      const x = [0.5, -1.5, 2];
      const y = [1, 0.25, -0.75];
      const c = [2, 3, 5];
      const vx = [1, -2, 0.5];
      const vy = [0.5, 1, -1];
      // f = Σ c·x²·y: ∂²/∂x² = 2cy, ∂²/∂x∂y = 2cx, ∂²/∂y² = 0.
      const f = (xt: wt.Tensor, ct: wt.Tensor, yt: wt.Tensor) => wt.sum(wt.mul(ct, wt.mul(wt.square(xt), yt)));
      const [hx, hy] = wt.hvp(f, { argnums: [0, 2] })([t64(x), t64(c), t64(y)], [t64(vx), t64(vy)]);
      expectClose(hx.dataSync(), x.map((xi, i) => 2 * c[i] * y[i] * vx[i] + 2 * c[i] * xi * vy[i]), 1e-14);
      expectClose(hy.dataSync(), x.map((xi, i) => 2 * c[i] * xi * vx[i]), 1e-14);
      // A numeric argnums takes one tangent and gives one tensor.
      const hyOnly = wt.hvp(f, { argnums: 2 })([t64(x), t64(c), t64(y)], t64(vy));
      expect(hyOnly).toBeInstanceOf(wt.Tensor);
      expectClose(hyOnly.dataSync(), [0, 0, 0], 0);
    });
  });

  test('tangents of the wrong shape or count are refused with E_SHAPE, of the wrong dtype with E_DTYPE', () => {
    wt.tidy(() => {
      const f = (x: wt.Tensor) => wt.sum(wt.square(x));
      expect(() => wt.hvp(f)(t64([1, 2]), t64([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringContaining('hvp') }));
      expect(() => wt.hvp(f)(t64([1, 2]), wt.tensor([1, 2], undefined, { dtype: 'float32', device }))).toThrow(expect.objectContaining({ code: 'E_DTYPE' }));
      expect(() => wt.hvp(f, { argnums: [0] })([t64([1, 2])], t64([1, 2]))).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    });
  });

  test('only the result stays alive', () => {
    const x = t64(x0);
    const v = t64(v0);
    const before = wt.memory().tensors;
    const hv = wt.hvp((t: wt.Tensor) => wt.logsumexp(wt.mul(wt.tanh(t), t)))(x, v);
    expect(wt.memory().tensors - before).toBe(1);
    [hv, x, v].forEach((t) => t.dispose());
  });
});
