// Elementwise ops on every device: values against float64 references computed here with Math.*,
// broadcasting, numerically stable forms at large magnitudes, and gradcheck for each
// differentiable op.
import * as wt from '../lib';
import { expectClose, isKernelDevice, randomArray, testDevices } from './helpers';
import { numel, permuted, TRANSPOSED_VIEWS } from './ndref';

type Ref1 = (x: number) => number;
// [op, reference, input range]: ranges keep each op inside its domain.
const UNARY: [string, (x: wt.Tensor) => wt.Tensor, Ref1, [number, number]][] = [
  ['neg', wt.neg, (x) => -x, [-3, 3]],
  ['abs', wt.abs, Math.abs, [-3, 3]],
  ['square', wt.square, (x) => x * x, [-3, 3]],
  ['sqrt', wt.sqrt, Math.sqrt, [0.1, 4]],
  ['exp', wt.exp, Math.exp, [-5, 5]],
  ['log', wt.log, Math.log, [0.1, 5]],
  ['log1p', wt.log1p, Math.log1p, [-0.9, 5]],
  ['expm1', wt.expm1, Math.expm1, [-3, 3]],
  ['sigmoid', wt.sigmoid, (x) => 1 / (1 + Math.exp(-x)), [-8, 8]],
  ['tanh', wt.tanh, Math.tanh, [-4, 4]],
  ['relu', wt.relu, (x) => Math.max(x, 0), [-3, 3]],
  ['softplus', wt.softplus, (x) => Math.log1p(Math.exp(x)), [-8, 8]],
  ['sin', wt.sin, Math.sin, [-6, 6]],
  ['cos', wt.cos, Math.cos, [-6, 6]],
  ['sign', wt.sign, Math.sign, [-3, 3]],
  ['reciprocal', wt.reciprocal, (x) => 1 / x, [0.2, 3]],
];

type Ref2 = (a: number, b: number) => number;
const BINARY: [string, (a: wt.Tensor, b: wt.Tensor) => wt.Tensor, Ref2, [number, number], [number, number]][] = [
  ['add', wt.add, (a, b) => a + b, [-3, 3], [-3, 3]],
  ['sub', wt.sub, (a, b) => a - b, [-3, 3], [-3, 3]],
  ['mul', wt.mul, (a, b) => a * b, [-3, 3], [-3, 3]],
  ['div', wt.div, (a, b) => a / b, [-3, 3], [0.5, 3]],
  ['pow', wt.pow, (a, b) => Math.pow(a, b), [0.2, 3], [-2, 2]],
  ['maximum', wt.maximum, Math.max, [-3, 3], [-3, 3]],
  ['minimum', wt.minimum, Math.min, [-3, 3], [-3, 3]],
];

const COMPARE: [string, (a: wt.Tensor, b: wt.Tensor) => wt.Tensor, (a: number, b: number) => boolean][] = [
  ['equal', wt.equal, (a, b) => a === b],
  ['notEqual', wt.notEqual, (a, b) => a !== b],
  ['less', wt.less, (a, b) => a < b],
  ['lessEqual', wt.lessEqual, (a, b) => a <= b],
  ['greater', wt.greater, (a, b) => a > b],
  ['greaterEqual', wt.greaterEqual, (a, b) => a >= b],
];

// float32 results are rounded from float64 inputs that were themselves rounded to float32.
const f32 = (xs: Float64Array) => Float64Array.from(new Float32Array(xs));

