// Learnable lifting schemes (wt.liftingScheme): perfect reconstruction for random coefficients in
// every mode, the documented filter-length/shift rule checked against the filter bank of the
// scheme's impulse responses (computed here by plain lifting on arrays), gradients with respect to
// the coefficients and the scale, training, and malformed schemes.
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray, rng } from './helpers';
import { T, values, expectGrad, expectCode, weightedSum } from './ndref';
import { MODES, type Mode, type Bank, dwtRef, idwtRef, maxAbs, maxDiff } from './wavelet_reference';

interface Step {
  type: 'predict' | 'update';
  offset: number;
  coeffs: number[];
}

/** A random scheme: alternating steps of 1–3 taps at offsets −2 … 1, taps in [−0.6, 0.6]. */
function randomSteps(seed: number, count: number): Step[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    type: (i + seed) % 2 === 0 ? 'predict' : 'update',
    offset: Math.floor(r() * 4) - 2,
    coeffs: Array.from({ length: 1 + Math.floor(r() * 3) }, () => 1.2 * r() - 0.6),
  }));
}

/** Circular lifting of plain arrays (the reference semantics of a step). */
function liftArrays(x: number[], steps: Step[], scale: number): [number[], number[]] {
  const M = x.length / 2;
  const s = Array.from({ length: M }, (_, i) => x[2 * i]);
  const d = Array.from({ length: M }, (_, i) => x[2 * i + 1]);
  const at = (v: number[], i: number) => v[((i % M) + M) % M];
  for (const st of steps) {
    const [src, dst] = st.type === 'predict' ? [s, d] : [d, s];
    const add = dst.map((_, i) => st.coeffs.reduce((acc, c, k) => acc + c * at(src, i + st.offset + k), 0));
    add.forEach((v, i) => (dst[i] += v));
  }
  return [s.map((v) => v * scale), d.map((v) => v / scale)];
}

function unliftArrays(s0: number[], d0: number[], steps: Step[], scale: number): number[] {
  const M = s0.length;
  const s = s0.map((v) => v / scale);
  const d = d0.map((v) => v * scale);
  const at = (v: number[], i: number) => v[((i % M) + M) % M];
  for (let k = steps.length - 1; k >= 0; k--) {
    const st = steps[k];
    const [src, dst] = st.type === 'predict' ? [s, d] : [d, s];
    const sub = dst.map((_, i) => st.coeffs.reduce((acc, c, j) => acc + c * at(src, i + st.offset + j), 0));
    sub.forEach((v, i) => (dst[i] -= v));
  }
  return s.flatMap((v, i) => [v, d[i]]);
}

/**
 * The scheme's filter bank in pywt's layout for filter length L and shift t: impulse responses
 * of the lifting around lifting index c, read at the positions of pywt's window.
 */
function bankOfScheme(steps: Step[], scale: number, L: number, t: number): Bank {
  const M = 64 + 2 * L;
  const c = M / 2;
  const analysis = (p: number) => {
    const x = new Array<number>(2 * M).fill(0);
    x[p] = 1;
    const [s, d] = liftArrays(x, steps, scale);
    return [s[c], d[c]];
  };
  const synthesis = (band: 0 | 1) => {
    const s = new Array<number>(M).fill(0);
    const d = new Array<number>(M).fill(0);
    (band === 0 ? s : d)[c] = 1;
    return unliftArrays(s, d, steps, scale);
  };
  // cA[o] = Σ_j decLo[j]·x[2o + 1 − j] with o = c − t, so decLo[j] responds to x[2(c − t) + 1 − j].
  const decLo: number[] = [];
  const decHi: number[] = [];
  for (let j = 0; j < L; j++) {
    const [a, d] = analysis(2 * (c - t) + 1 - j);
    decLo.push(a);
    decHi.push(d);
  }
  // x[2o + k + 2 − L] += recLo[k]·cA[o].
  const lo = synthesis(0);
  const hi = synthesis(1);
  const recLo = Array.from({ length: L }, (_, k) => lo[2 * (c - t) + k + 2 - L]);
  const recHi = Array.from({ length: L }, (_, k) => hi[2 * (c - t) + k + 2 - L]);
  return { decLo, decHi, recLo, recHi };
}

