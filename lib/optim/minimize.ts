/**
 * Trust-region minimisation of wavetape functions with scipy's semantics (`_minimize_trust_region`):
 * `minimize` for one problem, `minimizeBatched` for B independent problems evaluated together.
 *
 * The outer loop and the subproblem solvers (./subproblems) run in host float64, as scipy's do in
 * numpy; f, ∇f (by the tape) and H·v (double backward, `hvp`) run on f's device. Each problem is a
 * generator of requests, so B problems advance in lockstep and share one batched call per request kind.
 */
import { Tensor, DType } from '../tensor';
import { tidy } from '../engine';
import { fail } from '../errors';
import { valueAndGrad } from '../autograd';
import { hvp } from '../hvp';
import { tensor } from '../creation';
import { sum } from '../ops/reduce';
import { fnArg, tensorArg, dtypeIn, optionsArg, oneOf, finiteArg, intArg, describe, syncResult } from '../validate';
import { axpy, norm2 } from './dense';
import { QuadraticModel, Request, Reply, Solver, Step, LinAlgFailure, cauchyPoint, doglegStep, steihaugCG, exactStep } from './subproblems';
import { QuasiNewtonHessian } from './quasi_newton';

/** The subproblem solver: Steihaug-CG, dogleg, the nearly exact (Moré–Sorensen) solution, or the Cauchy point alone. */
export type TrustMethod = 'trust-ncg' | 'dogleg' | 'trust-exact' | 'cauchy';

/** Options of {@link minimize} and {@link minimizeBatched} (scipy's names in camelCase, scipy's defaults). */
export interface MinimizeOptions {
  /** Default 'trust-ncg'. */
  method?: TrustMethod;
  /**
   * The model Hessian: 'exact' (default) from f by double backward — Hessian-vector products for
   * trust-ncg and cauchy, the dense Hessian (n products) for dogleg and trust-exact — or a dense
   * quasi-Newton approximation, 'bfgs' or 'sr1', updated after each accepted step (our extension).
   */
  hessian?: 'exact' | 'bfgs' | 'sr1';
  /** Stop when ‖∇f‖₂ < gtol (default 1e-4). */
  gtol?: number;
  /** Iteration limit (default 200·n, n the number of variables of one problem). */
  maxIter?: number;
  /** Δ₀ (default 1), > 0 and < maxTrustRadius. */
  initialTrustRadius?: number;
  /** Δmax (default 1000). */
  maxTrustRadius?: number;
  /** Accept a step when ρ > eta; 0 ≤ eta < 0.25 (default 0.15). */
  eta?: number;
}

/** scipy's `OptimizeResult` for one problem. */
export interface MinimizeResult {
  /** The solution, shaped like x0. */
  x: Tensor;
  /** f(x). */
  fun: number;
  /** ∇f(x), shaped like x0. */
  jac: Tensor;
  /** Iterations (subproblems solved). */
  nit: number;
  /** Evaluations of f, of ∇f, and of the Hessian (one per Hessian-vector product or dense Hessian). */
  nfev: number;
  njev: number;
  nhev: number;
  success: boolean;
  /** 0 converged, 1 iteration limit, 2 the model predicted no decrease, 3 a linear-algebra failure (dogleg on a Hessian that is not positive definite). */
  status: 0 | 1 | 2 | 3;
  message: string;
}

/** The results of B problems, row b for problem b. */
export interface BatchedMinimizeResult {
  /** [B, ...] like X0. */
  x: Tensor;
  fun: Float64Array;
  /** [B, ...] like X0. */
  jac: Tensor;
  nit: Int32Array;
  nfev: Int32Array;
  njev: Int32Array;
  nhev: Int32Array;
  success: boolean[];
  status: Int32Array;
  message: string[];
}

/** scipy's messages, indexed by status. */
export const STATUS_MESSAGES = [
  'Optimization terminated successfully.',
  'Maximum number of iterations has been exceeded.',
  'A bad approximation caused failure to predict improvement.',
  'A linalg error occurred, such as a non-psd Hessian.',
] as const;

const KEYS = ['method', 'hessian', 'gtol', 'maxIter', 'initialTrustRadius', 'maxTrustRadius', 'eta'] as const;
/** The dense methods keep n×n matrices on the host. */
const MAX_DENSE_N = 4096;

