/**
 * Signal bench cases (`--filter signal`): paper A's softLagCorrelation forward and backward on
 * 1024 pairs × T = 2048 × maxLag = 256 (float32, per thread count), against the direct O(T·L)
 * correlation and its hand-written gradient in JS on the same data, in the same run.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { tensor } from '../creation';
import { sync } from '../device';
import { valueAndGrad } from '../autograd';
import { sum } from '../ops/reduce';
import { softLagCorrelation } from '../signal/lag';

const PAIRS = 1024;
const T = 2048;
const MAX_LAG = 256;
const BETA = 10;
/** Pairs the JS reference runs (its time is scaled up to PAIRS). */
const JS_PAIRS = 16;

/** Deterministic float32 data (a cheap LCG: the bench must not depend on an RNG op). */
function signal(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/**
 * The direct reference for one pair: ρ(ℓ) by O(T) sums per lag, ρ̃ = (1/β)·logsumexp(βρ), and
 * ∂ρ̃/∂a, ∂ρ̃/∂b accumulated lag by lag (softmax weights times ∂ρ(ℓ)), written into ga and gb.
 */
export function directSoftLag(a: Float32Array, b: Float32Array, maxLag: number, beta: number, ga: Float64Array, gb: Float64Array): number {
  const n = a.length;
  const lags = 2 * maxLag + 1;
  const rho = new Float64Array(lags);
  const ea = new Float64Array(lags);
  const eb = new Float64Array(lags);
  for (let k = 0; k < lags; k++) {
    const l = k - maxLag;
    let num = 0, sa = 0, sb = 0;
    for (let t = Math.max(0, -l); t < Math.min(n, n - l); t++) {
      num += a[t] * b[t + l];
      sa += a[t] * a[t];
      sb += b[t + l] * b[t + l];
    }
    ea[k] = sa;
    eb[k] = sb;
    rho[k] = num / Math.sqrt(Math.max(sa * sb, 1e-12));
  }
  let m = -Infinity;
  for (let k = 0; k < lags; k++) m = Math.max(m, beta * rho[k]);
  let z = 0;
  for (let k = 0; k < lags; k++) z += Math.exp(beta * rho[k] - m);
  ga.fill(0);
  gb.fill(0);
  for (let k = 0; k < lags; k++) {
    const l = k - maxLag;
    const w = Math.exp(beta * rho[k] - m) / z; // ∂ρ̃/∂ρ(ℓ)
    const inv = 1 / Math.sqrt(Math.max(ea[k] * eb[k], 1e-12));
    const ra = rho[k] / ea[k];
    const rb = rho[k] / eb[k];
    for (let t = Math.max(0, -l); t < Math.min(n, n - l); t++) {
      ga[t] += w * (b[t + l] * inv - ra * a[t]);
      gb[t + l] += w * (a[t] * inv - rb * b[t + l]);
    }
  }
  return (m + Math.log(z)) / beta;
}

const label = `${PAIRS}×${T} L${MAX_LAG}`;
const flops = PAIRS * (2 * MAX_LAG + 1) * T * 10; // ~4 forward + ~6 backward per lag and sample (direct count)

function directCase(): BenchCase {
  return {
    name: `signal softLag direct JS f64 fwd+bwd ${label} (${JS_PAIRS} pairs timed, ×${PAIRS / JS_PAIRS})`,
    group: 'signal',
    device: 'host',
    setup: () => ({ a: signal(JS_PAIRS * T, 1), b: signal(JS_PAIRS * T, 2), ga: new Float64Array(T), gb: new Float64Array(T) }),
    run: (s: { a: Float32Array; b: Float32Array; ga: Float64Array; gb: Float64Array }) => {
      for (let p = 0; p < JS_PAIRS; p++) directSoftLag(s.a.subarray(p * T, (p + 1) * T), s.b.subarray(p * T, (p + 1) * T), MAX_LAG, BETA, s.ga, s.gb);
    },
    work: { flops },
    scale: PAIRS / JS_PAIRS,
    inner: 1,
  };
}

/** The signal cases for `device` at each thread count (CPU threads; ignored by GPU devices). */
export function signalBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const direct = directCase();
  const cases: BenchCase[] = device === 'cpu' ? [direct] : [];
  const step = valueAndGrad((a: Tensor, b: Tensor) => sum(softLagCorrelation(a, b, { maxLag: MAX_LAG, beta: BETA })), { argnums: [0, 1] });
  for (const t of threads) {
    const name = `signal softLagCorrelation f32 fwd+bwd ${label} ×${t}T`;
    cases.push({
      name,
      group: 'signal',
      device,
      threads: t,
      setup: () => {
        const a = tensor(signal(PAIRS * T, 1), [PAIRS, T], { dtype: 'float32', device });
        const b = tensor(signal(PAIRS * T, 2), [PAIRS, T], { dtype: 'float32', device });
        sync();
        return [a, b];
      },
      run: ([a, b]: Tensor[]) => {
        const [value, grads] = step(a, b) as [Tensor, Tensor[]];
        sync();
        value.dispose();
        grads.forEach((g) => g.dispose());
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      work: { flops },
      baseline: device === 'cpu' ? direct.name : undefined,
    });
  }
  return cases;
}
