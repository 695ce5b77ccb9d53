// The CPU schedule of the wavelet kernels (native/cpu/wavelet_pipeline.h) on rows long enough for
// what short rows never reach: levels strip-mined over many strips (every stage lagging the ones it
// depends on, the step next to the write-out fused into it), batched float32 rows through the AVX2
// split and merge at every phase. Checked against the float64 filter-bank reference of
// test/wavelet_reference.ts (linear time, so long rows stay cheap). CPU only: the simt agreement
// suite compares the CUDA schedule on long rows.
import * as wt from '../lib';
import { liftingWavedec, liftingWaverec, WAVELET_MODES } from '../lib/ops/wavelet_native';
import { liftingFactorisation } from '../lib/wavelets/lifting';
import { waveletFilters } from '../lib/wavelets/catalog';
import { expectClose, randomArray } from './helpers';
import { bankOf, maxAbs, wavedecRef, waverecRef } from './wavelet_reference';

type SimpleMode = 'zero' | 'symmetric' | 'reflect' | 'periodization';

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
        const want = wavedecRef(x, bankOf(w), mode, level);
        const scale = Math.max(maxAbs(x), ...want.map((c) => maxAbs(c)));
        const got = wt.tidy(() => liftingWavedec(wt.tensor(x, [1, n], { dtype: 'float64' }), scheme, L, mode, level, 'wavedec').map((c) => c.dataSync()));
        got.forEach((c, i) => expectClose(c, want[i], 1e-12 * scale, 0, `${w} ${mode} n=${n} coeff ${i}`));
        const rec = wt.tidy(() =>
          liftingWaverec(want.map((c) => wt.tensor(c, [1, c.length], { dtype: 'float64' })), scheme, L, mode, 'waverec').dataSync(),
        );
        expectClose(rec, waverecRef(want, bankOf(w), mode), 1e-12 * scale, 0, `${w} ${mode} n=${n} waverec`);
      }
  });

  // The adjoints (strip-mined like the forward ops, transposed steps as gathers) on the same long
  // rows, five at a time (four float64 rows in lanes, one alone), by the transpose identity against
  // the float64 reference: Σ w·wavedec(x) = Σ x·(∇ₓ of Σ w·wavedec), and Σ v·waverec(c) = Σ c·(∇_c).
  test.each(['haar', 'db4', 'bior4.4', 'sym5', 'coif3', 'db10'])('%s: long-row adjoints in float64 are the reference transposed', (w) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    const rows = 5, level = 4;
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let sum = 0, mag = 0;
      for (let i = 0; i < a.length; i++) (sum += a[i] * b[i]), (mag += Math.abs(a[i] * b[i]));
      return { sum, mag };
    };
    for (const mode of MODES)
      for (const n of [2049, 5000, 6147]) {
        const lens = wavedecRef(new Float64Array(n), bankOf(w), mode, level).map((c) => c.length);
        const x = randomArray(rows * n, 3 * n + L);
        const ws = lens.map((len, i) => randomArray(rows * len, 5 * n + i));
        const gx = wt.tidy(() => {
          const [g] = wt.grad((a: wt.Tensor) =>
            liftingWavedec(a, scheme, L, mode, level, 'wavedec').map((c, i) => wt.sum(wt.mul(c, wt.tensor(ws[i], [rows, lens[i]], { dtype: 'float64' })))).reduce((u, v) => wt.add(u, v)),
            { argnums: [0] },
          )(wt.tensor(x, [rows, n], { dtype: 'float64' })) as wt.Tensor[];
          return g.dataSync();
        });
        const coeffs = lens.map((len, i) => randomArray(rows * len, 7 * n + i));
        const recLen = waverecRef(lens.map((len) => new Float64Array(len)), bankOf(w), mode).length;
        const v = randomArray(rows * recLen, 11 * n);
        const gc = wt.tidy(() => {
          const ts = coeffs.map((c, i) => wt.tensor(c, [rows, lens[i]], { dtype: 'float64' }));
          const gs = wt.grad((...cs: wt.Tensor[]) => wt.sum(wt.mul(liftingWaverec(cs, scheme, L, mode, 'waverec'), wt.tensor(v, [rows, recLen], { dtype: 'float64' }))), {
            argnums: ts.map((_, i) => i),
          })(...ts) as wt.Tensor[];
          return gs.map((g) => g.dataSync());
        });
        for (let r = 0; r < rows; r++) {
          const row = (a: ArrayLike<number>, len: number) => Array.from(a).slice(r * len, (r + 1) * len);
          const cs = wavedecRef(row(x, n), bankOf(w), mode, level);
          const fwd = cs.map((c, i) => dot(c, row(ws[i], lens[i])));
          const lhs = fwd.reduce((a, b) => a + b.sum, 0), mag = fwd.reduce((a, b) => a + b.mag, 0);
          const rhs = dot(row(x, n), row(gx, n));
          expect(Math.abs(lhs - rhs.sum)).toBeLessThanOrEqual(1e-12 * Math.max(mag, rhs.mag));
          const y = waverecRef(coeffs.map((c, i) => row(c, lens[i])), bankOf(w), mode);
          const fy = dot(y, row(v, recLen));
          const back = gc.map((g, i) => dot(row(coeffs[i], lens[i]), row(g, lens[i])));
          const rhs2 = back.reduce((a, b) => a + b.sum, 0), mag2 = back.reduce((a, b) => a + b.mag, 0);
          expect(Math.abs(fy.sum - rhs2)).toBeLessThanOrEqual(1e-12 * Math.max(fy.mag, mag2));
        }
      }
  });

  // Eight float32 or four float64 rows share AVX2 lanes (one row a lane, wavelet_rows.h's
  // RowLanes): every mode's edges, short and odd lengths, and the rows left over from a group, each
  // row bit for bit the same row transformed alone: forward, inverse and both adjoints.
  test.each(['haar', 'db4', 'bior4.4', 'sym5', 'coif3'])('%s: rows in lanes equal each row alone, every mode, bit for bit', (w) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    for (const dtype of ['float32', 'float64'] as const)
      for (const mode of WAVELET_MODES)
        for (const n of [7, 16, 100, 1001]) {
          const rows = 11, level = 3;
          const x = randomArray(rows * n, n + L);
          const { batch, rec } = wt.tidy(() => {
            const cs = liftingWavedec(wt.tensor(x, [rows, n], { dtype }), scheme, L, mode, level, 'wavedec');
            return { batch: cs.map((c) => Array.from(c.dataSync())), rec: Array.from(liftingWaverec(cs, scheme, L, mode, 'waverec').dataSync()) };
          });
          const recLen = rec.length / rows;
          // The adjoints (gradients of weighted sums) in lanes too.
          const lens = batch.map((c) => c.length / rows);
          const W = lens.map((len, i) => randomArray(rows * len, 90 + i)), V = randomArray(rows * recLen, 7);
          const wdec = (X: Float64Array, Ws: Float64Array[], k: number) => wt.tidy(() => {
            const [gx] = wt.grad((a: wt.Tensor) => liftingWavedec(a, scheme, L, mode, level, 'wavedec').map((c, i) => wt.sum(wt.mul(c, wt.tensor(Ws[i], [k, lens[i]], { dtype })))).reduce((u, v) => wt.add(u, v)), { argnums: [0] })(wt.tensor(X, [k, n], { dtype })) as wt.Tensor[];
            return Array.from(gx.dataSync());
          });
          const wrec = (Cs: Float64Array[], Vs: Float64Array, k: number) => wt.tidy(() => {
            const ts = Cs.map((c, i) => wt.tensor(c, [k, lens[i]], { dtype }));
            const gs = wt.grad((...a: wt.Tensor[]) => wt.sum(wt.mul(liftingWaverec(a, scheme, L, mode, 'waverec'), wt.tensor(Vs, [k, recLen], { dtype }))), { argnums: ts.map((_, i) => i) })(...ts) as wt.Tensor[];
            return gs.map((g) => Array.from(g.dataSync()));
          });
          const coeffs64 = batch.map((c) => Float64Array.from(c));
          const gxBatch = wdec(x, W, rows), gcBatch = wrec(coeffs64, V, rows);
          for (const r of [0, 5, 7, 10]) {
            const { one, oneRec } = wt.tidy(() => {
              const cs = liftingWavedec(wt.tensor(x.slice(r * n, (r + 1) * n), [1, n], { dtype }), scheme, L, mode, level, 'wavedec');
              return { one: cs.map((c) => Array.from(c.dataSync())), oneRec: Array.from(liftingWaverec(cs, scheme, L, mode, 'waverec').dataSync()) };
            });
            one.forEach((c, i) => expect(batch[i].slice(r * c.length, (r + 1) * c.length)).toEqual(c));
            expect(rec.slice(r * recLen, (r + 1) * recLen)).toEqual(oneRec);
            const rowOf = (v: Float64Array, len: number) => v.slice(r * len, (r + 1) * len);
            expect(gxBatch.slice(r * n, (r + 1) * n)).toEqual(wdec(rowOf(x, n), W.map((w, i) => rowOf(w, lens[i])), 1));
            const gcOne = wrec(coeffs64.map((c, i) => rowOf(c, lens[i])), rowOf(V, recLen), 1);
            gcOne.forEach((g, i) => expect(gcBatch[i].slice(r * lens[i], (r + 1) * lens[i])).toEqual(g));
          }
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
    const lens = wavedecRef(new Float64Array(n), bankOf(w), mode, level).map((c) => c.length);
    const { coeffs, rec } = wt.tidy(() => {
      const cs = liftingWavedec(wt.tensor(x, [rows, n], { dtype: 'float32' }), scheme, L, mode, level, 'wavedec');
      const y = liftingWaverec(cs, scheme, L, mode, 'waverec');
      return { coeffs: cs.map((c) => c.dataSync()), rec: y.dataSync() };
    });
    const recLen = rec.length / rows;
    expect(recLen).toBe(waverecRef(lens.map((len) => new Float64Array(len)), bankOf(w), mode).length);
    for (const r of [0, 1, 8]) {
      const xr = x.slice(r * n, (r + 1) * n);
      const want = wavedecRef(xr, bankOf(w), mode, level);
      const scale = Math.max(maxAbs(xr), ...want.map((c) => maxAbs(c)));
      want.forEach((c, i) => expectClose(coeffs[i].slice(r * c.length, (r + 1) * c.length), c, 2e-6 * scale, 0, `${w} ${mode} row ${r} coeff ${i}`));
      // The synthesis of the float32 coefficients against the reference synthesis of the same values.
      const got = want.map((c, i) => Float64Array.from(coeffs[i].slice(r * c.length, (r + 1) * c.length)));
      expectClose(rec.slice(r * recLen, (r + 1) * recLen), waverecRef(got, bankOf(w), mode), 2e-6 * scale, 0, `${w} ${mode} row ${r} waverec`);
    }
    // Rows 0–7 ran in lanes, row 8 alone: a row's coefficients do not depend on its neighbours.
    const alone = wt.tidy(() => liftingWavedec(wt.tensor(x.slice(n, 2 * n), [1, n], { dtype: 'float32' }), scheme, L, mode, level, 'wavedec').map((c) => Array.from(c.dataSync())));
    alone.forEach((c, i) => expect(Array.from(coeffs[i].slice(c.length, 2 * c.length))).toEqual(c));
    // Every row round-trips (the first n samples are x).
    let worst = 0;
    for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(rec[r * recLen + i] - x[r * n + i]));
    expect(worst).toBeLessThanOrEqual(2e-6 * Math.max(maxAbs(x), ...coeffs.map((c) => maxAbs(c))));
  });
});
