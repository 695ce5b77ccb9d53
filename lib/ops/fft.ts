/**
 * Discrete Fourier transforms with numpy's semantics (rfft, irfft, fft, ifft) and all-lag
 * cross-correlation through them (xcorr), each with its gradient registered next to its forward.
 *
 * Every transform works along one axis (default the last) of a batched tensor, for any length
 * n ≥ 1 (mixed radix 2, 3, 4, 5, 7, 8, 11 and Bluestein for other prime factors). `n` crops or
 * zero-pads the input along the axis first; `norm` places the 1/n factor: 'backward' (default)
 * on the inverse, 'forward' on the forward transform, 'ortho' 1/√n on both. float32 gives
 * complex64, float64 gives complex128.
 *
 * Gradients follow PyTorch's conventions: the gradient of a real loss with respect to a complex
 * tensor is ∂L/∂Re + i·∂L/∂Im. The adjoint of a transform with scale c is the transform of the
 * opposite sign with the same c; rfft's backward is a C2R of the one-sided gradient with the
 * interior bins halved (= zero-pad, inverse C2C, real part); irfft's backward is the R2C of the
 * gradient with the interior bins doubled.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap } from './util';
import { describe, tensorArg, optionsArg, axisArg, oneOf, intArg, isInt, dtypeIn, isComplexDType } from '../validate';
import { mul } from './elementwise';
import { conj } from './complex';
import { slice, pad, concat, cast, roll, reshape, broadcastTo, expandDims } from './layout';

/** Where the 1/n factor goes: numpy's `norm`. */
export type FftNorm = 'backward' | 'ortho' | 'forward';

/** Options of {@link rfft}, {@link irfft}, {@link fft} and {@link ifft}. */
export interface FftOptions {
  /**
   * Transform length. The input is cropped or zero-padded to it along `axis` (for irfft: to
   * n/2+1 bins). Default: the input's length (irfft: 2·(bins − 1)).
   */
  n?: number;
  /** The axis to transform (default -1, the last). */
  axis?: number;
  /** Normalisation (default 'backward': the inverse transforms divide by n). */
  norm?: FftNorm;
}

/** What a transform's gradient needs: the resolved length, axis, scale and input length. */
interface FftAttrs {
  n: number;
  axis: number;
  scale: number;
  /** The input's length along `axis` before cropping or padding. */
  len: number;
  /** Complex transforms only: the +i sign. */
  inverse?: boolean;
}

const isComplex = (t: Tensor) => isComplexDType(t.dtype);

function checkLength(n: unknown, op: string, arg = 'n'): number {
  if (!isInt(n) || n < 1 || n > 2 ** 30)
    fail('E_RANGE', `${op}: argument '${arg}' = ${describe(n)}; expected an integer transform length in [1, 2^30]`);
  return n;
}

/** The factor a transform of length n applies under `norm`, forward or inverse. */
function scaleOf(norm: FftNorm, n: number, forward: boolean): number {
  if (norm === 'ortho') return 1 / Math.sqrt(n);
  return (norm === 'forward') === forward ? 1 / n : 1;
}

/** Axis (normalised), transform length and norm from the options; `defaultN` maps the axis length. */
function resolve(x: Tensor, op: string, arg: string, opts: unknown, defaultN: (len: number, axis: number) => number) {
  tensorArg(op, arg, x);
  const o = optionsArg(op, 2, opts, ['n', 'axis', 'norm']);
  if (x.rank === 0) fail('E_SHAPE', `${op}: argument '${arg}' must have at least one axis; got a scalar`);
  const axis = axisArg(op, 'axis', o.axis ?? -1, x.rank);
  const len = x.shape[axis];
  if (o.n === undefined && len === 0)
    fail('E_SHAPE', `${op}: argument '${arg}' has length 0 along axis ${axis}; pass n >= 1 to zero-pad it`);
  const n = o.n === undefined ? defaultN(len, axis) : checkLength(o.n, op);
  const norm: FftNorm = o.norm === undefined ? 'backward' : oneOf(op, 'norm', o.norm, ['backward', 'ortho', 'forward'] as const);
  return { axis, len, n, norm };
}

