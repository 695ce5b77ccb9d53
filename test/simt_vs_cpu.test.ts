// Device agreement: every native op path of the CUDA kernels, run on `simt` (the emulator) and on
// any `cuda:*` device, against the cpu backend — bitwise where both run the same algorithm in the
// same order, within a stated ulp or rounding bound where they legitimately differ.
import * as wt from '../lib';
import { isKernelDevice, randomArray, testDevices } from './helpers';

type Arr = ArrayLike<number>;
type DType = 'float32' | 'float64' | 'complex64' | 'complex128' | 'int32';

const kernelDevices = testDevices().filter(isKernelDevice);

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/** Same value, element by element: +0 and −0 differ, any NaN equals any NaN (payloads may not). */
function expectSameBits(actual: Arr, expected: Arr, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (!Object.is(a, e)) throw new Error(`${what}: index ${i} of ${expected.length}: got ${a}, cpu ${e}`);
  }
}

/** Distance in units in the last place, over the ordered integer image of the floats. */
function ulpDistance(a: number, b: number, dtype: 'float32' | 'float64'): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const ordered = (x: number): bigint => {
    if (dtype === 'float32') {
      const v = new DataView(new ArrayBuffer(4));
      v.setFloat32(0, x);
      const bits = BigInt(v.getInt32(0));
      return bits < 0n ? -(bits & 0x7fffffffn) : bits;
    }
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    const bits = v.getBigInt64(0);
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  };
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

function expectUlps(actual: Arr, expected: Arr, dtype: 'float32' | 'float64', ulps: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(actual[i], expected[i], dtype);
    if (!(d <= ulps)) throw new Error(`${what}: index ${i}: got ${actual[i]}, cpu ${expected[i]} (${d} ulps > ${ulps})`);
  }
}

/** |actual − expected| ≤ bound[i] element by element (bounds computed from the inputs). */
function expectWithin(actual: Arr, expected: Arr, bound: Arr, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= bound[i])) throw new Error(`${what}: index ${i}: got ${a}, cpu ${e} (bound ${bound[i]})`);
  }
}

function realOf(dtype: DType): 'float32' | 'float64' {
  return dtype === 'float64' || dtype === 'complex128' ? 'float64' : 'float32';
}

