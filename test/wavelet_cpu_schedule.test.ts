// The CPU schedule of the wavelet kernels (native/cpu/wavelet_pipeline.h) on rows long enough for
// what short rows never reach: levels strip-mined over many strips (every stage lagging the ones it
// depends on, the step next to the write-out fused into it), batched float32 rows through the AVX2
// split and merge at every phase. Checked against a float64 filter-bank reference written here
// (linear time, so long rows stay cheap). CPU only: the simt agreement suite compares the CUDA
// schedule on long rows.
import * as wt from '../lib';
import { liftingWavedec, liftingWaverec, type WaveletMode } from '../lib/ops/wavelet_native';
import { liftingFactorisation } from '../lib/wavelets/lifting';
import { waveletFilters } from '../lib/wavelets/catalog';
import { randomArray } from './helpers';

type Vec = Float64Array;
type SimpleMode = 'zero' | 'symmetric' | 'reflect' | 'periodization';

/** Sample k of x extended by `mode` (|overhang| < n: one reflection at most). */
function at(x: Vec, k: number, mode: SimpleMode): number {
  const n = x.length;
  if (k >= 0 && k < n) return x[k];
  switch (mode) {
    case 'zero': return 0;
    case 'symmetric': return k < 0 ? x[-1 - k] : x[2 * n - 1 - k];
    case 'reflect': return k < 0 ? x[-k] : x[2 * n - 2 - k];
    default: throw new Error(mode);
  }
}

/** pywt.dwt: cA[o] = Σ_j decLo[j]·xe[2o + 1 − j]; periodization: circular at 2o + L/2 (odd n: last sample repeated). */
function refDwt(x: Vec, w: string, mode: SimpleMode): [Vec, Vec] {
  const f = waveletFilters(w);
  const L = f.decLo.length;
  if (mode === 'periodization') {
    const xp = x.length % 2 ? Float64Array.from([...x, x[x.length - 1]]) : x;
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
  const a = new Float64Array(m), d = new Float64Array(m);
  for (let o = 0; o < m; o++)
    for (let j = 0; j < L; j++) {
      const v = at(x, 2 * o + 1 - j, mode);
      a[o] += f.decLo[j] * v;
      d[o] += f.decHi[j] * v;
    }
  return [a, d];
}

/** pywt.idwt: out[t] = Σ_i a[i]·recLo[k] + d[i]·recHi[k], k = t + L − 2 − 2i (periodization: k ≡ t + L/2 − 1 − 2i mod 2m). */
function refIdwt(a: Vec, d: Vec, w: string, mode: SimpleMode): Vec {
  const f = waveletFilters(w);
  const L = f.recLo.length, m = a.length;
  if (mode === 'periodization') {
    const n = 2 * m, out = new Float64Array(n);
    for (let i = 0; i < m; i++)
      for (let k = 0; k < L; k++) out[(((k - L / 2 + 1 + 2 * i) % n) + n) % n] += a[i] * f.recLo[k] + d[i] * f.recHi[k];
    return out;
  }
  const n = 2 * m - L + 2, out = new Float64Array(n);
  for (let t = 0; t < n; t++)
    for (let i = Math.max(0, Math.ceil((t - 1) / 2)); i <= Math.min(m - 1, Math.floor((t + L - 2) / 2)); i++) {
      const k = t + L - 2 - 2 * i;
      out[t] += a[i] * f.recLo[k] + d[i] * f.recHi[k];
    }
  return out;
}

function refWavedec(x: Vec, w: string, mode: SimpleMode, level: number): Vec[] {
  const ds: Vec[] = [];
  let a = x;
  for (let l = 0; l < level; l++) {
    const [ca, cd] = refDwt(a, w, mode);
    ds.unshift(cd);
    a = ca;
  }
  return [a, ...ds];
}

function refWaverec(coeffs: Vec[], w: string, mode: SimpleMode): Vec {
  let a = coeffs[0];
  for (const d of coeffs.slice(1)) {
    if (a.length === d.length + 1) a = a.slice(0, d.length);
    a = refIdwt(a, d, w, mode);
  }
  return a;
}

function maxAbs(...vs: ArrayLike<number>[]): number {
  let m = 0;
  for (const v of vs) for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, bound: number, what: string): void {
  expect(got.length).toBe(want.length);
  let worst = 0, where = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    if (!(e <= worst)) {
      worst = e;
      where = i;
    }
  }
  if (!(worst <= bound)) throw new Error(`${what}: max error ${worst} at ${where} (got ${got[where]}, want ${want[where]}) > ${bound}`);
}

