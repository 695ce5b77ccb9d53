/**
 * The native soft-DTW kernels behind wt.softDtw and its relatives (internal: lib/ops/sdtw.ts is the
 * public API and validates arguments first). Two taped ops, each with a native backward:
 * `sdtwPairs` (squared Euclidean cost computed on the fly, never a cost tensor) and `sdtwFromCost`.
 *
 * A forward on the tape keeps, per pair, the soft-min weights of every admissible cell (O(Tx·w) for
 * a band of w columns, O(Tx·Ty) without); off the tape it computes values only, in O(Tx + Ty) memory
 * per pair. The backward is the Cuturi–Blondel E recursion on those
 * weights (E[i,j] = Σ over successors s of E[s]·weight(s ← (i,j)), all in [0, 1], so it stays
 * finite for any γ and length). With γ = 0 (hard DTW) the weights are 0/1 on the first minimal
 * predecessor in the order diagonal, up (i−1, j), left (i, j−1): the gradient is that path's.
 * Kernels: native/cpu/sdtw.cpp, native/cuda/sdtw_wavefront.cu; math in native/kernels/sdtw_*.h.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { record, recording, defineGradient } from '../autograd';
import { fail } from '../errors';
import { full } from '../creation';
import { wrap } from './util';
import { mul } from './elementwise';
import { reshape, slice, scatterAdd } from './layout';

/** What the soft-DTW kernels take besides the tensors. */
export interface SdtwKernelOptions {
  /** > 0: soft-min temperature; 0: hard DTW (min). */
  gamma: number;
  /** Sakoe–Chiba radius under the slope-adjusted rule of native/kernels/sdtw_band.h; null: every cell. */
  band: number | null;
  /** int32 [N]: valid lengths of the x series (null: all Tx). */
  lengthsX: Tensor | null;
  /** int32 [M] (for sdtwFromCost [B]): valid lengths of the y series (null: all Ty). */
  lengthsY: Tensor | null;
  /**
   * sdtwPairs only: the pairs are (p, p) for every p and N = M = P (softDtw's pairing), so each
   * pair's gradient is its series' gradient and needs no scatter-add.
   */
  paired?: boolean;
}

interface SdtwAttrs {
  gamma: number;
  band: number;
  width: number;
  fn: string;
  paired: boolean;
}

/**
 * Stored columns per DP row: every pair's admissible rows must fit. A row spans at most
 * floor(K/(n−1)) + 1 columns with K/(n−1) = max(2r, (max(n, m) − 1)/(n − 1)), largest for the
 * shortest x length, so that length is read (a small synchronous read) when a band and lengthsX
 * are both given. Mirrors storedWidth in native/kernels/sdtw_band.h.
 */
function storedWidth(tx: number, ty: number, band: number | null, lengthsX: Tensor | null): number {
  if (band === null) return ty;
  let nMin = tx;
  if (lengthsX !== null) for (const n of lengthsX.dataSync() as Int32Array) nMin = Math.min(nMin, Math.max(n, 1));
  if (nMin <= 1) return ty;
  const steep = Math.floor((Math.max(tx, ty) - 1) / (nMin - 1));
  return Math.min(Math.max(2 * band, steep) + 1, ty);
}

function lengthsOr(t: Tensor | null, count: number, length: number, device: string): Tensor {
  return t ?? full([count], length, { dtype: 'int32', device });
}

/**
 * Records a soft-DTW forward, then frees what it made for the tape: the weights W (null when the
 * forward was not on the tape: see {@link recording}) and any lengths filled in here. record()
 * keeps aliases when it tapes the op, so freeing now (rather than at GC) releases at once what only
 * the tape holds.
 */
function recordAndFree(op: string, inputs: Tensor[], value: Tensor, W: Tensor | null, made: Tensor[], attrs: SdtwAttrs): Tensor {
  try {
    return W === null ? value : record(op, inputs, [value], { attrs, saved: [W] })[0];
  } finally {
    W?.dispose();
    for (const t of made) t.dispose();
  }
}

/** The lengths this call filled in (not the caller's), to free after recording. */
function madeHere(opts: SdtwKernelOptions, lx: Tensor, ly: Tensor): Tensor[] {
  return [opts.lengthsX === null ? lx : null, opts.lengthsY === null ? ly : null].filter((t): t is Tensor => t !== null);
}

