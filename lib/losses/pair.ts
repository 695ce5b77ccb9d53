/**
 * Paper A's pair losses on soft-DTW distances: the logistic pair model's cross-entropy, the
 * contrastive margin loss, the soft-lag objective over within-segment pairs, and a weighted sum.
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { tensorArg, dtypeIn, optionsArg, oneOf, finiteArg, isPlainObject, describe, expected } from '../validate';
import { tensor } from '../creation';
import { add, sub, mul, exp, softplus, relu, neg, sigmoid } from '../ops/elementwise';
import { sum, mean } from '../ops/reduce';
import { gather } from '../ops/layout';
import { softLagCorrelation, lagArgs, betaArg } from '../signal/lag';
import { binaryLabelsArg, valuesArg } from '../metrics/values';
import { toTensor, TensorLike } from '../ops/util';

/** How a loss reduces its per-element terms. */
export type Reduction = 'mean' | 'sum' | 'none';

function reduce(x: Tensor, how: Reduction): Tensor {
  return how === 'mean' ? mean(x) : how === 'sum' ? sum(x) : x;
}

function distanceArg(op: string, arg: string, d: unknown): Tensor {
  const t = tensorArg(op, arg, d);
  dtypeIn(op, arg, t, ['float32', 'float64']);
  if (t.size === 0) fail('E_SHAPE', `${op}: argument '${arg}' is empty; expected at least one distance`);
  return t;
}

/** A number or a real tensor of d's dtype and device (a trainable scalar such as α or log w). */
function scalarParam(op: string, arg: string, v: unknown, like: Tensor, dflt: number): Tensor {
  if (v === undefined) return toTensor(dflt, like);
  if (typeof v === 'number') return toTensor(finiteArg(op, arg, v), like);
  const t = tensorArg(op, arg, v);
  if (t.dtype !== like.dtype) fail('E_DTYPE', `${op}: argument '${arg}' is ${t.dtype}; expected ${like.dtype}, the dtype of the distances`);
  if (t.device !== like.device) fail('E_DEVICE', `${op}: argument '${arg}' is on ${t.device}; expected ${like.device}, the distances' device`);
  return t;
}

/** Options of {@link pairLogistic}. */
export interface PairLogisticOptions {
  /** The offset α of the logit (a number or a trainable scalar tensor; default 0). */
  alpha?: TensorLike;
  /** log w: the distance weight w = exp(logW) stays positive while it trains (default 0: w = 1). */
  logW?: TensorLike;
  /** log τ: the temperature τ = exp(logTau) > 0 (default 0: τ = 1). */
  logTau?: TensorLike;
  /** 'mean' (default), 'sum' or 'none' (per-pair terms, d's shape). */
  reduction?: Reduction;
}

/**
 * The logistic pair model of paper A: p_ij = σ(α − w·d_ij/τ) with w = exp(logW) and
 * τ = exp(logTau), and its binary cross-entropy against labels y_ij ∈ {0, 1} (1: same segment),
 * −[y·log p + (1 − y)·log(1 − p)], computed stably as softplus(z) − y·z with z = α − w·d/τ
 * (PyTorch's `binary_cross_entropy_with_logits`). Differentiable in d, alpha, logW and logTau.
 *
 * @example
 * const alpha = wt.variable(wt.scalar(0)), logTau = wt.variable(wt.scalar(0));
 * const loss = wt.losses.pairLogistic(d, [1, 0, 1], { alpha, logTau });
 */
export const pairLogistic = publicOp('pairLogistic', function pairLogistic(d: Tensor, labels: Tensor | ArrayLike<number>, opts?: PairLogisticOptions): Tensor {
  const op = 'pairLogistic';
  const dist = distanceArg(op, 'd', d);
  const y = binaryLabelsArg(op, 'labels', labels, dist.size);
  const o = optionsArg(op, 3, opts, ['alpha', 'logW', 'logTau', 'reduction']);
  const alpha = scalarParam(op, 'alpha', o.alpha, dist, 0);
  const logW = scalarParam(op, 'logW', o.logW, dist, 0);
  const logTau = scalarParam(op, 'logTau', o.logTau, dist, 0);
  const reduction = o.reduction === undefined ? 'mean' : oneOf(op, 'reduction', o.reduction, ['mean', 'sum', 'none'] as const);
  const yt = tensor(y, dist.shape, { dtype: dist.dtype, device: dist.device });
  const z = sub(alpha, mul(exp(sub(logW, logTau)), dist));
  return reduce(sub(softplus(z), mul(yt, z)), reduction);
});

/** Options of {@link pairProbability}: the logistic pair model's parameters. */
export type PairProbabilityOptions = Omit<PairLogisticOptions, 'reduction'>;

/**
 * The logistic pair model's probability that two samples match, p = σ(α − w·d/τ) with
 * w = exp(logW), τ = exp(logTau) (the model {@link pairLogistic} trains), elementwise over d:
 * the scores for `wt.metrics.rocAuc` and the calibration metrics. Differentiable.
 */
