// The native soft-DTW kernels (lib/ops/sdtw_native.ts) on every device, against references
// written here: brute force over alignment paths, a plain float64 O(Tx·Ty) recursion (band rule
// checked cell by cell), hard DTW, the E recursion's properties, gradcheck, and the fast exp/log.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as wt from '../lib';
import { sdtwPairs, sdtwFromCost, SdtwKernelOptions } from '../lib/ops/sdtw_native';
import { randomArray, testDevices } from './helpers';

type Series = number[][]; // [T][D]

// ---- references ----

/** The band rule, written from its definition: |2j(n−1) − 2i(m−1)| <= max(2r(n−1), max(n−1, m−1)). */
function admissible(i: number, j: number, n: number, m: number, r: number | null): boolean {
  if (i < 0 || j < 0 || i >= n || j >= m) return false;
  if (r === null) return true;
  const k = Math.max(2 * r * (n - 1), Math.max(n - 1, m - 1));
  return Math.abs(2 * j * (n - 1) - 2 * i * (m - 1)) <= k;
}

function costMatrix(x: Series, y: Series): number[][] {
  return x.map((a) => y.map((b) => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0)));
}

/** Plain float64 recursion over the full [n, m] table; gamma 0: hard DTW. */
function sdtwRef(C: number[][], gamma: number, r: number | null): number {
  const n = C.length, m = C[0].length;
  const R = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(Infinity));
  R[0][0] = 0;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      if (!admissible(i - 1, j - 1, n, m, r)) continue;
      const a = [R[i - 1][j - 1], R[i - 1][j], R[i][j - 1]];
      const mn = Math.min(...a);
      const soft = gamma === 0 || mn === Infinity ? mn : mn - gamma * Math.log(a.reduce((s, v) => s + Math.exp(-(v - mn) / gamma), 0));
      R[i][j] = C[i - 1][j - 1] + soft;
    }
  return R[n][m];
}

/** Every monotone path from (0,0) to (n−1,m−1) through admissible cells: its cost, and the count. */
function paths(C: number[][], r: number | null): number[] {
  const n = C.length, m = C[0].length;
  const out: number[] = [];
  const walk = (i: number, j: number, acc: number) => {
    if (!admissible(i, j, n, m, r)) return;
    acc += C[i][j];
    if (i === n - 1 && j === m - 1) return void out.push(acc);
    walk(i + 1, j + 1, acc);
    walk(i + 1, j, acc);
    walk(i, j + 1, acc);
  };
  walk(0, 0, 0);
  return out;
}

function series(t: number, d: number, seed: number): Series {
  const v = randomArray(t * d, seed);
  return Array.from({ length: t }, (_, i) => Array.from(v.slice(i * d, i * d + d)));
}

function batch(list: Series[], t: number, d: number, dtype: 'float32' | 'float64', device: string): wt.Tensor {
  const data = new Float64Array(list.length * t * d);
  list.forEach((s, b) => s.forEach((row, i) => row.forEach((v, k) => (data[(b * t + i) * d + k] = v))));
  return wt.tensor(data, [list.length, t, d], { dtype, device });
}

