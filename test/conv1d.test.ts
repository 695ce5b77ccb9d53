// wt.conv1d and wt.nn.Conv1d against a direct float64 convolution written here (PyTorch's
// cross-correlation with stride, padding, dilation, groups and bias), both methods (direct and
// FFT), gradcheck in float64, and bad input, on every device.
import * as wt from '../lib';
import { testDevices, randomArray, expectClose, isKernelDevice } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();

interface Cfg {
  N: number; C: number; L: number; O: number; K: number;
  stride: number; padding: number; dilation: number; groups: number;
}

/** y[n, o, t] = b[o] + Σ_{c, j} w[o, c, j]·x[n, g·Cg + c, t·s + j·d − p] (zero outside). */
function convRef(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, c: Cfg): { y: Float64Array; Lout: number } {
  const Cg = c.C / c.groups;
  const Og = c.O / c.groups;
  const Lout = Math.floor((c.L + 2 * c.padding - c.dilation * (c.K - 1) - 1) / c.stride) + 1;
  const y = new Float64Array(c.N * c.O * Lout);
  for (let n = 0; n < c.N; n++)
    for (let o = 0; o < c.O; o++) {
      const g = Math.floor(o / Og);
      for (let t = 0; t < Lout; t++) {
        let s = b === null ? 0 : b[o];
        for (let ci = 0; ci < Cg; ci++)
          for (let j = 0; j < c.K; j++) {
            const pos = t * c.stride + j * c.dilation - c.padding;
            if (pos < 0 || pos >= c.L) continue;
            s += w[(o * Cg + ci) * c.K + j] * x[(n * c.C + g * Cg + ci) * c.L + pos];
          }
        y[(n * c.O + o) * Lout + t] = s;
      }
    }
  return { y, Lout };
}

