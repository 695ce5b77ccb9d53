/**
 * wt.tr.doglegStep and wt.tr.steihaugCG: the trust-region subproblem solvers scipy uses (dogleg,
 * Steihaug-CG) on tensors, B independent rows at once, composed of wavetape ops so every device runs them.
 */
import { Tensor } from '../tensor';
import { publicOp, tidy } from '../engine';
import { fail } from '../errors';
import { refuseOnTape } from '../autograd';
import { full, zeros, eye } from '../creation';
import { add, sub, mul, div, neg, sqrt, where, less, lessEqual, greater, greaterEqual, maximum, minimum, affine } from './elementwise';
import { sum, min } from './reduce';
import { reshape, slice, squeeze, expandDims, stack } from './layout';
import { matmul } from './linalg';
import { tensorArg, dtypeIn, optionsArg, finiteArg, intArg, fnArg, expected, describe, syncResult } from '../validate';

/** A subproblem's solution for every row. */
export interface SubproblemResult {
  /** The step s, shaped like g. */
  step: Tensor;
  /** The model's predicted reduction −(gᵀs + ½sᵀBs), batch-shaped. */
  predicted: Tensor;
  /** 1 where the step ends on the boundary ‖s‖ = Δ, else 0; batch-shaped. */
  onBoundary: Tensor;
}

interface Rows {
  batch: number[];
  B: number;
  d: number;
}

function rowsOf(op: string, g: Tensor): Rows {
  tensorArg(op, 'g', g);
  dtypeIn(op, 'g', g, ['float32', 'float64']);
  if (g.rank < 1 || g.shape[g.rank - 1] === 0) fail('E_SHAPE', `${op}: argument 'g' has shape [${g.shape}]; expected [..., d] with d >= 1`);
  const batch = g.shape.slice(0, -1);
  return { batch, B: batch.reduce((a, b) => a * b, 1), d: g.shape[g.rank - 1] };
}

function like(op: string, arg: string, t: unknown, g: Tensor, shape: number[]): Tensor {
  const x = tensorArg(op, arg, t);
  if (x.dtype !== g.dtype) fail('E_DTYPE', `${op}: argument '${arg}' is ${x.dtype}; expected g's dtype ${g.dtype}`);
  if (x.device !== g.device) fail('E_DEVICE', `${op}: argument '${arg}' is on ${x.device}; expected g's device ${g.device}`);
  if (x.shape.join() !== shape.join()) fail('E_SHAPE', `${op}: argument '${arg}' has shape [${x.shape}]; expected [${shape}]`);
  return x;
}

/** Δ as [B, 1]: a number is checked here; a tensor's entries are checked with the solver's one read. */
function radiusRows(op: string, delta: unknown, g: Tensor, r: Rows): Tensor {
  if (typeof delta === 'number') {
    const v = finiteArg(op, 'delta', delta);
    if (!(v > 0)) fail('E_RANGE', `${op}: argument 'delta' = ${v}; expected a trust radius > 0`);
    return full([r.B, 1], v, { dtype: g.dtype, device: g.device });
  }
  if (!(delta instanceof Tensor)) expected('E_DTYPE', op, 'delta', 'a trust radius (a number, or a tensor of the batch shape)', delta);
  return reshape(like(op, 'delta', delta, g, r.batch), [r.B, 1]);
}

/** Rows whose radius is not finite and > 0, from one read of a [B, 1] tensor. */
function checkRadii(op: string, delta: Tensor): void {
  const v = delta.dataSync();
  for (let i = 0; i < v.length; i++)
    if (!(v[i] > 0 && Number.isFinite(v[i]))) fail('E_RANGE', `${op}: argument 'delta' holds ${v[i]} at ${i}; expected finite trust radii > 0`);
}

const dot = (a: Tensor, b: Tensor): Tensor => sum(mul(a, b), { axis: -1, keepdims: true });
const norm = (a: Tensor): Tensor => sqrt(dot(a, a));
const column = (x: Tensor, j: number): Tensor => slice(x, [0, j], [-1, 1]);

/**
 * The two t with ‖z + t·p‖ = Δ, smaller first, by scipy's cancellation-free formula
 * (`get_boundaries_intersections`): aux = b + sign(b)·√(b² − 4ac), t = −aux/2a and −2c/aux.
 */
