// Device agreement, creation (FILL, IOTA, RANDOM): the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { describeAgreement, DType, FLOATS } from './agreement';

describeAgreement('creation (FILL, IOTA, RANDOM)', ({ device, same, libm }) => {
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
