// The soft-DTW family's public API (softDtw, softDtwPairwise, softDtwPairs, softDtwFromCost,
// softDtwAlignment, dtw, dtwPath) on every device, against float64 references written here: the
// band rule of docs/sdtw.md, brute force over all alignment paths, and the Cuturi–Blondel recursion.
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray, expectClose, relRms } from './helpers';
import { T, values, expectCode, weightedSum, expectGrad } from './ndref';

// ---------------------------------------------------------------- float64 references

/** Whether cell (i, j) of an n×m pair is admissible under radius r (null: no band). */
function admissible(n: number, m: number, r: number | null, i: number, j: number): boolean {
  if (r === null) return true;
  return Math.abs(2 * j * (n - 1) - 2 * i * (m - 1)) <= Math.max(2 * r * (n - 1), Math.max(n - 1, m - 1));
}

/** The admissible columns [lo, hi] of each row, by scanning {@link admissible} (small shapes). */
function scanRows(n: number, m: number, r: number | null): [number, number][] {
  const rows: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    let lo = -1;
    let hi = -1;
    for (let j = 0; j < m; j++)
      if (admissible(n, m, r, i, j)) {
        if (lo < 0) lo = j;
        hi = j;
      }
    rows.push([lo, hi]);
  }
  return rows;
}

/** The admissible columns of each row in closed form (for long series; checked against scanRows). */
function bandRows(n: number, m: number, r: number | null): [number, number][] {
  const rows: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (r === null || n === 1) {
      rows.push([0, m - 1]);
      continue;
    }
    const w = Math.max(2 * r * (n - 1), Math.max(n - 1, m - 1));
    const c = 2 * i * (m - 1);
    rows.push([Math.max(0, Math.ceil((c - w) / (2 * (n - 1)))), Math.min(m - 1, Math.floor((c + w) / (2 * (n - 1))))]);
  }
  return rows;
}

/** Squared Euclidean cost of series x [n, D] and y [m, D] (row-major), n×m row-major. */
function sqCost(x: ArrayLike<number>, y: ArrayLike<number>, n: number, m: number, D: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += (x[i * D + d] - y[j * D + d]) ** 2;
      C[i * m + j] = s;
    }
  return C;
}

interface Brute {
  /** soft-DTW: −γ·log Σ_paths exp(−cost/γ). */
  value: number;
  /** The cheapest path's cost (hard DTW). */
  hard: number;
  /** Number of admissible monotone paths. */
  paths: number;
  /** Expected alignment: the Gibbs probability that a path passes through each cell, n×m. */
  E: Float64Array;
}

/** Enumerates every monotone path through admissible cells from (0, 0) to (n−1, m−1). */
function bruteForce(C: Float64Array, n: number, m: number, gamma: number, r: number | null): Brute {
  const costs: number[] = [];
  const cells: number[][] = [];
  const walk = (i: number, j: number, acc: number, path: number[]) => {
    path.push(i * m + j);
    acc += C[i * m + j];
    if (i === n - 1 && j === m - 1) {
      costs.push(acc);
      cells.push(path.slice());
    } else
      for (const [di, dj] of [[1, 0], [0, 1], [1, 1]]) {
        const a = i + di;
        const b = j + dj;
        if (a < n && b < m && admissible(n, m, r, a, b)) walk(a, b, acc, path);
      }
    path.pop();
  };
  walk(0, 0, 0, []);
  const hard = costs.reduce((a, b) => Math.min(a, b), Infinity);
  const w = costs.map((c) => Math.exp(-(c - hard) / gamma));
  const Z = w.reduce((a, b) => a + b, 0);
  const E = new Float64Array(n * m);
  cells.forEach((p, k) => p.forEach((c) => (E[c] += w[k] / Z)));
  return { value: hard - gamma * Math.log(Z), hard, paths: costs.length, E };
}

/** Number of admissible monotone paths (float64, by dynamic programming). */
function countPaths(n: number, m: number, r: number | null): number {
  const N = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      if (!admissible(n, m, r, i, j)) continue;
      if (i === 0 && j === 0) N[0] = 1;
      else N[i * m + j] = (i > 0 ? N[(i - 1) * m + j] : 0) + (j > 0 ? N[i * m + j - 1] : 0) + (i > 0 && j > 0 ? N[(i - 1) * m + j - 1] : 0);
    }
  return N[n * m - 1];
}

interface Recursion {
  value: number;
  /** E[i][j] for j in the row's range, as sparse rows. */
  E: (i: number, j: number) => number;
  /** ∂value/∂x [n, D] and ∂value/∂y [m, D] for the squared Euclidean cost. */
  gx: Float64Array;
  gy: Float64Array;
}

/**
 * The Cuturi–Blondel recursion (their Algorithms 1 and 2) in float64 on the rows of the band,
 * R = +∞ outside it; γ = 0 is hard DTW (E the indicator of the optimal path, first-found at ties).
 * x [n, D], y [m, D] row-major.
 */
function recursion(x: ArrayLike<number>, y: ArrayLike<number>, n: number, m: number, D: number, gamma: number, r: number | null): Recursion {
  const rows = bandRows(n, m, r);
  const start: number[] = [0];
  rows.forEach(([lo, hi]) => start.push(start[start.length - 1] + hi - lo + 1));
  const size = start[n];
  const Rv = new Float64Array(size);
  const Cv = new Float64Array(size);
  const Ev = new Float64Array(size);
  const at = (i: number, j: number) => (i < 0 || i >= n || j < rows[i][0] || j > rows[i][1] ? -1 : start[i] + j - rows[i][0]);
  const R = (i: number, j: number) => {
    if (i === -1 && j === -1) return 0;
    const k = at(i, j);
    return k < 0 ? Infinity : Rv[k];
  };
  for (let i = 0; i < n; i++)
    for (let j = rows[i][0]; j <= rows[i][1]; j++) {
      let c = 0;
      for (let d = 0; d < D; d++) c += (x[i * D + d] - y[j * D + d]) ** 2;
      const a = R(i - 1, j - 1);
      const b = R(i - 1, j);
      const e = R(i, j - 1);
      const mn = Math.min(a, b, e);
      const soft = gamma === 0 ? mn : mn - gamma * Math.log(Math.exp(-(a - mn) / gamma) + Math.exp(-(b - mn) / gamma) + Math.exp(-(e - mn) / gamma));
      const k = at(i, j);
      Cv[k] = c;
      Rv[k] = c + soft;
    }
  Ev[at(n - 1, m - 1)] = 1;
  for (let i = n - 1; i >= 0; i--)
    for (let j = rows[i][1]; j >= rows[i][0]; j--) {
      if (i === n - 1 && j === m - 1) continue;
      const k = at(i, j);
      let e = 0;
      for (const [a, b] of [[i + 1, j], [i, j + 1], [i + 1, j + 1]]) {
        const s = at(a, b);
        if (s < 0 || Ev[s] === 0) continue;
        const arg = Rv[s] - Rv[k] - Cv[s];
        e += Ev[s] * (gamma === 0 ? (arg === 0 ? 1 : 0) : Math.exp(arg / gamma));
      }
      Ev[k] = e;
    }
  const gx = new Float64Array(n * D);
  const gy = new Float64Array(m * D);
  for (let i = 0; i < n; i++)
    for (let j = rows[i][0]; j <= rows[i][1]; j++) {
      const w = Ev[at(i, j)];
      if (w === 0) continue;
      for (let d = 0; d < D; d++) {
        const g = 2 * w * (x[i * D + d] - y[j * D + d]);
        gx[i * D + d] += g;
        gy[j * D + d] -= g;
      }
    }
  return { value: Rv[at(n - 1, m - 1)], E: (i, j) => (at(i, j) < 0 ? 0 : Ev[at(i, j)]), gx, gy };
}

