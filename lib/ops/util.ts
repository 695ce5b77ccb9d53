/**
 * Conversions shared by the ops: handles to Tensors, numbers to scalar Tensors, and the
 * reduction of a broadcast gradient back to its input's shape.
 * Internal: not part of the public API (the package index does not export it).
 */
import { native, Handle, RED } from '../native';
import { Tensor, DType } from '../tensor';
import { fail } from '../errors';
import { getDevice } from '../device';
import { describe } from '../validate';
import { record } from '../autograd';

/**
 * A Tensor, or a number: a scalar of the other operand's dtype and device (a complex operand
 * takes the number as value + 0i; an int32 operand as a float32 scalar).
 */
export type TensorLike = Tensor | number;

export function wrap(h: Handle): Tensor {
  return new Tensor(h);
}

/** A 0-d tensor holding `value` (any number, NaN and ±Infinity included; complex: value + 0i). */
export function scalar(value: number, dtype: DType, device: string): Tensor {
  const data =
    dtype === 'float32' ? Float32Array.of(value)
    : dtype === 'complex64' ? Float32Array.of(value, 0)
    : dtype === 'complex128' ? Float64Array.of(value, 0)
    : dtype === 'int32' ? Int32Array.of(value)
    : Float64Array.of(value);
  return wrap(native.fromData(data, [], dtype, device));
}

/**
 * `x` as a Tensor; a number becomes a scalar like `like` (float32 on the default device if
 * none). The scalar is an intermediate of the calling op, freed by the op's scope. `arg` names
 * the argument in the error for anything else.
 */
export function toTensor(x: TensorLike, like?: Tensor, op = 'op', arg = 'x'): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) fail('E_DISPOSED', `${op}: argument '${arg}' is a disposed tensor`);
    return x;
  }
  if (typeof x === 'number') {
    const dt = like === undefined ? 'float32' : like.dtype === 'int32' ? 'float32' : like.dtype;
    return scalar(x, dt, like === undefined ? getDevice() : like.device);
  }
  return fail('E_DTYPE', `${op}: argument '${arg}' must be a Tensor or a number; got ${describe(x)}`);
}

export function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Sums g over the axes along which `shape` was broadcast to g's shape (recorded as 'sum' and
 * 'reshape', so a gradient built from it can be differentiated again).
 */
export function unbroadcast(g: Tensor, shape: number[]): Tensor {
  const gs = g.shape;
  if (sameShape(gs, shape)) return g;
  const lead = gs.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < gs.length; i++) if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) axes.push(i);
  const summed = axes.length > 0 ? record('sum', [g], [wrap(native.reduce(RED.SUM, g.handle, axes, true))], { attrs: { axes, keepdims: true } })[0] : g;
  return record('reshape', [summed], [wrap(native.reshape(summed.handle, shape))])[0];
}
