/**
 * The native wavelet family: multilevel lifting analysis (pywt's wavedec) and synthesis (waverec)
 * along the last axis with every pywt mode and pywt's output lengths, differentiable through native
 * adjoint ops (native/kernels/wavelet_lifting.h; CPU native/cpu/wavelet*.cpp, CUDA
 * native/cuda/wavelet_lifting.cu).
 * Internal: not exported from lib/index.ts; lib/ops/wavelet.ts validates and names the public API.
 * Call these inside a public op or `tidy`: the packed tensor they slice is an intermediate of that scope.
 *
 * Four recorded ops, each the other's gradient: `waveletAnalysis` (x → packed [cA_L, cD_L, …, cD_1]
 * along the last axis) and `waveletAnalysisAdjoint` (its transpose: transposed lifting steps, then the
 * extension's fold-back onto the signal), `waveletSynthesis` (coefficients → signal) and
 * `waveletSynthesisAdjoint`. All four are linear, so each gradient is the other op of its pair.
 */
import { native } from '../native';
import { Tensor } from '../tensor';
import { record, defineGradient } from '../autograd';
import { wrap } from './util';
import { splitAlong, pad } from './layout';
import type { LiftingFactorisation } from '../wavelets/types';

/** pywt's signal extension modes. */
export type WaveletMode =
  | 'zero'
  | 'constant'
  | 'symmetric'
  | 'reflect'
  | 'periodic'
  | 'smooth'
  | 'antisymmetric'
  | 'antireflect'
  | 'periodization';

/** Every mode, in the order native/kernels/wavelet_lifting.h numbers them. */
export const WAVELET_MODES: readonly WaveletMode[] = [
  'zero',
  'constant',
  'symmetric',
  'reflect',
  'periodic',
  'smooth',
  'antisymmetric',
  'antireflect',
  'periodization',
];

/** pywt's dwt_coeff_len: ⌊(n + L − 1)/2⌋, or ⌈n/2⌉ in periodization. */
export function waveletCoeffLength(n: number, filterLength: number, mode: WaveletMode): number {
  return mode === 'periodization' ? Math.ceil(n / 2) : Math.floor((n + filterLength - 1) / 2);
}

/** The scheme as the binding reads it: [scale, shiftA, shiftD, signD, steps, (kind, offset, taps, c…)…]. */
function flatScheme(s: LiftingFactorisation): number[] {
  const out = [s.scale, s.shiftA, s.shiftD, s.signD, s.steps.length];
  for (const step of s.steps) out.push(step.type === 'predict' ? 0 : 1, step.offset, step.coeffs.length, ...step.coeffs);
  return out;
}

interface Common {
  scheme: number[];
  filterLength: number;
  mode: WaveletMode;
  fn: string;
}
interface AnalysisAttrs extends Common {
  n: number;
  level: number;
}
interface SynthesisAttrs extends Common {
  /** The coefficient lengths [cA, cD_L, …, cD_1] the synthesis was given. */
  lengths: number[];
}

/** x cut along its last axis into pieces of these lengths (one recorded split). */
function split(x: Tensor, lengths: number[]): Tensor[] {
  return splitAlong(x, x.rank - 1, lengths);
}

function analysis(x: Tensor, a: AnalysisAttrs): Tensor {
  const h = native.waveletAnalysis(x.handle, a.fn, a.mode, a.filterLength, a.scheme, a.level);
  return record('waveletAnalysis', [x], [wrap(h)], { attrs: a })[0];
}
defineGradient<AnalysisAttrs>('waveletAnalysis', { grad: (dy, { attrs }) => [analysisAdjoint(dy, attrs)] });

function analysisAdjoint(g: Tensor, a: AnalysisAttrs): Tensor {
  const h = native.waveletAnalysisAdjoint(g.handle, a.n, a.fn, a.mode, a.filterLength, a.scheme, a.level);
  return record('waveletAnalysisAdjoint', [g], [wrap(h)], { attrs: a })[0];
}
defineGradient<AnalysisAttrs>('waveletAnalysisAdjoint', { grad: (dy, { attrs }) => [analysis(dy, attrs)] });

function synthesis(coeffs: Tensor[], a: SynthesisAttrs): Tensor {
  const h = native.waveletSynthesis(coeffs.map((c) => c.handle), a.fn, a.mode, a.filterLength, a.scheme);
  return record('waveletSynthesis', coeffs, [wrap(h)], { attrs: a })[0];
}
defineGradient<SynthesisAttrs>('waveletSynthesis', {
  grad: (dy, { attrs }) => {
    const packed = synthesisAdjoint(dy, attrs);
    const [lenA, lenD, ...rest] = attrs.lengths;
    const [gA, ...gD] = split(packed, [lenD, lenD, ...rest]);
    // pywt crops a cA one longer than cD_L: its last sample gets no gradient.
    const lead = gA.shape.slice(0, -1).map((): [number, number] => [0, 0]);
    return [lenA === lenD ? gA : pad(gA, [...lead, [0, 1]]), ...gD];
  },
});

