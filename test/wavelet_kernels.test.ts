// The native wavelet kernels (lib/ops/wavelet_native.ts) on every device against an independent
// float64 reference written here: pywt's filter bank (direct convolution with the mode's extension
// built block by block as pywt's loops walk it) from the full-precision filter table, multilevel as
// pywt's wavedec/waverec; the gradients by gradcheck and by the dot test <A x, y> = <x, Aᵀ y>.
import * as wt from '../lib';
import { liftingWavedec, liftingWaverec, WAVELET_MODES, type WaveletMode } from '../lib/ops/wavelet_native';
import { liftingFactorisation } from '../lib/wavelets/lifting';
import { waveletFilters } from '../lib/wavelets/catalog';
import { expectClose, isKernelDevice, randomArray, testDevices } from './helpers';
import { maxAbs } from './wavelet_reference';

type Vec = Float64Array;

// ---- reference: pywt's extension, generated outward from each edge in pywt's blocks ----

/** The `count` samples left of x (index −1, −2, …) as pywt's left-overhang loops produce them. */
function leftExtension(x: Vec, count: number, mode: WaveletMode): number[] {
  const n = x.length;
  const out: number[] = [];
  const push = (v: number) => out.length < count && out.push(v);
  if ((mode === 'reflect' || mode === 'antireflect' || mode === 'smooth') && n === 1) mode = 'constant';
  while (out.length < count) {
    switch (mode) {
      case 'zero': push(0); break;
      case 'constant': push(x[0]); break;
      case 'smooth': push(x[0] + (out.length + 1) * (x[0] - x[1])); break;
      case 'periodic': for (let k = 0; k < n; k++) push(x[n - 1 - k]); break;
      case 'symmetric':
        for (let k = 0; k < n; k++) push(x[k]);
        for (let k = 0; k < n; k++) push(x[n - 1 - k]);
        break;
      case 'antisymmetric':
        for (let k = 0; k < n; k++) push(-x[k]);
        for (let k = 0; k < n; k++) push(x[n - 1 - k]);
        break;
      case 'reflect':
        for (let k = 1; k < n; k++) push(x[k]);
        for (let k = 1; k < n; k++) push(x[n - 1 - k]);
        break;
      case 'antireflect': {
        let edge = out.length === 0 ? x[0] : out[out.length - 1];
        for (let k = 1; k < n; k++) push(edge - (x[k] - x[0]));
        edge = out[out.length - 1];
        for (let k = 1; k < n; k++) push(edge + (x[n - 1 - k] - x[n - 1]));
        break;
      }
      default: throw new Error(mode);
    }
  }
  return out;
}

/** x extended by `pad` samples on each side: ext[pad + i] = x[i]. */
function extended(x: Vec, pad: number, mode: WaveletMode): number[] {
  const left = leftExtension(x, pad, mode);
  // The right side is the left side of the reversed signal (periodic: x's start, repeated).
  const right = mode === 'periodic' ? Array.from({ length: pad }, (_, k) => x[k % x.length]) : leftExtension(Float64Array.from(x).reverse(), pad, mode);
  return [...left.reverse(), ...x, ...right];
}

/** pywt.dwt(x, w, mode): cA[o] = Σ_j decLo[j]·xe[2o + 1 − j] (periodization: circular at 2o + L/2). */
function refDwt(x: Vec, w: string, mode: WaveletMode): [Vec, Vec] {
  const f = waveletFilters(w);
  const L = f.decLo.length;
  if (mode === 'periodization') {
    const xp = x.length % 2 ? [...x, x[x.length - 1]] : [...x];
    const np = xp.length, m = np / 2;
    const a = new Float64Array(m), d = new Float64Array(m);
    for (let o = 0; o < m; o++)
      for (let j = 0; j < L; j++) {
        const v = xp[(((2 * o + L / 2 - j) % np) + np) % np];
        a[o] += f.decLo[j] * v;
        d[o] += f.decHi[j] * v;
      }
    return [a, d];
  }
  const m = Math.floor((x.length + L - 1) / 2);
  const pad = L + 2;
  const xe = extended(x, pad, mode);
  const a = new Float64Array(m), d = new Float64Array(m);
  for (let o = 0; o < m; o++)
    for (let j = 0; j < L; j++) {
      const v = xe[pad + 2 * o + 1 - j];
      a[o] += f.decLo[j] * v;
      d[o] += f.decHi[j] * v;
    }
  return [a, d];
}

