/**
 * Layout ops: reshaping, views (transpose, slice, flip, broadcastTo), copies that assemble new
 * tensors (concat, stack, pad, roll, gather), and conversions (cast, to, contiguous), each with
 * its gradient registered next to its forward.
 *
 * Views share their input's storage (as in PyTorch): transpose, slice, sliceAxes, flip,
 * broadcastTo, expandDims, squeeze and reshape of a contiguous tensor copy nothing. Tensors are
 * immutable, so sharing is never observable except through memory use.
 */
import { native, Handle, DTypeName } from '../native';
import { Tensor, DType } from '../tensor';
import { record, defineGradient, identity } from '../autograd';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap, unbroadcast } from './util';
import {
  tensorArg, tensorListArg, intListArg, axisArg, axesArg, shapeArg, dtypeArg, intArg, deviceArg, isInt, notNaNArg, expected, describe,
  isComplexDType as isComplex,
} from '../validate';
import { real } from './complex';

/** Runs fn with a raw handle and disposes it afterwards (intermediate views never reach JS). */
function withHandle<T>(h: Handle, fn: (h: Handle) => T): T {
  try {
    return fn(h);
  } finally {
    native.dispose(h);
  }
}

/** Writes x into the strided region (start, stop, step) of `out`. */
function copyRegion(out: Handle, x: Handle, start: number[], stop: number[], step: number[]): void {
  withHandle(native.slice(out, start, stop, step), (v) => native.copyInto(v, x));
}

/** Python's slice.indices(n): normalised [start, stop, step] and the resulting length. */
function sliceIndices(n: number, start: number | null | undefined, stop: number | null | undefined, step: number) {
  let b: number;
  let e: number;
  if (step > 0) {
    b = start == null ? 0 : start < 0 ? Math.max(start + n, 0) : Math.min(start, n);
    e = stop == null ? n : stop < 0 ? Math.max(stop + n, 0) : Math.min(stop, n);
    if (e < b) e = b;
  } else {
    b = start == null ? n - 1 : start < 0 ? Math.max(start + n, -1) : Math.min(start, n - 1);
    e = stop == null ? -1 : stop < 0 ? Math.max(stop + n, -1) : Math.min(stop, n - 1);
    if (e > b) e = b;
  }
  const len = step > 0 ? Math.ceil((e - b) / step) : Math.ceil((b - e) / -step);
  return { b, e, len };
}

// ---------------------------------------------------------------- reshape and friends

/**
 * The same elements in a new shape (one entry may be -1, inferred). A view when x is
 * contiguous, else a copy.
 */
export const reshape = publicOp('reshape', function reshape(x: Tensor, shape: number[]): Tensor {
  tensorArg('reshape', 'x', x);
  const s = intListArg('reshape', 'shape', shape);
  return record('reshape', [x], [wrap(native.reshape(x.handle, s))])[0];
});
defineGradient('reshape', { grad: (dy, { inputs: [x] }) => [reshape(dy, x.shape)] });

/** Inserts an axis of size 1 at `axis` (in [-(rank+1), rank]). */
export const expandDims = publicOp('expandDims', function expandDims(x: Tensor, axis?: number): Tensor {
  tensorArg('expandDims', 'x', x);
  const shape = x.shape;
  const a = axisArg('expandDims', 'axis', axis ?? 0, shape.length + 1);
  shape.splice(a, 0, 1);
  return reshape(x, shape);
});

/** Removes axes of size 1: the given ones (each must have size 1) or all of them. */
export const squeeze = publicOp('squeeze', function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  tensorArg('squeeze', 'x', x);
  const shape = x.shape;
  let drop: number[];
  if (axis == null) {
    drop = shape.map((_, i) => i).filter((i) => shape[i] === 1);
  } else {
    drop = axesArg('squeeze', 'axis', axis, shape.length);
    for (const a of drop)
      if (shape[a] !== 1) fail('E_SHAPE', `squeeze: argument 'axis' names axis ${a} of size ${shape[a]}; only size-1 axes can be squeezed`);
  }
  return reshape(x, shape.filter((_, i) => !drop.includes(i)));
});

