// One regression test per reliability defect of the facade (issue 10): bad input always gives a
// WavetapeError naming the public function, options are objects, composite ops free their
// intermediates, undisposed tensors are all collected, disposed tensors are never read, and
// tensors print their values.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as util from 'util';
import * as wt from '../lib';

function thrown(fn: () => unknown): wt.WavetapeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof wt.WavetapeError) return e;
    throw new Error(`expected a WavetapeError, got ${String(e)}`);
  }
  throw new Error('expected a WavetapeError, nothing was thrown');
}

const live = () => wt.memory().tensors;

describe('defect 7: every bad input throws a WavetapeError', () => {
  const t = wt.keep(wt.tensor([1, 2, 3], undefined, { device: 'cpu' }));
  const f64 = wt.keep(wt.tensor([1, 2], undefined, { dtype: 'float64', device: 'cpu' }));

  test.each<[string, () => unknown, string]>([
    ['sum(undefined)', () => wt.sum(undefined as unknown as wt.Tensor), 'E_DTYPE'],
    ['max(null)', () => wt.max(null as unknown as wt.Tensor), 'E_DTYPE'],
    ['zerosLike(1)', () => wt.zerosLike(1 as unknown as wt.Tensor), 'E_DTYPE'],
    ['onesLike("x")', () => wt.onesLike('x' as unknown as wt.Tensor), 'E_DTYPE'],
    ['stopGradient(null)', () => wt.stopGradient(null as unknown as wt.Tensor), 'E_DTYPE'],
    ['variable({})', () => wt.variable({} as wt.Tensor), 'E_DTYPE'],
    ['gradients(1, [])', () => wt.gradients(1 as unknown as wt.Tensor, []), 'E_DTYPE'],
    ['gradients(t, 5)', () => wt.gradients(t, 5 as unknown as wt.Tensor[]), 'E_DTYPE'],
    ['Variable.assign(3)', () => wt.variable(f64).assign(3 as unknown as wt.Tensor), 'E_DTYPE'],
    ['gradcheck(f, [1])', () => wt.testing.gradcheck((x) => x, [1 as unknown as wt.Tensor]), 'E_DTYPE'],
    ['gradcheck(3, [])', () => wt.testing.gradcheck(3 as never, []), 'E_DTYPE'],
    ['keep(1)', () => wt.keep(1 as never), 'E_DTYPE'],
    ['tidy(3)', () => wt.tidy(3 as never), 'E_DTYPE'],
    ['grad("f")', () => wt.grad('f' as never), 'E_DTYPE'],
    ['valueAndGrad(null)', () => wt.valueAndGrad(null as never), 'E_DTYPE'],
    ['tensor([1], [1], {dtype: 3})', () => wt.tensor([1], [1], { dtype: 3 as unknown as wt.DType }), 'E_DTYPE'],
    ['setDevice(Symbol())', () => wt.setDevice(Symbol() as unknown as string), 'E_DEVICE'],
    ['add(1n, t)', () => wt.add(1n as unknown as number, t), 'E_DTYPE'],
    ['reshape(t, [Symbol()])', () => wt.reshape(t, [Symbol() as unknown as number]), 'E_SHAPE'],
    ['add(null-prototype object, t)', () => wt.add(Object.create(null), t), 'E_DTYPE'],
    ['defineGradient("add", f)', () => wt.defineGradient('add', { grad: () => [] }), 'E_RANGE'],
  ])('%s', (_name, fn, code) => {
    const e = thrown(fn);
    expect(e.code).toBe(code);
    expect(e.message).not.toMatch(/undefined \(reading|is not a function|Cannot convert/);
  });

  test("defineGradient of a registered op says it already has a gradient", () => {
    expect(thrown(() => wt.defineGradient('add', { grad: () => [] })).message).toBe("defineGradient: 'add' already has a gradient");
  });

  test('messages describe BigInt, Symbol, null-prototype and cyclic values without failing', () => {
    expect(thrown(() => wt.sum(10n as never)).message).toBe("sum: argument 'x' must be a Tensor; got the BigInt 10n");
    expect(thrown(() => wt.sum(Symbol('s') as never)).message).toBe("sum: argument 'x' must be a Tensor; got a Symbol");
    expect(thrown(() => wt.sum(Object.create(null))).message).toBe("sum: argument 'x' must be a Tensor; got an object with a null prototype");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(thrown(() => wt.sum(cyclic as never)).message).toBe("sum: argument 'x' must be a Tensor; got an object with keys {self}");
  });

  test('20,000-deep nested arrays are E_SHAPE, not a stack overflow', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 20000; i++) deep = [deep];
    const e = thrown(() => wt.tensor(deep as wt.NestedArray));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/^tensor: .*nesting deeper than 8/);
  });

  test('tidy(async fn) throws E_RANGE and leaves no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const before = live();
      const e = thrown(() =>
        wt.tidy(async () => {
          wt.ones([2], { device: 'cpu' });
          throw new Error('inside the async function');
        }),
      );
      expect(e.code).toBe('E_RANGE');
      expect(live()).toBe(before);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('defect 8: options objects everywhere, null ≡ undefined, no silent misuse', () => {
  const x = wt.keep(wt.tensor([[1, 2, 3], [4, 5, 6]], undefined, { device: 'cpu' }));

  test('a positional number or string where options go is E_RANGE with the keyword it meant', () => {
    const s = thrown(() => wt.sum(x, 0 as never));
    expect(s.code).toBe('E_RANGE');
    expect(s.message).toBe('sum: argument 2 is 0; expected an options object {axis, keepdims}; did you mean {axis: 0}?');
    expect(thrown(() => wt.rfft(x, 8 as never)).message).toMatch(/^rfft: argument 2 is 8; .*did you mean \{n: 8\}\?$/);
    expect(thrown(() => wt.zeros([2], 'float64' as never)).message).toMatch(/^zeros: argument 2 is the string "float64"; .*did you mean \{dtype: "float64"\}\?$/);
    expect(thrown(() => wt.argmax(x, 0 as never)).code).toBe('E_RANGE');
    expect(thrown(() => wt.sum(x, { axes: 0 } as never)).message).toBe("sum: unknown option 'axes'; expected one of axis, keepdims");
  });

  test('argmax and argmin take {axis, keepdims}', () => {
    expect(wt.argmax(x, { axis: 0 }).arraySync()).toEqual([1, 1, 1]);
    expect(wt.argmin(x, { axis: 1, keepdims: true }).arraySync()).toEqual([[0], [0]]);
    expect(wt.argmax(x).arraySync()).toEqual([2, 2]);
  });

  test('null options are the defaults, like undefined', () => {
    expect(wt.sum(x, { axis: null, keepdims: null } as never).item()).toBe(21);
    expect(wt.sum(x, null as never).item()).toBe(21);
    const a = wt.rfft(x, { n: null, axis: null, norm: null } as never).dataSync();
    expect(Array.from(a)).toEqual(Array.from(wt.rfft(x).dataSync()));
    expect(wt.concat([x, x], null as never).shape).toEqual([4, 3]);
    expect(wt.zeros([2], null as never).dtype).toBe('float32');
  });

  test('int32 data out of range or not integral is E_RANGE, never wrapped', () => {
    expect(thrown(() => wt.tensor([2 ** 40], [1], { dtype: 'int32' })).code).toBe('E_RANGE');
    expect(thrown(() => wt.tensor([1.5], undefined, { dtype: 'int32' })).code).toBe('E_RANGE');
    expect(thrown(() => wt.tensor(new Float64Array([2 ** 31]), undefined, { dtype: 'int32' })).code).toBe('E_RANGE');
    expect(thrown(() => wt.full([2], 2 ** 31, { dtype: 'int32' })).code).toBe('E_RANGE');
    expect(Array.from(wt.tensor([-(2 ** 31), 2 ** 31 - 1], undefined, { dtype: 'int32' }).dataSync())).toEqual([-(2 ** 31), 2 ** 31 - 1]);
  });

  test('errors name the public function the user called', () => {
    expect(thrown(() => wt.zeros(3 as never)).message).toMatch(/^zeros: argument 'shape'/);
    expect(thrown(() => wt.normal([3], NaN)).message).toMatch(/^normal: argument 'mean'/);
    expect(thrown(() => wt.add([1, 2] as never, [3, 4] as never)).message).toMatch(/^add: argument 'a'/);
    expect(thrown(() => wt.ones([2], { device: 'tpu:9' })).message).toMatch(/^ones: argument 'device'/);
    expect(thrown(() => wt.eye(2, 2, { dtype: 'float16' as wt.DType })).message).toMatch(/^eye: argument 'dtype'/);
  });

  test.each(['complex64', 'complex128'] as const)('numbers combine with %s operands as value + 0i', (dtype) => {
    const z = wt.tensor([[1, 2], [3, -4]], undefined, { dtype, device: 'cpu' });
    expect(wt.mul(z, 2).arraySync()).toEqual([[2, 4], [6, -8]]);
    expect(wt.add(z, 1).arraySync()).toEqual([[2, 2], [4, -4]]);
    expect(wt.sub(1, z).arraySync()).toEqual([[0, -2], [-2, 4]]);
    expect(wt.div(z, 2).arraySync()).toEqual([[0.5, 1], [1.5, -2]]);
    expect(wt.mul(z, 2).dtype).toBe(dtype);
  });
});

describe('defect 6: xcorr with a large maxLag', () => {
  test('maxLag 2^25 on 8 samples gives the 15 nonzero lags and zeros, without a JS array per lag', () => {
    const maxLag = 2 ** 25;
    const ones = wt.ones([8], { device: 'cpu' });
    const before = live();
    const c = wt.xcorr(ones, ones, { maxLag });
    expect(c.shape).toEqual([2 * maxLag + 1]);
    // Lag k of two all-ones length-8 signals is 8 − |k| for |k| < 8, else 0.
    const mid = wt.slice(c, [maxLag - 9], [19]);
    expect(Array.from(mid.dataSync())).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0].map((v) => expect.closeTo(v, 4)));
    wt.tidy(() => {
      expect(wt.sum(wt.abs(wt.slice(c, [0], [maxLag - 8]))).item()).toBe(0);
      expect(wt.sum(c).item()).toBeCloseTo(64, 3);
    });
    for (const t of [c, mid]) t.dispose();
    expect(live()).toBe(before);
    ones.dispose();
  });

  test('circular lags past T repeat with period T', () => {
    const a = wt.tensor([1, 2, 3], undefined, { dtype: 'float64', device: 'cpu' });
    const b = wt.tensor([1, 0, 0], undefined, { dtype: 'float64', device: 'cpu' });
    // c[k] = Σ_t a[(t + k) mod 3]·b[t] = a[k mod 3].
    const c = wt.xcorr(a, b, { maxLag: 4, mode: 'circular' });
    expect(Array.from(c.dataSync()).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 1, 2, 3, 1, 2, 3, 1, 2]);
  });
});

