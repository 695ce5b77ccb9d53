/**
 * Source-separation metrics (paper B §8): SI-SDR (differentiable, usable as a loss), BSS-eval
 * style SDR/SIR/SAR by orthogonal projections, transform-domain SIR and cross-source leakage of
 * masks, and the fraction of trust-region steps that stayed inside their radius.
 */
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { tensorArg, dtypeIn, optionsArg, axisArg, oneOf, boolArg, finiteArg, expected, isPlainObject } from '../validate';
import { sub, mul, div, log, square } from '../ops/elementwise';
import { tensor } from '../creation';
import { sum, mean } from '../ops/reduce';
import { expandDims } from '../ops/layout';
import { rfft } from '../ops/fft';
import { dct } from '../ops/dct';
import { abs2 } from '../ops/complex';

const DB = 10 / Math.LN10;

function realPair(op: string, a: unknown, aName: string, b: unknown, bName: string): [Tensor, Tensor] {
  const x = tensorArg(op, aName, a);
  const y = tensorArg(op, bName, b);
  dtypeIn(op, aName, x, ['float32', 'float64']);
  if (y.dtype !== x.dtype) fail('E_DTYPE', `${op}: argument '${bName}' is ${y.dtype} but '${aName}' is ${x.dtype}`);
  if (x.shape.join() !== y.shape.join()) fail('E_SHAPE', `${op}: arguments '${aName}' [${x.shape}] and '${bName}' [${y.shape}] must have one shape`);
  if (x.rank === 0) fail('E_SHAPE', `${op}: argument '${aName}' must have a time axis; got a scalar`);
  return [x, y];
}

/**
 * Scale-invariant SDR in dB along `axis` (default -1): with α = ⟨ŝ, s⟩/⟨s, s⟩,
 * SI-SDR = 10·log10(‖α·s‖² / ‖ŝ − α·s‖²) (Le Roux et al. 2019), both signals first made zero-mean
 * unless `zeroMean` is false. Differentiable (−SI-SDR is a training loss); +Infinity for a perfect
 * estimate. Returns one value per signal.
 *
 * @example
 * const db = wt.metrics.siSdr(estimates, references);     // [S] for [S, T]
 */
export const siSdr = publicOp('metrics.siSdr', function siSdr(estimate: Tensor, reference: Tensor, options?: { axis?: number; zeroMean?: boolean }): Tensor {
  const op = 'metrics.siSdr';
  const [e0, r0] = realPair(op, estimate, 'estimate', reference, 'reference');
  const o = optionsArg(op, 3, options, ['axis', 'zeroMean']);
  const axis = axisArg(op, 'axis', o.axis ?? -1, e0.rank);
  const zm = o.zeroMean === undefined ? true : boolArg(op, 'zeroMean', o.zeroMean);
  const e = zm ? sub(e0, mean(e0, { axis, keepdims: true })) : e0;
  const r = zm ? sub(r0, mean(r0, { axis, keepdims: true })) : r0;
  const alpha = div(sum(mul(e, r), { axis, keepdims: true }), sum(square(r), { axis, keepdims: true }));
  const target = mul(alpha, r);
  return mul(log(div(sum(square(target), { axis }), sum(square(sub(e, target)), { axis }))), DB);
});

/** What {@link bssEval} returns, one value per source, in dB. */
export interface BssEvalResult {
  sdr: Float64Array;
  sir: Float64Array;
  sar: Float64Array;
}

/** Solves the symmetric positive-definite G·x = b (Cholesky, float64); null if G is singular. */
function solveSpd(G: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = G[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, G[i * n + i]))) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/**
 * SDR, SIR and SAR per source (dB) by BSS-eval's decomposition (Vincent, Gribonval & Févotte
 * 2006) of each estimate ŝ_j = s_target + e_interf + e_artif: s_target the projection of ŝ_j on
 * s_j, s_target + e_interf its projection on the span of all references, e_artif the rest;
 * SDR = 10·log10(‖s_target‖²/‖e_interf + e_artif‖²), SIR = 10·log10(‖s_target‖²/‖e_interf‖²),
 * SAR = 10·log10(‖s_target + e_interf‖²/‖e_artif‖²). estimates and references are [S, T] (source
 * j's estimate in row j). The projections are instantaneous (no distortion filter): mir_eval's
 * bss_eval_sources allows 512-tap filters, so its SDR is at least this one's. Computed on the host
 * in float64; not differentiable (use {@link siSdr} as a loss).
 */
