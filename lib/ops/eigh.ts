/**
 * Symmetric eigendecomposition (wt.linalg.eigh) with numpy's conventions, computed on the host in
 * float64: Householder tridiagonalisation and the implicit QL algorithm (EISPACK tred2/tql2, as
 * in JAMA), batched over leading axes, with the gradient for distinct eigenvalues.
 *
 * Host rather than native: the decomposition is O(n³) sequential sweeps with little parallel work
 * for the matrix sizes this library meets (covariances of a few hundred to a few thousand
 * features, computed once per fit), so the copy to the host costs nothing next to it and one
 * float64 implementation serves every device.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap } from './util';
import { tensorArg, dtypeIn } from '../validate';
import { add, sub, mul, reciprocal } from './elementwise';
import { matmul } from './linalg';
import { swapAxes, expandDims } from './layout';
import { eye } from '../creation';

/** What {@link eigh} returns: numpy's (eigenvalues, eigenvectors). */
export interface EighResult {
  /** [..., n], ascending. */
  eigenvalues: Tensor;
  /** [..., n, n]: column i is the unit eigenvector of eigenvalues[i]. */
  eigenvectors: Tensor;
}

/**
 * Householder reduction of the symmetric matrix in V (n×n) to tridiagonal d, e; V is overwritten
 * by the transposed orthogonal transform (its rows are the basis vectors). JAMA's tred2 with every
 * V[r][c] read as V[c][r]: the O(n³) loops then run along rows (contiguous) instead of columns.
 */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + (i - 1)];
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[i * n + j] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[j * n + k] * d[k];
          e[k] += V[j * n + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[j * n + k] -= f * e[k] + g * d[k];
        d[j] = V[j * n + (i - 1)];
        V[j * n + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[i * n + (n - 1)] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[(i + 1) * n + k] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[(i + 1) * n + k] * V[j * n + k];
        for (let k = 0; k <= i; k++) V[j * n + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[j * n + (n - 1)];
    V[j * n + (n - 1)] = 0;
  }
  V[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the tridiagonal (d, e), rotating the eigenvector estimates held as the rows of Z
 * (Vᵀ: each rotation then touches two contiguous rows, not two strided columns); false if an
 * eigenvalue fails to converge.
 */
function tql2(Z: Float64Array, d: Float64Array, e: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ri = i * n;
          const rj = ri + n;
          for (let k = 0; k < n; k++) {
            h = Z[rj + k];
            Z[rj + k] = s * Z[ri + k] + c * h;
            Z[ri + k] = c * Z[ri + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return true;
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of one symmetric matrix read from its lower
 * triangle; each eigenvector's entry of largest magnitude is made positive (a fixed sign).
 */
function decompose(a: ArrayLike<number>, offset: number, n: number, w: Float64Array, wOff: number, vecs: Float64Array, vOff: number): boolean {
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const x = a[offset + i * n + j];
      V[i * n + j] = x;
      V[j * n + i] = x;
    }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(V, d, e, n);
  const Z = V; // already transposed
  if (!tql2(Z, d, e, n)) return false;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  order.forEach((src, dst) => {
    w[wOff + dst] = d[src];
    let big = 0;
    const row = src * n;
    for (let k = 0; k < n; k++) if (Math.abs(Z[row + k]) > Math.abs(big)) big = Z[row + k];
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vecs[vOff + k * n + dst] = sign * Z[row + k];
  });
  return true;
}

/**
 * The eigendecomposition of symmetric matrices, as `numpy.linalg.eigh(A)` (UPLO 'L': only the
 * lower triangle is read): A [..., n, n] gives eigenvalues [..., n] in ascending order and
 * eigenvectors [..., n, n] as columns, A·V = V·diag(w). Each eigenvector is signed so that its
 * entry of largest magnitude is positive (numpy leaves the sign to LAPACK). Computed on the host
 * in float64 (any device; float32 in, float32 out).
 *
 * Differentiable where the eigenvalues are distinct: Ā = V(diag(w̄) + F∘(VᵀV̄))Vᵀ with
 * F_ij = 1/(w_j − w_i) off the diagonal, symmetrised and mapped onto the lower triangle (the
 * entries eigh reads); a loss that depends on an eigenvector's sign has no gradient.
 *
 * @example
 * const { eigenvalues, eigenvectors } = wt.linalg.eigh(cov);   // cov [d, d]
 */
export const eigh = publicOp('linalg.eigh', function eigh(A: Tensor): EighResult {
  const op = 'linalg.eigh';
  tensorArg(op, 'A', A);
  dtypeIn(op, 'A', A, ['float32', 'float64']);
  if (A.rank < 2) fail('E_SHAPE', `${op}: argument 'A' must be [..., n, n]; got shape [${A.shape}]`);
  const n = A.shape[A.rank - 1];
  if (A.shape[A.rank - 2] !== n) fail('E_SHAPE', `${op}: argument 'A' must hold square matrices; got shape [${A.shape}]`);
  if (n === 0) fail('E_SHAPE', `${op}: argument 'A' holds 0×0 matrices; expected n >= 1`);
  const data = A.dataSync();
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) fail('E_RANGE', `${op}: argument 'A' holds NaN or infinite values`);
  const batch = A.size / (n * n);
  const w = new Float64Array(batch * n);
  const vecs = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++)
    if (!decompose(data, b * n * n, n, w, b * n, vecs, b * n * n)) fail('E_RANGE', `${op}: the QL iteration did not converge for matrix ${b}`);
  const out = (values: Float64Array, shape: number[]) =>
    wrap(native.fromData(A.dtype === 'float32' ? Float32Array.from(values) : values, shape, A.dtype, A.device));
  const [wt, vt] = record('eigh', [A], [out(w, A.shape.slice(0, -1)), out(vecs, A.shape)]);
  return { eigenvalues: wt, eigenvectors: vt };
});

defineGradient('eigh', {
  outputs: 2,
  outputsToSave: [0, 1],
  grad: ([gw, gV], { saved: [w, V] }) => {
    const n = w.shape[w.rank - 1];
    const Vt = swapAxes(V, -1, -2);
    const I = eye(n, n, { dtype: w.dtype, device: w.device });
    let inner: Tensor | null = gw === null ? null : mul(expandDims(gw, -2), I); // diag(w̄)
    if (gV !== null) {
      // F_ij = 1/(w_j − w_i) off the diagonal: 1/(diff + I)·(1 − I) keeps the diagonal finite.
      const diff = sub(expandDims(w, -2), expandDims(w, -1));
      const F = mul(reciprocal(add(diff, I)), sub(1, I));
      const term = mul(F, matmul(Vt, gV));
      inner = inner === null ? term : add(inner, term);
    }
    const full = matmul(matmul(V, inner!), Vt);
    // Symmetric part S, then onto the lower triangle: 2S below the diagonal, S on it.
    const S = mul(add(full, swapAxes(full, -1, -2)), 0.5);
    const lower = lowerMask(n, w);
    return [mul(S, lower)];
  },
});

/** 2 below the diagonal, 1 on it, 0 above: the weights that map a symmetric gradient onto the lower triangle. */
function lowerMask(n: number, like: Tensor): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) data[i * n + j] = i === j ? 1 : 2;
  return wrap(native.fromData(like.dtype === 'float32' ? Float32Array.from(data) : data, [n, n], like.dtype, like.device));
}
