/**
 * Overlap-normalised lag correlation of paper A, ρ_ab(ℓ) for every lag at once (numerator by
 * wt.xcorr, the overlap energies by cumulative sums), and its soft maximum over lags.
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { tensorArg, dtypeIn, optionsArg, intArg, finiteArg } from '../validate';
import { add, sub, mul, div, sqrt, square, maximum } from '../ops/elementwise';
import { sum, logsumexp } from '../ops/reduce';
import { slice, pad, concat, flip } from '../ops/layout';
import { xcorr } from '../ops/fft';

/** Options of {@link lagCorrelation}. */
export interface LagCorrelationOptions {
  /** Lags −maxLag … maxLag are returned (required; an integer in [0, T − 1]). */
  maxLag: number;
  /** Floor of the energy product under the square root, so silent signals give 0, not NaN (default 1e-12). */
  eps?: number;
}

/** Options of {@link softLagCorrelation}. */
export interface SoftLagCorrelationOptions extends LagCorrelationOptions {
  /** Inverse temperature β > 0 of the soft maximum over lags (default 10). */
  beta?: number;
}

/** x[..., start : start + size] along the last axis (recorded, so differentiable). */
function lastAxis(x: Tensor, start: number, size: number): Tensor {
  const begin = x.shape.map(() => 0);
  const sizes = x.shape.map(() => -1);
  begin[x.rank - 1] = start;
  sizes[x.rank - 1] = size;
  return slice(x, begin, sizes);
}

/** x padded with `before` zeros at the start of the last axis. */
function padStart(x: Tensor, before: number): Tensor {
  return pad(x, x.shape.map((_, i) => (i === x.rank - 1 ? [before, 0] : [0, 0])) as [number, number][]);
}

/**
 * Inclusive cumulative sum along the last axis by recursive doubling (log2 n shifted adds of
 * differentiable ops: the tape needs no cumsum primitive).
 */
function cumsumLast(x: Tensor): Tensor {
  const n = x.shape[x.rank - 1];
  let y = x;
  for (let s = 1; s < n; s *= 2) y = add(y, padStart(lastAxis(y, 0, n - s), s));
  return y;
}

/** The validated signals, maxLag and eps of lagCorrelation-like op `op`. */
export function lagArgs(op: string, a: unknown, b: unknown, opts: unknown, keys: readonly string[]) {
  for (const [t, name] of [[a, 'a'], [b, 'b']] as const) {
    tensorArg(op, name, t);
    dtypeIn(op, name, t as Tensor, ['float32', 'float64']);
    if ((t as Tensor).rank === 0) fail('E_SHAPE', `${op}: argument '${name}' must have a time axis (the last); got a scalar`);
  }
  const x = a as Tensor;
  const y = b as Tensor;
  if (x.dtype !== y.dtype) fail('E_DTYPE', `${op}: arguments 'a' (${x.dtype}) and 'b' (${y.dtype}) must have the same dtype`);
  if (x.device !== y.device) fail('E_DEVICE', `${op}: arguments 'a' (${x.device}) and 'b' (${y.device}) must be on one device`);
  const T = x.shape[x.rank - 1];
  if (y.shape[y.rank - 1] !== T) fail('E_SHAPE', `${op}: arguments 'a' and 'b' must have the same length T on the last axis; got ${T} and ${y.shape[y.rank - 1]}`);
  if (T < 1) fail('E_SHAPE', `${op}: signals must have at least one sample; got T = 0`);
  const o = optionsArg(op, 3, opts, keys) as Record<string, unknown>;
  if (o.maxLag === undefined) fail('E_RANGE', `${op}: option 'maxLag' is required (an integer in [0, ${T - 1}])`);
  const maxLag = intArg(op, 'maxLag', o.maxLag, 0, T - 1);
  const eps = o.eps === undefined ? 1e-12 : finiteArg(op, 'eps', o.eps);
  if (eps < 0) fail('E_RANGE', `${op}: argument 'eps' = ${eps}; expected a floor >= 0`);
  return { a: x, b: y, T, maxLag, eps, o };
}

/**
 * Per lag ℓ = −L … L, the energy Σ x(t)² that drops out of x's overlap: for `leadingOut` (the
 * signal indexed t, whose overlap at ℓ > 0 loses its last ℓ samples and at ℓ < 0 its first |ℓ|)
 * or the other role (indexed t + ℓ: the mirror image).
 */