if (kernelDevices.length === 0) {
  // Test runs load the emulator (test/setup-env.js); its absence is a failure, not a skip.
  test('a kernel device (simt or cuda) is loaded', () => {
    const why = wt.backends().map((b) => `${b.name}: ${b.loaded ? 'loaded' : 'not loaded'} ${b.reason}`).join('; ');
    throw new Error(`no simt or cuda device in this process (${why})`);
  });
} else {
  describe.each(kernelDevices)('%s agrees with cpu', (device) => {
    const onGpu = device.startsWith('cuda');

    /** Builds the same computation on `device` and on cpu from host data; returns both results. */
    function onBoth(build: (dev: string) => wt.Tensor): { got: wt.TypedArray; cpu: wt.TypedArray; out: wt.Tensor } {
      return wt.tidy(() => {
        const k = build(device);
        const c = build('cpu');
        expect(k.device).toBe(device);
        expect(k.shape).toEqual(c.shape);
        expect(k.dtype).toBe(c.dtype);
        return { got: k.dataSync(), cpu: c.dataSync(), out: wt.keep(k) };
      });
    }

    /** Bitwise on every device (correctly rounded arithmetic, moves, comparisons). */
    function same(what: string, build: (dev: string) => wt.Tensor): void {
      const r = onBoth(build);
      r.out.dispose();
      expectSameBits(r.got, r.cpu, what);
    }

    /** Bitwise on simt (glibc on both sides); within `ulps` on a GPU (libdevice vs glibc). */
    function libm(what: string, dtype: DType, ulps: number, build: (dev: string) => wt.Tensor): void {
      const r = onBoth(build);
      r.out.dispose();
      if (onGpu) expectUlps(r.got, r.cpu, realOf(dtype), ulps, what);
      else expectSameBits(r.got, r.cpu, what);
    }

    function make(data: Arr, shape: number[], dtype: DType, dev: string): wt.Tensor {
      const typed =
        dtype === 'int32' ? Int32Array.from(data, Math.round)
        : dtype === 'float32' || dtype === 'complex64' ? Float32Array.from(data)
        : Float64Array.from(data);
      return wt.tensor(typed, shape, { dtype, device: dev });
    }

    // Sizes around the pack width (4 float32 per 16 bytes), the block (256) and the grid cap
    // (8 blocks per SM: 32 blocks on simt, so 40000 elements take several grid-stride rounds).
    const SIZES = [1, 3, 4, 255, 257, 1003, 40005];
    const FLOATS: DType[] = ['float32', 'float64'];
    const ALL_FLOATING: DType[] = ['float32', 'float64', 'complex64', 'complex128'];

    function values(n: number, seed: number, dtype: DType, lo = -2, hi = 2): Float64Array {
      return randomArray(dtype.startsWith('complex') ? 2 * n : n, seed, lo, hi);
    }

    describe('transfers and layout copies', () => {
      it.each(SIZES)('round-trips %i elements through the device', (n) => {
        for (const dtype of ['float32', 'float64', 'complex64', 'int32'] as DType[]) {
          const host = values(n, n, dtype, -100, 100);
          same(`upload ${dtype}`, (dev) => make(host, [n], dtype, dev));
        }
      });

      it('materialises transposes, permutes, flips and slices (strided copy)', () => {
        for (const dtype of ['float32', 'float64', 'complex128', 'int32'] as DType[]) {
          const x = values(5 * 37 * 9, 7, dtype, -50, 50);
          same(`transpose ${dtype}`, (dev) => wt.contiguous(wt.transpose(make(x, [5 * 37, 9], dtype, dev))));
          same(`permute ${dtype}`, (dev) => wt.contiguous(wt.permute(make(x, [5, 37, 9], dtype, dev), [2, 0, 1])));
          same(`flip ${dtype}`, (dev) => wt.contiguous(wt.flip(make(x, [5, 37, 9], dtype, dev), [1])));
          same(`slice ${dtype}`, (dev) => wt.contiguous(wt.slice(make(x, [5, 37, 9], dtype, dev), [1, 3, 1], [3, 30, 7])));
          // Offset by one element: no longer 16-byte aligned, so the strided kernel takes it.
          same(`misaligned ${dtype}`, (dev) => wt.contiguous(wt.slice(make(x, [x.length / (dtype.startsWith('complex') ? 2 : 1)], dtype, dev), [1], [300])));
        }
      });

      it('pads, concatenates, stacks and rolls', () => {
        for (const dtype of ['float32', 'complex64', 'int32'] as DType[]) {
          const a = values(6 * 41, 11, dtype, -9, 9);
          const b = values(6 * 23, 12, dtype, -9, 9);
          same(`pad ${dtype}`, (dev) => wt.pad(make(a, [6, 41], dtype, dev), [[2, 1], [3, 300]], 0));
          same(`concat ${dtype}`, (dev) => wt.concat([make(a, [6, 41], dtype, dev), make(b, [6, 23], dtype, dev)], 1));
          same(`stack ${dtype}`, (dev) => wt.stack([make(a, [6, 41], dtype, dev), make(a, [6, 41], dtype, dev)], 1));
          same(`roll ${dtype}`, (dev) => wt.roll(make(a, [6, 41], dtype, dev), [2, -17], [0, 1]));
        }
      });

      it('casts between dtypes (COPY with conversion)', () => {
        const x = randomArray(1003, 5, -1000, 1000);
        const pairs: [DType, DType][] = [
          ['float64', 'float32'], ['float32', 'float64'], ['float32', 'int32'], ['float64', 'int32'],
          ['int32', 'float32'], ['int32', 'float64'], ['float32', 'complex64'], ['float64', 'complex128'],
          ['complex64', 'complex128'], ['complex128', 'complex64'],
        ];
        for (const [from, to] of pairs) {
          const data = from.startsWith('complex') ? randomArray(2006, 6, -1000, 1000) : x;
          same(`cast ${from} -> ${to}`, (dev) => wt.cast(make(data, [1003], from, dev), to));
          same(`cast strided ${from} -> ${to}`, (dev) => wt.cast(wt.transpose(make(data, [17, 59], from, dev)), to));
        }
      });
    });

    describe('creation (FILL, IOTA, RANDOM)', () => {
      it('fills and ramps', () => {
        for (const n of [1, 5, 1003, 40005]) {
          for (const dtype of ['float32', 'float64', 'complex64', 'complex128', 'int32'] as DType[])
            // int32 takes integers only (2.5 is E_RANGE, not truncated).
            same(`full ${dtype} ${n}`, (dev) => wt.full([n], dtype === 'int32' ? -7 : 2.5, { dtype, device: dev }));
          for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
            same(`arange ${dtype} ${n}`, (dev) => wt.arange(-3, n - 3, 1, { dtype, device: dev }));
            if (dtype !== 'int32') same(`linspace ${dtype} ${n}`, (dev) => wt.linspace(-1, 3, n, { dtype, device: dev }));
          }
        }
        same('eye', (dev) => wt.eye(37, 41, { device: dev }));
      });

      it('draws the same Philox stream as the cpu', () => {
        for (const dtype of FLOATS) {
          for (const n of [1, 3, 7, 1001, 40005]) {
            same(`uniform ${dtype} ${n}`, (dev) => wt.uniform([n], -2, 3, { dtype, device: dev, seed: 1234 }));
            same(`bernoulli ${dtype} ${n}`, (dev) => wt.bernoulli([n], 0.3, { dtype, device: dev, seed: 99 }));
            libm(`normal ${dtype} ${n}`, dtype, 16, (dev) => wt.normal([n], 1, 2, { dtype, device: dev, seed: 7 }));
          }
        }
      });

      it('continues the global stream at the same counter on both devices', () => {
        const draw = (dev: string): wt.Tensor => {
          wt.seed(42);
          wt.uniform([13], 0, 1, { device: dev }).dispose();
          return wt.uniform([1001], 0, 1, { device: dev, dtype: 'float64' });
        };
        same('uniform after an offset', draw);
      });
    });

    describe('elementwise', () => {
      const exactUnary: [string, (x: wt.Tensor) => wt.Tensor][] = [
        ['neg', wt.neg], ['abs', wt.abs], ['square', wt.square], ['sqrt', (x) => wt.sqrt(wt.abs(x))],
        ['relu', wt.relu], ['sign', wt.sign], ['reciprocal', wt.reciprocal],
        ['clamp', (x) => wt.clamp(x, -0.5, 0.75)], ['affine', (x) => wt.affine(x, 1.7, -0.3)],
      ];
      const libmUnary: [string, (x: wt.Tensor) => wt.Tensor][] = [
        ['exp', wt.exp], ['log', (x) => wt.log(wt.abs(x))], ['log1p', (x) => wt.log1p(wt.abs(x))],
        ['expm1', wt.expm1], ['sigmoid', wt.sigmoid], ['tanh', wt.tanh], ['softplus', wt.softplus],
        ['sin', wt.sin], ['cos', wt.cos], ['pow scalar', (x) => wt.pow(wt.abs(x), 1.37)],
      ];

      it.each(SIZES)('applies unary functors to %i contiguous elements', (n) => {
        for (const dtype of FLOATS) {
          const x = values(n, 100 + n, dtype);
          if (n > 2) x[1] = 0;
          for (const [name, f] of exactUnary) same(`${name} ${dtype}`, (dev) => f(make(x, [n], dtype, dev)));
          for (const [name, f] of libmUnary) libm(`${name} ${dtype}`, dtype, 8, (dev) => f(make(x, [n], dtype, dev)));
        }
      });

      it('applies unary functors to strided and misaligned inputs', () => {
        for (const dtype of FLOATS) {
          const x = values(33 * 35, 3, dtype);
          const views: [string, (dev: string) => wt.Tensor][] = [
            ['transposed', (dev) => wt.transpose(make(x, [33, 35], dtype, dev))],
            ['flipped', (dev) => wt.flip(make(x, [33, 35], dtype, dev), [1])],
            ['offset', (dev) => wt.slice(make(x, [33 * 35], dtype, dev), [1], [1000])],
          ];
          for (const [view, v] of views) {
            for (const [name, f] of exactUnary) same(`${name} ${view} ${dtype}`, (dev) => f(v(dev)));
            for (const [name, f] of libmUnary) libm(`${name} ${view} ${dtype}`, dtype, 8, (dev) => f(v(dev)));
          }
        }
      });

      const binaryOps: [string, (a: wt.Tensor, b: wt.Tensor) => wt.Tensor][] = [
        ['add', wt.add], ['sub', wt.sub], ['mul', wt.mul], ['div', wt.div], ['maximum', wt.maximum],
        ['minimum', wt.minimum], ['equal', wt.equal], ['notEqual', wt.notEqual], ['less', wt.less],
        ['lessEqual', wt.lessEqual], ['greater', wt.greater], ['greaterEqual', wt.greaterEqual],
      ];
      // Shapes broadcasting every way: equal, scalar, row, column, both, leading axes, strided.
      const broadcasts: [number[], number[]][] = [
        [[1003], [1003]], [[1003], [1]], [[1], [257]], [[37, 45], [45]], [[37, 45], [37, 1]],
        [[37, 1], [1, 45]], [[3, 1, 41], [5, 1]], [[2, 3, 4, 5, 6], [3, 1, 5, 1]], [[40005], [40005]],
      ];

      it('broadcasts real binary ops', () => {
        for (const dtype of FLOATS) {
          for (const [sa, sb] of broadcasts) {
            const a = values(sa.reduce((p, q) => p * q, 1), 21, dtype);
            const b = values(sb.reduce((p, q) => p * q, 1), 22, dtype);
            if (a.length > 4 && b.length > 4) b[3] = a[3]; // equal operands for the comparisons
            for (const [name, f] of binaryOps)
              same(`${name} ${dtype} ${sa} ${sb}`, (dev) => f(make(a, sa, dtype, dev), make(b, sb, dtype, dev)));
            libm(`pow ${dtype} ${sa} ${sb}`, dtype, 8, (dev) =>
              wt.pow(wt.abs(make(a, sa, dtype, dev)), make(b, sb, dtype, dev)));
          }
        }
      });

      it('runs binary ops on transposed and flipped operands', () => {
        for (const dtype of ALL_FLOATING) {
          const a = values(29 * 31, 1, dtype);
          const b = values(29 * 31, 2, dtype);
          for (const [name, f] of binaryOps.slice(0, 4)) {
            same(`${name} ${dtype} transposed`, (dev) =>
              f(wt.transpose(make(a, [29, 31], dtype, dev)), make(b, [31, 29], dtype, dev)));
            same(`${name} ${dtype} flipped`, (dev) =>
              f(wt.flip(make(a, [29, 31], dtype, dev), [0]), wt.flip(make(b, [29, 31], dtype, dev), [1])));
          }
        }
      });

      it('does complex arithmetic and complex -> real functors', () => {
        for (const dtype of ['complex64', 'complex128'] as DType[]) {
          for (const n of [1, 2, 3, 257, 1003]) {
            const a = values(n, 31 + n, dtype);
            const b = values(n, 41 + n, dtype);
            for (const [name, f] of binaryOps.slice(0, 4))
              same(`${name} ${dtype} ${n}`, (dev) => f(make(a, [n], dtype, dev), make(b, [n], dtype, dev)));
            same(`add scalar ${dtype}`, (dev) => wt.add(make(a, [n], dtype, dev), make(b.slice(0, 2), [1], dtype, dev)));
            same(`conj ${dtype}`, (dev) => wt.conj(make(a, [n], dtype, dev)));
            same(`neg ${dtype}`, (dev) => wt.neg(make(a, [n], dtype, dev)));
            same(`square ${dtype}`, (dev) => wt.square(make(a, [n], dtype, dev)));
            same(`affine ${dtype}`, (dev) => wt.affine(make(a, [n], dtype, dev), 0.75, 2));
            same(`abs ${dtype}`, (dev) => wt.abs(make(a, [n], dtype, dev)));
            same(`abs2 ${dtype}`, (dev) => wt.abs2(make(a, [n], dtype, dev)));
            same(`real ${dtype}`, (dev) => wt.real(make(a, [n], dtype, dev)));
            same(`imag ${dtype}`, (dev) => wt.imag(make(a, [n], dtype, dev)));
            libm(`angle ${dtype}`, dtype, 4, (dev) => wt.angle(make(a, [n], dtype, dev)));
          }
        }
        for (const dtype of FLOATS) {
          const re = values(1003, 8, dtype);
          const im = values(37, 9, dtype);
          same(`complex ${dtype}`, (dev) => wt.complex(make(re, [1003], dtype, dev), make(re, [1003], dtype, dev)));
          same(`complex broadcast ${dtype}`, (dev) =>
            wt.complex(wt.transpose(make(re.slice(0, 37 * 27), [37, 27], dtype, dev)), make(im, [37], dtype, dev)));
        }
      });

      it('selects with where (WHERE), conditions int32 or of the value dtype', () => {
        for (const dtype of ['float32', 'float64', 'complex64', 'int32'] as DType[]) {
          const a = values(41 * 37, 51, dtype, -5, 5);
          const b = values(37, 52, dtype, -5, 5);
          const c = Array.from(randomArray(41 * 37, 53), (v) => (v > 0 ? 1 : 0));
          same(`where int32 ${dtype}`, (dev) =>
            wt.where(make(c, [41, 37], 'int32', dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
          same(`where column ${dtype}`, (dev) =>
            wt.where(make(c.slice(0, 41), [41, 1], 'int32', dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
          if (dtype !== 'int32') {
            const cv = dtype.startsWith('complex') ? c.flatMap((v, i) => (i % 3 === 0 ? [0, v] : [v, 0])) : c;
            same(`where ${dtype} cond`, (dev) =>
              wt.where(make(cv, [41, 37], dtype, dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
          }
        }
      });
    });

    describe('reductions', () => {
      // [shape, axis]: I = 1 short rows (sub-warp), I = 1 long rows (block per row, several rows per
      // block, split into chunks when rows are few), I > 1 (column kernel: narrow and wide tiles,
      // several tiles per block, split R) and reductions over permuted axes.
      const cases: [number[], number | number[]][] = [
        [[1], 0], [[7], 0], [[33], 0], [[5, 3], 1], [[100, 31], 1], [[9, 513], 1], [[40, 600], 1],
        [[2, 10000], 1], [[1, 20000], 1], [[4, 33, 5], 1], [[3, 50, 70], 1], [[12, 20, 96], 1], [[40, 20, 96], 1],
        [[1, 300, 40], 1], [[2, 2100, 3], 1], [[6, 7, 8], [0, 2]], [[37, 41], 0], [[5, 6, 7], undefined as never],
      ];
      const sumAbs = (x: wt.Tensor, axis: number | number[] | undefined): wt.TypedArray =>
        wt.tidy(() => wt.sum(wt.abs(x), { axis }).dataSync());

      it.each(cases)('sum, mean, prod, logsumexp and norm of %j over axis %j', (shape, axis) => {
        const n = shape.reduce((p, q) => p * q, 1);
        for (const dtype of FLOATS) {
          const eps = EPS[realOf(dtype)];
          const x = values(n, 61 + n, dtype);
          const r = Math.max(1, n / (wt.tidy(() => wt.sum(wt.zeros(shape), { axis }).size) || 1));
          const slack = 4 * (Math.log2(r) + 8) * eps;
          const bound = (scale: Arr): number[] => Array.from(scale, (s) => slack * s + 1e-300);
          for (const [name, f, scale] of [
            ['sum', wt.sum, 1],
            ['mean', wt.mean, 1 / r],
          ] as const) {
            const res = onBoth((dev) => f(make(x, shape, dtype, dev), { axis }));
            res.out.dispose();
            // Reassociation error of a sum: ≤ (depth of the combining tree) · eps · Σ|x|.
            const ref = wt.tidy(() => sumAbs(make(x, shape, dtype, 'cpu'), axis));
            expectWithin(res.got, res.cpu, bound(Array.from(ref, (v) => v * scale)), `${name} ${dtype}`);
          }
          // prod of values near 1 (no overflow): relative error grows at most linearly in R.
          const near1 = Array.from(x, (v) => 1 + v / 64);
          const p = onBoth((dev) => wt.prod(make(near1, shape, dtype, dev), { axis }));
          p.out.dispose();
          expectWithin(p.got, p.cpu, Array.from(p.cpu, (v) => 2 * (r + 4) * eps * Math.abs(v)), `prod ${dtype}`);
          const l = onBoth((dev) => wt.logsumexp(make(x, shape, dtype, dev), { axis }));
          l.out.dispose();
          expectWithin(l.got, l.cpu, Array.from(l.cpu, (v) => slack * (Math.abs(v) + 1) * 4), `logsumexp ${dtype}`);
          const nr = onBoth((dev) => wt.norm(make(x, shape, dtype, dev), { axis }));
          nr.out.dispose();
          expectWithin(nr.got, nr.cpu, Array.from(nr.cpu, (v) => slack * Math.abs(v) * 4), `norm ${dtype}`);
        }
      });

      it.each(cases)('max, min, argmax and argmin of %j over axis %j are exact', (shape, axis) => {
        const n = shape.reduce((p, q) => p * q, 1);
        for (const dtype of FLOATS) {
          // Few distinct values, so ties (first index wins) are common.
          const x = Array.from(values(n, 71 + n, dtype), (v) => Math.round(v * 3));
          same(`max ${dtype}`, (dev) => wt.max(make(x, shape, dtype, dev), { axis }));
          same(`min ${dtype}`, (dev) => wt.min(make(x, shape, dtype, dev), { axis }));
          // Sums of small integers are exact in any order, so even sum is bitwise here.
          same(`integer sum ${dtype}`, (dev) => wt.sum(make(x, shape, dtype, dev), { axis }));
          if (typeof axis === 'number') {
            same(`argmax ${dtype}`, (dev) => wt.argmax(make(x, shape, dtype, dev), { axis }));
            same(`argmin ${dtype}`, (dev) => wt.argmin(make(x, shape, dtype, dev), { axis }));
          }
        }
      });

      it('propagates NaN and infinities like the cpu', () => {
        const x = Array.from(randomArray(4 * 600, 81));
        x[5] = NaN;
        x[700] = Infinity;
        x[1300] = -Infinity;
        x[1900] = Infinity;
        x[1901] = -Infinity;
        for (const dtype of FLOATS) {
          for (const [name, f] of [['max', wt.max], ['min', wt.min], ['sum', wt.sum], ['logsumexp', wt.logsumexp], ['norm', wt.norm]] as const)
            same(`${name} ${dtype} special`, (dev) => f(make(x, [4, 600], dtype, dev), { axis: 1 }));
          same(`argmax ${dtype} special`, (dev) => wt.argmax(make(x, [4, 600], dtype, dev), { axis: 1 }));
          same(`argmin ${dtype} special`, (dev) => wt.argmin(make(x, [4, 600], dtype, dev), { axis: 1 }));
        }
      });

      it('sums and averages complex tensors', () => {
        for (const dtype of ['complex64', 'complex128'] as DType[]) {
          for (const [shape, axis] of [[[3, 700], 1], [[5, 40, 3], 1], [[9, 17], 0]] as [number[], number][]) {
            const n = shape.reduce((p, q) => p * q, 1);
            const x = Array.from(values(n, 91, dtype), (v) => Math.round(v * 8));
            same(`sum ${dtype} ${shape}`, (dev) => wt.sum(make(x, shape, dtype, dev), { axis }));
            const m = onBoth((dev) => wt.mean(make(x, shape, dtype, dev), { axis }));
            m.out.dispose();
            expectUlps(m.got, m.cpu, realOf(dtype), 2, `mean ${dtype}`);
          }
        }
      });
    });

    describe('matmul', () => {
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

    describe('gather and scatterAdd', () => {
      it('gathers along an axis for every dtype (GATHER)', () => {
        for (const dtype of ['float32', 'float64', 'complex64', 'complex128', 'int32'] as DType[]) {
          const x = values(6 * 11 * 7, 3, dtype, -40, 40);
          const idx = [10, 0, 3, 3, 7, 10, 1];
          same(`gather axis 1 ${dtype}`, (dev) => wt.gather(make(x, [6, 11, 7], dtype, dev), idx, 1));
          same(`gather axis 0 ${dtype}`, (dev) => wt.gather(make(x, [66, 7], dtype, dev), [65, 0, 12, 12], 0));
          same(`gather last axis ${dtype}`, (dev) => wt.gather(make(x, [42, 11], dtype, dev), idx, 1));
        }
        const big = randomArray(40005, 4);
        const many = Array.from(randomArray(9000, 5), (v) => Math.floor(v * 0.5 * 40005 + 20002));
        same('gather many', (dev) => wt.gather(make(big, [40005], 'float32', dev), many, 0));
      });

      it('scatters in the cpu order when there are enough columns (bitwise)', () => {
        for (const dtype of ['float32', 'float64', 'complex64', 'complex128', 'int32'] as DType[]) {
          const idx = [3, 0, 3, 5, 3, 0, 1];
          const src = values(4 * 7 * 9, 8, dtype, -30, 30);
          same(`scatterAdd ${dtype}`, (dev) => wt.scatterAdd(make(src, [4, 7, 9], dtype, dev), idx, 1, 6));
          same(`scatterAdd last ${dtype}`, (dev) => wt.scatterAdd(make(src, [36, 7], dtype, dev), idx, 1, 6));
        }
      });

      it('scatters long index lists into few columns with atomics', () => {
        const g = 3000;
        const idx = Array.from(randomArray(g, 9), (v) => Math.floor((v + 1) * 10));
        // Small integers: exact in any order of the atomic additions.
        const ints = Array.from(randomArray(g * 2, 10), (v) => Math.round(v * 50));
        for (const dtype of ['float32', 'float64', 'int32'] as DType[])
          same(`scatterAdd atomic ${dtype}`, (dev) => wt.scatterAdd(make(ints, [g, 2], dtype, dev), idx, 0, 20));
        const real = randomArray(g * 2, 11);
        for (const dtype of FLOATS) {
          const r = onBoth((dev) => wt.scatterAdd(make(real, [g, 2], dtype, dev), idx, 0, 20));
          r.out.dispose();
          expectWithin(r.got, r.cpu, r.cpu.map(() => 2 * g * EPS[realOf(dtype)] * 2), `scatterAdd atomic ${dtype}`);
        }
      });

      it('reports an out-of-range index as E_RANGE when the result is read', () => {
        wt.tidy(() => {
          const x = wt.tensor([1, 2, 3, 4], [4], { device });
          let code: string | undefined;
          try {
            wt.gather(x, [0, 4], 0).dataSync();
          } catch (e) {
            code = (e as wt.WavetapeError).code;
          }
          expect(code).toBe('E_RANGE');
          // The device stays usable afterwards.
          expect(Array.from(wt.add(x, x).dataSync())).toEqual([2, 4, 6, 8]);
        });
      });
    });

    describe('memory', () => {
      it('returns every byte to the allocator cache', () => {
        const before = wt.memory().byDevice[device];
        wt.tidy(() => {
          const a = wt.uniform([40005], 0, 1, { device, seed: 1 });
          wt.sum(wt.mul(a, a)).dataSync();
        });
        const after = wt.memory().byDevice[device];
        expect(after.bytes).toBe(before.bytes);
        expect(after.tensors).toBe(before.tensors);
      });
    });
  });
}
