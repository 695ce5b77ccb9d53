/**
 * Elementwise ops with numpy broadcasting, and their gradients (each registered next to its
 * forward). Real ops take float32/float64; add, sub, mul, div and neg also take complex.
 */
import { native, UN, BIN } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient, setGradHelpers } from '../autograd';
import { wrap, toTensor, unbroadcast, TensorLike } from './util';
import { publicOp } from '../engine';
import { notNaNArg, tensorArg } from '../validate';

function binaryOp(name: string, code: number, a: TensorLike, b: TensorLike): Tensor {
  const at = toTensor(a, b instanceof Tensor ? b : undefined, name, 'a');
  const bt = toTensor(b, at, name, 'b');
  return record(name, [at, bt], [wrap(native.binary(code, at.handle, bt.handle))])[0];
}

function unaryOp(name: string, code: number, x: TensorLike, p0 = 0, p1 = 0, attrs?: unknown): Tensor {
  const xt = toTensor(x, undefined, name, 'x');
  return record(name, [xt], [wrap(native.unary(code, xt.handle, p0, p1))], { attrs })[0];
}

/** a + b (complex operands take a number as value + 0i) */
export const add = publicOp('add', function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', BIN.ADD, a, b);
});
defineGradient('add', { grad: (dy, { inputs: [a, b] }) => [unbroadcast(dy, a.shape), unbroadcast(dy, b.shape)] });

/** a - b */
export const sub = publicOp('sub', function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', BIN.SUB, a, b);
});
defineGradient('sub', { grad: (dy, { inputs: [a, b] }) => [unbroadcast(dy, a.shape), unbroadcast(neg(dy), b.shape)] });

/** a * b (complex: the complex product) */
export const mul = publicOp('mul', function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', BIN.MUL, a, b);
});
// Complex: dL/da = dy * conj(b) (PyTorch's convention), which reduces to dy * b for real b.
defineGradient('mul', {
  inputsToSave: [0, 1],
  grad: (dy, { saved: [a, b] }) => [unbroadcast(mul(dy, conjIfComplex(b)), a.shape), unbroadcast(mul(dy, conjIfComplex(a)), b.shape)],
});

/** a / b */
export const div = publicOp('div', function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', BIN.DIV, a, b);
});
defineGradient('div', {
  inputsToSave: [1],
  outputsToSave: [0],
  grad: (dy, { inputs: [a], saved: [b, output] }) => {
    const ga = div(dy, conjIfComplex(b));
    return [unbroadcast(ga, a.shape), unbroadcast(neg(mul(ga, conjIfComplex(output))), b.shape)];
  },
});

/** a ** b, elementwise (real) */
export const pow = publicOp('pow', function pow(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && !Number.isNaN(b)) return unaryOp('powScalar', UN.POW_SCALAR, a, b, 0, b);
  return binaryOp('pow', BIN.POW, a, b);
});
defineGradient<number>('powScalar', { inputsToSave: [0], grad: (dy, { saved: [x], attrs: p }) => [mul(dy, mul(pow(x, p - 1), p))] });
// d/db a^b = a^b log a, taken as 0 where a = 0 and b > 0 (the limit), as PyTorch does.
defineGradient('pow', {
  inputsToSave: [0, 1],
  outputsToSave: [0],
  grad: (dy, { saved: [a, b, output] }) => [
    unbroadcast(mul(dy, mul(b, pow(a, sub(b, 1)))), a.shape),
    unbroadcast(mul(dy, where(equal(a, 0), zerosLikeOf(a), mul(output, log(a)))), b.shape),
  ],
});

/** Elementwise maximum (NaN propagates). */
export const maximum = publicOp('maximum', function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', BIN.MAXIMUM, a, b);
});
// Ties send the gradient to a, like numpy's choice of a.
defineGradient('maximum', {
  inputsToSave: [0, 1],
  grad: (dy, { saved: [a, b] }) => {
    const m = greaterEqual(a, b);
    return [unbroadcast(mul(dy, m), a.shape), unbroadcast(mul(dy, sub(1, m)), b.shape)];
  },
});

