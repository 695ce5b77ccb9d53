// matmul on every device: batched, broadcasting leading axes, 1-d promotion, strided inputs;
// values against a naive triple loop in float64, gradcheck, fast-check properties, bad arguments.
import fc from 'fast-check';
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray, expectClose, tol } from './helpers';
import { T, values, expectCode, numel, unravel, ravel, weightedSum, expectGrad } from './ndref';

const devices = testDevices();

/** numpy.matmul by plain loops (shapes have rank >= 1). */
function refMatmul(a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[]): { data: number[]; shape: number[] } {
  const A = as.length === 1 ? [1, as[0]] : as;
  const B = bs.length === 1 ? [bs[0], 1] : bs;
  const M = A[A.length - 2];
  const K = A[A.length - 1];
  const N = B[B.length - 1];
  const ba = A.slice(0, -2);
  const bb = B.slice(0, -2);
  const nb = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = ba[i - (nb - ba.length)] ?? 1;
    const db = bb[i - (nb - bb.length)] ?? 1;
    batch.push(da === 1 ? db : da);
  }
  const out: number[] = [];
  for (let p = 0; p < numel(batch); p++) {
    const bi = unravel(p, batch);
    const ia = ba.map((d, i) => (d === 1 ? 0 : bi[i + nb - ba.length]));
    const ib = bb.map((d, i) => (d === 1 ? 0 : bi[i + nb - bb.length]));
    const oa = ravel(ia, ba) * M * K;
    const ob = ravel(ib, bb) * K * N;
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[oa + m * K + k] * b[ob + k * N + n];
        out.push(s);
      }
  }
  const shape = [...batch, ...(as.length === 1 ? [] : [M]), ...(bs.length === 1 ? [] : [N])];
  return { data: out, shape };
}

const loss = (y: wt.Tensor): wt.Tensor => weightedSum(y, 5);

