/**
 * The trust-region subproblems min_s gᵀs + ½sᵀBs, ‖s‖ ≤ Δ, in host float64, as scipy solves them:
 * the Cauchy point, dogleg, Steihaug-CG (trust-ncg) and the nearly exact Moré–Sorensen iteration.
 *
 * Each solver is a generator: where it needs B·v or the dense B it yields a request, so one solver
 * serves a single problem and B problems run in lockstep (their requests batched into one call).
 * Internal: not part of the public API (the package index does not export it).
 */
import {
  dot, norm2, axpy, scale, matvec, choleskyUpper, choSolve, solveUpperT, singularLeadingSubmatrix,
  smallestSingularValue, boundaryIntersections,
} from './dense';

/** What a solver or the outer loop asks the evaluator for, at the point `x` of one problem. */
export type Request =
  | { kind: 'f'; x: Float64Array }
  | { kind: 'g'; x: Float64Array }
  | { kind: 'hvp'; x: Float64Array; v: Float64Array }
  | { kind: 'hess'; x: Float64Array };

/** The reply to a request: f(x); ∇f(x); H(x)·v; H(x) row-major. */
export type Reply = number | Float64Array;

export type Solver<T> = Generator<Request, T, Reply>;

/** Thrown by a solver where scipy raises LinAlgError (status 3). */
export class LinAlgFailure extends Error {}

/**
 * The quadratic model at x: f, g and the Hessian's source — Hessian-vector products of f
 * ('hvp'), the dense Hessian of f ('dense', asked for once), or a quasi-Newton matrix ('given').
 */
export class QuadraticModel {
  private hessian: Float64Array | null;
  readonly gNorm: number;
  /** trust-exact's damping bound, reused when the radius shrinks on the same model. */
  lambdaLb = 0;
  previousRadius = -1;
  constructor(
    readonly x: Float64Array,
    readonly f: number,
    readonly g: Float64Array,
    readonly source: 'hvp' | 'dense' | 'given',
    given: Float64Array | null = null,
  ) {
    this.gNorm = norm2(g);
    this.hessian = given;
  }
  *dense(): Solver<Float64Array> {
    if (this.hessian === null) this.hessian = (yield { kind: 'hess', x: this.x }) as Float64Array;
    return this.hessian;
  }
  *hessp(v: Float64Array): Solver<Float64Array> {
    if (this.source === 'hvp') return (yield { kind: 'hvp', x: this.x, v }) as Float64Array;
    return matvec(yield* this.dense(), v);
  }
  /** m(p) = f + gᵀp + ½pᵀBp. */
  *value(p: Float64Array): Solver<number> {
    const bp = yield* this.hessp(p);
    return this.f + dot(this.g, p) + 0.5 * dot(p, bp);
  }
}

/** A subproblem's solution: the step and whether it lies on the boundary ‖s‖ = Δ. */
export interface Step {
  p: Float64Array;
  hitsBoundary: boolean;
  /** m(p), where the solver knows it without another product (the Cauchy point). */
  modelValue?: number;
}

/**
 * The Cauchy point (Nocedal & Wright, eq. 4.11–4.12): s = −τ·(Δ/‖g‖)·g with τ = 1 if gᵀBg ≤ 0,
 * else min(‖g‖³/(Δ·gᵀBg), 1); on the boundary when τ = 1.
 */
export function* cauchyPoint(m: QuadraticModel, delta: number): Solver<Step> {
  const n = m.g.length;
  if (m.gNorm === 0) return { p: new Float64Array(n), hitsBoundary: false, modelValue: m.f };
  const bg = yield* m.hessp(m.g);
  const gbg = dot(m.g, bg);
  const tau = gbg <= 0 ? 1 : Math.min(m.gNorm ** 3 / (delta * gbg), 1);
  const c = (-tau * delta) / m.gNorm;
  const gg = m.gNorm * m.gNorm;
  return { p: scale(c, m.g), hitsBoundary: tau === 1, modelValue: m.f + c * gg + 0.5 * c * c * gbg };
}

/**
 * Dogleg (Nocedal & Wright §4.1; scipy's `DoglegSubproblem`): the Newton point −B⁻¹g if inside,
 * else the steepest-descent minimiser scaled to the boundary if that is outside, else the point
 * where the segment between them crosses the boundary. B must be positive definite.
 */
