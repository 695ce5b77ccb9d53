/**
 * Small dense float64 linear algebra on the host for the trust-region subproblems: dot products,
 * an upper Cholesky factorisation that reports where it failed (as LAPACK's potf2), and triangular solves.
 * Internal: not part of the public API (the package index does not export it).
 */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** a + t·b, a new array. */
export function axpy(a: ArrayLike<number>, t: number, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + t * b[i];
  return out;
}

export function scale(t: number, a: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = t * a[i];
  return out;
}

/** H·v for a row-major n×n H. */
export function matvec(h: Float64Array, v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += h[i * n + j] * v[j];
    out[i] = s;
  }
  return out;
}

/**
 * Upper Cholesky A = UᵀU of a symmetric row-major n×n A, column by column (LAPACK's potf2 order).
 * `info` is 0 on success, else the 1-based order of the first leading minor that is not positive
 * definite; U's columns before it are complete, and column info−1 holds its off-diagonal part
 * (what {@link singularLeadingSubmatrix} reads).
 */
export function choleskyUpper(a: Float64Array, n: number): { u: Float64Array; info: number } {
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let i = 0; i < j; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < i; k++) s -= u[k * n + i] * u[k * n + j];
      const uij = s / u[i * n + i];
      u[i * n + j] = uij;
      d -= uij * uij;
    }
    if (!(d > 0)) return { u, info: j + 1 };
    u[j * n + j] = Math.sqrt(d);
  }
  return { u, info: 0 };
}

/** Solves U·x = b (U upper triangular, the leading m×m block of an n×n matrix). */
export function solveUpper(u: Float64Array, n: number, b: ArrayLike<number>, m = n): Float64Array {
  const x = Float64Array.from({ length: m }, (_, i) => b[i]);
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < m; k++) s -= u[i * n + k] * x[k];
    x[i] = s / u[i * n + i];
  }
  return x;
}

/** Solves Uᵀ·x = b. */
export function solveUpperT(u: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= u[k * n + i] * x[k];
    x[i] = s / u[i * n + i];
  }
  return x;
}

/** Solves UᵀU·x = b. */
export function choSolve(u: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpper(u, n, solveUpperT(u, n, b));
}

/**
 * Where Cholesky failed at order k: δ ≥ 0 and v with vᵀ(A + δ·e_k e_kᵀ)v = 0 on the leading k×k
 * block, so A + δ·e_k e_kᵀ is singular (Conn, Gould & Toint, Trust-Region Methods, §7.3).
 */
export function singularLeadingSubmatrix(a: Float64Array, u: Float64Array, n: number, k: number): { delta: number; v: Float64Array } {
  let s = 0;
  for (let i = 0; i < k - 1; i++) s += u[i * n + (k - 1)] ** 2;
  const delta = s - a[(k - 1) * n + (k - 1)];
  const v = new Float64Array(n);
  v[k - 1] = 1;
  if (k !== 1) {
    const rhs = Float64Array.from({ length: k - 1 }, (_, i) => -u[i * n + (k - 1)]);
    v.set(solveUpper(u, n, rhs, k - 1));
  }
  return { delta, v };
}

/**
 * An estimate of the smallest singular value of upper-triangular U and its vector (Golub & Van
 * Loan, Matrix Computations, 4th ed., Algorithm 3.5.1, on Uᵀ).
 */
export function smallestSingularValue(u: Float64Array, n: number): { sMin: number; zMin: Float64Array } {
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ukk = u[k * n + k];
    const wp = (1 - p[k]) / ukk;
    const wm = (-1 - p[k]) / ukk;
    let np = Math.abs(wp);
    let nm = Math.abs(wm);
    for (let i = k + 1; i < n; i++) {
      np += Math.abs(p[i] + u[k * n + i] * wp);
      nm += Math.abs(p[i] + u[k * n + i] * wm);
    }
    const wk = np >= nm ? wp : wm;
    w[k] = wk;
    for (let i = k + 1; i < n; i++) p[i] += u[k * n + i] * wk;
  }
  const v = solveUpper(u, n, w);
  const vNorm = norm2(v);
  return { sMin: norm2(w) / vNorm, zMin: scale(1 / vNorm, v) };
}

/**
 * Both t with ‖z + t·d‖ = Δ, ascending, computed without cancellation (Golub & Van Loan, p. 97),
 * as scipy's `get_boundaries_intersections`.
 */
export function boundaryIntersections(z: ArrayLike<number>, d: ArrayLike<number>, delta: number): [number, number] {
  const a = dot(d, d);
  const b = 2 * dot(z, d);
  const c = dot(z, z) - delta * delta;
  const sq = Math.sqrt(b * b - 4 * a * c);
  const aux = b + (b >= 0 && !Object.is(b, -0) ? sq : -sq);
  const ta = -aux / (2 * a);
  const tb = (-2 * c) / aux;
  return ta <= tb ? [ta, tb] : [tb, ta];
}