describe.each(devices)('matmul on %s', (device) => {
  const small = isKernelDevice(device);
  afterEach(() => wt.sync());

  const cases: [number[], number[]][] = [
    [[3, 4], [4, 5]],
    [[1, 1], [1, 1]],
    [[2, 3, 4], [2, 4, 2]],
    [[2, 1, 3, 4], [5, 4, 2]],
    [[3, 4], [2, 4, 3]],
    [[4], [4, 3]],
    [[2, 3, 4], [4]],
    [[5], [5]],
    [[2, 3, 0], [0, 2]],
    [[0, 3], [3, 2]],
    [[7, 17], [17, 9]],
  ];
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    it.each(cases)('%j @ %j matches the naive loop', (as, bs) => {
      const a = randomArray(numel(as), 1);
      const b = randomArray(numel(bs), 2);
      const y = wt.matmul(T(a, as, device, dtype), T(b, bs, device, dtype));
      const fa = dtype === 'float32' ? Array.from(a, Math.fround) : a;
      const fb = dtype === 'float32' ? Array.from(b, Math.fround) : b;
      const ref = refMatmul(fa, as, fb, bs);
      expect(y.shape).toEqual(ref.shape);
      expect(y.dtype).toBe(dtype);
      expectClose(values(y), ref.data, 20 * tol(dtype), 20 * tol(dtype));
    });
  });

  it('takes strided (transposed, flipped, sliced, broadcast) operands', () => {
    const a = T(randomArray(12, 3), [4, 3], device);
    const b = T(randomArray(20, 4), [5, 4], device);
    // aT[i][k] = a[k][i] ([3, 4]); bF[k][j] = b[j][3 - k] ([4, 5])
    const y = wt.matmul(wt.transpose(a), wt.flip(wt.transpose(b), 0));
    const av = values(a);
    const bv = values(b);
    const aT: number[] = [];
    for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) aT.push(av[k * 3 + i]);
    const bF: number[] = [];
    for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) bF.push(bv[j * 4 + (3 - k)]);
    const ref = refMatmul(aT, [3, 4], bF, [4, 5]);
    expect(y.shape).toEqual([3, 5]);
    expectClose(values(y), ref.data, 1e-13, 1e-13);
    // a sliced column block, and a broadcast (stride-0) batch operand
    const s = wt.sliceAxes(b, [null, [1, 3]]);
    const ys = wt.matmul(s, T([1, 2, 3, 4], [2, 2], device));
    const sv: number[] = [];
    for (let j = 0; j < 5; j++) sv.push(bv[j * 4 + 1], bv[j * 4 + 2]);
    expectClose(values(ys), refMatmul(sv, [5, 2], [1, 2, 3, 4], [2, 2]).data, 1e-13, 1e-13);
    const e = wt.broadcastTo(T([1, 2, 3, 4], [2, 2], device), [3, 2, 2]);
    const ye = wt.matmul(e, T([1, 0, 0, 1], [2, 2], device));
    expect(values(ye)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('(A·B)ᵀ = Bᵀ·Aᵀ and matches the naive loop on random shapes (property)', () => {
    const dim = fc.integer({ min: 1, max: small ? 4 : 9 });
    fc.assert(
      fc.property(
        dim, dim, dim,
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, k, n, batch, [bcastA, bcastB], seed) =>
          wt.tidy(() => {
            const as = [...batch.map((d) => (bcastA ? 1 : d)), m, k];
            const bs = [...batch.map((d) => (bcastB ? 1 : d)), k, n];
            const a = randomArray(numel(as), seed);
            const b = randomArray(numel(bs), seed + 1);
            const A = T(a, as, device);
            const B = T(b, bs, device);
            const y = wt.matmul(A, B);
            const ref = refMatmul(a, as, b, bs);
            expect(y.shape).toEqual(ref.shape);
            expectClose(values(y), ref.data, 1e-13, 1e-13);
            const yt = wt.matmul(wt.swapAxes(B, -1, -2), wt.swapAxes(A, -1, -2));
            expectClose(values(wt.contiguous(wt.swapAxes(y, -1, -2))), values(yt), 1e-13, 1e-13);
          }),
      ),
      { numRuns: small ? 8 : 40 },
    );
  });

  describe('gradients', () => {
    const r = (shape: number[], seed: number) => T(randomArray(numel(shape), seed), shape, device);
    it('2-d', () => expectGrad((a, b) => loss(wt.matmul(a, b)), [r([2, 3], 10), r([3, 2], 11)]));
    it('batched with broadcasting', () =>
      expectGrad((a, b) => loss(wt.matmul(a, b)), [r([2, 1, 2, 3], 12), r([3, 3, 2], 13)]));
    it('1-d promotion', () => {
      expectGrad((a, b) => loss(wt.matmul(a, b)), [r([3], 14), r([2, 3, 2], 15)]);
      expectGrad((a, b) => loss(wt.matmul(a, b)), [r([2, 3], 16), r([3], 17)]);
      expectGrad((a, b) => wt.mul(wt.matmul(a, b), 1.5), [r([4], 18), r([4], 19)]);
    });
    it('the same operand on both sides', () => expectGrad((a) => loss(wt.matmul(a, wt.transpose(a))), [r([2, 3], 20)]));
  });

  it('rejects bad arguments', () => {
    const a = T(randomArray(6, 30), [2, 3], device);
    expectCode(() => wt.matmul(a, T(randomArray(6, 31), [2, 3], device)), 'E_SHAPE', /matmul.*inner.*'a'.*'b'/);
    expectCode(() => wt.matmul(T(randomArray(12, 32), [2, 2, 3], device), T(randomArray(18, 33), [3, 3, 2], device)), 'E_SHAPE', /matmul/);
    expectCode(() => wt.matmul(a, T(randomArray(6, 34), [3, 2], device, 'float32')), 'E_DTYPE', /matmul.*'a'.*'b'/);
    expectCode(() => wt.matmul(T([1, 0, 0, 1], [2, 1], device, 'complex128'), T([1, 0], [1, 1], device, 'complex128')), 'E_DTYPE', /matmul.*'a'.*complex128/);
    expectCode(() => wt.matmul(T([1], [], device), a), 'E_SHAPE', /matmul.*'a'.*0-d/);
    expectCode(() => wt.matmul(a, T([1, 2, 3], [3], device, 'int32')), 'E_DTYPE', /matmul.*'b'.*int32/);
  });
});