const ints = (v: number[], device: string) => wt.tensor(v, [v.length], { dtype: 'int32', device });
const opts = (gamma: number, band: number | null, lengthsX: wt.Tensor | null = null, lengthsY: wt.Tensor | null = null): SdtwKernelOptions => ({
  gamma,
  band,
  lengthsX,
  lengthsY,
});
const values = (t: wt.Tensor) => Array.from(t.dataSync());
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe.each(testDevices())('soft-DTW kernels on %s', (device) => {
  const pairsOf = (p: [number, number][]) => wt.tensor(p.flat(), [p.length, 2], { dtype: 'int32', device });

  test('the band rule: n = m is |i − j| <= r; otherwise every admissible cell is on a monotone path and the end is admissible', () => {
    for (let n = 1; n <= 9; n++)
      for (let m = 1; m <= 9; m++)
        for (const r of [0, 1, 2, 4]) {
          if (n === m) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(admissible(i, j, n, m, r)).toBe(Math.abs(i - j) <= r);
          const from = Array.from({ length: n }, () => new Array<boolean>(m).fill(false));
          const to = Array.from({ length: n }, () => new Array<boolean>(m).fill(false));
          for (let i = 0; i < n; i++)
            for (let j = 0; j < m; j++)
              from[i][j] = admissible(i, j, n, m, r) && ((i === 0 && j === 0) || (i > 0 && j > 0 && from[i - 1][j - 1]) || (i > 0 && from[i - 1][j]) || (j > 0 && from[i][j - 1]));
          for (let i = n - 1; i >= 0; i--)
            for (let j = m - 1; j >= 0; j--)
              to[i][j] = admissible(i, j, n, m, r) && ((i === n - 1 && j === m - 1) || (i + 1 < n && j + 1 < m && to[i + 1][j + 1]) || (i + 1 < n && to[i + 1][j]) || (j + 1 < m && to[i][j + 1]));
          for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(from[i][j] && to[i][j]).toBe(admissible(i, j, n, m, r));
          expect(to[0][0]).toBe(true);
        }
  });

  test('brute force over all alignment paths (tiny, with and without band, unequal lengths)', () => {
    for (const [tx, ty, d, band] of [[3, 3, 1, null], [3, 5, 2, 0], [2, 6, 1, 1], [4, 4, 2, 1], [5, 3, 1, 0], [1, 4, 1, 0], [4, 1, 2, null]] as const) {
      const x = series(tx, d, tx * 10 + ty), y = series(ty, d, ty * 7 + tx);
      const C = costMatrix(x, y);
      const costs = paths(C, band);
      for (const gamma of [0.1, 1, 3]) {
        const mn = Math.min(...costs);
        const expected = mn - gamma * Math.log(costs.reduce((s, c) => s + Math.exp(-(c - mn) / gamma), 0));
        const [v] = values(sdtwPairs(batch([x], tx, d, 'float64', device), batch([y], ty, d, 'float64', device), pairsOf([[0, 0]]), opts(gamma, band), 'test'));
        expect(relErr(v, expected)).toBeLessThan(1e-12);
      }
    }
  });

  test('a plain float64 recursion for moderate sizes, float32 and float64, pairs from two lists', () => {
    const X = [series(37, 3, 1), series(37, 3, 2), series(37, 3, 3)];
    const Y = [series(29, 3, 4), series(29, 3, 5)];
    const P: [number, number][] = [[0, 0], [2, 1], [1, 0], [2, 0], [0, 1]];
    for (const band of [null, 0, 3, 10]) {
      for (const dtype of ['float64', 'float32'] as const) {
        const got = values(sdtwPairs(batch(X, 37, 3, dtype, device), batch(Y, 29, 3, dtype, device), pairsOf(P), opts(0.5, band), 'test'));
        P.forEach(([i, j], q) => expect(relErr(got[q], sdtwRef(costMatrix(X[i], Y[j]), 0.5, band))).toBeLessThan(dtype === 'float64' ? 1e-13 : 2e-7));
      }
    }
  });

  test('a value does not depend on the other pairs of the call (lane groups of 4 vs alone), bit for bit', () => {
    const X = batch([series(23, 3, 71), series(23, 3, 72)], 23, 3, 'float32', device);
    const Y = batch([series(19, 3, 73), series(19, 3, 74), series(19, 3, 75)], 19, 3, 'float32', device);
    const P: [number, number][] = [[0, 0], [1, 2], [0, 1], [1, 1], [0, 2], [1, 0], [0, 0]];
    for (const band of [null, 2]) {
      const all = values(sdtwPairs(X, Y, pairsOf(P), opts(0.2, band), 'test'));
      P.forEach((p, q) => expect(values(sdtwPairs(X, Y, pairsOf([p]), opts(0.2, band), 'test'))[0]).toBe(all[q]));
    }
  });

  // The CPU's lane groups (native/cpu/sdtw_avx2.cpp) and block cache; other devices have no such grouping.
  const onCpu = device === 'cpu' ? test : null;

  // Off the tape the forward keeps no weights (ops.def: n_out = 1) and the lane kernels drop their
  // computation; the value must still be what the taped forward computes, on every schedule.
  test('a forward off the tape (values only, no weights) equals the taped forward bit for bit: lane groups, single pairs, tiles, costs, hard', () => {
    const taped = (f: (a: wt.Tensor) => wt.Tensor, a: wt.Tensor): number[] => {
      let v: number[] = [];
      wt.grad((t: wt.Tensor) => {
        const out = f(t);
        v = values(out);
        return wt.sum(out);
      })(a);
      return v;
    };
    const threads = wt.numThreads();
    try {
      for (const t of device === 'cpu' ? [1, 2] : [1]) {
        wt.setNumThreads(t);
        // 75 pairs of one geometry (32-, 16- and 4-pair groups and a remainder), then pairs of mixed lengths.
        for (const [count, mixed] of [[75, false], [6, true]] as const)
          for (const dtype of ['float32', 'float64'] as const)
            for (const [gamma, band] of [[0.6, null], [0.6, 2], [0, 2]] as const) {
              const xs = Array.from({ length: count }, (_, q) => series(13, 2, 500 + q));
              const ys = Array.from({ length: count }, (_, q) => series(11, 2, 700 + q));
              const lx = xs.map((_, q) => (mixed ? 13 - (q % 3) : 13)), ly = xs.map((_, q) => (mixed ? 11 - (q % 4) : 11));
              const o = opts(gamma, band, ints(lx, device), ints(ly, device));
              const pairs = pairsOf(xs.map((_, q) => [q, q]));
              const X = batch(xs, 13, 2, dtype, device), Y = batch(ys, 11, 2, dtype, device);
              expect(values(sdtwPairs(X, Y, pairs, o, 'test'))).toEqual(taped((a) => sdtwPairs(a, Y, pairs, o, 'test'), X));
              const C = wt.tensor(xs.flatMap((x, q) => costMatrix(x, ys[q]).flat()), [count, 13, 11], { dtype, device });
              expect(values(sdtwFromCost(C, o, 'test'))).toEqual(taped((c) => sdtwFromCost(c, o, 'test'), C));
            }
        // One long pair: tiles on the CPU.
        for (const band of [null, 9]) {
          const X = batch([series(300, 1, 41)], 300, 1, 'float32', device), Y = batch([series(280, 1, 42)], 280, 1, 'float32', device);
          const o = opts(0.7, band);
          expect(values(sdtwPairs(X, Y, pairsOf([[0, 0]]), o, 'test'))).toEqual(taped((a) => sdtwPairs(a, Y, pairsOf([[0, 0]]), o, 'test'), X));
        }
      }
    } finally {
      wt.setNumThreads(threads);
    }
  });

  // A forward off the tape allocates nothing of size Tx·Ty: were its 32 MiB of weights allocated and
  // freed, the CPU's block cache would hold them afterwards.
  onCpu?.('softDtwPairwise off the tape allocates no weights (32 x 32 pairs at T = 128: 32 MiB with them)', () => {
    const X = wt.uniform([32, 128, 2], -1, 1, { seed: 3, device }), Y = wt.uniform([32, 128, 2], -1, 1, { seed: 4, device });
    wt.sync();
    wt.releaseCache();
    const D = wt.softDtwPairwise(X, Y);
    D.dataSync();
    wt.sync();
    expect(wt.memory().byDevice.cpu.cachedBytes).toBeLessThan(1 << 20);
    D.dispose();
    // On the tape the weights are kept (and freed after the backward, into the cache).
    (wt.grad((a: wt.Tensor) => wt.sum(wt.softDtwPairwise(a, Y)))(X) as wt.Tensor).dispose();
    wt.sync();
    expect(wt.memory().byDevice.cpu.cachedBytes).toBeGreaterThanOrEqual(32 * 32 * 128 * 128 * 2 * 4);
    [X, Y].forEach((t) => t.dispose());
  });

  onCpu?.('lane groups (32, 16 and 4 pairs of one geometry, mixed groups, remainders; soft and hard): values and gradients equal each pair alone, bit for bit', () => {
    // Pairs (q, q) of their own series: [0, 16) and [32, 48) share one geometry (the 16-pair
    // forward groups), [16, 32) mixes a 4-pair group of one geometry, one of four geometries and
    // two more uniform ones; 43 pairs leave a partial last group, 20 one of 16 and one of 4.
    const T = 13;
    const lens = (q: number): [number, number] => (q < 16 || q >= 32 ? [13, 11] : q < 20 ? [9, 12] : q < 24 ? [13 - (q % 4), 8 + (q % 3)] : [7, 7]);
    const wide32 = (q: number): [number, number] => (q < 32 ? [13, 11] : lens(q - 16));
    const check = (count: number, d: number, dtype: 'float32' | 'float64', band: number | null, gamma = 0.6, lengths = lens) => {
      const xs = Array.from({ length: count }, (_, q) => series(T, d, 100 + q));
      const ys = Array.from({ length: count }, (_, q) => series(T, d, 300 + q));
      const lx = xs.map((_, q) => lengths(q)[0]), ly = xs.map((_, q) => lengths(q)[1]);
      const run = (X: Series[], Y: Series[], lxs: number[], lys: number[]) => {
        const o = opts(gamma, band, ints(lxs, device), ints(lys, device));
        const pairs = pairsOf(X.map((_, q) => [q, q]));
        const Xt = batch(X, T, d, dtype, device), Yt = batch(Y, T, d, dtype, device);
        const [gx, gy] = wt.grad((a: wt.Tensor, b: wt.Tensor) => wt.sum(sdtwPairs(a, b, pairs, o, 'test')), { argnums: [0, 1] })(Xt, Yt) as wt.Tensor[];
        return { values: values(sdtwPairs(Xt, Yt, pairs, o, 'test')), gx: values(gx), gy: values(gy) };
      };
      const all = run(xs, ys, lx, ly);
      for (let q = 0; q < count; q++) {
        const one = run([xs[q]], [ys[q]], [lx[q]], [ly[q]]);
        expect(one.values[0]).toBe(all.values[q]);
        expect(one.gx).toEqual(all.gx.slice(q * T * d, (q + 1) * T * d));
        expect(one.gy).toEqual(all.gy.slice(q * T * d, (q + 1) * T * d));
      }
    };
    const threads = wt.numThreads();
    try {
      // One thread: groups of 16 (with 8 threads and at most 3 groups of 16, groups of 4 instead).
      for (const t of [1, 8]) {
        wt.setNumThreads(t);
        for (const count of [48, 43]) for (const dtype of ['float32', 'float64'] as const) for (const band of [null, 2]) check(count, 3, dtype, band);
        // 64 pairs, [0, 32) of one geometry: with AVX-512 a 32-pair group (two of 16 with AVX2).
        for (const dtype of ['float32', 'float64'] as const) check(64, 3, dtype, 2, 0.6, wide32);
        // γ = 0 (hard DTW) in lanes too.
        check(48, 3, 'float64', 2, 0);
      }
      wt.setNumThreads(1);
      // The backward's feature-dimension variants (D in registers for 1, 2, 4, 8; any other D in memory).
      for (const d of [1, 2, 4, 5, 8]) check(20, d, 'float64', null);
    } finally {
      wt.setNumThreads(threads);
    }
  });

  onCpu?.('lane groups of precomputed costs (the kernel of softDtwFromCost, soft and hard): values and E equal each cost alone, bit for bit', () => {
    const threads = wt.numThreads();
    try {
      wt.setNumThreads(1);
      for (const dtype of ['float32', 'float64'] as const)
        for (const band of [null, 2])
          for (const gamma of [0.6, 0]) {
            // 20 costs of one geometry: a group of 16 and one of 4.
            const B = 20, tx = 13, ty = 11;
            const data = randomArray(B * tx * ty, 17).map((v) => Math.abs(v));
            const run = (b0: number, b1: number) => {
              const C = wt.tensor(data.slice(b0 * tx * ty, b1 * tx * ty), [b1 - b0, tx, ty], { dtype, device });
              const [E] = wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, opts(gamma, band), 'test')), { argnums: [0] })(C) as wt.Tensor[];
              return { v: values(sdtwFromCost(C, opts(gamma, band), 'test')), e: values(E) };
            };
            const all = run(0, B);
            for (const q of [0, 5, 10, 15, 16, 18, 19]) {
              const one = run(q, q + 1);
              expect(one.v[0]).toBe(all.v[q]);
              expect(one.e).toEqual(all.e.slice(q * tx * ty, (q + 1) * tx * ty));
            }
          }
    } finally {
      wt.setNumThreads(threads);
    }
  });

  // Fewer pairs than threads (or, with AVX2, than a lane group of 4): each long pair's DP in tiles
  // swept in wavefront order across the threads (native/cpu/sdtw_tiles.h), with AVX2 four rows of a
  // tile in lanes; shapes cut partial edge tiles and partial groups of four rows, and a narrow band
  // leaves most tiles without a cell. The reference is the same pairs repeated to a batch of 4 on
  // one thread: a lane group across pairs, bit for bit the one-pair row sweep (tested above).
  onCpu?.('a long pair in tiles (wavefront order, rows in lanes), on 1, 2 and 4 threads: values and gradients equal the row sweep bit for bit', () => {
    const threads = wt.numThreads();
    const sweep = (t: number, f: () => number[][]) => {
      wt.setNumThreads(t);
      return f();
    };
    try {
      const cases: [number, number, number, number | null, number | null, number | null, 'float32' | 'float64', number][] = [
        [300, 257, 2, null, null, null, 'float64', 0.7],
        [300, 300, 1, 0, null, null, 'float32', 0.7],
        [257, 400, 3, 5, 250, 399, 'float64', 0.7],
        [701, 130, 1, 3, null, null, 'float32', 0.7],
        [258, 259, 2, 9, 255, null, 'float64', 0],
      ];
      for (const [tx, ty, d, band, lx, ly, dtype, gamma] of cases) {
        const xs = [series(tx, d, tx + 1), series(tx, d, tx + 2)], ys = [series(ty, d, ty + 3), series(ty, d, ty + 4)];
        const run = (P: number) => () => {
          const o = opts(gamma, band, lx === null ? null : ints(new Array(P).fill(lx), device), ly === null ? null : ints(new Array(P).fill(ly), device));
          const pairs = pairsOf(Array.from({ length: P }, (_, q): [number, number] => [q, q]));
          const X = batch(Array.from({ length: P }, (_, q) => xs[q % 2]), tx, d, dtype, device);
          const Y = batch(Array.from({ length: P }, (_, q) => ys[q % 2]), ty, d, dtype, device);
          const [gx, gy] = wt.grad((a: wt.Tensor, b: wt.Tensor) => wt.sum(sdtwPairs(a, b, pairs, o, 'test')), { argnums: [0, 1] })(X, Y) as wt.Tensor[];
          return [values(sdtwPairs(X, Y, pairs, o, 'test')), values(gx), values(gy)];
        };
        const ref = sweep(1, run(4));
        for (const P of [1, 2])
          for (const t of [1, 2, 4]) {
            const tiled = sweep(t, run(P));
            expect(tiled[0]).toEqual(ref[0].slice(0, P));
            expect(tiled[1]).toEqual(ref[1].slice(0, P * tx * d));
            expect(tiled[2]).toEqual(ref[2].slice(0, P * ty * d));
          }
        if (dtype === 'float64' && lx === null && gamma > 0) expect(relErr(ref[0][0], sdtwRef(costMatrix(xs[0], ys[0]), gamma, band))).toBeLessThan(1e-12);
      }
      // A precomputed cost (softDtwFromCost's kernel) and its gradient.
      const C = costMatrix(series(260, 2, 5), series(270, 2, 6));
      const runCost = (B: number) => () => {
        const Ct = wt.tensor(new Array(B).fill(C.flat()).flat(), [B, 260, 270], { dtype: 'float64', device });
        const [E] = wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, opts(1, 7), 'test')), { argnums: [0] })(Ct) as wt.Tensor[];
        return [values(sdtwFromCost(Ct, opts(1, 7), 'test')), values(E)];
      };
      const ref = sweep(1, runCost(4));
      for (const t of [1, 2]) {
        const tiled = sweep(t, runCost(1));
        expect(tiled[0]).toEqual(ref[0].slice(0, 1));
        expect(tiled[1]).toEqual(ref[1].slice(0, 260 * 270));
      }
      expect(relErr(ref[0][0], sdtwRef(C, 1, 7))).toBeLessThan(1e-12);
    } finally {
      wt.setNumThreads(threads);
    }
  });

  test('gamma = 0 is hard DTW; DTW − γ·log(#paths) <= sdtw <= DTW; band 0 with equal lengths is the diagonal sum', () => {
    const x = series(6, 2, 11), y = series(6, 2, 12);
    const C = costMatrix(x, y);
    const X = batch([x], 6, 2, 'float64', device), Y = batch([y], 6, 2, 'float64', device);
    for (const band of [null, 1]) {
      const costs = paths(C, band);
      const dtw = Math.min(...costs);
      expect(relErr(values(sdtwPairs(X, Y, pairsOf([[0, 0]]), opts(0, band), 'test'))[0], dtw)).toBeLessThan(1e-14);
      for (const gamma of [0.01, 0.3, 2]) {
        const v = values(sdtwPairs(X, Y, pairsOf([[0, 0]]), opts(gamma, band), 'test'))[0];
        expect(v).toBeLessThanOrEqual(dtw + 1e-12);
        expect(v).toBeGreaterThanOrEqual(dtw - gamma * Math.log(costs.length) - 1e-12);
      }
    }
    const diag = C.reduce((s, row, i) => s + row[i], 0);
    expect(relErr(values(sdtwPairs(X, Y, pairsOf([[0, 0]]), opts(0.7, 0), 'test'))[0], diag)).toBeLessThan(1e-14);
  });

  test('per-pair lengths equal soft-DTW of the cropped series; gradients beyond a length are exactly 0', () => {
    const T = 12, d = 2;
    const X = [series(T, d, 21), series(T, d, 22)], Y = [series(T, d, 23), series(T, d, 24)];
    const lx = [12, 7], ly = [5, 10];
    const P: [number, number][] = [[0, 0], [1, 1], [1, 0], [0, 1]];
    for (const band of [null, 2]) {
      const Xt = batch(X, T, d, 'float64', device), Yt = batch(Y, T, d, 'float64', device);
      const o = opts(0.8, band, ints(lx, device), ints(ly, device));
      const got = values(sdtwPairs(Xt, Yt, pairsOf(P), o, 'test'));
      P.forEach(([i, j], q) => expect(relErr(got[q], sdtwRef(costMatrix(X[i].slice(0, lx[i]), Y[j].slice(0, ly[j])), 0.8, band))).toBeLessThan(1e-13));
      const [gx, gy] = wt.grad((a: wt.Tensor, b: wt.Tensor) => wt.sum(sdtwPairs(a, b, pairsOf(P), o, 'test')), { argnums: [0, 1] })(Xt, Yt) as wt.Tensor[];
      const gxv = gx.dataSync(), gyv = gy.dataSync();
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < T; i++)
          for (let k = 0; k < d; k++) {
            if (i >= lx[b]) expect(gxv[(b * T + i) * d + k]).toBe(0);
            if (i >= ly[b]) expect(gyv[(b * T + i) * d + k]).toBe(0);
          }
      expect(Array.from(gxv).some((v) => v !== 0)).toBe(true);
    }
  });

  test('the expected alignment E (from a cost): in (0, 1] exactly on the admissible cells, 0 elsewhere', () => {
    for (const [tx, ty, band] of [[7, 7, 1], [5, 11, 0], [9, 4, 2], [6, 6, null]] as const) {
      const C = costMatrix(series(tx, 1, tx), series(ty, 1, ty + 50)).map((row) => row.map((v) => v * 0.1));
      const Ct = wt.tensor(C.flat(), [1, tx, ty], { dtype: 'float64', device });
      const [E] = wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, opts(1, band), 'test')), { argnums: [0] })(Ct) as wt.Tensor[];
      const e = E.dataSync();
      for (let i = 0; i < tx; i++)
        for (let j = 0; j < ty; j++) {
          if (admissible(i, j, tx, ty, band)) expect(e[i * ty + j]).toBeGreaterThan(0);
          else expect(e[i * ty + j]).toBe(0);
          expect(e[i * ty + j]).toBeLessThanOrEqual(1 + 1e-12);
        }
      expect(e[0]).toBeCloseTo(1, 12);
      expect(e[tx * ty - 1]).toBe(1);
      // And the value agrees with the recursion.
      expect(relErr(values(sdtwFromCost(Ct, opts(1, band), 'test'))[0], sdtwRef(C, 1, band))).toBeLessThan(1e-13);
    }
  });

  test('E is never subnormal (below the smallest normal double it is 0) and matches the float64 recursion', () => {
    // Costs that grow with the distance k from the diagonal make E fall off it like e^(−s·k²):
    // from 1 on the diagonal through the subnormal range to 0. Four pairs of one geometry share lanes.
    const n = 24, scales = [2, 5, 2.5, 4];
    const Cs = scales.map((s) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => s * Math.abs(i - j) + 0.01 * ((i * 7 + j * 3) % 5))));
    const Ct = wt.tensor(Cs.flat(2), [scales.length, n, n], { dtype: 'float64', device });
    const [E] = wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, opts(1, null), 'test')), { argnums: [0] })(Ct) as wt.Tensor[];
    const e = E.dataSync();
    const minNormal = 2 ** -1022;
    let subnormalInRef = 0;
    Cs.forEach((C, b) => {
      // Cuturi & Blondel's backward: E[i][j] = sum over successors s of E[s]·exp((R[s] − R[i][j] − C[s]) / γ).
      const R = Array.from({ length: n }, () => new Array<number>(n).fill(Infinity));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (i === 0 && j === 0) { R[0][0] = C[0][0]; continue; }
          const a = [i > 0 && j > 0 ? R[i - 1][j - 1] : Infinity, i > 0 ? R[i - 1][j] : Infinity, j > 0 ? R[i][j - 1] : Infinity];
          const mn = Math.min(...a);
          R[i][j] = C[i][j] + mn - Math.log(a.reduce((s, v) => s + Math.exp(-(v - mn)), 0));
        }
      const ref = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let i = n - 1; i >= 0; i--)
        for (let j = n - 1; j >= 0; j--) {
          if (i === n - 1 && j === n - 1) { ref[i][j] = 1; continue; }
          let s = 0;
          for (const [di, dj] of [[1, 0], [0, 1], [1, 1]])
            if (i + di < n && j + dj < n) s += ref[i + di][j + dj] * Math.exp(R[i + di][j + dj] - R[i][j] - C[i + di][j + dj]);
          ref[i][j] = s;
        }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const got = e[(b * n + i) * n + j], want = ref[i][j];
          expect(got === 0 || got >= minNormal).toBe(true);
          if (want > 0 && want < minNormal) subnormalInRef++;
          // Absolute: the left weight is 1 − wDiag − wUp, which loses left weights below ~1e-16.
          expect(Math.abs(got - want)).toBeLessThan(1e-12);
        }
    });
    expect(subnormalInRef).toBeGreaterThan(0);
  });

  test('gradcheck in float64: x and y through pairs (band, unequal lengths, per-pair lengths), and C', () => {
    const X = batch([series(6, 2, 31), series(6, 2, 32)], 6, 2, 'float64', device);
    const Y = batch([series(8, 2, 33), series(8, 2, 34), series(8, 2, 35)], 8, 2, 'float64', device);
    const P = pairsOf([[0, 0], [1, 2], [0, 2], [1, 1]]);
    const w = wt.tensor([1, -0.5, 2, 0.7], [4], { dtype: 'float64', device });
    for (const o of [opts(1, null), opts(0.3, 1), opts(0.5, 0, ints([6, 4], device), ints([8, 5, 3], device))])
      expect(wt.testing.gradcheck((a, b) => wt.sum(wt.mul(sdtwPairs(a, b, P, o, 'test'), w)), [X, Y])).toEqual([]);
    const C = wt.tensor(randomArray(2 * 5 * 7, 41, 0, 2), [2, 5, 7], { dtype: 'float64', device });
    const wc = wt.tensor([1.5, -1], [2], { dtype: 'float64', device });
    for (const o of [opts(1, null), opts(0.2, 1, ints([5, 3], device), ints([6, 7], device))])
      expect(wt.testing.gradcheck((c) => wt.sum(wt.mul(sdtwFromCost(c, o, 'test'), wc)), [C])).toEqual([]);
  });

  test('gamma = 0: the gradient follows the hard path (ties: diagonal first)', () => {
    // All costs equal: the diagonal path wins every tie, so E is the identity.
    const C = wt.tensor(new Array(16).fill(1), [1, 4, 4], { dtype: 'float64', device });
    const [E] = wt.grad((c: wt.Tensor) => wt.sum(sdtwFromCost(c, opts(0, null), 'test')), { argnums: [0] })(C) as wt.Tensor[];
    expect(Array.from(E.dataSync())).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  test('a gamma sweep 1e-4 … 1e3: no NaN or Inf in values or gradients, float32 and float64', () => {
    const X = batch([series(40, 2, 51)], 40, 2, 'float64', device), Y = batch([series(33, 2, 52)], 33, 2, 'float64', device);
    for (const dtype of ['float32', 'float64'] as const)
      for (const gamma of [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e3])
        for (const band of [null, 3]) {
          const a = wt.cast(X, dtype), b = wt.cast(Y, dtype);
          const [v, [gx, gy]] = wt.valueAndGrad((p: wt.Tensor, q: wt.Tensor) => wt.sum(sdtwPairs(p, q, pairsOf([[0, 0]]), opts(gamma, band), 'test')), { argnums: [0, 1] })(a, b) as [wt.Tensor, wt.Tensor[]];
          for (const t of [v, gx, gy]) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
        }
  });

  test('length 16384 with a band: the value matches the banded float64 recursion, gradients finite', () => {
    const T = 16384, r = 4;
    const xs = randomArray(T, 61), ys = randomArray(T - 100, 62);
    const n = T, m = T - 100;
    // The recursion over the admissible cells only (rows kept sparse by the rule's own bounds).
    let prev = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const cur = new Map<number, number>();
      const centre = Math.round((i * (m - 1)) / (n - 1));
      for (let j = Math.max(0, centre - r - 2); j <= Math.min(m - 1, centre + r + 2); j++) {
        if (!admissible(i, j, n, m, r)) continue;
        const c = (xs[i] - ys[j]) ** 2;
        if (i === 0 && j === 0) { cur.set(0, c); continue; }
        const a = [prev.get(j - 1) ?? Infinity, prev.get(j) ?? Infinity, cur.get(j - 1) ?? Infinity];
        const mn = Math.min(...a);
        cur.set(j, c + mn - 0.1 * Math.log(a.reduce((s, v) => s + Math.exp(-(v - mn) / 0.1), 0)));
      }
      prev = cur;
    }
    const expected = prev.get(m - 1)!;
    for (const dtype of ['float64', 'float32'] as const) {
      const X = wt.tensor(xs, [1, n, 1], { dtype, device }), Y = wt.tensor(ys, [1, m, 1], { dtype, device });
      const [v, [gx]] = wt.valueAndGrad((a: wt.Tensor) => wt.sum(sdtwPairs(a, Y, pairsOf([[0, 0]]), opts(0.1, r), 'test')), { argnums: [0] })(X) as [wt.Tensor, wt.Tensor[]];
      expect(relErr(v.dataSync()[0], expected)).toBeLessThan(dtype === 'float64' ? 1e-11 : 1e-6);
      expect(Array.from(gx.dataSync()).every(Number.isFinite)).toBe(true);
    }
  });
});

