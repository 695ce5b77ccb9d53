// wt.tr.doglegStep and wt.tr.steihaugCG on every device against float64 references written here
// (Gaussian elimination for the Newton point, a plain Steihaug loop per row), branch by branch.
import * as wt from '../lib';
import { codeOf, testDevices, randomArray } from './helpers';

type Mat = number[][];
const dotv = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const normv = (a: number[]) => Math.sqrt(dotv(a, a));
const matvec = (h: Mat, v: number[]) => h.map((row) => dotv(row, v));
const addv = (a: number[], t: number, b: number[]) => a.map((v, i) => v + t * b[i]);

/** x with H·x = b by Gaussian elimination with partial pivoting. */
function solve(h: Mat, b: number[]): number[] {
  const n = b.length;
  const a = h.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (a[r][n] - dotv(a[r].slice(r + 1, n), x.slice(r + 1))) / a[r][r];
  return x;
}

/** Both roots t of ‖z + t·p‖ = Δ, smaller first (the quadratic formula). */
function roots(z: number[], p: number[], delta: number): [number, number] {
  const a = dotv(p, p), b = 2 * dotv(z, p), c = dotv(z, z) - delta * delta;
  const s = Math.sqrt(b * b - 4 * a * c);
  return [(-b - s) / (2 * a), (-b + s) / (2 * a)];
}

function doglegRef(g: number[], h: Mat, delta: number): { step: number[]; branch: string } {
  const pN = solve(h, g.map((v) => -v));
  if (normv(pN) < delta) return { step: pN, branch: 'newton' };
  const pU = g.map((v) => (-dotv(g, g) / dotv(g, matvec(h, g))) * v);
  if (normv(pU) >= delta) return { step: pU.map((v) => (v * delta) / normv(pU)), branch: 'cauchy' };
  const d = addv(pN, -1, pU);
  return { step: addv(pU, roots(pU, d, delta)[1], d), branch: 'segment' };
}

function steihaugRef(g: number[], h: Mat, delta: number, maxIter: number): { step: number[]; onBoundary: boolean; how: string } {
  const gn = normv(g);
  const tol = Math.min(0.5, Math.sqrt(gn)) * gn;
  if (gn < tol) return { step: g.map(() => 0), onBoundary: false, how: 'zero' };
  const model = (p: number[]) => dotv(g, p) + 0.5 * dotv(p, matvec(h, p));
  let z = g.map(() => 0), r = [...g], d = g.map((v) => -v);
  for (let it = 0; ; it++) {
    const bd = matvec(h, d);
    const dbd = dotv(d, bd);
    if (dbd <= 0) {
      const [ta, tb] = roots(z, d, delta);
      const pa = addv(z, ta, d), pb = addv(z, tb, d);
      return { step: model(pa) < model(pb) ? pa : pb, onBoundary: true, how: 'negative curvature' };
    }
    const alpha = dotv(r, r) / dbd;
    const zn = addv(z, alpha, d);
    if (normv(zn) >= delta) return { step: addv(z, roots(z, d, delta)[1], d), onBoundary: true, how: 'boundary' };
    const rn = addv(r, alpha, bd);
    if (normv(rn) < tol || it + 1 >= maxIter) return { step: zn, onBoundary: false, how: 'converged' };
    d = addv(rn.map((v) => -v), dotv(rn, rn) / dotv(r, r), d);
    z = zn;
    r = rn;
  }
}

/** A random symmetric matrix with eigenvalues `eig` (a product of reflections Q·diag·Qᵀ). */
function symmetric(eig: number[], seed: number): Mat {
  const n = eig.length;
  let q: Mat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let k = 0; k < 3; k++) {
    const u = Array.from(randomArray(n, seed + k));
    const uu = dotv(u, u);
    q = q.map((row) => { const t = (2 * dotv(row, u)) / uu; return row.map((v, j) => v - t * u[j]); });
  }
  return q.map((qi) => q.map((qj) => qi.reduce((s, v, k) => s + v * eig[k] * qj[k], 0)));
}

const modelOf = (g: number[], h: Mat, s: number[]) => -(dotv(g, s) + 0.5 * dotv(s, matvec(h, s)));
const expectNear = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
};

