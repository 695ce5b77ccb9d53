// The wavelet transforms (dwt/idwt, wavedec/waverec, swt/iswt, the 2-D forms) on every device
// against float64 filter-bank references written in test/wavelet_reference.ts: every wavelet and
// mode, pywt's output lengths, issue 11's bounds, round trips, batching and axes, n = 1, gradcheck.
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray } from './helpers';
import { T, values, expectGrad, weightedSum } from './ndref';
import { MODES, type Mode, bankOf, dwtRef, idwtRef, wavedecRef, swtRef, iswtRef, maxLevelRef, maxAbs, maxDiff } from './wavelet_reference';
import { WAVELET_TABLE } from '../lib/wavelets/filters';

const devices = testDevices();
const NAMES = Object.keys(WAVELET_TABLE);
const LENGTHS = [1, 2, 3, 7, 8, 15, 16, 17, 100, 127, 1000];
/** Short lengths for the emulator; one wavelet per family and the large-step ones. */
const KERNEL_LENGTHS = [1, 2, 3, 7, 8, 17];
const KERNEL_NAMES = ['haar', 'db4', 'sym5', 'coif1', 'bior2.2', 'bior4.4', 'rbio5.5', 'bior3.1'];

/** Issue 11's bound, relative to max(|x|, |coefficients|). */
const BOUND = { float64: 1e-12, float32: 2e-6 } as const;
type Dt = keyof typeof BOUND;

const rows = (t: wt.Tensor): number[] => values(t);

