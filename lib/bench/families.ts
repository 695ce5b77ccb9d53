/**
 * The kernel families' bench cases, each a function of (device, thread counts). A family adds
 * itself here when its bench file lands.
 * @internal
 */
import { BenchCase } from './types';
import { fftBenchCases } from './fft';

export type BenchFamily = (device: string, threads: number[]) => BenchCase[];

export const benchFamilies: BenchFamily[] = [fftBenchCases];
