// Device agreement, matmul: the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { describeAgreement, EPS, FLOATS, expectSameBits, expectWithin, make, realOf, values } from './agreement';

describeAgreement('matmul', ({ onGpu, onBoth }) => {
  // [batchA, batchB, M, K, N]: tails of the 64 x 64 tile and of the K depth, several tiles,
  // broadcast batches, single rows/columns.
  const shapes: [number[], number[], number, number, number][] = [
    [[], [], 1, 1, 1], [[], [], 3, 5, 7], [[], [], 64, 16, 64], [[], [], 65, 17, 130], [[], [], 70, 33, 9],
    [[3], [3], 5, 9, 66], [[2, 1], [3], 17, 40, 5], [[], [4], 1, 200, 3],
  ];

  it.each(shapes)('multiplies batch %j x %j, M %i K %i N %i', (ba, bb, m, k, n) => {
    for (const dtype of FLOATS) {
      const a = values([...ba, m, k].reduce((p, q) => p * q, 1), m * 7 + k, dtype);
      const b = values([...bb, k, n].reduce((p, q) => p * q, 1), n * 5 + k, dtype);
      const variants: [string, (dev: string) => wt.Tensor][] = [
        ['plain', (dev) => wt.matmul(make(a, [...ba, m, k], dtype, dev), make(b, [...bb, k, n], dtype, dev))],
        // Transposed operands: A with unit M stride, B with unit K stride (other staging paths).
        ['transposed', (dev) => wt.matmul(
          wt.swapAxes(make(a, [...ba, k, m], dtype, dev), -1, -2),
          wt.swapAxes(make(b, [...bb, n, k], dtype, dev), -1, -2))],
      ];
      for (const [name, build] of variants) {
        const r = onBoth(build);
        if (onGpu) {
          // FMA on the GPU: |error| ≤ K·eps·(|A|·|B|) bounds the difference of the two roundings.
          const scale = wt.tidy(() => {
            const dev = 'cpu';
            const absA = wt.abs(make(a, name === 'plain' ? [...ba, m, k] : [...ba, k, m], dtype, dev));
            const absB = wt.abs(make(b, name === 'plain' ? [...bb, k, n] : [...bb, n, k], dtype, dev));
            return wt.matmul(name === 'plain' ? absA : wt.swapAxes(absA, -1, -2), name === 'plain' ? absB : wt.swapAxes(absB, -1, -2)).dataSync();
          });
          expectWithin(r.got, r.cpu, Array.from(scale, (s) => 2 * (k + 2) * EPS[realOf(dtype)] * s), `matmul ${name} ${dtype}`);
        } else {
          // Same k order as the cpu and no FMA in the emulator: bitwise.
          expectSameBits(r.got, r.cpu, `matmul ${name} ${dtype}`);
        }
        r.out.dispose();
      }
    }
  });
});
