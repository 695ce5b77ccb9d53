// Shared by the device-agreement suites (one file per kernel family in this folder): comparison
// helpers, input builders, and describeAgreement, which runs a family's checks on every kernel device.
import * as wt from '../../lib';
import { isKernelDevice, randomArray, testDevices } from '../helpers';

export type Arr = ArrayLike<number>;
export type DType = 'float32' | 'float64' | 'complex64' | 'complex128' | 'int32';

const kernelDevices = testDevices().filter(isKernelDevice);

export const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/** Same value, element by element: +0 and −0 differ, any NaN equals any NaN (payloads may not). */
export function expectSameBits(actual: Arr, expected: Arr, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (!Object.is(a, e)) throw new Error(`${what}: index ${i} of ${expected.length}: got ${a}, cpu ${e}`);
  }
}

/** Distance in units in the last place, over the ordered integer image of the floats. */
export function ulpDistance(a: number, b: number, dtype: 'float32' | 'float64'): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const ordered = (x: number): bigint => {
    if (dtype === 'float32') {
      const v = new DataView(new ArrayBuffer(4));
      v.setFloat32(0, x);
      const bits = BigInt(v.getInt32(0));
      return bits < 0n ? -(bits & 0x7fffffffn) : bits;
    }
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    const bits = v.getBigInt64(0);
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  };
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

export function expectUlps(actual: Arr, expected: Arr, dtype: 'float32' | 'float64', ulps: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(actual[i], expected[i], dtype);
    if (!(d <= ulps)) throw new Error(`${what}: index ${i}: got ${actual[i]}, cpu ${expected[i]} (${d} ulps > ${ulps})`);
  }
}

/** |actual − expected| ≤ bound[i] element by element (bounds computed from the inputs). */
export function expectWithin(actual: Arr, expected: Arr, bound: Arr, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= bound[i])) throw new Error(`${what}: index ${i}: got ${a}, cpu ${e} (bound ${bound[i]})`);
  }
}

export function realOf(dtype: DType): 'float32' | 'float64' {
  return dtype === 'float64' || dtype === 'complex128' ? 'float64' : 'float32';
}

export function make(data: Arr, shape: number[], dtype: DType, dev: string): wt.Tensor {
  const typed =
    dtype === 'int32' ? Int32Array.from(data, Math.round)
    : dtype === 'float32' || dtype === 'complex64' ? Float32Array.from(data)
    : Float64Array.from(data);
  return wt.tensor(typed, shape, { dtype, device: dev });
}

// Sizes around the pack width (4 float32 per 16 bytes), the block (256) and the grid cap
// (8 blocks per SM: 32 blocks on simt, so 40000 elements take several grid-stride rounds).
export const SIZES = [1, 3, 4, 255, 257, 1003, 40005];
export const FLOATS: DType[] = ['float32', 'float64'];
export const ALL_FLOATING: DType[] = ['float32', 'float64', 'complex64', 'complex128'];

export function values(n: number, seed: number, dtype: DType, lo = -2, hi = 2): Float64Array {
  return randomArray(dtype.startsWith('complex') ? 2 * n : n, seed, lo, hi);
}

/** What a family's checks get for one kernel device. */
export interface Agreement {
  device: string;
  onGpu: boolean;
  /** Builds the same computation on `device` and on cpu from host data; returns both results. */
  onBoth(build: (dev: string) => wt.Tensor): { got: wt.TypedArray; cpu: wt.TypedArray; out: wt.Tensor };
  /** Bitwise on every device (correctly rounded arithmetic, moves, comparisons). */
  same(what: string, build: (dev: string) => wt.Tensor): void;
  /** Bitwise on simt (glibc on both sides); within `ulps` on a GPU (libdevice vs glibc). */
  libm(what: string, dtype: DType, ulps: number, build: (dev: string) => wt.Tensor): void;
}

function agreementOn(device: string): Agreement {
  const onGpu = device.startsWith('cuda');
  function onBoth(build: (dev: string) => wt.Tensor): { got: wt.TypedArray; cpu: wt.TypedArray; out: wt.Tensor } {
    return wt.tidy(() => {
      const k = build(device);
      const c = build('cpu');
      expect(k.device).toBe(device);
      expect(k.shape).toEqual(c.shape);
      expect(k.dtype).toBe(c.dtype);
      return { got: k.dataSync(), cpu: c.dataSync(), out: wt.keep(k) };
    });
  }

  function same(what: string, build: (dev: string) => wt.Tensor): void {
    const r = onBoth(build);
    r.out.dispose();
    expectSameBits(r.got, r.cpu, what);
  }

  function libm(what: string, dtype: DType, ulps: number, build: (dev: string) => wt.Tensor): void {
    const r = onBoth(build);
    r.out.dispose();
    if (onGpu) expectUlps(r.got, r.cpu, realOf(dtype), ulps, what);
    else expectSameBits(r.got, r.cpu, what);
  }

  return { device, onGpu, onBoth, same, libm };
}

/** Runs `checks` for every kernel device (simt, cuda:*) against cpu, as one describe per device. */
export function describeAgreement(family: string, checks: (k: Agreement) => void): void {
  if (kernelDevices.length === 0) {
    // Test runs load the emulator (test/setup-env.js); its absence is a failure, not a skip.
    test('a kernel device (simt or cuda) is loaded', () => {
      const why = wt.backends().map((b) => `${b.name}: ${b.loaded ? 'loaded' : 'not loaded'} ${b.reason}`).join('; ');
      throw new Error(`no simt or cuda device in this process (${why})`);
    });
    return;
  }
  describe.each(kernelDevices)(`%s agrees with cpu: ${family}`, (device) => checks(agreementOn(device)));
}
