// Device agreement, transfers and layout copies: the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { randomArray } from '../helpers';
import { describeAgreement, DType, SIZES, make, values } from './agreement';

describeAgreement('transfers and layout copies', ({ device, same }) => {
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
