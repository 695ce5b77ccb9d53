/**
 * Types of the wavelet table: a filter bank as pywt lays it out and its lifting factorisation,
 * with the exact semantics of a lifting step and of the map onto pywt's periodization outputs.
 */

/** Wavelet families, as pywt names them. */
export type WaveletFamily = 'haar' | 'db' | 'sym' | 'coif' | 'bior' | 'rbio';

/**
 * One lifting step on the lazy split s[n] = x[2n], d[n] = x[2n+1] (indices circular in
 * periodization): a predict step does d[n] += Σ_k coeffs[k]·s[n + offset + k], an update step
 * s[n] += Σ_k coeffs[k]·d[n + offset + k].
 */
export interface LiftingStep {
  readonly type: 'predict' | 'update';
  readonly offset: number;
  readonly coeffs: readonly number[];
}

/**
 * A lifting factorisation of a filter bank. After the steps, s ← scale·s and d ← d/scale; then
 * pywt's `dwt(x, wavelet, 'periodization')` of an even-length x is, with M = n/2 and indices mod M,
 * cA[n] = s[n + shiftA] and cD[n] = signD·d[n + shiftD].
 */
export interface LiftingFactorisation {
  readonly steps: readonly LiftingStep[];
  readonly scale: number;
  readonly shiftA: number;
  readonly shiftD: number;
  readonly signD: 1 | -1;
}

/**
 * The four filters exactly as pywt gives them (same order, signs and zero padding to a common even
 * length): cA[n] = Σ_j decLo[j]·x[2n + L/2 − j] in periodization, likewise cD with decHi;
 * decHi[k] = (−1)^(k+1)·recLo[k] and recHi[k] = (−1)^k·decLo[k]; for orthogonal wavelets decLo is
 * recLo reversed.
 */
export interface WaveletFilterBank {
  readonly family: WaveletFamily;
  readonly orthogonal: boolean;
  readonly decLo: readonly number[];
  readonly decHi: readonly number[];
  readonly recLo: readonly number[];
  readonly recHi: readonly number[];
}

/** One row of the generated table (lib/wavelets/filters.ts). */
export interface WaveletTableEntry extends WaveletFilterBank {
  readonly lifting: LiftingFactorisation;
}