function synthesisAdjoint(g: Tensor, a: SynthesisAttrs): Tensor {
  const h = native.waveletSynthesisAdjoint(g.handle, a.lengths, a.fn, a.mode, a.filterLength, a.scheme);
  return record('waveletSynthesisAdjoint', [g], [wrap(h)], { attrs: a })[0];
}
defineGradient<SynthesisAttrs>('waveletSynthesisAdjoint', {
  grad: (dy, { attrs }) => {
    const [, lenD, ...rest] = attrs.lengths;
    const coeffs = split(dy, [lenD, lenD, ...rest]);
    return [synthesis(coeffs, { ...attrs, lengths: coeffs.map((c) => c.shape[c.rank - 1]) })];
  },
});

/**
 * Multilevel analysis along the last axis of x (any leading batch dims, float32/float64, any device):
 * exactly pywt.wavedec(x, w, mode, level, axis=-1) → [cA_L, cD_L, …, cD_1] (level 1 is pywt.dwt's
 * [cA, cD]; level 0 returns [x]). Output lengths are pywt's: ⌊(n + L − 1)/2⌋ per level in the
 * expansive modes, ⌈n/2⌉ in periodization (an odd n there is extended by repeating its last sample).
 * Levels beyond dwt_max_level are allowed, as in pywt (every level keeps ≥ 1 coefficient); at most 64.
 * Extensions longer than the signal follow pywt's repeated reflections. For n = 1, where pywt's
 * `reflect` and `antireflect` never return, the extension is constant (x[0] repeated), as pywt's
 * `smooth` does. Differentiable w.r.t. x: the adjoint runs the transposed lifting steps and folds the
 * extension back onto the signal. Errors name `fn`. A scheme may have at most 32 steps, 64
 * coefficients in all, and offsets and shifts within ±1024 (else E_RANGE).
 *
 * @param scheme the wavelet's lifting factorisation (lib/wavelets/lifting.ts)
 * @param filterLength pywt's filter length L, which the output lengths follow
 */
export function liftingWavedec(x: Tensor, scheme: LiftingFactorisation, filterLength: number, mode: WaveletMode, level: number, fn: string): Tensor[] {
  if (level === 0) return [x];
  const n = x.shape[x.rank - 1];
  const packed = analysis(x, { scheme: flatScheme(scheme), filterLength, mode, fn, n, level });
  const lens: number[] = [];
  let cur = n;
  for (let l = 0; l < level; l++) lens.push((cur = waveletCoeffLength(cur, filterLength, mode)));
  return split(packed, [cur, ...lens.reverse()]);
}

/**
 * Multilevel synthesis along the last axis: exactly pywt.waverec(coeffs, w, mode, axis=-1) for coeffs
 * [cA_L, cD_L, …, cD_1], including its rule of dropping the last sample of an approximation one longer
 * than the next detail (also cA_L against cD_L); two entries are pywt.idwt(cA, cD): 2m − L + 2 samples
 * in the expansive modes (which synthesise alike, as in pywt), 2m in periodization. Differentiable
 * w.r.t. every coefficient tensor. Lengths that do not fit together fail with E_SHAPE naming `fn`.
 *
 * @param scheme the wavelet's lifting factorisation (lib/wavelets/lifting.ts)
 * @param filterLength pywt's filter length L
 */
export function liftingWaverec(coeffs: Tensor[], scheme: LiftingFactorisation, filterLength: number, mode: WaveletMode, fn: string): Tensor {
  const lengths = coeffs.map((c) => (c.rank === 0 ? 0 : c.shape[c.rank - 1]));
  return synthesis(coeffs, { scheme: flatScheme(scheme), filterLength, mode, fn, lengths });
}

/**
 * The adjoint of liftingWavedec (what its gradient runs): the packed coefficient gradient
 * [..., total] (`[cA_L, cD_L, …, cD_1]` along the last axis) → the signal's gradient [..., n].
 * Differentiable (its gradient is the analysis). Internal, for the bench.
 */
export function liftingWavedecAdjoint(g: Tensor, n: number, scheme: LiftingFactorisation, filterLength: number, mode: WaveletMode, level: number, fn: string): Tensor {
  return analysisAdjoint(g, { scheme: flatScheme(scheme), filterLength, mode, fn, n, level });
}

/**
 * The adjoint of liftingWaverec on the output's gradient: the packed gradient of coefficients of
 * these lengths ([cA, cD_L, …, cD_1], cA's entry counted at cD_L's length). Internal, for the bench.
 */
export function liftingWaverecAdjoint(g: Tensor, lengths: number[], scheme: LiftingFactorisation, filterLength: number, mode: WaveletMode, fn: string): Tensor {
  return synthesisAdjoint(g, { scheme: flatScheme(scheme), filterLength, mode, fn, lengths });
}
