/**
 * Reductions over one or more axes (`keepdims` keeps them as size 1), and their gradients.
 */
import { native, RED } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { fail } from '../errors';
import { wrap, normAxis } from './util';
import { mul, div, exp, sub, equal, where } from './elementwise';
import { reshape, broadcastTo } from './layout';

/** Options of the reductions. */
export interface ReduceOptions {
  /** Axis or axes to reduce; all axes when omitted. */
  axis?: number | number[];
  /** Keep reduced axes as size 1 (default false). */
  keepdims?: boolean;
}

interface ReduceAttrs {
  axes: number[];
  keepdims: boolean;
}

function axesOf(x: Tensor, op: string, axis?: number | number[]): number[] {
  const rank = x.rank;
  if (axis === undefined) return [...Array(rank).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  return list.map((a) => normAxis(a, rank, op));
}

function reduceOp(name: string, code: number, x: Tensor, opts?: ReduceOptions): Tensor {
  const axes = axesOf(x, name, opts?.axis);
  const keepdims = opts?.keepdims ?? false;
  return record(name, [x], [wrap(native.reduce(code, x.handle, axes, keepdims))], { attrs: { axes, keepdims } })[0];
}

/**
 * The reduced result re-expanded to x's rank (size 1 on reduced axes), ready to broadcast; a
 * recorded reshape, so gradients built from it can be differentiated again.
 */
function keepShape(t: Tensor, x: { shape: number[] }, attrs: ReduceAttrs): Tensor {
  if (attrs.keepdims) return t;
  return reshape(t, x.shape.map((s, i) => (attrs.axes.includes(i) ? 1 : s)));
}

/** Sum of elements (real or complex). */
export function sum(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('sum', RED.SUM, x, opts);
}
defineGradient<ReduceAttrs>('sum', { grad: (dy, { inputs: [x], attrs }) => [broadcastTo(keepShape(dy, x, attrs), x.shape)] });

/** Mean of elements (real or complex). */
export function mean(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('mean', RED.MEAN, x, opts);
}
defineGradient<ReduceAttrs>('mean', {
  grad: (dy, { inputs: [x], attrs }) => {
    const n = attrs.axes.reduce((acc, a) => acc * x.shape[a], 1);
    return [broadcastTo(div(keepShape(dy, x, attrs), n), x.shape)];
  },
});

/** Maximum (NaN propagates). */
export function max(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('max', RED.MAX, x, opts);
}
/** Minimum (NaN propagates). */
export function min(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('min', RED.MIN, x, opts);
}
// The gradient is shared equally among tied extrema, as in PyTorch's amax/amin.
const extremumGrad = (dy: Tensor, x: Tensor, out: Tensor, attrs: ReduceAttrs) => {
  const hit = equal(x, keepShape(out, x, attrs));
  const count = reduceOp('sum', RED.SUM, hit, { axis: attrs.axes, keepdims: true });
  return [mul(div(hit, count), keepShape(dy, x, attrs))];
};
for (const op of ['max', 'min'])
  defineGradient<ReduceAttrs>(op, { inputsToSave: [0], outputsToSave: [0], grad: (dy, { saved: [x, y], attrs }) => extremumGrad(dy, x, y, attrs) });

/** Product of elements. */
export function prod(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('prod', RED.PROD, x, opts);
}
// d prod / d x_i = prod_{j != i} x_j, computed without dividing so zeros are handled: by the
// product of the other elements where x_i = 0 and prod / x_i elsewhere.
defineGradient<ReduceAttrs>('prod', {
  inputsToSave: [0],
  outputsToSave: [0],
  grad: (dy, { saved: [x, output], attrs }) => {
    const zero = equal(x, 0);
    const safeX = where(zero, 1, x);
    const prodNonzero = reduceOp('prod', RED.PROD, safeX, { axis: attrs.axes, keepdims: true });
    const zeros = reduceOp('sum', RED.SUM, zero, { axis: attrs.axes, keepdims: true });
    const others = where(zero, where(equal(zeros, 1), prodNonzero, 0), div(keepShape(output, x, attrs), safeX));
    return [mul(others, keepShape(dy, x, attrs))];
  },
});

/** log Σ exp(x), stable for large magnitudes. */
export function logsumexp(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('logsumexp', RED.LOGSUMEXP, x, opts);
}
defineGradient<ReduceAttrs>('logsumexp', {
  inputsToSave: [0],
  outputsToSave: [0],
  grad: (dy, { saved: [x, y], attrs }) => [mul(exp(sub(x, keepShape(y, x, attrs))), keepShape(dy, x, attrs))],
});

/** Euclidean (L2) norm, without overflow for large elements. */
export function norm(x: Tensor, opts?: ReduceOptions): Tensor {
  if (x.dtype.startsWith('complex')) fail('E_DTYPE', 'norm: take abs() of a complex tensor first');
  return reduceOp('norm', RED.NORM, x, opts);
}
// x / ||x||, with 0 where the norm is 0 (a subgradient).
defineGradient<ReduceAttrs>('norm', {
  inputsToSave: [0],
  outputsToSave: [0],
  grad: (dy, { saved: [x, y], attrs }) => {
    const n = keepShape(y, x, attrs);
    const safe = where(equal(n, 0), 1, n);
    return [mul(div(x, safe), keepShape(dy, x, attrs))];
  },
});

/** Index of the maximum along one axis (int32; first index on ties; NaN counts as maximum). */
export function argmax(x: Tensor, axis = -1, keepdims = false): Tensor {
  return wrap(native.reduce(RED.ARGMAX, x.handle, [normAxis(axis, x.rank, 'argmax')], keepdims));
}
/** Index of the minimum along one axis (int32). */
export function argmin(x: Tensor, axis = -1, keepdims = false): Tensor {
  return wrap(native.reduce(RED.ARGMIN, x.handle, [normAxis(axis, x.rank, 'argmin')], keepdims));
}

