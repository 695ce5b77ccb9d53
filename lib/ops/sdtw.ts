/**
 * Soft-DTW (Cuturi & Blondel 2017) and hard DTW between batches of multivariate series: values,
 * pairwise matrices, pair lists, the soft-DTW divergence, expected alignments and DTW paths.
 *
 * Every function takes series as [B, T, D] (or [B, T], read as D = 1) and uses the squared
 * Euclidean cost ‖x_i − y_j‖², computed on the fly by the native kernels (lib/ops/sdtw_native.ts)
 * so no B×Tx×Ty cost tensor is allocated; {@link softDtwFromCost} takes a precomputed cost.
 * `band` is a Sakoe–Chiba radius under the slope-adjusted rule of docs/sdtw.md, and
 * `lengthsX` / `lengthsY` give each series' valid length inside a padded batch. Values are
 * differentiable w.r.t. the series (and the cost); the divergence is composed from three
 * soft-DTW values here.
 */
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { native } from '../native';
import { wrap } from './util';
import { grad, stopGradient } from '../autograd';
import { tensorArg, optionsArg, intArg, finiteArg, dtypeIn, expected } from '../validate';
import { sub, mul, add, square } from './elementwise';
import { sum } from './reduce';
import { reshape, expandDims, gather, to } from './layout';
import { sdtwPairs, sdtwFromCost, SdtwKernelOptions } from './sdtw_native';

/** Options shared by every soft-DTW and DTW function. */
export interface DtwOptions {
  /**
   * Sakoe–Chiba radius r in samples (an integer ≥ 0); `null`/omitted: no band. For equal valid
   * lengths n = m the admissible cells are |i − j| ≤ r. For n ≠ m, cell (i, j) is admissible iff
   * |2·j·(n−1) − 2·i·(m−1)| ≤ max(2·r·(n−1), max(n−1, m−1)): a corridor of radius r (in y
   * samples) around the straight line from (0, 0) to (n−1, m−1), widened just enough to stay
   * connected, so the end cell is always reachable (tslearn widens by |n − m| instead; see
   * docs/sdtw.md).
   */
  band?: number | null;
  /**
   * int32 [B] (pairwise and pairs: [N]): the valid length of each x series, in [1, Tx]; samples
   * past it are ignored and get gradient exactly 0. Default: Tx for every series.
   */
  lengthsX?: Tensor | null;
  /** int32 [B] (pairwise and pairs: [M]): the valid length of each y series, in [1, Ty]. */
  lengthsY?: Tensor | null;
}

/** Options of {@link softDtwFromCost} and {@link softDtwAlignment}. */
export interface SoftDtwCostOptions extends DtwOptions {
  /** Smoothing γ > 0 of the soft minimum (default 1); γ → 0 approaches hard DTW. */
  gamma?: number;
}

/** Options of {@link softDtw}, {@link softDtwPairwise} and {@link softDtwPairs}. */
export interface SoftDtwOptions extends SoftDtwCostOptions {
  /**
   * `false` (default): the soft-DTW value. `'divergence'`: sdtw(x, y) − ½·(sdtw(x, x) +
   * sdtw(y, y)) (Blondel, Mensch & Vert 2021), 0 at x = y and ≥ 0 without a band; the self
   * terms use each series' own length for both sides.
   */
  normalize?: false | 'divergence';
}

/** Validated kernel options plus the choices resolved at the public level. */
interface Resolved extends SdtwKernelOptions {
  divergence: boolean;
}

// ---------------------------------------------------------------- validation

/** A series batch as [B, T, D] float32/float64 (a [B, T] input becomes [B, T, 1]). */
function seriesArg(op: string, arg: string, v: unknown): Tensor {
  const t = tensorArg(op, arg, v);
  dtypeIn(op, arg, t, ['float32', 'float64']);
  if (t.rank !== 2 && t.rank !== 3) expected('E_SHAPE', op, arg, 'a series batch [B, T, D] or [B, T]', t);
  if (t.shape[1] < 1) expected('E_SHAPE', op, arg, 'series of at least one time step', t);
  if (t.rank === 3 && t.shape[2] < 1) expected('E_SHAPE', op, arg, 'series of at least one feature (D >= 1)', t);
  return t.rank === 3 ? t : reshape(t, [t.shape[0], t.shape[1], 1]);
}