describe.each(testDevices())('%s', (device) => {
  const d = 4;
  const t = (data: number[], shape: number[]) => wt.tensor(data, shape, { dtype: 'float64', device });

  test('doglegStep with dense models: the Newton point inside, the scaled Cauchy point, the segment crossing', () => {
    // Same model per pair of rows, three radii: huge (Newton), tiny (Cauchy), in between (segment).
    const hs = [symmetric([0.5, 1, 2, 4], 3), symmetric([0.2, 0.3, 5, 9], 7)];
    const gs = [Array.from(randomArray(d, 11)), Array.from(randomArray(d, 12))];
    const rows: { g: number[]; h: Mat; delta: number }[] = [];
    for (let k = 0; k < 2; k++) {
      const pN = solve(hs[k], gs[k].map((v) => -v));
      const pU = gs[k].map((v) => (-dotv(gs[k], gs[k]) / dotv(gs[k], matvec(hs[k], gs[k]))) * v);
      for (const delta of [2 * normv(pN), 0.5 * normv(pU), 0.5 * (normv(pU) + normv(pN))]) rows.push({ g: gs[k], h: hs[k], delta });
    }
    wt.tidy(() => {
      const out = wt.tr.doglegStep(t(rows.flatMap((r) => r.g), [rows.length, d]), { hess: t(rows.flatMap((r) => r.h.flat()), [rows.length, d, d]) },
        t(rows.map((r) => r.delta), [rows.length]));
      const step = out.step.dataSync(), predicted = out.predicted.dataSync(), onBoundary = out.onBoundary.dataSync();
      const branches = rows.map((r, i) => {
        const ref = doglegRef(r.g, r.h, r.delta);
        expectNear(step.slice(i * d, (i + 1) * d), ref.step, 1e-10);
        expect(predicted[i]).toBeCloseTo(modelOf(r.g, r.h, ref.step), 10);
        expect(onBoundary[i]).toBe(ref.branch === 'newton' ? 0 : 1);
        if (ref.branch !== 'newton') expect(normv(ref.step)).toBeCloseTo(r.delta, 12);
        return ref.branch;
      });
      expect(branches).toEqual(['newton', 'cauchy', 'segment', 'newton', 'cauchy', 'segment']);
    });
  });

  test('doglegStep with a diagonal model equals the dense model diag(d), leading batch axes and a scalar radius', () => {
    wt.tidy(() => {
      const g = Array.from(randomArray(2 * 3 * d, 5));
      const diag = Array.from(randomArray(2 * 3 * d, 6, 0.2, 3));
      const dense = Array.from({ length: 6 }, (_, r) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? diag[r * d + i] : 0)))).flat(2);
      const a = wt.tr.doglegStep(t(g, [2, 3, d]), { hessDiag: t(diag, [2, 3, d]) }, 0.4);
      const b = wt.tr.doglegStep(t(g, [2, 3, d]), { hess: t(dense, [2, 3, d, d]) }, 0.4);
      expect(a.step.shape).toEqual([2, 3, d]);
      expect(a.predicted.shape).toEqual([2, 3]);
      expectNear(a.step.dataSync(), b.step.dataSync(), 1e-12);
      expectNear(a.predicted.dataSync(), b.predicted.dataSync(), 1e-12);
      expect(Array.from(a.onBoundary.dataSync())).toEqual(Array.from(b.onBoundary.dataSync()));
      for (let r = 0; r < 6; r++) {
        const h = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? diag[r * d + i] : 0)));
        expectNear(a.step.dataSync().slice(r * d, (r + 1) * d), doglegRef(g.slice(r * d, (r + 1) * d), h, 0.4).step, 1e-10);
      }
    });
  });

  test('doglegStep: g = 0 gives a zero step and zero predicted reduction', () => {
    wt.tidy(() => {
      const out = wt.tr.doglegStep(t([0, 0, 0, 0], [1, d]), { hess: t(symmetric([1, 2, 3, 4], 1).flat(), [1, d, d]) }, 1);
      expect(Array.from(out.step.dataSync()).every((v) => v === 0)).toBe(true);
      expect(out.predicted.dataSync()[0]).toBe(0);
      expect(out.onBoundary.dataSync()[0]).toBe(0);
    });
  });

  test('steihaugCG: negative curvature, the boundary and interior convergence, rows in lockstep', () => {
    const hs = [symmetric([-1, 0.5, 2, 3], 21), symmetric([1, 2, 3, 4], 22), symmetric([0.5, 1, 1.5, 2], 23), symmetric([2, 3, 50, 60], 24)];
    const gs = hs.map((_, k) => Array.from(randomArray(d, 30 + k)));
    const deltas = [1, 0.05, 100, 100];
    wt.tidy(() => {
      const H = t(hs.flatMap((h) => h.flat()), [hs.length, d, d]);
      const hvp = (v: wt.Tensor) => wt.squeeze(wt.matmul(H, wt.expandDims(v, -1)), -1);
      const out = wt.tr.steihaugCG(t(gs.flat(), [hs.length, d]), hvp, t(deltas, [hs.length]));
      const step = out.step.dataSync(), predicted = out.predicted.dataSync(), onBoundary = out.onBoundary.dataSync();
      const hows = hs.map((h, i) => {
        const ref = steihaugRef(gs[i], h, deltas[i], 2 * d);
        expectNear(step.slice(i * d, (i + 1) * d), ref.step, 1e-10);
        expect(predicted[i]).toBeCloseTo(modelOf(gs[i], h, ref.step), 10);
        expect(onBoundary[i]).toBe(ref.onBoundary ? 1 : 0);
        return ref.how;
      });
      expect(new Set(hows)).toEqual(new Set(['negative curvature', 'boundary', 'converged']));
    });
  });

  test('steihaugCG: tol and maxIter options, a scalar radius', () => {
    const h = symmetric([1, 10, 100, 1000], 41);
    const g = Array.from(randomArray(d, 42));
    wt.tidy(() => {
      const H = t(h.flat(), [d, d]);
      const hvp = (v: wt.Tensor) => wt.matmul(H, v);
      const one = wt.tr.steihaugCG(t(g, [d]), hvp, 1e3, { maxIter: 1 });
      expectNear(one.step.dataSync(), steihaugRef(g, h, 1e3, 1).step, 1e-10);
      const exact = wt.tr.steihaugCG(t(g, [d]), hvp, 1e3, { tol: 1e-12, maxIter: 50 });
      expectNear(exact.step.dataSync(), solve(h, g.map((v) => -v)), 1e-8);
      expect(exact.onBoundary.shape).toEqual([]);
    });
  });

  test('bad input', () => {
    wt.tidy(() => {
      const g = t([1, 2, 3, 4, 5, 6, 7, 8], [2, d]);
      const notPd = t([...symmetric([1, 2, 3, 4], 1).flat(), ...symmetric([1, -2, 3, 4], 2).flat()], [2, d, d]);
      expect(codeOf(() => wt.tr.doglegStep(g, { hess: notPd }, 1))).toBe('E_RANGE');
      expect(() => wt.tr.doglegStep(g, { hess: notPd }, 1)).toThrow(/tr\.doglegStep.*'hess'.*row 1/);
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: t([1, 1, 1, 1, 1, 0, 1, 1], [2, d]) }, 1))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: t([1, 1, 1, 1], [1, d]) }, 1))).toBe('E_SHAPE');
      expect(codeOf(() => wt.tr.doglegStep(g, {}, 1))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: g, hess: notPd }, 1))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: g }, 0))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: g }, t([1, -1], [2])))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.doglegStep(g, { hessDiag: wt.ones([2, d], { device }) }, 1))).toBe('E_DTYPE');
      const hvp = (v: wt.Tensor) => v;
      expect(codeOf(() => wt.tr.steihaugCG(g, hvp, Infinity))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.steihaugCG(g, hvp, t([1, NaN], [2])))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.steihaugCG(g, (v) => wt.sum(v), 1))).toBe('E_SHAPE');
      expect(codeOf(() => wt.tr.steihaugCG(g, (() => 3) as never, 1))).toBe('E_DTYPE');
      expect(codeOf(() => wt.tr.steihaugCG(g, hvp, 1, { maxIter: 0 }))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.steihaugCG(g, hvp, 1, { tol: -1 }))).toBe('E_RANGE');
      expect(codeOf(() => wt.tr.steihaugCG(g, 'f' as never, 1))).not.toBe('no error');
      const x = wt.variable(g);
      expect(codeOf(() => wt.grad((v: wt.Tensor) => wt.sum(wt.tr.doglegStep(v, { hessDiag: g }, 1).step))(x))).toBe('E_RANGE');
      x.dispose();
    });
  });
});