describe('defect 2: composite ops free their intermediates (no tidy, no GC)', () => {
  const a = wt.keep(wt.tensor(Array.from({ length: 64 }, (_, i) => Math.sin(i)), [2, 32], { device: 'cpu' }));
  const b = wt.keep(wt.tensor(Array.from({ length: 64 }, (_, i) => Math.cos(i)), [2, 32], { device: 'cpu' }));
  const bad = wt.keep(wt.ones([3], { device: 'cpu' }));
  const ints = wt.keep(wt.tensor([1], undefined, { dtype: 'int32', device: 'cpu' }));
  const va = wt.keep(wt.tensor(Array.from({ length: 32 }, (_, i) => i), undefined, { device: 'cpu' }));

  test.each<[string, () => wt.Tensor]>([
    ['xcorr', () => wt.xcorr(a, b, { maxLag: 100 })],
    ['xcorr circular', () => wt.xcorr(a, b, { maxLag: 40, mode: 'circular' })],
    ['stack', () => wt.stack([a, b], 1)],
    ['fft of real input', () => wt.fft(a)],
    ['sliceAxes with an index', () => wt.sliceAxes(a, [1, [2, 9]])],
    ['a number operand', () => wt.add(a, 2)],
    ['roll without an axis', () => wt.roll(a, 3)],
    ['eye', () => wt.eye(5)],
    ['matmul of 1-d operands', () => wt.matmul(va, va)],
    ['matmul of a matrix and a vector', () => wt.matmul(a, va)],
  ])('%s: live tensors back to the baseline after every call', (_name, op) => {
    const before = live();
    for (let i = 0; i < 5; i++) {
      const c = op();
      c.dataSync();
      c.dispose();
      expect(live()).toBe(before);
    }
  });

  test('10,000 xcorr calls read with dataSync() and disposed, without tidy, keep native memory flat', () => {
    const x = wt.uniform([4, 2048], -1, 1, { seed: 5, device: 'cpu' });
    const y = wt.uniform([4, 2048], -1, 1, { seed: 6, device: 'cpu' });
    const base = wt.memory();
    for (let i = 0; i < 10000; i++) {
      const c = wt.xcorr(x, y, { maxLag: 100 });
      c.dataSync();
      c.dispose();
      // Exact, not approximate: every intermediate is freed by the op itself, no GC needed.
      if (i % 500 === 0) expect([wt.memory().tensors, wt.memory().process.bytes]).toEqual([base.tensors, base.process.bytes]);
    }
    // The issue's own case: [16, 16384] inputs reached 3 GB of live tensors after 300 calls.
    const big = [wt.uniform([16, 16384], -1, 1, { seed: 7, device: 'cpu' }), wt.uniform([16, 16384], -1, 1, { seed: 8, device: 'cpu' })];
    const withBig = wt.memory();
    for (let i = 0; i < 300; i++) {
      const c = wt.xcorr(big[0], big[1], { maxLag: 100 });
      c.dataSync();
      c.dispose();
    }
    expect(wt.memory().process.bytes).toBe(withBig.process.bytes);
    big.forEach((t) => t.dispose());
    expect(wt.memory().bytes).toBe(base.bytes);
    expect(wt.memory().process.bytes).toBe(base.process.bytes);
    x.dispose();
    y.dispose();
  }, 120000);

  test.each<[string, () => unknown]>([
    ['where with a number operand and mismatched shapes', () => wt.where(bad, a, 5)],
    ['pow with a NaN exponent of an int32 tensor', () => wt.pow(ints, NaN)],
    ['gather with index array out of dtype', () => wt.gather(a, [0, 1], 7)],
    ['xcorr with a bad mode', () => wt.xcorr(a, b, { mode: 'sideways' as never })],
  ])('%s: a failing call leaves nothing behind', (_name, op) => {
    const before = live();
    expect(thrown(op).code).toMatch(/^E_/);
    expect(live()).toBe(before);
  });
});