/** x and y must share dtype, device and the feature dimension D. */
function checkPair(op: string, x: Tensor, y: Tensor, xName: string, yName: string): void {
  if (x.dtype !== y.dtype) fail('E_DTYPE', `${op}: arguments '${xName}' (${x.dtype}) and '${yName}' (${y.dtype}) must have the same dtype`);
  if (x.device !== y.device) fail('E_DEVICE', `${op}: argument '${yName}' is on ${y.device} but '${xName}' is on ${x.device}; move one with .to(device)`);
  if (x.shape[2] !== y.shape[2])
    fail('E_SHAPE', `${op}: arguments '${xName}' and '${yName}' must have the same feature dimension D; got ${x.shape[2]} and ${y.shape[2]}`);
}

/** An int32 [count] lengths tensor with entries in [1, maxLen], on `device`; null when absent. */
function lengthsArg(op: string, arg: string, v: unknown, count: number, maxLen: number, device: string): Tensor | null {
  if (v == null) return null;
  const t = tensorArg(op, arg, v);
  if (t.dtype !== 'int32') fail('E_DTYPE', `${op}: argument '${arg}' must be an int32 Tensor; got ${t.dtype}`);
  if (t.rank !== 1 || t.shape[0] !== count) expected('E_SHAPE', op, arg, `an int32 Tensor of shape [${count}] (one length per series)`, t);
  const data = t.dataSync();
  for (let i = 0; i < data.length; i++)
    if (data[i] < 1 || data[i] > maxLen) fail('E_RANGE', `${op}: argument '${arg}' entry ${i} = ${data[i]} is out of range; expected a length in [1, ${maxLen}]`);
  return t.device === device ? t : to(t, device);
}

/** The batch size and length of one side (x or y) and the device its lengths must live on. */
interface Side {
  count: number;
  len: number;
  device: string;
}
const sideOf = (t: Tensor): Side => ({ count: t.shape[0], len: t.shape[1], device: t.device });

/** Parses the options object (argument `position`) for a kernel call on series X [N, Tx, D], Y [M, Ty, D]. */
function resolveOptions(op: string, position: number, opts: unknown, keys: readonly string[], X: Side, Y: Side, hard: boolean): Resolved {
  const o = optionsArg(op, position, opts, keys) as Partial<Record<string, unknown>>;
  let gamma = 0;
  if (!hard) {
    gamma = o.gamma === undefined ? 1 : finiteArg(op, 'gamma', o.gamma);
    if (!(gamma > 0)) expected('E_RANGE', op, 'gamma', 'a finite number > 0', o.gamma);
  }
  // A radius ≥ max(Tx, Ty) admits every cell, so larger ones are clamped (the kernels take int32).
  const band = o.band === undefined ? null : Math.min(intArg(op, 'band', o.band, 0), Math.max(X.len, Y.len));
  const normalize = o.normalize;
  if (normalize !== undefined && normalize !== false && normalize !== 'divergence')
    expected('E_RANGE', op, 'normalize', "false or 'divergence'", normalize);
  return {
    gamma,
    band,
    lengthsX: lengthsArg(op, 'lengthsX', o.lengthsX, X.count, X.len, X.device),
    lengthsY: lengthsArg(op, 'lengthsY', o.lengthsY, Y.count, Y.len, Y.device),
    divergence: normalize === 'divergence',
  };
}

const SOFT_KEYS = ['gamma', 'band', 'lengthsX', 'lengthsY', 'normalize'] as const;
const COST_KEYS = ['gamma', 'band', 'lengthsX', 'lengthsY'] as const;
const HARD_KEYS = ['band', 'lengthsX', 'lengthsY'] as const;

