/**
 * Runs bench cases: warm-up, then timed samples until a time budget or sample count is reached;
 * reports the median. Short runs are batched so a sample is never shorter than ~5 ms of work; a
 * case and its baseline are sampled in alternation, so their ratio is measured side by side.
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

/** A case set up and warmed up, with the repetitions per timed sample. */
interface Prepared<S = any> {
  c: BenchCase<S>;
  state: S;
  inner: number;
}

async function prepare<S>(c: BenchCase<S>, threads: number): Promise<Prepared<S>> {
  setNumThreads(c.threads ?? threads);
  const state = await c.setup();
  // Warm-up: caches, plans, page faults; also sizes the inner loop.
  let inner = c.inner ?? 1;
  let t = await timeOnce(c, state, inner);
  if (c.inner === undefined) {
    while (t * inner < 5e-3 && inner < 1 << 20) {
      inner *= 4;
      t = await timeOnce(c, state, inner);
    }
  }
  return { c, state, inner };
}

async function sample(p: Prepared, threads: number): Promise<number> {
  setNumThreads(p.c.threads ?? threads);
  return timeOnce(p.c, p.state, p.inner);
}

function resultOf(c: BenchCase, samples: number[]): BenchResult {
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
}

// Throughput ratio: bandwidth over bandwidth when both move bytes (a copy baseline moves a
// different amount than an add), else time over time.
function speedupOver(r: BenchResult, base: BenchResult): number {
  return r.gbps !== undefined && base.gbps !== undefined ? r.gbps / base.gbps : base.median / r.median;
}

/**
 * Times `c`; with a baseline, the two alternate sample by sample (one of the baseline, one of the
 * case, ...), so the ratio compares them under the same machine state: the same load from other
 * processes, and each starting from the cache the other left (a baseline timed on its own finds
 * its data still cached from its previous repetition, which a case of a larger footprint cannot).
 */
async function measure(c: BenchCase, opts: HarnessOptions, base?: BenchCase): Promise<BenchResult> {
  const budget = opts.seconds ?? 1;
  const minSamples = opts.minSamples ?? 5;
  const threads = numThreads();
  const prepared: Prepared[] = [];
  try {
    const mine = await prepare(c, threads);
    prepared.push(mine);
    const theirs = base ? await prepare(base, threads) : undefined;
    if (theirs) prepared.push(theirs);
    const own: number[] = [];
    const paired: number[] = [];
    const start = now();
    while (own.length < minSamples || (now() - start < budget && own.length < 1000)) {
      if (theirs) paired.push(await sample(theirs, threads));
      own.push(await sample(mine, threads));
    }
    const result = resultOf(c, own);
    if (base) {
      const b = resultOf(base, paired);
      result.speedup = speedupOver(result, b);
      result.baselineMedian = b.median;
    }
    return result;
  } finally {
    for (const p of prepared) p.c.teardown?.(p.state);
    setNumThreads(threads);
  }
}

/**
 * Runs the cases in order; a case whose baseline is among them is timed in alternation with it
 * (see measure), which gives its `speedup`.
 */
export async function runCases(cases: BenchCase[], opts: HarnessOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of cases) {
    const base = c.baseline === undefined ? undefined : cases.find((b) => b.group === c.group && b.name === c.baseline);
    const r = await measure(c, opts, base);
    if (c.baseline) r.baseline = c.baseline;
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}
