/**
 * Soft-DTW bench cases (`--filter sdtw`): forward + backward (the value and both gradients) in
 * float32, per device and thread count, over the issue's shapes. The work is counted in DP cells
 * inside the band, printed in the rate column as cells/s (one cell = one forward and one backward
 * update). Internal: not part of the public API.
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { tensor, uniform } from '../creation';
import { sync } from '../device';
import { valueAndGrad } from '../autograd';
import { sum } from '../ops/reduce';
import { sdtwPairs } from '../ops/sdtw_native';

/** Admissible cells of an n × m pair under radius r (the rule of native/kernels/sdtw_band.h). */
export function bandCells(n: number, m: number, r: number | null): number {
  if (r === null || n === 1) return n * m;
  const k = Math.max(2 * r * (n - 1), Math.max(n - 1, m - 1));
  let cells = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, Math.ceil((2 * i * (m - 1) - k) / (2 * (n - 1))));
    const hi = Math.min(m - 1, Math.floor((2 * i * (m - 1) + k) / (2 * (n - 1))));
    cells += hi - lo + 1;
  }
  return cells;
}

interface Shape {
  /** x series and y series; pairs: all N·M (pairwise) or (b, b) for b < N (batched). */
  N: number;
  M: number;
  T: number;
  D: number;
  band: number | null;
  pairwise: boolean;
}

const SHAPES: Shape[] = [
  { N: 256, M: 256, T: 128, D: 1, band: null, pairwise: false },
  { N: 256, M: 256, T: 512, D: 1, band: null, pairwise: false },
  { N: 64, M: 64, T: 512, D: 8, band: null, pairwise: false },
  { N: 256, M: 256, T: 512, D: 1, band: 32, pairwise: false },
  { N: 64, M: 64, T: 512, D: 8, band: 32, pairwise: false },
  { N: 32, M: 32, T: 512, D: 64, band: null, pairwise: false },
  { N: 64, M: 64, T: 256, D: 8, band: null, pairwise: true },
  // One long pair: on several threads its DP runs in tiles in wavefront order.
  { N: 1, M: 1, T: 8192, D: 1, band: 128, pairwise: false },
];

function label(s: Shape): string {
  const what = s.pairwise ? `pairwise ${s.N}×${s.M}, T ${s.T}, D ${s.D}` : `(${s.N}, ${s.T}, ${s.D})`;
  return `sdtw fwd+bwd f32 ${what}${s.band === null ? '' : ` band ${s.band}`}`;
}

/** The soft-DTW cases for `device` at each thread count (CPU threads; ignored by GPU devices). */
export function sdtwBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const cases: BenchCase[] = [];
  const one = threads[0];
  for (const s of SHAPES) {
    const P = s.pairwise ? s.N * s.M : s.N;
    const cells = P * bandCells(s.T, s.T, s.band);
    for (const t of threads) {
      const name = `${label(s)} ×${t}T`;
      cases.push({
        name,
        group: 'sdtw',
        device,
        threads: t,
        setup: () => {
          const X = uniform([s.N, s.T, s.D], -1, 1, { seed: 1, dtype: 'float32', device });
          const Y = uniform([s.M, s.T, s.D], -1, 1, { seed: 2, dtype: 'float32', device });
          const list: number[] = [];
          for (let p = 0; p < P; p++) list.push(s.pairwise ? Math.floor(p / s.M) : p, s.pairwise ? p % s.M : p);
          const pairs = tensor(list, [P, 2], { dtype: 'int32', device });
          sync();
          return [X, Y, pairs];
        },
        run: ([X, Y, pairs]: Tensor[]) => {
          const opts = { gamma: 1, band: s.band, lengthsX: null, lengthsY: null };
          const [v, grads] = valueAndGrad((a: Tensor, b: Tensor) => sum(sdtwPairs(a, b, pairs, opts, 'bench')), { argnums: [0, 1] })(X, Y) as [Tensor, Tensor[]];
          sync();
          v.dispose();
          grads.forEach((g) => g.dispose());
        },
        teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
        work: { items: { count: cells, unit: 'cells' } },
        baseline: t === one ? undefined : `${label(s)} ×${one}T`,
      });
    }
  }
  return cases;
}
