/**
 * Lifting factorisations of every wavelet in the table (Daubechies & Sweldens 1998), computed once
 * by scripts/wavelets/generate_filters.py; the step semantics are stated on LiftingFactorisation.
 */
import { WAVELET_TABLE } from './filters';
import { resolveWaveletName } from './catalog';
import type { LiftingFactorisation } from './types';

/**
 * The lifting factorisation of a wavelet: predict/update steps on the lazy split, the scale and the
 * shifts and sign that map the lifted (s, d) onto pywt's periodization (cA, cD). Among the
 * factorisations the Euclidean algorithm allows, it is the one with the smallest bound on the growth
 * of intermediate values (ties: fewest steps); see docs/wavelets.md.
 *
 * @example
 * const { steps, scale } = liftingFactorisation('cdf97'); // JPEG 2000's α, β, γ, δ and √2/K
 */
export function liftingFactorisation(name: string, fn = 'liftingFactorisation'): LiftingFactorisation {
  const lifting = WAVELET_TABLE[resolveWaveletName(name, fn)].lifting;
  return {
    steps: lifting.steps.map((step) => ({ type: step.type, offset: step.offset, coeffs: [...step.coeffs] })),
    scale: lifting.scale,
    shiftA: lifting.shiftA,
    shiftD: lifting.shiftD,
    signD: lifting.signD,
  };
}