/** Elementwise minimum (NaN propagates). */
export const minimum = publicOp('minimum', function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', BIN.MINIMUM, a, b);
});
defineGradient('minimum', {
  inputsToSave: [0, 1],
  grad: (dy, { saved: [a, b] }) => {
    const m = lessEqual(a, b);
    return [unbroadcast(mul(dy, m), a.shape), unbroadcast(mul(dy, sub(1, m)), b.shape)];
  },
});

// Comparisons return 1 or 0 in the inputs' dtype (usable as masks) and have no gradient.
/** a == b as 1/0 */
export const equal = publicOp('equal', (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', BIN.EQ, a, b));
/** a != b as 1/0 */
export const notEqual = publicOp('notEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', BIN.NE, a, b));
/** a < b as 1/0 */
export const less = publicOp('less', (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', BIN.LT, a, b));
/** a <= b as 1/0 */
export const lessEqual = publicOp('lessEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', BIN.LE, a, b));
/** a > b as 1/0 */
export const greater = publicOp('greater', (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', BIN.GT, a, b));
/** a >= b as 1/0 */
export const greaterEqual = publicOp('greaterEqual', (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', BIN.GE, a, b));
for (const op of ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'])
  defineGradient(op, { grad: () => [null, null] });

/** -x */
export const neg = publicOp('neg', function neg(x: TensorLike): Tensor {
  return unaryOp('neg', UN.NEG, x);
});
defineGradient('neg', { grad: (dy) => [neg(dy)] });

/** |x| (complex: the modulus, a real tensor) */
export const abs = publicOp('abs', function abs(x: TensorLike): Tensor {
  return unaryOp('abs', UN.ABS, x);
});
// Complex: d|z| = Re(conj(z)/|z| dz): the gradient is dy * z / |z| (0 at z = 0).
defineGradient('abs', {
  inputsToSave: [0],
  outputsToSave: [0],
  grad: (dy, { saved: [x, output] }) => {
    if (x.dtype.startsWith('complex')) return [mul(complexFromReal(div(dy, where(equal(output, 0), onesLikeOf(output), output))), x)];
    return [mul(dy, sign(x))];
  },
});

/** x * x */
export const square = publicOp('square', function square(x: TensorLike): Tensor {
  return unaryOp('square', UN.SQUARE, x);
});
// 2·conj(x) as a sum: a number operand is taken as real, which a complex product refuses.
defineGradient('square', {
  inputsToSave: [0],
  grad: (dy, { saved: [x] }) => {
    const c = conjIfComplex(x);
    return [mul(dy, add(c, c))];
  },
});

/** √x */
export const sqrt = publicOp('sqrt', function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', UN.SQRT, x);
});
defineGradient('sqrt', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [div(dy, mul(y, 2))] });

/** eˣ */
export const exp = publicOp('exp', function exp(x: TensorLike): Tensor {
  return unaryOp('exp', UN.EXP, x);
});
defineGradient('exp', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [mul(dy, y)] });

/** natural log */
export const log = publicOp('log', function log(x: TensorLike): Tensor {
  return unaryOp('log', UN.LOG, x);
});
defineGradient('log', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [div(dy, x)] });

/** log(1 + x), accurate for small x */
export const log1p = publicOp('log1p', function log1p(x: TensorLike): Tensor {
  return unaryOp('log1p', UN.LOG1P, x);
});
defineGradient('log1p', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [div(dy, add(x, 1))] });

/** eˣ − 1, accurate for small x */
export const expm1 = publicOp('expm1', function expm1(x: TensorLike): Tensor {
  return unaryOp('expm1', UN.EXPM1, x);
});
defineGradient('expm1', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [mul(dy, add(y, 1))] });

/** 1 / (1 + e⁻ˣ), stable for large |x| */
export const sigmoid = publicOp('sigmoid', function sigmoid(x: TensorLike): Tensor {
  return unaryOp('sigmoid', UN.SIGMOID, x);
});
defineGradient('sigmoid', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [mul(dy, mul(y, sub(1, y)))] });

/** tanh x */
export const tanh = publicOp('tanh', function tanh(x: TensorLike): Tensor {
  return unaryOp('tanh', UN.TANH, x);
});
defineGradient('tanh', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [mul(dy, sub(1, square(y)))] });

/** max(x, 0) */
export const relu = publicOp('relu', function relu(x: TensorLike): Tensor {
  return unaryOp('relu', UN.RELU, x);
});
defineGradient('relu', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [mul(dy, greater(x, 0))] });