interface Resolved {
  method: TrustMethod;
  hessian: 'exact' | 'bfgs' | 'sr1';
  gtol: number;
  maxIter: number;
  delta0: number;
  deltaMax: number;
  eta: number;
}

function resolveOptions(op: string, options: unknown, n: number): Resolved {
  const o = optionsArg(op, 3, options, KEYS);
  const method = o.method === undefined ? 'trust-ncg' : oneOf(op, 'method', o.method, ['trust-ncg', 'dogleg', 'trust-exact', 'cauchy'] as const);
  const hessian = o.hessian === undefined ? 'exact' : oneOf(op, 'hessian', o.hessian, ['exact', 'bfgs', 'sr1'] as const);
  const num = (k: 'gtol' | 'initialTrustRadius' | 'maxTrustRadius' | 'eta', d: number) => (o[k] === undefined ? d : finiteArg(op, k, o[k]));
  const gtol = num('gtol', 1e-4);
  const delta0 = num('initialTrustRadius', 1);
  const deltaMax = num('maxTrustRadius', 1000);
  const eta = num('eta', 0.15);
  const maxIter = o.maxIter === undefined ? 200 * n : intArg(op, 'maxIter', o.maxIter, 1);
  if (gtol < 0) fail('E_RANGE', `${op}: argument 'gtol' = ${gtol}; expected a number >= 0`);
  if (!(eta >= 0 && eta < 0.25)) fail('E_RANGE', `${op}: argument 'eta' = ${eta}; expected 0 <= eta < 0.25 (the acceptance threshold)`);
  if (deltaMax <= 0) fail('E_RANGE', `${op}: argument 'maxTrustRadius' = ${deltaMax}; expected a number > 0`);
  if (delta0 <= 0) fail('E_RANGE', `${op}: argument 'initialTrustRadius' = ${delta0}; expected a number > 0`);
  if (delta0 >= deltaMax)
    fail('E_RANGE', `${op}: argument 'initialTrustRadius' = ${delta0} must be less than 'maxTrustRadius' = ${deltaMax}`);
  const dense = method === 'dogleg' || method === 'trust-exact' || hessian !== 'exact';
  if (dense && n > MAX_DENSE_N)
    fail('E_RANGE', `${op}: ${method} with hessian '${hessian}' keeps an n×n matrix; n = ${n} exceeds ${MAX_DENSE_N} (use method 'trust-ncg' with hessian 'exact')`);
  return { method, hessian, gtol, maxIter, delta0, deltaMax, eta };
}

interface RowOutcome {
  x: Float64Array;
  f: number;
  g: Float64Array;
  nit: number;
  status: 0 | 1 | 2 | 3;
}

function solve(o: Resolved, m: QuadraticModel, delta: number): Solver<Step> {
  switch (o.method) {
    case 'cauchy':
      return cauchyPoint(m, delta);
    case 'dogleg':
      return doglegStep(m, delta);
    case 'trust-exact':
      return exactStep(m, delta);
    default:
      return steihaugCG(m, delta);
  }
}