function boundaryIntersections(z: Tensor, p: Tensor, delta: Tensor): { lo: Tensor; hi: Tensor } {
  const a = dot(p, p);
  const b = mul(2, dot(z, p));
  const c = sub(dot(z, z), mul(delta, delta));
  const root = sqrt(sub(mul(b, b), mul(4, mul(a, c))));
  const aux = add(b, where(greaterEqual(b, 0), root, neg(root)));
  const ta = div(neg(aux), mul(2, a));
  const tb = div(mul(-2, c), aux);
  return { lo: minimum(ta, tb), hi: maximum(ta, tb) };
}

/**
 * A batched Cholesky factorisation A = L·Lᵀ of [B, d, d], a column at a time (one matmul each), and
 * the solve of A·x = b; `pivots` [B, d] are the squared diagonal entries, all > 0 exactly when the
 * row's matrix is positive definite (a pivot ≤ 0 leaves NaN in later columns, never read).
 */
function cholesky(a: Tensor, d: number): { solve: (b: Tensor) => Tensor; pivots: Tensor } {
  const cols: Tensor[] = [];
  const diag: Tensor[] = [];
  const pivots: Tensor[] = [];
  const I = eye(d, undefined, { dtype: a.dtype, device: a.device });
  const below = (j: number): Tensor => sum(slice(I, [j, 0], [-1, -1]), { axis: 0 }); // 1 at rows >= j
  for (let j = 0; j < d; j++) {
    let v = squeeze(slice(a, [0, 0, j], [-1, -1, 1]), 2);
    if (j > 0) {
      const lp = stack(cols, 2); // [B, d, j]
      const row = squeeze(slice(lp, [0, j, 0], [-1, 1, -1]), 1); // [B, j]
      v = sub(v, squeeze(matmul(lp, expandDims(row, -1)), -1));
    }
    const pivot = column(v, j);
    pivots.push(pivot);
    const ljj = sqrt(pivot);
    diag.push(ljj);
    cols.push(mul(div(v, ljj), below(j)));
  }
  const solve = (b: Tensor): Tensor => {
    // L·y = b by columns, then Lᵀ·x = y from the last row up.
    let rest = b;
    let y = zeros(b.shape, { dtype: b.dtype, device: b.device });
    for (let j = 0; j < d; j++) {
      const yj = div(column(rest, j), diag[j]);
      y = add(y, mul(yj, slice(I, [j, 0], [1, -1])));
      rest = sub(rest, mul(cols[j], yj));
    }
    let x = zeros(b.shape, { dtype: b.dtype, device: b.device });
    for (let j = d - 1; j >= 0; j--) {
      const xj = div(sub(column(y, j), dot(cols[j], x)), diag[j]);
      x = add(x, mul(xj, slice(I, [j, 0], [1, -1])));
    }
    return x;
  };
  return { solve, pivots: stack(pivots.map((p) => squeeze(p, 1)), 1) };
}

/** The model of {@link doglegStep}: a diagonal, or dense positive-definite matrices. */
export interface DoglegModel {
  /** The diagonal of B, shaped like g. */
  hessDiag?: Tensor;
  /** B itself, [..., d, d] (symmetric positive definite; only its lower triangle is read). */
  hess?: Tensor;
}

/**
 * The dogleg step of every row (Nocedal & Wright §4.1; scipy's `DoglegSubproblem`): the Newton
 * point −B⁻¹g if it lies inside ‖s‖ < Δ; else the steepest-descent minimiser −(gᵀg/gᵀBg)·g scaled
 * onto the boundary if that lies outside; else the point where the segment between the two crosses
 * the boundary. B is a diagonal (`hessDiag`) or dense `[..., d, d]` (`hess`, factorised by a
 * batched Cholesky, a column at a time: meant for small d). B must be positive definite in every
 * row: otherwise E_RANGE naming the row, as scipy raises LinAlgError — checked, together with a
 * tensor Δ, by one read of B's pivots. Not differentiable (an argument on the tape fails with E_RANGE).
 *
 * @example
 * const { step, onBoundary } = wt.tr.doglegStep(g, { hess: H }, 0.5);
 */
