/**
 * Transform-dropout bench cases (`--filter signal`): wt.nn.TransformDropout over rfft, forward and
 * backward at 4096×1024 float32, against the bare rfft + irfft pair (forward and backward) on the
 * same data in the same run (the target: within 3× of the pair). Internal: not public.
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { tidy } from '../engine';
import { uniform } from '../creation';
import { sync } from '../device';
import { grad } from '../autograd';
import { mul } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import { rfft, irfft } from '../ops/fft';
import { TransformDropout } from '../nn/transform_dropout';

const B = 4096;
const N = 1024;

interface State {
  x: Tensor;
  w: Tensor;
  layer?: TransformDropout;
}

/** The signal-family cases for `device` (thread counts: the first one). */
export function signalDropoutBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const t = threads[0];
  const bare = `signal rfft+irfft fwd+bwd f32 ${B}×${N}`;
  const setup = (withLayer: boolean) => (): State => {
    const x = uniform([B, N], -1, 1, { seed: 1, dtype: 'float32', device });
    const w = uniform([B, N], -1, 1, { seed: 2, dtype: 'float32', device });
    const layer = withLayer ? new TransformDropout({ size: N, transform: 'rfft', p: 0.5, seed: 3, device }) : undefined;
    sync();
    return { x, w, layer };
  };
  const teardown = (s: State) => {
    s.x.dispose();
    s.w.dispose();
    s.layer?.dispose();
  };
  // d/dx Σ w·f(x): one forward and one backward pass through f.
  const step = (f: (x: Tensor) => Tensor) => (s: State) => {
    tidy(() => {
      const g = grad((x: Tensor) => sum(mul(f(x), s.w)))(s.x) as Tensor;
      g.dataSync();
    });
  };
  return [
    {
      name: `signal rfft+irfft fwd f32 ${B}×${N}`,
      group: 'signal',
      device,
      threads: t,
      setup: setup(false),
      run: (s: State) => tidy(() => void irfft(rfft(s.x), { n: N }).dataSync()),
      teardown,
    },
    {
      name: bare,
      group: 'signal',
      device,
      threads: t,
      setup: setup(false),
      run: step((x) => irfft(rfft(x), { n: N })),
      teardown,
    },
    {
      name: `signal TransformDropout rfft fwd+bwd f32 ${B}×${N}`,
      group: 'signal',
      device,
      threads: t,
      setup: setup(true),
      run: (s: State) => step((x) => s.layer!.forward(x))(s),
      teardown,
      baseline: bare,
    },
  ];
}
