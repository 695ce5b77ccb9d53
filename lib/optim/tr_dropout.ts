/**
 * The trust-region dropout controller of paper B (§3): dropout probabilities p moved by Cauchy
 * steps on L(p) + λ·½‖p − pTarget‖² inside ‖p(t+1) − p(t)‖₂ ≤ Δ(t), with scipy's radius rule.
 */
import { Tensor } from '../tensor';
import { tidy } from '../engine';
import { fail } from '../errors';
import { tensor } from '../creation';
import { cauchyStep, updateRadius } from '../ops/trust_region';
import { optionsArg, finiteArg, intArg, tensorArg, dtypeIn, expected, isPlainObject, describe } from '../validate';
import { radiusRule } from './radius_rule';

/** The largest float32 below 1: p stays in [pFloor, 1) in either precision. */
const P_MAX = 1 - 2 ** -24;

/** Options of {@link TrustRegionDropout}. */
export interface TrustRegionDropoutOptions {
  /** Number of probabilities (one per transform coefficient, or per scale). */
  size: number;
  /** Starting p for every entry (default 0.5). */
  pInit?: number;
  /** The regulariser's target (default 0.1). */
  pTarget?: number;
  /** Lower bound of p (default 0). */
  pFloor?: number;
  /** λ, the regulariser's weight (default 1). */
  lambda?: number;
  /** Δ₀ (default 0.05), Δmin (default 1e-4), Δmax (default 1). */
  delta0?: number;
  deltaMin?: number;
  deltaMax?: number;
  /** Steps during which Δ stays at Δ₀ (default 0). */
  warmup?: number;
  /** Radius rule (defaults 0.25, 0.75, 0.25, 2), and the acceptance threshold η (default 0). */
  eta1?: number;
  eta2?: number;
  gamma1?: number;
  gamma2?: number;
  eta?: number;
}

/** One committed step. */
export interface DropoutHistoryEntry {
  /** p in force after the step. */
  p: Float64Array;
  /** Δ the step was taken in. */
  delta: number;
  rho: number;
  accepted: boolean;
}

/** What {@link TrustRegionDropout.state} returns. */
export interface TrustRegionDropoutState {
  p: Float64Array;
  delta: number;
  step: number;
  history: DropoutHistoryEntry[];
}

interface Proposal {
  device: string;
  candidate: Float64Array;
  predicted: number;
  onBoundary: boolean;
}

/**
 * Keeps dropout probabilities p and steers them with a trust region. One step is two calls:
 * `propose(grad, curvatureDiag)` takes ∇L(p) and the diagonal of ∇²L(p), adds the regulariser's
 * λ(p − pTarget) and λ, and returns the Cauchy point p + s (wt.tr.cauchyStep with a diagonal
 * model, then clamped to [pFloor, 1), which only shortens s); the caller evaluates the loss there;
 * `commit(lossBefore, lossAfter)` forms ρ = (actual decrease of L + λR) / (predicted decrease of
 * the model for the clamped step), accepts or rejects, updates Δ with wt.tr.updateRadius (fixed
 * during `warmup` steps, kept in [deltaMin, deltaMax]) and returns the p in force.
 *
 * @example
 * const ctrl = new wt.optim.TrustRegionDropout({ size: 64, pInit: 0.5, pTarget: 0.2 });
 * const cand = ctrl.propose(gradOfLoss, curvature);      // evaluate the loss with rates `cand`
 * const p = ctrl.commit(lossBefore, lossAfter);
 */
export class TrustRegionDropout {
  readonly size: number;
  /** (p, Δ, ρ, accepted) per committed step, to plot the dropout spectrum. */
  history: DropoutHistoryEntry[] = [];
  private p: Float64Array;
  private delta: number;
  private steps = 0;
  private pending: Proposal | null = null;
  private readonly o: {
    pTarget: number;
    pFloor: number;
    lambda: number;
    delta0: number;
    warmup: number;
    rule: ReturnType<typeof radiusRule>;
  };