describe.each(testDevices())('elementwise on %s', (device) => {
  // 1000 elements: not a multiple of a block or SIMD width; enough for several blocks on simt.
  const n = isKernelDevice(device) ? 300 : 1000;

  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    const atol = dtype === 'float32' ? 1e-6 : 1e-15;
    const rtol = dtype === 'float32' ? 4e-6 : 4e-15;
    const cast = dtype === 'float32' ? f32 : (x: Float64Array) => x;

    test.each(UNARY)('%s matches Math', (_name, op, ref, [lo, hi]) => {
      const x = cast(randomArray(n, 11, lo, hi));
      const y = wt.tidy(() => op(wt.tensor(x, [n], { dtype, device })).dataSync());
      expectClose(y, Array.from(x, ref), atol, rtol);
    });

    test.each(BINARY)('%s matches the reference', (_name, op, ref, ra, rb) => {
      const a = cast(randomArray(n, 3, ...ra));
      const b = cast(randomArray(n, 4, ...rb));
      const y = wt.tidy(() => op(wt.tensor(a, [n], { dtype, device }), wt.tensor(b, [n], { dtype, device })).dataSync());
      expectClose(y, Array.from(a, (v, i) => ref(v, b[i])), atol, rtol);
    });

    test.each(COMPARE)('%s gives 1/0 of the input dtype', (_name, op, ref) => {
      const a = [1, 2, 3, 4, -1, 0];
      const b = [1, 3, 2, 4, 0, -0];
      const y = wt.tidy(() => {
        const t = op(wt.tensor(a, undefined, { dtype, device }), wt.tensor(b, undefined, { dtype, device }));
        expect(t.dtype).toBe(dtype);
        return Array.from(t.dataSync());
      });
      expect(y).toEqual(a.map((v, i) => (ref(v, b[i]) ? 1 : 0)));
    });

    test('broadcasting [4,1,3] with [5,1] gives [4,5,3]', () => {
      const a = cast(randomArray(12, 5));
      const b = cast(randomArray(5, 6));
      wt.tidy(() => {
        const y = wt.mul(wt.tensor(a, [4, 1, 3], { dtype, device }), wt.tensor(b, [5, 1], { dtype, device }));
        expect(y.shape).toEqual([4, 5, 3]);
        const expected: number[] = [];
        for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 3; k++) expected.push(a[i * 3 + k] * b[j]);
        expectClose(y.dataSync(), expected, atol, rtol);
      });
    });

    test('scalars broadcast from JS numbers', () => {
      wt.tidy(() => {
        const x = wt.tensor([1, 2, 3], undefined, { dtype, device });
        expect(Array.from(wt.add(x, 0.5).dataSync())).toEqual([1.5, 2.5, 3.5]);
        expect(Array.from(wt.sub(2, x).dataSync())).toEqual([1, 0, -1]);
      });
    });

    test('clamp, affine and where', () => {
      wt.tidy(() => {
        const x = wt.tensor([-2, -0.5, 0, 0.5, 2], undefined, { dtype, device });
        expect(Array.from(wt.clamp(x, -1, 1).dataSync())).toEqual([-1, -0.5, 0, 0.5, 1]);
        expect(Array.from(wt.affine(x, 2, 1).dataSync())).toEqual([-3, 0, 1, 2, 5]);
        const y = wt.where(wt.greater(x, 0), x, wt.neg(x));
        expect(Array.from(y.dataSync())).toEqual([2, 0.5, -0, 0.5, 2]); // neg(0) is -0
      });
    });

    test('softplus, sigmoid and log1p stay finite and exact at large magnitudes', () => {
      wt.tidy(() => {
        const big = dtype === 'float32' ? 80 : 700;
        const x = wt.tensor([-1000, -big, big, 1000], undefined, { dtype, device });
        const sp = Array.from(wt.softplus(x).dataSync());
        expect(sp[0]).toBe(0);
        expect(sp[1]).toBeGreaterThanOrEqual(0);
        expectClose([sp[2], sp[3]], [big, 1000], 0, 1e-7);
        expect(Array.from(wt.sigmoid(x).dataSync())).toEqual([0, expect.any(Number), 1, 1]);
      });
    });
  });

  // Operands dense along another dimension than the output's innermost (transposed views): planes
  // with both sides ≥ 8 run on the CPU in blocks of 256 × 256 elements (128 × 128 for wider ones),
  // each transposed operand's block first transposed into a buffer in output order; on CUDA (simt
  // here) planes with both sides ≥ 32 and at most two other dimensions run in 32 × 32 tiles staged
  // through shared memory; the rest go through the strided loops. Whole and partial blocks and
  // tiles, outer dimensions, the dense input dimension not next to the output's, either operand
  // transposed or both, a broadcast or contiguous partner, a conversion (complex -> real), where.
  describe('on transposed views', () => {
    const CASES: [number[], number[]][] = [
      ...TRANSPOSED_VIEWS,
      [[2, 3, 40, 36], [1, 0, 3, 2]], // two dimensions besides the plane
      [[2, 2, 2, 12, 10], [2, 1, 0, 4, 3]], // three (CUDA: the strided path)
    ];
    test.each(['float32', 'float64'] as const)('unary and binary ops are exact (%s)', (dtype) => {
      const round = dtype === 'float32' ? Math.fround : (v: number) => v;
      for (const [shape, perm] of CASES) {
        const n = numel(shape);
        const outShape = perm.map((p) => shape[p]);
        const a = Float64Array.from({ length: n }, (_, i) => round(Math.sin(i) * 100));
        const b = Float64Array.from({ length: n }, (_, i) => round(Math.cos(i * 1.3) * 10));
        // The operands as the op sees them: transpose(·, perm) materialised.
        const av = permuted({ data: a, shape }, perm).data, bv = permuted({ data: b, shape }, perm).data;
        const row = Float64Array.from({ length: outShape[outShape.length - 1] }, (_, i) => round(i / 8 - 3));
        wt.tidy(() => {
          const ta = wt.tensor(a, shape, { dtype, device }), tb = wt.tensor(b, shape, { dtype, device });
          const at = wt.transpose(ta, perm), bt = wt.transpose(tb, perm);
          const bc = wt.contiguous(bt); // b in the output's layout
          const tr = wt.tensor(row, [row.length], { dtype, device });
          const got = {
            neg: wt.neg(at).dataSync(),
            addFirst: wt.add(at, bc).dataSync(), // the transposed operand first
            subSecond: wt.sub(bc, at).dataSync(), // and second
            mulBoth: wt.mul(at, bt).dataSync(),
            addRow: wt.add(at, tr).dataSync(), // with a broadcast row
            mulScalar: wt.mul(at, 3).dataSync(),
            // where with a transposed condition and value, the other value in the output's layout
            pick: wt.where(wt.transpose(wt.greater(ta, 0), perm), at, bc).dataSync(),
          };
          const bad: string[] = [];
          for (let i = 0; i < n; i++) {
            const x = av[i], y = bv[i], r = row[i % row.length];
            const want = { neg: round(-x), addFirst: round(x + y), subSecond: round(y - x), mulBoth: round(x * y), addRow: round(x + r), mulScalar: round(x * 3), pick: x > 0 ? x : y };
            for (const k of Object.keys(want) as (keyof typeof want)[]) if (got[k][i] !== want[k] && bad.length < 5) bad.push(`${shape}/${perm} ${k}[${i}] = ${got[k][i]}, want ${want[k]}`);
          }
          expect(bad).toEqual([]);
        });
      }
    });

    test('complex64: a binary op and a conversion to real', () => {
      const [shape, perm] = [[45, 70], [1, 0]];
      const n = numel(shape);
      const re = Float64Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 10));
      const im = Float64Array.from({ length: n }, (_, i) => Math.fround(Math.cos(i) * 10));
      const rev = permuted({ data: re, shape }, perm).data, imv = permuted({ data: im, shape }, perm).data;
      const pairs = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? im[i >> 1] : re[i >> 1]));
      wt.tidy(() => {
        const z = wt.transpose(wt.tensor(pairs, shape, { dtype: 'complex64', device }), perm);
        const sum = wt.add(z, z);
        const sr = wt.real(sum).dataSync(), si = wt.imag(sum).dataSync();
        const mag = wt.abs(z).dataSync();
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const x = rev[i], y = imv[i];
          if (sr[i] !== 2 * x || si[i] !== 2 * y) bad++;
          if (Math.abs(mag[i] - Math.hypot(x, y)) > 1e-6 * Math.hypot(x, y)) bad++;
        }
        expect(bad).toBe(0);
      });
    });

    // Outputs of ≥ 8 MiB leave the blocks through streaming stores (rows of 2050 floats start off
    // 16-byte boundaries); CPU only, the emulated devices run the shapes above.
    if (device === 'cpu')
      test('a large transposed operand with streaming stores', () => {
        const [rows, cols] = [2050, 1030];
        const src = Float32Array.from({ length: rows * cols }, (_, i) => (i % 65536) - 3);
        wt.tidy(() => {
          const x = wt.transpose(wt.tensor(src, [rows, cols], { dtype: 'float32', device }));
          const sum = wt.add(x, 0.5).dataSync(), sq = wt.square(x).dataSync();
          let bad = 0;
          for (let c = 0; c < cols; c++)
            for (let r = 0; r < rows; r++) {
              const v = src[r * cols + c];
              if (sum[c * rows + r] !== v + 0.5 || sq[c * rows + r] !== Math.fround(v * v)) bad++;
            }
          expect(bad).toBe(0);
        });
      });
  });

  describe('gradients (float64, central differences)', () => {
    const inRange = (k: number, [lo, hi]: [number, number], seed: number) =>
      wt.tensor(randomArray(k, seed, lo, hi), [k], { dtype: 'float64', device });
    test.each(UNARY.filter(([name]) => name !== 'sign'))('%s', (name, op, _ref, range) => {
      wt.tidy(() => {
        // Keep relu/abs away from their kink, where central differences are meaningless.
        const r: [number, number] = name === 'relu' || name === 'abs' ? [0.2, 2] : range;
        const x = wt.mul(inRange(6, r, 21), wt.tensor([1, -1, 1, -1, 1, -1].map((s) => (name === 'relu' || name === 'abs' ? s : 1)), [6], { dtype: 'float64', device }));
        expect(wt.testing.gradcheck((t) => wt.sum(wt.mul(op(t), wt.arange(1, 7, 1, { dtype: 'float64', device }))), [x])).toEqual([]);
      });
    });
    test.each(BINARY)('%s', (name, op, _ref, ra, rb) => {
      wt.tidy(() => {
        const a = inRange(6, ra, 31);
        // maximum/minimum: keep the operands apart so the subgradient is unambiguous.
        const b = name === 'maximum' || name === 'minimum' ? wt.add(a, wt.tensor([0.5, -0.5, 0.7, -0.7, 0.3, -0.3], [6], { dtype: 'float64', device })) : inRange(6, rb, 32);
        expect(wt.testing.gradcheck((u, v) => wt.sum(wt.mul(op(u, v), wt.arange(1, 7, 1, { dtype: 'float64', device }))), [a, b])).toEqual([]);
      });
    });
    test('broadcast gradients sum over broadcast axes', () => {
      wt.tidy(() => {
        const a = wt.tensor(randomArray(6, 41), [2, 1, 3], { dtype: 'float64', device });
        const b = wt.tensor(randomArray(4, 42), [4, 1], { dtype: 'float64', device });
        expect(wt.testing.gradcheck((u, v) => wt.sum(wt.square(wt.mul(wt.add(u, v), v))), [a, b])).toEqual([]);
      });
    });
    test('clamp, affine and where', () => {
      wt.tidy(() => {
        const x = wt.tensor([-2, -0.5, 0.3, 0.6, 2], [5], { dtype: 'float64', device });
        const y = wt.tensor([1, 2, 3, 4, 5], [5], { dtype: 'float64', device });
        const c = wt.greater(x, 0);
        expect(wt.testing.gradcheck((u, v) => wt.sum(wt.mul(wt.where(c, wt.clamp(u, -1, 1), wt.affine(v, 3, 1)), v)), [x, y])).toEqual([]);
      });
    });
  });
});
