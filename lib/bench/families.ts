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

export type BenchFamily = (device: string, threads: number[]) => BenchCase[];

export const benchFamilies: BenchFamily[] = [
  fftBenchCases,
  trustRegionBenchCases,
  // The wavelet family.
  waveletBenchCases,
];