/** The optimal path as tslearn's dtw_path finds it: full accumulated matrix, backtrack diagonal-first. */
function tslearnPath(C: Float64Array, n: number, m: number, r: number | null): [number, number][] {
  const acc = new Float64Array(n * m).fill(Infinity);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      if (!admissible(n, m, r, i, j)) continue;
      const prev = i === 0 && j === 0 ? 0 : Math.min(i > 0 && j > 0 ? acc[(i - 1) * m + j - 1] : Infinity, i > 0 ? acc[(i - 1) * m + j] : Infinity, j > 0 ? acc[i * m + j - 1] : Infinity);
      acc[i * m + j] = C[i * m + j] + prev;
    }
  const path: [number, number][] = [[n - 1, m - 1]];
  let [i, j] = [n - 1, m - 1];
  while (i > 0 || j > 0) {
    if (i === 0) j--;
    else if (j === 0) i--;
    else {
      const c = [acc[(i - 1) * m + j - 1], acc[(i - 1) * m + j], acc[i * m + j - 1]];
      const k = c.indexOf(Math.min(...c));
      if (k === 0) [i, j] = [i - 1, j - 1];
      else if (k === 1) i--;
      else j--;
    }
    path.push([i, j]);
  }
  return path.reverse();
}

/** Rows b of a [B, T, D] row-major buffer, cropped to the first `len` steps. */
function series(data: ArrayLike<number>, b: number, T: number, D: number, len = T): Float64Array {
  return Float64Array.from({ length: len * D }, (_, k) => data[b * T * D + k]);
}

// ---------------------------------------------------------------- helpers

const devices = testDevices();
type F = 'float32' | 'float64';

/** A [B, T, D] batch of random series (values in [lo, hi)) as data and tensor. */
function batch(B: number, Tn: number, D: number, seed: number, device: string, dtype: F = 'float64', lo = -1, hi = 1) {
  const data = randomArray(B * Tn * D, seed, lo, hi);
  if (dtype === 'float32') for (let k = 0; k < data.length; k++) data[k] = Math.fround(data[k]);
  return { data, t: T(data, [B, Tn, D], device, dtype) };
}

const lengthsT = (ls: number[], device: string) => T(ls, [ls.length], device, 'int32');

/** Gradients of Σ_b w_b·f(x, y)_b w.r.t. x and y, with fixed weights w. */
function grads(f: (x: wt.Tensor, y: wt.Tensor) => wt.Tensor, x: wt.Tensor, y: wt.Tensor, w: ArrayLike<number>): [number[], number[]] {
  return wt.tidy(() => {
    const [gx, gy] = wt.grad((a: wt.Tensor, b: wt.Tensor) => {
      const v = f(a, b);
      return wt.sum(wt.mul(v, T(w, v.shape, v.device, v.dtype)));
    }, { argnums: [0, 1] })(x, y) as wt.Tensor[];
    return [values(gx), values(gy)];
  });
}

/** Reference soft-DTW and gradients for a batch of pairs (b, b), each with its own lengths. */
function refBatch(xd: ArrayLike<number>, yd: ArrayLike<number>, B: number, Tx: number, Ty: number, D: number, gamma: number, r: number | null, lx?: number[], ly?: number[]) {
  const vals: number[] = [];
  const gx = new Float64Array(B * Tx * D);
  const gy = new Float64Array(B * Ty * D);
  const recs: Recursion[] = [];
  for (let b = 0; b < B; b++) {
    const n = lx ? lx[b] : Tx;
    const m = ly ? ly[b] : Ty;
    const rec = recursion(series(xd, b, Tx, D, n), series(yd, b, Ty, D, m), n, m, D, gamma, r);
    recs.push(rec);
    vals.push(rec.value);
    rec.gx.forEach((v, k) => (gx[b * Tx * D + k] = v));
    rec.gy.forEach((v, k) => (gy[b * Ty * D + k] = v));
  }
  return { vals, gx, gy, recs };
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => Math.max(s, Math.abs(v)), 0);

// ---------------------------------------------------------------- the references themselves

describe('the band rule (the reference every test uses)', () => {
  test('rows are contiguous, non-decreasing and connected, both corners are admissible, n = m gives |i − j| <= r', () => {
    const bad: number[][] = [];
    for (let n = 1; n <= 12; n++)
      for (let m = 1; m <= 12; m++)
        for (const r of [0, 1, 2, 3, 5]) {
          const rows = scanRows(n, m, r);
          if (JSON.stringify(rows) !== JSON.stringify(bandRows(n, m, r))) bad.push([n, m, r, -1]);
          let ok = rows[0][0] === 0 && rows[n - 1][1] === m - 1;
          for (let i = 0; i < n; i++) for (let j = rows[i][0]; j <= rows[i][1]; j++) ok &&= admissible(n, m, r, i, j);
          // Non-decreasing ends, and a monotone step joins consecutive rows.
          for (let i = 1; i < n; i++) ok &&= rows[i][0] >= rows[i - 1][0] && rows[i][1] >= rows[i - 1][1] && rows[i][0] <= rows[i - 1][1] + 1;
          if (n === m) for (let i = 0; i < n; i++) ok &&= rows[i][0] === Math.max(0, i - r) && rows[i][1] === Math.min(m - 1, i + r);
          if (!ok) bad.push([n, m, r]);
        }
    expect(bad).toEqual([]);
  });

  test('every admissible cell lies on a monotone path from (0, 0) to the end cell (3x5 r=0, 2x6 r=1 and all shapes to 16x16)', () => {
    const shapes: [number, number, number][] = [[3, 5, 0], [2, 6, 1], [5, 3, 0], [6, 2, 1]];
    for (let n = 1; n <= 16; n++) for (let m = 1; m <= 16; m++) for (const r of [0, 1, 2, 4]) shapes.push([n, m, r]);
    const bad: number[][] = [];
    for (const [n, m, r] of shapes) {
      // On a path iff reachable from (0, 0) by monotone steps and the end cell reachable from it.
      const from = new Uint8Array(n * m);
      const to = new Uint8Array(n * m);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++)
          from[i * m + j] = Number(admissible(n, m, r, i, j) && ((i === 0 && j === 0) || (i > 0 && from[(i - 1) * m + j] === 1) || (j > 0 && from[i * m + j - 1] === 1) || (i > 0 && j > 0 && from[(i - 1) * m + j - 1] === 1)));
      for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
          to[i * m + j] = Number(admissible(n, m, r, i, j) && ((i === n - 1 && j === m - 1) || (i < n - 1 && to[(i + 1) * m + j] === 1) || (j < m - 1 && to[i * m + j + 1] === 1) || (i < n - 1 && j < m - 1 && to[(i + 1) * m + j + 1] === 1)));
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if ((from[i * m + j] === 1 && to[i * m + j] === 1) !== admissible(n, m, r, i, j)) bad.push([n, m, r, i, j]);
    }
    expect(bad).toEqual([]);
  });

  test('the recursion agrees with brute force (values, alignments), and countPaths with the enumeration', () => {
    for (const [n, m] of [[3, 4], [4, 4], [2, 5], [5, 2]])
      for (const r of [null, 0, 1])
        for (const gamma of [0.3, 2]) {
          const x = randomArray(n * 2, n * 7 + m, -1, 1);
          const y = randomArray(m * 2, n + m * 13, -1, 1);
          const C = sqCost(x, y, n, m, 2);
          const brute = bruteForce(C, n, m, gamma, r);
          const rec = recursion(x, y, n, m, 2, gamma, r);
          expect(Math.abs(rec.value - brute.value)).toBeLessThan(1e-12 * (1 + Math.abs(brute.value)));
          for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(Math.abs(rec.E(i, j) - brute.E[i * m + j])).toBeLessThan(1e-12);
          expect(countPaths(n, m, r)).toBe(brute.paths);
          expect(recursion(x, y, n, m, 2, 0, r).value).toBeCloseTo(brute.hard, 12);
        }
  });
});

