/**
 * wt.nn's layers with PyTorch's names, shapes and initialisation: Linear, Conv1d, the
 * activations, Sequential and (elementwise) Dropout.
 */
import { Tensor, DType } from '../tensor';
import { fail } from '../errors';
import { getDevice } from '../device';
import { uniform, bernoulli } from '../creation';
import { add, mul, relu, tanh, sigmoid, softplus, where, greater } from '../ops/elementwise';
import { matmul } from '../ops/linalg';
import { swapAxes } from '../ops/layout';
import { conv1d, Conv1dOptions } from '../ops/conv1d';
import { optionsArg, intArg, boolArg, dtypeArg, deviceArg, finiteArg, dtypeIn, expected } from '../validate';
import { Module } from './module';

/** Where parameters are created, and the seed of their initialisation. */
export interface InitOptions {
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Default: wt.getDevice(). */
  device?: string;
  /** Seed of the initial values (default: the global random stream). */
  seed?: number;
}

function placement(op: string, o: Partial<Record<string, unknown>>) {
  const dtype = o.dtype === undefined ? 'float32' : dtypeArg(op, 'dtype', o.dtype);
  if (dtype !== 'float32' && dtype !== 'float64') fail('E_DTYPE', `${op}: argument 'dtype' must be float32 or float64; got ${dtype}`);
  const device = o.device === undefined ? getDevice() : deviceArg(op, 'device', o.device);
  const seed = o.seed === undefined ? undefined : intArg(op, 'seed', o.seed, 0, 2 ** 32 - 1);
  return { dtype: dtype as DType, device, seed };
}

/** Uniform(−bound, bound) values; with a seed, `offset` separates the tensors of one layer. */
function initUniform(shape: number[], bound: number, p: { dtype: DType; device: string; seed?: number }, offset: number): Tensor {
  const seed = p.seed === undefined ? undefined : (p.seed + offset * 0x9e3779b1) % 2 ** 32;
  return uniform(shape, -bound, bound, { dtype: p.dtype, device: p.device, seed });
}

/** x's last axis must be `n` (E_SHAPE naming the layer's forward). */
function lastAxis(op: string, x: Tensor, n: number, what: string): void {
  if (x.rank === 0 || x.shape[x.rank - 1] !== n) fail('E_SHAPE', `${op}: argument 'x' must end in ${n} ${what}; got shape [${x.shape}]`);
}

/** Options of {@link Linear}. */
export interface LinearOptions extends InitOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
}

/**
 * y = x·Wᵀ + b over the last axis, as `torch.nn.Linear(inFeatures, outFeatures)`: weight
 * [out, in] and bias [out], both initialised U(−1/√in, 1/√in) (PyTorch's default).
 */
export class Linear extends Module {
  /** Input features (the last axis of x). */
  readonly inFeatures: number;
  /** Output features. */
  readonly outFeatures: number;
  /** [out, in]. */
  readonly weight: Tensor;
  /** [out], or null without a bias. */
  readonly bias: Tensor | null;
  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions) {
    super();
    const op = 'nn.Linear';
    this.inFeatures = intArg(op, 'inFeatures', inFeatures, 1, 2 ** 26);
    this.outFeatures = intArg(op, 'outFeatures', outFeatures, 1, 2 ** 26);
    const o = optionsArg(op, 3, options, ['bias', 'dtype', 'device', 'seed']);
    const p = placement(op, o);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.addParameter('weight', initUniform([outFeatures, inFeatures], bound, p, 0));
    this.bias = (o.bias === undefined ? true : boolArg(op, 'bias', o.bias)) ? this.addParameter('bias', initUniform([outFeatures], bound, p, 1)) : null;
  }
  /** @internal */
  compute(x: Tensor, op: string): Tensor {
    lastAxis(op, x, this.inFeatures, 'input features');
    const y = matmul(x, swapAxes(this.weight, 0, 1));
    return this.bias === null ? y : add(y, this.bias);
  }
}

/** Options of {@link Conv1d}. */
export interface Conv1dLayerOptions extends InitOptions, Omit<Conv1dOptions, 'bias'> {
  /** Add a learnable bias (default true). */
  bias?: boolean;
}

/**
 * `torch.nn.Conv1d(inChannels, outChannels, kernelSize, {stride, padding, dilation, groups,
 * bias})`: weight [out, in/groups, k] and bias [out], initialised U(−1/√(in/groups·k), +…)
 * (PyTorch's default); forward is {@link conv1d} on [N, C, L] or [C, L].
 */