/** x cropped or zero-padded to `len` entries along `axis` (recorded: slice and pad have gradients). */
function resizeAxis(x: Tensor, axis: number, len: number): Tensor {
  const have = x.shape[axis];
  if (have === len) return x;
  if (have > len) {
    const size = x.shape;
    size[axis] = len;
    return slice(x, size.map(() => 0), size);
  }
  return pad(x, x.shape.map((_, i) => (i === axis ? [0, len - have] : [0, 0])));
}

/**
 * A complex tensor holding w[k] (k < bins) along `axis` of an x-ranked tensor, size 1 elsewhere:
 * the constant bin weights of the real transforms' gradients.
 */
function binWeights(like: Tensor, axis: number, bins: number, w: (k: number) => number): Tensor {
  const data = like.dtype === 'complex64' || like.dtype === 'float32' ? new Float32Array(2 * bins) : new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) data[2 * k] = w(k);
  const shape = like.shape.map((_, i) => (i === axis ? bins : 1));
  const dtype = data instanceof Float32Array ? 'complex64' : 'complex128';
  return wrap(native.fromData(data, shape, dtype, like.device));
}

// ---------------------------------------------------------------- the scaled primitives

function complexTransform(x: Tensor, a: FftAttrs): Tensor {
  return record('fft', [x], [wrap(native.fft(x.handle, a.n, a.axis, a.inverse === true, a.scale))], { attrs: a })[0];
}
defineGradient<FftAttrs>('fft', {
  grad: (dy, { attrs: a }) => {
    const g = complexTransform(dy, { ...a, inverse: !a.inverse, len: a.n });
    return [resizeAxis(g, a.axis, a.len)];
  },
});

function realForward(x: Tensor, a: FftAttrs): Tensor {
  return record('rfft', [x], [wrap(native.rfft(x.handle, a.n, a.axis, a.scale))], { attrs: a })[0];
}
// dx = c·Re(Σ_k<bins dy_k e^{+2πijk/n}); C2R sums each interior bin twice (with its conjugate),
// so halve them first. The imaginary parts of DC and Nyquist do not reach Re(·), as C2R ignores them.
defineGradient<FftAttrs>('rfft', {
  grad: (dy, { attrs: a }) => {
    const bins = Math.floor(a.n / 2) + 1;
    const w = binWeights(dy, a.axis, bins, (k) => (k === 0 || 2 * k === a.n ? 1 : 0.5));
    const g = realInverse(mul(dy, w), { n: a.n, axis: a.axis, scale: a.scale, len: bins });
    return [resizeAxis(g, a.axis, a.len)];
  },
});

function realInverse(x: Tensor, a: FftAttrs): Tensor {
  return record('irfft', [x], [wrap(native.irfft(x.handle, a.n, a.axis, a.scale))], { attrs: a })[0];
}
// dX_k = c·w_k·R2C(dy)_k with w = 2 on the bins that stand for two conjugate bins, 1 on DC and
// (even n) Nyquist; then back to the input's bin count.
defineGradient<FftAttrs>('irfft', {
  grad: (dy, { attrs: a }) => {
    const bins = Math.floor(a.n / 2) + 1;
    const g = realForward(dy, { n: a.n, axis: a.axis, scale: a.scale, len: a.n });
    const w = binWeights(g, a.axis, bins, (k) => (k === 0 || 2 * k === a.n ? 1 : 2));
    return [resizeAxis(mul(g, w), a.axis, a.len)];
  },
});

// ---------------------------------------------------------------- public transforms

/**
 * The DFT of real x along `axis`: the n/2+1 bins of non-negative frequency,
 * X[k] = Σ_j x[j]·e^{−2πi·jk/n} (times 1/n for norm 'forward', 1/√n for 'ortho').
 * float32 → complex64, float64 → complex128.
 *
 * @example
 * const X = wt.rfft(signal);                        // [..., n/2+1] complex
 * const P = wt.abs2(X);                             // power spectrum
 */