const devices = testDevices();

describe.each(devices)('learnable lifting on %s', (device) => {
  const kernel = isKernelDevice(device);
  const schemeOf = (steps: Step[], scale: number, dtype: 'float32' | 'float64' = 'float64') =>
    wt.liftingScheme({
      steps: steps.map((s) => ({ type: s.type, offset: s.offset, coeffs: T(s.coeffs, [s.coeffs.length], device, dtype) })),
      scale: T([scale], [1], device, dtype),
    });

  it('the impulse responses outside the support rule are zero: filterLength and shift hold the whole filter bank', () => {
    for (let seed = 1; seed <= (kernel ? 2 : 12); seed++) {
      const steps = randomSteps(seed, 2 + (seed % 4));
      const w = schemeOf(steps, 1.1);
      const wide = bankOfScheme(steps, 1.1, w.filterLength + 8, w.shift - 2);
      // Taps of the widened window outside [2 − L, 1] (shifted by 4) carry nothing.
      const inside = (j: number) => j >= 4 && j < 4 + w.filterLength;
      for (const f of [wide.decLo, wide.decHi, wide.recLo, wide.recHi]) f.forEach((v, j) => inside(j) || expect(Math.abs(v)).toBeLessThan(1e-15));
      // Some tap touches each edge of pywt's window (L is the smallest length that holds the bank).
      const bank = bankOfScheme(steps, 1.1, w.filterLength, w.shift);
      // The window's left edge is the last two analysis taps and the first two synthesis taps.
      const L = w.filterLength;
      const reaches = [bank.decLo, bank.decHi].some((f) => f[L - 1] !== 0 || f[L - 2] !== 0) || [bank.recLo, bank.recHi].some((f) => f[0] !== 0 || f[1] !== 0);
      expect(reaches).toBe(true);
    }
  });

  it('every mode: dwt and idwt are the filter bank of the scheme with its filterLength and shift; periodization is plain circular lifting', () => {
    for (let seed = 1; seed <= (kernel ? 2 : 8); seed++) {
      const steps = randomSteps(seed, 2 + (seed % 3));
      const scale = 0.8 + 0.05 * seed;
      const w = schemeOf(steps, scale);
      const bank = bankOfScheme(steps, scale, w.filterLength, w.shift);
      for (const mode of MODES)
        for (const n of kernel ? [1, 6, 9] : [1, 2, 5, 8, 31]) {
          const xs = Array.from(randomArray(n, 100 * seed + n));
          const [a, d] = wt.dwt(T(xs, [n], device), w, { mode });
          const [ra, rd] = mode === 'periodization' ? liftArrays(n % 2 ? [...xs, xs[n - 1]] : xs, steps, scale) : dwtRef(xs, bank, mode);
          const scaleRef = maxAbs(xs, ra, rd);
          expect(a.shape[0]).toBe(ra.length);
          expect(Math.max(maxDiff(values(a), ra), maxDiff(values(d), rd))).toBeLessThanOrEqual(1e-12 * scaleRef);
          const ref = mode === 'periodization' ? unliftArrays(ra, rd, steps, scale) : idwtRef(ra, rd, bank, mode);
          expect(maxDiff(values(wt.idwt(a, d, w, { mode })), ref)).toBeLessThanOrEqual(1e-12 * scaleRef);
        }
    }
  });

  it('perfect reconstruction for random coefficients: waverec(wavedec(x), {n}) = x in every mode, float64 and float32', () => {
    for (let seed = 20; seed < (kernel ? 21 : 26); seed++) {
      const steps = randomSteps(seed, 3 + (seed % 3));
      for (const dtype of ['float64', 'float32'] as const) {
        const w = schemeOf(steps, 1.3, dtype);
        for (const mode of MODES)
          for (const n of kernel ? [7, 12] : [1, 7, 12, 100]) {
            const xs = Float64Array.from(Float32Array.from(randomArray(n, seed * 10 + n)));
            const coeffs = wt.wavedec(T(xs, [n], device, dtype), w, { mode, level: 3 });
            const scale = maxAbs(xs, ...coeffs.map(values));
            const back = wt.waverec(coeffs, w, { mode, n });
            expect(maxDiff(values(back), xs)).toBeLessThanOrEqual((dtype === 'float64' ? 1e-12 : 2e-6) * scale);
          }
      }
    }
  });

  it('works wherever a wavelet name does: swt/iswt, the 2-D forms and the length helpers', () => {
    const steps = randomSteps(3, 3);
    const w = schemeOf(steps, 0.9);
    const xs = randomArray(16, 7);
    const x = T(xs, [16], device);
    expect(maxDiff(values(wt.iswt(wt.swt(x, w, { level: 3 }), w)), xs)).toBeLessThan(1e-12);
    const img = T(randomArray(6 * 5, 8), [6, 5], device);
    expect(maxDiff(values(wt.waverec2(wt.wavedec2(img, w, { level: 1 }), w)).filter((_, k) => k % 6 < 5).slice(0, 30), values(img))).toBeLessThan(1e-12);
    expect(wt.dwtCoeffLength(10, w, 'symmetric')).toBe(Math.floor((10 + w.filterLength - 1) / 2));
    expect(wt.dwtMaxLevel(100, w)).toBe(Math.floor(Math.log2(Math.floor(100 / (w.filterLength - 1)))));
  });

  it('the CDF 5/3 steps reproduce bior2.2 in periodization up to its sign and scale', () => {
    const w = wt.liftingScheme({
      steps: [
        { type: 'predict', coeffs: T([-0.5, -0.5], [2], device), offset: 0 },
        { type: 'update', coeffs: T([0.25, 0.25], [2], device), offset: -1 },
      ],
      scale: T([Math.SQRT2], [], device),
    });
    const x = T(randomArray(16, 9), [16], device);
    const [a, d] = wt.dwt(x, w, { mode: 'periodization' });
    const [pa, pd] = wt.dwt(x, 'bior2.2', { mode: 'periodization' });
    expect(maxDiff(values(a), values(pa))).toBeLessThan(1e-12);
    expect(maxDiff(values(d).map((v) => -v), values(pd))).toBeLessThan(1e-12); // bior2.2's signD = −1
    expect([w.filterLength, w.shift]).toEqual([6, -1]);
  });

  it('gradients w.r.t. the coefficients, the scale and the signal (gradcheck, float64), every mode', () => {
    const x = T(randomArray(2 * 9, 11), [2, 9], device);
    for (const mode of kernel ? (['symmetric', 'periodization'] as Mode[]) : MODES) {
      const f = (p: wt.Tensor, u: wt.Tensor, scale: wt.Tensor, sig: wt.Tensor) => {
        const w = wt.liftingScheme({ steps: [{ type: 'predict', coeffs: p, offset: 0 }, { type: 'update', coeffs: u, offset: -1 }], scale });
        const c = wt.wavedec(sig, w, { mode, level: 2 });
        return c.reduce((acc, t, i) => wt.add(acc, weightedSum(wt.square(t), 30 + i)), wt.zeros([], { dtype: 'float64', device }));
      };
      expectGrad(f, [T([-0.4, -0.6], [2], device), T([0.2, 0.3], [2], device), T([1.2], [1], device), x]);
      const g = (p: wt.Tensor, ca: wt.Tensor, cd: wt.Tensor) => {
        const w = wt.liftingScheme({ steps: [{ type: 'predict', coeffs: p, offset: -1 }] });
        return weightedSum(wt.idwt(ca, cd, w, { mode }), 40);
      };
      const N = wt.dwtCoeffLength(9, wt.liftingScheme({ steps: [{ type: 'predict', coeffs: T([1, 1], [2], device), offset: -1 }] }), mode);
      expectGrad(g, [T([0.3, -0.7], [2], device), T(randomArray(N, 12), [N], device), T(randomArray(N, 13), [N], device)]);
    }
  });

  it('trains: gradient descent on the predict taps lowers the detail energy of a smooth signal', () => {
    const n = 32;
    const x = T(Array.from({ length: n }, (_, i) => Math.sin(i / 5) + 0.1 * i), [n], device);
    const energy = (p: wt.Tensor) => {
      const w = wt.liftingScheme({ steps: [{ type: 'predict', coeffs: p, offset: 0 }] });
      return wt.sum(wt.square(wt.dwt(x, w, { mode: 'symmetric' })[1]));
    };
    let p = T([0, 0], [2], device);
    const first = values(energy(p))[0];
    for (let it = 0; it < 20; it++) {
      const g = wt.grad(energy)(p);
      p = wt.sub(p, wt.mul(g, 0.02));
    }
    const last = values(energy(p))[0];
    expect(last).toBeLessThan(0.05 * first);
    // Linear prediction from both neighbours: the taps approach −1/2 each.
    values(p).forEach((v) => expect(Math.abs(v + 0.5)).toBeLessThan(0.1));
  });
});