function droppedEnergy(e: Tensor, T: number, L: number, indexedByT: boolean): Tensor {
  const head = cumsumLast(lastAxis(e, 0, L)); // head[m−1] = Σ_{t<m} e
  const tail = cumsumLast(flip(lastAxis(e, T - L, L), -1)); // tail[m−1] = Σ_{t≥T−m} e
  const [negative, positive] = indexedByT ? [head, tail] : [tail, head];
  return concat([flip(negative, -1), padStart(positive, 1)], e.rank - 1);
}

function correlation(a: Tensor, b: Tensor, T: number, L: number, eps: number): Tensor {
  // xcorr(b, a)[L + ℓ] = Σ_t b[t + ℓ]·a[t]: the paper's numerator at lag ℓ.
  const numerator = xcorr(b, a, { maxLag: L });
  const ea = square(a);
  const eb = square(b);
  let energyA = sum(ea, { axis: -1, keepdims: true });
  let energyB = sum(eb, { axis: -1, keepdims: true });
  if (L > 0) {
    energyA = sub(energyA, droppedEnergy(ea, T, L, true));
    energyB = sub(energyB, droppedEnergy(eb, T, L, false));
  }
  return div(numerator, sqrt(maximum(mul(energyA, energyB), eps)));
}

/**
 * The overlap-normalised lag correlation of paper A along the last (time) axis,
 *
 *   ρ_ab(ℓ) = Σ_t a(t)·b(t+ℓ) / ( √Σ_t a(t)² · √Σ_t b(t+ℓ)² ),  ℓ = −maxLag … maxLag,
 *
 * every sum running over the t where both a(t) and b(t+ℓ) exist (the overlap at that lag), so
 * |ρ| ≤ 1 at every lag. Index maxLag + ℓ of the result's last axis holds lag ℓ; a positive ℓ
 * means b lags behind a (b(t) = a(t − ℓ) peaks at +ℓ). Note the sign against {@link xcorr},
 * whose lag k pairs a[t + k] with b[t]: lagCorrelation(a, b)'s numerator is xcorr(b, a).
 *
 * a [..., T] and b [..., T] broadcast over their leading axes (pairs, channels): the result is
 * [...broadcast, 2·maxLag + 1]. All lags cost one FFT correlation and O(maxLag·log maxLag)
 * cumulative sums; differentiable in a and b. Silent overlaps give 0 (the energy product is
 * floored at `eps`).
 *
 * @example
 * const rho = wt.signal.lagCorrelation(a, b, { maxLag: 32 });   // [..., 65]
 */
export const lagCorrelation = publicOp('lagCorrelation', function lagCorrelation(a: Tensor, b: Tensor, opts: LagCorrelationOptions): Tensor {
  const v = lagArgs('lagCorrelation', a, b, opts, ['maxLag', 'eps']);
  return correlation(v.a, v.b, v.T, v.maxLag, v.eps);
});

/**
 * The soft maximum over lags of {@link lagCorrelation}, paper A's ρ̃_ab = (1/β)·log Σ_ℓ exp(β·ρ_ab(ℓ)):
 * [..., T] × [..., T] → [...broadcast]. It lies in [max_ℓ ρ, max_ℓ ρ + log(2·maxLag + 1)/β] and
 * tends to the hard maximum as β grows. Differentiable in a and b.
 *
 * @example
 * const score = wt.signal.softLagCorrelation(a, b, { maxLag: 32, beta: 20 });
 */
export const softLagCorrelation = publicOp('softLagCorrelation', function softLagCorrelation(a: Tensor, b: Tensor, opts: SoftLagCorrelationOptions): Tensor {
  const v = lagArgs('softLagCorrelation', a, b, opts, ['maxLag', 'eps', 'beta']);
  const beta = betaArg('softLagCorrelation', v.o.beta);
  const rho = correlation(v.a, v.b, v.T, v.maxLag, v.eps);
  return div(logsumexp(mul(rho, beta), { axis: -1 }), beta);
});

/** β as a finite number > 0 (default 10). */
export function betaArg(op: string, v: unknown): number {
  const beta = v === undefined ? 10 : finiteArg(op, 'beta', v);
  if (!(beta > 0)) fail('E_RANGE', `${op}: argument 'beta' = ${beta}; expected an inverse temperature > 0`);
  return beta;
}