const MODES: SimpleMode[] = ['periodization', 'symmetric', 'zero', 'reflect'];

describe('wavelet CPU schedule', () => {
  // Several strips per level (512 pairs a strip), lengths that leave every strip and level boundary
  // at a different phase, and families with 1 to 10 steps and 1 to 4 taps a step.
  test.each(['haar', 'db4', 'bior4.4', 'sym5', 'coif3', 'db10'])('%s: long rows in float64 match the reference to 1e-12', (w) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    for (const mode of MODES)
      for (const n of [2049, 5000, 6147]) {
        const level = 4;
        const x = randomArray(n, n + L);
        const want = refWavedec(x, w, mode, level);
        const scale = Math.max(maxAbs(x), ...want.map((c) => maxAbs(c)));
        const got = wt.tidy(() => liftingWavedec(wt.tensor(x, [1, n], { dtype: 'float64' }), scheme, L, mode, level, 'wavedec').map((c) => c.dataSync()));
        got.forEach((c, i) => expectClose(c, want[i], 1e-12 * scale, `${w} ${mode} n=${n} coeff ${i}`));
        const rec = wt.tidy(() =>
          liftingWaverec(want.map((c) => wt.tensor(c, [1, c.length], { dtype: 'float64' })), scheme, L, mode, 'waverec').dataSync(),
        );
        expectClose(rec, refWaverec(want, w, mode), 1e-12 * scale, `${w} ${mode} n=${n} waverec`);
      }
  });

  // Batched float32 rows of ≥ 32768 samples: odd n and db4's odd synthesis shift put the vectorised
  // split and merge at every offset from the row's start.
  test.each([
    ['haar', 'periodization', 32768],
    ['db4', 'symmetric', 32771],
    ['bior2.2', 'periodization', 32773],
    ['bior4.4', 'reflect', 32770],
  ] as [string, SimpleMode, number][])('%s %s n=%d: batched float32 rows match the reference', (w, mode, n) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    const rows = 9, level = 5;
    const x = randomArray(rows * n, n);
    const lens = refWavedec(new Float64Array(n), w, mode, level).map((c) => c.length);
    const { coeffs, rec } = wt.tidy(() => {
      const cs = liftingWavedec(wt.tensor(x, [rows, n], { dtype: 'float32' }), scheme, L, mode, level, 'wavedec');
      const y = liftingWaverec(cs, scheme, L, mode, 'waverec');
      return { coeffs: cs.map((c) => c.dataSync()), rec: y.dataSync() };
    });
    const recLen = rec.length / rows;
    expect(recLen).toBe(refWaverec(lens.map((len) => new Float64Array(len)), w, mode).length);
    for (const r of [0, 1, 8]) {
      const xr = x.slice(r * n, (r + 1) * n);
      const want = refWavedec(xr, w, mode, level);
      const scale = Math.max(maxAbs(xr), ...want.map((c) => maxAbs(c)));
      want.forEach((c, i) => expectClose(coeffs[i].slice(r * c.length, (r + 1) * c.length), c, 2e-6 * scale, `${w} ${mode} row ${r} coeff ${i}`));
      // The synthesis of the float32 coefficients against the reference synthesis of the same values.
      const got = want.map((c, i) => Float64Array.from(coeffs[i].slice(r * c.length, (r + 1) * c.length)));
      expectClose(rec.slice(r * recLen, (r + 1) * recLen), refWaverec(got, w, mode), 2e-6 * scale, `${w} ${mode} row ${r} waverec`);
    }
    // Every row round-trips (the first n samples are x).
    let worst = 0;
    for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(rec[r * recLen + i] - x[r * n + i]));
    expect(worst).toBeLessThanOrEqual(2e-6 * Math.max(maxAbs(x), ...coeffs.map((c) => maxAbs(c))));
  });
});