describe('the vectorised exp and log of native/kernels/sdtw_softmin.h', () => {
  test('exp on [-708, 0]: relative error <= 4e-16; log on [1, 4): absolute error <= 3e-16 (against long double)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdtw-math-'));
    const src = path.join(dir, 'check.cpp');
    fs.writeFileSync(
      src,
      `#include "kernels/sdtw_softmin.h"
#include <cmath>
#include <cstdio>
int main() {
  long double ee = 0, el = 0;
  for (long k = 0; k <= 4000000; ++k) {
    const double x = -708.0 * double(k) / 4000000.0;
    const long double t = expl((long double)x);
    const long double r = fabsl(((long double)wt::sdtw::expNonPositive(x) - t) / t);
    if (r > ee) ee = r;
    const double s = 1.0 + 3.0 * double(k) / 4000001.0;
    const long double a = fabsl((long double)wt::sdtw::logSum(s) - logl((long double)s));
    if (a > el) el = a;
  }
  const bool zero = wt::sdtw::expNonPositive(-709.0) == 0.0 && wt::sdtw::expNonPositive(-HUGE_VAL) == 0.0;
  std::printf("%.3Le %.3Le %d\\n", ee, el, zero ? 1 : 0);
}
`,
    );
    const exe = path.join(dir, 'check');
    execFileSync('g++', ['-O2', '-std=c++17', '-I', path.join(__dirname, '..', 'native'), src, '-o', exe]);
    const [ee, el, zero] = execFileSync(exe).toString().trim().split(' ').map(Number);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(ee).toBeLessThanOrEqual(4e-16);
    expect(el).toBeLessThanOrEqual(3e-16);
    expect(zero).toBe(1);
  });
});

