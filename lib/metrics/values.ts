/**
 * Reading the number arrays the metrics, losses and search helpers take: a real Tensor, a JS
 * array or a typed array, as float64 values checked to be finite (and labels to be 0/1).
 * Internal: not part of the public API (the package index does not export it).
 */
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { describe, expected } from '../validate';

/** What a metric accepts for a list of numbers. */
export type NumberList = Tensor | ArrayLike<number>;

/** v as finite float64 values (E_DTYPE for a non-list, a complex/disposed tensor; E_RANGE for NaN/±Inf). */
export function valuesArg(op: string, arg: string, v: unknown, opts: { allowEmpty?: boolean } = {}): Float64Array {
  let out: Float64Array;
  if (v instanceof Tensor) {
    if (v.isDisposed) fail('E_DISPOSED', `${op}: argument '${arg}' is a disposed tensor`);
    if (v.dtype !== 'float32' && v.dtype !== 'float64' && v.dtype !== 'int32')
      fail('E_DTYPE', `${op}: argument '${arg}' must be a real tensor (float32, float64 or int32); got ${v.dtype}`);
    out = Float64Array.from(v.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof (v as unknown as { length?: unknown }).length === 'number')) {
    const list = v as ArrayLike<unknown>;
    if (list.length > 2 ** 28) expected('E_RANGE', op, arg, 'a list of at most 2^28 numbers', v);
    out = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (typeof x !== 'number' && typeof x !== 'bigint') fail('E_DTYPE', `${op}: argument '${arg}' must hold numbers; entry ${i} is ${describe(x)}`);
      out[i] = Number(x);
    }
  } else {
    return expected('E_DTYPE', op, arg, 'a Tensor, an array of numbers or a typed array', v);
  }
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i])) fail('E_RANGE', `${op}: argument '${arg}' must hold finite numbers; entry ${i} is ${out[i]}`);
  if (out.length === 0 && opts.allowEmpty !== true) expected('E_SHAPE', op, arg, 'a non-empty list of numbers', v);
  return out;
}

/** v as 0/1 labels (E_RANGE for any other value), of length n when n is given (E_SHAPE). */
export function binaryLabelsArg(op: string, arg: string, v: unknown, n?: number): Float64Array {
  const y = valuesArg(op, arg, v, { allowEmpty: n === 0 });
  if (n !== undefined && y.length !== n) fail('E_SHAPE', `${op}: argument '${arg}' has ${y.length} labels; expected ${n}, one per score`);
  for (let i = 0; i < y.length; i++)
    if (y[i] !== 0 && y[i] !== 1) fail('E_RANGE', `${op}: argument '${arg}' must hold labels 0 or 1; entry ${i} is ${y[i]}`);
  return y;
}

/** v as integer class labels (E_RANGE for non-integers). */
export function classLabelsArg(op: string, arg: string, v: unknown, n?: number): Int32Array {
  const y = valuesArg(op, arg, v);
  if (n !== undefined && y.length !== n) fail('E_SHAPE', `${op}: argument '${arg}' has ${y.length} labels; expected ${n}`);
  for (let i = 0; i < y.length; i++)
    if (!Number.isInteger(y[i]) || Math.abs(y[i]) > 2 ** 31 - 1) fail('E_RANGE', `${op}: argument '${arg}' must hold integer class labels; entry ${i} is ${y[i]}`);
  return Int32Array.from(y);
}

/** Two lists of the same length (E_SHAPE otherwise). */
export function sameLength(op: string, a: string, b: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) fail('E_SHAPE', `${op}: arguments '${a}' (${x.length} values) and '${b}' (${y.length}) must have the same length`);
}