/** Flattens to one dimension. */
export const flatten = publicOp('flatten', function flatten(x: Tensor): Tensor {
  tensorArg('flatten', 'x', x);
  return reshape(x, [x.size]);
});

/**
 * Permutes the axes (a view): `axes[i]` is the input axis that becomes output axis i; by
 * default the axes are reversed (a matrix transpose for 2-d).
 */
export const transpose = publicOp('transpose', function transpose(x: Tensor, axes?: number[]): Tensor {
  tensorArg('transpose', 'x', x);
  const rank = x.rank;
  let perm: number[];
  if (axes == null) perm = [...Array(rank).keys()].reverse();
  else {
    const list = intListArg('transpose', 'axes', axes);
    if (list.length !== rank) fail('E_SHAPE', `transpose: argument 'axes' has ${list.length} entries; expected ${rank} (one per axis of shape [${x.shape}])`);
    perm = axesArg('transpose', 'axes', list, rank);
  }
  return record('transpose', [x], [wrap(native.permute(x.handle, perm))], { attrs: perm })[0];
});
defineGradient<number[]>('transpose', {
  grad: (dy, { attrs: perm }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy, inv)];
  },
});

/** Same as {@link transpose} with explicit axes (PyTorch's name). */
export const permute = publicOp('permute', function permute(x: Tensor, axes: number[]): Tensor {
  tensorArg('permute', 'x', x);
  if (axes == null) fail('E_SHAPE', "permute: argument 'axes' is required");
  return transpose(x, axes);
});

/** Swaps two axes (a view). */
export const swapAxes = publicOp('swapAxes', function swapAxes(x: Tensor, axis1: number, axis2: number): Tensor {
  tensorArg('swapAxes', 'x', x);
  const rank = x.rank;
  const a = axisArg('swapAxes', 'axis1', axis1, rank);
  const b = axisArg('swapAxes', 'axis2', axis2, rank);
  const perm = [...Array(rank).keys()];
  perm[a] = b;
  perm[b] = a;
  return transpose(x, perm);
});

/** x broadcast to `shape` with numpy's rules (a view with stride 0 along broadcast axes). */
export const broadcastTo = publicOp('broadcastTo', function broadcastTo(x: Tensor, shape: number[]): Tensor {
  tensorArg('broadcastTo', 'x', x);
  const s = shapeArg('broadcastTo', 'shape', shape);
  return record('broadcastTo', [x], [wrap(native.expand(x.handle, s))])[0];
});
defineGradient('broadcastTo', { grad: (dy, { inputs: [x] }) => [unbroadcast(dy, x.shape)] });

// ---------------------------------------------------------------- slicing

interface SliceAttrs {
  start: number[];
  stop: number[];
  step: number[];
}

function stridedSlice(x: Tensor, a: SliceAttrs): Tensor {
  return record('slice', [x], [wrap(native.slice(x.handle, a.start, a.stop, a.step))], { attrs: a })[0];
}
// The gradient scatters dy back into zeros of the input's shape (an op whose own gradient is
// the same slice, so higher orders work).
defineGradient<SliceAttrs>('slice', { grad: (dy, { inputs: [x], attrs }) => [unslice(dy, x.shape, attrs)] });

function unslice(dy: Tensor, shape: number[], a: SliceAttrs): Tensor {
  const out = native.full(shape, dy.dtype, dy.device, 0, 0);
  try {
    copyRegion(out, dy.handle, a.start, a.stop, a.step);
  } catch (e) {
    native.dispose(out);
    throw e;
  }
  return record('unslice', [dy], [wrap(out)], { attrs: a })[0];
}
defineGradient<SliceAttrs>('unslice', { grad: (dy, { attrs }) => [stridedSlice(dy, attrs)] });

/**
 * The block starting at `begin` with `size` elements per axis (tfjs's slice; a view). `size`
 * entries of -1 (or a missing `size`) run to the end of the axis; `begin` entries may be
 * negative (counted from the end). Shorter lists leave the remaining axes whole.
 */
