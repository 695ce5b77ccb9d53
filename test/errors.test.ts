// Bad input on every device: a WavetapeError with a stable code and a message naming the op and
// the argument — never a crash, never a hang.
import * as wt from '../lib';
import { testDevices } from './helpers';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(wt.WavetapeError);
    expect(e).toBeInstanceOf(Error);
    return (e as wt.WavetapeError).code;
  }
  throw new Error('expected a WavetapeError, nothing was thrown');
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe.each(testDevices())('errors on %s', (device) => {
  const f32 = (data: number[], shape?: number[]) => wt.tensor(data, shape, { dtype: 'float32', device });

  test('mismatched shapes → E_SHAPE naming the op and both arguments', () => {
    wt.tidy(() => {
      const a = f32([1, 2, 3]);
      const b = f32([1, 2]);
      expect(codeOf(() => wt.add(a, b))).toBe('E_SHAPE');
      expect(messageOf(() => wt.add(a, b))).toMatch(/add.*\[3\].*\[2\]/);
      expect(codeOf(() => wt.sum(a, { axis: 3 }))).toBe('E_RANGE');
      expect(messageOf(() => wt.sum(a, { axis: 3 }))).toMatch(/sum.*axis/);
    });
  });

  test('wrong dtypes → E_DTYPE', () => {
    wt.tidy(() => {
      const a = f32([1, 2]);
      const b = wt.tensor([1, 2], undefined, { dtype: 'float64', device });
      const i = wt.tensor([1, 2], undefined, { dtype: 'int32', device });
      expect(codeOf(() => wt.add(a, b))).toBe('E_DTYPE');
      expect(codeOf(() => wt.exp(i))).toBe('E_DTYPE');
      expect(codeOf(() => wt.tensor([1], undefined, { dtype: 'float16' as wt.DType, device }))).toBe('E_DTYPE');
    });
  });

  test('NaN where disallowed and bad sizes → E_RANGE', () => {
    expect(codeOf(() => wt.full([2], NaN, { device, dtype: 'int32' }))).toBe('E_RANGE');
    expect(codeOf(() => wt.bernoulli([2], NaN, { device }))).toBe('E_RANGE');
    expect(codeOf(() => wt.linspace(0, 1, -1, { device }))).toBe('E_RANGE');
    expect(codeOf(() => wt.zeros([-1], { device }))).toBe('E_SHAPE');
    expect(codeOf(() => wt.zeros([1.5], { device }))).toBe('E_SHAPE');
    expect(codeOf(() => wt.tensor([1, 2, 3], [2, 2], { device }))).toBe('E_SHAPE');
  });

  test('huge sizes → E_OOM, not a crash', () => {
    expect(codeOf(() => wt.zeros([2 ** 40, 2 ** 20], { device }))).toBe('E_OOM');
    expect(codeOf(() => wt.zeros([2 ** 26, 2 ** 26], { device }))).toBe('E_OOM');
    // The process is fine afterwards.
    wt.tidy(() => expect(wt.sum(f32([1, 2])).item()).toBe(3));
  });

  test('disposed tensors → E_DISPOSED', () => {
    const a = f32([1, 2]);
    a.dispose();
    a.dispose(); // idempotent
    expect(codeOf(() => wt.add(a, a))).toBe('E_DISPOSED');
    expect(codeOf(() => a.dataSync())).toBe('E_DISPOSED');
    return expect(a.data()).rejects.toMatchObject({ code: 'E_DISPOSED' });
  });

  test('a tensor that left its tidy scope is disposed', () => {
    let inner: wt.Tensor | undefined;
    wt.tidy(() => {
      inner = f32([1]);
      return undefined;
    });
    expect(codeOf(() => inner!.dataSync())).toBe('E_DISPOSED');
  });

  test('unknown devices → E_DEVICE', () => {
    expect(codeOf(() => wt.zeros([2], { device: 'tpu:0' }))).toBe('E_DEVICE');
    expect(codeOf(() => wt.setDevice('cuda:99'))).toBe('E_DEVICE');
  });

  test('bad thread counts → E_RANGE', () => {
    expect(codeOf(() => wt.setNumThreads(0))).toBe('E_RANGE');
    expect(codeOf(() => wt.setNumThreads(1e6))).toBe('E_RANGE');
  });

  test('every code is one of the stable set', () => {
    expect([...wt.ERROR_CODES].sort()).toEqual(['E_CUDA', 'E_DEVICE', 'E_DISPOSED', 'E_DTYPE', 'E_INTERNAL', 'E_OOM', 'E_RANGE', 'E_SHAPE']);
  });
});

// A callback that returns a rejecting Promise where a tensor is expected: the op throws its own
// WavetapeError, and the Promise's rejection is consumed (never an unhandled rejection).
test('callbacks returning a rejected Promise: a WavetapeError, and no unhandled rejection', async () => {
  const seen: unknown[] = [];
  const onRejection = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', onRejection);
  try {
    const rejecting = () => Promise.reject(new Error('rejected by the callback'));
    const x = wt.tensor([1, 2], [2], { dtype: 'float64' });
    expect(codeOf(() => wt.tidy(rejecting))).toBe('E_RANGE');
    expect(codeOf(() => wt.valueAndGrad(rejecting as unknown as (a: wt.Tensor) => wt.Tensor)(x))).toBe('E_DTYPE');
    expect(codeOf(() => wt.optim.minimize(rejecting as unknown as (a: wt.Tensor) => wt.Tensor, x))).toBe('E_DTYPE');
    expect(codeOf(() => wt.tr.steihaugCG(x, rejecting as unknown as (v: wt.Tensor) => wt.Tensor, 1))).toBe('E_DTYPE');
    x.dispose();
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('a deeply nested array in a slice spec: E_SHAPE describing it, not a stack overflow (fuzz seed 1010989350)', () => {
  let deep: unknown = [1];
  for (let i = 0; i < 20000; i++) deep = [deep];
  const x = wt.zeros([2, 0, 3], { dtype: 'float64', device: 'cpu' });
  expect(codeOf(() => wt.sliceAxes(x, deep as wt.SliceSpec[]))).toBe('E_SHAPE');
  expect(messageOf(() => wt.sliceAxes(x, deep as wt.SliceSpec[]))).toBe('sliceAxes: start of spec 0 must be an integer or null; got an array of length 1');
  x.dispose();
});