/** Runs test/reliability/<script> in a node child with a V8 flag on the cpu; its stdout, once it exited cleanly. */
function gcChild(flag: string, script: string): string {
  const child = spawnSync(process.execPath, [flag, '-r', path.join(__dirname, 'fuzz', 'register.js'), path.join(__dirname, 'reliability', script)], {
    env: { ...process.env, WAVETAPE_DEVICE: 'cpu' },
    encoding: 'utf8',
    timeout: 120000,
  });
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
  return child.stdout;
}

describe('defect 3: undisposed tensors are all freed by the finalizer', () => {
  test('eye, Variable.assign and tape-recorded results, dropped and collected, return to the baseline', () => {
    const r = JSON.parse(gcChild('--expose-gc', 'gc-child.ts').trim());
    expect(r).toEqual({ baseline: r.baseline, eye: r.baseline, assign: r.baseline, tape: r.baseline });
  });
});

describe('native bytes reach V8 past a 128 MiB slack', () => {
  test('a training loop that disposes its big blocks sets off no full collection; dropped tensors are still collected under pressure', () => {
    const lines = gcChild('--trace-gc', 'gc-pressure-child.ts').trim().split('\n');
    const steps = lines.slice(lines.indexOf('== steps'), lines.indexOf('== end steps'));
    // Reported as they came and went, the steps' weights set off a mark-compact every few steps.
    expect(steps.filter((l) => l.includes('Mark-Compact'))).toEqual([]);
    expect(JSON.parse(lines[lines.length - 1]).peakMiB).toBeLessThanOrEqual(640);
  });
});

