// wt.linalg.eigh and wt.signal.pca: residuals ||A·V − V·Λ||, orthogonality, ascending order,
// eigenvalues of matrices with known spectra, numpy's lower-triangle convention, batching,
// gradcheck in float64 (distinct eigenvalues, sign-invariant losses), PCA against a power
// iteration written here, and bad input, on every device.
import * as wt from '../lib';
import { pca } from '../lib/signal/pca';
import { testDevices, randomArray, isKernelDevice } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();

/** A random symmetric n×n matrix (float64, row-major). */
function symmetric(n: number, seed: number): Float64Array {
  const r = randomArray(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (r[i * n + j] + r[j * n + i]) / 2;
  return a;
}

/** max |A·V − V·diag(w)| and max |VᵀV − I| for one matrix. */
function residuals(a: ArrayLike<number>, w: ArrayLike<number>, v: ArrayLike<number>, n: number): { res: number; orth: number } {
  let res = 0;
  let orth = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let av = 0;
      let vtv = 0;
      for (let k = 0; k < n; k++) {
        av += a[i * n + k] * v[k * n + j];
        vtv += v[k * n + i] * v[k * n + j];
      }
      res = Math.max(res, Math.abs(av - v[i * n + j] * w[j]));
      orth = Math.max(orth, Math.abs(vtv - (i === j ? 1 : 0)));
    }
  return { res, orth };
}

describe.each(devices)('linalg.eigh on %s', (device) => {
  const sizes = isKernelDevice(device) ? [1, 2, 5, 16] : [1, 2, 3, 5, 16, 64, 200];

  test('residual, orthogonality and ascending order for random symmetric matrices', () => {
    wt.tidy(() => {
      for (const n of sizes) {
        const a = symmetric(n, n);
        const { eigenvalues, eigenvectors } = wt.linalg.eigh(T(a, [n, n], device));
        expect(eigenvalues.shape).toEqual([n]);
        expect(eigenvectors.shape).toEqual([n, n]);
        const w = values(eigenvalues);
        const v = values(eigenvectors);
        const { res, orth } = residuals(a, w, v, n);
        expect(res).toBeLessThan(1e-12 * n);
        expect(orth).toBeLessThan(1e-12 * n);
        for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
        // The trace is the eigenvalues' sum.
        expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(Array.from({ length: n }, (_, i) => a[i * n + i]).reduce((s, x) => s + x, 0), 9);
        // Sign convention: each column's largest-magnitude entry is positive.
        for (let j = 0; j < n; j++) {
          let big = 0;
          for (let k = 0; k < n; k++) if (Math.abs(v[k * n + j]) > Math.abs(big)) big = v[k * n + j];
          expect(big).toBeGreaterThan(0);
        }
      }
    });
  });

  test('known spectra: the path graph Laplacian, a diagonal, repeated eigenvalues; only the lower triangle is read', () => {
    wt.tidy(() => {
      const n = 12;
      // Tridiagonal 2, −1: eigenvalues 2 − 2cos(πk/(n+1)), k = 1..n.
      const lap = Float64Array.from({ length: n * n }, (_, i) => {
        const r = Math.floor(i / n), c = i % n;
        return r === c ? 2 : Math.abs(r - c) === 1 ? -1 : 0;
      });
      const w = values(wt.linalg.eigh(T(lap, [n, n], device)).eigenvalues);
      w.forEach((x, k) => expect(x).toBeCloseTo(2 - 2 * Math.cos((Math.PI * (k + 1)) / (n + 1)), 12));
      const diag = Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? [3, -1, 3, 0][i / 5] : 0));
      expect(values(wt.linalg.eigh(T(diag, [4, 4], device)).eigenvalues)).toEqual([-1, 0, 3, 3]);
      // Garbage above the diagonal is ignored (numpy's UPLO='L').
      const a = symmetric(6, 3);
      const garbled = a.map((x, i) => (i % 6 > Math.floor(i / 6) ? 99 : x));
      const r1 = values(wt.linalg.eigh(T(a, [6, 6], device)).eigenvalues);
      const r2 = values(wt.linalg.eigh(T(garbled, [6, 6], device)).eigenvalues);
      r1.forEach((x, i) => expect(r2[i]).toBeCloseTo(x, 12));
    });
  });

  test('batched [2, 3, n, n] equals the matrices one by one; float32 in, float32 out', () => {
    wt.tidy(() => {
      const n = 5;
      const mats = Array.from({ length: 6 }, (_, b) => symmetric(n, 100 + b));
      const all = new Float64Array(6 * n * n);
      mats.forEach((m, b) => all.set(m, b * n * n));
      const { eigenvalues, eigenvectors } = wt.linalg.eigh(T(all, [2, 3, n, n], device));
      expect(eigenvalues.shape).toEqual([2, 3, n]);
      const w = values(eigenvalues);
      const v = values(eigenvectors);
      mats.forEach((m, b) => {
        const one = wt.linalg.eigh(T(m, [n, n], device));
        expect(w.slice(b * n, (b + 1) * n)).toEqual(values(one.eigenvalues));
        expect(v.slice(b * n * n, (b + 1) * n * n)).toEqual(values(one.eigenvectors));
      });
      const f = wt.linalg.eigh(T(mats[0], [n, n], device, 'float32'));
      expect(f.eigenvalues.dtype).toBe('float32');
      const { res } = residuals(mats[0], values(f.eigenvalues), values(f.eigenvectors), n);
      expect(res).toBeLessThan(1e-5);
    });
  });

  test('gradcheck (float64, distinct eigenvalues): eigenvalues, sign-invariant eigenvector losses, through a symmetric product', () => {
    wt.tidy(() => {
      const n = 4;
      const A = T(symmetric(n, 7), [n, n], device);
      const W = T(randomArray(n * n, 8), [n, n], device);
      const c = T(randomArray(n, 9), [n], device);
      expect(wt.testing.gradcheck((a) => wt.sum(wt.mul(wt.linalg.eigh(a).eigenvalues, c)), [A])).toEqual([]);
      expect(wt.testing.gradcheck((a) => wt.sum(wt.mul(wt.square(wt.linalg.eigh(a).eigenvectors), W)), [A])).toEqual([]);
      // A = XᵀX built on the tape: the gradient reaches X through both triangles.
      const X = T(randomArray(6 * n, 10), [6, n], device);
      const f = (x: wt.Tensor) => {
        const { eigenvalues, eigenvectors } = wt.linalg.eigh(wt.matmul(wt.transpose(x), x));
        return wt.add(wt.sum(wt.mul(wt.sqrt(eigenvalues), c)), wt.sum(wt.mul(wt.square(eigenvectors), W)));
      };
      expect(wt.testing.gradcheck(f, [X])).toEqual([]);
    });
  });

  test('bad input', () => {
    wt.tidy(() => {
      expectCode(() => wt.linalg.eigh(wt.zeros([3], { device })), 'E_SHAPE', /linalg\.eigh: argument 'A' must be \[\.\.\., n, n\]/);
      expectCode(() => wt.linalg.eigh(wt.zeros([2, 3], { device })), 'E_SHAPE', /square/);
      expectCode(() => wt.linalg.eigh(wt.zeros([2, 2], { dtype: 'complex64', device })), 'E_DTYPE', /linalg\.eigh: argument 'A'/);
      expectCode(() => wt.linalg.eigh(T([1, NaN, NaN, 1], [2, 2], device)), 'E_RANGE', /NaN or infinite/);
      expectCode(() => wt.linalg.eigh(wt.zeros([0, 0], { device })), 'E_SHAPE', /0×0/);
    });
  });
});

