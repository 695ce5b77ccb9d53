// The FFT family (rfft, irfft, fft, ifft, xcorr) on every device: values against float64
// references written here (a compensated naive DFT; a recursive radix-2 FFT for long powers of
// two), the accuracy bounds, numpy's n / axis / norm semantics, gradcheck, bad input.
import * as wt from '../lib';
import { testDevices, randomArray, relRms } from './helpers';
import { T, values, expectCode, weights, weightedSum, expectGrad } from './ndref';

const devices = testDevices();
// The lengths, plus radix-11 plans (121, 2310), a Bluestein length with a short inner plan
// (13), lengths the CUDA kernels run four-step with radix 3 and 11 (3072, 7700), and long lengths with
// no split into two one-block factors, which the CUDA kernels run one global pass per radix (343750 in
// float32, 235298 in float64).
const LENGTHS = [1, 2, 3, 5, 7, 8, 12, 13, 15, 16, 17, 97, 100, 121, 127, 128, 243, 256, 625, 1000, 1024, 2048,
  2310, 3072, 4096, 4099, 7700, 8192, 65536, 235298, 343750];
const NORMS: wt.FftNorm[] = ['backward', 'ortho', 'forward'];

// ---------------------------------------------------------------- float64 references

/** Interleaved complex rows. */
type Cx = Float64Array;

/** cos, sin of 2πr/n for r < n, from exact integer fractions. */
function roots(n: number): [Float64Array, Float64Array] {
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    c[r] = Math.cos((2 * Math.PI * r) / n);
    s[r] = Math.sin((2 * Math.PI * r) / n);
  }
  return [c, s];
}

/**
 * y[k] = Σ_j x[j]·e^{sign·2πi·jk/n} for k < bins, per row, with Kahan-compensated sums so the
 * reference is accurate to a few ulps at every length tested with it.
 */
function naiveDft(x: Cx, rows: number, n: number, sign: number, bins = n): Cx {
  const [c, s] = roots(n);
  const y = new Float64Array(2 * rows * bins);
  for (let r = 0; r < rows; r++) {
    const base = 2 * r * n;
    for (let k = 0; k < bins; k++) {
      let re = 0, im = 0, cre = 0, cim = 0;
      let idx = 0;
      for (let j = 0; j < n; j++) {
        const xr = x[base + 2 * j], xi = x[base + 2 * j + 1];
        const wr = c[idx], wi = sign * s[idx];
        const tr = xr * wr - xi * wi - cre;
        const sr = re + tr;
        cre = sr - re - tr;
        re = sr;
        const ti = xr * wi + xi * wr - cim;
        const si = im + ti;
        cim = si - im - ti;
        im = si;
        idx += k;
        if (idx >= n) idx -= n;
      }
      y[2 * (r * bins + k)] = re;
      y[2 * (r * bins + k) + 1] = im;
    }
  }
  return y;
}

/**
 * Recursive mixed-radix decimation in time in float64 (any composite n): with p the smallest prime
 * factor and m = n/p, X[k] = Σ_{r<p} e^{sign·2πi·rk/n}·DFT_m(x[r], x[r+p], …)[k mod m]; twiddles
 * come straight from cos/sin of exact fractions, so the error grows like log n.
 */
function mixedRadix(x: Cx, rows: number, n: number, sign: number): Cx {
  const [c, s] = roots(n);
  const smallestFactor = (len: number) => {
    for (let p = 2; p * p <= len; p++) if (len % p === 0) return p;
    return len;
  };
  // DFT of len values src[off + 2·stride·j] into dst[doff…]; stride counts complex values of the row.
  const rec = (src: Float64Array, off: number, stride: number, len: number, dst: Float64Array, doff: number) => {
    if (len === 1) {
      dst[doff] = src[off];
      dst[doff + 1] = src[off + 1];
      return;
    }
    const p = smallestFactor(len), m = len / p, step = n / len;
    const sub = new Float64Array(2 * len);
    for (let r = 0; r < p; r++) rec(src, off + 2 * r * stride, p * stride, m, sub, 2 * r * m);
    for (let k = 0; k < len; k++) {
      let re = 0, im = 0;
      for (let r = 0; r < p; r++) {
        const idx = ((r * k) % len) * step;
        const wr = c[idx], wi = sign * s[idx];
        const vr = sub[2 * (r * m + (k % m))], vi = sub[2 * (r * m + (k % m)) + 1];
        re += vr * wr - vi * wi;
        im += vr * wi + vi * wr;
      }
      dst[doff + 2 * k] = re;
      dst[doff + 2 * k + 1] = im;
    }
  };
  const y = new Float64Array(2 * rows * n);
  for (let r = 0; r < rows; r++) rec(x, 2 * r * n, 1, n, y, 2 * r * n);
  return y;
}