// WAVETAPE_CPU_ISA caps the CPU's instruction-set tier (native/cpu/dispatch.h): each lower tier, run
// in a child process, computes the same values and gradients bit for bit as this process's tier
// (the widest the machine has), lane groups of every width and single pairs alike.
describe('CPU instruction-set tiers (WAVETAPE_CPU_ISA)', () => {
  const dist = path.join(__dirname, '..', 'dist');
  // 64 pairs: [0, 32) one geometry (a 32-pair group with AVX-512), [32, 48) mixed (4-pair groups and
  // single pairs), [48, 64) one geometry (a 16-pair group); float32 and float64, soft and hard.
  const CHILD = `
    const wt = require(process.argv[1]);
    const T = 13, D = 3, P = 64;
    const lens = (q) => (q < 32 || q >= 48 ? [13, 11] : q < 36 ? [9, 12] : q < 40 ? [13 - (q % 4), 8 + (q % 3)] : [7, 7]);
    const bits = (t) => Buffer.from(Float64Array.from(t.dataSync()).buffer).toString('base64');
    const out = [];
    for (const dtype of ['float32', 'float64'])
      for (const [gamma, band] of [[0.6, null], [0.6, 2], [0, 2]]) {
        const X = wt.uniform([P, T, D], -1, 1, { seed: 5, dtype }), Y = wt.uniform([P, T, D], -1, 1, { seed: 6, dtype });
        const lx = wt.tensor(Array.from({ length: P }, (_, q) => lens(q)[0]), [P], { dtype: 'int32' });
        const ly = wt.tensor(Array.from({ length: P }, (_, q) => lens(q)[1]), [P], { dtype: 'int32' });
        // gamma 0: hard DTW (wt.dtw), the same kernels' hard cell update.
        const f = gamma === 0 ? (a, b) => wt.dtw(a, b, { band, lengthsX: lx, lengthsY: ly }) : (a, b) => wt.softDtw(a, b, { gamma, band, lengthsX: lx, lengthsY: ly });
        const [v, [gx, gy]] = wt.valueAndGrad((a, b) => wt.sum(f(a, b)), { argnums: [0, 1] })(X, Y);
        out.push([bits(f(X, Y)), bits(gx), bits(gy), bits(v)]);
      }
    process.stdout.write(JSON.stringify(out));`;
  const run = (isa: string | null) => {
    const env: NodeJS.ProcessEnv = { ...process.env, WAVETAPE_NUM_THREADS: '1' };
    if (isa === null) delete env.WAVETAPE_CPU_ISA;
    else env.WAVETAPE_CPU_ISA = isa;
    return execFileSync(process.execPath, ['-e', CHILD, dist], { env, encoding: 'utf8' });
  };
  test('baseline and avx2 equal the widest tier bit for bit; an unknown value fails at load with E_RANGE', () => {
    const widest = run(null);
    expect(JSON.parse(widest)).toHaveLength(6);
    expect(run('avx2')).toBe(widest);
    expect(run('baseline')).toBe(widest);
    expect(run('avx512')).toBe(widest);
    const bad = spawnSync(process.execPath, ['-e', `try { require(process.argv[1]); } catch (e) { process.stdout.write(e.name + ' ' + e.code + ' ' + e.message); }`, dist], {
      env: { ...process.env, WAVETAPE_CPU_ISA: 'sse9' },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(0);
    expect(bad.stdout).toBe("WavetapeError E_RANGE wavetape: WAVETAPE_CPU_ISA = 'sse9'; expected baseline, avx2 or avx512");
  });
});