describe('defect 4: a disposed tensor is never read', () => {
  test('every read of a disposed tensor is E_DISPOSED, also what was cached before', async () => {
    const t = wt.tensor([1, 2, 3], undefined, { device: 'cpu' });
    expect(t.shape).toEqual([3]); // cached now
    t.dispose();
    for (const read of [() => t.shape, () => t.dtype, () => t.device, () => t.rank, () => t.size, () => t.dataSync(), () => t.arraySync(), () => t.item()])
      expect(thrown(read).code).toBe('E_DISPOSED');
    await expect(t.data()).rejects.toMatchObject({ code: 'E_DISPOSED' });
    await expect(t.array()).rejects.toMatchObject({ code: 'E_DISPOSED' });
    expect(thrown(() => t.dataSync()).message).toBe('dataSync: this tensor was disposed');
  });
});

describe('defect 11: tensors print their values like numpy', () => {
  const cpu = { device: 'cpu' };
  test('a matrix, right-aligned, rows under each other', () => {
    const t = wt.tensor([[1, 2.5], [-3, 4]], undefined, cpu);
    expect(t.toString()).toBe('Tensor([[ 1., 2.5],\n        [-3.,  4.]], shape=[2, 2], dtype=float32, device=cpu)');
  });
  test('int32 without decimals, 0-d, float32 shortest round trip, specials', () => {
    expect(wt.tensor([1, -2, 30], undefined, { dtype: 'int32', ...cpu }).toString()).toBe('Tensor([ 1, -2, 30], shape=[3], dtype=int32, device=cpu)');
    expect(wt.tensor(2.5, undefined, { dtype: 'float64', ...cpu }).toString()).toBe('Tensor(2.5, shape=[], dtype=float64, device=cpu)');
    expect(wt.tensor([0.1, 1 / 3], undefined, cpu).toString()).toBe('Tensor([       0.1, 0.33333334], shape=[2], dtype=float32, device=cpu)');
    expect(wt.tensor([NaN, Infinity, -Infinity, -0], undefined, { dtype: 'float64', ...cpu }).toString()).toBe('Tensor([ nan,  inf, -inf,  -0.], shape=[4], dtype=float64, device=cpu)');
  });
  test('complex as a+bj', () => {
    expect(wt.tensor([[1, 2], [3, -4]], undefined, { dtype: 'complex64', ...cpu }).toString()).toBe('Tensor([1.+2.j, 3.-4.j], shape=[2], dtype=complex64, device=cpu)');
  });
  test('3-d blocks separated by a blank line; empty tensors', () => {
    expect(wt.tensor([[[1, 2]], [[3, 4]]], undefined, cpu).toString()).toBe('Tensor([[[1., 2.]],\n\n        [[3., 4.]]], shape=[2, 1, 2], dtype=float32, device=cpu)');
    expect(wt.zeros([2, 0], cpu).toString()).toBe('Tensor([[],\n        []], shape=[2, 0], dtype=float32, device=cpu)');
  });
  test('past 1000 elements, the first and last 3 of each long axis around …', () => {
    expect(wt.arange(2000, undefined, undefined, cpu).toString()).toBe('Tensor([   0.,    1.,    2., …, 1997., 1998., 1999.], shape=[2000], dtype=float32, device=cpu)');
    const m = wt.reshape(wt.arange(1002, undefined, undefined, cpu), [501, 2]);
    expect(m.toString()).toBe(
      'Tensor([[   0.,    1.],\n        [   2.,    3.],\n        [   4.,    5.],\n        …,\n        [ 996.,  997.],\n        [ 998.,  999.],\n        [1000., 1001.]], shape=[501, 2], dtype=float32, device=cpu)',
    );
  });
  test('util.inspect, console.log via print(), and a disposed tensor', () => {
    const t = wt.tensor([1, 2], undefined, cpu);
    expect(util.inspect(t)).toBe(t.toString());
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    t.print();
    expect(log).toHaveBeenCalledWith(t.toString());
    log.mockRestore();
    t.dispose();
    expect(t.toString()).toBe('Tensor(disposed)');
    expect(util.inspect(t)).toBe('Tensor(disposed)');
  });
});