/** log(1 + eˣ), stable for large |x| */
export const softplus = publicOp('softplus', function softplus(x: TensorLike): Tensor {
  return unaryOp('softplus', UN.SOFTPLUS, x);
});
defineGradient('softplus', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [mul(dy, sigmoid(x))] });

/** sin x */
export const sin = publicOp('sin', function sin(x: TensorLike): Tensor {
  return unaryOp('sin', UN.SIN, x);
});
defineGradient('sin', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [mul(dy, cos(x))] });

/** cos x */
export const cos = publicOp('cos', function cos(x: TensorLike): Tensor {
  return unaryOp('cos', UN.COS, x);
});
defineGradient('cos', { inputsToSave: [0], grad: (dy, { saved: [x] }) => [neg(mul(dy, sin(x)))] });

/** −1, 0 or 1 (NaN stays NaN); no gradient */
export const sign = publicOp('sign', function sign(x: TensorLike): Tensor {
  return unaryOp('sign', UN.SIGN, x);
});
defineGradient('sign', { grad: () => [null] });

/** 1 / x */
export const reciprocal = publicOp('reciprocal', function reciprocal(x: TensorLike): Tensor {
  return unaryOp('reciprocal', UN.RECIPROCAL, x);
});
defineGradient('reciprocal', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [neg(mul(dy, square(y)))] });

/** min(max(x, lo), hi) */
export const clamp = publicOp('clamp', function clamp(x: TensorLike, lo: number, hi: number): Tensor {
  notNaNArg('clamp', 'lo', lo);
  notNaNArg('clamp', 'hi', hi);
  return unaryOp('clamp', UN.CLAMP, x, lo, hi, [lo, hi]);
});
defineGradient<[number, number]>('clamp', {
  inputsToSave: [0],
  grad: (dy, { saved: [x], attrs: [lo, hi] }) => [mul(dy, mul(greaterEqual(x, lo), lessEqual(x, hi)))],
});

/** x * scale + shift in one pass */
export const affine = publicOp('affine', function affine(x: TensorLike, scale: number, shift: number): Tensor {
  notNaNArg('affine', 'scale', scale);
  notNaNArg('affine', 'shift', shift);
  return unaryOp('affine', UN.AFFINE, x, scale, shift, scale);
});
defineGradient<number>('affine', { grad: (dy, { attrs: scale }) => [affine(dy, scale, 0)] });

/** cond ? a : b, elementwise with broadcasting; cond is int32 or a's dtype (nonzero = true). */
export const where = publicOp('where', function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  tensorArg('where', 'cond', cond);
  const at = toTensor(a, b instanceof Tensor ? b : undefined, 'where', 'a');
  const bt = toTensor(b, at, 'where', 'b');
  return record('where', [cond, at, bt], [wrap(native.where(cond.handle, at.handle, bt.handle))])[0];
});
defineGradient('where', {
  inputsToSave: [0],
  grad: (dy, { inputs: [, a, b], saved: [c] }) => {
    const zero = zerosLikeOf(dy);
    return [null, unbroadcast(where(c, dy, zero), a.shape), unbroadcast(where(c, zero, dy), b.shape)];
  },
});

// ---- complex helpers used by the gradients above (the public ones live in ops/complex.ts) ----

/** conj(x) for complex x, x itself otherwise. @internal */
export function conjIfComplex(x: Tensor): Tensor {
  return x.dtype.startsWith('complex') ? unaryOp('conj', UN.CONJ, x) : x;
}
defineGradient('conj', { grad: (dy) => [conjIfComplex(dy)] });

/** A real tensor as complex with zero imaginary part. @internal */
export function complexFromReal(x: Tensor): Tensor {
  return binaryOp('complex', BIN.COMPLEX, x, zerosLikeOf(x));
}
// The gradient of 'complex' is registered in complex.ts, next to real() and imag(), which it uses.

export function zerosLikeOf(x: Tensor): Tensor {
  return wrap(native.full(x.shape, x.dtype, x.device, 0, 0));
}
export function onesLikeOf(x: Tensor): Tensor {
  return wrap(native.full(x.shape, x.dtype, x.device, 1, 0));
}

setGradHelpers({ add, zerosLike: zerosLikeOf, onesLike: onesLikeOf });
