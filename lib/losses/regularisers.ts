/**
 * Paper A's regularisers R(θ) on encodings Z [N, ..., T] (samples first, time on `axis`): the
 * energy floor (a hard check and the soft penalty), ℓ2 smoothness, ℓ1 on first differences,
 * and a complexity penalty on the model's size.
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { tensorArg, dtypeIn, optionsArg, finiteArg, axisArg, oneOf, intArg, isPlainObject, expected } from '../validate';
import { sub, mul, relu, square, abs } from '../ops/elementwise';
import { sum, mean } from '../ops/reduce';
import { slice } from '../ops/layout';

function encodingArg(op: string, Z: unknown): Tensor {
  const z = tensorArg(op, 'Z', Z);
  dtypeIn(op, 'Z', z, ['float32', 'float64']);
  if (z.rank === 0 || z.size === 0) fail('E_SHAPE', `${op}: argument 'Z' must be a non-empty tensor with a time axis; got shape [${z.shape}]`);
  return z;
}

/** Options of the energy-floor functions. */
export interface EnergyFloorOptions {
  /** The floor ε ≥ 0 of the mean energy (required). */
  eps: number;
  /** The time axis (default -1). With rank ≥ 2, axis 0 indexes samples and must not be it. */
  axis?: number;
}

/** Per-sample mean energy (1/T)·Σ_t ||z(t)||² (all axes but 0 summed; rank 1: one sample). */
function meanEnergy(op: string, z: Tensor, axis: unknown): Tensor {
  const time = axisArg(op, 'axis', axis ?? -1, z.rank);
  if (z.rank >= 2 && time === 0) fail('E_RANGE', `${op}: argument 'axis' is 0, the sample axis; time must be another axis`);
  const T = z.shape[time];
  const rest = z.shape.map((_, i) => i).filter((i) => z.rank === 1 || i > 0);
  return mul(sum(square(z), { axis: rest }), 1 / T);
}

function epsArg(op: string, o: Record<string, unknown>): number {
  if (o.eps === undefined) fail('E_RANGE', `${op}: option 'eps' (the energy floor) is required`);
  const eps = finiteArg(op, 'eps', o.eps);
  if (eps < 0) fail('E_RANGE', `${op}: argument 'eps' = ${eps}; expected a floor >= 0`);
  return eps;
}

/** The outcome of {@link energyFloorCheck}. */
export interface EnergyFloorReport {
  /** True when every sample's mean energy is at least eps. */
  ok: boolean;
  /** Each sample's mean energy (1/T)·Σ_t ||z(t)||². */
  energies: Float64Array;
  /** Indices of the samples below the floor. */
  below: number[];
}

/** The hard energy-floor constraint (1/T)·Σ_t ||z(t)||² ≥ ε of paper A, checked per sample. */
export const energyFloorCheck = publicOp('energyFloorCheck', function energyFloorCheck(Z: Tensor, opts: EnergyFloorOptions): EnergyFloorReport {
  const z = encodingArg('energyFloorCheck', Z);
  const o = optionsArg('energyFloorCheck', 2, opts, ['eps', 'axis']);
  const eps = epsArg('energyFloorCheck', o);
  const energies = Float64Array.from(meanEnergy('energyFloorCheck', z, o.axis).dataSync() as ArrayLike<number>);
  const below = Array.from(energies.keys()).filter((i) => !(energies[i] >= eps));
  return { ok: below.length === 0, energies, below };
});

/** Options of {@link energyFloorPenalty}. */
export interface EnergyFloorPenaltyOptions extends EnergyFloorOptions {
  /** Weight λ_E (default 1). */
  lambda?: number;
}

/**
 * The soft energy floor of paper A, λ_E·max(0, ε − (1/T)·Σ_t ||z(t)||²), averaged over samples
 * (axis 0 when rank ≥ 2). Differentiable in Z.
 */
export const energyFloorPenalty = publicOp('energyFloorPenalty', function energyFloorPenalty(Z: Tensor, opts: EnergyFloorPenaltyOptions): Tensor {
  const z = encodingArg('energyFloorPenalty', Z);
  const o = optionsArg('energyFloorPenalty', 2, opts, ['eps', 'axis', 'lambda']);
  const eps = epsArg('energyFloorPenalty', o);
  const lambda = o.lambda === undefined ? 1 : finiteArg('energyFloorPenalty', 'lambda', o.lambda);
  return mul(mean(relu(sub(eps, meanEnergy('energyFloorPenalty', z, o.axis)))), lambda);
});