// ---------------------------------------------------------------- values on every device

describe.each(devices)('soft-DTW on %s', (device) => {
  const small = isKernelDevice(device);

  test('values, alignments and gradients equal brute force over all paths (tiny shapes, with and without band)', () => {
    const shapes: [number, number][] = [[1, 1], [1, 4], [4, 1], [2, 3], [3, 3], [3, 5], [2, 6], [4, 4], [5, 3]];
    for (const [n, m] of shapes)
      for (const r of [null, 0, 1, 2])
        for (const gamma of [0.1, 1, 5]) {
          const seed = n * 100 + m * 10 + (r ?? 9);
          const x = batch(2, n, 2, seed, device);
          const y = batch(2, m, 2, seed + 1, device);
          const opts = { gamma, band: r };
          const v = wt.tidy(() => values(wt.softDtw(x.t, y.t, opts)));
          const E = wt.tidy(() => values(wt.softDtwAlignment(x.t, y.t, opts)));
          const hard = wt.tidy(() => values(wt.dtw(x.t, y.t, { band: r })));
          const [gx, gy] = grads((a, b) => wt.softDtw(a, b, opts), x.t, y.t, [1, -2]);
          for (let b = 0; b < 2; b++) {
            const C = sqCost(series(x.data, b, n, 2), series(y.data, b, m, 2), n, m, 2);
            const ref = bruteForce(C, n, m, gamma, r);
            expect(Math.abs(v[b] - ref.value)).toBeLessThan(1e-10 * (1 + Math.abs(ref.value)));
            expect(Math.abs(hard[b] - ref.hard)).toBeLessThan(1e-10 * (1 + ref.hard));
            for (let k = 0; k < n * m; k++) expect(Math.abs(E[b * n * m + k] - ref.E[k])).toBeLessThan(1e-10);
            // ∂/∂x_i = Σ_j E[i, j]·2(x_i − y_j), ∂/∂y_j = −Σ_i E[i, j]·2(x_i − y_j), times the weight.
            const wx = new Float64Array(n * 2);
            const wy = new Float64Array(m * 2);
            for (let i = 0; i < n; i++)
              for (let j = 0; j < m; j++)
                for (let d = 0; d < 2; d++) {
                  const g = (b === 0 ? 1 : -2) * ref.E[i * m + j] * 2 * (x.data[(b * n + i) * 2 + d] - y.data[(b * m + j) * 2 + d]);
                  wx[i * 2 + d] += g;
                  wy[j * 2 + d] -= g;
                }
            expectClose(gx.slice(b * n * 2, (b + 1) * n * 2), wx, 1e-10, 1e-10);
            expectClose(gy.slice(b * m * 2, (b + 1) * m * 2), wy, 1e-10, 1e-10);
          }
          x.t.dispose();
          y.t.dispose();
        }
  });

  test('float32 inputs match the float64 reference', () => {
    const [B, n, m, D] = small ? [3, 9, 7, 2] : [4, 60, 45, 3];
    for (const r of [null, 2]) {
      const x = batch(B, n, D, 11, device, 'float32');
      const y = batch(B, m, D, 12, device, 'float32');
      const v = values(wt.softDtw(x.t, y.t, { gamma: 0.5, band: r }));
      const [gx, gy] = grads((a, b) => wt.softDtw(a, b, { gamma: 0.5, band: r }), x.t, y.t, [1, -0.5, 0.25, 2].slice(0, B));
      const ref = refBatch(x.data, y.data, B, n, m, D, 0.5, r);
      const g = new Float64Array(B);
      g.set([1, -0.5, 0.25, 2].slice(0, B));
      // Σ C along the cheapest path bounds |R| and the rounding of every partial sum.
      ref.vals.forEach((e, b) => expect(Math.abs(v[b] - e)).toBeLessThan(2e-5 * (1 + Math.abs(recursion(series(x.data, b, n, D), series(y.data, b, m, D), n, m, D, 0, r).value))));
      const wx = ref.gx.map((val, k) => val * g[Math.floor(k / (n * D))]);
      const wy = ref.gy.map((val, k) => val * g[Math.floor(k / (m * D))]);
      expect(relRms(gx, wx)).toBeLessThan(1e-4);
      expect(relRms(gy, wy)).toBeLessThan(1e-4);
      x.t.dispose();
      y.t.dispose();
    }
  });

  test('gamma -> 0 gives hard DTW, and DTW − γ·log(#paths) <= sdtw <= DTW', () => {
    const [n, m] = small ? [6, 8] : [30, 41];
    for (const r of [null, 0, 3]) {
      const x = batch(3, n, 1, 21, device);
      const y = batch(3, m, 1, 22, device);
      const hard = values(wt.dtw(x.t, y.t, { band: r }));
      const logPaths = Math.log(countPaths(n, m, r));
      for (let b = 0; b < 3; b++) {
        const ref = recursion(series(x.data, b, n, 1), series(y.data, b, m, 1), n, m, 1, 0, r).value;
        expect(Math.abs(hard[b] - ref)).toBeLessThan(1e-12 * (1 + ref));
      }
      for (const gamma of [1e-4, 0.01, 0.1, 1, 10]) {
        const soft = values(wt.softDtw(x.t, y.t, { gamma, band: r }));
        for (let b = 0; b < 3; b++) {
          const slack = 1e-12 * (1 + hard[b]);
          expect(soft[b]).toBeLessThanOrEqual(hard[b] + slack);
          expect(soft[b]).toBeGreaterThanOrEqual(hard[b] - gamma * logPaths - slack);
        }
      }
    }
  });

  test('band 0 with equal lengths gives the diagonal-path sum for every γ', () => {
    const n = small ? 7 : 50;
    const x = batch(2, n, 3, 31, device);
    const y = batch(2, n, 3, 32, device);
    for (const gamma of [0.01, 1, 100]) {
      const v = values(wt.softDtw(x.t, y.t, { gamma, band: 0 }));
      for (let b = 0; b < 2; b++) {
        let diag = 0;
        for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) diag += (x.data[(b * n + i) * 3 + d] - y.data[(b * n + i) * 3 + d]) ** 2;
        expect(Math.abs(v[b] - diag)).toBeLessThan(1e-12 * diag);
      }
    }
    expect(values(wt.dtw(x.t, y.t, { band: 0 }))).toEqual(values(wt.softDtw(x.t, y.t, { gamma: 1, band: 0 })).map((v) => expect.closeTo(v, 10)));
  });

  test('values and gradients equal the float64 O(Tx·Ty) recursion at moderate sizes', () => {
    const cases: [number, number, number, number | null, number][] = small
      ? [[10, 10, 2, null, 1], [9, 13, 1, 2, 0.3], [14, 6, 3, 1, 2]]
      : [[64, 64, 2, null, 1], [57, 80, 3, 5, 0.3], [90, 33, 1, 0, 2], [48, 48, 8, 10, 0.05]];
    for (const [n, m, D, r, gamma] of cases) {
      const B = 3;
      const x = batch(B, n, D, n + m, device);
      const y = batch(B, m, D, n * m, device);
      const w = [1, -2, 0.5];
      const v = values(wt.softDtw(x.t, y.t, { gamma, band: r }));
      const [gx, gy] = grads((a, b) => wt.softDtw(a, b, { gamma, band: r }), x.t, y.t, w);
      const ref = refBatch(x.data, y.data, B, n, m, D, gamma, r);
      expectClose(v, ref.vals, 1e-10, 1e-11);
      expectClose(gx, ref.gx.map((g, k) => g * w[Math.floor(k / (n * D))]), 1e-9, 1e-9);
      expectClose(gy, ref.gy.map((g, k) => g * w[Math.floor(k / (m * D))]), 1e-9, 1e-9);
      x.t.dispose();
      y.t.dispose();
    }
  });

  test('the alignment is > 0 on every admissible cell and exactly 0 on every other (3x5 r=0, 2x6 r=1, ...)', () => {
    const shapes: [number, number, number][] = [[3, 5, 0], [2, 6, 1], [5, 3, 0], [6, 2, 1], [7, 12, 1], [12, 7, 2], [8, 8, 0], [1, 6, 0], [6, 1, 0], [9, 4, 3]];
    for (const [n, m, r] of shapes) {
      // Small costs and a large γ: every path keeps a probability far above underflow.
      const x = batch(1, n, 1, n * 3 + m, device, 'float64', -0.1, 0.1);
      const y = batch(1, m, 1, n + m * 5, device, 'float64', -0.1, 0.1);
      const E = values(wt.softDtwAlignment(x.t, y.t, { gamma: 10, band: r }));
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect([i, j, E[i * m + j] > 0]).toEqual([i, j, admissible(n, m, r, i, j)]);
      expect(E[0]).toBeCloseTo(1, 12);
      expect(E[n * m - 1]).toBeCloseTo(1, 12);
      // Every antidiagonal-crossing cut carries the whole path mass: each row's sum is at least... each path visits row i.
      for (let i = 0; i < n; i++) expect(E.slice(i * m, (i + 1) * m).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1 - 1e-12);
      x.t.dispose();
      y.t.dispose();
    }
  });

  test('per-pair lengths equal the cropped series, with and without band; gradients past the lengths are exactly 0', () => {
    const [Tx, Ty, D] = small ? [9, 11, 2] : [40, 52, 3];
    const lx = small ? [9, 4, 1, 6] : [40, 17, 1, 33];
    const ly = small ? [11, 2, 7, 6] : [52, 5, 30, 33];
    const B = 4;
    const x = batch(B, Tx, D, 41, device);
    const y = batch(B, Ty, D, 42, device);
    // Padding holds large values: they must never enter a value or a gradient.
    for (let b = 0; b < B; b++) {
      for (let k = lx[b] * D; k < Tx * D; k++) x.data[b * Tx * D + k] = 1e3 * (1 + (k % 3));
      for (let k = ly[b] * D; k < Ty * D; k++) y.data[b * Ty * D + k] = -1e3;
    }
    const xt = T(x.data, [B, Tx, D], device);
    const yt = T(y.data, [B, Ty, D], device);
    for (const r of [null, 0, 2]) {
      const opts = { gamma: 0.7, band: r, lengthsX: lengthsT(lx, device), lengthsY: lengthsT(ly, device) };
      const v = values(wt.softDtw(xt, yt, opts));
      const w = [1, 0.5, -1, 2];
      const [gx, gy] = grads((a, b) => wt.softDtw(a, b, opts), xt, yt, w);
      const ref = refBatch(x.data, y.data, B, Tx, Ty, D, 0.7, r, lx, ly);
      expectClose(v, ref.vals, 1e-10, 1e-11);
      expectClose(gx, ref.gx.map((g, k) => g * w[Math.floor(k / (Tx * D))]), 1e-9, 1e-9);
      expectClose(gy, ref.gy.map((g, k) => g * w[Math.floor(k / (Ty * D))]), 1e-9, 1e-9);
      for (let b = 0; b < B; b++) {
        // Exactly zero (-0 where the pair's cotangent w[b] is negative: a zero scaled by it).
        for (let k = lx[b] * D; k < Tx * D; k++) expect(Math.abs(gx[b * Tx * D + k])).toBe(0);
        for (let k = ly[b] * D; k < Ty * D; k++) expect(Math.abs(gy[b * Ty * D + k])).toBe(0);
        // The cropped pair on its own gives the same value.
        const cx = T(series(x.data, b, Tx, D, lx[b]), [1, lx[b], D], device);
        const cy = T(series(y.data, b, Ty, D, ly[b]), [1, ly[b], D], device);
        expect(Math.abs(values(wt.softDtw(cx, cy, { gamma: 0.7, band: r }))[0] - v[b])).toBeLessThan(1e-11 * (1 + Math.abs(v[b])));
        cx.dispose();
        cy.dispose();
      }
      const E = values(wt.softDtwAlignment(xt, yt, opts));
      for (let b = 0; b < B; b++)
        for (let i = 0; i < Tx; i++)
          for (let j = 0; j < Ty; j++) if (i >= lx[b] || j >= ly[b]) expect(E[(b * Tx + i) * Ty + j]).toBe(0);
    }
    // Samples past the lengths are never read: NaN padding changes nothing.
    const xn = Float64Array.from(x.data);
    const yn = Float64Array.from(y.data);
    for (let b = 0; b < B; b++) {
      xn.fill(NaN, b * Tx * D + lx[b] * D, (b + 1) * Tx * D);
      yn.fill(NaN, b * Ty * D + ly[b] * D, (b + 1) * Ty * D);
    }
    const xnt = T(xn, [B, Tx, D], device);
    const ynt = T(yn, [B, Ty, D], device);
    const nanOpts = { gamma: 0.7, band: 1, lengthsX: lengthsT(lx, device), lengthsY: lengthsT(ly, device) };
    expect(values(wt.softDtw(xnt, ynt, nanOpts))).toEqual(values(wt.softDtw(xt, yt, nanOpts)));
    const [gxn, gyn] = grads((a, b) => wt.softDtw(a, b, nanOpts), xnt, ynt, [1, 1, 1, 1]);
    const [gxp, gyp] = grads((a, b) => wt.softDtw(a, b, nanOpts), xt, yt, [1, 1, 1, 1]);
    expect(gxn).toEqual(gxp);
    expect(gyn).toEqual(gyp);
    [xt, yt, xnt, ynt].forEach((t) => t.dispose());
  });

  test("normalize 'divergence': >= 0 without band, 0 at x = y with zero gradient, equal to the reference", () => {
    const [n, m, D] = small ? [7, 9, 2] : [30, 38, 2];
    const B = 4;
    for (const gamma of [0.01, 0.5, 5]) {
      const x = batch(B, n, D, 51, device);
      const y = batch(B, m, D, 52, device);
      const div = values(wt.softDtw(x.t, y.t, { gamma, normalize: 'divergence' }));
      for (let b = 0; b < B; b++) {
        const xs = series(x.data, b, n, D);
        const ys = series(y.data, b, m, D);
        const ref = recursion(xs, ys, n, m, D, gamma, null).value - 0.5 * (recursion(xs, xs, n, n, D, gamma, null).value + recursion(ys, ys, m, m, D, gamma, null).value);
        expect(div[b]).toBeGreaterThanOrEqual(0);
        expect(Math.abs(div[b] - ref)).toBeLessThan(1e-10 * (1 + Math.abs(ref)));
      }
      for (const r of [null, 1]) {
        const same = values(wt.softDtw(x.t, x.t, { gamma, band: r, normalize: 'divergence' }));
        same.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
        const x2 = T(x.data, [B, n, D], device);
        const [ga, gb] = grads((a, b) => wt.softDtw(a, b, { gamma, band: r, normalize: 'divergence' }), x.t, x2, [1, 1, 1, 1]);
        expect(maxAbs(ga)).toBeLessThan(1e-10);
        expect(maxAbs(gb)).toBeLessThan(1e-10);
        x2.dispose();
      }
      x.t.dispose();
      y.t.dispose();
    }
  });

  test('softDtwPairwise and softDtwPairs equal the per-pair softDtw (lengths, band, divergence)', () => {
    const [N, M, Tx, Ty, D] = small ? [2, 3, 6, 8, 2] : [4, 5, 20, 26, 3];
    const X = batch(N, Tx, D, 61, device);
    const Y = batch(M, Ty, D, 62, device);
    const lxs = Array.from({ length: N }, (_, i) => Tx - i);
    const lys = Array.from({ length: M }, (_, j) => Math.max(1, Ty - 2 * j));
    for (const normalize of [false, 'divergence'] as const)
      for (const r of [null, 2]) {
        const lengthsX = lengthsT(lxs, device);
        const lengthsY = lengthsT(lys, device);
        const opts = { gamma: 0.4, band: r, lengthsX, lengthsY, normalize };
        const P = values(wt.softDtwPairwise(X.t, Y.t, opts));
        expect(wt.softDtwPairwise(X.t, Y.t, opts).shape).toEqual([N, M]);
        const pairList = [[0, 0], [N - 1, M - 1], [1, 0], [0, 2], [1, 0], [N - 1, 0]];
        const pairs = T(pairList.flat(), [pairList.length, 2], device, 'int32');
        const Q = values(wt.softDtwPairs(X.t, Y.t, pairs, opts));
        for (let i = 0; i < N; i++)
          for (let j = 0; j < M; j++) {
            const xi = T(series(X.data, i, Tx, D), [1, Tx, D], device);
            const yj = T(series(Y.data, j, Ty, D), [1, Ty, D], device);
            const one = values(wt.softDtw(xi, yj, { gamma: 0.4, band: r, lengthsX: lengthsT([lxs[i]], device), lengthsY: lengthsT([lys[j]], device), normalize }))[0];
            expect(Math.abs(P[i * M + j] - one)).toBeLessThan(1e-11 * (1 + Math.abs(one)));
            pairList.forEach(([a, b], p) => {
              if (a === i && b === j) expect(Math.abs(Q[p] - one)).toBeLessThan(1e-11 * (1 + Math.abs(one)));
            });
            // And against the reference directly.
            const xs = series(X.data, i, Tx, D, lxs[i]);
            const ys = series(Y.data, j, Ty, D, lys[j]);
            let ref = recursion(xs, ys, lxs[i], lys[j], D, 0.4, r).value;
            if (normalize) ref -= 0.5 * (recursion(xs, xs, lxs[i], lxs[i], D, 0.4, r).value + recursion(ys, ys, lys[j], lys[j], D, 0.4, r).value);
            expect(Math.abs(one - ref)).toBeLessThan(1e-10 * (1 + Math.abs(ref)));
            xi.dispose();
            yj.dispose();
          }
        // Gradients of the pair list equal the sum over its pairs' per-pair gradients (repeats accumulate).
        const w = pairList.map((_, p) => 1 + p / 3);
        const [gX] = grads((a, b) => wt.softDtwPairs(a, b, pairs, opts), X.t, Y.t, w);
        const want = new Float64Array(N * Tx * D);
        pairList.forEach(([a, b], p) => {
          const xs = series(X.data, a, Tx, D, lxs[a]);
          const ys = series(Y.data, b, Ty, D, lys[b]);
          const g = recursion(xs, ys, lxs[a], lys[b], D, 0.4, r).gx;
          if (normalize) {
            const self = recursion(xs, xs, lxs[a], lxs[a], D, 0.4, r);
            // d/dx of −½·sdtw(x, x): both arguments are x.
            self.gx.forEach((v, k) => (g[k] -= 0.5 * (v + self.gy[k])));
          }
          g.forEach((v, k) => (want[a * Tx * D + k] += w[p] * v));
        });
        expectClose(gX, want, 1e-9, 1e-9);
        pairs.dispose();
      }
    X.t.dispose();
    Y.t.dispose();
  });

  test('gradcheck in float64: band or none, equal and unequal lengths, per-pair lengths, divergence, from-cost, pairwise, pairs, dtw', () => {
    const x = batch(2, 5, 2, 71, device).t;
    const y = batch(2, 7, 2, 72, device).t;
    const x2 = batch(2, 5, 2, 73, device).t;
    const lx = lengthsT([5, 3], device);
    const ly = lengthsT([4, 7], device);
    const S = (t: wt.Tensor) => weightedSum(t, 7);
    expectGrad((a, b) => S(wt.softDtw(a, b)), [x, y]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.3, band: 1 })), [x, y]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.5, band: 0 })), [x, x2]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.5, band: 2 })), [x, x2]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.8, lengthsX: lx, lengthsY: ly })), [x, y]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.8, band: 1, lengthsX: lx, lengthsY: ly })), [x, y]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.6, normalize: 'divergence' })), [x, y]);
    expectGrad((a, b) => S(wt.softDtw(a, b, { gamma: 0.6, band: 1, normalize: 'divergence', lengthsX: lx, lengthsY: ly })), [x, y]);
    expectGrad((a, b) => S(wt.softDtwPairwise(a, b, { gamma: 0.5, band: 2, lengthsX: lx, lengthsY: ly })), [x, y]);
    const pairs = T([1, 0, 0, 1, 1, 1, 1, 0], [4, 2], device, 'int32');
    expectGrad((a, b) => S(wt.softDtwPairs(a, b, pairs, { gamma: 0.5, normalize: 'divergence' })), [x, y]);
    const C = T(randomArray(2 * 5 * 7, 74, 0, 2), [2, 5, 7], device);
    expectGrad((c) => S(wt.softDtwFromCost(c, { gamma: 0.4 })), [C]);
    expectGrad((c) => S(wt.softDtwFromCost(c, { gamma: 0.4, band: 1, lengthsX: lx, lengthsY: ly })), [C]);
    // Hard DTW: random data has a unique optimal path, where DTW is differentiable.
    expectGrad((a, b) => S(wt.dtw(a, b, { band: 2 })), [x, y]);
    [x, y, x2, lx, ly, pairs, C].forEach((t) => t.dispose());
  });

  test('the cost-based value equals the series-based one, and its gradient is the alignment', () => {
    const [B, n, m, D] = [2, 6, 8, 3];
    const x = batch(B, n, D, 81, device);
    const y = batch(B, m, D, 82, device);
    const C = new Float64Array(B * n * m);
    for (let b = 0; b < B; b++) C.set(sqCost(series(x.data, b, n, D), series(y.data, b, m, D), n, m, D), b * n * m);
    const Ct = T(C, [B, n, m], device);
    for (const r of [null, 1]) {
      const opts = { gamma: 0.5, band: r, lengthsX: lengthsT([6, 4], device), lengthsY: lengthsT([8, 3], device) };
      const v1 = values(wt.softDtwFromCost(Ct, opts));
      const v2 = values(wt.softDtw(x.t, y.t, opts));
      expectClose(v1, v2, 1e-12, 1e-12);
      const dC = values(wt.grad((c: wt.Tensor) => wt.sum(wt.softDtwFromCost(c, opts)))(Ct) as wt.Tensor);
      expectClose(dC, values(wt.softDtwAlignment(x.t, y.t, opts)), 1e-12, 1e-12);
    }
    Ct.dispose();
  });

  test('a γ sweep from 1e-4 to 1e3 gives finite values and gradients (float32 and float64, band or none)', () => {
    const [n, m, D] = small ? [10, 12, 2] : [96, 80, 2];
    for (const dtype of ['float32', 'float64'] as const)
      for (const r of [null, 4]) {
        const x = batch(2, n, D, 91, device, dtype, -3, 3);
        const y = batch(2, m, D, 92, device, dtype, -3, 3);
        for (let e = -4; e <= 3; e++) {
          const gamma = 10 ** e;
          for (const normalize of [false, 'divergence'] as const) {
            const opts = { gamma, band: r, normalize };
            const v = values(wt.softDtw(x.t, y.t, opts));
            const [gx, gy] = grads((a, b) => wt.softDtw(a, b, opts), x.t, y.t, [1, 1]);
            for (const a of [v, gx, gy]) expect(a.every(Number.isFinite)).toBe(true);
            if (dtype === 'float64' && !normalize) {
              const ref = refBatch(x.data, y.data, 2, n, m, D, gamma, r);
              expectClose(v, ref.vals, 1e-9, 1e-10);
              expectClose(gx, ref.gx, 1e-7, 1e-7);
            }
          }
        }
        x.t.dispose();
        y.t.dispose();
      }
  });

  test('dtwPath: a monotone path through admissible cells whose cost is dtw, as tslearn backtracks it', () => {
    const [Tx, Ty, D] = small ? [7, 9, 2] : [30, 41, 2];
    const lx = [Tx, 3, 1];
    const ly = [Ty - 2, Ty, 5];
    const x = batch(3, Tx, D, 101, device);
    const y = batch(3, Ty, D, 102, device);
    for (const r of [null, 0, 2]) {
      const opts = { band: r, lengthsX: lengthsT(lx, device), lengthsY: lengthsT(ly, device) };
      const paths = wt.dtwPath(x.t, y.t, opts);
      const hard = values(wt.dtw(x.t, y.t, opts));
      expect(paths).toHaveLength(3);
      paths.forEach((p, b) => {
        expect([p.dtype, p.device, p.shape[1]]).toEqual(['int32', device, 2]);
        const cells = p.arraySync() as [number, number][];
        const [n, m] = [lx[b], ly[b]];
        expect(cells[0]).toEqual([0, 0]);
        expect(cells[cells.length - 1]).toEqual([n - 1, m - 1]);
        const C = sqCost(series(x.data, b, Tx, D, n), series(y.data, b, Ty, D, m), n, m, D);
        let cost = 0;
        cells.forEach(([i, j], k) => {
          expect(admissible(n, m, r, i, j)).toBe(true);
          cost += C[i * m + j];
          if (k > 0) {
            const [di, dj] = [i - cells[k - 1][0], j - cells[k - 1][1]];
            expect([[1, 0], [0, 1], [1, 1]]).toContainEqual([di, dj]);
          }
        });
        expect(Math.abs(cost - hard[b])).toBeLessThan(1e-10 * (1 + cost));
        expect(cells).toEqual(tslearnPath(C, n, m, r));
        p.dispose();
      });
    }
    // Ties (all costs equal) are broken diagonal-first, as tslearn does.
    const z = T(new Float64Array(4 * 6), [1, 4, 6], device);
    const zy = T(new Float64Array(6 * 6), [1, 6, 6], device);
    expect(wt.dtwPath(z, zy)[0].arraySync()).toEqual(tslearnPath(new Float64Array(24), 4, 6, null));
    [x.t, y.t, z, zy].forEach((t) => t.dispose());
  });

  test('a pair longer than one block of shared diagonals (Tx > 1024) with a band, unequal lengths and per-pair lengths', () => {
    const [Tx, Ty, D, r] = [1500, 1300, 2, 2];
    const lx = [1500, 1100];
    const ly = [1300, 1299];
    const x = batch(2, Tx, D, 121, device);
    const y = batch(2, Ty, D, 122, device);
    const opts = { gamma: 0.2, band: r, lengthsX: lengthsT(lx, device), lengthsY: lengthsT(ly, device) };
    const v = values(wt.softDtw(x.t, y.t, opts));
    const [gx, gy] = grads((a, b) => wt.softDtw(a, b, opts), x.t, y.t, [1, -1]);
    const ref = refBatch(x.data, y.data, 2, Tx, Ty, D, 0.2, r, lx, ly);
    expectClose(v, ref.vals, 1e-9, 1e-10);
    expect(relRms(gx, ref.gx.map((g, k) => (k < Tx * D ? g : -g)))).toBeLessThan(1e-9);
    expect(relRms(gy, ref.gy.map((g, k) => (k < Ty * D ? g : -g)))).toBeLessThan(1e-9);
    x.t.dispose();
    y.t.dispose();
  });

  test("a call leaves only its values alive: the weights and filled-in lengths go with it (process bytes, on and off the tape)", () => {
    const a = T(randomArray(2 * 6 * 2, 31), [2, 6, 2], device);
    const b = T(randomArray(2 * 5 * 2, 32), [2, 5, 2], device);
    const c = T(randomArray(2 * 6 * 5, 33).map(Math.abs), [2, 6, 5], device);
    const live = () => {
      // Process bytes include the temporaries queued work still holds: count once it has run.
      wt.sync();
      const { tensors, bytes } = wt.memory().process.byDevice[device];
      return { tensors, bytes };
    };
    const before = live();
    for (const run of [() => wt.softDtw(a, b, { gamma: 0.5 }), () => wt.softDtwFromCost(c, { gamma: 0.5, band: 1 })]) {
      const v = run();
      // Only the [2] values are left: the [2, 6, 5] weights and both lengths went with the call.
      expect(live()).toEqual({ tensors: before.tensors + 1, bytes: before.bytes + v.size * 8 });
      v.dispose();
    }
    (wt.grad((p: wt.Tensor) => wt.sum(wt.softDtw(p, b, { gamma: 0.5 })))(a) as wt.Tensor).dispose();
    expect(live()).toEqual(before);
    [a, b, c].forEach((t) => t.dispose());
  });

  test('a [B, T] input means D = 1, and empty batches give empty results', () => {
    const x = batch(2, 6, 1, 111, device);
    const y = batch(2, 5, 1, 112, device);
    const x2 = T(x.data, [2, 6], device);
    const y2 = T(y.data, [2, 5], device);
    expect(values(wt.softDtw(x2, y2))).toEqual(values(wt.softDtw(x.t, y.t)));
    expect(values(wt.softDtwPairwise(x2, y2))).toEqual(values(wt.softDtwPairwise(x.t, y.t)));
    const e = T([], [0, 6, 1], device);
    const f = T([], [0, 5, 1], device);
    expect(wt.softDtw(e, f).shape).toEqual([0]);
    expect(wt.softDtwPairwise(e, y.t).shape).toEqual([0, 2]);
    expect(wt.dtwPath(e, f)).toEqual([]);
    [x.t, y.t, x2, y2, e, f].forEach((t) => t.dispose());
  });
});