describe.each(devices)('conv1d on %s', (device) => {
  const small = isKernelDevice(device);
  const configs: Cfg[] = [
    { N: 2, C: 3, L: 11, O: 4, K: 3, stride: 1, padding: 0, dilation: 1, groups: 1 },
    { N: 1, C: 4, L: 17, O: 6, K: 5, stride: 2, padding: 3, dilation: 2, groups: 2 },
    { N: 3, C: 2, L: 9, O: 2, K: 1, stride: 3, padding: 1, dilation: 1, groups: 2 },
    { N: 1, C: 1, L: 40, O: 2, K: 9, stride: 1, padding: 4, dilation: 3, groups: 1 },
  ];

  test.each(['direct', 'fft', 'auto'] as const)('%s: every configuration matches the direct float64 sum', (method) => {
    wt.tidy(() => {
      configs.forEach((c, i) => {
        const xs = randomArray(c.N * c.C * c.L, 10 + i);
        const ws = randomArray(c.O * (c.C / c.groups) * c.K, 20 + i);
        const bs = randomArray(c.O, 30 + i);
        const { y, Lout } = convRef(xs, ws, bs, c);
        const got = wt.conv1d(T(xs, [c.N, c.C, c.L], device), T(ws, [c.O, c.C / c.groups, c.K], device), {
          bias: T(bs, [c.O], device), stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups, method,
        });
        expect(got.shape).toEqual([c.N, c.O, Lout]);
        expectClose(values(got), y, 1e-11);
      });
    });
  });

  test("a long kernel takes the FFT path under 'auto' and agrees with the direct one; 'same' padding; unbatched input", () => {
    wt.tidy(() => {
      const L = small ? 100 : 600;
      const K = small ? 71 : 129;
      const c: Cfg = { N: 1, C: 2, L, O: 3, K, stride: 1, padding: 0, dilation: 1, groups: 1 };
      const xs = randomArray(2 * L, 1);
      const ws = randomArray(3 * 2 * K, 2);
      const x = T(xs, [1, 2, L], device);
      const w = T(ws, [3, 2, K], device);
      expectClose(values(wt.conv1d(x, w)), convRef(xs, ws, null, c).y, 1e-9);
      // 'same': output length L; span 2K−1 … here K odd, so padding (K − 1)/2 each side.
      const same = wt.conv1d(x, w, { padding: 'same', method: 'direct' });
      expect(same.shape).toEqual([1, 3, L]);
      expectClose(values(same), convRef(xs, ws, null, { ...c, padding: (K - 1) / 2 }).y, 1e-9);
      const flat = wt.conv1d(T(xs, [2, L], device), w, { method: 'fft', stride: 2 });
      expect(flat.shape).toEqual([3, Math.floor((L - K) / 2) + 1]);
      expectClose(values(flat), convRef(xs, ws, null, { ...c, stride: 2 }).y, 1e-9);
    });
  });

  test.each(['direct', 'fft'] as const)('%s: gradcheck in x, weight and bias (float64)', (method) => {
    wt.tidy(() => {
      const c = configs[1];
      const x = T(randomArray(c.N * c.C * c.L, 3), [c.N, c.C, c.L], device);
      const w = T(randomArray(c.O * 2 * c.K, 4), [c.O, 2, c.K], device);
      const b = T(randomArray(c.O, 5), [c.O], device);
      const f = (xv: wt.Tensor, wv: wt.Tensor, bv: wt.Tensor) =>
        wt.sum(wt.sin(wt.conv1d(xv, wv, { bias: bv, stride: 2, padding: 3, dilation: 2, groups: 2, method })));
      expect(wt.testing.gradcheck(f, [x, w, b])).toEqual([]);
    });
  });

  test('nn.Conv1d: PyTorch shapes and init bound, forward equals conv1d with its parameters', () => {
    wt.tidy(() => {
      const layer = new wt.nn.Conv1d(4, 6, 3, { groups: 2, padding: 1, dtype: 'float64', device, seed: 3 });
      expect(layer.weight.shape).toEqual([6, 2, 3]);
      expect(layer.bias!.shape).toEqual([6]);
      expect(Math.max(...values(layer.weight).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(6));
      const xs = randomArray(2 * 4 * 10, 6);
      const ref = convRef(xs, values(layer.weight), values(layer.bias!), { N: 2, C: 4, L: 10, O: 6, K: 3, stride: 1, padding: 1, dilation: 1, groups: 2 });
      expectClose(values(layer.forward(T(xs, [2, 4, 10], device))), ref.y, 1e-12);
      expect(layer.parameters().length).toBe(2);
      layer.dispose();
    });
  });

  test('bad input', () => {
    wt.tidy(() => {
      const x = wt.zeros([1, 4, 10], { device });
      const w = wt.zeros([2, 4, 3], { device });
      expectCode(() => wt.conv1d(wt.zeros([10], { device }), w), 'E_SHAPE', /conv1d: argument 'x' must be \[N, C, L\]/);
      expectCode(() => wt.conv1d(x, wt.zeros([2, 3, 3], { device })), 'E_SHAPE', /conv1d: argument 'weight' has 3 input channels per group/);
      expectCode(() => wt.conv1d(x, w, { groups: 3 }), 'E_SHAPE', /divisible by groups = 3/);
      expectCode(() => wt.conv1d(x, w, { stride: 0 }), 'E_RANGE', /conv1d: argument 'stride'/);
      expectCode(() => wt.conv1d(x, w, { padding: 'full' as never }), 'E_RANGE', /conv1d: argument 'padding'/);
      expectCode(() => wt.conv1d(x, w, { padding: 'same', stride: 2 }), 'E_RANGE', /'same' needs stride 1/);
      expectCode(() => wt.conv1d(x, wt.zeros([2, 4, 11], { device })), 'E_SHAPE', /fewer than the dilated kernel/);
      expectCode(() => wt.conv1d(x, wt.zeros([2, 4, 3], { dtype: 'float64', device })), 'E_DTYPE', /conv1d: argument 'weight' is float64/);
      expectCode(() => wt.conv1d(x, w, { bias: wt.zeros([3], { device }) }), 'E_SHAPE', /conv1d: argument 'bias' must have shape \[2\]/);
      expectCode(() => wt.conv1d(x, w, { method: 'winograd' as never }), 'E_RANGE', /conv1d: argument 'method'/);
      expectCode(() => new wt.nn.Conv1d(3, 4, 3, { groups: 2 }), 'E_SHAPE', /nn\.Conv1d: inChannels 3/);
    });
  });
});
