// Shared test helpers: the devices to parametrise over, a seeded data generator independent of
// wavetape's own random ops, and float64 comparison helpers.
import * as wt from '../lib';
import { mulberry32 } from '../lib/host_random';

/** Every device this process has (cpu, plus simt in test runs, plus cuda:* on a GPU machine). */
export function testDevices(): string[] {
  return wt.devices();
}

/** True for devices that execute CUDA kernels (emulated or real): keep their shapes small. */
export function isKernelDevice(device: string): boolean {
  return device === 'simt' || device.startsWith('cuda');
}

/** mulberry32 (lib/host_random.ts): a seeded generator so test data never depends on wavetape's RNG. */
export const rng = mulberry32;

/** n values uniform in [lo, hi) from `seed`. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** Largest |a-b| / (atol + rtol·|b|) over all elements; ≤ 1 means within tolerance. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
      continue;
    }
    if (a[i] === b[i]) continue;
    const r = Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i]));
    if (!(r <= worst)) worst = r;
  }
  return worst;
}

/** Asserts elementwise closeness, reporting the first offending index (after `what`, if given). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0, what?: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) throw new Error(`${what ? `${what}: ` : ''}index ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what ? `${what}: ` : ''}index ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** Relative RMS error ||a-b||₂ / ||b||₂. */
export function relRms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, Number.MIN_VALUE));
}

/** Tolerance scale per dtype: float32 results are checked against float64 references. */
export function tol(dtype: 'float32' | 'float64'): number {
  return dtype === 'float32' ? 2e-6 : 1e-13;
}

/**
 * The WavetapeError code fn throws ('no error' when it returns), asserting the error's class and,
 * when given, that its message matches `message`.
 */
export function codeOf(fn: () => unknown, message?: RegExp): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(wt.WavetapeError);
    if (message) expect((e as Error).message).toMatch(message);
    return (e as wt.WavetapeError).code;
  }
  return 'no error';
}
