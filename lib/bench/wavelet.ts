/**
 * Wavelet bench cases (`--filter dwt`): issue 11's 256×16384 float32 rows, 5 levels, haar / db4 /
 * bior2.2 / bior4.4 in periodization and symmetric, wavedec and waverec per thread count, in
 * samples/s (the rate column) and GB/s at 8 bytes a sample, with the host copy of the same data
 * (read 4 bytes, write 4 bytes a sample) as the baseline, timed in alternation, and
 * discrete-wavelets (number[] rows, one row timed and scaled) where it supports the case. The
 * adjoints (what the gradients of wavedec and waverec run) follow each op, with that op at the same
 * thread count as their baseline. haar and db4 in periodization also run along the middle axis of
 * [16, 16384, 16] (the same samples; rows side by side in memory, as a time axis before channels is),
 * with the same op along rows as the baseline.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchCase } from './types';
import { Tensor } from '../tensor';
import { tensor } from '../creation';
import { sync } from '../device';
import { tidy } from '../engine';
import { liftingWavedec, liftingWavedecAdjoint, liftingWaverec, liftingWaverecAdjoint, type WaveletMode } from '../ops/wavelet_native';
import { liftingFactorisation } from '../wavelets/lifting';
import { waveletFilters } from '../wavelets/catalog';
import { wavedec, waverec } from '../ops/wavelet';

const ROWS = 256;
const N = 16384;
const LEVELS = 5;
const WAVELETS = ['haar', 'db4', 'bior2.2', 'bior4.4'];
const MODES: WaveletMode[] = ['periodization', 'symmetric'];
const COPY = `host copy ${ROWS}×${N} f32`;
// [B, N, C] along axis 1: as many samples as the rows cases.
const AXIS_B = 16;
const AXIS_C = ROWS / AXIS_B;
const AXIS_WAVELETS = ['haar', 'db4'];

/** Samples per repetition as the work (the rate column), and 8 bytes a sample (the GB/s column). */
const samples = (rows = ROWS) => ({ items: { count: rows * N, unit: 'samples' }, bytes: 8 * rows * N });

function signal(count: number): Float32Array {
  const out = new Float32Array(count);
  let s = 12345;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

interface DiscreteWavelets {
  wavedec(data: number[], wavelet: string, mode?: string, level?: number): number[][];
  waverec(coeffs: number[][], wavelet: string): number[];
}

function optional<T>(id: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(id) as T;
  } catch {
    return undefined;
  }
}

/** discrete-wavelets on one row, its time scaled to ROWS (it has haar and Daubechies, no periodization). */
function peerCases(dw: DiscreteWavelets, w: string): BenchCase[] {
  const row = Array.from(signal(N));
  return [
    {
      name: `discrete-wavelets wavedec ${w} symmetric f64 1×${N} (×${ROWS})`,
      group: 'dwt',
      device: 'host',
      peer: 'discrete-wavelets',
      setup: () => row,
      run: (x: number[]) => void dw.wavedec(x, w, 'symmetric', LEVELS),
      work: samples(),
      scale: ROWS,
      inner: 1,
    },
    {
      name: `discrete-wavelets waverec ${w} symmetric f64 1×${N} (×${ROWS})`,
      group: 'dwt',
      device: 'host',
      peer: 'discrete-wavelets',
      setup: () => dw.wavedec(row, w, 'symmetric', LEVELS),
      run: (c: number[][]) => void dw.waverec(c, w),
      work: samples(),
      scale: ROWS,
      inner: 1,
    },
  ];
}