export class Conv1d extends Module {
  /** [out, in/groups, k]. */
  readonly weight: Tensor;
  /** [out], or null without a bias. */
  readonly bias: Tensor | null;
  private readonly conv: Conv1dOptions;
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: Conv1dLayerOptions) {
    super();
    const op = 'nn.Conv1d';
    intArg(op, 'inChannels', inChannels, 1, 2 ** 20);
    intArg(op, 'outChannels', outChannels, 1, 2 ** 20);
    intArg(op, 'kernelSize', kernelSize, 1, 2 ** 20);
    const o = optionsArg(op, 4, options, ['bias', 'dtype', 'device', 'seed', 'stride', 'padding', 'dilation', 'groups', 'method']);
    const groups = o.groups === undefined ? 1 : intArg(op, 'groups', o.groups, 1, 2 ** 20);
    if (inChannels % groups !== 0 || outChannels % groups !== 0)
      fail('E_SHAPE', `${op}: inChannels ${inChannels} and outChannels ${outChannels} must be divisible by groups = ${groups}`);
    const p = placement(op, o);
    const bound = 1 / Math.sqrt((inChannels / groups) * kernelSize);
    this.weight = this.addParameter('weight', initUniform([outChannels, inChannels / groups, kernelSize], bound, p, 0));
    this.bias = (o.bias === undefined ? true : boolArg(op, 'bias', o.bias)) ? this.addParameter('bias', initUniform([outChannels], bound, p, 1)) : null;
    this.conv = { stride: o.stride as number, padding: o.padding as number, dilation: o.dilation as number, groups, method: o.method as Conv1dOptions['method'] };
  }
  /** @internal */
  compute(x: Tensor): Tensor {
    return conv1d(x, this.weight, { ...this.conv, bias: this.bias });
  }
}

/** max(x, 0), as torch.nn.ReLU. */
export class ReLU extends Module {
  /** @internal */
  compute(x: Tensor): Tensor {
    return relu(x);
  }
}

/** tanh(x), as torch.nn.Tanh. */
export class Tanh extends Module {
  /** @internal */
  compute(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** 1/(1 + e^{−x}), as torch.nn.Sigmoid. */
export class Sigmoid extends Module {
  /** @internal */
  compute(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** log(1 + e^x), as torch.nn.Softplus (beta 1). */
export class Softplus extends Module {
  /** @internal */
  compute(x: Tensor): Tensor {
    return softplus(x);
  }
}

/**
 * GELU in its tanh form, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as
 * `torch.nn.GELU(approximate='tanh')` (wavetape has no erf op for the exact form; the two differ
 * by less than 5e-4).
 */
export class GELU extends Module {
  /** @internal */
  compute(x: Tensor): Tensor {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
}

/** x for x > 0, slope·x otherwise, as torch.nn.LeakyReLU (default slope 0.01). */
export class LeakyReLU extends Module {
  /** The slope for x ≤ 0. */
  readonly negativeSlope: number;
  constructor(negativeSlope: number = 0.01) {
    super();
    this.negativeSlope = finiteArg('nn.LeakyReLU', 'negativeSlope', negativeSlope);
  }
  /** @internal */
  compute(x: Tensor): Tensor {
    return where(greater(x, 0), x, mul(x, this.negativeSlope));
  }
}

/** Modules applied in order, as torch.nn.Sequential; children are named "0", "1", …. */
export class Sequential extends Module {
  /** The modules, in order. */
  readonly layers: readonly Module[];
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) expected('E_DTYPE', 'nn.Sequential', `layers[${i}]`, 'a wt.nn Module', m);
      this.addModule(String(i), m);
    });
    this.layers = layers.slice();
  }
  /** @internal */
  compute(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Seed of the masks: step t uses a stream derived from (seed, t), the same on every device. */
  seed?: number;
}

/**
 * Zeroes each element with probability p in training mode and scales the rest by 1/(1 − p), as
 * torch.nn.Dropout; the identity in eval mode. Masks are Philox Bernoulli draws (wt.bernoulli).
 */
export class Dropout extends Module {
  /** The drop probability. */
  readonly p: number;
  private readonly seed: number | undefined;
  private step = 0;
  constructor(p: number = 0.5, options?: DropoutOptions) {
    super();
    const op = 'nn.Dropout';
    const v = finiteArg(op, 'p', p);
    if (!(v >= 0 && v < 1)) fail('E_RANGE', `${op}: argument 'p' = ${v}; expected a probability in [0, 1)`);
    this.p = v;
    const o = optionsArg(op, 2, options, ['seed']);
    this.seed = o.seed === undefined ? undefined : intArg(op, 'seed', o.seed, 0, 2 ** 32 - 1);
  }
  /** @internal */
  compute(x: Tensor, op: string): Tensor {
    if (!this.training || this.p === 0) return x;
    dtypeIn(op, 'x', x, ['float32', 'float64']);
    const seed = this.seed === undefined ? undefined : stepSeed(this.seed, this.step);
    this.step++;
    const mask = bernoulli(x.shape, 1 - this.p, { dtype: x.dtype, device: x.device, seed });
    return mul(x, mul(mask, 1 / (1 - this.p)));
  }
}

/** The seed of step t of a stream seeded `seed` (a Weyl sequence modulo 2^32). */
export function stepSeed(seed: number, t: number): number {
  return (seed + ((t + 1) * 0x9e3779b9) % 2 ** 32) % 2 ** 32;
}
