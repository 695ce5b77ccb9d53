/**
 * Demultiplexing (paper B §8): separating a mixture y = Σ_s x_s + n with one mask per source in a
 * transform domain (rfft or orthonormal DCT), competitive (softmax over sources) or independent
 * (sigmoid) masks, and the cross-source constraint Σ_s p_sk ≤ 1 + ε as a penalty.
 */
import { Tensor, DType } from '../tensor';
import { fail } from '../errors';
import { getDevice } from '../device';
import { publicOp } from '../engine';
import { normal } from '../creation';
import { sub, mul, exp, sigmoid, relu, square } from '../ops/elementwise';
import { sum, logsumexp } from '../ops/reduce';
import { cast, expandDims } from '../ops/layout';
import { rfft, irfft } from '../ops/fft';
import { dct, idct } from '../ops/dct';
import { tensorArg, optionsArg, oneOf, intArg, finiteArg, axisArg, dtypeIn, dtypeArg, deviceArg, boolArg } from '../validate';
import { Module } from './module';

/** The transform domains of {@link applyMasks} and {@link Demux}. */
export type DemuxTransform = 'rfft' | 'dct';

/** Coefficients along the last axis for a signal of n samples. */
function coefficientCount(transform: DemuxTransform, n: number): number {
  return transform === 'rfft' ? Math.floor(n / 2) + 1 : n;
}

/**
 * Softmax over the sources axis (default 0): masks that are positive and sum to 1 over the
 * sources at every coefficient, so the sources compete for each coefficient's energy.
 */
export const competitiveMasks = publicOp('nn.competitiveMasks', function competitiveMasks(logits: Tensor, options?: { axis?: number }): Tensor {
  const op = 'nn.competitiveMasks';
  tensorArg(op, 'logits', logits);
  dtypeIn(op, 'logits', logits, ['float32', 'float64']);
  if (logits.rank === 0) fail('E_SHAPE', `${op}: argument 'logits' must have a sources axis; got a scalar`);
  const o = optionsArg(op, 2, options, ['axis']);
  const axis = axisArg(op, 'axis', o.axis ?? 0, logits.rank);
  return exp(sub(logits, logsumexp(logits, { axis, keepdims: true })));
});

/**
 * The cross-source constraint Σ_s p_sk ≤ 1 + ε as the penalty Σ_k [Σ_s p_sk − 1 − ε]₊² (a scalar;
 * zero when every coefficient's masks sum to at most 1 + ε). `masks` has the sources on `axis`
 * (default 0); every other entry is a coefficient (leading batch axes included).
 */
export const crossSourcePenalty = publicOp('nn.crossSourcePenalty', function crossSourcePenalty(masks: Tensor, options?: { epsilon?: number; axis?: number }): Tensor {
  const op = 'nn.crossSourcePenalty';
  tensorArg(op, 'masks', masks);
  dtypeIn(op, 'masks', masks, ['float32', 'float64']);
  if (masks.rank === 0) fail('E_SHAPE', `${op}: argument 'masks' must have a sources axis; got a scalar`);
  const o = optionsArg(op, 2, options, ['epsilon', 'axis']);
  const eps = o.epsilon === undefined ? 0 : finiteArg(op, 'epsilon', o.epsilon);
  if (eps < 0) fail('E_RANGE', `${op}: argument 'epsilon' = ${eps}; expected epsilon >= 0`);
  const axis = axisArg(op, 'axis', o.axis ?? 0, masks.rank);
  return sum(square(relu(sub(sum(masks, { axis }), 1 + eps))));
});

/**
 * Per-source estimates from a mixture: x̂_s = T⁻¹(p_s ⊙ T(y)) along the last axis of y [..., n],
 * with masks [S, K] (or [..., S, K], broadcasting with y's leading axes), K the number of
 * coefficients (n/2 + 1 for 'rfft', n for 'dct', orthonormal). Returns [..., S, n].
 */
export const applyMasks = publicOp('nn.applyMasks', function applyMasks(y: Tensor, masks: Tensor, options?: { transform?: DemuxTransform }): Tensor {
  const op = 'nn.applyMasks';
  tensorArg(op, 'y', y);
  tensorArg(op, 'masks', masks);
  dtypeIn(op, 'y', y, ['float32', 'float64']);
  if (masks.dtype !== y.dtype) fail('E_DTYPE', `${op}: argument 'masks' is ${masks.dtype} but 'y' is ${y.dtype}`);
  if (y.rank === 0) fail('E_SHAPE', `${op}: argument 'y' must have a time axis; got a scalar`);
  const o = optionsArg(op, 3, options, ['transform']);
  const transform = o.transform === undefined ? 'rfft' : oneOf(op, 'transform', o.transform, ['rfft', 'dct'] as const);
  const n = y.shape[y.rank - 1];
  const K = coefficientCount(transform, n);
  if (masks.rank < 2 || masks.shape[masks.rank - 1] !== K)
    fail('E_SHAPE', `${op}: argument 'masks' must be [S, ${K}] (or [..., S, ${K}]) for ${n} samples under '${transform}'; got [${masks.shape}]`);
  const c = expandDims(transform === 'rfft' ? rfft(y) : dct(y, { norm: 'ortho' }), -2); // [..., 1, K]
  if (transform === 'dct') return idct(mul(c, masks), { norm: 'ortho' });
  return irfft(mul(c, cast(masks, y.dtype === 'float32' ? 'complex64' : 'complex128')), { n });
});