export const slice = publicOp('slice', function slice(x: Tensor, begin: number | number[], size?: number | number[]): Tensor {
  tensorArg('slice', 'x', x);
  const shape = x.shape;
  const rank = shape.length;
  const b = intListArg('slice', 'begin', begin);
  const s = size == null ? [] : intListArg('slice', 'size', size);
  if (b.length > rank) fail('E_SHAPE', `slice: argument 'begin' has ${b.length} entries; the tensor has ${rank} axes`);
  if (s.length > rank) fail('E_SHAPE', `slice: argument 'size' has ${s.length} entries; the tensor has ${rank} axes`);
  const start: number[] = [];
  const stop: number[] = [];
  for (let i = 0; i < rank; i++) {
    const n = shape[i];
    let st = b[i] ?? 0;
    if (st < 0) st += n;
    if (st < 0 || st > n) fail('E_RANGE', `slice: argument 'begin' = ${b[i]} on axis ${i} is outside [${-n}, ${n}] for shape [${shape}]`);
    const len = s[i] ?? -1;
    if (len < -1) fail('E_RANGE', `slice: argument 'size' = ${len} on axis ${i}; expected -1 or a size >= 0`);
    const en = len === -1 ? n : st + len;
    if (en > n) fail('E_RANGE', `slice: argument 'size' = ${len} on axis ${i}: begin ${st} + size ${len} exceeds the axis size ${n} of shape [${shape}]`);
    start.push(st);
    stop.push(en);
  }
  return stridedSlice(x, { start, stop, step: shape.map(() => 1) });
});

/** One axis of a {@link sliceAxes} spec: an index (the axis is dropped), a range, or null (all). */
export type SliceSpec =
  | number
  | null
  | undefined
  | [start?: number | null, stop?: number | null, step?: number | null]
  | { start?: number | null; stop?: number | null; step?: number | null };

/**
 * numpy-style basic indexing (a view): one spec per leading axis, like `x[1, 2:5, ::-1]` written
 * `sliceAxes(x, [1, [2, 5], [null, null, -1]])`. Ranges follow Python's slice semantics:
 * negative start/stop count from the end, out-of-range bounds clamp, negative steps walk
 * backwards. An integer index must be in range (E_RANGE) and drops its axis.
 */
export const sliceAxes = publicOp('sliceAxes', function sliceAxes(x: Tensor, specs: SliceSpec[]): Tensor {
  tensorArg('sliceAxes', 'x', x);
  if (!Array.isArray(specs)) fail('E_SHAPE', "sliceAxes: argument 'specs' must be an array with one entry per axis");
  const shape = x.shape;
  const rank = shape.length;
  if (specs.length > rank) fail('E_SHAPE', `sliceAxes: argument 'specs' has ${specs.length} entries; the tensor has ${rank} axes`);
  const start: number[] = [];
  const stop: number[] = [];
  const step: number[] = [];
  const keep: number[] = [];
  for (let i = 0; i < rank; i++) {
    const n = shape[i];
    const sp = specs[i];
    if (typeof sp === 'number') {
      if (!isInt(sp) || sp < -n || sp >= n)
        fail('E_RANGE', `sliceAxes: index ${sp} on axis ${i} is out of range for size ${n}; expected an integer in [${-n}, ${n - 1}]`);
      const k = sp < 0 ? sp + n : sp;
      start.push(k);
      stop.push(k + 1);
      step.push(1);
      continue;
    }
    let lo: number | null | undefined;
    let hi: number | null | undefined;
    let st: number | null | undefined;
    if (sp == null) {
      /* whole axis */
    } else if (Array.isArray(sp)) [lo, hi, st] = sp;
    else if (typeof sp === 'object') ({ start: lo, stop: hi, step: st } = sp);
    else fail('E_SHAPE', `sliceAxes: spec ${i} must be an index, a [start, stop, step] range, an object or null`);
    for (const [v, name] of [[lo, 'start'], [hi, 'stop'], [st, 'step']] as const)
      if (v != null && !isInt(v)) fail('E_SHAPE', `sliceAxes: ${name} of spec ${i} must be an integer or null; got ${describe(v)}`);
    const stp = st ?? 1;
    if (stp === 0) fail('E_RANGE', `sliceAxes: step of spec ${i} is 0`);
    const { b, e } = sliceIndices(n, lo, hi, stp);
    start.push(b);
    stop.push(e);
    step.push(stp);
    keep.push(i);
  }
  const view = stridedSlice(x, { start, stop, step });
  if (keep.length === rank) return view;
  const vs = view.shape;
  return reshape(view, keep.map((i) => vs[i]));
});

