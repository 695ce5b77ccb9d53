/**
 * Core bench cases: per-op overhead, streaming elementwise and reduction bandwidth, materialising a
 * transposed view, adding and reducing one, and the host-copy baseline they are compared with, all in one run.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { add } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import { tensor } from '../creation';
import { uniform } from '../creation';
import { sync } from '../device';
import { contiguous, transpose } from '../ops/layout';

const BIG = 16 * 1024 * 1024;

/** Cases for `device`, with the streaming ones at each thread count in `threads`. */
export function coreBenchCases(device: string, threads: number[]): BenchCase[] {
  const cases: BenchCase[] = [];
  cases.push({
    name: 'overhead: add 1 f32',
    group: 'core',
    device,
    setup: () => tensor([1], [1], { dtype: 'float32', device }),
    run: (a: Tensor) => {
      add(a, a).dispose();
    },
    teardown: (a: Tensor) => a.dispose(),
  });
  if (device === 'cpu') {
    cases.push({
      name: 'host copy 16M f32',
      group: 'core',
      device: 'host',
      setup: () => ({ src: new Float32Array(BIG).fill(1), dst: new Float32Array(BIG) }),
      run: (s: { src: Float32Array; dst: Float32Array }) => s.dst.set(s.src),
      work: { bytes: 2 * 4 * BIG },
    });
  }
  const big = () => [uniform([BIG], 0, 1, { seed: 1, dtype: 'float32', device }), uniform([BIG], 0, 1, { seed: 2, dtype: 'float32', device })];
  for (const t of threads) {
    const one = threads[0];
    cases.push({
      name: `add 16M f32 ×${t}T`,
      group: 'core',
      device,
      threads: t,
      setup: big,
      run: ([a, b]: Tensor[]) => {
        const c = add(a, b);
        sync();
        c.dispose();
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      work: { bytes: 3 * 4 * BIG },
      baseline: t === one ? (device === 'cpu' ? 'host copy 16M f32' : undefined) : `add 16M f32 ×${one}T`,
    });
    cases.push({
      name: `sum 16M f32 ×${t}T`,
      group: 'core',
      device,
      threads: t,
      setup: big,
      run: ([a]: Tensor[]) => {
        const c = sum(a);
        sync();
        c.dispose();
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      work: { bytes: 4 * BIG },
      baseline: t === one ? (device === 'cpu' ? 'host copy 16M f32' : undefined) : `sum 16M f32 ×${one}T`,
    });
    cases.push({
      name: `contiguous of a transposed 4096×4096 f32 ×${t}T`,
      group: 'core',
      device,
      threads: t,
      setup: () => uniform([4096, 4096], 0, 1, { seed: 3, dtype: 'float32', device }),
      run: (a: Tensor) => {
        const c = contiguous(transpose(a));
        sync();
        c.dispose();
      },
      teardown: (a: Tensor) => a.dispose(),
      work: { bytes: 2 * 4 * BIG },
      baseline: t === one ? (device === 'cpu' ? 'host copy 16M f32' : undefined) : `contiguous of a transposed 4096×4096 f32 ×${one}T`,
    });
    cases.push({
      name: `row sums of a transposed 4096×4096 f32 ×${t}T`,
      group: 'core',
      device,
      threads: t,
      setup: () => uniform([4096, 4096], 0, 1, { seed: 6, dtype: 'float32', device }),
      run: (a: Tensor) => {
        const c = sum(transpose(a), { axis: -1 });
        sync();
        c.dispose();
      },
      teardown: (a: Tensor) => a.dispose(),
      work: { bytes: 4 * BIG },
      baseline: t === one ? `sum 16M f32 ×${one}T` : `row sums of a transposed 4096×4096 f32 ×${one}T`,
    });
    cases.push({
      name: `add of a 4096×4096 f32 and a transposed one ×${t}T`,
      group: 'core',
      device,
      threads: t,
      setup: () => [uniform([4096, 4096], 0, 1, { seed: 4, dtype: 'float32', device }), uniform([4096, 4096], 0, 1, { seed: 5, dtype: 'float32', device })],
      run: ([a, b]: Tensor[]) => {
        const c = add(a, transpose(b));
        sync();
        c.dispose();
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      work: { bytes: 3 * 4 * BIG },
      baseline: t === one ? `add 16M f32 ×${one}T` : `add of a 4096×4096 f32 and a transposed one ×${one}T`,
    });
  }
  return cases;
}