export function* doglegStep(m: QuadraticModel, delta: number): Solver<Step> {
  const n = m.g.length;
  const b = yield* m.dense();
  const { u, info } = choleskyUpper(b, n);
  if (info !== 0) throw new LinAlgFailure(`the model Hessian is not positive definite (leading minor ${info})`);
  const pNewton = choSolve(u, n, scale(-1, m.g));
  if (norm2(pNewton) < delta) return { p: pNewton, hitsBoundary: false };
  const bg = matvec(b, m.g);
  const pU = scale(-dot(m.g, m.g) / dot(m.g, bg), m.g);
  const pUNorm = norm2(pU);
  if (pUNorm >= delta) return { p: scale(delta / pUNorm, pU), hitsBoundary: true };
  const d = axpy(pNewton, -1, pU);
  const [, tb] = boundaryIntersections(pU, d, delta);
  return { p: axpy(pU, tb, d), hitsBoundary: true };
}

/**
 * Steihaug-CG (scipy's `CGSteihaugSubproblem`): conjugate gradients on B·s = −g from s = 0,
 * stopping at residual < min(0.5, √‖g‖)·‖g‖ (or `tol`), on the boundary, or on a direction of
 * non-positive curvature (then the better of the two boundary points along it).
 */
export function* steihaugCG(m: QuadraticModel, delta: number, tol?: number, maxIter = Infinity): Solver<Step> {
  const n = m.g.length;
  const tolerance = tol ?? Math.min(0.5, Math.sqrt(m.gNorm)) * m.gNorm;
  if (m.gNorm < tolerance) return { p: new Float64Array(n), hitsBoundary: false };
  let z: Float64Array = new Float64Array(n);
  let r: Float64Array = Float64Array.from(m.g);
  let d: Float64Array = scale(-1, r);
  for (let it = 0; ; it++) {
    const bd = yield* m.hessp(d);
    const dbd = dot(d, bd);
    if (dbd <= 0) {
      const [ta, tb] = boundaryIntersections(z, d, delta);
      const pa = axpy(z, ta, d);
      const pb = axpy(z, tb, d);
      const ma = yield* m.value(pa);
      const mb = yield* m.value(pb);
      return { p: ma < mb ? pa : pb, hitsBoundary: true };
    }
    const rr = dot(r, r);
    const alpha = rr / dbd;
    const zNext = axpy(z, alpha, d);
    if (norm2(zNext) >= delta) {
      const [, tb] = boundaryIntersections(z, d, delta);
      return { p: axpy(z, tb, d), hitsBoundary: true };
    }
    const rNext = axpy(r, alpha, bd);
    const rrNext = dot(rNext, rNext);
    if (Math.sqrt(rrNext) < tolerance || it + 1 >= maxIter) return { p: zNext, hitsBoundary: false };
    d = axpy(scale(-1, rNext), rrNext / rr, d);
    z = zNext;
    r = rNext;
  }
}

const UPDATE_COEFF = 0.01;
const EPS = 2 ** -52;
const MAX_EXACT_ITER = 500;

function gershgorin(h: Float64Array, n: number): { lb: number; ub: number } {
  let lb = Infinity;
  let ub = -Infinity;
  for (let i = 0; i < n; i++) {
    let rowAbs = 0;
    for (let j = 0; j < n; j++) rowAbs += Math.abs(h[i * n + j]);
    const d = h[i * n + i];
    lb = Math.min(lb, d + Math.abs(d) - rowAbs);
    ub = Math.max(ub, d - Math.abs(d) + rowAbs);
  }
  return { lb, ub };
}

function withShift(h: Float64Array, n: number, lambda: number): Float64Array {
  const out = Float64Array.from(h);
  for (let i = 0; i < n; i++) out[i * n + i] += lambda;
  return out;
}

/**
 * The nearly exact subproblem solution of Moré & Sorensen (Conn, Gould & Toint §7.3; scipy's
 * `IterativeSubproblem` with k_easy = 0.1, k_hard = 0.2): Newton's method on the damping λ of
 * (B + λI)s = −g, safeguarded by Gershgorin bounds, with the hard case handled by a step along
 * an estimate of the smallest singular vector. Differs from scipy in one place: after a
 * successful trial factorisation scipy keeps solving with the previous factor; this uses the new one.
 */
