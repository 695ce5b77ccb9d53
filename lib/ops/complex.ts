/**
 * Complex helpers: real, imag, complex, conj, abs2, angle, and their gradients.
 *
 * Gradient convention (PyTorch's, DESIGN §7): losses are real, and the gradient of a real loss L
 * with respect to a complex tensor z = a + ib is reported as the complex tensor
 * ∂L/∂a + i·∂L/∂b (= 2·∂L/∂z̄, the conjugate Wirtinger derivative scaled by 2). A gradient
 * descent step `z - lr * grad` therefore moves both parts downhill, as for real tensors, and
 * the cotangent passed to a backward function follows the same convention. For example
 * d|z|²: grad = 2·dy·z; d real(z): grad = dy + 0i; d imag(z): grad = 0 + i·dy.
 */
import { native, UN, BIN, Handle } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient, identity } from '../autograd';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap, toTensor, unbroadcast, TensorLike } from './util';
import { tensorArg, dtypeIn, isComplexDType } from '../validate';
import { mul, div, neg, where, equal, conjIfComplex, complexFromReal, zerosLikeOf } from './elementwise';

const isComplex = (t: Tensor) => isComplexDType(t.dtype);

function checkNumeric(x: unknown, op: string): void {
  dtypeIn(op, 'x', tensorArg(op, 'x', x), ['float32', 'float64', 'complex64', 'complex128']);
}

/** Part k (0: real, 1: imaginary) of complex x as a new real tensor of x's shape. */
function part(x: Tensor, k: number): Tensor {
  const shape = x.shape;
  const zeros = shape.map(() => 0);
  const ones = shape.map(() => 1);
  const take = (h: Handle, fn: (h: Handle) => Handle): Handle => {
    try {
      return fn(h);
    } finally {
      native.dispose(h);
    }
  };
  const h = take(native.viewAsReal(x.handle), (p) =>
    take(native.slice(p, [...zeros, k], [...shape, k + 1], [...ones, 1]), (s) => native.reshape(s, shape)),
  );
  return wrap(h);
}

/** The real part (complex64 → float32, complex128 → float64); a real tensor is returned as is. */
export const real = publicOp('real', function real(x: Tensor): Tensor {
  checkNumeric(x, 'real');
  if (!isComplex(x)) return identity(x);
  return record('real', [x], [part(x, 0)])[0];
});
defineGradient('real', { grad: (dy) => [complexFromReal(dy)] });

/** The imaginary part (zeros for a real tensor). */
export const imag = publicOp('imag', function imag(x: Tensor): Tensor {
  checkNumeric(x, 'imag');
  if (!isComplex(x)) return zerosLikeOf(x);
  return record('imag', [x], [part(x, 1)])[0];
});
defineGradient('imag', { grad: (dy) => [complexOf(zerosLikeOf(dy), dy)] });

/**
 * re + i·im with broadcasting; both real of one dtype (float32 → complex64, float64 →
 * complex128). A number takes the other argument's dtype.
 */
export const complex = publicOp('complex', function complex(re: TensorLike, im: TensorLike): Tensor {
  if (!(re instanceof Tensor) && !(im instanceof Tensor)) fail('E_DTYPE', "complex: at least one of 're' and 'im' must be a Tensor");
  const r = toTensor(re, im as Tensor, 'complex', 're');
  const i = toTensor(im, r, 'complex', 'im');
  for (const [t, name] of [[r, 're'], [i, 'im']] as const)
    if (t.dtype !== 'float32' && t.dtype !== 'float64')
      fail('E_DTYPE', `complex: argument '${name}' must be float32 or float64; got ${t.dtype}`);
  if (r.dtype !== i.dtype) fail('E_DTYPE', `complex: arguments 're' (${r.dtype}) and 'im' (${i.dtype}) must have the same dtype`);
  return complexOf(r, i);
});
function complexOf(r: Tensor, i: Tensor): Tensor {
  return record('complex', [r, i], [wrap(native.binary(BIN.COMPLEX, r.handle, i.handle))])[0];
}
// d/d(re), d/d(im) of complex(re, im) (also complexFromReal's op) from a complex cotangent: its
// real and imaginary parts, summed over the axes along which re or im was broadcast.
defineGradient('complex', {
  grad: (dy, { inputs: [re, im] }) => [unbroadcast(real(dy), re.shape), unbroadcast(imag(dy), im.shape)],
});

/** The complex conjugate; a real tensor is returned as is. Gradient: conj(dy). */
export const conj = publicOp('conj', function conj(x: Tensor): Tensor {
  checkNumeric(x, 'conj');
  return isComplex(x) ? conjIfComplex(x) : identity(x);
});

/** |x|², real (re² + im² for complex), without the square root of abs(). */
export const abs2 = publicOp('abs2', function abs2(x: Tensor): Tensor {
  checkNumeric(x, 'abs2');
  return record('abs2', [x], [wrap(native.unary(UN.ABS2, x.handle, 0, 0))])[0];
});
// d|z|² = 2 Re(conj(z) dz): grad = 2·dy·z (real: 2·dy·x).
defineGradient('abs2', {
  inputsToSave: [0],
  grad: (dy, { saved: [x] }) => {
    const g = mul(dy, 2);
    return [isComplex(x) ? mul(complexFromReal(g), x) : mul(g, x)];
  },
});

/**
 * The argument atan2(im, re) in (-π, π] (real tensors: 0 or π). Gradient for complex z:
 * dy·(−im + i·re)/|z|² = dy·i·z/|z|², taken as 0 at z = 0; none for real inputs (piecewise
 * constant).
 */
export const angle = publicOp('angle', function angle(x: Tensor): Tensor {
  checkNumeric(x, 'angle');
  return record('angle', [x], [wrap(native.unary(UN.ANGLE, x.handle, 0, 0))])[0];
});
defineGradient('angle', {
  inputsToSave: [0],
  grad: (dy, { saved: [x] }) => {
    if (!isComplex(x)) return [null];
    const m = abs2(x);
    const s = div(dy, where(equal(m, 0), 1, m));
    return [complex(neg(mul(s, imag(x))), mul(s, real(x)))];
  },
});
