/**
 * The kernel families' bench cases, each a function of (device, thread counts). A family adds
 * itself here when its bench file lands.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { fftBenchCases } from './fft';
import { trustRegionBenchCases } from './trust_region';
import { waveletBenchCases } from './wavelet';
import { sdtwBenchCases } from './sdtw';
import { signalBenchCases } from './signal';
import { signalDropoutBenchCases } from './signal_dropout';

export type BenchFamily = (device: string, threads: number[]) => BenchCase[];

export const benchFamilies: BenchFamily[] = [
  fftBenchCases,
  trustRegionBenchCases,
  waveletBenchCases, // --filter dwt
  sdtwBenchCases, // --filter sdtw
  signalBenchCases, // --filter signal: softLagCorrelation against the direct JS correlation
  signalDropoutBenchCases, // --filter signal: TransformDropout against the bare rfft+irfft pair
];
