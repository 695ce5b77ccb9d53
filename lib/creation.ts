/**
 * Creating tensors: from data, filled, ranges, identity, and seeded random streams (Philox,
 * counter-based: one seed gives the same numbers on every device).
 */
import { native, RNG, DTypeName } from './native';
import { Tensor, DType, NestedArray, TypedArray } from './tensor';
import { getDevice } from './device';
import { fail } from './errors';
import { wrap } from './ops/util';

/** Where and how to create a tensor. */
export interface CreateOptions {
  /** Element type (default float32, or the typed array's type). */
  dtype?: DType;
  /** Device (default: wt.getDevice()). */
  device?: string;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let d: NestedArray = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    if (d.length === 0) break;
    d = d[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: number[], out: number[], axis = 0): void {
  if (axis === shape.length) {
    if (typeof data !== 'number') fail('E_SHAPE', 'tensor: nested arrays are ragged or hold non-numbers');
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[axis])
    fail('E_SHAPE', `tensor: nested arrays are ragged at depth ${axis} (expected length ${shape[axis]})`);
  for (const v of data) flatten(v, shape, out, axis + 1);
}

function typedFor(dtype: DType, values: ArrayLike<number>): TypedArray {
  if (dtype === 'int32') return Int32Array.from(values);
  if (dtype === 'float32' || dtype === 'complex64') return Float32Array.from(values);
  return Float64Array.from(values);
}

function dtypeOfTyped(a: TypedArray): DType {
  return a instanceof Float64Array ? 'float64' : a instanceof Int32Array ? 'int32' : 'float32';
}

/**
 * A tensor from a number, nested arrays or a typed array. Complex dtypes take interleaved
 * (re, im) values: a typed array of 2·size numbers, or nested arrays ending in [re, im] pairs.
 *
 * @example
 * wt.tensor([[1, 2], [3, 4]]);                       // float32 [2, 2]
 * wt.tensor(new Float64Array([1, 2, 3]), [3, 1]);    // float64 [3, 1]
 */
export function tensor(data: NestedArray | TypedArray, shape?: number[], options?: CreateOptions): Tensor {
  const device = options?.device ?? getDevice();
  const isTyped = ArrayBuffer.isView(data);
  const dtype: DType = options?.dtype ?? (isTyped ? dtypeOfTyped(data as TypedArray) : 'float32');
  const complex = dtype.startsWith('complex');
  let values: ArrayLike<number>;
  let inferred: number[];
  if (isTyped) {
    values = data as TypedArray;
    inferred = [(data as TypedArray).length / (complex ? 2 : 1)];
  } else {
    inferred = inferShape(data as NestedArray);
    const flat: number[] = [];
    flatten(data as NestedArray, inferred, flat);
    values = flat;
    if (complex) {
      if (inferred[inferred.length - 1] !== 2) fail('E_SHAPE', 'tensor: complex data must end in [re, im] pairs');
      inferred = inferred.slice(0, -1);
    }
  }
  const finalShape = shape ?? inferred;
  let typed = isTyped && dtypeOfTyped(data as TypedArray) === (complex ? (dtype === 'complex64' ? 'float32' : 'float64') : dtype)
    ? (data as TypedArray)
    : typedFor(dtype, values);
  if (dtype === 'int32' && !isTyped) {
    for (let i = 0; i < values.length; i++)
      if (!Number.isInteger(values[i])) fail('E_DTYPE', `tensor: int32 data must be integers; entry ${i} is ${values[i]}`);
    typed = Int32Array.from(values);
  }
  return wrap(native.fromData(typed, finalShape, dtype as DTypeName, device));
}

/** A tensor filled with `value`. */
export function full(shape: number[], value: number, options?: CreateOptions): Tensor {
  return wrap(native.full(shape, options?.dtype ?? 'float32', options?.device ?? getDevice(), value, 0));
}
/** A tensor of zeros. */
export function zeros(shape: number[], options?: CreateOptions): Tensor {
  return full(shape, 0, options);
}
/** A tensor of ones. */
export function ones(shape: number[], options?: CreateOptions): Tensor {
  return full(shape, 1, options);
}
/** Zeros with x's shape, dtype and device. */
export function zerosLike(x: Tensor): Tensor {
  return full(x.shape, 0, { dtype: x.dtype, device: x.device });
}
/** Ones with x's shape, dtype and device. */
export function onesLike(x: Tensor): Tensor {
  return full(x.shape, 1, { dtype: x.dtype, device: x.device });
}

/** start, start + step, … up to (excluding) stop, like numpy.arange. */
export function arange(start: number, stop?: number, step = 1, options?: CreateOptions): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) fail('E_RANGE', `arange: argument 'step' = ${step}; expected a finite nonzero number`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return wrap(native.iota(n, options?.dtype ?? 'float32', options?.device ?? getDevice(), start, step));
}