// ---------------------------------------------------------------- pair lists

/** An int32 [P, 2] tensor of the given (i, j) pairs on `device`. */
function pairTensor(is: ArrayLike<number>, js: ArrayLike<number>, device: string): Tensor {
  const data = new Int32Array(2 * is.length);
  for (let p = 0; p < is.length; p++) {
    data[2 * p] = is[p];
    data[2 * p + 1] = js[p];
  }
  return wrap(native.fromData(data, [is.length, 2], 'int32', device));
}

/** The validated pair indices: pairs int32 [P, 2] with i in [0, N), j in [0, M). */
function pairsArg(op: string, v: unknown, N: number, M: number): { tensor: Tensor; is: Int32Array; js: Int32Array } {
  const t = tensorArg(op, 'pairs', v);
  if (t.dtype !== 'int32') fail('E_DTYPE', `${op}: argument 'pairs' must be an int32 Tensor; got ${t.dtype}`);
  if (t.rank !== 2 || t.shape[1] !== 2) expected('E_SHAPE', op, 'pairs', 'an int32 Tensor of shape [P, 2] holding (i, j) index pairs', t);
  const data = t.dataSync() as Int32Array;
  const P = t.shape[0];
  const is = new Int32Array(P);
  const js = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    is[p] = data[2 * p];
    js[p] = data[2 * p + 1];
    if (is[p] < 0 || is[p] >= N) fail('E_RANGE', `${op}: argument 'pairs' row ${p} has i = ${is[p]}; expected an index into 'X' in [0, ${N - 1}]`);
    if (js[p] < 0 || js[p] >= M) fail('E_RANGE', `${op}: argument 'pairs' row ${p} has j = ${js[p]}; expected an index into 'Y' in [0, ${M - 1}]`);
  }
  return { tensor: t, is, js };
}

/** An empty result of the given shape, when there are no pairs to compute (like's dtype and device). */
function emptyResult(shape: number[], like: Tensor): Tensor {
  const data = like.dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
  return wrap(native.fromData(data, shape, like.dtype, like.device));
}

// ---------------------------------------------------------------- soft-DTW values

/** soft-DTW of series Z against itself, for the distinct series in `idx` (kernel lengths: its own for both sides). */
function selfTerms(op: string, Z: Tensor, idx: Int32Array, lengths: Tensor | null, o: Resolved): Tensor {
  return sdtwPairs(Z, Z, pairTensor(idx, idx, Z.device), { gamma: o.gamma, band: o.band, lengthsX: lengths, lengthsY: lengths }, op);
}

/** Sorted distinct values of `a`, and for each entry of `a` its position among them. */
function distinct(a: Int32Array): { values: Int32Array; position: number[] } {
  const values = Int32Array.from(new Set(a)).sort();
  const at = new Map<number, number>();
  values.forEach((v, k) => at.set(v, k));
  return { values, position: Array.from(a, (v) => at.get(v)!) };
}

/**
 * soft-DTW (or the divergence) of the listed pairs of X [N, Tx, D] and Y [M, Ty, D]: the one
 * implementation behind {@link softDtw}, {@link softDtwPairwise} and {@link softDtwPairs}.
 */
function pairValues(op: string, X: Tensor, Y: Tensor, is: Int32Array, js: Int32Array, o: Resolved): Tensor {
  if (is.length === 0) return emptyResult([0], X);
  const P = is.length;
  const paired = X.shape[0] === P && Y.shape[0] === P && is.every((i, p) => i === p && js[p] === p);
  const kernel: SdtwKernelOptions = { gamma: o.gamma, band: o.band, lengthsX: o.lengthsX, lengthsY: o.lengthsY, paired };
  const value = sdtwPairs(X, Y, pairTensor(is, js, X.device), kernel, op);
  if (!o.divergence) return value;
  const di = distinct(is);
  const dj = distinct(js);
  const sx = gather(selfTerms(op, X, di.values, o.lengthsX, o), di.position);
  const sy = gather(selfTerms(op, Y, dj.values, o.lengthsY, o), dj.position);
  return sub(value, mul(add(sx, sy), 0.5));
}

