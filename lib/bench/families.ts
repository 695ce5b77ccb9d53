/**
 * The kernel families' bench cases, each a function of (device, thread counts). A family adds
 * itself here when its bench file lands.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { fftBenchCases } from './fft';
import { trustRegionBenchCases } from './trust_region';
// The wavelet family.
import { waveletBenchCases } from './wavelet';
// soft-DTW family
import { sdtwBenchCases } from './sdtw';

export type BenchFamily = (device: string, threads: number[]) => BenchCase[];

export const benchFamilies: BenchFamily[] = [
  fftBenchCases,
  trustRegionBenchCases,
  // The wavelet family.
  waveletBenchCases,
];
// ---- signal (issue 14, h-sig): softLagCorrelation forward+backward against the direct JS correlation
import { signalBenchCases } from './signal';
benchFamilies.push(signalBenchCases);
// ---- nn family (issue 14): TransformDropout against the bare rfft+irfft pair (--filter signal) ----
import { signalDropoutBenchCases } from './signal_dropout';
benchFamilies.push(signalDropoutBenchCases);
// soft-DTW family
benchFamilies.push(sdtwBenchCases);