// ---------------------------------------------------------------- long series (cpu)

describe('long series with a band (cpu)', () => {
  test.each([
    [16384, 16384, 16, 1],
    [16384, 12000, 8, 0.01],
    [9000, 16384, 4, 1],
  ])('%i x %i, band %i, γ %p: value and gradients equal the banded reference, in float64 and float32', (n, m, r, gamma) => {
    const xd = randomArray(n, n + m, -1, 1);
    const yd = randomArray(m, n * 3 + r, -1, 1);
    const ref = recursion(xd, yd, n, m, 1, gamma, r);
    for (const dtype of ['float64', 'float32'] as const) {
      const x = T(xd, [1, n, 1], 'cpu', dtype);
      const y = T(yd, [1, m, 1], 'cpu', dtype);
      const v = values(wt.softDtw(x, y, { gamma, band: r }))[0];
      const [gx, gy] = grads((a, b) => wt.softDtw(a, b, { gamma, band: r }), x, y, [1]);
      expect([gx, gy].every((g) => g.every(Number.isFinite))).toBe(true);
      if (dtype === 'float64') {
        expect(Math.abs(v - ref.value)).toBeLessThan(1e-9 * Math.abs(ref.value));
        expect(relRms(gx, ref.gx)).toBeLessThan(1e-9);
        expect(relRms(gy, ref.gy)).toBeLessThan(1e-9);
      } else {
        const xr = Float64Array.from(xd, Math.fround);
        const yr = Float64Array.from(yd, Math.fround);
        const ref32 = recursion(xr, yr, n, m, 1, gamma, r);
        expect(Math.abs(v - ref32.value)).toBeLessThan(1e-4 * Math.abs(ref32.value));
        expect(relRms(gx, ref32.gx)).toBeLessThan(1e-3);
      }
      x.dispose();
      y.dispose();
    }
  });

  test('per-pair lengths inside a long padded batch', () => {
    const [Tn, D, r] = [16384, 1, 6];
    const ls = [16384, 9001, 3];
    const x = randomArray(3 * Tn, 5, -1, 1);
    const y = randomArray(3 * Tn, 6, -1, 1);
    const xt = T(x, [3, Tn, D], 'cpu');
    const yt = T(y, [3, Tn, D], 'cpu');
    const v = values(wt.softDtw(xt, yt, { gamma: 0.1, band: r, lengthsX: lengthsT(ls, 'cpu'), lengthsY: lengthsT([12000, 9001, 70], 'cpu') }));
    const ref = refBatch(x, y, 3, Tn, Tn, D, 0.1, r, ls, [12000, 9001, 70]);
    expectClose(v, ref.vals, 1e-9, 1e-10);
    xt.dispose();
    yt.dispose();
  });
});

