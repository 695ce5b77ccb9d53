/**
 * Conversions shared by the ops: handles to Tensors, numbers and arrays to Tensors, and the
 * reduction of a broadcast gradient back to its input's shape.
 * @internal
 */
import { native, Handle, RED } from '../native';
import { Tensor, DType } from '../tensor';
import { fail } from '../errors';
import { getDevice } from '../device';
import { record } from '../autograd';

/** A Tensor, or a number (taken as a scalar of the other operand's dtype and device). */
export type TensorLike = Tensor | number;

export function wrap(h: Handle): Tensor {
  return new Tensor(h);
}

export function scalar(value: number, dtype: DType, device: string): Tensor {
  return wrap(native.full([], dtype, device, value, 0));
}

/** `x` as a Tensor; numbers become scalars like `like` (float32 on the default device if none). */
export function toTensor(x: TensorLike, like?: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const dt = like ? (like.dtype.startsWith('complex') ? (like.dtype === 'complex64' ? 'float32' : 'float64') : like.dtype) : 'float32';
    return scalar(x, dt === 'int32' ? 'float32' : dt, like ? like.device : getDevice());
  }
  return fail('E_DTYPE', `expected a Tensor or a number; got ${typeof x}`);
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

/** Normalises an axis argument (negative counts from the end). */
export function normAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    fail('E_RANGE', `${op}: argument 'axis' = ${axis} is out of range for a ${rank}-d tensor; expected an integer in [${-rank}, ${rank - 1}]`);
  return axis < 0 ? axis + rank : axis;
}