/** `num` evenly spaced values from start to stop inclusive, like numpy.linspace. */
export function linspace(start: number, stop: number, num: number, options?: CreateOptions): Tensor {
  if (!Number.isInteger(num) || num < 0) fail('E_RANGE', `linspace: argument 'num' = ${num}; expected an integer >= 0`);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  return wrap(native.iota(num, options?.dtype ?? 'float32', options?.device ?? getDevice(), start, step));
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options?: CreateOptions): Tensor {
  const t = zeros([n, m], options);
  const k = Math.min(n, m);
  if (k > 0) {
    const flat = wrap(native.reshape(t.handle, [n * m]));
    const diag = wrap(native.slice(flat.handle, [0], [(k - 1) * (m + 1) + 1], [m + 1]));
    native.copyInto(diag.handle, native.full([k], t.dtype, t.device, 1, 0));
    diag.dispose();
    flat.dispose();
  }
  return t;
}

// ---- random ----

let globalSeed = 0x5eed;
let counter = 0;

/** Sets the seed of the global random stream (used when an op gets no `seed`). */
export function seed(s: number): void {
  if (!Number.isSafeInteger(s) || s < 0) fail('E_RANGE', `seed: expected a non-negative safe integer; got ${s}`);
  globalSeed = s;
  counter = 0;
}

/** Options of the random creators. */
export interface RandomOptions extends CreateOptions {
  /** Seed for this call alone (stream offset 0); without it the global stream advances. */
  seed?: number;
}

function random(kind: number, shape: number[], p0: number, p1: number, options?: RandomOptions): Tensor {
  const dtype = options?.dtype ?? 'float32';
  const device = options?.device ?? getDevice();
  if (options?.seed !== undefined) {
    if (!Number.isSafeInteger(options.seed) || options.seed < 0) fail('E_RANGE', `random: seed must be a non-negative safe integer; got ${options.seed}`);
    return wrap(native.random(kind, shape, dtype, device, options.seed, 0, p0, p1));
  }
  const t = wrap(native.random(kind, shape, dtype, device, globalSeed, counter, p0, p1));
  // Advance by the Philox blocks used (native/kernels/philox.h blocksUsed), so streams never overlap.
  const n = shape.reduce((a, b) => a * b, 1);
  const uniforms = kind === RNG.NORMAL ? 2 * Math.ceil(n / 2) : n;
  counter += Math.ceil(uniforms / (dtype === 'float64' ? 2 : 4));
  return t;
}

/** Uniform on [low, high). */
export function uniform(shape: number[], low = 0, high = 1, options?: RandomOptions): Tensor {
  return random(RNG.UNIFORM, shape, low, high, options);
}
/** Normal with the given mean and standard deviation (Box–Muller on the Philox stream). */
export function normal(shape: number[], mean = 0, std = 1, options?: RandomOptions): Tensor {
  return random(RNG.NORMAL, shape, mean, std, options);
}
/** 1 with probability p, else 0. */
export function bernoulli(shape: number[], p: number, options?: RandomOptions): Tensor {
  return random(RNG.BERNOULLI, shape, p, 0, options);
}