/** Reverses the order of elements along `axis` (default: all axes); a view. */
export const flip = publicOp('flip', function flip(x: Tensor, axis?: number | number[]): Tensor {
  tensorArg('flip', 'x', x);
  const shape = x.shape;
  const axes = axis == null ? shape.map((_, i) => i) : axesArg('flip', 'axis', axis, shape.length);
  const start = shape.map(() => 0);
  const stop = shape.slice();
  const step = shape.map(() => 1);
  for (const a of axes) {
    start[a] = shape[a] - 1;
    stop[a] = -1;
    step[a] = -1;
  }
  return stridedSlice(x, { start, stop, step });
});

// ---------------------------------------------------------------- assembling

/** Joins tensors along an existing axis; all other sizes must agree. */
export const concat = publicOp('concat', function concat(xs: Tensor[], axis?: number): Tensor {
  const ts = tensorListArg('concat', 'xs', xs);
  const s0 = ts[0].shape;
  const rank = s0.length;
  if (rank === 0) fail('E_SHAPE', "concat: argument 'xs' holds 0-d tensors; stack() them instead");
  const a = axisArg('concat', 'axis', axis ?? 0, rank);
  const sizes: number[] = [];
  ts.forEach((t, i) => {
    const s = t.shape;
    if (s.length !== rank || s.some((d, k) => k !== a && d !== s0[k]))
      fail('E_SHAPE', `concat: argument 'xs[${i}]' has shape [${s}], which does not match [${s0}] except along axis ${a}`);
    sizes.push(s[a]);
  });
  if (ts.length === 1) return identity(ts[0]);
  const outShape = s0.slice();
  outShape[a] = sizes.reduce((p, q) => p + q, 0);
  const out = native.full(outShape, ts[0].dtype, ts[0].device, 0, 0);
  try {
    let offset = 0;
    ts.forEach((t, i) => {
      const start = outShape.map(() => 0);
      const stop = outShape.slice();
      start[a] = offset;
      stop[a] = offset + sizes[i];
      copyRegion(out, t.handle, start, stop, outShape.map(() => 1));
      offset += sizes[i];
    });
  } catch (e) {
    native.dispose(out);
    throw e;
  }
  return record('concat', ts, [wrap(out)], { attrs: { axis: a, sizes } })[0];
});
defineGradient<{ axis: number; sizes: number[] }>('concat', {
  grad: (dy, { attrs: { axis, sizes } }) => {
    const shape = dy.shape;
    let offset = 0;
    return sizes.map((n) => {
      const begin = shape.map(() => 0);
      const size = shape.map(() => -1);
      begin[axis] = offset;
      size[axis] = n;
      offset += n;
      return slice(dy, begin, size);
    });
  },
});

interface SplitAttrs {
  axis: number;
  sizes: number[];
}

/**
 * x cut along `axis` into consecutive pieces of these sizes (views; they add up to the axis), as
 * one recorded op. Its gradient joins the pieces' gradients (zeros where a piece has none) in one
 * concat, where k slices recorded one by one would each scatter into a zero tensor of x's shape
 * and the tape would add the k of them: for wavedec's 6 pieces of one packed tensor, 17 passes
 * over x's size become 2.
 * @internal
 */