/**
 * Soft-DTW between paired series: out[b] = sdtw_γ(x[b], y[b]) = −γ·log Σ_A exp(−⟨A, C⟩/γ) over
 * the monotone alignment paths A from (0, 0) to (Tx−1, Ty−1) (inside the band and the lengths),
 * with the squared Euclidean cost C[i, j] = ‖x_i − y_j‖². x [B, Tx, D], y [B, Ty, D] (a 2-D
 * [B, T] input means D = 1) → [B]; Tx and Ty may differ. Differentiable w.r.t. x and y. As
 * tslearn's `soft_dtw` and the pytorch-softdtw `SoftDTW` module (which also names the
 * divergence `normalize`); the value can be negative.
 *
 * Memory: no cost tensor is ever made. A call being differentiated (inside `wt.grad` and the like)
 * keeps, until its backward, the soft-min weights of every cell of the band: Tx·w·8 bytes a pair
 * in float32 (w the band's width, Ty without a band). A call off the tape computes values only,
 * in O(Tx + Ty) per pair and about a third faster. The same holds for every soft-DTW function.
 *
 * @example
 * const d = wt.softDtw(x, y, { gamma: 0.1, band: 16 });                   // [B]
 * const loss = wt.mean(wt.softDtw(pred, target, { normalize: 'divergence' }));
 */
export const softDtw = publicOp('softDtw', function softDtw(x: Tensor, y: Tensor, opts?: SoftDtwOptions): Tensor {
  const X = seriesArg('softDtw', 'x', x);
  const Y = seriesArg('softDtw', 'y', y);
  checkPair('softDtw', X, Y, 'x', 'y');
  if (X.shape[0] !== Y.shape[0])
    fail('E_SHAPE', `softDtw: arguments 'x' and 'y' must hold the same number of series B; got ${X.shape[0]} and ${Y.shape[0]} (use softDtwPairwise for all pairs)`);
  const o = resolveOptions('softDtw', 3, opts, SOFT_KEYS, sideOf(X), sideOf(Y), false);
  const idx = Int32Array.from({ length: X.shape[0] }, (_, b) => b);
  return pairValues('softDtw', X, Y, idx, idx, o);
});

/**
 * Soft-DTW of every x series against every y series in one launch: X [N, Tx, D], Y [M, Ty, D]
 * → [N, M] with out[i, j] = softDtw(X[i], Y[j]) (lengthsX int32 [N], lengthsY int32 [M]; the
 * options of {@link softDtw}). As tslearn's `cdist_soft_dtw` (which returns the same values).
 */
export const softDtwPairwise = publicOp('softDtwPairwise', function softDtwPairwise(X: Tensor, Y: Tensor, opts?: SoftDtwOptions): Tensor {
  const X3 = seriesArg('softDtwPairwise', 'X', X);
  const Y3 = seriesArg('softDtwPairwise', 'Y', Y);
  checkPair('softDtwPairwise', X3, Y3, 'X', 'Y');
  const o = resolveOptions('softDtwPairwise', 3, opts, SOFT_KEYS, sideOf(X3), sideOf(Y3), false);
  const N = X3.shape[0];
  const M = Y3.shape[0];
  if (N === 0 || M === 0) return emptyResult([N, M], X3);
  const is = new Int32Array(N * M);
  const js = new Int32Array(N * M);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < M; j++) {
      is[i * M + j] = i;
      js[i * M + j] = j;
    }
  return reshape(pairValues('softDtwPairwise', X3, Y3, is, js, o), [N, M]);
});