export const doglegStep = publicOp('tr.doglegStep', function doglegStep(g: Tensor, model: DoglegModel, delta: Tensor | number): SubproblemResult {
  const op = 'tr.doglegStep';
  const r = rowsOf(op, g);
  if (model == null) expected('E_RANGE', op, 'model', 'a model object {hessDiag} or {hess}', model);
  const m = optionsArg(op, 2, model, ['hessDiag', 'hess']);
  if ((m.hessDiag === undefined) === (m.hess === undefined)) fail('E_RANGE', `${op}: argument 'model' needs exactly one of 'hessDiag' and 'hess'`);
  const diagonal = m.hessDiag !== undefined;
  const b = diagonal ? like(op, 'hessDiag', m.hessDiag, g, g.shape) : like(op, 'hess', m.hess, g, [...g.shape, r.d]);
  const radius = radiusRows(op, delta, g, r);
  refuseOnTape(op, { g, [diagonal ? 'hessDiag' : 'hess']: b, delta: radius });
  return tidy(() => {
    const G = reshape(g, [r.B, r.d]);
    let newton: Tensor;
    let times: (v: Tensor) => Tensor;
    let pivots: Tensor;
    if (diagonal) {
      const D = reshape(b, [r.B, r.d]);
      pivots = D;
      newton = neg(div(G, D));
      times = (v) => mul(D, v);
    } else {
      const H = reshape(b, [r.B, r.d, r.d]);
      const c = cholesky(H, r.d);
      pivots = c.pivots;
      newton = c.solve(neg(G));
      times = (v) => squeeze(matmul(H, expandDims(v, -1)), -1);
    }
    // The one read: every row positive definite (all pivots > 0; NaN is not), every Δ valid.
    const pd = min(greater(pivots, 0), { axis: -1 }).dataSync();
    for (let i = 0; i < pd.length; i++)
      if (pd[i] !== 1) fail('E_RANGE', `${op}: argument '${diagonal ? 'hessDiag' : 'hess'}' is not positive definite in row ${i}; dogleg needs a positive-definite model`);
    if (delta instanceof Tensor) checkRadii(op, radius);
    const inside = less(norm(newton), radius);
    const bg = times(G);
    const toward = mul(neg(div(dot(G, G), dot(G, bg))), G);
    const towardNorm = norm(toward);
    const scaled = mul(toward, div(radius, towardNorm));
    const leg = sub(newton, toward);
    const crossing = add(toward, mul(boundaryIntersections(toward, leg, radius).hi, leg));
    // g = 0 makes the steepest-descent point 0/0; the Newton point (0) is inside and wins.
    const step = where(inside, newton, where(greaterEqual(towardNorm, radius), scaled, crossing));
    const predicted = affine(add(dot(G, step), mul(0.5, dot(step, times(step)))), -1, 0); // + 0: no −0
    return {
      step: reshape(step, g.shape),
      predicted: reshape(predicted, r.batch),
      onBoundary: reshape(affine(inside, -1, 1), r.batch),
    };
  });
});

/** Options of {@link steihaugCG}. */
export interface SteihaugOptions {
  /** Residual tolerance ‖B·s + g‖ < tol; default scipy's min(0.5, √‖g‖)·‖g‖ per row. */
  tol?: number;
  /** Iteration cap per row (default 2·d; exact arithmetic ends within d). A capped row returns its last inside iterate. */
  maxIter?: number;
}

/**
 * Steihaug-CG on every row (scipy's `CGSteihaugSubproblem`, the trust-ncg subproblem): conjugate
 * gradients on B·s = −g from s = 0, matrix-free through `hvp` (v [..., d] ↦ B·v, one call per
 * iteration for all rows), stopping per row when the residual falls below the tolerance, when an
 * iterate leaves the trust region (the step then ends on the boundary along the last direction),
 * or on a direction of non-positive curvature (the better of the two boundary points along it, by
 * the model's value). Rows run in lockstep; a finished row is frozen, and the loop ends when every
 * row has finished (one read of the active count per iteration). The predicted reduction is carried
 * along the iteration (m(z + t·p) = m(z) + t·rᵀp + ½t²·pᵀBp), costing no extra product. Not
 * differentiable (an argument on the tape fails with E_RANGE).
 *
 * @example
 * const { step } = wt.tr.steihaugCG(g, (v) => wt.mul(hDiag, v), 1.0);
 */