export const pairProbability = publicOp('pairProbability', function pairProbability(d: Tensor, opts?: PairProbabilityOptions): Tensor {
  const op = 'pairProbability';
  const dist = distanceArg(op, 'd', d);
  const o = optionsArg(op, 2, opts, ['alpha', 'logW', 'logTau']);
  const z = sub(scalarParam(op, 'alpha', o.alpha, dist, 0), mul(exp(sub(scalarParam(op, 'logW', o.logW, dist, 0), scalarParam(op, 'logTau', o.logTau, dist, 0))), dist));
  return sigmoid(z);
});

/** Options of {@link contrastiveMargin}. */
export interface ContrastiveMarginOptions {
  /** Weight μ ≥ 0 of the negative-pair hinge (default 1). */
  mu?: number;
  /** The margin m > 0 below which negative pairs are pushed apart (default 1). */
  margin?: number;
  /** 'sum' (default, as in the paper) or 'mean' (each sum replaced by a mean). */
  reduction?: 'sum' | 'mean';
}

/**
 * Paper A's contrastive margin loss Σ_P d_ij + μ·Σ_N [m − d_ij]₊ over positive-pair distances
 * `dPos` and negative-pair distances `dNeg` (any shapes; either may be empty). Differentiable.
 */
export const contrastiveMargin = publicOp('contrastiveMargin', function contrastiveMargin(dPos: Tensor, dNeg: Tensor, opts?: ContrastiveMarginOptions): Tensor {
  const op = 'contrastiveMargin';
  const p = tensorArg(op, 'dPos', dPos);
  const n = tensorArg(op, 'dNeg', dNeg);
  dtypeIn(op, 'dPos', p, ['float32', 'float64']);
  dtypeIn(op, 'dNeg', n, ['float32', 'float64']);
  if (p.dtype !== n.dtype) fail('E_DTYPE', `${op}: arguments 'dPos' (${p.dtype}) and 'dNeg' (${n.dtype}) must have the same dtype`);
  if (p.device !== n.device) fail('E_DEVICE', `${op}: arguments 'dPos' (${p.device}) and 'dNeg' (${n.device}) must be on one device`);
  if (p.size + n.size === 0) fail('E_SHAPE', `${op}: arguments 'dPos' and 'dNeg' are both empty; expected at least one pair`);
  const o = optionsArg(op, 3, opts, ['mu', 'margin', 'reduction']);
  const mu = o.mu === undefined ? 1 : finiteArg(op, 'mu', o.mu);
  if (mu < 0) fail('E_RANGE', `${op}: argument 'mu' = ${mu}; expected a weight >= 0`);
  const margin = o.margin === undefined ? 1 : finiteArg(op, 'margin', o.margin);
  if (!(margin > 0)) fail('E_RANGE', `${op}: argument 'margin' = ${margin}; expected a margin > 0`);
  const reduction = o.reduction === undefined ? 'sum' : oneOf(op, 'reduction', o.reduction, ['sum', 'mean'] as const);
  const terms: Tensor[] = [];
  if (p.size > 0) terms.push(reduce(p, reduction));
  if (n.size > 0) terms.push(mul(reduce(relu(sub(margin, n)), reduction), mu));
  return terms.length === 1 ? terms[0] : add(terms[0], terms[1]);
});

/** Pairs of sample indices: [[i, j], …], an int32 tensor [P, 2], or two index lists {first, second}. */
export type PairList = [number, number][] | Tensor | { first: ArrayLike<number>; second: ArrayLike<number> };

/** The pairs as two index lists, each index checked against n samples. */
export function pairsArg(op: string, arg: string, pairs: unknown, n: number): [Int32Array, Int32Array] {
  let first: Float64Array;
  let second: Float64Array;
  if (pairs instanceof Tensor) {
    tensorArg(op, arg, pairs);
    if (pairs.rank !== 2 || pairs.shape[1] !== 2) fail('E_SHAPE', `${op}: argument '${arg}' must be a [P, 2] tensor of index pairs; got shape [${pairs.shape}]`);
    const flat = valuesArg(op, arg, pairs, { allowEmpty: true });
    first = flat.filter((_, i) => i % 2 === 0);
    second = flat.filter((_, i) => i % 2 === 1);
  } else if (Array.isArray(pairs)) {
    first = new Float64Array(pairs.length);
    second = new Float64Array(pairs.length);
    pairs.forEach((pq: unknown, i) => {
      if (!Array.isArray(pq) || pq.length !== 2) fail('E_SHAPE', `${op}: argument '${arg}' must hold [i, j] pairs; entry ${i} is ${describe(pq)}`);
      first[i] = typeof pq[0] === 'number' ? pq[0] : NaN;
      second[i] = typeof pq[1] === 'number' ? pq[1] : NaN;
    });
  } else if (isPlainObject(pairs) && 'first' in pairs && 'second' in pairs) {
    first = valuesArg(op, `${arg}.first`, pairs.first, { allowEmpty: true });
    second = valuesArg(op, `${arg}.second`, pairs.second, { allowEmpty: true });
    if (first.length !== second.length)
      fail('E_SHAPE', `${op}: argument '${arg}' has ${first.length} first and ${second.length} second indices; the lists must match`);
  } else {
    return expected('E_DTYPE', op, arg, 'index pairs: [[i, j], …], a [P, 2] int32 tensor or {first, second}', pairs);
  }
  if (first.length === 0) fail('E_SHAPE', `${op}: argument '${arg}' holds no pairs; expected at least one`);
  for (const list of [first, second])
    for (let i = 0; i < list.length; i++)
      if (!Number.isInteger(list[i]) || list[i] < 0 || list[i] >= n)
        fail('E_RANGE', `${op}: argument '${arg}' pair ${i} has index ${list[i]}; expected an integer in [0, ${n - 1}] (one of the ${n} samples)`);
  return [Int32Array.from(first), Int32Array.from(second)];
}

