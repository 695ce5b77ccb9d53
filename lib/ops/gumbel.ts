/**
 * The Gumbel-softmax relaxation of a categorical choice (Jang et al. 2017), with the
 * straight-through hard variant: paper A's relaxed alternative to searching branches.
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { tensorArg, dtypeIn, optionsArg, finiteArg, boolArg, intArg, axisArg } from '../validate';
import { uniform, arange } from '../creation';
import { add, sub, mul, log, neg, exp, clamp, equal } from './elementwise';
import { logsumexp, argmax } from './reduce';
import { cast, reshape } from './layout';
import { stopGradient } from '../autograd';

/** Options of {@link gumbelSoftmax}. */
export interface GumbelSoftmaxOptions {
  /** Temperature τ > 0 (default 1): small τ gives nearly one-hot samples. */
  tau?: number;
  /** Straight-through: return the one-hot argmax forward, the soft sample's gradient backward (default false). */
  hard?: boolean;
  /** Seed of the Gumbel noise (Philox: the same on every device); without it the global stream advances. */
  seed?: number;
  /** The category axis (default -1). */
  axis?: number;
}

/**
 * A differentiable sample from the categorical distribution softmax(logits) along `axis`:
 * y = softmax((logits + g)/τ) with g = −log(−log u), u ~ U(0, 1) — PyTorch's
 * `F.gumbel_softmax(logits, tau, hard, dim)`. With `hard`, the forward value is the one-hot of
 * argmax y and the gradient that of y (straight-through: y_hard − stopGradient(y) + y).
 *
 * @example
 * const branch = wt.gumbelSoftmax(branchLogits, { tau: 0.5, hard: true, seed: 3 });
 */
export const gumbelSoftmax = publicOp('gumbelSoftmax', function gumbelSoftmax(logits: Tensor, opts?: GumbelSoftmaxOptions): Tensor {
  const op = 'gumbelSoftmax';
  const x = tensorArg(op, 'logits', logits);
  dtypeIn(op, 'logits', x, ['float32', 'float64']);
  if (x.rank === 0 || x.size === 0) fail('E_SHAPE', `${op}: argument 'logits' must have a non-empty category axis; got shape [${x.shape}]`);
  const o = optionsArg(op, 2, opts, ['tau', 'hard', 'seed', 'axis']);
  const tau = o.tau === undefined ? 1 : finiteArg(op, 'tau', o.tau);
  if (!(tau > 0)) fail('E_RANGE', `${op}: argument 'tau' = ${tau}; expected a temperature > 0`);
  const hard = o.hard === undefined ? false : boolArg(op, 'hard', o.hard);
  const axis = axisArg(op, 'axis', o.axis ?? -1, x.rank);
  const seed = o.seed === undefined ? undefined : intArg(op, 'seed', o.seed, 0);
  const u = uniform(x.shape, 0, 1, { dtype: x.dtype, device: x.device, seed });
  // Keep u inside (0, 1) so both logarithms stay finite in the dtype.
  const tiny = x.dtype === 'float32' ? 1e-30 : 1e-300;
  const g = neg(log(neg(log(clamp(u, tiny, x.dtype === 'float32' ? 1 - 2 ** -24 : 1 - 2 ** -53)))));
  const z = mul(add(x, g), 1 / tau);
  const y = exp(sub(z, logsumexp(z, { axis, keepdims: true })));
  if (!hard) return y;
  const k = x.shape[axis];
  const soft = stopGradient(y);
  const index = cast(argmax(soft, { axis, keepdims: true }), x.dtype);
  const categories = reshape(arange(0, k, 1, { dtype: x.dtype, device: x.device }), x.shape.map((s, i) => (i === axis ? k : 1)));
  const oneHot = equal(categories, index);
  return add(sub(oneHot, soft), y);
});