export const steihaugCG = publicOp('tr.steihaugCG', function steihaugCG(
  g: Tensor,
  hvp: (v: Tensor) => Tensor,
  delta: Tensor | number,
  options?: SteihaugOptions,
): SubproblemResult {
  const op = 'tr.steihaugCG';
  const r = rowsOf(op, g);
  const product = fnArg<(v: Tensor) => Tensor>(op, 'hvp', hvp);
  const radius = radiusRows(op, delta, g, r);
  const o = optionsArg(op, 4, options, ['tol', 'maxIter']);
  let tolValue: number | undefined;
  if (o.tol !== undefined) {
    tolValue = finiteArg(op, 'tol', o.tol);
    if (tolValue < 0) fail('E_RANGE', `${op}: option 'tol' = ${tolValue}; expected >= 0`);
  }
  const maxIter = o.maxIter === undefined ? 2 * r.d : intArg(op, 'maxIter', o.maxIter, 1);
  refuseOnTape(op, { g, delta: radius });
  if (delta instanceof Tensor) checkRadii(op, radius);
  const times = (v: Tensor): Tensor => {
    const out: unknown = syncResult(product(reshape(v, g.shape)));
    if (!(out instanceof Tensor)) fail('E_DTYPE', `${op}: hvp returned ${describe(out)}; expected a Tensor shaped like g`);
    if (out.isDisposed) fail('E_DISPOSED', `${op}: hvp returned a disposed tensor`);
    if (out.dtype !== g.dtype || out.shape.join() !== g.shape.join())
      fail(out.dtype !== g.dtype ? 'E_DTYPE' : 'E_SHAPE', `${op}: hvp returned ${out.dtype} [${out.shape}]; expected g's ${g.dtype} [${g.shape}]`);
    return reshape(out, [r.B, r.d]);
  };
  return tidy(() => {
    const G = reshape(g, [r.B, r.d]);
    const gNorm = norm(G);
    const tol = tolValue === undefined ? mul(minimum(sqrt(gNorm), 0.5), gNorm) : full([r.B, 1], tolValue, { dtype: g.dtype, device: g.device });
    const rowZeros = (): Tensor => zeros([r.B, 1], { dtype: g.dtype, device: g.device });
    let state = {
      z: zeros([r.B, r.d], { dtype: g.dtype, device: g.device }),
      res: G,
      dir: neg(G),
      mz: rowZeros(), // m(z) − f
      active: greaterEqual(gNorm, tol), // scipy returns s = 0 when ‖g‖ < tol
      step: zeros([r.B, r.d], { dtype: g.dtype, device: g.device }),
      mStep: rowZeros(),
      onBoundary: rowZeros(),
    };
    for (let it = 0; it < maxIter && sum(state.active).dataSync()[0] > 0; it++) {
      const s = state;
      const next = tidy(() => {
        const bd = times(s.dir);
        const dbd = dot(s.dir, bd);
        const rd = dot(s.res, s.dir);
        const rr = dot(s.res, s.res);
        const modelAt = (t: Tensor): Tensor => add(s.mz, add(mul(t, rd), mul(0.5, mul(mul(t, t), dbd))));
        const { lo, hi } = boundaryIntersections(s.z, s.dir, radius);
        const mLo = modelAt(lo);
        const mHi = modelAt(hi);
        const loBetter = less(mLo, mHi);
        const negative = mul(s.active, lessEqual(dbd, 0));
        const live = sub(s.active, negative);
        const alpha = div(rr, dbd);
        const zNext = add(s.z, mul(alpha, s.dir));
        const hit = mul(live, greaterEqual(norm(zNext), radius));
        const live2 = sub(live, hit);
        const resNext = add(s.res, mul(alpha, bd));
        const rrNext = dot(resNext, resNext);
        const done = it + 1 >= maxIter ? live2 : mul(live2, less(sqrt(rrNext), tol));
        const cont = sub(live2, done);
        const along = (t: Tensor): Tensor => add(s.z, mul(t, s.dir));
        const step = where(negative, where(loBetter, along(lo), along(hi)), where(hit, along(hi), where(done, zNext, s.step)));
        const mStep = where(negative, minimum(mLo, mHi), where(hit, mHi, where(done, modelAt(alpha), s.mStep)));
        const dirNext = add(neg(resNext), mul(div(rrNext, rr), s.dir));
        return {
          z: where(cont, zNext, s.z),
          res: where(cont, resNext, s.res),
          dir: where(cont, dirNext, s.dir),
          mz: where(cont, modelAt(alpha), s.mz),
          active: cont,
          step,
          mStep,
          onBoundary: add(s.onBoundary, add(negative, hit)),
        };
      });
      for (const t of Object.values(s)) if (t !== G) t.dispose();
      state = next;
    }
    return {
      step: reshape(state.step, g.shape),
      predicted: reshape(affine(state.mStep, -1, 0), r.batch),
      onBoundary: reshape(state.onBoundary, r.batch),
    };
  });
});