  constructor(options: TrustRegionDropoutOptions) {
    const op = 'optim.TrustRegionDropout';
    if (!isPlainObject(options)) expected('E_RANGE', op, 'options', 'an options object {size, pInit, pTarget, ...}', options);
    const { size, pInit, pTarget, pFloor, lambda, delta0, warmup, ...radius } = options;
    this.size = intArg(op, 'size', size, 1, 1 << 26);
    const num = (name: string, v: unknown, d: number, lo: number, hi: number) => {
      const x = v === undefined || v === null ? d : finiteArg(op, name, v);
      if (!(x >= lo && x <= hi)) fail('E_RANGE', `${op}: argument '${name}' = ${x}; expected a value in [${lo}, ${hi}]`);
      return x;
    };
    const floor = num('pFloor', pFloor, 0, 0, P_MAX);
    const rule = radiusRule(op, radius, 1, { eta: 0, deltaMin: 1e-4, deltaMax: 1 });
    const d0 = num('delta0', delta0, Math.min(0.05, rule.deltaMax), Number.MIN_VALUE, Infinity);
    if (d0 < rule.deltaMin || d0 > rule.deltaMax) fail('E_RANGE', `${op}: 'delta0' = ${d0} must lie in [deltaMin, deltaMax] = [${rule.deltaMin}, ${rule.deltaMax}]`);
    this.o = {
      pTarget: num('pTarget', pTarget, 0.1, 0, 1),
      pFloor: floor,
      lambda: num('lambda', lambda, 1, 0, Infinity),
      delta0: d0,
      warmup: warmup === undefined || warmup === null ? 0 : intArg(op, 'warmup', warmup, 0),
      rule,
    };
    const p0 = num('pInit', pInit, 0.5, 0, 1);
    this.p = new Float64Array(this.size).fill(Math.min(Math.max(p0, floor), P_MAX));
    this.delta = d0;
  }

  /** The probabilities in force (a copy). */
  get probabilities(): Float64Array {
    return Float64Array.from(this.p);
  }

  /** The current trust radius. */
  get radius(): number {
    return this.delta;
  }

  private vector(op: string, arg: string, v: unknown): Float64Array {
    const t = tensorArg(op, arg, v);
    dtypeIn(op, arg, t, ['float32', 'float64']);
    if (t.size !== this.size || t.rank !== 1) fail('E_SHAPE', `${op}: argument '${arg}' has shape [${t.shape}]; expected [${this.size}]`);
    const data = Float64Array.from(t.dataSync());
    if (!data.every(Number.isFinite)) fail('E_RANGE', `${op}: argument '${arg}' holds NaN or infinite values`);
    return data;
  }