/** The forward (sign −1) or unscaled inverse (+1) DFT, first `bins` bins. */
function dft(x: Cx, rows: number, n: number, sign: number, bins = n): Cx {
  if (n > 4099) {
    const full = mixedRadix(x, rows, n, sign);
    if (bins === n) return full;
    const y = new Float64Array(2 * rows * bins);
    for (let r = 0; r < rows; r++) y.set(full.subarray(2 * r * n, 2 * r * n + 2 * bins), 2 * r * bins);
    return y;
  }
  return naiveDft(x, rows, n, sign, bins);
}

function complexOfReal(x: ArrayLike<number>): Cx {
  const z = new Float64Array(2 * x.length);
  for (let i = 0; i < x.length; i++) z[2 * i] = x[i];
  return z;
}

/** Values rounded to float32, so one float64 reference serves both precisions. */
function f32Values(n: number, seed: number): Float64Array {
  return Float64Array.from(Float32Array.from(randomArray(n, seed)));
}

const scaled = (a: ArrayLike<number>, s: number) => Float64Array.from(a, (v) => v * s);
const bound = (dtype: 'float32' | 'float64', n: number) =>
  dtype === 'float32' ? 2e-7 * Math.log2(n) + 1e-7 : 5e-16 * Math.log2(n) + 5e-16;
const rowsFor = (n: number) => (n <= 256 ? 9 : n <= 4099 ? 3 : 1);  // 9 rows: a full SIMD pack plus a partial one
const realDtypes: ('float32' | 'float64')[] = ['float32', 'float64'];
const complexOf = (d: 'float32' | 'float64'): wt.DType => (d === 'float32' ? 'complex64' : 'complex128');

/** A weighted sum of every real and imaginary part, so each gets its own cotangent. */
function loss(y: wt.Tensor, seed: number): wt.Tensor {
  if (y.dtype === 'complex128') {
    const w = wt.tensor(weights(2 * y.size, seed), y.shape, { dtype: 'complex128', device: y.device });
    return wt.sum(wt.real(wt.mul(y, w)));
  }
  return weightedSum(y, seed);
}

const FFT_GRAD_TOL = { atol: 1e-6, rtol: 1e-5 };

