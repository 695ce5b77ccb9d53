/**
 * Creating tensors: from data, filled, ranges, identity, and seeded random streams (Philox,
 * counter-based: one seed gives the same numbers on every device).
 */
import { native, RNG, DTypeName } from './native';
import { Tensor, DType, NestedArray, TypedArray } from './tensor';
import { getDevice } from './device';
import { fail } from './errors';
import { publicOp } from './engine';
import { wrap, scalar } from './ops/util';
import {
  describe, expected, tensorArg, shapeArg, dtypeArg, deviceArg, optionsArg, isPlainObject, finiteArg, numberArg, intArg,
  MAX_DIMS, isComplexDType,
} from './validate';

/** Where and how to create a tensor. */
export interface CreateOptions {
  /** Element type (default float32, or the typed array's type). */
  dtype?: DType;
  /** Device (default: wt.getDevice()). */
  device?: string;
}

const CREATE_KEYS = ['dtype', 'device'] as const;

/** dtype and device from options argument number `position` of `op`. */
function placement(op: string, position: number, options: unknown, defaultDtype: DType = 'float32', keys: readonly string[] = CREATE_KEYS) {
  const o = optionsArg(op, position, options, keys) as Record<string, unknown>;
  return {
    dtype: o.dtype === undefined ? defaultDtype : dtypeArg(op, 'dtype', o.dtype),
    device: o.device === undefined ? getDevice() : deviceArg(op, 'device', o.device),
    rest: o,
  };
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An int32 value must be an integer in [-2^31, 2^31) (E_RANGE): nothing wraps or truncates. */
function checkInt32(op: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)
    fail('E_RANGE', `${op}: int32 ${what} must be integers in [-2^31, 2^31 - 1]; got ${describe(v)}`);
}

/** The shape of nested arrays, following first entries; at most MAX_DIMS deep (no recursion). */
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let d: unknown = data;
  while (Array.isArray(d)) {
    if (shape.length === MAX_DIMS)
      fail('E_SHAPE', `tensor: argument 'data' has nesting deeper than ${MAX_DIMS} (a tensor has at most ${MAX_DIMS} axes)`);
    shape.push(d.length);
    if (d.length === 0) break;
    d = d[0];
  }
  return shape;
}

/** Writes nested arrays of `shape` into `out` in row-major order (recursion bounded by the rank). */
function fill(data: unknown, shape: number[], out: TypedArray | number[], axis: number, offset: number, stride: number[]): void {
  if (axis === shape.length) {
    if (typeof data !== 'number') {
      if (Array.isArray(data)) fail('E_SHAPE', `tensor: argument 'data' is ragged: nested deeper at depth ${axis} than the first entries`);
      fail('E_DTYPE', `tensor: argument 'data' must hold numbers; an entry is ${describe(data)}`);
    }
    out[offset] = data;
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[axis])
    fail('E_SHAPE', `tensor: argument 'data' is ragged at depth ${axis}: expected an array of length ${shape[axis]}; got ${describe(data)}`);
  for (let i = 0; i < data.length; i++) fill(data[i], shape, out, axis + 1, offset + i * stride[axis], stride);
}

/** The typed array a dtype is stored in (complex: interleaved re, im). */
function storageFor(dtype: DType, n: number): TypedArray {
  if (dtype === 'int32') return new Int32Array(n);
  if (dtype === 'float32' || dtype === 'complex64') return new Float32Array(n);
  return new Float64Array(n);
}

function dtypeOfTyped(a: ArrayBufferView): DType | null {
  return a instanceof Float64Array ? 'float64' : a instanceof Float32Array ? 'float32' : a instanceof Int32Array ? 'int32' : null;
}

/**
 * A tensor from a number, nested arrays or a typed array. Complex dtypes take interleaved
 * (re, im) values: a typed array of 2·size numbers, or nested arrays ending in [re, im] pairs.
 * int32 data must be integers in the int32 range (E_RANGE otherwise: nothing wraps).
 *
 * @example
 * wt.tensor([[1, 2], [3, 4]]);                       // float32 [2, 2]
 * wt.tensor(new Float64Array([1, 2, 3]), [3, 1]);    // float64 [3, 1]
 */
