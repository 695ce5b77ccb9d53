/**
 * Runs bench cases: warm-up, then timed samples until a time budget or sample count is reached;
 * reports the median. Short runs are batched so a sample is never shorter than ~5 ms of work.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase, BenchResult } from './types';
import { numThreads, setNumThreads } from '../device';

/** Options of {@link runCases}. */
export interface HarnessOptions {
  /** Target seconds of timed samples per case (default 1). */
  seconds?: number;
  /** Minimum samples per case (default 5). */
  minSamples?: number;
  /** Called after each case (for progress output). */
  onResult?(r: BenchResult): void;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeOnce<S>(c: BenchCase<S>, state: S, inner: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < inner; i++) {
    const r = c.run(state);
    if (r instanceof Promise) await r;
  }
  return (now() - t0) / inner;
}

async function measure<S>(c: BenchCase<S>, opts: HarnessOptions): Promise<BenchResult> {
  const budget = opts.seconds ?? 1;
  const minSamples = opts.minSamples ?? 5;
  const previousThreads = numThreads();
  if (c.threads !== undefined) setNumThreads(c.threads);
  const state = await c.setup();
  try {
    // Warm-up: caches, plans, page faults; also sizes the inner loop.
    let inner = c.inner ?? 1;
    let t = await timeOnce(c, state, inner);
    if (c.inner === undefined) {
      while (t * inner < 5e-3 && inner < 1 << 20) {
        inner *= 4;
        t = await timeOnce(c, state, inner);
      }
    }
    const samples: number[] = [];
    const start = now();
    while (samples.length < minSamples || (now() - start < budget && samples.length < 1000)) {
      samples.push(await timeOnce(c, state, inner));
    }
    const med = median(samples) * (c.scale ?? 1);
    const result: BenchResult = {
      group: c.group,
      name: c.name,
      device: c.device ?? 'cpu',
      median: med,
      samples: samples.length,
    };
    if (c.peer) result.peer = c.peer;
    if (c.threads !== undefined) result.threads = c.threads;
    if (c.work?.bytes) result.gbps = c.work.bytes / med / 1e9;
    if (c.work?.flops) result.gflops = c.work.flops / med / 1e9;
    if (c.work?.items) {
      result.rate = c.work.items.count / med;
      result.rateUnit = c.work.items.unit;
    }
    return result;
  } finally {
    c.teardown?.(state);
    setNumThreads(previousThreads);
  }
}

/** Runs the cases in order, then fills each result's `speedup` over its baseline. */
export async function runCases(cases: BenchCase[], opts: HarnessOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of cases) {
    const r = await measure(c, opts);
    if (c.baseline) r.baseline = c.baseline;
    results.push(r);
    opts.onResult?.(r);
  }
  for (const r of results) {
    if (!r.baseline) continue;
    const base = results.find((b) => b.group === r.group && b.name === r.baseline);
    // Throughput ratio: bandwidth over bandwidth when both move bytes (a copy baseline moves a
    // different amount than an add), else time over time.
    if (base) r.speedup = r.gbps !== undefined && base.gbps !== undefined ? r.gbps / base.gbps : base.median / r.median;
  }
  return results;
}