export const bssEval = publicOp('metrics.bssEval', function bssEval(estimates: Tensor, references: Tensor): BssEvalResult {
  const op = 'metrics.bssEval';
  const [e, r] = realPair(op, estimates, 'estimates', references, 'references');
  if (e.rank !== 2) fail('E_SHAPE', `${op}: arguments must be [S, T] (one source per row); got [${e.shape}]`);
  const [S, T] = e.shape;
  const es = Float64Array.from(e.dataSync());
  const rs = Float64Array.from(r.dataSync());
  const dot = (a: Float64Array, ai: number, b: Float64Array, bi: number) => {
    let s = 0;
    for (let t = 0; t < T; t++) s += a[ai * T + t] * b[bi * T + t];
    return s;
  };
  const G = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) G[i * S + j] = dot(rs, i, rs, j);
  const out: BssEvalResult = { sdr: new Float64Array(S), sir: new Float64Array(S), sar: new Float64Array(S) };
  for (let j = 0; j < S; j++) {
    const bj = Float64Array.from({ length: S }, (_, i) => dot(rs, i, es, j));
    const coef = solveSpd(G, bj, S);
    if (coef === null) fail('E_RANGE', `${op}: the references are linearly dependent (or one is zero); their projections are undefined`);
    const g = dot(rs, j, rs, j);
    let target2 = 0, interf2 = 0, artif2 = 0, span2 = 0, dist2 = 0;
    for (let t = 0; t < T; t++) {
      const target = (bj[j] / g) * rs[j * T + t];
      let span = 0;
      for (let i = 0; i < S; i++) span += coef[i] * rs[i * T + t];
      const x = es[j * T + t];
      target2 += target * target;
      interf2 += (span - target) ** 2;
      artif2 += (x - span) ** 2;
      span2 += span * span;
      dist2 += (x - target) ** 2;
    }
    out.sdr[j] = DB * Math.log(target2 / dist2);
    out.sir[j] = DB * Math.log(target2 / interf2);
    out.sar[j] = DB * Math.log(span2 / artif2);
  }
  return out;
});

/** Energies |T(x)|² of sources [S, n] in the transform domain: [S, K]. */
function coefficientEnergy(op: string, sources: Tensor, masks: Tensor, transform: 'rfft' | 'dct'): Tensor {
  const n = sources.shape[sources.rank - 1];
  const K = transform === 'rfft' ? Math.floor(n / 2) + 1 : n;
  if (masks.rank !== 2 || masks.shape[1] !== K || masks.shape[0] !== sources.shape[0])
    fail('E_SHAPE', `${op}: argument 'masks' must be [${sources.shape[0]}, ${K}] (one mask per source over the ${transform} coefficients); got [${masks.shape}]`);
  return transform === 'rfft' ? abs2(rfft(sources)) : square(dct(sources, { norm: 'ortho' }));
}

function masksArgs(op: string, sources: unknown, masks: unknown, options: unknown) {
  const s = tensorArg(op, 'sources', sources);
  const m = tensorArg(op, 'masks', masks);
  dtypeIn(op, 'sources', s, ['float32', 'float64']);
  if (m.dtype !== s.dtype) fail('E_DTYPE', `${op}: argument 'masks' is ${m.dtype} but 'sources' is ${s.dtype}`);
  if (s.rank !== 2) fail('E_SHAPE', `${op}: argument 'sources' must be [S, n]; got [${s.shape}]`);
  const o = optionsArg(op, 3, options, ['transform']);
  const transform = o.transform === undefined ? 'rfft' : oneOf(op, 'transform', o.transform, ['rfft', 'dct'] as const);
  return { s, m, energy: coefficientEnergy(op, s, m, transform) };
}

/**
 * Cross-source leakage of masks [S, K] over true sources [S, n]: L[s, s'] = ‖c_s ⊙ p_s'‖² / ‖c_s‖²,
 * the fraction of source s's transform-domain energy that mask s' lets through (c_s = T(x_s),
 * 'rfft' default or orthonormal 'dct'). Off the diagonal: leakage; on it: what each mask keeps of
 * its own source. Returns [S, S]; differentiable in the masks.
 */
