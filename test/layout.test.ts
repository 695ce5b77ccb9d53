// Layout ops (reshape, transpose, slice, sliceAxes, flip, concat, stack, pad, roll, gather,
// scatterAdd, expandDims, squeeze, broadcastTo, cast, to, contiguous) on every device: values
// against naive float64 references, gradcheck, fast-check properties and invalid arguments.
import fc from 'fast-check';
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray, expectClose } from './helpers';
import { T, values, build, at, numel, unravel, permuted, TRANSPOSED_VIEWS, expectCode, weightedSum, expectGrad } from './ndref';

const devices = testDevices();

const loss = (y: wt.Tensor): wt.Tensor => weightedSum(y, 7);

describe.each(devices)('layout on %s', (device) => {
  const small = isKernelDevice(device);
  const runs = small ? 8 : 40;
  const rand = (shape: number[], seed: number, dtype: wt.DType = 'float64') =>
    T(randomArray(numel(shape), seed), shape, device, dtype);
  const shapeArb = (maxRank: number, maxDim: number) => fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 1, maxLength: maxRank });

  afterEach(() => wt.sync());

  describe('reshape, expandDims, squeeze, flatten', () => {
    it('keeps row-major order and infers -1', () => {
      const x = rand([2, 3, 4], 1);
      const y = wt.reshape(x, [4, -1]);
      expect(y.shape).toEqual([4, 6]);
      expect(values(y)).toEqual(values(x));
      expect(wt.flatten(x).shape).toEqual([24]);
      expectCode(() => wt.reshape(x, []), 'E_SHAPE', /reshape/);
      expect(wt.reshape(wt.slice(x, [0, 0, 0], [1, 1, 1]), []).shape).toEqual([]);
    });
    it('reshapes a strided view by copying it in order', () => {
      const x = rand([3, 4], 2);
      const xt = wt.transpose(x);
      const ref = build([4, 3], ([i, j]) => at({ data: Float64Array.from(values(x)), shape: [3, 4] }, [j, i]));
      expect(values(wt.reshape(xt, [12]))).toEqual(Array.from(ref.data));
    });
    it('expandDims and squeeze change only the shape', () => {
      const x = rand([2, 3], 3);
      expect(wt.expandDims(x, 0).shape).toEqual([1, 2, 3]);
      expect(wt.expandDims(x, -1).shape).toEqual([2, 3, 1]);
      expect(wt.expandDims(x, 1).shape).toEqual([2, 1, 3]);
      const y = wt.reshape(x, [1, 2, 1, 3, 1]);
      expect(wt.squeeze(y).shape).toEqual([2, 3]);
      expect(wt.squeeze(y, [0, -1]).shape).toEqual([2, 1, 3]);
      expect(values(wt.squeeze(y))).toEqual(values(x));
      expect(x.reshape([3, 2]).shape).toEqual([3, 2]);
    });
    it('round-trips through random shapes (property)', () => {
      fc.assert(
        fc.property(shapeArb(4, 4), fc.integer({ min: 0, max: 1000 }), (shape, seed) =>
          wt.tidy(() => {
            const x = rand(shape, seed);
            const back = wt.reshape(wt.reshape(x, [-1]), shape);
            expect(back.shape).toEqual(shape);
            expect(values(back)).toEqual(values(x));
          }),
        ),
        { numRuns: runs },
      );
    });
    it('has gradients', () => {
      expectGrad((x) => loss(wt.reshape(x, [3, 2])), [rand([2, 3], 4)]);
      expectGrad((x) => loss(wt.squeeze(wt.expandDims(x, 1), 1)), [rand([2, 3], 5)]);
    });
    it('rejects bad arguments', () => {
      const x = rand([2, 3], 6);
      expectCode(() => wt.reshape(x, [4, 2]), 'E_SHAPE', /reshape.*shape/);
      expectCode(() => wt.reshape(x, [-1, -1]), 'E_SHAPE', /reshape/);
      expectCode(() => wt.reshape(x, [2.5, 2]), 'E_SHAPE', /reshape.*'shape'/);
      expectCode(() => wt.expandDims(x, 3), 'E_RANGE', /expandDims.*'axis'/);
      expectCode(() => wt.squeeze(x, 0), 'E_SHAPE', /squeeze.*'axis'/);
      expectCode(() => wt.squeeze(x, 2), 'E_RANGE', /squeeze.*'axis'/);
      expectCode(() => wt.reshape({} as wt.Tensor, [1]), 'E_DTYPE', /reshape.*'x'/);
      const d = rand([2], 7);
      d.dispose();
      expectCode(() => wt.reshape(d, [2]), 'E_DISPOSED', /reshape/);
    });
  });

  describe('transpose and permute', () => {
    it('matches a naive permutation', () => {
      const shape = [2, 3, 4];
      const x = rand(shape, 10);
      const xr = { data: Float64Array.from(values(x)), shape };
      const perm = [2, 0, 1];
      const y = wt.transpose(x, perm);
      expect(y.shape).toEqual([4, 2, 3]);
      const ref = build([4, 2, 3], ([a, b, c]) => at(xr, [b, c, a]));
      expect(values(y)).toEqual(Array.from(ref.data));
      const yr = wt.transpose(x);
      expect(values(yr)).toEqual(Array.from(build([4, 3, 2], ([a, b, c]) => at(xr, [c, b, a])).data));
      expect(values(wt.permute(x, [0, 2, 1]))).toEqual(Array.from(build([2, 4, 3], ([a, b, c]) => at(xr, [a, c, b])).data));
      expect(values(wt.swapAxes(x, 0, -1))).toEqual(values(yr));
    });
    it('transposing twice with the inverse is the identity (property)', () => {
      fc.assert(
        fc.property(
          shapeArb(5, 3).chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length }))),
          fc.integer({ min: 0, max: 1000 }),
          ([shape, perm], seed) =>
            wt.tidy(() => {
              const x = rand(shape, seed);
              const y = wt.transpose(x, perm);
              expect(y.shape).toEqual(perm.map((p) => shape[p]));
              const inv = new Array<number>(perm.length);
              perm.forEach((p, i) => (inv[p] = i));
              expect(values(wt.transpose(y, inv))).toEqual(values(x));
              // every element lands where the permutation says
              const yv = values(y);
              const xv = values(x);
              for (let k = 0; k < yv.length; k++) {
                const idx = unravel(k, y.shape);
                const src = new Array<number>(shape.length);
                perm.forEach((p, i) => (src[p] = idx[i]));
                expect(yv[k]).toBe(at({ data: Float64Array.from(xv), shape }, src));
              }
            }),
        ),
        { numRuns: runs },
      );
    });
    it('has a gradient', () => {
      expectGrad((x) => loss(wt.transpose(x, [1, 2, 0])), [rand([2, 3, 2], 11)]);
    });
    // Planes with both sides ≥ 8 go through the CPU's tiled transpose (blocks of 256 × 256 elements,
    // 128 × 128 for wider ones, in 32 × 32 tiles gathered in output order; tiles of 4-byte elements
    // with sides a multiple of 4 in 4 × 4 SSE blocks, others element by element), ≥ 32 through the CUDA one: whole, partial and
    // thin tiles and blocks, an outer dimension, the dense input dimension not next to the output's,
    // every dtype size, and a conversion on the way.
    it('materialises large transposed views exactly (tiled copy)', () => {
      for (const [shape, perm] of TRANSPOSED_VIEWS)
        for (const dtype of ['float32', 'float64', 'int32', 'complex64'] as wt.DType[]) {
          const n = numel(shape);
          const src = Float64Array.from({ length: n }, (_, i) => (dtype === 'int32' ? (i * 7919) % 100003 - 50000 : Math.fround(Math.sin(i) * 1000)));
          // complex64: interleaved (re, im) pairs, im = −re.
          const x = dtype === 'complex64' ? wt.tensor(Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? -src[i >> 1] : src[i >> 1])), shape, { dtype, device }) : T(src, shape, device, dtype);
          const y = wt.contiguous(wt.transpose(x, perm));
          const want = permuted({ data: src, shape }, perm);
          expect(dtype === 'complex64' ? Array.from(wt.real(y).dataSync()) : values(y)).toEqual(Array.from(want.data));
          if (dtype === 'complex64') expect(Array.from(wt.imag(y).dataSync())).toEqual(Array.from(want.data, (v) => -v));
          if (dtype === 'float32') expect(values(wt.cast(wt.transpose(x, perm), 'float64'))).toEqual(Array.from(want.data));
        }
    });
    // Outputs of ≥ 8 MiB leave the CPU's tiles through streaming stores; output rows 2050 floats
    // long start off 16-byte boundaries (each row's head and tail stored plainly), and the last
    // tiles are thin and odd. (CPU only: the emulated copy would be slow; simt runs the test above.)
    if (device === 'cpu')
      it('materialises a large transposed view with streaming stores', () => {
        const [rows, cols] = [2050, 1030];
        for (const dtype of ['float32', 'float64'] as const) {
          const ramp = Float64Array.from({ length: rows * cols }, (_, i) => i);
          const src = dtype === 'float32' ? Float32Array.from(ramp) : ramp;
          const y = wt.contiguous(wt.transpose(wt.tensor(src, [rows, cols], { dtype, device })));
          const got = y.dataSync();
          let bad = 0;
          for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) if (got[c * rows + r] !== src[r * cols + c]) bad++;
          expect(bad).toBe(0);
          y.dispose();
        }
      });
    it('rejects bad axes', () => {
      const x = rand([2, 3], 12);
      expectCode(() => wt.transpose(x, [0]), 'E_SHAPE', /transpose.*'axes'/);
      expectCode(() => wt.transpose(x, [0, 2]), 'E_RANGE', /transpose.*'axes'/);
      expectCode(() => wt.transpose(x, [1, 1]), 'E_SHAPE', /transpose.*repeats/);
      expectCode(() => wt.swapAxes(x, 0, 5), 'E_RANGE', /swapAxes.*'axis2'/);
    });
  });

  describe('slice, sliceAxes and flip', () => {
    it('slice takes a block (begin, size with -1 = to the end)', () => {
      const shape = [4, 5];
      const x = rand(shape, 20);
      const xr = { data: Float64Array.from(values(x)), shape };
      const y = wt.slice(x, [1, 2], [2, -1]);
      expect(y.shape).toEqual([2, 3]);
      expect(values(y)).toEqual(Array.from(build([2, 3], ([i, j]) => at(xr, [i + 1, j + 2])).data));
      expect(values(wt.slice(x, [-1]))).toEqual(Array.from(build([1, 5], ([, j]) => at(xr, [3, j])).data));
      expect(wt.slice(x, [4, 0], [0, 5]).shape).toEqual([0, 5]);
      expect(wt.slice(x, 2).shape).toEqual([2, 5]);
    });
    // Python's list slicing of range(7), computed with Python itself.
    const table: [(number | null)[], number[]][] = [
      [[null, null, null], [0, 1, 2, 3, 4, 5, 6]],
      [[1, 5, null], [1, 2, 3, 4]],
      [[-3, null, null], [4, 5, 6]],
      [[null, -2, null], [0, 1, 2, 3, 4]],
      [[null, null, 2], [0, 2, 4, 6]],
      [[1, null, 3], [1, 4]],
      [[null, null, -1], [6, 5, 4, 3, 2, 1, 0]],
      [[5, 1, -1], [5, 4, 3, 2]],
      [[-1, -8, -2], [6, 4, 2, 0]],
      [[10, null, -3], [6, 3, 0]],
      [[-10, 3, null], [0, 1, 2]],
      [[3, 3, null], []],
      [[4, 2, null], []],
      [[null, null, -4], [6, 2]],
      [[2, 100, 2], [2, 4, 6]],
    ];
    it.each(table)('sliceAxes follows Python slicing: %j', (spec, expected) => {
      const x = T([0, 1, 2, 3, 4, 5, 6], [7], device);
      const y = wt.sliceAxes(x, [spec as [number | null, number | null, number | null]]);
      expect(values(y)).toEqual(expected);
      const obj = wt.sliceAxes(x, [{ start: spec[0], stop: spec[1], step: spec[2] }]);
      expect(values(obj)).toEqual(expected);
    });
    it('sliceAxes combines indices, ranges and whole axes on several axes', () => {
      const shape = [3, 4, 5];
      const x = rand(shape, 21);
      const xr = { data: Float64Array.from(values(x)), shape };
      const y = wt.sliceAxes(x, [-1, [null, null, -2], null]);
      expect(y.shape).toEqual([2, 5]);
      expect(values(y)).toEqual(Array.from(build([2, 5], ([j, k]) => at(xr, [2, 3 - 2 * j, k])).data));
      expect(wt.sliceAxes(x, [1]).shape).toEqual([4, 5]);
      expect(wt.sliceAxes(x, [0, 0, 0]).shape).toEqual([]);
    });
    it('flip reverses the given axes', () => {
      const shape = [2, 3, 4];
      const x = rand(shape, 22);
      const xr = { data: Float64Array.from(values(x)), shape };
      expect(values(wt.flip(x, 1))).toEqual(Array.from(build(shape, ([a, b, c]) => at(xr, [a, 2 - b, c])).data));
      expect(values(wt.flip(x, [0, -1]))).toEqual(Array.from(build(shape, ([a, b, c]) => at(xr, [1 - a, b, 3 - c])).data));
      expect(values(wt.flip(x))).toEqual(Array.from(build(shape, ([a, b, c]) => at(xr, [1 - a, 2 - b, 3 - c])).data));
      expect(values(wt.flip(wt.flip(x, 2), 2))).toEqual(values(x));
      expect(wt.flip(T([], [0, 3], device)).shape).toEqual([0, 3]);
    });
    it('negative-stride views feed other ops correctly', () => {
      const x = rand([3, 4], 23);
      const y = wt.add(wt.flip(x, 1), 1);
      const xr = { data: Float64Array.from(values(x)), shape: [3, 4] };
      expectClose(values(y), Array.from(build([3, 4], ([i, j]) => at(xr, [i, 3 - j]) + 1).data), 1e-15);
      expect(values(wt.contiguous(wt.flip(x, 0)))).toEqual(Array.from(build([3, 4], ([i, j]) => at(xr, [2 - i, j])).data));
    });
    it('have gradients', () => {
      expectGrad((x) => loss(wt.slice(x, [1, 0], [2, 2])), [rand([3, 3], 24)]);
      expectGrad((x) => loss(wt.sliceAxes(x, [[null, null, -2], 1])), [rand([5, 3], 25)]);
      expectGrad((x) => loss(wt.flip(x, [0, 1])), [rand([2, 3], 26)]);
      // a slice taken twice accumulates
      expectGrad((x) => wt.add(loss(wt.slice(x, [0], [2])), loss(wt.slice(x, [1], [2]))), [rand([3], 27)]);
    });
    it('slice gradients are differentiable again (second order)', () => {
      // d/dw of <V, d/dx <w, slice(x)>> = slice(V)
      const x = rand([4], 28);
      const V = T([1, 2, 3, 4], [4], device);
      const f = (w: wt.Tensor) => {
        const gx = wt.grad((xx: wt.Tensor) => wt.sum(wt.mul(wt.slice(xx, [1], [2]), w)))(x);
        return wt.sum(wt.mul(gx, V));
      };
      const gw = wt.grad(f)(rand([2], 29));
      expect(values(gw)).toEqual([2, 3]);
    });
    it('rejects bad arguments', () => {
      const x = rand([3, 4], 30);
      expectCode(() => wt.slice(x, [0, 5]), 'E_RANGE', /slice.*'begin'/);
      expectCode(() => wt.slice(x, [1, 1], [3, 1]), 'E_RANGE', /slice.*axis 0/);
      expectCode(() => wt.slice(x, [0, 0, 0]), 'E_SHAPE', /slice.*'begin'/);
      expectCode(() => wt.slice(x, [0, 0], [-2, 1]), 'E_RANGE', /slice.*'size'/);
      expectCode(() => wt.sliceAxes(x, [3]), 'E_RANGE', /sliceAxes.*index 3/);
      expectCode(() => wt.sliceAxes(x, [[0, 2, 0]]), 'E_RANGE', /sliceAxes.*step/);
      expectCode(() => wt.sliceAxes(x, [null, null, null]), 'E_SHAPE', /sliceAxes.*'specs'/);
      expectCode(() => wt.sliceAxes(x, [[0.5, 2]]), 'E_SHAPE', /sliceAxes.*start/);
      expectCode(() => wt.flip(x, 2), 'E_RANGE', /flip.*'axis'/);
      expectCode(() => wt.flip(x, [1, -1]), 'E_SHAPE', /flip.*repeats/);
    });
  });

  describe('concat and stack', () => {
    it('match a naive join', () => {
      const a = rand([2, 3], 40);
      const b = rand([2, 1], 41);
      const c = rand([2, 2], 42);
      const ar = { data: Float64Array.from(values(a)), shape: [2, 3] };
      const br = { data: Float64Array.from(values(b)), shape: [2, 1] };
      const cr = { data: Float64Array.from(values(c)), shape: [2, 2] };
      const y = wt.concat([a, b, c], 1);
      expect(y.shape).toEqual([2, 6]);
      const ref = build([2, 6], ([i, j]) => (j < 3 ? at(ar, [i, j]) : j < 4 ? at(br, [i, 0]) : at(cr, [i, j - 4])));
      expect(values(y)).toEqual(Array.from(ref.data));
      expect(values(wt.concat([a, a], -2))).toEqual([...values(a), ...values(a)]);
      const s = wt.stack([a, wt.neg(a)], 1);
      expect(s.shape).toEqual([2, 2, 3]);
      expect(values(s)).toEqual(Array.from(build([2, 2, 3], ([i, k, j]) => (k === 0 ? 1 : -1) * at(ar, [i, j])).data));
      expect(wt.stack([a, a, a], -1).shape).toEqual([2, 3, 3]);
      expect(values(wt.stack([T([1], [], device), T([2], [], device)]))).toEqual([1, 2]);
      expect(values(wt.concat([a]))).toEqual(values(a));
    });
    it('concat of complex and int32 tensors', () => {
      const z = T([1, 2, 3, 4], [2], device, 'complex128');
      expect(values(wt.concat([z, z]))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
      const i = T([1, 2], [2], device, 'int32');
      expect(values(wt.concat([i, i]))).toEqual([1, 2, 1, 2]);
    });
    it('slicing a concat gives the parts back (property)', () => {
      fc.assert(
        fc.property(
          shapeArb(3, 3),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
          fc.nat(),
          fc.integer({ min: 0, max: 1000 }),
          (shape, sizes, axisSeed, seed) =>
            wt.tidy(() => {
              const axis = axisSeed % shape.length;
              const parts = sizes.map((n, i) => {
                const s = shape.slice();
                s[axis] = n;
                return rand(s, seed + i);
              });
              const y = wt.concat(parts, axis);
              let off = 0;
              parts.forEach((p, i) => {
                const begin = shape.map(() => 0);
                const size = shape.map(() => -1);
                begin[axis] = off;
                size[axis] = sizes[i];
                expect(values(wt.slice(y, begin, size))).toEqual(values(p));
                off += sizes[i];
              });
              expect(y.shape[axis]).toBe(off);
            }),
        ),
        { numRuns: runs },
      );
    });
    it('have gradients', () => {
      expectGrad((a, b) => loss(wt.concat([a, b, a], 0)), [rand([1, 3], 43), rand([2, 3], 44)]);
      expectGrad((a, b) => loss(wt.stack([a, b], -1)), [rand([2, 2], 45), rand([2, 2], 46)]);
    });
    it('reject bad arguments', () => {
      const a = rand([2, 3], 47);
      expectCode(() => wt.concat([], 0), 'E_SHAPE', /concat.*'xs'/);
      expectCode(() => wt.concat([a, rand([3, 3], 48)], 1), 'E_SHAPE', /concat.*'xs\[1\]'/);
      expectCode(() => wt.concat([a, rand([2, 3, 1], 48)], 0), 'E_SHAPE', /concat.*'xs\[1\]'/);
      expectCode(() => wt.concat([a, rand([2, 3], 49, 'float32')]), 'E_DTYPE', /concat.*'xs\[1\]'.*float32/);
      expectCode(() => wt.concat([a, a], 2), 'E_RANGE', /concat.*'axis'/);
      expectCode(() => wt.concat([T([1], [], device)]), 'E_SHAPE', /concat.*0-d/);
      expectCode(() => wt.stack([a, rand([3, 2], 50)]), 'E_SHAPE', /stack.*'xs\[1\]'/);
      expectCode(() => wt.stack([a, a], 3), 'E_RANGE', /stack.*'axis'/);
    });
  });

  describe('pad', () => {
    it('surrounds the input with a constant', () => {
      const x = rand([2, 3], 60);
      const xr = { data: Float64Array.from(values(x)), shape: [2, 3] };
      const y = wt.pad(x, [[1, 2], [0, 1]], 7);
      expect(y.shape).toEqual([5, 4]);
      const ref = build([5, 4], ([i, j]) => (i >= 1 && i < 3 && j < 3 ? at(xr, [i - 1, j]) : 7));
      expect(values(y)).toEqual(Array.from(ref.data));
      expect(values(wt.pad(x, [[0, 1]]))).toEqual([...values(x), 0, 0, 0]);
      const z = wt.pad(T([1, 2], [1], device, 'complex64'), [[1, 0]], 3);
      expect(values(z)).toEqual([3, 0, 1, 2]);
    });
    it('has a gradient', () => {
      expectGrad((x) => loss(wt.pad(x, [[2, 1], [1, 0]], 0.5)), [rand([2, 2], 61)]);
    });
    it('rejects bad paddings', () => {
      const x = rand([2, 3], 62);
      expectCode(() => wt.pad(x, [[0, 0], [0, 0], [0, 0]]), 'E_SHAPE', /pad.*'paddings'/);
      expectCode(() => wt.pad(x, [[-1, 0]]), 'E_RANGE', /pad.*'paddings\[0\]'/);
      expectCode(() => wt.pad(x, [[1, 0.5]]), 'E_RANGE', /pad.*'paddings\[0\]'/);
      expectCode(() => wt.pad(x, [[1, 1]], NaN), 'E_RANGE', /pad.*'value'/);
    });
  });

  describe('roll', () => {
    const refRoll = (xr: { data: Float64Array; shape: number[] }, shift: number, axis: number) =>
      build(xr.shape, (idx) => {
        const n = xr.shape[axis];
        const src = idx.slice();
        src[axis] = (((idx[axis] - shift) % n) + n) % n;
        return at(xr, src);
      });
    it('matches numpy.roll', () => {
      const shape = [3, 4];
      const x = rand(shape, 70);
      const xr = { data: Float64Array.from(values(x)), shape };
      for (const [shift, axis] of [[1, 1], [-1, 1], [5, 1], [2, 0], [-7, 0], [0, 1], [4, 1]]) {
        expect(values(wt.roll(x, shift, axis))).toEqual(Array.from(refRoll(xr, shift, axis).data));
      }
      const two = refRoll(refRoll(xr, 1, 0), -2, 1);
      expect(values(wt.roll(x, [1, -2], [0, 1]))).toEqual(Array.from(two.data));
      const flat = { data: xr.data, shape: [12] };
      expect(values(wt.roll(x, 5))).toEqual(Array.from(refRoll(flat, 5, 0).data));
      expect(wt.roll(x, 5).shape).toEqual(shape);
    });
    it('has a gradient', () => {
      expectGrad((x) => loss(wt.roll(x, [2, -1], [0, 1])), [rand([3, 3], 71)]);
      expectGrad((x) => loss(wt.roll(x, 3)), [rand([2, 3], 72)]);
    });
    it('rejects bad arguments', () => {
      const x = rand([3, 4], 73);
      expectCode(() => wt.roll(x, 1, 2), 'E_RANGE', /roll.*'axis'/);
      expectCode(() => wt.roll(x, [1, 2], [0]), 'E_SHAPE', /roll.*'shift'/);
      expectCode(() => wt.roll(x, 1.5, 0), 'E_SHAPE', /roll.*'shift'/);
    });
  });

  describe('gather and scatterAdd', () => {
    it('gather picks entries along an axis', () => {
      const shape = [3, 4];
      const x = rand(shape, 80);
      const xr = { data: Float64Array.from(values(x)), shape };
      const idx = [3, 0, 0, 2, 1];
      const y = wt.gather(x, idx, 1);
      expect(y.shape).toEqual([3, 5]);
      expect(values(y)).toEqual(Array.from(build([3, 5], ([i, k]) => at(xr, [i, idx[k]])).data));
      const it2 = T([2, 0, 1, 1], [2, 2], device, 'int32');
      const y2 = wt.gather(x, it2, 0);
      expect(y2.shape).toEqual([2, 2, 4]);
      const ir = [[2, 0], [1, 1]];
      expect(values(y2)).toEqual(Array.from(build([2, 2, 4], ([a, b, c]) => at(xr, [ir[a][b], c])).data));
    });
    it('scatterAdd accumulates repeated indices', () => {
      const src = T([1, 2, 3, 4, 5, 6], [2, 3], device);
      const y = wt.scatterAdd(src, [1, 0, 1], 1, 3);
      expect(y.shape).toEqual([2, 3]);
      expect(values(y)).toEqual([2, 4, 0, 5, 10, 0]);
    });
    it('have gradients (repeated indices accumulate)', () => {
      expectGrad((x) => loss(wt.gather(x, [1, 1, 0, 2], 1)), [rand([2, 3], 81)]);
      expectGrad((x) => loss(wt.gather(x, T([0, 2, 2, 1], [2, 2], device, 'int32'), 0)), [rand([3, 2], 82)]);
      expectGrad((s) => loss(wt.scatterAdd(s, [2, 0, 2], 0, 4)), [rand([3, 2], 83)]);
    });
    it('reject bad arguments', () => {
      const x = rand([3, 4], 84);
      expectCode(() => wt.gather(x, T([0, 1], [2], device), 0), 'E_DTYPE', /gather.*'indices'.*int32/);
      expectCode(() => wt.gather(x, [0], 2), 'E_RANGE', /gather.*'axis'/);
      expectCode(() => wt.gather(x, [0.5], 0), 'E_RANGE', /gather.*'indices'/);
      expectCode(() => wt.gather(T([1], [], device), [0], 0), 'E_SHAPE', /gather.*'x'/);
      // data-dependent: the read of the result rejects
      expectCode(() => wt.gather(x, [0, 3], 0).dataSync(), 'E_RANGE', /gather.*index/);
      expectCode(() => wt.scatterAdd(x, [0, 1, 2, 3], 1, -1), 'E_RANGE', /scatterAdd.*'size'/);
      expectCode(() => wt.scatterAdd(x, [0, 1], 1, 2), 'E_SHAPE', /scatterAdd/);
    });
  });

  describe('broadcastTo', () => {
    it('repeats along new and size-1 axes', () => {
      const x = rand([3, 1], 90);
      const xr = { data: Float64Array.from(values(x)), shape: [3, 1] };
      const y = wt.broadcastTo(x, [2, 3, 4]);
      expect(values(y)).toEqual(Array.from(build([2, 3, 4], ([, j]) => at(xr, [j, 0])).data));
    });
    it('sum of a broadcast = sum × count (property)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
          fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
          fc.integer({ min: 0, max: 1000 }),
          (dims, lead, seed) =>
            wt.tidy(() => {
              const target = [...lead, ...dims.map(([d]) => d)];
              const shape = dims.map(([d, one]) => (one ? 1 : d));
              const x = rand(shape, seed);
              const y = wt.broadcastTo(x, target);
              expect(y.shape).toEqual(target);
              const count = numel(target) / numel(shape);
              const s = values(x).reduce((a, b) => a + b, 0);
              expectClose([wt.sum(y).item()], [s * count], 1e-12, 1e-12);
            }),
        ),
        { numRuns: runs },
      );
    });
    it('has a gradient', () => {
      expectGrad((x) => loss(wt.broadcastTo(x, [2, 3, 2])), [rand([3, 1], 91)]);
    });
    it('rejects incompatible shapes', () => {
      const x = rand([3, 2], 92);
      expectCode(() => wt.broadcastTo(x, [3, 3]), 'E_SHAPE', /broadcastTo/);
      expectCode(() => wt.broadcastTo(x, [2]), 'E_SHAPE', /broadcastTo/);
      expectCode(() => wt.broadcastTo(x, [-1, 2]), 'E_SHAPE', /broadcastTo.*'shape'/);
    });
  });

  describe('cast, to, contiguous', () => {
    it('cast converts dtypes', () => {
      const v = [1.1, -2.7, 3.5e-8, 1e10];
      const x = T(v, [4], device);
      const f = wt.cast(x, 'float32');
      expect(f.dtype).toBe('float32');
      expect(values(f)).toEqual(v.map(Math.fround));
      const z = wt.cast(x, 'complex128');
      expect(z.dtype).toBe('complex128');
      expect(values(z)).toEqual([1.1, 0, -2.7, 0, 3.5e-8, 0, 1e10, 0]);
      expect(wt.cast(T([1.5, -2.5], [2], device), 'int32').dtype).toBe('int32');
      expect(values(wt.cast(T([3, -4], [2], device, 'int32'), 'float64'))).toEqual([3, -4]);
      expect(values(wt.cast(z, 'complex64'))).toEqual([1.1, 0, -2.7, 0, 3.5e-8, 0, 1e10, 0].map(Math.fround));
      expect(x.cast('float32').dtype).toBe('float32');
      expect(wt.cast(x, 'float64').dtype).toBe('float64');
    });
    it('cast has gradients between float and complex dtypes', () => {
      const c = T([0.5, 2], [1], device, 'complex128');
      expectGrad((x) => loss(wt.abs(wt.mul(wt.cast(x, 'complex128'), c))), [rand([3], 100)]);
      expectGrad((x) => loss(wt.abs(wt.cast(wt.mul(wt.cast(x, 'complex128'), c), 'complex128'))), [rand([3], 102)]);
      // through float32: the gradient is cast back to float64 (checked loosely)
      const [, g] = wt.valueAndGrad((x: wt.Tensor) => wt.sum(wt.mul(wt.cast(x, 'float32'), T([1, 2, 3], [3], device, 'float32'))))(rand([3], 101));
      expect(g.dtype).toBe('float64');
      expect(values(g)).toEqual([1, 2, 3]);
    });
    it('cast rejects bad dtypes', () => {
      const z = T([1, 2], [1], device, 'complex64');
      expectCode(() => wt.cast(z, 'float32'), 'E_DTYPE', /cast.*complex64.*float32/);
      expectCode(() => wt.cast(z, 'float16' as wt.DType), 'E_DTYPE', /cast.*'dtype'/);
    });
    it('to copies across devices and back, with a gradient', () => {
      const x = rand([2, 3], 110);
      for (const d of devices) {
        const y = wt.to(x, d);
        expect(y.device).toBe(d);
        expect(values(y)).toEqual(values(x));
        expect(values(x.to(d).to(device))).toEqual(values(x));
      }
      const other = devices.find((d) => d !== device) ?? device;
      const [, g] = wt.valueAndGrad((t: wt.Tensor) => wt.sum(wt.mul(wt.to(t, other), T([1, 2, 3, 4, 5, 6], [2, 3], other))))(x);
      expect(g.device).toBe(device);
      expect(values(g)).toEqual([1, 2, 3, 4, 5, 6]);
      expectCode(() => wt.to(x, 'tpu:7'), 'E_DEVICE', /to.*'device'.*tpu:7/);
    });
    it('contiguous densifies views and passes gradients', () => {
      const x = rand([3, 4], 120);
      const xr = { data: Float64Array.from(values(x)), shape: [3, 4] };
      const c = wt.contiguous(wt.transpose(x));
      expect(values(c)).toEqual(Array.from(build([4, 3], ([i, j]) => at(xr, [j, i])).data));
      expectGrad((t) => loss(wt.contiguous(wt.transpose(t))), [rand([2, 3], 121)]);
    });
  });

  it('every layout op is registered as differentiable', () => {
    const ops = wt.differentiableOps();
    for (const op of ['reshape', 'transpose', 'slice', 'unslice', 'concat', 'pad', 'roll', 'gather', 'scatterAdd', 'broadcastTo', 'cast', 'to', 'contiguous', 'identity'])
      expect(ops).toContain(op);
  });

  it('leaves no tensors behind', () => {
    const before = wt.memory().tensors;
    wt.tidy(() => {
      const x = rand([3, 4], 130);
      const [, g] = wt.valueAndGrad((t: wt.Tensor) =>
        loss(wt.concat([wt.pad(wt.roll(wt.flip(t, 0), 1, 1), [[1, 0], [0, 0]]), wt.gather(t, [0, 2], 0)], 0)),
      )(x);
      g.dataSync();
    });
    expect(wt.memory().tensors).toBe(before);
  });
});