/** One problem's trust-region loop (scipy's `_minimize_trust_region`), as a generator of requests. */
function* trustRegion(op: string, row: string, x0: Float64Array, o: Resolved): Generator<Request, RowOutcome, Reply> {
  const n = x0.length;
  const f0 = (yield { kind: 'f', x: x0 }) as number;
  const g0 = (yield { kind: 'g', x: x0 }) as Float64Array;
  if (!Number.isFinite(f0) || !g0.every(Number.isFinite))
    fail('E_RANGE', `${op}: f${row} or its gradient is not finite at the starting point (f = ${describe(f0)}); expected a finite value`);
  const qn = o.hessian === 'exact' ? null : new QuasiNewtonHessian(o.hessian, n);
  const source = qn !== null ? 'given' : o.method === 'trust-ncg' || o.method === 'cauchy' ? 'hvp' : 'dense';
  const model = (x: Float64Array, f: number, g: Float64Array) => new QuadraticModel(x, f, g, source, qn === null ? null : Float64Array.from(qn.b));
  let m = model(x0, f0, g0);
  let delta = o.delta0;
  let k = 0;
  let status: RowOutcome['status'] = 0;
  while (m.gNorm >= o.gtol) {
    let step: Step;
    try {
      step = yield* solve(o, m, delta);
    } catch (e) {
      if (!(e instanceof LinAlgFailure)) throw e;
      status = 3;
      break;
    }
    const predictedValue = step.modelValue ?? (yield* m.value(step.p));
    const xp = axpy(m.x, 1, step.p);
    const fp = (yield { kind: 'f', x: xp }) as number;
    const predicted = m.f - predictedValue;
    if (predicted <= 0) {
      status = 2;
      break;
    }
    // A NaN or ±Inf trial value rejects the step and shrinks the region (scipy would reject without shrinking).
    const rho = Number.isFinite(fp) ? (m.f - fp) / predicted : -Infinity;
    if (rho < 0.25) delta *= 0.25;
    else if (rho > 0.75 && step.hitsBoundary) delta = Math.min(2 * delta, o.deltaMax);
    if (rho > o.eta) {
      const gp = (yield { kind: 'g', x: xp }) as Float64Array;
      if (gp.every(Number.isFinite)) {
        if (qn !== null) qn.update(step.p, Float64Array.from(gp, (v, i) => v - m.g[i]));
        m = model(xp, fp, gp);
      } else delta = Math.min(delta, 0.25 * norm2(step.p));
    }
    k++;
    if (m.gNorm < o.gtol) {
      status = 0;
      break;
    }
    if (k >= o.maxIter) {
      status = 1;
      break;
    }
  }
  return { x: m.x, f: m.f, g: m.g, nit: k, status };
}

/** f's result checked: a real floating tensor with `size` elements shaped as `shape` (null: any shape of one element). */
function checkedValue(op: string, y: unknown, shape: number[] | null): Tensor {
  syncResult(y);
  if (!(y instanceof Tensor)) fail('E_DTYPE', `${op}: f must return a Tensor; it returned ${describe(y)}`);
  if (y.isDisposed) fail('E_DISPOSED', `${op}: f returned a disposed tensor`);
  if (y.dtype !== 'float32' && y.dtype !== 'float64') fail('E_DTYPE', `${op}: f must return a real float32 or float64 tensor; it returned ${y.dtype}`);
  if (shape === null ? y.size !== 1 : y.shape.join() !== shape.join())
    fail('E_SHAPE', `${op}: f must return ${shape === null ? 'a real scalar' : `shape [${shape}] (one value per problem)`}; it returned shape [${y.shape}]`);
  return y;
}

/** Evaluates requests of one kind for the rows that made them, on tensors shaped [rows, ...rowShape]. */
class Evaluator {
  private readonly valueF: (x: Tensor) => Tensor;
  private readonly scalarF: (x: Tensor) => Tensor;
  constructor(
    op: string,
    f: (x: Tensor) => unknown,
    private readonly shape: number[],
    private readonly dtype: DType,
    private readonly device: string,
    /** null for one problem; else B, and f returns [B] whose sum is differentiated. */
    batch: number | null,
  ) {
    this.valueF = (x) => checkedValue(op, f(x), batch === null ? null : [batch]);
    this.scalarF = batch === null ? this.valueF : (x) => sum(this.valueF(x));
  }
  private t(data: Float64Array): Tensor {
    return tensor(data, this.shape, { dtype: this.dtype, device: this.device });
  }
  values(x: Float64Array): Float64Array {
    return tidy(() => Float64Array.from(this.valueF(this.t(x)).dataSync()));
  }
  gradient(x: Float64Array): Float64Array {
    return tidy(() => Float64Array.from((valueAndGrad(this.scalarF)(this.t(x))[1] as Tensor).dataSync()));
  }
  hvp(x: Float64Array, v: Float64Array): Float64Array {
    return tidy(() => Float64Array.from(hvp(this.scalarF)(this.t(x), this.t(v)).dataSync()));
  }
}

interface Row {
  gen: Generator<Request, RowOutcome, Reply>;
  pending: Request | null;
  outcome: RowOutcome | null;
  counts: { nfev: number; njev: number; nhev: number };
}

/**
 * Runs the rows' generators to completion, serving each round the request kind most rows wait
 * for in one batched call (rows not asking are evaluated at a point of their own and ignored).
 */
