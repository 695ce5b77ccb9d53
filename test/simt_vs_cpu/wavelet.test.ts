// Device agreement, wavelet kernels: the CUDA row kernel (shared-memory and global-scratch variants)
// on simt (and any GPU) against the cpu backend: lengths 1 … 16385, every mode, levels 1 … max (and
// one beyond), several families, analysis, synthesis and both adjoints.
import * as wt from '../../lib';
import { liftingWavedec, liftingWaverec, WAVELET_MODES } from '../../lib/ops/wavelet_native';
import { liftingFactorisation } from '../../lib/wavelets/lifting';
import { waveletFilters } from '../../lib/wavelets/catalog';
import { randomArray } from '../helpers';
import { describeAgreement, EPS, make, type Agreement } from './agreement';

const SHORT = [1, 2, 3, 7, 8, 15, 16, 17, 100, 127];
const LONG = [1000, 4096, 16385];
const FAMILIES = ['haar', 'db4', 'bior4.4', 'coif3'];

function maxLevel(n: number, L: number): number {
  return n < L - 1 ? 0 : Math.floor(Math.log2(n / (L - 1)));
}

describeAgreement('wavelet', (k: Agreement) => {
  // Both backends run the same passes in the same order per element (kernels/wavelet_lifting.h), but
  // the CPU's AVX2 build and nvcc fuse multiply-adds where the emulator (g++, x86-64) rounds twice:
  // each tap pass may differ by one rounding of its largest term, and the differences propagate
  // through the later passes (step coefficients ≤ 1.6 here) and levels. Bound: 16·(taps + 1)·levels
  // roundings of the largest value in or out.
  function compare(what: string, dtype: 'float32' | 'float64', taps: number, levels: number, build: (dev: string) => wt.Tensor): void {
    const r = k.onBoth(build);
    r.out.dispose();
    let scale = 1;
    for (let i = 0; i < r.cpu.length; i++) scale = Math.max(scale, Math.abs(r.cpu[i]));
    const tol = 16 * (taps + 1) * levels * EPS[dtype] * scale;
    for (let i = 0; i < r.cpu.length; i++)
      if (!(Math.abs(r.got[i] - r.cpu[i]) <= tol)) throw new Error(`${what}: index ${i}: ${r.got[i]} vs cpu ${r.cpu[i]} (bound ${tol})`);
  }

  // Levels 1 … max and one beyond (short rows), 1 and the maximum (long rows).
  function cases(n: number, L: number): number[] {
    const top = Math.max(1, maxLevel(n, L));
    return n <= 127 ? Array.from({ length: top + 1 }, (_, i) => i + 1) : [...new Set([1, top])];
  }
  const tapsOf = (w: string) => liftingFactorisation(w).steps.reduce((s, st) => s + st.coeffs.length, 0);

  it.each(FAMILIES)('%s: short rows, every mode and level, all four ops (float64, 2 rows)', (w) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    for (const n of SHORT)
      for (const mode of WAVELET_MODES)
        for (const level of cases(n, L)) {
          const B = 2;
          const x = randomArray(B * n, n + level);
          const what = `${w} ${mode} n=${n} level=${level}`;
          const lens = wt.tidy(() => liftingWavedec(make(x, [B, n], 'float64', 'cpu'), scheme, L, mode, level, 'wavedec').map((c) => c.shape[1]));
          const total = lens.reduce((a, b) => a + b, 0);
          compare(`${what} wavedec`, 'float64', tapsOf(w), level, (dev) => wt.concat(liftingWavedec(make(x, [B, n], 'float64', dev), scheme, L, mode, level, 'wavedec'), 1));
          const c = randomArray(B * total, 3 * n + level);
          const coeffs = (dev: string) => {
            const t = make(c, [B, total], 'float64', dev);
            let at = 0;
            return lens.map((len) => wt.slice(t, [0, (at += len) - len], [B, len]));
          };
          compare(`${what} waverec`, 'float64', tapsOf(w), level, (dev) => liftingWaverec(coeffs(dev), scheme, L, mode, 'waverec'));
          // Adjoints through the gradients (Σ wᵢ·cᵢ w.r.t. x, Σ v·y w.r.t. the coefficients), at the
          // deepest level only: the emulator runs them slowly.
          if (level !== cases(n, L)[cases(n, L).length - 1]) continue;
          compare(`${what} wavedec adjoint`, 'float64', tapsOf(w), level, (dev) =>
            wt.grad((xx: wt.Tensor) => {
              const cs = liftingWavedec(xx, scheme, L, mode, level, 'wavedec');
              return wt.sum(wt.mul(wt.concat(cs, 1), make(c, [B, total], 'float64', dev)));
            })(make(x, [B, n], 'float64', dev)),
          );
          compare(`${what} waverec adjoint`, 'float64', tapsOf(w), level, (dev) => {
            const cs = coeffs(dev);
            const y = liftingWaverec(cs, scheme, L, mode, 'waverec');
            const v = make(randomArray(y.size, 11), y.shape, 'float64', dev);
            return wt.concat(wt.grad((...xs: wt.Tensor[]) => wt.sum(wt.mul(liftingWaverec(xs, scheme, L, mode, 'waverec'), v)), { argnums: cs.map((_, i) => i) })(...cs), 1);
          });
        }
  });

  it.each(FAMILIES)('%s: long rows (shared and global-scratch variants), every mode, levels 1 and max', (w) => {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    for (const n of LONG)
      for (const mode of WAVELET_MODES)
        for (const level of cases(n, L))
          for (const dtype of ['float32', 'float64'] as const) {
            if (dtype === 'float64' && n !== 16385) continue;
            const x = randomArray(n, n + level);
            const what = `${w} ${mode} n=${n} level=${level} ${dtype}`;
            compare(`${what} wavedec`, dtype, tapsOf(w), level, (dev) => wt.concat(liftingWavedec(make(x, [1, n], dtype, dev), scheme, L, mode, level, 'wavedec'), 1));
            compare(`${what} waverec`, dtype, tapsOf(w), level, (dev) => {
              const cs = liftingWavedec(make(x, [1, n], dtype, 'cpu'), scheme, L, mode, level, 'wavedec').map((t) => wt.to(t, dev));
              return liftingWaverec(cs, scheme, L, mode, 'waverec');
            });
          }
  });
});