describe.each(devices)('wavelets on %s', (device) => {
  const kernel = isKernelDevice(device);
  const names = kernel ? KERNEL_NAMES : NAMES;
  const lengths = kernel ? KERNEL_LENGTHS : LENGTHS;

  describe('dwt and idwt against the filter bank, every wavelet and mode', () => {
    it.each(names)('%s: float64, every length, output lengths exactly pywt\'s', (name) => {
      const bank = bankOf(name);
      for (const mode of MODES)
        for (const n of lengths) {
          const xs = randomArray(n, 1000 + n);
          const [ra, rd] = dwtRef(xs, bank, mode);
          const [a, d] = wt.dwt(T(xs, [n], device), name, { mode });
          const scale = maxAbs(xs, ra, rd);
          expect({ mode, n, len: [a.shape[0], d.shape[0]] }).toEqual({ mode, n, len: [ra.length, rd.length] });
          expect(Math.max(maxDiff(rows(a), ra), maxDiff(rows(d), rd))).toBeLessThanOrEqual(BOUND.float64 * scale);
          // idwt of arbitrary coefficients (not only of a dwt): the synthesis sums.
          const ca = randomArray(ra.length, 2000 + n);
          const cd = randomArray(ra.length, 3000 + n);
          if (mode !== 'periodization' && 2 * ca.length < bank.recLo.length) continue;
          const rec = wt.idwt(T(ca, [ca.length], device), T(cd, [cd.length], device), name, { mode });
          const ref = idwtRef(ca, cd, bank, mode);
          expect({ mode, n, len: rec.shape[0] }).toEqual({ mode, n, len: ref.length });
          expect(maxDiff(rows(rec), ref)).toBeLessThanOrEqual(BOUND.float64 * maxAbs(ca, cd, ref));
        }
    });

    it.each(names)('%s: float32 within 2e-6 of the float64 reference, and idwt(dwt(x)) = x', (name) => {
      const bank = bankOf(name);
      for (const mode of MODES)
        for (const n of kernel ? [1, 7, 16] : [1, 7, 16, 127, 1000]) {
          const xs = Float64Array.from(Float32Array.from(randomArray(n, 4000 + n)));
          const [ra, rd] = dwtRef(xs, bank, mode);
          const [a, d] = wt.dwt(T(xs, [n], device, 'float32'), name, { mode });
          const scale = maxAbs(xs, ra, rd);
          expect(Math.max(maxDiff(rows(a), ra), maxDiff(rows(d), rd))).toBeLessThanOrEqual(BOUND.float32 * scale);
          const back = rows(wt.idwt(a, d, name, { mode, n }));
          expect(maxDiff(back, xs)).toBeLessThanOrEqual(BOUND.float32 * scale);
        }
    });
  });

  describe('multilevel', () => {
    const multiNames = kernel ? ['db4', 'bior4.4'] : ['haar', 'db2', 'db7', 'sym4', 'coif3', 'bior1.5', 'bior4.4', 'bior5.5', 'rbio6.8', 'cdf53'];
    it.each(multiNames)('%s: wavedec = repeated filter-bank dwt at levels 0 … max + 2; waverec(…, {n}) returns x', (name) => {
      const key = name === 'cdf53' ? 'bior2.2' : name;
      const bank = bankOf(key);
      const L = bank.decLo.length;
      for (const mode of MODES)
        for (const n of kernel ? [7, 16] : [1, 7, 16, 17, 127, 1000]) {
          const xs = randomArray(n, 5000 + n);
          const x = T(xs, [n], device);
          const max = maxLevelRef(n, L);
          for (let level = 0; level <= max + 2; level++) {
            const ref = wavedecRef(xs, bank, mode, level);
            const got = wt.wavedec(x, name, { mode, level });
            expect(got.map((c) => c.shape[0])).toEqual(ref.map((c) => c.length));
            const scale = maxAbs(xs, ...ref);
            got.forEach((c, i) => expect(maxDiff(rows(c), ref[i])).toBeLessThanOrEqual(BOUND.float64 * scale));
            const back = wt.waverec(got, name, { mode, n });
            expect(maxDiff(rows(back), xs)).toBeLessThanOrEqual(BOUND.float64 * scale);
          }
          // The default level is pywt's dwt_max_level.
          expect(wt.wavedec(x, name, { mode }).length).toBe(max + 1);
        }
    });

    it('every wavelet round-trips in float32 (5 levels, n = 1000; bior5.5/rbio5.5 relative to the coefficients too)', () => {
      const n = kernel ? 64 : 1000;
      const xs = Float64Array.from(Float32Array.from(randomArray(n, 6000)));
      for (const name of names)
        for (const mode of ['periodization', 'symmetric', 'antireflect'] as Mode[]) {
          const coeffs = wt.wavedec(T(xs, [n], device, 'float32'), name, { mode, level: kernel ? 2 : 5 });
          const scale = maxAbs(xs, ...coeffs.map(rows));
          const back = wt.waverec(coeffs, name, { mode, n });
          expect({ name, mode, err: maxDiff(rows(back), xs) <= BOUND.float32 * scale }).toEqual({ name, mode, err: true });
        }
    });

    if (!kernel)
      it('long signals (4096, 16385) in float64 and float32', () => {
        for (const n of [4096, 16385])
          for (const name of ['db4', 'bior4.4'])
            for (const mode of ['periodization', 'symmetric', 'smooth'] as Mode[]) {
              const xs = randomArray(n, 7000 + n);
              const ref = wavedecRef(xs, bankOf(name), mode, 4);
              const scale = maxAbs(xs, ...ref);
              for (const dtype of ['float64', 'float32'] as Dt[]) {
                const got = wt.wavedec(T(xs, [n], device, dtype), name, { mode, level: 4 });
                got.forEach((c, i) => expect(maxDiff(rows(c), ref[i])).toBeLessThanOrEqual(BOUND[dtype] * scale * (dtype === 'float32' ? 2 : 1)));
              }
            }
      });
  });

  describe('batching, axes and pywt conventions', () => {
    it('a batch along axis 1 of [2, n, 3] equals each signal alone', () => {
      const n = 9;
      const shape = [2, n, 3];
      const data = randomArray(2 * n * 3, 8000);
      const x = T(data, shape, device);
      for (const mode of ['symmetric', 'periodization', 'antisymmetric'] as Mode[]) {
        const [a, d] = wt.dwt(x, 'db3', { mode, axis: 1 });
        const N = a.shape[1];
        expect(a.shape).toEqual([2, N, 3]);
        const av = rows(a);
        const dv = rows(d);
        for (let i = 0; i < 2; i++)
          for (let k = 0; k < 3; k++) {
            const sig = Array.from({ length: n }, (_, j) => data[(i * n + j) * 3 + k]);
            const [ra, rd] = dwtRef(sig, bankOf('db3'), mode);
            for (let o = 0; o < N; o++) {
              expect(Math.abs(av[(i * N + o) * 3 + k] - ra[o])).toBeLessThan(1e-12);
              expect(Math.abs(dv[(i * N + o) * 3 + k] - rd[o])).toBeLessThan(1e-12);
            }
          }
        const back = wt.waverec(wt.wavedec(x, 'db3', { mode, axis: 1, level: 2 }), 'db3', { mode, axis: 1, n });
        expect(back.shape).toEqual(shape);
        expect(maxDiff(rows(back), data)).toBeLessThan(1e-12);
      }
    });

    it("pywt's documented examples", () => {
      const [a, d] = wt.dwt(T([1, 2, 3, 4, 5, 6], [6], device), 'db1');
      expect(maxDiff(rows(a), [2.12132034, 4.94974747, 7.77817459])).toBeLessThan(1e-8);
      expect(maxDiff(rows(d), [-0.70710678, -0.70710678, -0.70710678])).toBeLessThan(1e-8);
      const c = wt.wavedec(T([1, 2, 3, 4, 5, 6, 7, 8], [8], device), 'db1', { level: 2 });
      expect(maxDiff(rows(c[0]), [5, 13])).toBeLessThan(1e-12);
      expect(maxDiff(rows(c[1]), [-2, -2])).toBeLessThan(1e-12);
      const [sa, sd] = wt.dwt(T([1, 2, 3, 4, 5, 6], [6], device), 'db2', { mode: 'smooth' });
      expect(maxDiff(rows(wt.add(wt.idwt(sa, null, 'db2', { mode: 'smooth' }), wt.idwt(null, sd, 'db2', { mode: 'smooth' }))), [1, 2, 3, 4, 5, 6])).toBeLessThan(1e-12);
    });

    it('odd lengths: idwt gives n + 1 samples as pywt, n crops; periodization repeats the last sample', () => {
      const xs = randomArray(7, 8100);
      for (const mode of ['symmetric', 'periodization'] as Mode[]) {
        const [a, d] = wt.dwt(T(xs, [7], device), 'sym3', { mode });
        const full = rows(wt.idwt(a, d, 'sym3', { mode }));
        expect(full.length).toBe(8);
        expect(maxDiff(full.slice(0, 7), xs)).toBeLessThan(1e-12);
        if (mode === 'periodization') expect(Math.abs(full[7] - xs[6])).toBeLessThan(1e-12);
        expect(maxDiff(rows(wt.idwt(a, d, 'sym3', { mode, n: 7 })), xs)).toBeLessThan(1e-12);
      }
    });

    it('n = 1: reflect, antireflect and smooth extend as constant; every mode gives pywt\'s lengths', () => {
      const x = T([0.75], [1], device);
      const [ca, cd] = wt.dwt(x, 'db3', { mode: 'constant' });
      for (const mode of ['reflect', 'antireflect', 'smooth'] as Mode[]) {
        const [a, d] = wt.dwt(x, 'db3', { mode });
        expect(rows(a)).toEqual(rows(ca));
        expect(rows(d)).toEqual(rows(cd));
      }
      for (const mode of MODES) {
        const [a] = wt.dwt(x, 'db3', { mode });
        expect(a.shape).toEqual([mode === 'periodization' ? 1 : 3]);
        expect(rows(wt.waverec(wt.wavedec(x, 'db3', { mode, level: 3 }), 'db3', { mode, n: 1 }))[0]).toBeCloseTo(0.75, 12);
      }
    });
  });

  describe('stationary transform', () => {
    const swtNames = kernel ? ['db2', 'bior2.2'] : ['haar', 'db2', 'sym4', 'coif2', 'bior2.2', 'bior4.4', 'rbio3.3', 'db10'];
    it.each(swtNames)('%s: swt = dilated circular filtering, iswt inverts it and matches pywt\'s averaging', (name) => {
      const bank = bankOf(name);
      for (const [n, level] of kernel ? [[8, 2], [4, 1]] : [[8, 3], [16, 2], [24, 3], [64, 4], [6, 1], [2, 1]]) {
        const xs = randomArray(n, 9000 + n);
        const ref = swtRef(xs, bank, level);
        const got = wt.swt(T(xs, [n], device), name, { level });
        expect(got.length).toBe(level);
        const scale = maxAbs(xs, ...ref.flat());
        got.forEach((pair, j) => pair.forEach((band, b) => expect(maxDiff(rows(band), ref[j][b])).toBeLessThanOrEqual(BOUND.float64 * scale)));
        expect(maxDiff(rows(wt.iswt(got, name)), xs)).toBeLessThanOrEqual(BOUND.float64 * scale);
        // iswt of arbitrary bands: pywt's per-residue-class algorithm.
        const arbitrary = ref.map(([a, d], j) => [randomArray(a.length, 100 + j), randomArray(d.length, 200 + j)].map((v) => Array.from(v)));
        const tensors = arbitrary.map((p) => p.map((v) => T(v, [n], device)));
        const expected = iswtRef(arbitrary, bank);
        expect(maxDiff(rows(wt.iswt(tensors, name)), expected)).toBeLessThanOrEqual(BOUND.float64 * maxAbs(...arbitrary.flat(), expected));
      }
    });

    it('swt of a batch along axis 0; the default level is the number of times 2 divides n', () => {
      const data = randomArray(12 * 2, 9100);
      const x = T(data, [12, 2], device);
      const got = wt.swt(x, 'db2', { axis: 0 });
      expect(got.length).toBe(2);
      for (let k = 0; k < 2; k++) {
        const sig = Array.from({ length: 12 }, (_, j) => data[j * 2 + k]);
        const ref = swtRef(sig, bankOf('db2'), 2);
        const v = rows(got[0][1]);
        expect(maxDiff(Array.from({ length: 12 }, (_, j) => v[j * 2 + k]), ref[0][1])).toBeLessThan(1e-12);
      }
      expect(maxDiff(rows(wt.iswt(got, 'db2', { axis: 0 })), data)).toBeLessThan(1e-12);
    });
  });

  describe('2-D transforms', () => {
    /** The separable reference: the 1-D reference along axis 0 (rows of the matrix), then axis 1. */
    function dwt2Ref(x: number[][], name: string, mode: Mode): number[][][] {
      const bank = bankOf(name);
      const cols = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));
      const [lo, hi] = ((): [number[][], number[][]] => {
        const per = cols(x).map((c) => dwtRef(c, bank, mode));
        return [cols(per.map((p) => p[0])), cols(per.map((p) => p[1]))];
      })();
      const along1 = (m: number[][]) => {
        const per = m.map((r) => dwtRef(r, bank, mode));
        return [per.map((p) => p[0]), per.map((p) => p[1])];
      };
      const [ll, lh] = along1(lo);
      const [hl, hh] = along1(hi);
      return [ll, hl, lh, hh];
    }

    it('dwt2 = the 1-D transform along axes[0] then axes[1], bands (cA, (cH, cV, cD)); idwt2 and waverec2 invert', () => {
      const [h, w] = kernel ? [5, 6] : [9, 14];
      const data = randomArray(h * w, 9200);
      const m = Array.from({ length: h }, (_, i) => Array.from(data.slice(i * w, (i + 1) * w)));
      for (const mode of kernel ? (['symmetric', 'periodization'] as Mode[]) : MODES) {
        const ref = dwt2Ref(m, 'db2', mode);
        const [cA, details] = wt.dwt2(T(data, [h, w], device), 'db2', { mode });
        [cA, ...details].forEach((band, b) => expect(maxDiff(rows(band), ref[b].flat())).toBeLessThan(1e-12));
        const back = rows(wt.idwt2([cA, details], 'db2', { mode }));
        const bh = mode === 'periodization' ? 2 * Math.ceil(h / 2) : h + (h % 2);
        const bw = mode === 'periodization' ? 2 * Math.ceil(w / 2) : w + (w % 2);
        expect(back.length).toBe(bh * bw);
        for (let i = 0; i < h; i++) expect(maxDiff(back.slice(i * bw, i * bw + w), m[i])).toBeLessThan(1e-12);
        const coeffs = wt.wavedec2(T(data, [h, w], device), 'db2', { mode, level: 2 });
        expect(coeffs.length).toBe(3);
        const rec = wt.waverec2(coeffs, 'db2', { mode });
        const [rh, rw] = rec.shape;
        expect([rh - h, rw - w]).toEqual([h % 2, w % 2]);
        const rv = rows(rec);
        for (let i = 0; i < h; i++) expect(maxDiff(rv.slice(i * rw, i * rw + w), m[i])).toBeLessThan(1e-12);
      }
    });

    it('axes and batching: dwt2 over axes [0, 2] of [h, 2, w] equals each slice; null bands are zeros', () => {
      const [h, w] = [6, 5];
      const data = randomArray(h * 2 * w, 9300);
      const x = T(data, [h, 2, w], device);
      const [cA, ds] = wt.dwt2(x, 'haar', { axes: [0, 2], mode: 'periodization' });
      for (let b = 0; b < 2; b++) {
        const m = Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => data[(i * 2 + b) * w + j]));
        const ref = dwt2Ref(m, 'haar', 'periodization');
        const got = [cA, ...ds].map((t) => {
          const v = rows(t);
          const [H, , W] = t.shape;
          return Array.from({ length: H * W }, (_, k) => v[(Math.floor(k / W) * 2 + b) * W + (k % W)]);
        });
        got.forEach((band, k) => expect(maxDiff(band, ref[k].flat())).toBeLessThan(1e-12));
      }
      const withNull = wt.idwt2([cA, [null, ds[1], null]], 'haar', { axes: [0, 2], mode: 'periodization' });
      const withZeros = wt.idwt2([cA, [wt.zerosLike(ds[0]), ds[1], wt.zerosLike(ds[2])]], 'haar', { axes: [0, 2], mode: 'periodization' });
      expect(maxDiff(rows(withNull), rows(withZeros))).toBe(0);
    });
  });

  describe('gradients (gradcheck, float64)', () => {
    const rand = (shape: number[], seed: number) => T(randomArray(shape.reduce((a, b) => a * b, 1), seed), shape, device);
    const gradModes: Mode[] = kernel ? ['symmetric', 'periodization'] : MODES;
    it('dwt and idwt, every mode, odd and even lengths', () => {
      for (const mode of gradModes)
        for (const n of kernel ? [5] : [1, 5, 8]) {
          expectGrad((x) => wt.add(weightedSum(wt.dwt(x, 'db2', { mode })[0], 1), weightedSum(wt.dwt(x, 'db2', { mode })[1], 2)), [rand([2, n], 10 + n)]);
          const N = wt.dwtCoeffLength(n, 'db2', mode);
          expectGrad((a, d) => weightedSum(wt.idwt(a, d, 'db2', { mode }), 3), [rand([2, N], 20 + n), rand([2, N], 30 + n)]);
        }
    });
    it('wavedec and waverec (with n), bior4.4, along a leading axis', () => {
      for (const mode of gradModes) {
        expectGrad((x) => wt.wavedec(x, 'bior4.4', { mode, level: 2, axis: 0 }).reduce((acc, c, i) => wt.add(acc, weightedSum(c, 40 + i)), wt.zeros([], { dtype: 'float64', device })), [rand([9, 2], 41)]);
        const shapes = wt.wavedec(rand([9], 1), 'bior4.4', { mode, level: 2 }).map((c) => c.shape[0]);
        expectGrad((...cs) => weightedSum(wt.waverec(cs, 'bior4.4', { mode, n: 9 }), 50), shapes.map((s, i) => rand([s], 51 + i)));
      }
    });
    it('swt and iswt', () => {
      expectGrad((x) => wt.swt(x, 'db2', { level: 2 }).flat().reduce((acc, c, i) => wt.add(acc, weightedSum(c, 60 + i)), wt.zeros([], { dtype: 'float64', device })), [rand([8], 61)]);
      expectGrad((a2, d2, a1, d1) => weightedSum(wt.iswt([[a2, d2], [a1, d1]], 'db2'), 62), [rand([8], 63), rand([8], 64), rand([8], 65), rand([8], 66)]);
    });
    it('dwt2, idwt2, wavedec2, waverec2', () => {
      for (const mode of kernel ? (['symmetric'] as Mode[]) : (['symmetric', 'periodization', 'antireflect'] as Mode[])) {
        expectGrad((x) => {
          const [a, ds] = wt.dwt2(x, 'db2', { mode });
          return [a, ...ds].reduce((acc, c, i) => wt.add(acc, weightedSum(c, 70 + i)), wt.zeros([], { dtype: 'float64', device }));
        }, [rand([5, 4], 71)]);
        const [a0, ds0] = wt.dwt2(rand([5, 4], 1), 'db2', { mode });
        expectGrad((a, h, v, d) => weightedSum(wt.idwt2([a, [h, v, d]], 'db2', { mode }), 72), [a0, ...ds0].map((t, i) => rand(t.shape, 73 + i)));
        expectGrad((x) => weightedSum(wt.waverec2(wt.wavedec2(x, 'haar', { mode, level: 2 }), 'haar', { mode }), 74), [rand([6, 4], 75)]);
      }
    });
  });
});
