/**
 * The shape of a benchmark case, shared by every kernel family's bench file.
 * Internal: not part of the public API (the package index does not export it).
 */

/** One measured case. `setup` builds inputs once; `run` is timed; `teardown` frees. */
export interface BenchCase<S = any> {
  /** Unique within its group, e.g. `add 16M f32`. */
  name: string;
  /** The family (`core`, `fft`, ...) that `--filter` also matches. */
  group: string;
  /** Device the case runs on (for the table); peers and baselines say `host`. */
  device?: string;
  /** A third-party implementation (`fft.js`, `tfjs-cpu`) measured on the same data. */
  peer?: string;
  /** CPU threads to run with (set before setup); undefined keeps the current setting. */
  threads?: number;
  setup(): S | Promise<S>;
  /** One timed repetition; must finish its work (synchronise) before returning. */
  run(state: S): void | Promise<void>;
  teardown?(state: S): void;
  /**
   * Work per repetition: bytes and flops for the GB/s and GFLOP/s columns; `items` for the rate
   * column when the natural unit is neither (DP cells, samples): `{ count: 1e6, unit: 'cells' }`
   * prints as cells/s with an SI prefix.
   */
  work?: { bytes?: number; flops?: number; items?: { count: number; unit: string } };
  /** Repetitions per timed sample when one run is too short to time (default: adaptive). */
  inner?: number;
  /** Case name within the same group whose median this case is compared with (`ratio` column). */
  baseline?: string;
  /** Scales the measured time, e.g. when a slow peer runs on 1/k of the data. */
  scale?: number;
}

/** One measured result. */
export interface BenchResult {
  group: string;
  name: string;
  device: string;
  peer?: string;
  threads?: number;
  /** Median seconds per repetition over the samples. */
  median: number;
  /** Samples taken (each the mean over `inner` repetitions). */
  samples: number;
  gbps?: number;
  gflops?: number;
  /** Items of `work.items` per second, and their unit. */
  rate?: number;
  rateUnit?: string;
  /** Throughput relative to the baseline case (> 1: faster); GB/s over GB/s when both have it. */
  speedup?: number;
  /** The baseline's median over the samples taken in alternation with this case's. */
  baselineMedian?: number;
  baseline?: string;
}