/**
 * Soft-DTW of listed pairs: X [N, Tx, D], Y [M, Ty, D], `pairs` an int32 [P, 2] of (i, j)
 * indices → [P] with out[p] = softDtw(X[i_p], Y[j_p]), without copying series per pair (for the
 * positive and negative pair lists of metric learning). Pairs may repeat; the options are those
 * of {@link softDtw} (lengthsX int32 [N], lengthsY int32 [M]).
 */
export const softDtwPairs = publicOp('softDtwPairs', function softDtwPairs(X: Tensor, Y: Tensor, pairs: Tensor, opts?: SoftDtwOptions): Tensor {
  const X3 = seriesArg('softDtwPairs', 'X', X);
  const Y3 = seriesArg('softDtwPairs', 'Y', Y);
  checkPair('softDtwPairs', X3, Y3, 'X', 'Y');
  const { is, js } = pairsArg('softDtwPairs', pairs, X3.shape[0], Y3.shape[0]);
  const o = resolveOptions('softDtwPairs', 4, opts, SOFT_KEYS, sideOf(X3), sideOf(Y3), false);
  return pairValues('softDtwPairs', X3, Y3, is, js, o);
});

/**
 * Soft-DTW from a precomputed cost: C [B, Tx, Ty] float32/float64 → [B], for costs other than
 * the squared Euclidean one. Differentiable w.r.t. C, whose gradient is the expected alignment
 * (see {@link softDtwAlignment}). Cells outside the band or the lengths are never read.
 */
export const softDtwFromCost = publicOp('softDtwFromCost', function softDtwFromCost(C: Tensor, opts?: SoftDtwCostOptions): Tensor {
  tensorArg('softDtwFromCost', 'C', C);
  dtypeIn('softDtwFromCost', 'C', C, ['float32', 'float64']);
  if (C.rank !== 3) expected('E_SHAPE', 'softDtwFromCost', 'C', 'a cost batch [B, Tx, Ty]', C);
  if (C.shape[1] < 1 || C.shape[2] < 1) expected('E_SHAPE', 'softDtwFromCost', 'C', 'a cost with Tx >= 1 and Ty >= 1', C);
  const [B, Tx, Ty] = C.shape;
  const o = resolveOptions('softDtwFromCost', 2, opts, COST_KEYS, { count: B, len: Tx, device: C.device }, { count: B, len: Ty, device: C.device }, false);
  if (C.shape[0] === 0) return emptyResult([0], C);
  return sdtwFromCost(C, { gamma: o.gamma, band: o.band, lengthsX: o.lengthsX, lengthsY: o.lengthsY }, 'softDtwFromCost');
});

/**
 * The expected alignment E = ∂ softDtw / ∂C under the Gibbs distribution over alignment paths,
 * for the squared Euclidean cost: x [B, Tx, D], y [B, Ty, D] → [B, Tx, Ty], each entry in
 * [0, 1], 1 at (0, 0) and at the end cell (n−1, m−1) of each pair, 0 outside the band and past
 * the lengths. Entries below the smallest normal double (2^-1022) are 0 (tslearn keeps subnormal
 * values there; see docs/kernels.md). As the first output of tslearn's `soft_dtw_alignment` (whose second output is
 * {@link softDtw}'s value). A constant: not differentiable (it allocates the B×Tx×Ty matrix it
 * returns).
 */
