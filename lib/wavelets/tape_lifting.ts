/**
 * Lifting on the autograd tape: one level of the DWT and its inverse along the last axis, composed
 * of differentiable ops (strided slices, rolls, products, gathers), for learnable lifting schemes.
 *
 * Everything here is circular on an even-length window. Periodization lifts the signal itself (an
 * odd length first repeats its last sample, as pywt does). An expansive mode lifts a window of the
 * signal extended by the mode that is wide enough for no output to see the wrap-around, and keeps
 * the N = floor((n + L − 1)/2) outputs pywt's filter bank would give; the inverse places the
 * coefficients in such a window, zero elsewhere, and keeps pywt's 2N − L + 2 samples. A circular
 * lifting is the circular filter bank of the same wavelet, so both equal the linear filter bank
 * wherever the window does not wrap.
 */
import { Tensor } from '../tensor';
import { tensor } from '../creation';
import { add, sub, mul, div } from '../ops/elementwise';
import { sliceAxes, slice, roll, stack, reshape, gather, concat, pad } from '../ops/layout';
import type { WaveletMode } from './types';

/** One lifting step with its coefficients as numbers (a table wavelet) or scalar tensors (learnable). */
export interface TapeLiftingStep {
  readonly type: 'predict' | 'update';
  readonly offset: number;
  readonly coeffs: readonly (Tensor | number)[];
}

/**
 * A lifting scheme with where its outputs sit. Periodization: cA[i] = s[i + shiftA],
 * cD[i] = signD·d[i + shiftD] (indices mod M). Expansive modes: the lifting runs on
 * w[m] = xe[m + phase] (xe the extended signal) and cA[o] = s_w[o + alignA],
 * cD[o] = signD·d_w[o + alignD].
 */
export interface TapeLiftingScheme {
  readonly steps: readonly TapeLiftingStep[];
  readonly scale: Tensor | number;
  readonly shiftA: number;
  readonly shiftD: number;
  readonly signD: 1 | -1;
  /** pywt's filter length L: output lengths follow it. */
  readonly filterLength: number;
  readonly phase: 0 | 1;
  readonly alignA: number;
  readonly alignD: number;
}

const lastAxis = (x: Tensor) => x.rank - 1;
const signed = (x: Tensor, sign: 1 | -1) => (sign === 1 ? x : mul(x, -1));

/** x[..., start::step] along the last axis (a view). */
function strided(x: Tensor, start: number, step: number): Tensor {
  return sliceAxes(x, [...x.shape.slice(0, -1).map(() => null), [start, null, step]]);
}

/** x[..., start:start+size] along the last axis. */
function window(x: Tensor, start: number, size: number): Tensor {
  const begin = x.shape.map(() => 0);
  const sizes = x.shape.map(() => -1);
  begin[x.rank - 1] = start;
  sizes[x.rank - 1] = size;
  return slice(x, begin, sizes);
}

/** v[(i + j) mod M] along the last axis. */
function ahead(v: Tensor, j: number): Tensor {
  const m = v.shape[v.rank - 1];
  const s = ((-j % m) + m) % m;
  return s === 0 ? v : roll(v, s, lastAxis(v));
}

/** Σ_k coeffs[k]·v[i + offset + k]. */
function neighbourSum(v: Tensor, step: TapeLiftingStep): Tensor {
  let acc: Tensor | null = null;
  step.coeffs.forEach((c, k) => {
    const term = mul(ahead(v, step.offset + k), c);
    acc = acc === null ? term : add(acc, term);
  });
  return acc as unknown as Tensor;
}

/** The lifted (s, d) of an even-length x along the last axis, circular. */
function liftForward(x: Tensor, scheme: TapeLiftingScheme): [Tensor, Tensor] {
  let s = strided(x, 0, 2);
  let d = strided(x, 1, 2);
  for (const step of scheme.steps) {
    if (step.type === 'predict') d = add(d, neighbourSum(s, step));
    else s = add(s, neighbourSum(d, step));
  }
  return scheme.scale === 1 ? [s, d] : [mul(s, scheme.scale), div(d, scheme.scale)];
}

/** The inverse of {@link liftForward}: the interleaved signal of lifted (s, d). */
function liftInverse(sIn: Tensor, dIn: Tensor, scheme: TapeLiftingScheme): Tensor {
  let s = scheme.scale === 1 ? sIn : div(sIn, scheme.scale);
  let d = scheme.scale === 1 ? dIn : mul(dIn, scheme.scale);
  for (let i = scheme.steps.length - 1; i >= 0; i--) {
    const step = scheme.steps[i];
    if (step.type === 'predict') d = sub(d, neighbourSum(s, step));
    else s = sub(s, neighbourSum(d, step));
  }
  const m = s.shape[s.rank - 1];
  return reshape(stack([s, d], -1), [...s.shape.slice(0, -1), 2 * m]);
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);
const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * The extension of a length-n signal by `mode` at positions from … from+count−1, as up to three
 * (index, weight) terms per position: xe[p] = Σ_t weight_t[p]·x[index_t[p]] (pywt's extensions,
 * valid however far past the signal; n = 1 in reflect, antireflect and smooth: constant).
 */
