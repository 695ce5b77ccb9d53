/**
 * Trust-region bench cases (`--filter tr`): the fused Cauchy step with a diagonal model
 * (B = 4096, d = 1024, float32, 12 bytes an element: read g and the diagonal, write the step), the
 * radius rule at B = 1e6 and an Adam step on 16M parameters, per thread count, each against a host
 * copy of the same size in the same run. Internal: not part of the public API.
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { full, uniform } from '../creation';
import { sync } from '../device';
import { variable, Variable } from '../autograd';
import { cauchyStep, updateRadius } from '../ops/trust_region';
import { Adam } from '../optim/first_order';

const B = 4096;
const D = 1024;
const RADII = 1_000_000;
const PARAMS = 16 * 1024 * 1024;

function hostCopy(name: string, count: number): BenchCase {
  return {
    name,
    group: 'tr',
    device: 'host',
    setup: () => ({ src: new Float32Array(count).fill(1), dst: new Float32Array(count) }),
    run: (s: { src: Float32Array; dst: Float32Array }) => s.dst.set(s.src),
    work: { bytes: 2 * 4 * count },
  };
}

/** The trust-region cases for `device` at each thread count (CPU threads; ignored by GPU devices). */
export function trustRegionBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const copyCauchy = `host copy ${B}×${D} f32`;
  const copyAdam = 'host copy 16M f32';
  const cases: BenchCase[] = device === 'cpu' ? [hostCopy(copyCauchy, B * D), hostCopy(copyAdam, PARAMS)] : [];
  const one = threads[0];
  const base = (own: string, t: number, copy: string) => (t === one ? (device === 'cpu' ? copy : undefined) : own.replace(`×${t}T`, `×${one}T`));
  for (const t of threads) {
    const cauchy = `cauchyStep diag f32 ${B}×${D} ×${t}T`;
    cases.push({
      name: cauchy,
      group: 'tr',
      device,
      threads: t,
      setup: () => {
        const g = uniform([B, D], -1, 1, { seed: 1, dtype: 'float32', device });
        const h = uniform([B, D], 0.5, 2, { seed: 2, dtype: 'float32', device });
        const delta = full([B], 0.5, { dtype: 'float32', device });
        sync();
        return [g, h, delta];
      },
      run: ([g, h, delta]: Tensor[]) => {
        const r = cauchyStep(g, { hessDiag: h, delta });
        sync();
        Object.values(r).forEach((x) => x.dispose());
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      work: { bytes: 12 * B * D },
      baseline: base(cauchy, t, copyCauchy),
    });
    const radius = `updateRadius f32 1e6 ×${t}T`;
    cases.push({
      name: radius,
      group: 'tr',
      device,
      threads: t,
      setup: () => {
        const ins = [
          uniform([RADII], -1, 2, { seed: 3, dtype: 'float32', device }),
          uniform([RADII], 0.1, 2, { seed: 4, dtype: 'float32', device }),
          uniform([RADII], 0.1, 10, { seed: 5, dtype: 'float32', device }),
          full([RADII], 1, { dtype: 'float32', device }),
        ];
        sync();
        return ins;
      },
      run: ([a, p, d, b]: Tensor[]) => {
        const r = updateRadius(a, p, d, b);
        sync();
        Object.values(r).forEach((x) => x.dispose());
      },
      teardown: (ts: Tensor[]) => ts.forEach((x) => x.dispose()),
      // Read four values, write three.
      work: { bytes: 7 * 4 * RADII },
      baseline: t === one ? undefined : radius.replace(`×${t}T`, `×${one}T`),
    });
    const adam = `adam step f32 16M ×${t}T`;
    cases.push({
      name: adam,
      group: 'tr',
      device,
      threads: t,
      setup: () => {
        const p = variable(uniform([PARAMS], -1, 1, { seed: 6, dtype: 'float32', device }));
        const g = uniform([PARAMS], -1, 1, { seed: 7, dtype: 'float32', device });
        const opt = new Adam([p], { lr: 1e-3 });
        opt.step([g]); // creates the state: the timed steps read and write m and v
        sync();
        return { p, g, opt };
      },
      run: (s: { p: Variable; g: Tensor; opt: Adam }) => {
        s.opt.step([s.g]);
        sync();
      },
      teardown: (s: { p: Variable; g: Tensor; opt: Adam }) => {
        s.opt.dispose();
        s.p.dispose();
        s.g.dispose();
      },
      // Read θ, g, m, v; write θ, m, v.
      work: { bytes: 7 * 4 * PARAMS },
      baseline: base(adam, t, copyAdam),
    });
  }
  return cases;
}