export const softDtwAlignment = publicOp('softDtwAlignment', function softDtwAlignment(x: Tensor, y: Tensor, opts?: SoftDtwCostOptions): Tensor {
  const X = seriesArg('softDtwAlignment', 'x', x);
  const Y = seriesArg('softDtwAlignment', 'y', y);
  checkPair('softDtwAlignment', X, Y, 'x', 'y');
  if (X.shape[0] !== Y.shape[0])
    fail('E_SHAPE', `softDtwAlignment: arguments 'x' and 'y' must hold the same number of series B; got ${X.shape[0]} and ${Y.shape[0]}`);
  const o = resolveOptions('softDtwAlignment', 3, opts, COST_KEYS, sideOf(X), sideOf(Y), false);
  const [B, Tx, Ty] = [X.shape[0], X.shape[1], Y.shape[1]];
  if (B === 0) return emptyResult([0, Tx, Ty], X);
  // C[b, i, j] = Σ_d (x[b, i, d] − y[b, j, d])², by broadcasting [B, Tx, 1, D] against [B, 1, Ty, D].
  const cost = sum(square(sub(expandDims(stopGradient(X), 2), expandDims(stopGradient(Y), 1))), { axis: 3 });
  const kernel: SdtwKernelOptions = { gamma: o.gamma, band: o.band, lengthsX: o.lengthsX, lengthsY: o.lengthsY };
  const E = grad((c: Tensor) => sum(sdtwFromCost(c, kernel, 'softDtwAlignment')))(cost) as Tensor;
  return stopGradient(E);
});

// ---------------------------------------------------------------- hard DTW

/**
 * Hard DTW: the minimal total squared Euclidean cost Σ_(i,j)∈A ‖x_i − y_j‖² over monotone
 * alignment paths A (inside the band and the lengths), soft-DTW's γ → 0 limit. x [B, Tx, D],
 * y [B, Ty, D] → [B]. Note: tslearn's `dtw` and dtaidistance return the square root of this
 * value. Differentiable w.r.t. x and y almost everywhere (the gradient of the optimal path's
 * cost; at ties the kernels pick one path).
 */
export const dtw = publicOp('dtw', function dtw(x: Tensor, y: Tensor, opts?: DtwOptions): Tensor {
  const X = seriesArg('dtw', 'x', x);
  const Y = seriesArg('dtw', 'y', y);
  checkPair('dtw', X, Y, 'x', 'y');
  if (X.shape[0] !== Y.shape[0])
    fail('E_SHAPE', `dtw: arguments 'x' and 'y' must hold the same number of series B; got ${X.shape[0]} and ${Y.shape[0]}`);
  const o = resolveOptions('dtw', 3, opts, HARD_KEYS, sideOf(X), sideOf(Y), true);
  const idx = Int32Array.from({ length: X.shape[0] }, (_, b) => b);
  return pairValues('dtw', X, Y, idx, idx, o);
});

/**
 * The admissible columns [lo[i], hi[i]] of each row i < n for valid lengths n, m and radius r
 * (null: no band), by the rule documented on {@link DtwOptions.band}.
 */
function bandRows(n: number, m: number, r: number | null): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n).fill(m - 1);
  if (r === null || n === 1) return { lo, hi };
  const w = Math.max(2 * r * (n - 1), Math.max(n - 1, m - 1));
  const den = 2 * (n - 1);
  for (let i = 0; i < n; i++) {
    const c = 2 * i * (m - 1);
    lo[i] = Math.max(0, Math.ceil((c - w) / den));
    hi[i] = Math.min(m - 1, Math.floor((c + w) / den));
  }
  return { lo, hi };
}

/** At most this many admissible cells per pair in {@link dtwPath} (one byte each on the host). */
const MAX_PATH_CELLS = 2 ** 31;

/**
 * The optimal DTW alignment path of one pair (float64, on the host): the cells (i, j) from
 * (0, 0) to (n−1, m−1), backtracked from the end through the predecessor of least accumulated
 * cost, preferring (i−1, j−1), then (i−1, j), then (i, j−1) at ties (as tslearn's `dtw_path`).
 * Memory: one byte per admissible cell plus two rows.
 */
