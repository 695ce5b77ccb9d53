/**
 * Discrete cosine transforms of types II and III with scipy.fft's semantics (dct, idct), for any
 * length along any axis, computed through one real FFT of length n (Makhoul's reordering).
 *
 * Both are compositions of differentiable ops (gather, rfft/irfft, elementwise products with
 * constant twiddles), so their gradients — of any order — come from the tape. Unnormalised
 * (norm 'backward'), DCT-II is y[k] = 2·Σ_j x[j]·cos(πk(2j+1)/(2n)) and DCT-III is
 * y[k] = x[0] + 2·Σ_{j≥1} x[j]·cos(πj(2k+1)/(2n)); DCT-III(DCT-II(x)) = 2n·x.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap } from './util';
import { describe, tensorArg, optionsArg, axisArg, oneOf, isInt, dtypeIn } from '../validate';
import { add, sub, mul } from './elementwise';
import { real, imag, complex } from './complex';
import { gather, swapAxes, slice, pad } from './layout';
import { rfft, irfft } from './fft';

/** scipy.fft's `norm` for the cosine transforms (null means 'backward'). */
export type DctNorm = 'backward' | 'ortho' | 'forward';

/** Options of {@link dct} and {@link idct}. */
export interface DctOptions {
  /** 2 (default) or 3. */
  type?: 2 | 3;
  /**
   * Transform length: the input is cropped or zero-padded to n along `axis` first (scipy's `n`).
   * Default: the input's length.
   */
  n?: number;
  /** The axis to transform (default -1, the last). */
  axis?: number;
  /**
   * 'backward' (default): dct unscaled, idct divides by 2n; 'forward': the reverse; 'ortho': the
   * orthonormal transforms (scipy's default `orthogonalize=True`), so dct and idct are transposes.
   */
  norm?: DctNorm | null;
}

interface Resolved {
  type: 2 | 3;
  n: number;
  axis: number;
  norm: DctNorm;
}

function resolve(op: string, x: unknown, opts: unknown): Resolved {
  const t = tensorArg(op, 'x', x);
  dtypeIn(op, 'x', t, ['float32', 'float64']);
  const o = optionsArg(op, 2, opts, ['type', 'n', 'axis', 'norm']);
  if (t.rank === 0) fail('E_SHAPE', `${op}: argument 'x' must have at least one axis; got a scalar`);
  const axis = axisArg(op, 'axis', o.axis ?? -1, t.rank);
  const type = o.type === undefined ? 2 : o.type;
  if (type !== 2 && type !== 3) fail('E_RANGE', `${op}: argument 'type' = ${describe(type)}; expected 2 or 3 (types I and IV are not implemented)`);
  const len = t.shape[axis];
  const n = o.n === undefined ? len : o.n;
  if (!isInt(n) || n < 1 || n > 2 ** 30) fail('E_RANGE', `${op}: argument 'n' = ${describe(n)}; expected a transform length in [1, 2^30]`);
  if (o.n === undefined && len === 0) fail('E_SHAPE', `${op}: argument 'x' has length 0 along axis ${axis}; pass n >= 1 to zero-pad it`);
  const norm = o.norm === undefined ? 'backward' : oneOf(op, 'norm', o.norm, ['backward', 'ortho', 'forward'] as const);
  return { type, n, axis, norm };
}

/** A constant vector of the tensor's real dtype on its device. */
function constant(like: Tensor, values: number[]): Tensor {
  const data = like.dtype === 'float32' || like.dtype === 'complex64' ? Float32Array.from(values) : Float64Array.from(values);
  return wrap(native.fromData(data, [values.length], like.dtype === 'float32' || like.dtype === 'complex64' ? 'float32' : 'float64', like.device));
}

/** x cropped or zero-padded to n along the last axis. */
function resizeLast(x: Tensor, n: number): Tensor {
  const len = x.shape[x.rank - 1];
  if (len === n) return x;
  if (len > n) return slice(x, x.shape.map((_, i) => 0), x.shape.map((s, i) => (i === x.rank - 1 ? n : -1)));
  return pad(x, x.shape.map((_, i) => (i === x.rank - 1 ? [0, n - len] : [0, 0])) as [number, number][]);
}

/** Unnormalised DCT-II along the last axis: 2·Re(e^{−iπk/2n}·V[k]), V the FFT of x reordered. */
function dct2Last(x: Tensor): Tensor {
  const n = x.shape[x.rank - 1];
  // v = x[0], x[2], x[4], …, then the odd entries backwards.
  const perm = new Array<number>(n);
  for (let k = 0; k < Math.ceil(n / 2); k++) perm[k] = 2 * k;
  for (let k = 0; 2 * k + 1 < n; k++) perm[n - 1 - k] = 2 * k + 1;
  const V = rfft(gather(x, perm, -1));
  // Bins above n/2 are the conjugates of bins n − k.
  const fold = Array.from({ length: n }, (_, k) => (2 * k <= n ? k : n - k));
  const theta = (k: number) => (Math.PI * k) / (2 * n);
  const c2 = constant(x, Array.from({ length: n }, (_, k) => 2 * Math.cos(theta(k))));
  const s2 = constant(x, Array.from({ length: n }, (_, k) => (2 * k <= n ? 2 : -2) * Math.sin(theta(k))));
  return add(mul(gather(real(V), fold, -1), c2), mul(gather(imag(V), fold, -1), s2));
}

