// The CPU kernels' streaming-store path (outputs of 8 MiB or more leave through non-temporal
// stores, with plain stores for each run's unaligned head and tail): elementwise ops, the Cauchy
// step and Adam over outputs past the threshold agree bitwise with exact references (float32
// arithmetic emulated with Math.fround) or with the same elements computed below the threshold,
// and with the float64 formulas, for runs that start at every alignment.
import * as wt from '../lib';
import { randomArray } from './helpers';

// 8 MiB of float32 output: the streaming threshold of native/cpu/streaming_store.h.
const STREAMING_ELEMENTS_F32 = (8 << 20) / 4;

describe('cpu streaming stores', () => {
  test('binary and unary elementwise ops over 8 MiB+ outputs, contiguous and from an offset view', () => {
    const n = STREAMING_ELEMENTS_F32 + 7;
    const a = randomArray(n + 3, 31, -4, 4);
    const b = randomArray(n, 32, -4, 4);
    const ta = wt.tensor(a, [n + 3], { dtype: 'float32', device: 'cpu' });
    const tb = wt.tensor(b, [n], { dtype: 'float32', device: 'cpu' });
    // A view starting 3 elements in: its output runs start off the 16-byte grid of the inputs.
    const shifted = wt.slice(ta, [3], [n]);
    const sum = wt.add(shifted, tb).dataSync();
    const neg = wt.neg(shifted).dataSync();
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.fround(a[i + 3]);
      if (sum[i] !== Math.fround(x + Math.fround(b[i]))) bad++;
      if (neg[i] !== -x) bad++;
    }
    expect(bad).toBe(0);
    // A conversion (output type other than the input's): int32 -> float64, 16 MiB of output.
    const ints = wt.tensor(Int32Array.from({ length: n }, (_, i) => i - 1000), [n], { dtype: 'int32', device: 'cpu' });
    const wide = wt.cast(ints, 'float64').dataSync();
    expect(wide.every((v, i) => v === i - 1000)).toBe(true);
    for (const t of [ta, tb, shifted, ints]) t.dispose();
  });

  test.each([
    ['float32', 4099],
    ['float64', 4099],
    ['float32', 5],
  ] as const)('cauchyStep over an 8 MiB+ step equals the unstreamed rows and the float64 formula (%s, d = %i)', (dtype, d) => {
    // d = 4099: consecutive rows start at every element offset modulo 32 bytes; d = 5: rows shorter
    // than one vector block, so the streamed sweep has heads and tails only.
    const B = Math.ceil((8 << 20) / ((dtype === 'float32' ? 4 : 8) * d)) + 3;
    const g = randomArray(B * d, 11, -2, 2);
    const diag = randomArray(B * d, 12, 0.5, 2);
    const delta = randomArray(B, 13, 0.05, 8);
    const big = wt.tr.cauchyStep(wt.tensor(g, [B, d], { dtype, device: 'cpu' }), {
      hessDiag: wt.tensor(diag, [B, d], { dtype, device: 'cpu' }),
      delta: wt.tensor(delta, [B], { dtype, device: 'cpu' }),
    });
    const step = big.step.dataSync();
    const rounded = (v: number) => (dtype === 'float32' ? Math.fround(v) : v);
    // Ten rows on their own (0.16 MiB of output: plain stores), from the same rounded inputs.
    const first = 10;
    const small = wt.tr.cauchyStep(wt.tensor(g.subarray(0, first * d), [first, d], { dtype, device: 'cpu' }), {
      hessDiag: wt.tensor(diag.subarray(0, first * d), [first, d], { dtype, device: 'cpu' }),
      delta: wt.tensor(delta.subarray(0, first), [first], { dtype, device: 'cpu' }),
    });
    expect(Array.from(step.subarray(0, first * d))).toEqual(Array.from(small.step.dataSync()));
    // Every row against Nocedal & Wright's Cauchy point in float64. float32: one rounding of the
    // step (the double sums are far more precise). float64: the sums' terms are all positive, so
    // each sum is within (d/8 + 3)·eps relative (8 lanes of d/8 terms, then a 3-level fold), and
    // the step, about gg/gbg·g, within a few times that.
    const ulp = dtype === 'float32' ? 2 ** -23 : 4 * (d / 8 + 8) * 2 ** -52;
    let worst = 0;
    for (let b = 0; b < B; b++) {
      let gg = 0;
      let gbg = 0;
      for (let j = 0; j < d; j++) {
        const x = rounded(g[b * d + j]);
        gg += x * x;
        gbg += rounded(diag[b * d + j]) * x * x;
      }
      const gn = Math.sqrt(gg);
      const dl = rounded(delta[b]);
      const tau = gbg <= 0 ? 1 : Math.min((gg * gn) / (dl * gbg), 1);
      const coef = (-tau * dl) / gn;
      for (let j = 0; j < d; j++) {
        const want = coef * rounded(g[b * d + j]);
        worst = Math.max(worst, Math.abs(step[b * d + j] - want) / (Math.abs(want) * ulp + Number.MIN_VALUE));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    for (const r of [big, small]) Object.values(r).forEach((t) => t.dispose());
  });

  test('Adam over an 8 MiB+ parameter equals the same elements updated below the threshold', () => {
    const n = STREAMING_ELEMENTS_F32 + 5;
    const theta0 = randomArray(n, 21, -1, 1);
    const grads = [randomArray(n, 22, -1, 1), randomArray(n, 23, -1, 1)];
    const run = (lo: number, hi: number) => {
      const p = wt.variable(wt.tensor(theta0.subarray(lo, hi), [hi - lo], { dtype: 'float32', device: 'cpu' }));
      const opt = new wt.optim.Adam([p], { lr: 0.01, weightDecay: 0.1, decoupledWeightDecay: true });
      // The first step writes the state, the second reads and rewrites it: both paths of the kernel.
      for (const g of grads) opt.step([wt.tensor(g.subarray(lo, hi), [hi - lo], { dtype: 'float32', device: 'cpu' })]);
      const { slots } = opt.state();
      const out = { theta: Array.from(p.dataSync()), m: Array.from(slots.expAvg[0]!), v: Array.from(slots.expAvgSq[0]!) };
      opt.dispose();
      p.dispose();
      return out;
    };
    const big = run(0, n);
    // A head at element 0 and a window starting off the 16-byte grid, each below the threshold.
    for (const [lo, hi] of [[0, 4096], [n - 3001, n]]) {
      const small = run(lo, hi);
      expect(big.theta.slice(lo, hi)).toEqual(small.theta);
      expect(big.m.slice(lo, hi)).toEqual(small.m);
      expect(big.v.slice(lo, hi)).toEqual(small.v);
    }
    // The update itself against the float64 formula (AdamW, two steps) at a few elements.
    for (const i of [0, 1, 12345, n - 1]) {
      let th = Math.fround(theta0[i]);
      let m = 0;
      let v = 0;
      grads.forEach((gs, k) => {
        const t = k + 1;
        const g = Math.fround(gs[i]);
        th *= 1 - 0.01 * 0.1;
        m += (g - m) * (1 - 0.9);
        v = v * 0.999 + (1 - 0.999) * g * g;
        th -= ((0.01 / (1 - 0.9 ** t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
      });
      expect(Math.abs(big.theta[i] - th)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(th)));
    }
  });
});