export function extensionTerms(n: number, mode: Exclude<WaveletMode, 'periodization'>, from: number, count: number): { index: number[]; weight: number[] | null }[] {
  const positions = Array.from({ length: count }, (_, i) => from + i);
  const clampIndex = (p: number) => Math.min(Math.max(p, 0), n - 1);
  const effective = n === 1 && (mode === 'reflect' || mode === 'antireflect' || mode === 'smooth') ? 'constant' : mode;
  switch (effective) {
    case 'zero':
      return [{ index: positions.map(clampIndex), weight: positions.map((p) => (p >= 0 && p < n ? 1 : 0)) }];
    case 'constant':
      return [{ index: positions.map(clampIndex), weight: null }];
    case 'periodic':
      return [{ index: positions.map((p) => mod(p, n)), weight: null }];
    case 'symmetric':
      return [{ index: positions.map((p) => { const r = mod(p, 2 * n); return r < n ? r : 2 * n - 1 - r; }), weight: null }];
    case 'reflect':
      return [{ index: positions.map((p) => { const r = mod(p, 2 * n - 2); return r < n ? r : 2 * n - 2 - r; }), weight: null }];
    case 'antisymmetric':
      return [{
        index: positions.map((p) => { const r = mod(p, 2 * n); return r < n ? r : 2 * n - 1 - r; }),
        weight: positions.map((p) => (mod(p, 2 * n) < n ? 1 : -1)),
      }];
    case 'antireflect': {
      // Point reflections about 0 and n−1: one period 2(n−1) on, the signal rises by 2(x[n−1] − x[0]).
      const period = 2 * n - 2;
      const q = positions.map((p) => floorDiv(p, period));
      const r = positions.map((p) => mod(p, period));
      return [
        { index: r.map((v) => (v < n ? v : period - v)), weight: r.map((v) => (v < n ? 1 : -1)) },
        { index: positions.map(() => n - 1), weight: r.map((v, i) => (v < n ? 0 : 2) + 2 * q[i]) },
        { index: positions.map(() => 0), weight: q.map((v) => -2 * v) },
      ];
    }
    case 'smooth':
      // Linear extrapolation of the first two and the last two samples.
      return [
        { index: positions.map((p) => (p < 0 ? 0 : p >= n ? n - 1 : p)), weight: positions.map((p) => (p < 0 ? 1 - p : p >= n ? 1 + p - (n - 1) : 1)) },
        { index: positions.map((p) => (p < 0 ? 1 : p >= n ? n - 2 : p)), weight: positions.map((p) => (p < 0 ? p : p >= n ? -(p - (n - 1)) : 0)) },
      ];
  }
}

/** x (length n on the last axis) extended by `mode` at positions from … from+count−1. */
function extend(x: Tensor, mode: Exclude<WaveletMode, 'periodization'>, from: number, count: number): Tensor {
  const n = x.shape[x.rank - 1];
  const terms = extensionTerms(n, mode, from, count).map(({ index, weight }) => {
    const picked = gather(x, index, lastAxis(x));
    return weight === null ? picked : mul(picked, tensor(weight, [count], { dtype: x.dtype as 'float32' | 'float64', device: x.device }));
  });
  return terms.reduce((acc, t) => add(acc, t));
}

/** The lifting window of an expansive mode: w-positions c … c+P−1 hold the N outputs unwrapped. */
function expansiveFrame(scheme: TapeLiftingScheme, coeffLength: number) {
  const L = scheme.filterLength;
  const lo = floorDiv(2 - L - scheme.phase, 2);
  const c = scheme.phase + 2 * lo; // ≤ 2 − L: the left edge of output 0's filter window
  const P = 2 * Math.ceil((2 * coeffLength - c) / 2); // ≥ 2N − c: past output N−1's window
  return { c, P, rollA: scheme.alignA - lo, rollD: scheme.alignD - lo };
}

/** One DWT level of x along its last axis: [cA, cD] exactly as pywt's filter bank of the scheme. */
export function tapeDwt(x: Tensor, scheme: TapeLiftingScheme, mode: WaveletMode): [Tensor, Tensor] {
  const n = x.shape[x.rank - 1];
  if (mode === 'periodization') {
    const even = n % 2 === 0 ? x : concat([x, window(x, n - 1, 1)], lastAxis(x));
    const [s, d] = liftForward(even, scheme);
    return [ahead(s, scheme.shiftA), signed(ahead(d, scheme.shiftD), scheme.signD)];
  }
  const N = floorDiv(n + scheme.filterLength - 1, 2);
  const { c, P, rollA, rollD } = expansiveFrame(scheme, N);
  const [s, d] = liftForward(extend(x, mode, c, P), scheme);
  return [window(ahead(s, rollA), 0, N), signed(window(ahead(d, rollD), 0, N), scheme.signD)];
}

/** One inverse level along the last axis (cA, cD of one shape): pywt's idwt of the scheme. */
export function tapeIdwt(cA: Tensor, cD: Tensor, scheme: TapeLiftingScheme, mode: WaveletMode): Tensor {
  const N = cA.shape[cA.rank - 1];
  if (mode === 'periodization') return liftInverse(ahead(cA, -scheme.shiftA), signed(ahead(cD, -scheme.shiftD), scheme.signD), scheme);
  const { c, P, rollA, rollD } = expansiveFrame(scheme, N);
  const padTo = (t: Tensor) => pad(t, t.shape.map((_, i) => (i === t.rank - 1 ? [0, P / 2 - N] : [0, 0])) as [number, number][]);
  const s = ahead(padTo(cA), -rollA);
  const d = ahead(padTo(signed(cD, scheme.signD)), -rollD);
  return window(liftInverse(s, d, scheme), -c, 2 * N - scheme.filterLength + 2);
}