function attrsOf(opts: SdtwKernelOptions, tx: number, ty: number, fn: string): SdtwAttrs {
  if (!(opts.gamma >= 0 && Number.isFinite(opts.gamma))) fail('E_RANGE', `${fn}: argument 'gamma' = ${opts.gamma}; expected a finite number >= 0`);
  if (opts.band !== null && !(Number.isInteger(opts.band) && opts.band >= 0))
    fail('E_RANGE', `${fn}: argument 'band' = ${opts.band}; expected an integer >= 0 or null`);
  return { gamma: opts.gamma, band: opts.band ?? -1, width: storedWidth(tx, ty, opts.band, opts.lengthsX), fn, paired: opts.paired === true };
}

/** Column c of an int32 [P, 2] tensor as [P]. */
function column(pairs: Tensor, c: number): Tensor {
  return reshape(slice(pairs, [0, c], [pairs.shape[0], 1]), [pairs.shape[0]]);
}

/**
 * Soft-DTW over a list of pairs, squared-Euclidean cost computed on the fly (never a cost tensor):
 * X [N, Tx, D], Y [M, Ty, D] (same float dtype/device), pairs int32 [P, 2] of (i, j) -> [P] values.
 * Differentiable w.r.t. X and Y (contributions of all pairs summed into each row); gamma = 0 gives
 * the gradient along the optimal path, ties broken diagonal first, then up, then left.
 */
export function sdtwPairs(X: Tensor, Y: Tensor, pairs: Tensor, opts: SdtwKernelOptions, fn: string): Tensor {
  const [N, tx] = X.shape, [M, ty] = Y.shape;
  const a = attrsOf(opts, tx, ty, fn);
  const lx = lengthsOr(opts.lengthsX, N, tx, X.device), ly = lengthsOr(opts.lengthsY, M, ty, X.device);
  const inputs = [X, Y, pairs, lx, ly];
  const [values, trans] = native.sdtwPairs(X.handle, Y.handle, pairs.handle, lx.handle, ly.handle, a.gamma, a.band, a.width, recording(inputs), fn);
  return recordAndFree('sdtwPairs', inputs, wrap(values), trans === null ? null : wrap(trans), madeHere(opts, lx, ly), a);
}

defineGradient<SdtwAttrs>('sdtwPairs', {
  inputsToSave: [0, 1, 2, 3, 4],
  intermediatesToSave: 1,
  onceDifferentiable: true,
  grad: (dy, { saved: [X, Y, pairs, lx, ly, W], attrs: a }) => {
    const [dXp, dYp] = native.sdtwPairsBackward(X.handle, Y.handle, pairs.handle, lx.handle, ly.handle, W.handle, a.gamma, a.band, a.width, a.fn);
    const g = reshape(dy, [dy.shape[0], 1, 1]);
    if (a.paired) return [mul(wrap(dXp), g), mul(wrap(dYp), g), null, null, null];
    const dX = scatterAdd(mul(wrap(dXp), g), column(pairs, 0), 0, X.shape[0]);
    const dY = scatterAdd(mul(wrap(dYp), g), column(pairs, 1), 0, Y.shape[0]);
    return [dX, dY, null, null, null];
  },
});

/**
 * From a precomputed cost C [B, Tx, Ty] (lengthsX/lengthsY index pair b) -> [B]; differentiable
 * w.r.t. C (dC = g·E, E the expected alignment, 0 outside the band and the lengths).
 */
export function sdtwFromCost(C: Tensor, opts: SdtwKernelOptions, fn: string): Tensor {
  const [B, tx, ty] = C.shape;
  const a = attrsOf(opts, tx, ty, fn);
  const lx = lengthsOr(opts.lengthsX, B, tx, C.device), ly = lengthsOr(opts.lengthsY, B, ty, C.device);
  const inputs = [C, lx, ly];
  const [values, trans] = native.sdtwCost(C.handle, lx.handle, ly.handle, a.gamma, a.band, a.width, recording(inputs), fn);
  return recordAndFree('sdtwFromCost', inputs, wrap(values), trans === null ? null : wrap(trans), madeHere(opts, lx, ly), a);
}

defineGradient<SdtwAttrs>('sdtwFromCost', {
  inputsToSave: [0, 1, 2],
  intermediatesToSave: 1,
  onceDifferentiable: true,
  grad: (dy, { saved: [C, lx, ly, W], attrs: a }) => [
    wrap(native.sdtwCostBackward(C.handle, lx.handle, ly.handle, W.handle, dy.handle, a.gamma, a.band, a.width, a.fn)),
    null,
    null,
  ],
});