export function splitAlong(x: Tensor, axis: number, sizes: number[]): Tensor[] {
  const shape = x.shape;
  if (sizes.reduce((p, q) => p + q, 0) !== shape[axis])
    fail('E_INTERNAL', `split: sizes [${sizes}] do not add up to axis ${axis} of shape [${shape}]`);
  let at = 0;
  const pieces = sizes.map((n) => {
    const start = shape.map(() => 0);
    const stop = shape.slice();
    start[axis] = at;
    stop[axis] = at += n;
    return wrap(native.slice(x.handle, start, stop, shape.map(() => 1)));
  });
  return record('split', [x], pieces, { attrs: { axis, sizes } });
}
defineGradient<SplitAttrs>('split', {
  outputs: 'any',
  grad: (dys, { inputs: [x], attrs: { axis, sizes } }) => {
    const parts = dys.map((d, i) => {
      if (d !== null) return d;
      const shape = x.shape.slice();
      shape[axis] = sizes[i];
      return wrap(native.full(shape, x.dtype as DTypeName, x.device, 0, 0));
    });
    return [concat(parts, axis)];
  },
});

/** Joins tensors of one shape along a new axis (in [-(rank+1), rank]). */
export const stack = publicOp('stack', function stack(xs: Tensor[], axis?: number): Tensor {
  const ts = tensorListArg('stack', 'xs', xs);
  const s0 = ts[0].shape;
  ts.forEach((t, i) => {
    const s = t.shape;
    if (s.length !== s0.length || s.some((d, k) => d !== s0[k]))
      fail('E_SHAPE', `stack: argument 'xs[${i}]' has shape [${s}]; every tensor must have the shape of 'xs[0]' [${s0}]`);
  });
  const a = axisArg('stack', 'axis', axis ?? 0, s0.length + 1);
  return concat(ts.map((t) => expandDims(t, a)), a);
});

/**
 * Pads with a constant: `paddings[i] = [before, after]` elements on axis i (a shorter list
 * leaves the remaining axes unpadded). Complex tensors are padded with `value + 0i`.
 */
export const pad = publicOp('pad', function pad(x: Tensor, paddings: [number, number][], value?: number): Tensor {
  tensorArg('pad', 'x', x);
  const shape = x.shape;
  if (!Array.isArray(paddings)) fail('E_SHAPE', "pad: argument 'paddings' must be an array of [before, after] pairs");
  if (paddings.length > shape.length)
    fail('E_SHAPE', `pad: argument 'paddings' has ${paddings.length} entries; the tensor has ${shape.length} axes`);
  const fillValue = value == null ? 0 : notNaNArg('pad', 'value', value);
  const before: number[] = [];
  const outShape: number[] = [];
  shape.forEach((n, i) => {
    const p = paddings[i] ?? [0, 0];
    if (!Array.isArray(p) || p.length !== 2 || !isInt(p[0]) || !isInt(p[1]) || p[0] < 0 || p[1] < 0)
      fail('E_RANGE', `pad: argument 'paddings[${i}]' must be a pair [before, after] of integers >= 0; got ${describe(p)}`);
    before.push(p[0]);
    outShape.push(p[0] + n + p[1]);
  });
  const out = native.full(outShape, x.dtype, x.device, fillValue, 0);
  try {
    copyRegion(out, x.handle, before, before.map((b, i) => b + shape[i]), shape.map(() => 1));
  } catch (e) {
    native.dispose(out);
    throw e;
  }
  return record('pad', [x], [wrap(out)], { attrs: before })[0];
});
defineGradient<number[]>('pad', { grad: (dy, { inputs: [x], attrs: before }) => [slice(dy, before, x.shape)] });

/**
 * Rolls elements along `axis` by `shift` (numpy's roll): element i moves to (i + shift) mod n.
 * Several axes take arrays of shifts and axes; with no axis the flattened tensor is rolled.
 */
