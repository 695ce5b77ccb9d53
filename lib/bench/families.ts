/**
 * The kernel families' bench cases, each a function of (device, thread counts). A family adds
 * itself here when its bench file lands.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { fftBenchCases } from './fft';
import { trustRegionBenchCases } from './trust_region';
// soft-DTW family
import { sdtwBenchCases } from './sdtw';

export type BenchFamily = (device: string, threads: number[]) => BenchCase[];

export const benchFamilies: BenchFamily[] = [fftBenchCases, trustRegionBenchCases];
// soft-DTW family
benchFamilies.push(sdtwBenchCases);