/** pywt.idwt(cA, cD, w, mode): the upsampled convolution's valid part (periodization: circular). */
function refIdwt(a: Vec, d: Vec, w: string, mode: WaveletMode): Vec {
  const f = waveletFilters(w);
  const L = f.recLo.length, m = a.length;
  if (mode === 'periodization') {
    const n = 2 * m, out = new Float64Array(n);
    for (let t = 0; t < n; t++)
      for (let i = 0; i < m; i++)
        for (let k = 0; k < L; k++)
          if ((((k - (t + L / 2 - 1 - 2 * i)) % n) + n) % n === 0) out[t] += a[i] * f.recLo[k] + d[i] * f.recHi[k];
    return out;
  }
  const n = 2 * m - L + 2, out = new Float64Array(n);
  for (let t = 0; t < n; t++)
    for (let i = 0; i < m; i++) {
      const k = t + L - 2 - 2 * i;
      if (k >= 0 && k < L) out[t] += a[i] * f.recLo[k] + d[i] * f.recHi[k];
    }
  return out;
}

function refWavedec(x: Vec, w: string, mode: WaveletMode, level: number): Vec[] {
  const ds: Vec[] = [];
  let a = x;
  for (let l = 0; l < level; l++) {
    const [ca, cd] = refDwt(a, w, mode);
    ds.unshift(cd);
    a = ca;
  }
  return [a, ...ds];
}

function refWaverec(coeffs: Vec[], w: string, mode: WaveletMode): Vec {
  let a = coeffs[0];
  for (const d of coeffs.slice(1)) {
    if (a.length === d.length + 1) a = a.slice(0, d.length);
    a = refIdwt(a, d, w, mode);
  }
  return a;
}

function filterLength(w: string): number {
  return waveletFilters(w).decLo.length;
}

/** pywt's dwt_max_level: ⌊log2(n / (L − 1))⌋, at least 0. */
function maxLevel(n: number, L: number): number {
  return n < L - 1 ? 0 : Math.floor(Math.log2(n / (L - 1)));
}

const FAMILIES = ['haar', 'db2', 'db4', 'sym5', 'coif2', 'bior2.2', 'bior4.4', 'rbio3.5', 'db10'];

describe('the reference itself', () => {
  test.each(FAMILIES)('%s: refIdwt inverts refDwt in every mode (pins the synthesis phase)', (w) => {
    for (const mode of WAVELET_MODES)
      for (const n of [1, 2, 5, 8, 13]) {
        const x = randomArray(n, 7 + n);
        const [a, d] = refDwt(x, w, mode);
        const y = refIdwt(a, d, w, mode);
        expectClose(y.slice(0, n), x, 1e-12, 0, `${w} ${mode} n=${n}`);
      }
  });
});