export const rfft = publicOp('rfft', function rfft(x: Tensor, opts?: FftOptions): Tensor {
  const { axis, len, n, norm } = resolve(x, 'rfft', 'x', opts, (l) => l);
  return realForward(x, { n, axis, len, scale: scaleOf(norm, n, true) });
});

/**
 * The inverse of {@link rfft}: n real samples from the n/2+1 bins along `axis` (X cropped or
 * zero-padded to that many), x[j] = (1/n)·Σ_k X[k]·e^{+2πi·jk/n} over the Hermitian extension.
 * The imaginary parts of bin 0 and (even n) bin n/2 are ignored, as in numpy. Default
 * n = 2·(bins − 1): pass n for odd lengths.
 */
export const irfft = publicOp('irfft', function irfft(X: Tensor, opts?: FftOptions): Tensor {
  const { axis, len, n, norm } = resolve(X, 'irfft', 'X', opts, (bins, ax) => {
    if (bins < 2)
      fail('E_SHAPE', `irfft: argument 'X' has ${bins} bin(s) along axis ${ax}; the default n = 2·(bins − 1) needs at least 2 (or pass n)`);
    return 2 * (bins - 1);
  });
  return realInverse(X, { n, axis, len, scale: scaleOf(norm, n, false) });
});

function complexInput(x: Tensor, op: string): Tensor {
  if (isComplex(x)) return x;
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    fail('E_DTYPE', `${op}: argument 'x' must be complex64, complex128, float32 or float64; got ${x.dtype}`);
  return cast(x, x.dtype === 'float32' ? 'complex64' : 'complex128');
}

/**
 * The complex DFT along `axis`, X[k] = Σ_j x[j]·e^{−2πi·jk/n}. Real input is taken as complex
 * with zero imaginary part (as numpy does).
 */
export const fft = publicOp('fft', function fft(x: Tensor, opts?: FftOptions): Tensor {
  const { axis, len, n, norm } = resolve(x, 'fft', 'x', opts, (l) => l);
  return complexTransform(complexInput(x, 'fft'), { n, axis, len, scale: scaleOf(norm, n, true), inverse: false });
});

/** The inverse complex DFT along `axis`, x[j] = (1/n)·Σ_k X[k]·e^{+2πi·jk/n} (norm 'backward'). */
export const ifft = publicOp('ifft', function ifft(X: Tensor, opts?: FftOptions): Tensor {
  const { axis, len, n, norm } = resolve(X, 'ifft', 'X', opts, (l) => l);
  return complexTransform(complexInput(X, 'ifft'), { n, axis, len, scale: scaleOf(norm, n, false), inverse: true });
});

// ---------------------------------------------------------------- cross-correlation

/** Options of {@link xcorr}. */
export interface XcorrOptions {
  /**
   * Lags −maxLag … maxLag are returned (2·maxLag + 1 values). Default: max(Ta, Tb) − 1 for
   * 'linear', floor(T/2) for 'circular'. 'linear' takes any maxLag up to 2^30 (lags past the
   * signals are zeros and cost no transform work); 'circular' at most T − 1 (lags repeat with
   * period T).
   */
  maxLag?: number;
  /**
   * 'linear' (default): samples outside a signal are zero, so Ta and Tb may differ.
   * 'circular': indices wrap modulo T; both signals must have the same length T.
   */
  mode?: 'circular' | 'linear';
}

/** Smallest 2^a·3^b·5^c·7^d ≥ m: a length the Stockham plans handle without Bluestein. */
function smoothLengthAtLeast(m: number): number {
  let best = Infinity;
  for (let p7 = 1; p7 < 2 * m; p7 *= 7)
    for (let p5 = p7; p5 < 2 * m; p5 *= 5)
      for (let p3 = p5; p3 < 2 * m; p3 *= 3) {
        let v = p3;
        while (v < m) v *= 2;
        best = Math.min(best, v);
      }
  return best;
}