/** Options of {@link Demux}. */
export interface DemuxOptions {
  /** Number of sources S (≥ 1). */
  sources: number;
  /** Samples n per signal (the last axis). */
  size: number;
  /** 'rfft' (default) or 'dct'. */
  transform?: DemuxTransform;
  /** Softmax over sources (default true) or an independent sigmoid per source. */
  competitive?: boolean;
  /** ε of the cross-source constraint (default 0.05). */
  epsilon?: number;
  /** Seed of the logits' initial values (N(0, 0.01²); default: the global stream). */
  seed?: number;
  dtype?: 'float32' | 'float64';
  device?: string;
}

/**
 * A learnable demultiplexer: mask logits [S, K] (parameters), masks = softmax over sources
 * (competitive) or σ(logits), forward(y [..., n]) = {@link applyMasks} → [..., S, n].
 * `penalty()` is the cross-source constraint's penalty (always 0 for competitive masks, which
 * sum to exactly 1) to add to the training loss.
 *
 * @example
 * const dm = new wt.nn.Demux({ sources: 2, size: 512, competitive: true, seed: 3 });
 * const est = dm.forward(mixture);                      // [batch, 2, 512]
 * const loss = wt.add(wt.mean(wt.square(wt.sub(est, truth))), wt.mul(dm.penalty(), 10));
 */
export class Demux extends Module {
  /** Number of sources S. */
  readonly sources: number;
  /** Samples n per signal. */
  readonly size: number;
  /** The mask domain. */
  readonly transform: DemuxTransform;
  /** Softmax (true) or sigmoid masks. */
  readonly competitive: boolean;
  /** ε of the cross-source constraint. */
  readonly epsilon: number;
  /** The mask logits [S, K] (a parameter). */
  readonly logits: Tensor;
  constructor(options: DemuxOptions) {
    super();
    const op = 'nn.Demux';
    const o = optionsArg(op, 1, options, ['sources', 'size', 'transform', 'competitive', 'epsilon', 'seed', 'dtype', 'device']);
    this.sources = intArg(op, 'sources', o.sources, 1, 4096);
    this.size = intArg(op, 'size', o.size, 1, 2 ** 26);
    this.transform = o.transform === undefined ? 'rfft' : oneOf(op, 'transform', o.transform, ['rfft', 'dct'] as const);
    this.competitive = o.competitive === undefined ? true : boolArg(op, 'competitive', o.competitive);
    this.epsilon = o.epsilon === undefined ? 0.05 : finiteArg(op, 'epsilon', o.epsilon);
    if (this.epsilon < 0) fail('E_RANGE', `${op}: argument 'epsilon' = ${this.epsilon}; expected epsilon >= 0`);
    const dtype = (o.dtype === undefined ? 'float32' : dtypeArg(op, 'dtype', o.dtype)) as DType;
    if (dtype !== 'float32' && dtype !== 'float64') fail('E_DTYPE', `${op}: argument 'dtype' must be float32 or float64; got ${dtype}`);
    const device = o.device === undefined ? getDevice() : deviceArg(op, 'device', o.device);
    const seed = o.seed === undefined ? undefined : intArg(op, 'seed', o.seed, 0, 2 ** 32 - 1);
    const K = coefficientCount(this.transform, this.size);
    this.logits = this.addParameter('logits', normal([this.sources, K], 0, 0.01, { dtype, device, seed }));
  }

  /** The masks [S, K] in force. */
  masks(): Tensor {
    return this.competitive ? competitiveMasks(this.logits) : sigmoid(this.logits);
  }

  /** The cross-source penalty Σ_k [Σ_s p_sk − 1 − ε]₊² of the current masks (a scalar). */
  penalty(): Tensor {
    return crossSourcePenalty(this.masks(), { epsilon: this.epsilon });
  }

  /** @internal */
  compute(y: Tensor, op: string): Tensor {
    if (y.rank === 0 || y.shape[y.rank - 1] !== this.size) fail('E_SHAPE', `${op}: argument 'y' must end in ${this.size} samples; got shape [${y.shape}]`);
    return applyMasks(y, this.masks(), { transform: this.transform });
  }
}
