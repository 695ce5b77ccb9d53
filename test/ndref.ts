// Naive float64 n-d array references for the layout, elementwise, reduction, complex and matmul
// tests: a flat array plus a shape, and index arithmetic written out with plain loops (independent
// of wavetape).
import * as wt from '../lib';

export interface Nd {
  data: Float64Array;
  shape: number[];
}

export const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Multi-index of flat position k in a row-major array of `shape`. */
export function unravel(k: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = k % shape[i];
    k = Math.floor(k / shape[i]);
  }
  return idx;
}

export function ravel(idx: number[], shape: number[]): number {
  let k = 0;
  for (let i = 0; i < shape.length; i++) k = k * shape[i] + idx[i];
  return k;
}

/** out[idx] = f(idx) for every index of `shape`. */
export function build(shape: number[], f: (idx: number[]) => number): Nd {
  const n = numel(shape);
  const data = new Float64Array(n);
  for (let k = 0; k < n; k++) data[k] = f(unravel(k, shape));
  return { data, shape };
}

export function at(x: Nd, idx: number[]): number {
  return x.data[ravel(idx, x.shape)];
}

/**
 * Transposed views ([shape, perm]) for the kernels that tile a transposed plane (the CPU's blocks of
 * 256 × 256 elements in 32 × 32 tiles when both sides are ≥ 8, CUDA's 32 × 32 tiles when ≥ 32):
 * whole, partial and thin tiles and blocks, an outer dimension, the dense input dimension not next to
 * the output's.
 */
export const TRANSPOSED_VIEWS: [number[], number[]][] = [
  [[64, 96], [1, 0]],
  [[45, 70], [1, 0]],
  [[3, 40, 64], [0, 2, 1]],
  [[64, 3, 33], [2, 1, 0]],
  [[33, 2, 35], [2, 0, 1]],
  [[300, 40], [1, 0]],
  [[2, 37, 290], [0, 2, 1]],
  [[4, 300, 16], [0, 2, 1]],
  [[9, 5, 12], [2, 1, 0]],
];

/** transpose(x, perm) materialised: out[idx] = x[from] where from[perm[i]] = idx[i]. */
export function permuted(x: Nd, perm: number[]): Nd {
  return build(
    perm.map((p) => x.shape[p]),
    (idx) => {
      const from = new Array<number>(idx.length);
      perm.forEach((p, i) => (from[p] = idx[i]));
      return at(x, from);
    },
  );
}

/** A float64 (or other dtype) tensor from flat values. */
export function T(data: ArrayLike<number>, shape: number[], device: string, dtype: wt.DType = 'float64'): wt.Tensor {
  const arr = dtype === 'float32' || dtype === 'complex64' ? Float32Array.from(data) : dtype === 'int32' ? Int32Array.from(data) : Float64Array.from(data);
  return wt.tensor(arr, shape, { dtype, device });
}

export function values(t: wt.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Expects fn to throw a WavetapeError with `code` and a message matching `msg`. */
export function expectCode(fn: () => unknown, code: wt.ErrorCode, msg?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(wt.WavetapeError);
  const err = caught as wt.WavetapeError;
  expect(err.code).toBe(code);
  if (msg) expect(err.message).toMatch(msg);
}

/** Fixed pseudo-random weights so gradients differ per element. */
export function weights(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** A weighted sum (weights from `seed`), so every element of y gets a distinct cotangent. */
export function weightedSum(y: wt.Tensor, seed: number): wt.Tensor {
  return wt.sum(wt.mul(y, T(weights(y.size, seed), y.shape, y.device, y.dtype)));
}

/** gradcheck of f at inputs (with its default tolerances unless given) finds no mismatch. */
export function expectGrad(
  f: (...xs: wt.Tensor[]) => wt.Tensor,
  inputs: wt.Tensor[],
  options?: { eps?: number; atol?: number; rtol?: number },
): void {
  const failures = wt.tidy(() => wt.testing.gradcheck(f, inputs, options));
  expect(failures).toEqual([]);
}
