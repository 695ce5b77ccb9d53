/**
 * FFT bench cases: batched float32 rfft at the batch×n sizes (powers of two, a prime and
 * a 3·5·7 length), per thread count, and the peers a Node user would otherwise pick (fft.js,
 * tfjs-core's CPU backend) on the same data, when installed. GFLOP/s by 2.5·n·log2(n) per row.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { tensor } from '../creation';
import { sync } from '../device';
import { rfft } from '../ops/fft';

interface Size {
  batch: number;
  n: number;
  /** Rows the tfjs peer transforms (its time is scaled up to `batch`); absent: no tfjs case. */
  tfjsRows?: number;
}

const SIZES: Size[] = [
  { batch: 16384, n: 256, tfjsRows: 16 },
  { batch: 4096, n: 1024, tfjsRows: 4 },
  { batch: 1024, n: 4096, tfjsRows: 1 },
  { batch: 64, n: 65536 },
  { batch: 256, n: 4099 },
  { batch: 1024, n: 2310 },
];

const isPowerOfTwo = (n: number) => (n & (n - 1)) === 0;
const label = (s: Size) => `${s.batch}×${s.n}`;
const work = (s: Size, rows = s.batch) => ({
  flops: 2.5 * s.n * Math.log2(s.n) * rows,
  bytes: (4 * s.n + 8 * (Math.floor(s.n / 2) + 1)) * rows,
});

/** Deterministic float32 test data (a cheap LCG: the bench must not depend on an RNG op). */
function signal(count: number): Float32Array {
  const out = new Float32Array(count);
  let s = 12345;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

function optional<T>(id: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(id) as T;
  } catch {
    return undefined;
  }
}

interface FftJs {
  new (size: number): { createComplexArray(): number[]; realTransform(out: ArrayLike<number>, input: ArrayLike<number>): void };
}

interface Tfjs {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor2d(values: Float32Array, shape: [number, number], dtype: 'float32'): TfTensor;
  spectral: { rfft(x: TfTensor): TfTensor };
}
interface TfTensor {
  dataSync(): Float32Array;
  dispose(): void;
}

function fftJsCase(s: Size, FFT: FftJs): BenchCase {
  return {
    name: `fft.js rfft f32 ${label(s)}`,
    group: 'fft',
    device: 'host',
    peer: 'fft.js',
    setup: () => {
      // fft.js works in float64 arrays; it transforms one row at a time.
      const plan = new FFT(s.n);
      const data = Float64Array.from(signal(s.batch * s.n));
      return { plan, data, out: new Float64Array(2 * s.n) };
    },
    run: (st: { plan: InstanceType<FftJs>; data: Float64Array; out: Float64Array }) => {
      for (let r = 0; r < s.batch; r++) st.plan.realTransform(st.out, st.data.subarray(r * s.n, (r + 1) * s.n));
    },
    work: work(s),
  };
}

function tfjsCase(s: Size, tf: Tfjs): BenchCase {
  const rows = s.tfjsRows!;
  return {
    name: `tfjs-cpu rfft f32 ${label(s)} (${rows} rows timed, ×${s.batch / rows})`,
    group: 'fft',
    device: 'host',
    peer: 'tfjs-cpu',
    setup: async () => {
      await tf.setBackend('cpu');
      await tf.ready();
      return tf.tensor2d(signal(rows * s.n), [rows, s.n], 'float32');
    },
    run: (x: TfTensor) => {
      const y = tf.spectral.rfft(x);
      y.dataSync();
      y.dispose();
    },
    teardown: (x: TfTensor) => x.dispose(),
    work: work(s),
    scale: s.batch / rows,
    inner: 1,
  };
}

/** The FFT cases for `device` at each thread count (CPU threads; ignored by GPU devices). */
export function fftBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const FFT = device === 'cpu' ? optional<FftJs>('fft.js') : undefined;
  let tf: Tfjs | undefined;
  if (device === 'cpu' && optional('@tensorflow/tfjs-backend-cpu')) tf = optional<Tfjs>('@tensorflow/tfjs-core');
  const cases: BenchCase[] = [];
  for (const s of SIZES) {
    const ours = (t: number) => `rfft f32 ${label(s)} ×${t}T`;
    const peerName = FFT && isPowerOfTwo(s.n) ? `fft.js rfft f32 ${label(s)}` : undefined;
    if (peerName) cases.push(fftJsCase(s, FFT!));
    if (tf && s.tfjsRows !== undefined) cases.push(tfjsCase(s, tf));
    for (const t of threads) {
      cases.push({
        name: ours(t),
        group: 'fft',
        device,
        threads: t,
        setup: () => {
          const x = tensor(signal(s.batch * s.n), [s.batch, s.n], { dtype: 'float32', device });
          rfft(x).dispose();  // builds and caches the plan outside the timed runs
          sync();
          return x;
        },
        run: (x: Tensor) => {
          const y = rfft(x);
          sync();
          y.dispose();
        },
        teardown: (x: Tensor) => x.dispose(),
        work: work(s),
        baseline: t === threads[0] ? peerName : ours(threads[0]),
      });
    }
  }
  return cases;
}