describe.each(devices)('fft on %s', (device) => {
  const rand = (shape: number[], seed: number, dtype: wt.DType = 'float64') =>
    T(randomArray(shape.reduce((a, b) => a * b, 1), seed), shape, device, dtype);

  afterEach(() => wt.sync());

  describe('accuracy against float64 references (relative RMS)', () => {
    it.each(LENGTHS)('n = %i: rfft, irfft, fft, ifft within the issue bounds', (n) => {
      const rows = rowsFor(n);
      const bins = Math.floor(n / 2) + 1;
      const xr = f32Values(rows * n, n);
      const xc = f32Values(2 * rows * n, n + 1);
      const refR = dft(complexOfReal(xr), rows, n, -1, bins);
      const refF = dft(xc, rows, n, -1);
      const refI = scaled(dft(xc, rows, n, +1), 1 / n);
      for (const dtype of realDtypes) {
        const tol = bound(dtype, n);
        wt.tidy(() => {
          const x = T(xr, [rows, n], device, dtype);
          const z = T(xc, [rows, n], device, complexOf(dtype));
          const X = wt.rfft(x);
          expect(X.shape).toEqual([rows, bins]);
          expect(X.dtype).toBe(complexOf(dtype));
          expect(relRms(values(X), refR)).toBeLessThanOrEqual(tol);
          expect(relRms(values(wt.fft(z)), refF)).toBeLessThanOrEqual(tol);
          expect(relRms(values(wt.ifft(z)), refI)).toBeLessThanOrEqual(tol);
          // irfft of the exact spectrum returns the signal; round trip through our own rfft too.
          const Xref = T(refR, [rows, bins], device, complexOf(dtype));
          expect(relRms(values(wt.irfft(Xref, { n })), xr)).toBeLessThanOrEqual(tol);
          expect(relRms(values(wt.irfft(X, { n })), xr)).toBeLessThanOrEqual(tol);
        });
      }
    });

    if (device !== 'cpu')
      it.each([1, 2, 3, 5, 7, 8, 12, 15, 16, 17, 97, 100, 127, 128, 243, 256, 625, 1000, 1024, 2048, 4096, 4099, 8192, 65536])(
        'n = %i: agrees with the cpu device (rfft, fft, ifft, irfft round trip)',
        (n) => {
          const rows = n > 4099 ? 1 : 2;
          const xr = f32Values(rows * n, 3 * n);
          const xc = f32Values(2 * rows * n, 3 * n + 1);
          for (const dtype of realDtypes) {
            const tol = bound(dtype, n);
            wt.tidy(() => {
              const on = (d: string) => {
                const x = T(xr, [rows, n], d, dtype);
                const z = T(xc, [rows, n], d, complexOf(dtype));
                return [wt.rfft(x), wt.fft(z), wt.ifft(z, { norm: 'ortho' }), wt.irfft(wt.rfft(x), { n })].map(values);
              };
              const got = on(device);
              const want = on('cpu');
              for (let i = 0; i < got.length; i++) expect(relRms(got[i], want[i])).toBeLessThanOrEqual(tol);
              expect(relRms(got[3], xr)).toBeLessThanOrEqual(tol);
            });
          }
        },
      );

    it('irfft ignores the imaginary parts of the DC and (even n) Nyquist bins, as numpy does', () => {
      for (const n of [6, 7]) {
        const bins = Math.floor(n / 2) + 1;
        const spec = randomArray(2 * bins, 3);
        const herm = new Float64Array(2 * n);
        for (let k = 0; k < n; k++) {
          const src = k < bins ? k : n - k;
          herm[2 * k] = spec[2 * src];
          herm[2 * k + 1] = src === 0 || 2 * src === n ? 0 : k < bins ? spec[2 * src + 1] : -spec[2 * src + 1];
        }
        const ref = scaled(dft(herm, 1, n, +1), 1 / n).filter((_, i) => i % 2 === 0);
        const y = wt.irfft(T(spec, [bins], device, 'complex128'), { n });
        expect(relRms(values(y), ref)).toBeLessThan(1e-15);
      }
    });
  });

  describe('numpy semantics', () => {
    it('round-trips irfft(rfft(x), n) for every n up to 64, odd included, and every norm', () => {
      for (let n = 1; n <= 64; n++)
        for (const norm of NORMS)
          wt.tidy(() => {
            const x = rand([3, n], n);
            const y = wt.irfft(wt.rfft(x, { norm }), { n, norm });
            expect(relRms(values(y), values(x))).toBeLessThanOrEqual(bound('float64', n));
          });
    });

    it.each([8, 15])('places 1/n by norm (n = %i) for all four transforms', (n) => {
      const xr = randomArray(2 * n, 5);
      const xc = randomArray(4 * n, 6);
      const fwd = dft(complexOfReal(xr), 2, n, -1, Math.floor(n / 2) + 1);
      const fwdC = dft(xc, 2, n, -1);
      const invC = dft(xc, 2, n, +1);
      for (const norm of NORMS) {
        const sf = norm === 'backward' ? 1 : norm === 'ortho' ? 1 / Math.sqrt(n) : 1 / n;
        const si = norm === 'forward' ? 1 : norm === 'ortho' ? 1 / Math.sqrt(n) : 1 / n;
        wt.tidy(() => {
          const x = T(xr, [2, n], device);
          const z = T(xc, [2, n], device, 'complex128');
          expect(relRms(values(wt.rfft(x, { norm })), scaled(fwd, sf))).toBeLessThan(1e-14);
          expect(relRms(values(wt.fft(z, { norm })), scaled(fwdC, sf))).toBeLessThan(1e-14);
          expect(relRms(values(wt.ifft(z, { norm })), scaled(invC, si))).toBeLessThan(1e-14);
          expect(relRms(values(wt.ifft(wt.fft(z, { norm }), { norm })), xc)).toBeLessThan(1e-14);
        });
      }
    });

    it('crops or zero-pads the input to n (rfft, fft) and the bins to n/2+1 (irfft)', () => {
      const xr = randomArray(2 * 10, 7);
      const row = (a: Float64Array, r: number, len: number) => a.subarray(r * len, (r + 1) * len);
      for (const n of [4, 7, 10, 13, 16]) {
        const cut = new Float64Array(2 * n);
        for (let r = 0; r < 2; r++) cut.set(row(xr, r, 10).subarray(0, Math.min(n, 10)), r * n);
        const bins = Math.floor(n / 2) + 1;
        const ref = dft(complexOfReal(cut), 2, n, -1, bins);
        wt.tidy(() => {
          const x = T(xr, [2, 10], device);
          const X = wt.rfft(x, { n });
          expect(X.shape).toEqual([2, bins]);
          expect(relRms(values(X), ref)).toBeLessThan(1e-14);
          expect(relRms(values(wt.fft(wt.cast(x, 'complex128'), { n })), dft(complexOfReal(cut), 2, n, -1))).toBeLessThan(1e-14);
          expect(relRms(values(wt.fft(x, { n })), dft(complexOfReal(cut), 2, n, -1))).toBeLessThan(1e-14);
          // irfft with n: the 6 bins of a length-10 spectrum cropped or padded to n/2+1.
          const spec = wt.rfft(x);
          const specVals = values(spec);
          const herm = new Float64Array(2 * 2 * n);
          for (let r = 0; r < 2; r++)
            for (let k = 0; k < n; k++) {
              const src = k < bins ? k : n - k;
              const re = src < 6 ? specVals[2 * (r * 6 + src)] : 0;
              const im = src < 6 && src !== 0 && 2 * src !== n ? specVals[2 * (r * 6 + src) + 1] : 0;
              herm[2 * (r * n + k)] = re;
              herm[2 * (r * n + k) + 1] = k < bins ? im : -im;
            }
          const refI = scaled(dft(herm, 2, n, +1), 1 / n).filter((_, i) => i % 2 === 0);
          expect(relRms(values(wt.irfft(spec, { n })), refI)).toBeLessThan(1e-14);
        });
      }
    });

    it('transforms along any axis, batched over the others', () => {
      const shape = [5, 6, 7];
      const x = rand(shape, 8);
      const xs = values(x);
      for (const axis of [0, 1, 2, -1, -3]) {
        const a = axis < 0 ? axis + 3 : axis;
        const n = shape[a];
        const bins = Math.floor(n / 2) + 1;
        const others = [0, 1, 2].filter((i) => i !== a);
        // Gather the lines along `a`, transform them with the reference, scatter back.
        const lines = shape[others[0]] * shape[others[1]];
        const flat = new Float64Array(lines * n);
        const strides = [42, 7, 1];
        const lineBase = (l: number) => Math.floor(l / shape[others[1]]) * strides[others[0]] + (l % shape[others[1]]) * strides[others[1]];
        for (let l = 0; l < lines; l++) for (let j = 0; j < n; j++) flat[l * n + j] = xs[lineBase(l) + j * strides[a]];
        const ref = dft(complexOfReal(flat), lines, n, -1, bins);
        const X = wt.rfft(x, { axis });
        const outShape = shape.slice();
        outShape[a] = bins;
        expect(X.shape).toEqual(outShape);
        const got = values(wt.contiguous(X));
        const outStrides = [outShape[1] * outShape[2], outShape[2], 1];
        const want = new Float64Array(got.length);
        const outBase = (l: number) => Math.floor(l / outShape[others[1]]) * outStrides[others[0]] + (l % outShape[others[1]]) * outStrides[others[1]];
        for (let l = 0; l < lines; l++)
          for (let k = 0; k < bins; k++) {
            want[2 * (outBase(l) + k * outStrides[a])] = ref[2 * (l * bins + k)];
            want[2 * (outBase(l) + k * outStrides[a]) + 1] = ref[2 * (l * bins + k) + 1];
          }
        expect(relRms(got, want)).toBeLessThan(1e-14);
        expect(relRms(values(wt.irfft(X, { axis, n })), xs)).toBeLessThan(1e-14);
      }
    });
  });

  describe('gradients (gradcheck, float64)', () => {
    const cases: [number, number | undefined][] = [
      [8, undefined],
      [7, undefined],
      [6, 9],
      [9, 4],
    ];
    it.each(cases)('rfft, len %i, n %p, every norm', (len, n) => {
      for (const norm of NORMS) expectGrad((x) => loss(wt.rfft(x, { n, norm }), 1), [rand([2, len], 11)], FFT_GRAD_TOL);
    });
    it.each(cases)('irfft, bins %i, n %p, every norm', (bins, n) => {
      for (const norm of NORMS)
        expectGrad((re, im) => loss(wt.irfft(wt.complex(re, im), { n: n ?? 2 * bins - 1, norm }), 2), [rand([2, bins], 12), rand([2, bins], 13)], FFT_GRAD_TOL);
      expectGrad((re, im) => loss(wt.irfft(wt.complex(re, im)), 2), [rand([2, bins], 12), rand([2, bins], 13)], FFT_GRAD_TOL);
    });
    it.each(cases)('fft and ifft, len %i, n %p, every norm', (len, n) => {
      for (const norm of NORMS) {
        expectGrad((re, im) => loss(wt.fft(wt.complex(re, im), { n, norm }), 3), [rand([2, len], 14), rand([2, len], 15)], FFT_GRAD_TOL);
        expectGrad((re, im) => loss(wt.ifft(wt.complex(re, im), { n, norm }), 4), [rand([2, len], 16), rand([2, len], 17)], FFT_GRAD_TOL);
      }
      expectGrad((x) => loss(wt.fft(x, { n }), 5), [rand([2, len], 18)], FFT_GRAD_TOL);
    });
    it('rfft along a leading axis', () => {
      expectGrad((x) => loss(wt.rfft(x, { axis: 0, n: 5 }), 6), [rand([4, 3], 19)], FFT_GRAD_TOL);
    });
    it('xcorr, linear with broadcasting and circular, even and odd lengths', () => {
      expectGrad((a, b) => loss(wt.xcorr(a, b, { maxLag: 3 }), 7), [rand([2, 1, 5], 20), rand([3, 6], 21)], FFT_GRAD_TOL);
      expectGrad((a, b) => loss(wt.xcorr(a, b, { mode: 'circular' }), 8), [rand([2, 6], 22), rand([6], 23)], FFT_GRAD_TOL);
      expectGrad((a, b) => loss(wt.xcorr(a, b, { mode: 'circular', maxLag: 2 }), 9), [rand([7], 24), rand([7], 25)], FFT_GRAD_TOL);
    });
    it('second order: the backward functions of rfft and irfft are differentiable', () => {
      // f(w) = <V, d/dx L(x, w)> with L = <u, irfft(rfft(x)·rfft(w))>: the inner gradient runs the
      // backward functions of irfft, mul and rfft, which the outer gradient differentiates in w.
      const x = rand([6], 26);
      const u = T(weights(6, 27), [6], device);
      const V = T(weights(6, 28), [6], device);
      const f = (w: wt.Tensor) => {
        const gx = wt.grad((xx: wt.Tensor) => wt.sum(wt.mul(wt.irfft(wt.mul(wt.rfft(xx), wt.rfft(w)), { n: 6 }), u)))(x);
        return wt.sum(wt.mul(gx, V));
      };
      expectGrad(f, [rand([6], 29)], FFT_GRAD_TOL);
    });
  });

  describe('xcorr', () => {
    /** c[k] = Σ_t a[t+k]·b[t], zero outside (linear) or wrapped (circular). */
    function refXcorr(a: Float64Array, b: Float64Array, maxLag: number, circular: boolean): number[] {
      const out: number[] = [];
      for (let k = -maxLag; k <= maxLag; k++) {
        let s = 0;
        for (let t = 0; t < b.length; t++) {
          let i = t + k;
          if (circular) i = ((i % a.length) + a.length) % a.length;
          if (i >= 0 && i < a.length) s += a[i] * b[t];
        }
        out.push(s);
      }
      return out;
    }

    it('matches the direct sum for every lag, both modes, broadcasting leading axes', () => {
      const A = randomArray(2 * 13, 30);
      const B = randomArray(3 * 9, 31);
      const c = wt.xcorr(T(A, [2, 1, 13], device), T(B, [3, 9], device), { maxLag: 15 });
      expect(c.shape).toEqual([2, 3, 31]);
      const got = values(c);
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++) {
          const want = refXcorr(A.subarray(13 * i, 13 * i + 13), B.subarray(9 * j, 9 * j + 9), 15, false);
          expect(relRms(got.slice(31 * (3 * i + j), 31 * (3 * i + j + 1)), want)).toBeLessThan(1e-14);
        }
      const a = randomArray(10, 32);
      const b = randomArray(10, 33);
      for (const maxLag of [0, 3, 5, 12]) {
        const cc = wt.xcorr(T(a, [10], device), T(b, [10], device), { maxLag, mode: 'circular' });
        expect(relRms(values(cc), refXcorr(a, b, maxLag, true))).toBeLessThan(1e-14);
      }
      expect(wt.xcorr(T(a, [10], device), T(b, [10], device)).shape).toEqual([19]);
      expect(wt.xcorr(T(a, [10], device), T(b, [10], device), { mode: 'circular' }).shape).toEqual([11]);
    });

    it('peaks at +k when a is b delayed by k (the sign convention), in float32 too', () => {
      const b = randomArray(64, 34);
      const a = new Float64Array(64);
      for (let t = 5; t < 64; t++) a[t] = b[t - 5];
      for (const dtype of realDtypes) {
        const c = values(wt.xcorr(T(a, [64], device, dtype), T(b, [64], device, dtype), { maxLag: 10 }));
        expect(c.indexOf(Math.max(...c))).toBe(10 + 5);
      }
    });
  });

  describe('bad input', () => {
    it('throws WavetapeErrors with the right codes', () => {
      const x = rand([2, 8], 40);
      const X = wt.rfft(x);
      expectCode(() => wt.rfft(x, { n: 0 }), 'E_RANGE', /rfft: argument 'n' = 0/);
      expectCode(() => wt.irfft(X, { n: -3 }), 'E_RANGE', /irfft: argument 'n'/);
      expectCode(() => wt.fft(X, { n: 2.5 }), 'E_RANGE', /fft: argument 'n'/);
      expectCode(() => wt.rfft(x, { axis: 2 }), 'E_RANGE', /rfft: argument 'axis' = 2/);
      expectCode(() => wt.ifft(X, { axis: -3 }), 'E_RANGE', /ifft: argument 'axis'/);
      expectCode(() => wt.rfft(X), 'E_DTYPE', /rfft: argument 'x' must be float32 or float64; got complex128/);
      expectCode(() => wt.irfft(x), 'E_DTYPE', /irfft: argument 'x' must be complex64 or complex128; got float64/);
      expectCode(() => wt.rfft(T([1, 2], [2], device, 'int32')), 'E_DTYPE', /rfft/);
      expectCode(() => wt.fft(T([1, 2], [2], device, 'int32')), 'E_DTYPE', /fft/);
      expectCode(() => wt.irfft(wt.rfft(rand([3, 1], 41))), 'E_SHAPE', /irfft: .*1 bin/);
      expectCode(() => wt.rfft(rand([2, 0], 42)), 'E_SHAPE', /rfft: .*length 0/);
      expectCode(() => wt.rfft(T([1], [], device)), 'E_SHAPE', /rfft: .*scalar/);
      expectCode(() => wt.rfft(x, { norm: 'none' as wt.FftNorm }), 'E_RANGE', /rfft: argument 'norm'/);
      expectCode(() => wt.rfft(x, { n: 2 ** 31 }), 'E_RANGE', /rfft: argument 'n'/);
      expectCode(() => wt.xcorr(x, rand([2, 9], 43), { mode: 'circular' }), 'E_SHAPE', /xcorr: mode 'circular'/);
      expectCode(() => wt.xcorr(x, x, { maxLag: -1 }), 'E_RANGE', /xcorr: argument 'maxLag'/);
      expectCode(() => wt.xcorr(x, X), 'E_DTYPE', /xcorr: argument 'b'/);
      expectCode(() => wt.xcorr(x, rand([3, 8], 44)), 'E_SHAPE', /broadcast/);
    });

    it('leaves no live tensors behind', () => {
      const before = wt.memory().tensors;
      wt.tidy(() => {
        const x = rand([3, 12], 45);
        values(wt.irfft(wt.rfft(x), { n: 12 }));
        values(wt.xcorr(x, x, { maxLag: 4 }));
        wt.grad((t: wt.Tensor) => wt.sum(wt.abs2(wt.rfft(t))))(x);
      });
      expect(wt.memory().tensors).toBe(before);
    });
  });
});