/** The wavelet cases for `device` at each thread count (CPU threads; ignored by GPU devices). */
export function waveletBenchCases(device = 'cpu', threads: number[] = [1]): BenchCase[] {
  const dw = device === 'cpu' ? optional<DiscreteWavelets>('discrete-wavelets') : undefined;
  const cases: BenchCase[] = [];
  if (device === 'cpu')
    cases.push({
      name: COPY,
      group: 'dwt',
      device: 'host',
      setup: () => ({ src: signal(ROWS * N), dst: new Float32Array(ROWS * N) }),
      run: (s: { src: Float32Array; dst: Float32Array }) => s.dst.set(s.src),
      work: samples(),
    });
  const one = threads[0];
  for (const w of WAVELETS) {
    const scheme = liftingFactorisation(w);
    const L = waveletFilters(w).decLo.length;
    if (dw && (w === 'haar' || w === 'db4')) cases.push(...peerCases(dw, w));
    for (const mode of MODES)
      for (const t of threads) {
        const label = (op: string, tt: number) => `${op} ${w} ${mode} f32 ${ROWS}×${N} L${LEVELS} ×${tt}T`;
        const baseline = (op: string) => (t === one ? (device === 'cpu' ? COPY : undefined) : label(op, one));
        const input = () => tensor(signal(ROWS * N), [ROWS, N], { dtype: 'float32', device });
        // The signal's coefficients [cA_5, cD_5, …, cD_1] (call inside tidy).
        const coefficients = () => liftingWavedec(input(), scheme, L, mode, LEVELS, 'wavedec');
        // A case that runs op(state) and waits for it, inside tidy (its outputs freed each time).
        const timed = <S>(name: string, setup: () => S, op: (s: S) => unknown, teardown: (s: S) => void, base?: string): BenchCase => ({
          name,
          group: 'dwt',
          device,
          threads: t,
          setup,
          run: (st: S) =>
            tidy(() => {
              op(st);
              sync();
            }),
          teardown,
          work: samples(),
          baseline: base,
        });
        cases.push(
          timed(label('wavedec', t), input, (x) => liftingWavedec(x, scheme, L, mode, LEVELS, 'wavedec'), (x) => x.dispose(), baseline('wavedec')),
          timed(
            label('waverec', t),
            () =>
              tidy(() => {
                const cs = coefficients();
                sync();
                return cs;
              }),
            (cs) => liftingWaverec(cs, scheme, L, mode, 'waverec'),
            (cs) => cs.forEach((c) => c.dispose()),
            baseline('waverec'),
          ),
          timed(
            label('wavedec adjoint', t),
            () =>
              tidy(() => {
                const total = coefficients().reduce((sum, c) => sum + c.shape[1], 0);
                return tensor(signal(ROWS * total), [ROWS, total], { dtype: 'float32', device });
              }),
            (g) => liftingWavedecAdjoint(g, N, scheme, L, mode, LEVELS, 'wavedec'),
            (g) => g.dispose(),
            label('wavedec', t),
          ),
          timed(
            label('waverec adjoint', t),
            () =>
              tidy(() => {
                const cs = coefficients();
                const y = liftingWaverec(cs, scheme, L, mode, 'waverec');
                return { g: tensor(signal(y.size), y.shape, { dtype: 'float32', device }), lengths: cs.map((c) => c.shape[1]) };
              }),
            (st) => liftingWaverecAdjoint(st.g, st.lengths, scheme, L, mode, 'waverec'),
            (st) => st.g.dispose(),
            label('waverec', t),
          ),
        );
        if (mode === 'periodization' && AXIS_WAVELETS.includes(w)) {
          const along = (op: string) => `${op} ${w} ${mode} f32 [${AXIS_B}, ${N}, ${AXIS_C}] axis 1 L${LEVELS} ×${t}T`;
          const columns = () => tensor(signal(ROWS * N), [AXIS_B, N, AXIS_C], { dtype: 'float32', device });
          cases.push(
            timed(along('wavedec'), columns, (x) => wavedec(x, w, { level: LEVELS, mode, axis: 1 }), (x) => x.dispose(), label('wavedec', t)),
            timed(
              along('waverec'),
              () =>
                tidy(() => {
                  const cs = wavedec(columns(), w, { level: LEVELS, mode, axis: 1 });
                  sync();
                  return cs;
                }),
              (cs) => waverec(cs, w, { mode, axis: 1 }),
              (cs) => cs.forEach((c) => c.dispose()),
              label('waverec', t),
            ),
          );
        }
      }
  }
  return cases;
}