function drive(rows: Row[], d: number, ev: Evaluator): void {
  const advance = (r: Row, reply: Reply | undefined) => {
    const s = reply === undefined ? r.gen.next() : r.gen.next(reply);
    if (s.done) {
      r.outcome = s.value;
      r.pending = null;
    } else r.pending = s.value;
  };
  rows.forEach((r) => advance(r, undefined));
  const filler = rows.map((r) => r.pending!.x);
  for (;;) {
    const waiting = rows.filter((r) => r.pending !== null);
    if (waiting.length === 0) return;
    const tally = new Map<Request['kind'], number>();
    for (const r of waiting) tally.set(r.pending!.kind, (tally.get(r.pending!.kind) ?? 0) + 1);
    const kind = [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const asking = rows.map((r) => r.pending !== null && r.pending.kind === kind);
    const stack = (pick: (req: Request, b: number) => ArrayLike<number>) => {
      const out = new Float64Array(rows.length * d);
      rows.forEach((r, b) => out.set(asking[b] ? pick(r.pending!, b) : pick({ kind: 'f', x: filler[b] }, b), b * d));
      return out;
    };
    const X = stack((req) => req.x);
    rows.forEach((r, b) => {
      if (asking[b]) filler[b] = r.pending!.x;
    });
    const replies: Reply[] = [];
    if (kind === 'f') {
      const y = ev.values(X);
      rows.forEach((_, b) => (replies[b] = y[b]));
    } else if (kind === 'g') {
      const g = ev.gradient(X);
      rows.forEach((_, b) => (replies[b] = g.slice(b * d, (b + 1) * d)));
    } else if (kind === 'hvp') {
      const zero = new Float64Array(d);
      const hv = ev.hvp(X, stack((req) => (req.kind === 'hvp' ? req.v : zero)));
      rows.forEach((_, b) => (replies[b] = hv.slice(b * d, (b + 1) * d)));
    } else {
      // The dense Hessian, column j from H·e_j for every asking row at once, symmetrised.
      const hs = rows.map(() => new Float64Array(d * d));
      const e = new Float64Array(rows.length * d);
      for (let j = 0; j < d; j++) {
        e.fill(0);
        rows.forEach((_, b) => (e[b * d + j] = 1));
        const col = ev.hvp(X, e);
        rows.forEach((_, b) => {
          for (let i = 0; i < d; i++) hs[b][i * d + j] = col[b * d + i];
        });
      }
      for (const h of hs)
        for (let i = 0; i < d; i++)
          for (let j = 0; j < i; j++) {
            const s = 0.5 * (h[i * d + j] + h[j * d + i]);
            h[i * d + j] = s;
            h[j * d + i] = s;
          }
      rows.forEach((_, b) => (replies[b] = hs[b]));
    }
    rows.forEach((r, b) => {
      if (!asking[b]) return;
      if (kind === 'f') r.counts.nfev++;
      else if (kind === 'g') r.counts.njev++;
      else r.counts.nhev++;
      advance(r, replies[b]);
    });
  }
}

function checkX0(op: string, arg: string, x0: unknown): Tensor {
  const x = tensorArg(op, arg, x0);
  dtypeIn(op, arg, x, ['float32', 'float64']);
  return x;
}

/**
 * Minimises scalar `f(x)` by a trust-region method, as `scipy.optimize.minimize` with method
 * 'trust-ncg', 'dogleg' or 'trust-exact' (same defaults, acceptance and radius rule, status codes
 * and messages), plus 'cauchy' (the Cauchy point alone: cheap steps, slow convergence).
 *
 * Each iteration solves min_s m(s) = f + gᵀs + ½sᵀBs subject to ‖s‖ ≤ Δ, computes
 * ρ = (f(x) − f(x + s)) / (m(0) − m(s)), sets Δ ← Δ/4 if ρ < ¼, Δ ← min(2Δ, Δmax) if ρ > ¾ and
 * ‖s‖ = Δ, and accepts the step if ρ > η. It stops when ‖∇f‖ < gtol (status 0), after maxIter
 * iterations (1), when the model predicts no decrease (2), or on a linear-algebra failure such as
 * dogleg on a Hessian that is not positive definite (3). A NaN or infinite f at a trial point
 * rejects the step and shrinks Δ. f must be twice differentiable for hessian 'exact'.
 *
 * @param f a wavetape function of a tensor shaped like x0, returning a real scalar tensor
 * @param x0 the starting point (float32 or float64, any shape); its dtype and device are f's
 * @example
 * const rosen = (x: wt.Tensor) => { const a = wt.slice(x, [[0, -1]]), b = wt.slice(x, [[1, null]]);
 *   return wt.sum(wt.add(wt.mul(100, wt.square(wt.sub(b, wt.square(a)))), wt.square(wt.sub(1, a)))); };
 * const r = wt.optim.minimize(rosen, wt.tensor([-1.2, 1], undefined, { dtype: 'float64' }), { method: 'trust-exact' });
 * // r.x ≈ [1, 1], r.nit 25, r.status 0
 */
export function minimize(f: (x: Tensor) => Tensor, x0: Tensor, options?: MinimizeOptions): MinimizeResult {
  const op = 'optim.minimize';
  fnArg(op, 'f', f);
  const x = checkX0(op, 'x0', x0);
  if (x.size === 0) fail('E_SHAPE', `${op}: argument 'x0' has no elements; expected at least one variable`);
  const o = resolveOptions(op, options, x.size);
  const ev = new Evaluator(op, f, x.shape, x.dtype, x.device, null);
  const row: Row = {
    gen: trustRegion(op, '', Float64Array.from(x.dataSync()), o),
    pending: null,
    outcome: null,
    counts: { nfev: 0, njev: 0, nhev: 0 },
  };
  drive([row], x.size, ev);
  const r = row.outcome!;
  return {
    x: tensor(r.x, x.shape, { dtype: x.dtype, device: x.device }),
    fun: r.f,
    jac: tensor(r.g, x.shape, { dtype: x.dtype, device: x.device }),
    nit: r.nit,
    ...row.counts,
    success: r.status === 0,
    status: r.status,
    message: STATUS_MESSAGES[r.status],
  };
}

/**
 * Minimises B independent problems at once: `f(X)` maps X [B, ...] to [B], row b of the result
 * depending only on row b of X. Each problem has its own radius, acceptance and stopping, and
 * takes exactly the steps {@link minimize} would take on it alone; the problems share one
 * evaluation of f, ∇f or H·V per round (∇ of Σ_b f_b gives every row's gradient at once).
 *
 * @example
 * const f = (X: wt.Tensor) => wt.sum(wt.square(wt.sub(X, 1)), { axis: -1 });   // B quadratics
 * const r = wt.optim.minimizeBatched(f, wt.zeros([64, 3], { dtype: 'float64' }));
 */
export function minimizeBatched(f: (x: Tensor) => Tensor, X0: Tensor, options?: MinimizeOptions): BatchedMinimizeResult {
  const op = 'optim.minimizeBatched';
  fnArg(op, 'f', f);
  const x = checkX0(op, 'X0', X0);
  if (x.rank < 2 || x.size === 0)
    fail('E_SHAPE', `${op}: argument 'X0' has shape [${x.shape}]; expected [B, ...] with B >= 1 problems of at least one variable each`);
  const batch = x.shape[0];
  const d = x.size / batch;
  const o = resolveOptions(op, options, d);
  const ev = new Evaluator(op, f, x.shape, x.dtype, x.device, batch);
  const data = Float64Array.from(x.dataSync());
  const rows: Row[] = Array.from({ length: batch }, (_, b) => ({
    gen: trustRegion(op, `[${b}]`, data.slice(b * d, (b + 1) * d), o),
    pending: null,
    outcome: null,
    counts: { nfev: 0, njev: 0, nhev: 0 },
  }));
  drive(rows, d, ev);
  const xs = new Float64Array(batch * d);
  const gs = new Float64Array(batch * d);
  rows.forEach((r, b) => {
    xs.set(r.outcome!.x, b * d);
    gs.set(r.outcome!.g, b * d);
  });
  const status = Int32Array.from(rows, (r) => r.outcome!.status);
  return {
    x: tensor(xs, x.shape, { dtype: x.dtype, device: x.device }),
    fun: Float64Array.from(rows, (r) => r.outcome!.f),
    jac: tensor(gs, x.shape, { dtype: x.dtype, device: x.device }),
    nit: Int32Array.from(rows, (r) => r.outcome!.nit),
    nfev: Int32Array.from(rows, (r) => r.counts.nfev),
    njev: Int32Array.from(rows, (r) => r.counts.njev),
    nhev: Int32Array.from(rows, (r) => r.counts.nhev),
    success: Array.from(status, (s) => s === 0),
    status,
    message: Array.from(status, (s) => STATUS_MESSAGES[s]),
  };
}
