/**
 * Reductions over one or more axes (`keepdims` keeps them as size 1), and their gradients.
 */
import { native, RED } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { fail } from '../errors';
import { wrap } from './util';
import { publicOp } from '../engine';
import { tensorArg, optionsArg, axesArg, axisArg, boolArg } from '../validate';
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

/** The reduced axes (all when `axis` is absent) and keepdims, checked. */
function reduceArgs(op: string, x: Tensor, opts: unknown): ReduceAttrs {
  tensorArg(op, 'x', x);
  const o = optionsArg(op, 2, opts, ['axis', 'keepdims']);
  const rank = x.rank;
  const axes = o.axis === undefined ? [...Array(rank).keys()] : axesArg(op, 'axis', o.axis, rank);
  return { axes, keepdims: o.keepdims === undefined ? false : boolArg(op, 'keepdims', o.keepdims) };
}

function reduceOp(name: string, code: number, x: Tensor, opts?: ReduceOptions): Tensor {
  const { axes, keepdims } = reduceArgs(name, x, opts);
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
export const sum = publicOp('sum', function sum(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('sum', RED.SUM, x, opts);
});
defineGradient<ReduceAttrs>('sum', { grad: (dy, { inputs: [x], attrs }) => [broadcastTo(keepShape(dy, x, attrs), x.shape)] });

/** Mean of elements (real or complex). */
export const mean = publicOp('mean', function mean(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('mean', RED.MEAN, x, opts);
});
defineGradient<ReduceAttrs>('mean', {
  grad: (dy, { inputs: [x], attrs }) => {
    const n = attrs.axes.reduce((acc, a) => acc * x.shape[a], 1);
    return [broadcastTo(div(keepShape(dy, x, attrs), n), x.shape)];
  },
});

/** Maximum (NaN propagates). */
export const max = publicOp('max', function max(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('max', RED.MAX, x, opts);
});
/** Minimum (NaN propagates). */
export const min = publicOp('min', function min(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('min', RED.MIN, x, opts);
});
// The gradient is shared equally among tied extrema, as in PyTorch's amax/amin.
const extremumGrad = (dy: Tensor, x: Tensor, out: Tensor, attrs: ReduceAttrs) => {
  const hit = equal(x, keepShape(out, x, attrs));
  const count = reduceOp('sum', RED.SUM, hit, { axis: attrs.axes, keepdims: true });
  return [mul(div(hit, count), keepShape(dy, x, attrs))];
};
for (const op of ['max', 'min'])
  defineGradient<ReduceAttrs>(op, { inputsToSave: [0], outputsToSave: [0], grad: (dy, { saved: [x, y], attrs }) => extremumGrad(dy, x, y, attrs) });

/** Product of elements. */
export const prod = publicOp('prod', function prod(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('prod', RED.PROD, x, opts);
});
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
export const logsumexp = publicOp('logsumexp', function logsumexp(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp('logsumexp', RED.LOGSUMEXP, x, opts);
});
defineGradient<ReduceAttrs>('logsumexp', {
  inputsToSave: [0],
  outputsToSave: [0],
  grad: (dy, { saved: [x, y], attrs }) => [mul(exp(sub(x, keepShape(y, x, attrs))), keepShape(dy, x, attrs))],
});

/** Euclidean (L2) norm, without overflow for large elements. */
export const norm = publicOp('norm', function norm(x: Tensor, opts?: ReduceOptions): Tensor {
  if (tensorArg('norm', 'x', x).dtype.startsWith('complex')) fail('E_DTYPE', 'norm: take abs() of a complex tensor first');
  return reduceOp('norm', RED.NORM, x, opts);
});
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

/** Options of {@link argmax} and {@link argmin}. */
export interface ArgReduceOptions {
  /** The axis to search (default -1, the last). */
  axis?: number;
  /** Keep the reduced axis as size 1 (default false). */
  keepdims?: boolean;
}

function argReduce(op: string, code: number, x: Tensor, opts: unknown): Tensor {
  tensorArg(op, 'x', x);
  const o = optionsArg(op, 2, opts, ['axis', 'keepdims']);
  const axis = axisArg(op, 'axis', o.axis ?? -1, x.rank);
  const keepdims = o.keepdims === undefined ? false : boolArg(op, 'keepdims', o.keepdims);
  return wrap(native.reduce(code, x.handle, [axis], keepdims));
}

/**
 * Index of the maximum along one axis (int32; first index on ties; NaN counts as maximum).
 *
 * @example
 * wt.argmax(x, { axis: 0 });                       // like numpy.argmax(x, axis=0)
 */
export const argmax = publicOp('argmax', function argmax(x: Tensor, opts?: ArgReduceOptions): Tensor {
  return argReduce('argmax', RED.ARGMAX, x, opts);
});
/** Index of the minimum along one axis (int32; first index on ties). */
export const argmin = publicOp('argmin', function argmin(x: Tensor, opts?: ArgReduceOptions): Tensor {
  return argReduce('argmin', RED.ARGMIN, x, opts);
});
