/**
 * Linear algebra: batched matrix multiplication with numpy's rules, and its gradient.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { wrap, unbroadcast } from './util';
import { tensorArg, dtypeIn } from '../validate';
import { reshape, swapAxes } from './layout';

function checkOperand(x: unknown, arg: string): Tensor {
  const t = tensorArg('matmul', arg, x);
  dtypeIn('matmul', arg, t, ['float32', 'float64']);
  if (t.rank === 0) fail('E_SHAPE', `matmul: argument '${arg}' is 0-d; matmul needs at least 1 dimension (use mul for scalars)`);
  return t;
}

/**
 * Matrix product with numpy's matmul semantics: the last two axes are the matrices
 * ([..., M, K] @ [..., K, N] → [..., M, N]) and leading (batch) axes broadcast. A 1-d `a` is
 * a row vector and a 1-d `b` a column vector; the added axis is removed from the result
 * (1-d @ 1-d is a 0-d dot product). float32 and float64.
 */
export const matmul = publicOp('matmul', function matmul(a: Tensor, b: Tensor): Tensor {
  checkOperand(a, 'a');
  checkOperand(b, 'b');
  if (a.dtype !== b.dtype)
    fail('E_DTYPE', `matmul: arguments 'a' (${a.dtype}) and 'b' (${b.dtype}) must have the same dtype; cast one with cast()`);
  const as = a.shape;
  const bs = b.shape;
  const k1 = as[as.length - 1];
  const k2 = bs.length === 1 ? bs[0] : bs[bs.length - 2];
  if (k1 !== k2)
    fail('E_SHAPE', `matmul: inner dimensions differ: 'a' [${as}] has ${k1} columns, 'b' [${bs}] has ${k2} rows`);
  if (as.length >= 2 && bs.length >= 2) return matmul2(a, b);
  const a2 = as.length === 1 ? reshape(a, [1, as[0]]) : a;
  const b2 = bs.length === 1 ? reshape(b, [bs[0], 1]) : b;
  const y = matmul2(a2, b2);
  const ys = y.shape;
  const drop = new Set<number>();
  if (as.length === 1) drop.add(ys.length - 2);
  if (bs.length === 1) drop.add(ys.length - 1);
  const out = reshape(y, ys.filter((_, i) => !drop.has(i)));
  for (const t of [a2, b2, y]) if (t !== a && t !== b && t !== out) t.dispose();
  return out;
});

function matmul2(a: Tensor, b: Tensor): Tensor {
  return record('matmul', [a, b], [wrap(native.matmul(a.handle, b.handle))])[0];
}
// dA = dY·Bᵀ and dB = Aᵀ·dY, summed over the batch axes each operand was broadcast along.
defineGradient('matmul', {
  inputsToSave: [0, 1],
  grad: (dy, { saved: [a, b] }) => [
    unbroadcast(matmul2(dy, swapAxes(b, -1, -2)), a.shape),
    unbroadcast(matmul2(swapAxes(a, -1, -2), dy), b.shape),
  ],
});