export function* exactStep(m: QuadraticModel, delta: number): Solver<Step> {
  const n = m.g.length;
  const hess = yield* m.dense();
  if (!hess.every(Number.isFinite)) throw new LinAlgFailure('the model Hessian has entries that are NaN or infinite');
  const { lb: gLb, ub: gUb } = gershgorin(hess, n);
  let hInf = 0;
  let hFro = 0;
  let minDiag = Infinity;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) {
      row += Math.abs(hess[i * n + j]);
      hFro += hess[i * n + j] ** 2;
    }
    hInf = Math.max(hInf, row);
    minDiag = Math.min(minDiag, hess[i * n + i]);
  }
  hFro = Math.sqrt(hFro);
  const closeToZero = n * EPS * hInf;
  const jac = m.gNorm;
  let lambdaUb = Math.max(0, jac / delta + Math.min(-gLb, hFro, hInf));
  let lambdaLb = Math.max(0, -minDiag, jac / delta - Math.min(gUb, hFro, hInf));
  if (delta < m.previousRadius) lambdaLb = Math.max(m.lambdaLb, lambdaLb);
  const between = () => Math.max(Math.sqrt(lambdaLb * lambdaUb), lambdaLb + UPDATE_COEFF * (lambdaUb - lambdaLb));
  let lambda = lambdaLb === 0 ? 0 : between();
  let hitsBoundary = true;
  let p: Float64Array = new Float64Array(n);
  let factored: { h: Float64Array; u: Float64Array; info: number } | null = null;
  const negG = scale(-1, m.g);
  for (let iter = 0; ; iter++) {
    // scipy has no cap; one keeps a pathological model from spinning forever.
    if (iter >= MAX_EXACT_ITER) throw new LinAlgFailure(`the damping iteration did not converge in ${MAX_EXACT_ITER} steps`);
    let h: Float64Array;
    let u: Float64Array;
    let info: number;
    if (factored !== null) {
      ({ h, u, info } = factored);
      factored = null;
    } else {
      h = withShift(hess, n, lambda);
      ({ u, info } = choleskyUpper(h, n));
    }
    if (info === 0 && jac > closeToZero) {
      p = choSolve(u, n, negG);
      const pNorm = norm2(p);
      if (pNorm <= delta && lambda === 0) {
        hitsBoundary = false;
        break;
      }
      const w = solveUpperT(u, n, p);
      const wNorm = norm2(w);
      const lambdaNew = lambda + (pNorm / wNorm) ** 2 * ((pNorm - delta) / delta);
      if (pNorm < delta) {
        const { sMin, zMin } = smallestSingularValue(u, n);
        const [ta, tb] = boundaryIntersections(p, zMin, delta);
        const stepLen = Math.abs(ta) <= Math.abs(tb) ? ta : tb;
        const quadratic = dot(p, matvec(h, p));
        const relativeError = (stepLen ** 2 * sMin ** 2) / (quadratic + lambda * delta ** 2);
        if (relativeError <= 0.2) {
          p = axpy(p, stepLen, zMin);
          break;
        }
        lambdaUb = lambda;
        lambdaLb = Math.max(lambdaLb, lambda - sMin ** 2);
        const hNew = withShift(hess, n, lambdaNew);
        const trial = choleskyUpper(hNew, n);
        if (trial.info === 0) {
          lambda = lambdaNew;
          factored = { h: hNew, ...trial };
        } else {
          lambdaLb = Math.max(lambdaLb, lambdaNew);
          lambda = between();
        }
      } else {
        if (Math.abs(pNorm - delta) / delta <= 0.1) break;
        lambdaLb = lambda;
        lambda = lambdaNew;
      }
    } else if (info === 0) {
      if (lambda === 0) {
        p = new Float64Array(n);
        hitsBoundary = false;
        break;
      }
      const { sMin, zMin } = smallestSingularValue(u, n);
      if (delta ** 2 * sMin ** 2 <= 0.2 * lambda * delta ** 2) {
        p = scale(delta, zMin);
        break;
      }
      lambdaUb = lambda;
      lambdaLb = Math.max(lambdaLb, lambda - sMin ** 2);
      lambda = between();
    } else {
      const { delta: d, v } = singularLeadingSubmatrix(h, u, n, info);
      lambdaLb = Math.max(lambdaLb, lambda + d / dot(v, v));
      lambda = between();
    }
  }
  m.lambdaLb = lambdaLb;
  m.previousRadius = delta;
  return { p, hitsBoundary };
}