export const roll = publicOp('roll', function roll(x: Tensor, shift: number | number[], axis?: number | number[]): Tensor {
  tensorArg('roll', 'x', x);
  const shifts = intListArg('roll', 'shift', shift);
  if (axis == null) {
    if (shifts.length !== 1) fail('E_SHAPE', "roll: argument 'shift' must be one integer when no axis is given");
    return reshape(roll(flatten(x), shifts[0], 0), x.shape);
  }
  const axes = intListArg('roll', 'axis', axis).map((a) => axisArg('roll', 'axis', a, x.rank));
  if (axes.length !== shifts.length)
    fail('E_SHAPE', `roll: arguments 'shift' (${shifts.length} entries) and 'axis' (${axes.length}) must have the same length`);
  let y = x;
  axes.forEach((a, k) => {
    const prev = y;
    y = roll1(prev, shifts[k], a);
    if (prev !== x && prev !== y) prev.dispose();
  });
  return y === x ? identity(x) : y;
});

function roll1(x: Tensor, shift: number, axis: number): Tensor {
  const shape = x.shape;
  const n = shape[axis];
  const s = n === 0 ? 0 : ((shift % n) + n) % n;
  if (s === 0) return x;
  const out = native.full(shape, x.dtype, x.device, 0, 0);
  const ones = shape.map(() => 1);
  const region = (lo: number, hi: number): [number[], number[], number[]] => {
    const start = shape.map(() => 0);
    const stop = shape.slice();
    start[axis] = lo;
    stop[axis] = hi;
    return [start, stop, ones];
  };
  try {
    // out[s:] = x[:n-s], out[:s] = x[n-s:]
    withHandle(native.slice(x.handle, ...region(0, n - s)), (h) => copyRegion(out, h, ...region(s, n)));
    withHandle(native.slice(x.handle, ...region(n - s, n)), (h) => copyRegion(out, h, ...region(0, s)));
  } catch (e) {
    native.dispose(out);
    throw e;
  }
  return record('roll', [x], [wrap(out)], { attrs: [s, axis] })[0];
}
defineGradient<[number, number]>('roll', { grad: (dy, { attrs: [s, axis] }) => [roll(dy, -s, axis)] });

/**
 * Picks entries along `axis` (default 0): out[..., i, ...] = x[..., indices[i], ...], with the
 * indices' shape replacing that axis. Indices are an int32 tensor (or an array of integers).
 * An index outside [0, size) rejects the read of the result with E_RANGE.
 */
export const gather = publicOp('gather', function gather(x: Tensor, indices: Tensor | number[], axis?: number): Tensor {
  tensorArg('gather', 'x', x);
  const idx = indexTensor(indices, x.device, 'gather');
  try {
    if (idx.dtype !== 'int32') fail('E_DTYPE', `gather: argument 'indices' must be int32; got ${idx.dtype}`);
    if (x.rank === 0) fail('E_SHAPE', "gather: argument 'x' must have at least one axis");
    const a = axisArg('gather', 'axis', axis ?? 0, x.rank);
    return record('gather', [x, idx], [wrap(native.gather(x.handle, idx.handle, a))], { attrs: a })[0];
  } finally {
    if (idx !== indices) idx.dispose();
  }
});
defineGradient<number>('gather', {
  inputsToSave: [1],
  grad: (dy, { inputs: [x], saved: [idx], attrs: axis }) => [scatterAdd(dy, idx, axis, x.shape[axis]), null],
});

/**
 * The adjoint of {@link gather}: zeros with `size` entries along `axis`, into which the slices
 * of `src` are added at `indices` (repeated indices accumulate).
 */
export const scatterAdd = publicOp('scatterAdd', function scatterAdd(src: Tensor, indices: Tensor | number[], axis: number, size: number): Tensor {
  tensorArg('scatterAdd', 'src', src);
  const idx = indexTensor(indices, src.device, 'scatterAdd');
  try {
    if (idx.dtype !== 'int32') fail('E_DTYPE', `scatterAdd: argument 'indices' must be int32; got ${idx.dtype}`);
    intArg('scatterAdd', 'size', size, 0);
    const rank = src.rank - idx.rank + 1;
    if (rank < 1) fail('E_SHAPE', `scatterAdd: 'src' [${src.shape}] has fewer axes than 'indices' [${idx.shape}]`);
    const a = axisArg('scatterAdd', 'axis', axis, rank);
    return record('scatterAdd', [src, idx], [wrap(native.scatterAdd(src.handle, idx.handle, a, size))], { attrs: a })[0];
  } finally {
    if (idx !== indices) idx.dispose();
  }
});
defineGradient<number>('scatterAdd', { inputsToSave: [1], grad: (dy, { saved: [idx], attrs: axis }) => [gather(dy, idx, axis), null] });