  /**
   * The candidate probabilities for ∇L(p) = `grad` and diag ∇²L(p) = `curvatureDiag` (zeros when
   * omitted), as a float64 tensor on grad's device. A second call replaces the pending proposal.
   */
  propose(grad: Tensor, curvatureDiag?: Tensor): Tensor {
    const op = 'optim.TrustRegionDropout.propose';
    const g = this.vector(op, 'grad', grad);
    const c = curvatureDiag == null ? new Float64Array(this.size) : this.vector(op, 'curvatureDiag', curvatureDiag);
    const { lambda, pTarget, pFloor } = this.o;
    const n = this.size;
    const gt = Float64Array.from(g, (v, i) => v + lambda * (this.p[i] - pTarget));
    const bt = Float64Array.from(c, (v) => v + lambda);
    const step = tidy(() => {
      const dev = grad.device;
      const r = cauchyStep(tensor(gt, [1, n], { dtype: 'float64', device: dev }), {
        hessDiag: tensor(bt, [1, n], { dtype: 'float64', device: dev }),
        delta: this.delta,
      });
      return { s: Float64Array.from(r.step.dataSync()), onBoundary: r.onBoundary.dataSync()[0] === 1 };
    });
    const candidate = new Float64Array(n);
    let clamped = false;
    let predicted = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.min(Math.max(this.p[i] + step.s[i], pFloor), P_MAX);
      if (x !== this.p[i] + step.s[i]) clamped = true;
      candidate[i] = x;
      const s = x - this.p[i];
      predicted -= gt[i] * s + 0.5 * bt[i] * s * s;
    }
    this.pending = { device: grad.device, candidate, predicted, onBoundary: step.onBoundary && !clamped };
    return tensor(candidate, [n], { dtype: 'float64', device: grad.device });
  }

  /** R(p) = ½‖p − pTarget‖². */
  private regulariser(p: Float64Array): number {
    let s = 0;
    for (const v of p) s += (v - this.o.pTarget) ** 2;
    return 0.5 * s;
  }

  /**
   * Accepts or rejects the pending proposal given the loss at p (`lossBefore`) and at the
   * candidate (`lossAfter`), updates Δ and returns the probabilities in force (a float64 tensor).
   */
  commit(lossBefore: number, lossAfter: number): Tensor {
    const op = 'optim.TrustRegionDropout.commit';
    const before = finiteArg(op, 'lossBefore', lossBefore);
    if (typeof lossAfter !== 'number') expected('E_RANGE', op, 'lossAfter', 'a number', lossAfter);
    if (this.pending === null) fail('E_RANGE', `${op}: no pending proposal; call propose() first`);
    const { device, candidate, predicted, onBoundary } = this.pending;
    const lam = this.o.lambda;
    const actual = before + lam * this.regulariser(this.p) - (lossAfter + lam * this.regulariser(candidate));
    const { rule } = this.o;
    const r = tidy(() => {
      const one = (v: number) => tensor([v], [1], { dtype: 'float64', device });
      const u = updateRadius(one(actual), one(predicted), one(this.delta), one(onBoundary ? 1 : 0), rule);
      return { delta: u.delta.dataSync()[0], accept: u.accept.dataSync()[0] === 1, rho: u.rho.dataSync()[0] };
    });
    const taken = this.delta;
    if (r.accept) this.p = candidate;
    this.steps++;
    if (this.steps > this.o.warmup) this.delta = r.delta;
    this.pending = null;
    this.history.push({ p: Float64Array.from(this.p), delta: taken, rho: r.rho, accepted: r.accept });
    return tensor(this.p, [this.size], { dtype: 'float64', device });
  }

  /** p, Δ, the step count and the history, copied. */
  state(): TrustRegionDropoutState {
    return { p: Float64Array.from(this.p), delta: this.delta, step: this.steps, history: this.history.map((h) => ({ ...h, p: Float64Array.from(h.p) })) };
  }

  /** Restores a state from {@link state} (a pending proposal is dropped). */
  load(state: TrustRegionDropoutState): void {
    const op = 'optim.TrustRegionDropout.load';
    if (!isPlainObject(state)) expected('E_RANGE', op, 'state', 'a state object from state()', state);
    const p = state.p as unknown;
    if (!ArrayBuffer.isView(p) || (p as Float64Array).length !== this.size) expected('E_SHAPE', op, 'state.p', `${this.size} probabilities`, p);
    const ps = Float64Array.from(p as Float64Array);
    if (!ps.every((v) => v >= this.o.pFloor && v < 1)) fail('E_RANGE', `${op}: 'state.p' holds values outside [pFloor, 1)`);
    const d = finiteArg(op, 'state.delta', state.delta);
    if (!(d > 0)) fail('E_RANGE', `${op}: 'state.delta' = ${d}; expected a radius > 0`);
    const step = intArg(op, 'state.step', state.step, 0);
    if (!Array.isArray(state.history)) expected('E_RANGE', op, 'state.history', 'an array', state.history);
    this.p = ps;
    this.delta = d;
    this.steps = step;
    this.history = state.history.map((h, i) => {
      if (!isPlainObject(h) || !ArrayBuffer.isView(h.p)) fail('E_RANGE', `${op}: 'state.history[${i}]' is ${describe(h)}; expected an entry from state()`);
      return { p: Float64Array.from(h.p as Float64Array), delta: Number(h.delta), rho: Number(h.rho), accepted: h.accepted === true };
    });
    this.pending = null;
  }
}
