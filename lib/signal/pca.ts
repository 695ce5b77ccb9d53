/**
 * Principal component analysis (wt.signal.pca) through the covariance's symmetric
 * eigendecomposition (wt.linalg.eigh); differentiable where the retained eigenvalues are distinct.
 */
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { tensorArg, dtypeIn, intArg, optionsArg, boolArg } from '../validate';
import { sub, div } from '../ops/elementwise';
import { mean } from '../ops/reduce';
import { matmul } from '../ops/linalg';
import { swapAxes, flip, sliceAxes } from '../ops/layout';
import { eigh } from '../ops/eigh';

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Subtract the per-feature mean first (default true). */
  center?: boolean;
}

/** What {@link pca} returns. */
export interface PcaResult {
  /** [d, k]: the principal directions as orthonormal columns, by decreasing variance. */
  components: Tensor;
  /** [k]: the variance along each component (covariance eigenvalues, divisor N − 1). */
  explainedVariance: Tensor;
  /** [d]: the mean that was subtracted (zeros when center is false). */
  mean: Tensor;
  /** [N, k]: the samples' coordinates, (X − mean)·components. */
  scores: Tensor;
}

/**
 * The k leading principal components of samples X [N, d] (rows are samples): eigenvectors of the
 * covariance (X − μ)ᵀ(X − μ)/(N − 1) for its k largest eigenvalues, in decreasing order. Unlike
 * scikit-learn (components_ as rows [k, d]) the components are columns [d, k], so X·components
 * projects; each is signed as wt.linalg.eigh signs it (largest-magnitude entry positive).
 *
 * @example
 * const { components, mean, scores } = wt.signal.pca(X, 8);
 */
export const pca = publicOp('signal.pca', function pca(X: Tensor, k: number, options?: PcaOptions): PcaResult {
  const op = 'signal.pca';
  tensorArg(op, 'X', X);
  dtypeIn(op, 'X', X, ['float32', 'float64']);
  if (X.rank !== 2) fail('E_SHAPE', `${op}: argument 'X' must be [N, d] (samples as rows); got shape [${X.shape}]`);
  const [N, d] = X.shape;
  if (N < 2 || d < 1) fail('E_SHAPE', `${op}: argument 'X' needs at least 2 samples and 1 feature; got shape [${X.shape}]`);
  intArg(op, 'k', k, 1, d);
  const o = optionsArg(op, 3, options, ['center']);
  const center = o.center === undefined ? true : boolArg(op, 'center', o.center);
  const mu = center ? mean(X, { axis: 0 }) : sub(mean(X, { axis: 0 }), mean(X, { axis: 0 }));
  const Xc = center ? sub(X, mu) : X;
  const cov = div(matmul(swapAxes(Xc, 0, 1), Xc), N - 1);
  const { eigenvalues, eigenvectors } = eigh(cov);
  // Ascending from eigh: the last k, reversed.
  const components = flip(sliceAxes(eigenvectors, [null, [d - k, d]]), 1);
  const explainedVariance = flip(sliceAxes(eigenvalues, [[d - k, d]]), 0);
  return { components, explainedVariance, mean: mu, scores: matmul(Xc, components) };
});