function optimalPath(x: Float64Array | Float32Array, xOff: number, y: Float64Array | Float32Array, yOff: number, D: number, n: number, m: number, r: number | null): Int32Array {
  const { lo, hi } = bandRows(n, m, r);
  const rowStart = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + (hi[i] - lo[i] + 1);
  if (rowStart[n] > MAX_PATH_CELLS)
    fail('E_RANGE', `dtwPath: a ${n}×${m} pair has ${rowStart[n]} admissible cells, more than the ${MAX_PATH_CELLS} the host backtrack stores; pass a smaller band`);
  // Predecessor of each admissible cell: 0 diagonal, 1 from (i−1, j), 2 from (i, j−1).
  const from = new Uint8Array(rowStart[n]);
  let prev = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    cur.fill(Infinity);
    for (let j = lo[i]; j <= hi[i]; j++) {
      let c = 0;
      for (let d = 0; d < D; d++) {
        const t = x[xOff + i * D + d] - y[yOff + j * D + d];
        c += t * t;
      }
      let best = 0;
      let step = 0;
      if (i > 0 || j > 0) {
        const diag = i > 0 && j > 0 ? prev[j - 1] : Infinity;
        const up = i > 0 ? prev[j] : Infinity;
        const left = j > 0 ? cur[j - 1] : Infinity;
        best = diag;
        if (up < best) [best, step] = [up, 1];
        if (left < best) [best, step] = [left, 2];
        // No finite predecessor (only for NaN costs): keep a monotone move so the path still ends at (0, 0).
        if (!(best < Infinity)) step = i > 0 && j > 0 ? 0 : i > 0 ? 1 : 2;
      }
      cur[j] = c + best;
      from[rowStart[i] + j - lo[i]] = step;
    }
    [prev, cur] = [cur, prev];
  }
  const path: number[] = [];
  let i = n - 1;
  let j = m - 1;
  for (;;) {
    path.push(i, j);
    if (i === 0 && j === 0) break;
    const step = i === 0 ? 2 : j === 0 ? 1 : from[rowStart[i] + j - lo[i]];
    if (step !== 2) i--;
    if (step !== 1) j--;
  }
  const out = new Int32Array(path.length);
  for (let k = 0; k < path.length; k += 2) {
    out[k] = path[path.length - 2 - k];
    out[k + 1] = path[path.length - 1 - k];
  }
  return out;
}

/**
 * The optimal hard-DTW alignment path of each pair (x [B, Tx, D], y [B, Ty, D], the options of
 * {@link dtw}): an array of B int32 [K, 2] tensors (on x's device) of the cells (i, j), from
 * (0, 0) to (n−1, m−1) for the pair's valid lengths n, m; the sum of the cost over a path is
 * {@link dtw}'s value. Ties are broken as tslearn's `dtw_path` breaks them (diagonal first).
 * Computed in float64 on the host with one byte per admissible cell, so it reads the series back
 * from the device. Not differentiable.
 */
export const dtwPath = publicOp('dtwPath', function dtwPath(x: Tensor, y: Tensor, opts?: DtwOptions): Tensor[] {
  const X = seriesArg('dtwPath', 'x', x);
  const Y = seriesArg('dtwPath', 'y', y);
  checkPair('dtwPath', X, Y, 'x', 'y');
  if (X.shape[0] !== Y.shape[0])
    fail('E_SHAPE', `dtwPath: arguments 'x' and 'y' must hold the same number of series B; got ${X.shape[0]} and ${Y.shape[0]}`);
  const o = resolveOptions('dtwPath', 3, opts, HARD_KEYS, sideOf(X), sideOf(Y), true);
  const [B, Tx, Ty, D] = [X.shape[0], X.shape[1], Y.shape[1], X.shape[2]];
  const xd = X.dataSync() as Float64Array | Float32Array;
  const yd = Y.dataSync() as Float64Array | Float32Array;
  const lx = o.lengthsX?.dataSync();
  const ly = o.lengthsY?.dataSync();
  const out: Tensor[] = [];
  for (let b = 0; b < B; b++) {
    const n = lx ? lx[b] : Tx;
    const m = ly ? ly[b] : Ty;
    const path = optimalPath(xd, b * Tx * D, yd, b * Ty * D, D, n, m, o.band);
    out.push(wrap(native.fromData(path, [path.length / 2, 2], 'int32', X.device)));
  }
  return out;
});