/** Options of {@link softLagObjective}. */
export interface SoftLagObjectiveOptions {
  /** Lags −maxLag … maxLag (required; < T). */
  maxLag: number;
  /** Inverse temperature β > 0 of the soft maximum over lags (default 10). */
  beta?: number;
  /** Energy-product floor of the correlation (default 1e-12). */
  eps?: number;
}

/**
 * Paper A's correlation objective as a loss to minimise: −J_corr = −mean over the given
 * (within-segment) pairs (i, j) and over channels of ρ̃(Z_i, Z_j), the soft maximum over lags of
 * `wt.signal.lagCorrelation` (see `wt.signal.softLagCorrelation`). Z is [N, ..., T]: N samples, any
 * channel axes, time last. Subtract λ·R(θ) yourself (add the regularisers to this loss).
 * Differentiable in Z.
 */
export const softLagObjective = publicOp('softLagObjective', function softLagObjective(Z: Tensor, pairs: PairList, opts: SoftLagObjectiveOptions): Tensor {
  const op = 'softLagObjective';
  const z = tensorArg(op, 'Z', Z);
  dtypeIn(op, 'Z', z, ['float32', 'float64']);
  if (z.rank < 2) fail('E_SHAPE', `${op}: argument 'Z' must be [N, ..., T] (samples first, time last); got shape [${z.shape}]`);
  const [first, second] = pairsArg(op, 'pairs', pairs, z.shape[0]);
  const { maxLag, eps, o } = lagArgs(op, z, z, opts, ['maxLag', 'beta', 'eps']);
  const beta = betaArg(op, o.beta);
  const a = gather(z, tensor(first, [first.length], { dtype: 'int32', device: z.device }), 0);
  const b = gather(z, tensor(second, [second.length], { dtype: 'int32', device: z.device }), 0);
  return neg(mean(softLagCorrelation(a, b, { maxLag, beta, eps })));
});

/**
 * A weighted sum of scalar loss terms, paper A's λ_CE·L_CE + λ_ctr·L_ctr + λ_reg·R: `terms` maps
 * names to scalar tensors, `weights` names to numbers (a term without a weight counts once; a
 * weight naming no term is E_RANGE).
 *
 * @example
 * const loss = wt.losses.combine({ ce, ctr, reg }, { ce: 1, ctr: 0.5, reg: 1e-3 });
 */
export const combine = publicOp('combine', function combine(terms: Record<string, Tensor>, weights?: Record<string, number>): Tensor {
  if (!isPlainObject(terms) || Object.keys(terms).length === 0) expected('E_RANGE', 'combine', 'terms', 'a non-empty object of named scalar loss tensors', terms);
  const w = weights == null ? {} : weights;
  if (!isPlainObject(w)) expected('E_RANGE', 'combine', 'weights', 'an object of named numbers', weights);
  for (const k of Object.keys(w)) if (!(k in terms)) fail('E_RANGE', `combine: weight '${k}' names no term; terms are ${Object.keys(terms).join(', ')}`);
  let total: Tensor | null = null;
  let first: Tensor | null = null;
  for (const [k, v] of Object.entries(terms)) {
    const t = tensorArg('combine', `terms.${k}`, v);
    dtypeIn('combine', `terms.${k}`, t, ['float32', 'float64']);
    if (t.size !== 1) fail('E_SHAPE', `combine: term '${k}' must be a scalar loss; got shape [${t.shape}]`);
    if (first !== null && (t.dtype !== first.dtype || t.device !== first.device))
      fail('E_DTYPE', `combine: term '${k}' is ${t.dtype} on ${t.device}; the first term is ${first.dtype} on ${first.device}`);
    first ??= t;
    const weight = w[k] === undefined ? 1 : finiteArg('combine', `weights.${k}`, w[k]);
    const term = mul(t.rank === 0 ? t : sum(t), weight);
    total = total === null ? term : add(total, term);
  }
  return total!;
});