for (const device of testDevices()) {
  const kernel = isKernelDevice(device);
  // The emulator runs every thread of a block in software: fewer cases there (the agreement suite
  // covers simt's lengths and modes).
  const lengths = kernel ? [1, 2, 7, 16, 33] : [1, 2, 3, 7, 8, 15, 16, 17, 100, 127];
  const families = kernel ? ['haar', 'db4', 'bior4.4', 'db10'] : FAMILIES;

  describe(`wavelet kernels on ${device}`, () => {
    const t64 = (v: Vec, shape = [v.length]) => wt.tensor(v, shape, { dtype: 'float64', device });

    test.each(families)('%s: wavedec / waverec match pywt in every mode and level (float64)', (w) => {
      const scheme = liftingFactorisation(w);
      const L = filterLength(w);
      for (const mode of WAVELET_MODES)
        for (const n of lengths) {
          const top = Math.max(1, maxLevel(n, L)) + 1;
          for (let level = 1; level <= top; level++) {
            const x = randomArray(n, n * 31 + level);
            const want = refWavedec(x, w, mode, level);
            const got = wt.tidy(() => liftingWavedec(t64(x), scheme, L, mode, level, 'wavedec').map((c) => c.dataSync()));
            expect(got.length).toBe(level + 1);
            const scale = Math.max(maxAbs(x), ...want.map((c) => maxAbs(c)));
            got.forEach((c, i) => expectClose(c, want[i], 1e-12 * scale, 0, `${w} ${mode} n=${n} level=${level} coeff ${i}`));
            // waverec of the reference coefficients against the reference synthesis.
            const wantRec = refWaverec(want, w, mode);
            const rec = wt.tidy(() => liftingWaverec(want.map((c) => t64(c)), scheme, L, mode, 'waverec').dataSync());
            expectClose(rec, wantRec, 1e-12 * scale, 0, `${w} ${mode} n=${n} level=${level} waverec`);
            expectClose(rec.slice(0, n), x, 1e-12 * scale, 0, `${w} ${mode} n=${n} level=${level} round trip`);
          }
        }
    });

    test('batched rows, float32 within 2e-6 of the float64 reference', () => {
      for (const w of ['db4', 'bior2.2', 'sym5']) {
        const scheme = liftingFactorisation(w);
        const L = filterLength(w);
        for (const mode of ['symmetric', 'periodization', 'antireflect'] as WaveletMode[]) {
          const B = 3, n = kernel ? 45 : 301, level = 3;
          const x = randomArray(B * n, 99);
          const got = wt.tidy(() =>
            liftingWavedec(wt.tensor(x, [B, n], { dtype: 'float32', device }), scheme, L, mode, level, 'wavedec').map((c) => {
              expect(c.shape[0]).toBe(B);
              return c.dataSync();
            }),
          );
          for (let r = 0; r < B; r++) {
            const want = refWavedec(x.slice(r * n, (r + 1) * n), w, mode, level);
            const scale = Math.max(maxAbs(x), ...want.map((c) => maxAbs(c)));
            want.forEach((c, i) => expectClose(got[i].slice(r * c.length, (r + 1) * c.length), c, 2e-6 * scale, 0, `${w} ${mode} row ${r} coeff ${i}`));
            const rec = wt.tidy(() =>
              liftingWaverec(want.map((c) => wt.tensor(c, [1, c.length], { dtype: 'float32', device })), scheme, L, mode, 'waverec').dataSync(),
            );
            expectClose(rec, refWaverec(want, w, mode), 2e-6 * scale, 0, `${w} ${mode} row ${r} waverec`);
          }
        }
      }
    });

    test("waverec crops as pywt: cA one longer than cD_L, and each approximation one longer than the next detail", () => {
      const scheme = liftingFactorisation('db2');
      const a = randomArray(5, 1), d = randomArray(4, 2), d2 = randomArray(5, 3);
      // idwt(a[:4], d) has 2·4 − 4 + 2 = 6 samples; d2 has 5, so the 6th is dropped.
      const want = refWaverec([a, d, d2], 'db2', 'symmetric');
      const got = wt.tidy(() => liftingWaverec([t64(a), t64(d), t64(d2)], scheme, 4, 'symmetric', 'waverec').dataSync());
      expectClose(got, want, 1e-12, 0, 'cropped');
      expect(() => liftingWaverec([t64(a), t64(randomArray(3, 4))], scheme, 4, 'symmetric', 'waverec')).toThrow(
        expect.objectContaining({ code: 'E_SHAPE', message: expect.stringContaining('waverec') }),
      );
    });

    test('the adjoints: gradcheck in float64 and <A x, y> = <x, Aᵀ y> for every mode', () => {
      for (const w of ['db2', 'bior2.2', 'coif1']) {
        const scheme = liftingFactorisation(w);
        const L = filterLength(w);
        for (const mode of WAVELET_MODES) {
          // 40: periodization's synthesis adjoint takes its short-buffer path (every coefficient's
          // buffer copies among three candidates), the shorter rows its general loop.
          for (const n of [1, 3, 10, 40]) {
            const level = 2;
            const lens = refWavedec(new Float64Array(n), w, mode, level).map((c) => c.length);
            const weights = lens.map((len, i) => randomArray(len, 50 + i));
            const wd = (x: wt.Tensor) => {
              const cs = liftingWavedec(x, scheme, L, mode, level, 'wavedec');
              return cs.map((c, i) => wt.sum(wt.mul(c, t64(weights[i])))).reduce((s, v) => wt.add(s, v));
            };
            const x = randomArray(n, 5 + n);
            expect(wt.testing.gradcheck(wd, [t64(x)], { atol: 1e-7 })).toEqual([]);
            // Dot test: Σ_i <c_i(x), w_i> against <x, ∇> with the gradient from the adjoint op.
            const lhs = wt.tidy(() => wd(t64(x)).dataSync()[0]);
            const g = wt.tidy(() => wt.grad(wd)(t64(x)).dataSync());
            const rhs = x.reduce((s, v, i) => s + v * g[i], 0);
            expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(lhs)));
            // Synthesis: gradient w.r.t. every coefficient tensor.
            const coeffs = lens.map((len, i) => t64(randomArray(len, 70 + i)));
            const outLen = refWaverec(lens.map((len) => new Float64Array(len)), w, mode).length;
            const v = randomArray(outLen, 3);
            const wr = (...cs: wt.Tensor[]) => wt.sum(wt.mul(liftingWaverec(cs, scheme, L, mode, 'waverec'), t64(v)));
            expect(wt.testing.gradcheck(wr, coeffs, { atol: 1e-7 })).toEqual([]);
            // Dot test of the synthesis: <waverec(c), v> against Σ_i <c_i, ∇_i>.
            const lhsR = wt.tidy(() => wr(...coeffs).dataSync()[0]);
            const gs = wt.tidy(() => (wt.grad(wr, { argnums: coeffs.map((_, i) => i) })(...coeffs) as wt.Tensor[]).map((t) => t.dataSync()));
            const rhsR = coeffs.reduce((s, c, i) => s + Array.from(c.dataSync()).reduce((a, cv, k) => a + cv * gs[i][k], 0), 0);
            expect(Math.abs(lhsR - rhsR)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(lhsR)));
          }
        }
      }
    });

    // An inner axis ([B, n, C] along axis 1) is transformed in place (CPU: columns side by side in
    // vectors of 16/8, 8/4 and one at a time; CUDA: transposed into rows and back), except float64
    // rows longer than 2048 wider than a 64-byte line, which go through a transposing copy into
    // rows: either way each row's coefficients are bit for bit those of the same row transformed
    // along the last axis of a contiguous copy, and the gradients likewise (waverec's runs on the
    // swapped view of its output's gradient).
    test('rows along an inner axis: in place or through a copy, bit for bit the contiguous rows', () => {
      const n = kernel ? 37 : 300;
      const cases: [string, number[], number][] = kernel
        ? [['float32', [2, n, 5], 1], ['float32', [1, n, 16], 1], ['float64', [1, n, 8], 1], ['float32', [n, 3, 4], 0]]
        : [
            ...[2, 5, 8, 13, 16, 17, 40].map((C): [string, number[], number] => ['float32', [3, n, C], 1]),
            ...[2, 4, 7, 8, 9].map((C): [string, number[], number] => ['float64', [2, n, C], 1]),
            ['float32', [2, n, 3, 4], 1],
            ['float64', [n, 6], 0],
            // One line-wide group on two threads: split into half-line groups.
            ['float32', [1, n, 16], 1],
            // float64 rows longer than 2048, wider than a line: the transposing copy.
            ['float64', [1, 2100, 9], 1],
          ];
      for (const [dtype, shape, axis] of cases)
        for (const w of kernel ? ['db4'] : ['haar', 'db4', 'bior4.4'])
          for (const mode of ['periodization', 'symmetric', 'antireflect'] as WaveletMode[]) {
            const what = `${dtype} [${shape}] axis ${axis} ${w} ${mode}`;
            const size = shape.reduce((a, b) => a * b, 1);
            const rank = shape.length;
            // The permutation moving `axis` last, and back.
            const perm = [...shape.keys()].filter((k) => k !== axis).concat([axis]);
            const back = perm.map((_, k) => perm.indexOf(k));
            const level = 3;
            wt.tidy(() => {
              const x = wt.tensor(randomArray(size, size + rank), shape, { dtype: dtype as 'float32' | 'float64', device });
              const rowsOf = (t: wt.Tensor) => wt.contiguous(wt.transpose(t, perm));
              const got = wt.wavedec(x, w, { level, mode, axis });
              const want = wt.wavedec(rowsOf(x), w, { level, mode }).map((c) => wt.transpose(c, back));
              got.forEach((c, i) => expectClose(c.dataSync(), want[i].dataSync(), 0, 0, `${what} coeff ${i}`));
              const rec = wt.waverec(got, w, { mode, axis, n: shape[axis] });
              expectClose(rec.dataSync(), wt.transpose(wt.waverec(got.map(rowsOf), w, { mode, n: shape[axis] }), back).dataSync(), 0, 0, `${what} waverec`);
              expectClose(rec.dataSync(), x.dataSync(), (dtype === 'float32' ? 2e-6 : 1e-12) * 4, 0, `${what} round trip`);
              // Gradients: through wavedec w.r.t. x, through waverec w.r.t. every coefficient.
              const weights = got.map((c, i) => wt.tensor(randomArray(c.size, 90 + i), c.shape, { dtype: dtype as 'float32' | 'float64', device }));
              const loss = (cs: wt.Tensor[]) => cs.map((c, i) => wt.sum(wt.mul(c, weights[i]))).reduce((u, v) => wt.add(u, v));
              const gx = wt.grad((a: wt.Tensor) => loss(wt.wavedec(a, w, { level, mode, axis })))(x);
              const gxRows = wt.grad((a: wt.Tensor) => loss(wt.wavedec(a, w, { level, mode }).map((c) => wt.transpose(c, back))))(rowsOf(x));
              expectClose(gx.dataSync(), wt.transpose(gxRows, back).dataSync(), 0, 0, `${what} grad wavedec`);
              const v = wt.tensor(randomArray(size, 7), shape, { dtype: dtype as 'float32' | 'float64', device });
              const argnums = got.map((_, i) => i);
              const gc = wt.grad((...cs: wt.Tensor[]) => wt.sum(wt.mul(wt.waverec(cs, w, { mode, axis, n: shape[axis] }), v)), { argnums })(...got) as wt.Tensor[];
              const gcRows = wt.grad((...cs: wt.Tensor[]) => wt.sum(wt.mul(wt.waverec(cs, w, { mode, n: shape[axis] }), rowsOf(v))), { argnums })(...got.map(rowsOf)) as wt.Tensor[];
              gc.forEach((g, i) => expectClose(g.dataSync(), wt.transpose(gcRows[i], back).dataSync(), 0, 0, `${what} grad waverec coeff ${i}`));
            });
          }
    });

    test('n = 1 in reflect and antireflect extends by the constant x[0]', () => {
      const scheme = liftingFactorisation('db2');
      for (const mode of ['reflect', 'antireflect'] as WaveletMode[]) {
        const got = wt.tidy(() => liftingWavedec(t64(Float64Array.of(2.5)), scheme, 4, mode, 1, 'dwt').map((c) => c.dataSync()));
        const want = wt.tidy(() => liftingWavedec(t64(Float64Array.of(2.5)), scheme, 4, 'constant', 1, 'dwt').map((c) => c.dataSync()));
        expectClose(got[0], want[0], 0, 0, mode);
        expectClose(got[1], want[1], 0, 0, mode);
      }
    });

    test('bad input: unknown mode, bad level, bad scheme name the public function', () => {
      const scheme = liftingFactorisation('haar');
      const x = t64(randomArray(8, 1));
      expect(() => liftingWavedec(x, scheme, 2, 'wrap' as WaveletMode, 1, 'wt.wavedec')).toThrow(
        expect.objectContaining({ code: 'E_RANGE', message: expect.stringContaining('wt.wavedec') }),
      );
      expect(() => liftingWavedec(x, scheme, 2, 'symmetric', 65, 'wt.wavedec')).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
      expect(() => liftingWavedec(x, { ...scheme, scale: 0 }, 2, 'symmetric', 1, 'wt.wavedec')).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
      expect(() => liftingWavedec(x, scheme, 3, 'symmetric', 1, 'wt.wavedec')).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
      const step = { type: 'predict' as const, offset: 0, coeffs: [0.5] };
      expect(() => liftingWavedec(x, { ...scheme, steps: Array(33).fill(step) }, 2, 'symmetric', 1, 'wt.wavedec')).toThrow(
        expect.objectContaining({ code: 'E_RANGE', message: expect.stringContaining('32 steps') }),
      );
      expect(() => liftingWavedec(x, { ...scheme, steps: [{ ...step, offset: 5000 }] }, 2, 'symmetric', 1, 'wt.wavedec')).toThrow(
        expect.objectContaining({ code: 'E_RANGE' }),
      );
      expect(() => liftingWavedec(x, { ...scheme, steps: [{ ...step, coeffs: [NaN] }] }, 2, 'symmetric', 1, 'wt.wavedec')).toThrow(
        expect.objectContaining({ code: 'E_RANGE' }),
      );
    });
  });
}
