/**
 * wt.tr: batched trust-region step kernels — the Cauchy point with its predicted reduction, and
 * scipy's radius update — over rows of any leading batch shape; the dogleg and Steihaug-CG
 * subproblem solvers (composed of tensor ops) are re-exported from tr_subproblems.ts.
 *
 * Each is one fused native kernel per device (native/cpu/trust_region.cpp,
 * native/cuda/trust_region.cu, formulas in native/kernels/trust_region.h): the Cauchy point reads a
 * row once for both of its reductions and writes the step once; the radius rule is one elementwise
 * pass. Neither is differentiable: an argument on the tape is refused (wt.stopGradient it).
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { native } from '../native';
import { refuseOnTape } from '../autograd';
import { wrap } from './util';
import { full } from '../creation';
import { tensorArg, dtypeIn, optionsArg, finiteArg, expected } from '../validate';
import { radiusRule, type RadiusOptions } from '../optim/radius_rule';

export type { RadiusOptions };

function sameAs(op: string, arg: string, t: Tensor, like: Tensor, likeArg: string, shape: number[]): void {
  if (t.dtype !== like.dtype) fail('E_DTYPE', `${op}: argument '${arg}' is ${t.dtype}; expected ${likeArg}'s dtype ${like.dtype}`);
  if (t.device !== like.device) fail('E_DEVICE', `${op}: argument '${arg}' is on ${t.device}; expected ${likeArg}'s device ${like.device}`);
  if (t.shape.join() !== shape.join()) fail('E_SHAPE', `${op}: argument '${arg}' has shape [${t.shape}]; expected [${shape}]`);
}

/** Δ as a tensor of the batch shape: a number is checked here, a tensor by the kernel. */
function radiusArg(op: string, v: unknown, like: Tensor, likeArg: string, batch: number[]): Tensor {
  if (typeof v === 'number') {
    const d = finiteArg(op, 'delta', v);
    if (!(d > 0)) fail('E_RANGE', `${op}: argument 'delta' = ${d}; expected a trust radius > 0`);
    return full(batch, d, { dtype: like.dtype, device: like.device });
  }
  // A tensor of radii is checked by the kernel (E_RANGE when the results are read), so the call
  // never waits for the device.
  const t = tensorArg(op, 'delta', v);
  sameAs(op, 'delta', t, like, likeArg, batch);
  return t;
}

/** Options of {@link cauchyStep}: exactly one model, and the radius. */
export interface CauchyOptions {
  /** The diagonal of B, shaped like g. */
  hessDiag?: Tensor;
  /** B·g for a general model, shaped like g. */
  hessVec?: Tensor;
  /**
   * Δ: a number for every row, or a tensor of the batch shape g.shape[:-1]. A tensor entry that is
   * not finite and > 0 fails the op with E_RANGE when its results are read (the call itself never
   * waits for the device to check it).
   */
  delta: Tensor | number;
}

/** The Cauchy point of every row and what it predicts. */
export interface CauchyResult {
  /** s = −τ·(Δ/‖g‖)·g, shaped like g. */
  step: Tensor;
  /** m(0) − m(s) = −(gᵀs + ½sᵀBs), batch shape. */
  predicted: Tensor;
  /** τ, batch shape. */
  tau: Tensor;
  /** 1 where ‖s‖ = Δ (τ = 1 and g ≠ 0), else 0; g's dtype. */
  onBoundary: Tensor;
}

/**
 * The Cauchy point of the model m(s) = gᵀs + ½sᵀBs in ‖s‖ ≤ Δ for every row of g [..., d]
 * (Nocedal & Wright, Algorithm 4.2): s = −τ·(Δ/‖g‖)·g with τ = 1 if gᵀBg ≤ 0, else
 * min(‖g‖³/(Δ·gᵀBg), 1), and the predicted reduction −(gᵀs + ½sᵀBs) = τΔ‖g‖ − ½τ²Δ²·gᵀBg/‖g‖².
 * B is diagonal (`hessDiag`, gᵀBg = Σ d·g²) or given through `hessVec` = B·g. A row with g = 0
 * gets a zero step, τ = 1, predicted 0 and onBoundary 0 (never NaN). One fused kernel: a row is read
 * once for gᵀg and gᵀBg (accumulated in double, also for float32) and the step written once. Not
 * differentiable: an argument being differentiated fails with E_RANGE.
 *
 * @example
 * const { step, predicted } = wt.tr.cauchyStep(g, { hessDiag: d, delta: 0.5 });
 */