// ---------------------------------------------------------------- bad input

describe.each(devices)('bad input on %s', (device) => {
  const x = () => T(randomArray(2 * 4 * 2, 1), [2, 4, 2], device);
  const y = () => T(randomArray(2 * 5 * 2, 2), [2, 5, 2], device);

  test('gamma <= 0 or not finite, a negative or fractional band, an unknown normalize -> E_RANGE naming the function and argument', () => {
    const [a, b] = [x(), y()];
    for (const gamma of [0, -1, NaN, Infinity, -0, '1'])
      expectCode(() => wt.softDtw(a, b, { gamma: gamma as number }), 'E_RANGE', /^softDtw: argument 'gamma'/);
    for (const band of [-1, 1.5, NaN, '2'])
      expectCode(() => wt.softDtwPairwise(a, b, { band: band as number }), 'E_RANGE', /^softDtwPairwise: argument 'band'/);
    expectCode(() => wt.dtw(a, b, { band: -2 }), 'E_RANGE', /^dtw: argument 'band'/);
    for (const normalize of [true, 'divergance', 1, 'Divergence'])
      expectCode(() => wt.softDtw(a, b, { normalize: normalize as false }), 'E_RANGE', /^softDtw: argument 'normalize' must be false or 'divergence'/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(8), [2, 2, 2], device), { gamma: 0 }), 'E_RANGE', /^softDtwFromCost: argument 'gamma'/);
    expectCode(() => wt.dtw(a, b, { gamma: 1 } as never), 'E_RANGE', /^dtw: unknown option 'gamma'/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(8), [2, 2, 2], device), { normalize: 'divergence' } as never), 'E_RANGE', /unknown option 'normalize'/);
    expectCode(() => wt.softDtw(a, b, 0.5 as never), 'E_RANGE', /softDtw: argument 3/);
    [a, b].forEach((t) => t.dispose());
  });

  test('lengths out of [1, T], of the wrong dtype or shape', () => {
    const [a, b] = [x(), y()];
    expectCode(() => wt.softDtw(a, b, { lengthsX: lengthsT([0, 4], device) }), 'E_RANGE', /^softDtw: argument 'lengthsX' entry 0 = 0 .*\[1, 4\]/);
    expectCode(() => wt.softDtw(a, b, { lengthsY: lengthsT([5, 6], device) }), 'E_RANGE', /^softDtw: argument 'lengthsY' entry 1 = 6 .*\[1, 5\]/);
    expectCode(() => wt.softDtw(a, b, { lengthsX: lengthsT([-1, 2], device) }), 'E_RANGE', /'lengthsX' entry 0/);
    expectCode(() => wt.softDtw(a, b, { lengthsX: T([4, 4], [2], device, 'float64') }), 'E_DTYPE', /^softDtw: argument 'lengthsX' must be an int32 Tensor/);
    expectCode(() => wt.softDtw(a, b, { lengthsX: lengthsT([4, 4, 4], device) }), 'E_SHAPE', /^softDtw: argument 'lengthsX' must be an int32 Tensor of shape \[2\]/);
    expectCode(() => wt.softDtw(a, b, { lengthsX: T([4, 4], [1, 2], device, 'int32') }), 'E_SHAPE', /'lengthsX'/);
    expectCode(() => wt.softDtw(a, b, { lengthsX: [4, 4] as never }), 'E_DTYPE', /'lengthsX' must be a Tensor/);
    expectCode(() => wt.softDtwPairwise(a, T(randomArray(3 * 5 * 2, 3), [3, 5, 2], device), { lengthsY: lengthsT([5, 5], device) }), 'E_SHAPE', /^softDtwPairwise: argument 'lengthsY' .*\[3\]/);
    expectCode(() => wt.dtwPath(a, b, { lengthsY: lengthsT([1, 9], device) }), 'E_RANGE', /^dtwPath: argument 'lengthsY'/);
    const gone = lengthsT([1, 1], device);
    gone.dispose();
    expectCode(() => wt.softDtw(a, b, { lengthsX: gone }), 'E_DISPOSED', /lengthsX/);
    [a, b].forEach((t) => t.dispose());
  });

  test('feature dimensions, batch sizes, ranks, dtypes and devices that do not fit', () => {
    const [a, b] = [x(), y()];
    const b3 = T(randomArray(2 * 5 * 3, 3), [2, 5, 3], device);
    expectCode(() => wt.softDtw(a, b3), 'E_SHAPE', /^softDtw: arguments 'x' and 'y' must have the same feature dimension D; got 2 and 3/);
    expectCode(() => wt.softDtwPairwise(a, b3), 'E_SHAPE', /^softDtwPairwise: .*feature dimension/);
    expectCode(() => wt.dtw(a, T(randomArray(3 * 5 * 2, 3), [3, 5, 2], device)), 'E_SHAPE', /^dtw: .*same number of series B; got 2 and 3/);
    expectCode(() => wt.softDtw(T([1, 2, 3], [3], device), b), 'E_SHAPE', /^softDtw: argument 'x' must be a series batch/);
    expectCode(() => wt.softDtw(a, T(new Float64Array(2), [1, 1, 1, 2], device)), 'E_SHAPE', /argument 'y'/);
    expectCode(() => wt.softDtw(T([], [2, 0, 2], device), b), 'E_SHAPE', /at least one time step/);
    expectCode(() => wt.softDtw(T([], [2, 4, 0], device), T([], [2, 5, 0], device)), 'E_SHAPE', /at least one feature/);
    expectCode(() => wt.softDtw(T(new Float32Array(16), [2, 4, 2], device, 'float32'), b), 'E_DTYPE', /^softDtw: arguments 'x' \(float32\) and 'y' \(float64\)/);
    expectCode(() => wt.softDtw(T(new Float64Array(8), [2, 4], device, 'int32'), b), 'E_DTYPE', /^softDtw: argument 'x' must be float32 or float64/);
    expectCode(() => wt.softDtw(a, [1, 2] as never), 'E_DTYPE', /^softDtw: argument 'y' must be a Tensor/);
    const other = wt.devices().find((d) => d !== device);
    if (other !== undefined) expectCode(() => wt.softDtw(a, T(randomArray(20, 4), [2, 5, 2], other)), 'E_DEVICE', /^softDtw: argument 'y' is on/);
    const gone = x();
    gone.dispose();
    expectCode(() => wt.softDtwAlignment(gone, b), 'E_DISPOSED', /^softDtwAlignment: argument 'x'/);
    [a, b, b3].forEach((t) => t.dispose());
  });

  test('a cost tensor of the wrong rank or dtype, pair indices out of range or of the wrong shape', () => {
    const [a, b] = [x(), y()];
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(6), [2, 3], device)), 'E_SHAPE', /^softDtwFromCost: argument 'C' must be a cost batch \[B, Tx, Ty\]/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(6), [1, 1, 2, 3], device)), 'E_SHAPE', /argument 'C'/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(0), [2, 0, 3], device)), 'E_SHAPE', /Tx >= 1/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(6), [1, 2, 3], device, 'int32')), 'E_DTYPE', /^softDtwFromCost: argument 'C'/);
    expectCode(() => wt.softDtwFromCost(T(new Float64Array(6), [1, 2, 3], device), { lengthsY: lengthsT([4], device) }), 'E_RANGE', /'lengthsY' entry 0 = 4 .*\[1, 3\]/);
    expectCode(() => wt.softDtwPairs(a, b, T([0, 2], [1, 2], device, 'int32')), 'E_RANGE', /^softDtwPairs: argument 'pairs' row 0 has j = 2; expected an index into 'Y' in \[0, 1\]/);
    expectCode(() => wt.softDtwPairs(a, b, T([0, 0, -1, 0], [2, 2], device, 'int32')), 'E_RANGE', /'pairs' row 1 has i = -1/);
    expectCode(() => wt.softDtwPairs(a, b, T([0, 0, 1], [1, 3], device, 'int32')), 'E_SHAPE', /^softDtwPairs: argument 'pairs' must be an int32 Tensor of shape \[P, 2\]/);
    expectCode(() => wt.softDtwPairs(a, b, T([0, 0], [1, 2], device, 'float64')), 'E_DTYPE', /^softDtwPairs: argument 'pairs' must be an int32 Tensor/);
    expectCode(() => wt.softDtwPairs(a, b, [[0, 0]] as never), 'E_DTYPE', /'pairs' must be a Tensor/);
    [a, b].forEach((t) => t.dispose());
  });

  test('bad input leaks no tensors', () => {
    const [a, b] = [x(), y()];
    const before = wt.memory().tensors;
    expectCode(() => wt.softDtw(a, b, { gamma: -1, lengthsX: lengthsT([1, 1], device) }), 'E_RANGE');
    expectCode(() => wt.softDtwPairs(a, b, T([5, 0], [1, 2], device, 'int32')), 'E_RANGE');
    expect(wt.memory().tensors).toBeLessThanOrEqual(before + 2);
    [a, b].forEach((t) => t.dispose());
  });
});