function indexTensor(indices: Tensor | number[], device: string, op: string): Tensor {
  if (indices instanceof Tensor) return tensorArg(op, 'indices', indices);
  if (!Array.isArray(indices)) expected('E_DTYPE', op, 'indices', 'an int32 Tensor or an array of integers', indices);
  const data = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!isInt(v) || v < -2147483648 || v > 2147483647) fail('E_RANGE', `${op}: argument 'indices' entry ${i} = ${describe(v)} is not an int32 integer`);
    data[i] = v;
  }
  return wrap(native.fromData(data, [indices.length], 'int32', device));
}

// ---------------------------------------------------------------- conversions

/**
 * Converts to another dtype: between float32 and float64, complex64 and complex128, real to
 * complex (imaginary part 0) and to/from int32 (truncating). Complex to real is refused
 * (take real(), abs() or angle() first). Gradients flow between float and complex dtypes
 * (real → complex passes back the real part), not through int32.
 */
export const cast = publicOp('cast', function cast(x: Tensor, dtype: DType): Tensor {
  tensorArg('cast', 'x', x);
  dtypeArg('cast', 'dtype', dtype);
  if (isComplex(x.dtype) && !isComplex(dtype))
    fail('E_DTYPE', `cast: cannot convert ${x.dtype} to ${dtype}; take real(), abs() or angle() first`);
  if (dtype === x.dtype) return identity(x);
  return record('cast', [x], [wrap(native.cast(x.handle, dtype))])[0];
});
defineGradient('cast', {
  grad: (dy, { inputs: [x] }) => {
    if (x.dtype === 'int32' || dy.dtype === 'int32') return [null];
    // real -> complex: only the real part of the cotangent reaches x.
    if (isComplex(dy.dtype) && !isComplex(x.dtype)) return [cast(real(dy), x.dtype)];
    return [cast(dy, x.dtype)];
  },
});

/** A copy of x on another device (the same tensor, aliased, when already there). */
export const to = publicOp('to', function to(x: Tensor, device: string): Tensor {
  tensorArg('to', 'x', x);
  deviceArg('to', 'device', device);
  return record('to', [x], [wrap(native.to(x.handle, device))])[0];
});
defineGradient('to', { grad: (dy, { inputs: [x] }) => [to(dy, x.device)] });

/** x with a dense row-major layout (a copy only when x is a strided view). */
export const contiguous = publicOp('contiguous', function contiguous(x: Tensor): Tensor {
  tensorArg('contiguous', 'x', x);
  return record('contiguous', [x], [wrap(native.contiguous(x.handle))])[0];
});
defineGradient('contiguous', { grad: (dy) => [dy] });

// ---------------------------------------------------------------- Tensor methods

declare module '../tensor' {
  interface Tensor {
    /** A copy on another device; see {@link to}. */
    to(device: string): Tensor;
    /** Converts the dtype; see {@link cast}. */
    cast(dtype: DType): Tensor;
    /** The same elements in a new shape; see {@link reshape}. */
    reshape(shape: number[]): Tensor;
  }
}
const proto = Tensor.prototype as unknown as Record<string, unknown>;
if (proto.to === undefined) proto.to = function (this: Tensor, device: string) { return to(this, device); };
if (proto.cast === undefined) proto.cast = function (this: Tensor, dtype: DType) { return cast(this, dtype); };
if (proto.reshape === undefined) proto.reshape = function (this: Tensor, shape: number[]) { return reshape(this, shape); };