/**
 * Unnormalised DCT-III along the last axis: the real inverse FFT (unscaled) of
 * W[k] = (X[k] − i·X[n−k])·e^{iπk/2n} for k ≤ n/2 (X[n] = 0), then Makhoul's reordering undone.
 */
function dct3Last(X: Tensor): Tensor {
  const n = X.shape[X.rank - 1];
  const bins = Math.floor(n / 2) + 1;
  const theta = (k: number) => (Math.PI * k) / (2 * n);
  const head = gather(X, Array.from({ length: bins }, (_, k) => k), -1);
  const mirror = gather(X, Array.from({ length: bins }, (_, k) => (k === 0 ? 0 : n - k)), -1);
  const cosK = constant(X, Array.from({ length: bins }, (_, k) => Math.cos(theta(k))));
  const sinK = constant(X, Array.from({ length: bins }, (_, k) => Math.sin(theta(k))));
  const cosM = constant(X, Array.from({ length: bins }, (_, k) => (k === 0 ? 0 : Math.cos(theta(k)))));
  const sinM = constant(X, Array.from({ length: bins }, (_, k) => (k === 0 ? 0 : Math.sin(theta(k)))));
  const re = add(mul(head, cosK), mul(mirror, sinM));
  const im = sub(mul(head, sinK), mul(mirror, cosM));
  const v = irfft(complex(re, im), { n, norm: 'forward' });
  // x[2m] = v[m], x[2m+1] = v[n−1−m].
  const unperm = Array.from({ length: n }, (_, j) => (j % 2 === 0 ? j / 2 : n - 1 - (j - 1) / 2));
  return gather(v, unperm, -1);
}

/**
 * The orthonormal transforms' per-coefficient factors: DCT-II's outputs take 1/√(4n) at k = 0 and
 * 1/√(2n) after; DCT-III's inputs (its transpose) 1/√n at k = 0 (the unnormalised DCT-III weighs
 * x[0] once, the others twice) and 1/√(2n) after.
 */
function orthoFactors(like: Tensor, n: number, type: 2 | 3): Tensor {
  const first = type === 2 ? 1 / Math.sqrt(4 * n) : 1 / Math.sqrt(n);
  return constant(like, Array.from({ length: n }, (_, k) => (k === 0 ? first : 1 / Math.sqrt(2 * n))));
}

/** The transform of `type` along the last axis with `scale` ('none', 'ortho' or 1/(2n)). */
function transformLast(x: Tensor, type: 2 | 3, scale: 'one' | 'ortho' | 'inverse'): Tensor {
  const n = x.shape[x.rank - 1];
  if (type === 2) {
    const y = dct2Last(x);
    if (scale === 'ortho') return mul(y, orthoFactors(x, n, 2));
    return scale === 'inverse' ? mul(y, 1 / (2 * n)) : y;
  }
  // The orthonormal DCT-III is the transpose of the orthonormal DCT-II: scale the input first.
  if (scale === 'ortho') return dct3Last(mul(x, orthoFactors(x, n, 3)));
  const y = dct3Last(x);
  return scale === 'inverse' ? mul(y, 1 / (2 * n)) : y;
}

function run(x: Tensor, r: Resolved, type: 2 | 3, inverse: boolean): Tensor {
  const last = x.rank - 1;
  const moved = r.axis === last ? x : swapAxes(x, r.axis, last);
  const scale = r.norm === 'ortho' ? 'ortho' : (r.norm === 'forward') !== inverse ? 'inverse' : 'one';
  const y = transformLast(resizeLast(moved, r.n), type, scale);
  return r.axis === last ? y : swapAxes(y, r.axis, last);
}

/**
 * The discrete cosine transform of real x along `axis`, as `scipy.fft.dct(x, type, n, axis,
 * norm)`: type 2 (default) y[k] = 2·Σ_j x[j]·cos(πk(2j+1)/(2n)), type 3
 * y[k] = x[0] + 2·Σ_{j≥1} x[j]·cos(πj(2k+1)/(2n)); 'forward' divides by 2n, 'ortho' makes
 * the transform orthonormal. Any length (one FFT of length n); differentiable.
 * Differences from scipy: float32/float64 input only (no complex), types I and IV absent.
 *
 * @example
 * const c = wt.dct(x, { norm: 'ortho' });           // energy-preserving DCT-II
 * const back = wt.idct(c, { norm: 'ortho' });       // ≈ x
 */
export const dct = publicOp('dct', function dct(x: Tensor, options?: DctOptions): Tensor {
  const r = resolve('dct', x, options);
  return run(x, r, r.type, false);
});

/**
 * The inverse of {@link dct} of the same type and norm, as `scipy.fft.idct`: the inverse of type 2
 * is a type-3 transform (and vice versa), divided by 2n under the default norm 'backward'.
 */
export const idct = publicOp('idct', function idct(x: Tensor, options?: DctOptions): Tensor {
  const r = resolve('idct', x, options);
  return run(x, r, r.type === 2 ? 3 : 2, true);
});