export const tensor = publicOp('tensor', function tensor(data: NestedArray | TypedArray, shape?: number[], options?: CreateOptions): Tensor {
  if (isPlainObject(shape))
    fail('E_SHAPE', `tensor: argument 'shape' is ${describe(shape)}; options go third: tensor(data, undefined, {dtype, device})`);
  const given = shape == null ? undefined : shapeArg('tensor', 'shape', shape);
  let typedDtype: DType | null = null;
  if (ArrayBuffer.isView(data)) {
    typedDtype = dtypeOfTyped(data);
    if (typedDtype === null) expected('E_DTYPE', 'tensor', 'data', 'a Float32Array, Float64Array or Int32Array', data);
  } else if (typeof data !== 'number' && !Array.isArray(data)) {
    expected('E_DTYPE', 'tensor', 'data', 'a number, nested arrays of numbers or a typed array', data);
  }
  const { dtype, device } = placement('tensor', 3, options, typedDtype ?? 'float32');
  const complex = isComplexDType(dtype);
  let values: TypedArray;
  let inferred: number[];
  if (typedDtype !== null) {
    const typed = data as TypedArray;
    if (complex && typed.length % 2 !== 0) fail('E_SHAPE', `tensor: complex data needs (re, im) pairs; got ${typed.length} numbers`);
    inferred = [complex ? typed.length / 2 : typed.length];
    const sameStorage = dtypeOfTyped(storageFor(dtype, 0)) === typedDtype;
    if (dtype === 'int32' && typedDtype !== 'int32') for (let i = 0; i < typed.length; i++) checkInt32('tensor', 'data', typed[i]);
    values = sameStorage ? typed : storageFor(dtype, typed.length);
    if (!sameStorage) values.set(typed);
  } else {
    inferred = inferShape(data as NestedArray);
    const stride = inferred.map((_, i) => inferred.slice(i + 1).reduce((p, q) => p * q, 1));
    const n = inferred.reduce((p, q) => p * q, 1);
    // int32 data is collected in float64 first, so out-of-range values are seen, not wrapped.
    const staging = dtype === 'int32' ? new Float64Array(n) : storageFor(dtype, n);
    fill(data, inferred, staging, 0, 0, stride);
    if (dtype === 'int32') {
      for (let i = 0; i < n; i++) checkInt32('tensor', 'data', staging[i]);
      values = Int32Array.from(staging);
    } else values = staging;
    if (complex) {
      if (inferred[inferred.length - 1] !== 2) fail('E_SHAPE', 'tensor: complex data must end in [re, im] pairs');
      inferred = inferred.slice(0, -1);
    }
  }
  return wrap(native.fromData(values, given ?? inferred, dtype as DTypeName, device));
});

function filled(op: string, shape: number[], value: number, dtype: DType, device: string): Tensor {
  if (dtype === 'int32') checkInt32(op, 'values', value);
  // The native fill takes no NaN; a NaN scalar broadcast and copied gives the same tensor.
  if (Number.isNaN(value)) return wrap(native.contiguous(wrap(native.expand(scalar(value, dtype, device).handle, shape)).handle));
  return wrap(native.full(shape, dtype, device, value, 0));
}

/** A tensor filled with `value` (any number for float dtypes; an int32 integer for int32). */
export const full = publicOp('full', function full(shape: number[], value: number, options?: CreateOptions): Tensor {
  const s = shapeArg('full', 'shape', shape);
  numberArg('full', 'value', value);
  const { dtype, device } = placement('full', 3, options);
  return filled('full', s, value, dtype, device);
});
/** A tensor of zeros. */
export const zeros = publicOp('zeros', function zeros(shape: number[], options?: CreateOptions): Tensor {
  const { dtype, device } = placement('zeros', 2, options);
  return filled('zeros', shapeArg('zeros', 'shape', shape), 0, dtype, device);
});
/** A tensor of ones. */
export const ones = publicOp('ones', function ones(shape: number[], options?: CreateOptions): Tensor {
  const { dtype, device } = placement('ones', 2, options);
  return filled('ones', shapeArg('ones', 'shape', shape), 1, dtype, device);
});
/** Zeros with x's shape, dtype and device. */
export const zerosLike = publicOp('zerosLike', function zerosLike(x: Tensor): Tensor {
  tensorArg('zerosLike', 'x', x);
  return wrap(native.full(x.shape, x.dtype, x.device, 0, 0));
});
/** Ones with x's shape, dtype and device. */
export const onesLike = publicOp('onesLike', function onesLike(x: Tensor): Tensor {
  tensorArg('onesLike', 'x', x);
  return wrap(native.full(x.shape, x.dtype, x.device, 1, 0));
});

/** start, start + step, … up to (excluding) stop, like numpy.arange; `arange(n)` is 0 … n−1. */
export const arange = publicOp('arange', function arange(start: number, stop?: number, step?: number, options?: CreateOptions): Tensor {
  finiteArg('arange', 'start', start);
  if (stop == null) [start, stop] = [0, start];
  else finiteArg('arange', 'stop', stop);
  const st = step == null ? 1 : finiteArg('arange', 'step', step);
  if (st === 0) fail('E_RANGE', "arange: argument 'step' is 0; expected a finite nonzero number");
  const { dtype, device } = placement('arange', 4, options);
  const n = Math.max(0, Math.ceil((stop - start) / st));
  if (!Number.isSafeInteger(n)) fail('E_OOM', `arange: ${describe(n)} values from ${start} to ${stop} by ${st} are too many to allocate`);
  if (dtype === 'int32' && n > 0) [start, start + (n - 1) * st].forEach((v) => checkInt32('arange', 'values', v));
  return wrap(native.iota(n, dtype, device, start, st));
});