/** Options of {@link smoothness} and {@link firstDifferenceL1}. */
export interface DifferenceOptions {
  /** The time axis (default -1). */
  axis?: number;
  /** 'sum' (default, the paper's Σ_t) or 'mean' over the differences. */
  reduction?: 'sum' | 'mean';
}

function differences(op: string, Z: unknown, opts: unknown): [Tensor, 'sum' | 'mean'] {
  const z = encodingArg(op, Z);
  const o = optionsArg(op, 2, opts, ['axis', 'reduction']);
  const axis = axisArg(op, 'axis', o.axis ?? -1, z.rank);
  const reduction = o.reduction === undefined ? 'sum' : oneOf(op, 'reduction', o.reduction, ['sum', 'mean'] as const);
  const T = z.shape[axis];
  if (T < 2) fail('E_SHAPE', `${op}: argument 'Z' has ${T} step(s) on axis ${axis}; differences need at least 2`);
  const begin = (start: number) => z.shape.map((_, i) => (i === axis ? start : 0));
  const size = z.shape.map((s, i) => (i === axis ? T - 1 : s));
  return [sub(slice(z, begin(1), size), slice(z, begin(0), size)), reduction];
}

/** ℓ2 smoothness Σ_t ||z(t+1) − z(t)||² along the time axis (over every sample and channel). Differentiable. */
export const smoothness = publicOp('smoothness', function smoothness(Z: Tensor, opts?: DifferenceOptions): Tensor {
  const [dz, reduction] = differences('smoothness', Z, opts);
  return reduction === 'sum' ? sum(square(dz)) : mean(square(dz));
});

/** ℓ1 on first differences Σ_t |z(t+1) − z(t)| (total variation) along the time axis. Differentiable (subgradient 0 at 0). */
export const firstDifferenceL1 = publicOp('firstDifferenceL1', function firstDifferenceL1(Z: Tensor, opts?: DifferenceOptions): Tensor {
  const [dz, reduction] = differences('firstDifferenceL1', Z, opts);
  return reduction === 'sum' ? sum(abs(dz)) : mean(abs(dz));
});

/** What {@link complexityPenalty} measures. */
export interface ComplexitySpec {
  /** The model's parameter tensors (their element counts are summed) or the count itself. */
  parameters?: Tensor[] | number;
  /** The encoder's filter length (e.g. the wavelet's taps). */
  filterLength?: number;
  /** FLOPs of one forward pass. */
  flops?: number;
}

/** Weights of {@link complexityPenalty}'s terms (each default 1). */
export interface ComplexityWeights {
  parameters?: number;
  filterLength?: number;
  flops?: number;
}

/**
 * Paper A's complexity penalty: w_p·(parameter count) + w_f·(filter length) + w_F·FLOPs, a
 * number (it ranks branches in a search; it has no gradient). Absent terms count 0.
 */
export const complexityPenalty = publicOp('complexityPenalty', function complexityPenalty(spec: ComplexitySpec, weights?: ComplexityWeights): number {
  const op = 'complexityPenalty';
  if (!isPlainObject(spec)) expected('E_RANGE', op, 'spec', 'an object {parameters, filterLength, flops}', spec);
  const s = optionsArg(op, 1, spec, ['parameters', 'filterLength', 'flops']);
  const w = optionsArg(op, 2, weights, ['parameters', 'filterLength', 'flops']);
  let count = 0;
  if (Array.isArray(s.parameters)) s.parameters.forEach((p: unknown, i: number) => (count += tensorArg(op, `spec.parameters[${i}]`, p).size));
  else if (s.parameters !== undefined) count = intArg(op, 'spec.parameters', s.parameters, 0);
  const filterLength = s.filterLength === undefined ? 0 : intArg(op, 'spec.filterLength', s.filterLength, 0);
  const flops = s.flops === undefined ? 0 : finiteArg(op, 'spec.flops', s.flops);
  if (flops < 0) fail('E_RANGE', `${op}: argument 'spec.flops' = ${flops}; expected a count >= 0`);
  const weight = (k: 'parameters' | 'filterLength' | 'flops') => (w[k] === undefined ? 1 : finiteArg(op, `weights.${k}`, w[k]));
  return weight('parameters') * count + weight('filterLength') * filterLength + weight('flops') * flops;
});