describe('malformed schemes', () => {
  const c = (v: number[]) => wt.tensor(v, [v.length], { dtype: 'float64' });
  it('every defect is a WavetapeError naming liftingScheme and the argument', () => {
    expectCode(() => wt.liftingScheme(undefined as never), 'E_SHAPE', /liftingScheme: argument 'steps'/);
    expectCode(() => wt.liftingScheme({ steps: 'predict' } as never), 'E_SHAPE', /liftingScheme: argument 'steps'/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'lift', coeffs: c([1]) }] } as never), 'E_RANGE', /steps\[0\]\.type/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'predict', coeffs: [1, 2] }] } as never), 'E_DTYPE', /steps\[0\]\.coeffs/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'predict', coeffs: wt.tensor([[1]], [1, 1], { dtype: 'float64' }) }] }), 'E_SHAPE', /steps\[0\]\.coeffs' must be a 1-d tensor/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'predict', coeffs: wt.tensor([1], [1], { dtype: 'int32' }) }] }), 'E_DTYPE', /float32 or float64/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'update', coeffs: c([1]), offset: 0.5 }] }), 'E_RANGE', /steps\[0\]\.offset/);
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'update', coeffs: c([1]), gain: 2 } as never] }), 'E_RANGE', /unknown option 'gain'/);
    expectCode(() => wt.liftingScheme({ steps: [], scale: 0 }), 'E_RANGE', /scale/);
    expectCode(() => wt.liftingScheme({ steps: [], scale: c([1, 2]) }), 'E_SHAPE', /scale' must hold one value/);
    const disposed = c([1]);
    disposed.dispose();
    expectCode(() => wt.liftingScheme({ steps: [{ type: 'predict', coeffs: disposed }] }), 'E_DISPOSED');
    // Coefficients disposed after the scheme was made are refused when it is used.
    const later = c([0.5]);
    const w = wt.liftingScheme({ steps: [{ type: 'predict', coeffs: later }] });
    later.dispose();
    expectCode(() => wt.dwt(wt.ones([4], { dtype: 'float64' }), w), 'E_DISPOSED', /^dwt: /);
  });
  it('the lazy wavelet (no steps) is a valid scheme: cA = even samples, cD = odd samples', () => {
    const w = wt.liftingScheme({ steps: [] });
    const [a, d] = wt.dwt(wt.tensor([1, 2, 3, 4], [4], { dtype: 'float64' }), w, { mode: 'periodization' });
    expect([values(a), values(d)]).toEqual([[1, 3], [2, 4]]);
  });
});