export const cauchyStep = publicOp('tr.cauchyStep', function cauchyStep(g: Tensor, options: CauchyOptions): CauchyResult {
  const op = 'tr.cauchyStep';
  tensorArg(op, 'g', g);
  dtypeIn(op, 'g', g, ['float32', 'float64']);
  if (g.rank < 1 || g.shape[g.rank - 1] === 0) fail('E_SHAPE', `${op}: argument 'g' has shape [${g.shape}]; expected [..., d] with d >= 1`);
  if (options == null) expected('E_RANGE', op, 'options', 'an options object {hessDiag | hessVec, delta}', options);
  const o = optionsArg(op, 2, options, ['hessDiag', 'hessVec', 'delta']);
  if ((o.hessDiag === undefined) === (o.hessVec === undefined)) fail('E_RANGE', `${op}: give exactly one of the options 'hessDiag' and 'hessVec'`);
  const batch = g.shape.slice(0, -1);
  const model = tensorArg(op, o.hessDiag !== undefined ? 'hessDiag' : 'hessVec', o.hessDiag ?? o.hessVec);
  sameAs(op, o.hessDiag !== undefined ? 'hessDiag' : 'hessVec', model, g, 'g', g.shape);
  if (o.delta === undefined) fail('E_RANGE', `${op}: the option 'delta' (the trust radius) is required`);
  const delta = radiusArg(op, o.delta, g, 'g', batch);
  refuseOnTape(op, { g, [o.hessDiag !== undefined ? 'hessDiag' : 'hessVec']: model, delta });
  const [step, predicted, tau, onBoundary] = native.cauchyStep(g.handle, model.handle, o.hessDiag !== undefined, delta.handle).map(wrap);
  return { step, predicted, tau, onBoundary };
});

/** The radius rule's result per row. */
export interface RadiusResult {
  /** The new radius, in [deltaMin, deltaMax]. */
  delta: Tensor;
  /** 1 where the step is accepted, else 0. */
  accept: Tensor;
  /** ρ = actual / predicted (NaN or ±Inf where those are). */
  rho: Tensor;
}

/**
 * scipy's trust-region radius rule for every row: ρ = actual/predicted; Δ ← γ1·Δ if ρ < η1,
 * Δ ← min(γ2·Δ, Δmax) if ρ > η2 and the step was on the boundary, else Δ; accept when ρ > η
 * (all comparisons strict). A row whose predicted reduction is ≤ 0 (a bad model) or whose actual
 * reduction is NaN or ±Inf is rejected and shrunk. The result is kept in [Δmin, Δmax]. One fused
 * elementwise kernel; not differentiable (an argument being differentiated fails with E_RANGE). A
 * `delta` entry that is not finite and > 0 fails the op with E_RANGE when its results are read.
 */
export const updateRadius = publicOp('tr.updateRadius', function updateRadius(
  actual: Tensor,
  predicted: Tensor,
  delta: Tensor,
  onBoundary: Tensor,
  options?: RadiusOptions,
): RadiusResult {
  const op = 'tr.updateRadius';
  tensorArg(op, 'actual', actual);
  dtypeIn(op, 'actual', actual, ['float32', 'float64']);
  tensorArg(op, 'predicted', predicted);
  sameAs(op, 'predicted', predicted, actual, 'actual', actual.shape);
  tensorArg(op, 'onBoundary', onBoundary);
  sameAs(op, 'onBoundary', onBoundary, actual, 'actual', actual.shape);
  const r = radiusRule(op, options, 5);
  if (!(delta instanceof Tensor)) expected('E_DTYPE', op, 'delta', 'a Tensor of radii', delta);
  const d = radiusArg(op, delta, actual, 'actual', actual.shape);
  refuseOnTape(op, { actual, predicted, delta: d, onBoundary });
  const [next, accept, rho] = native
    .updateRadius(actual.handle, predicted.handle, d.handle, onBoundary.handle, r.eta1, r.eta2, r.gamma1, r.gamma2, r.deltaMax, r.deltaMin, r.eta)
    .map(wrap);
  return { delta: next, accept, rho };
});

export { doglegStep, steihaugCG, type DoglegModel, type SteihaugOptions, type SubproblemResult } from './tr_subproblems';