export const crossSourceLeakage = publicOp('metrics.crossSourceLeakage', function crossSourceLeakage(sources: Tensor, masks: Tensor, options?: { transform?: 'rfft' | 'dct' }): Tensor {
  const { m, energy } = masksArgs('metrics.crossSourceLeakage', sources, masks, options);
  // [S, 1, K] energies times [1, S, K] squared masks, summed over K, over each source's energy.
  const through = sum(mul(expandDims(energy, 1), expandDims(square(m), 0)), { axis: -1 });
  return div(through, sum(energy, { axis: -1, keepdims: true }));
});

/**
 * Transform-domain SIR per source (dB): 10·log10(‖p_s ⊙ c_s‖² / Σ_{s'≠s} ‖p_s ⊙ c_s'‖²), how much
 * more of its own source than of the others mask s passes. Returns [S]; differentiable in the masks.
 */
export const transformDomainSir = publicOp('metrics.transformDomainSir', function transformDomainSir(sources: Tensor, masks: Tensor, options?: { transform?: 'rfft' | 'dct' }): Tensor {
  const { m, energy } = masksArgs('metrics.transformDomainSir', sources, masks, options);
  // passed[s', s] = ‖p_s ⊙ c_s'‖²: rows sources, columns masks.
  const passed = sum(mul(expandDims(energy, 1), expandDims(square(m), 0)), { axis: -1 });
  const S = energy.shape[0];
  const own = new Float64Array(S * S);
  for (let i = 0; i < S; i++) own[i * S + i] = 1;
  const eye = tensor(passed.dtype === 'float32' ? Float32Array.from(own) : own, [S, S], { dtype: passed.dtype, device: passed.device });
  const target = sum(mul(passed, eye), { axis: 0 });
  const interference = sum(mul(passed, sub(1, eye)), { axis: 0 });
  return mul(log(div(target, interference)), DB);
});


/** One step of a trust-region history: p after it and the radius it was taken in. */
export interface TrustStep {
  p: ArrayLike<number>;
  delta: number;
}

/**
 * The fraction of trust-region steps that stayed inside their radius, ‖p(t) − p(t−1)‖₂ ≤ Δ(t)
 * (with a relative slack `tol`, default 1e-9), over a history such as
 * `wt.optim.TrustRegionDropout`'s `history`. The first step is measured from `pInit` when given
 * and skipped otherwise. Returns a number in [0, 1] (NaN for no measurable step).
 */
export const trustRegionFraction = publicOp('metrics.trustRegionFraction', function trustRegionFraction(history: TrustStep[], options?: { pInit?: ArrayLike<number>; tol?: number }): number {
  const op = 'metrics.trustRegionFraction';
  if (!Array.isArray(history)) expected('E_RANGE', op, 'history', 'an array of {p, delta} steps', history);
  const o = optionsArg(op, 2, options, ['pInit', 'tol']);
  const tol = o.tol === undefined ? 1e-9 : finiteArg(op, 'tol', o.tol);
  if (tol < 0) fail('E_RANGE', `${op}: argument 'tol' = ${tol}; expected tol >= 0`);
  const vec = (v: unknown, name: string): ArrayLike<number> => {
    if (!(Array.isArray(v) || ArrayBuffer.isView(v))) expected('E_RANGE', op, name, 'an array of probabilities', v);
    return v as ArrayLike<number>;
  };
  let prev: ArrayLike<number> | null = o.pInit === undefined ? null : vec(o.pInit, 'pInit');
  let inside = 0;
  let counted = 0;
  history.forEach((h, t) => {
    if (!isPlainObject(h)) expected('E_RANGE', op, `history[${t}]`, 'a {p, delta} step', h);
    const p = vec(h.p, `history[${t}].p`);
    const delta = finiteArg(op, `history[${t}].delta`, h.delta);
    if (prev !== null) {
      if (prev.length !== p.length) fail('E_SHAPE', `${op}: step ${t} has ${p.length} probabilities; the one before has ${prev.length}`);
      let s = 0;
      for (let i = 0; i < p.length; i++) s += (p[i] - prev[i]) ** 2;
      counted++;
      if (Math.sqrt(s) <= delta * (1 + tol)) inside++;
    }
    prev = p;
  });
  return counted === 0 ? NaN : inside / counted;
});