/**
 * Cross-correlation of real signals along the last axis, for every lag k = −maxLag … maxLag at
 * once (through rfft): c[..., maxLag + k] = Σ_t a[..., t + k]·b[..., t]. So a positive lag
 * means a is b delayed by k: a[t] = b[t − k] peaks at c[maxLag + k]. Leading axes broadcast
 * (numpy rules), so one call correlates many pairs; the result has 2·maxLag + 1 entries on the
 * last axis. Differentiable in a and b.
 *
 * @example
 * const c = wt.xcorr(a, b, { maxLag: 50 });          // [..., 101], lag −50 at index 0
 */
export const xcorr = publicOp('xcorr', function xcorr(a: Tensor, b: Tensor, opts?: XcorrOptions): Tensor {
  for (const [t, name] of [[a, 'a'], [b, 'b']] as const) {
    tensorArg('xcorr', name, t);
    dtypeIn('xcorr', name, t, ['float32', 'float64']);
    if (t.rank === 0) fail('E_SHAPE', `xcorr: argument '${name}' must have at least one axis; got a scalar`);
  }
  if (a.dtype !== b.dtype) fail('E_DTYPE', `xcorr: arguments 'a' (${a.dtype}) and 'b' (${b.dtype}) must have the same dtype`);
  const o = optionsArg('xcorr', 3, opts, ['maxLag', 'mode']);
  const mode = o.mode === undefined ? 'linear' : oneOf('xcorr', 'mode', o.mode, ['linear', 'circular'] as const);
  const ta = a.shape[a.rank - 1];
  const tb = b.shape[b.rank - 1];
  if (ta < 1 || tb < 1) fail('E_SHAPE', `xcorr: signals must have at least one sample; got lengths ${ta} and ${tb}`);
  if (mode === 'circular' && ta !== tb)
    fail('E_SHAPE', `xcorr: mode 'circular' needs signals of one length; got ${ta} ('a') and ${tb} ('b')`);
  // The work follows the signals, not maxLag. Linear: lags past the support −(Tb−1) … Ta−1 are
  // zeros, filled in by a pad. Circular: lags repeat with period T, filled in by tiling.
  const maxLag = o.maxLag === undefined
    ? (mode === 'linear' ? Math.max(ta, tb) - 1 : Math.floor(ta / 2))
    : intArg('xcorr', 'maxLag', o.maxLag, 0, 2 ** 30);
  const n = mode === 'circular' ? ta : smoothLengthAtLeast(ta + tb - 1);
  // Σ_t a[t+k]·b[t] has the spectrum A·conj(B); its inverse holds lag k at index k mod n.
  const circular = irfft(mul(rfft(a, { n }), conj(rfft(b, { n }))), { n });
  const rank = circular.rank;
  const lastAxis = (t: Tensor, start: number, size: number) => {
    const begin = t.shape.map(() => 0);
    const sizes = t.shape.map(() => -1);
    begin[rank - 1] = start;
    sizes[rank - 1] = size;
    return slice(t, begin, sizes);
  };
  if (mode === 'circular') {
    // out[j] = c[(j − maxLag) mod T]: c rolled by maxLag, repeated along a broadcast axis.
    const rolled = roll(circular, maxLag % ta, -1);
    const reps = Math.ceil((2 * maxLag + 1) / ta);
    const lead = rolled.shape.slice(0, -1);
    const tiled = reps === 1 ? rolled : reshape(broadcastTo(expandDims(rolled, -2), [...lead, reps, ta]), [...lead, reps * ta]);
    return reps * ta === 2 * maxLag + 1 ? tiled : lastAxis(tiled, 0, 2 * maxLag + 1);
  }
  // Lags −neg … −1 sit at the end of the circular correlation, 0 … pos at its start.
  const neg = Math.min(maxLag, tb - 1);
  const pos = Math.min(maxLag, ta - 1);
  const parts = neg > 0 ? [lastAxis(circular, n - neg, neg), lastAxis(circular, 0, pos + 1)] : [lastAxis(circular, 0, pos + 1)];
  const lags = parts.length === 1 ? parts[0] : concat(parts, rank - 1);
  if (neg === maxLag && pos === maxLag) return lags;
  return pad(lags, circular.shape.map((_, i) => (i === rank - 1 ? [maxLag - neg, maxLag - pos] : [0, 0])) as [number, number][]);
});