describe.each(devices)('signal.pca on %s', (device) => {
  test('components match a power iteration with deflation; variances, scores, mean; orthonormal columns', () => {
    wt.tidy(() => {
      const N = 40, d = 6, k = 3;
      // Anisotropic data: feature j scaled by (d − j), plus an offset.
      const raw = randomArray(N * d, 61);
      const xs = raw.map((v, i) => v * (d - (i % d)) + 0.5 * (i % d));
      const r = pca(T(xs, [N, d], device), k);
      expect(r.components.shape).toEqual([d, k]);
      const mu = Array.from({ length: d }, (_, j) => Array.from({ length: N }, (_, i) => xs[i * d + j]).reduce((s, v) => s + v, 0) / N);
      values(r.mean).forEach((m, j) => expect(m).toBeCloseTo(mu[j], 12));
      const C = new Float64Array(d * d);
      for (let i = 0; i < N; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += ((xs[i * d + a] - mu[a]) * (xs[i * d + b] - mu[b])) / (N - 1);
      const comps = values(r.components);
      const vars = values(r.explainedVariance);
      const M = Float64Array.from(C);
      for (let c = 0; c < k; c++) {
        let v: Float64Array = new Float64Array(d).fill(1);
        let lambda = 0;
        for (let it = 0; it < 3000; it++) {
          const nv = new Float64Array(d);
          for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) nv[a] += M[a * d + b] * v[b];
          lambda = Math.hypot(...nv);
          v = nv.map((x) => x / lambda);
        }
        expect(vars[c]).toBeCloseTo(lambda, 8);
        const dot = v.reduce((s, x, a) => s + x * comps[a * k + c], 0);
        expect(Math.abs(dot)).toBeCloseTo(1, 8);
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) M[a * d + b] -= lambda * v[a] * v[b];
      }
      const sc = values(r.scores);
      for (let i = 0; i < N; i++)
        for (let c = 0; c < k; c++) expect(sc[i * k + c]).toBeCloseTo(Array.from({ length: d }, (_, a) => (xs[i * d + a] - mu[a]) * comps[a * k + c]).reduce((s, v) => s + v, 0), 10);
    });
  });

  test('bad input', () => {
    wt.tidy(() => {
      expectCode(() => pca(wt.zeros([5], { device }), 1), 'E_SHAPE', /signal\.pca: argument 'X' must be \[N, d\]/);
      expectCode(() => pca(wt.zeros([5, 3], { device }), 4), 'E_RANGE', /signal\.pca: argument 'k'/);
      expectCode(() => pca(wt.zeros([1, 3], { device }), 1), 'E_SHAPE', /at least 2 samples/);
      expectCode(() => pca(wt.zeros([5, 3], { device }), 1, { center: 1 as never }), 'E_RANGE', /signal\.pca: argument 'center'/);
    });
  });
});