/** `num` evenly spaced values from start to stop inclusive, like numpy.linspace. */
export const linspace = publicOp('linspace', function linspace(start: number, stop: number, num: number, options?: CreateOptions): Tensor {
  finiteArg('linspace', 'start', start);
  finiteArg('linspace', 'stop', stop);
  intArg('linspace', 'num', num, 0);
  const { dtype, device } = placement('linspace', 4, options);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  return wrap(native.iota(num, dtype, device, start, step));
});

/** The n×m identity (m defaults to n). */
export const eye = publicOp('eye', function eye(n: number, m?: number, options?: CreateOptions): Tensor {
  intArg('eye', 'n', n, 0);
  const cols = m == null ? n : intArg('eye', 'm', m, 0);
  const { dtype, device } = placement('eye', 3, options);
  const t = wrap(native.full([n, cols], dtype, device, 0, 0));
  const k = Math.min(n, cols);
  if (k > 0) {
    // The diagonal is a strided view of the flat storage; a fill of k ones is copied into it.
    const flat = wrap(native.reshape(t.handle, [n * cols]));
    const diag = wrap(native.slice(flat.handle, [0], [(k - 1) * (cols + 1) + 1], [cols + 1]));
    native.copyInto(diag.handle, wrap(native.full([k], dtype, device, 1, 0)).handle);
  }
  return t;
});

// ---- random ----

let globalSeed = 0x5eed;
let counter = 0;

/** Sets the seed of the global random stream (used when an op gets no `seed`). */
export function seed(s: number): void {
  intArg('seed', 's', s, 0);
  globalSeed = s;
  counter = 0;
}

/** Options of the random creators. */
export interface RandomOptions extends CreateOptions {
  /** Seed for this call alone (stream offset 0); without it the global stream advances. */
  seed?: number;
}

const RANDOM_KEYS = ['dtype', 'device', 'seed'] as const;

function random(op: string, kind: number, shape: number[], p0: number, p1: number, options: unknown, position: number): Tensor {
  const s = shapeArg(op, 'shape', shape);
  const { dtype, device, rest } = placement(op, position, options, 'float32', RANDOM_KEYS);
  if (rest.seed !== undefined) return wrap(native.random(kind, s, dtype, device, intArg(op, 'seed', rest.seed, 0), 0, p0, p1));
  const t = wrap(native.random(kind, s, dtype, device, globalSeed, counter, p0, p1));
  // Advance by the Philox blocks used (native/kernels/philox.h blocksUsed), so streams never overlap.
  const n = s.reduce((a, b) => a * b, 1);
  const uniforms = kind === RNG.NORMAL ? 2 * Math.ceil(n / 2) : n;
  counter += Math.ceil(uniforms / (dtype === 'float64' ? 2 : 4));
  return t;
}

/** Uniform on [low, high) (defaults 0 and 1). */
export const uniform = publicOp('uniform', function uniform(shape: number[], low?: number, high?: number, options?: RandomOptions): Tensor {
  const lo = low == null ? 0 : finiteArg('uniform', 'low', low);
  const hi = high == null ? 1 : finiteArg('uniform', 'high', high);
  return random('uniform', RNG.UNIFORM, shape, lo, hi, options, 4);
});
/** Normal with the given mean and standard deviation (defaults 0 and 1; Box–Muller on the Philox stream). */
export const normal = publicOp('normal', function normal(shape: number[], mean?: number, std?: number, options?: RandomOptions): Tensor {
  const mu = mean == null ? 0 : finiteArg('normal', 'mean', mean);
  const sigma = std == null ? 1 : finiteArg('normal', 'std', std);
  if (sigma < 0) fail('E_RANGE', `normal: argument 'std' = ${sigma}; expected a standard deviation >= 0`);
  return random('normal', RNG.NORMAL, shape, mu, sigma, options, 4);
});
/** 1 with probability p, else 0. */
export const bernoulli = publicOp('bernoulli', function bernoulli(shape: number[], p: number, options?: RandomOptions): Tensor {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) expected('E_RANGE', 'bernoulli', 'p', 'a probability in [0, 1]', p);
  return random('bernoulli', RNG.BERNOULLI, shape, p, 0, options, 3);
});
