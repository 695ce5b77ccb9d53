// wt.nn.TransformDropout: the paper's round trip against a float64 reference written here (naive
// DFT / DCT, the importance, the keep probabilities, the mask from the same uniforms, the inverse),
// identities (eval mode, p = 0), the learnable profiles, the schedule and the trust-region
// controller, gradcheck, device agreement and bad input.
import * as wt from '../lib';
import { stepSeed } from '../lib/nn/layers';
import { testDevices, randomArray, expectClose } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();

/** Naive real DFT bins 0..n/2 of one row: [re, im] arrays. */
function dft(x: ArrayLike<number>, n: number): [Float64Array, Float64Array] {
  const K = Math.floor(n / 2) + 1;
  const re = new Float64Array(K);
  const im = new Float64Array(K);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < n; j++) {
      re[k] += x[j] * Math.cos((2 * Math.PI * k * j) / n);
      im[k] -= x[j] * Math.sin((2 * Math.PI * k * j) / n);
    }
  return [re, im];
}

/** The inverse of {@link dft} for length n (Hermitian extension, imaginary DC/Nyquist ignored). */
function idft(re: Float64Array, im: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = re[0];
    for (let k = 1; k < re.length; k++) {
      const w = 2 * k === n ? 1 : 2;
      const a = (2 * Math.PI * k * j) / n;
      s += w * (re[k] * Math.cos(a) - im[k] * Math.sin(a));
    }
    x[j] = s / n;
  }
  return x;
}

/** Orthonormal DCT-II matrix entry. */
const dctEntry = (k: number, j: number, n: number) => (k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));

/** Importance of energies E (per-sample min–max), 0 when all are equal. */
function importance(E: Float64Array): Float64Array {
  const lo = Math.min(...E);
  const hi = Math.max(...E);
  return E.map((e) => (hi > lo ? (e - lo) / (hi - lo) : 0));
}

describe.each(devices)('TransformDropout on %s', (device) => {
  const rows = 3;
  const n = 16;

  test.each(['rfft', 'dct'] as const)("'%s' importance round trip equals the float64 reference with the same uniforms", (transform) => {
    wt.tidy(() => {
      const xs = randomArray(rows * n, 41);
      const p = 0.6;
      const layer = new wt.nn.TransformDropout({ size: n, transform, p, seed: 9, dtype: 'float64', device });
      const y = values(layer.forward(T(xs, [rows, n], device)));
      const K = transform === 'rfft' ? n / 2 + 1 : n;
      const u = values(wt.uniform([rows, K], 0, 1, { dtype: 'float64', device, seed: stepSeed(9, 0) }));
      const keepMean = new Float64Array(K);
      for (let r = 0; r < rows; r++) {
        const x = xs.subarray(r * n, (r + 1) * n);
        let ref: Float64Array;
        if (transform === 'rfft') {
          const [re, im] = dft(x, n);
          const imp = importance(re.map((a, k) => a * a + im[k] * im[k]));
          const q = imp.map((v) => 1 - p * (1 - v));
          const f = q.map((qk, k) => (u[r * K + k] < qk ? 1 / qk : 0));
          q.forEach((qk, k) => (keepMean[k] += qk / rows));
          ref = idft(re.map((a, k) => a * f[k]), im.map((a, k) => a * f[k]), n);
        } else {
          const c = Float64Array.from({ length: n }, (_, k) => x.reduce((s, v, j) => s + v * dctEntry(k, j, n), 0));
          const imp = importance(c.map((v) => v * v));
          const q = imp.map((v) => 1 - p * (1 - v));
          q.forEach((qk, k) => (keepMean[k] += qk / rows));
          const cm = c.map((v, k) => (u[r * K + k] < q[k] ? v / q[k] : 0));
          ref = Float64Array.from({ length: n }, (_, j) => cm.reduce((s, v, k) => s + v * dctEntry(k, j, n), 0));
        }
        expectClose(y.slice(r * n, (r + 1) * n), ref, 1e-11);
      }
      expectClose(layer.keepSpectrum()!, keepMean, 1e-12);
      layer.dispose();
    });
  });

  test('eval mode is the identity; p = 0 reconstructs x (rfft, dct, pca with k < n)', () => {
    wt.tidy(() => {
      const xs = randomArray(rows * n, 42);
      const x = T(xs, [rows, n], device);
      // An orthonormal basis of 5 components (columns of the DCT matrix) and a mean.
      const k = 5;
      const V = T(Float64Array.from({ length: n * k }, (_, i) => dctEntry(i % k, Math.floor(i / k), n)), [n, k], device);
      const mu = T(randomArray(n, 43), [n], device);
      for (const transform of ['rfft', 'dct', 'pca'] as const) {
        const extra = transform === 'pca' ? { components: V, mean: mu } : {};
        const layer = new wt.nn.TransformDropout({ size: n, transform, p: 0, seed: 1, dtype: 'float64', device, ...extra });
        expectClose(values(layer.forward(x)), xs, 1e-12);
        const busy = new wt.nn.TransformDropout({ size: n, transform, p: 0.9, seed: 1, dtype: 'float64', device, ...extra });
        expect(values(busy.forward(x))).not.toEqual(values(x));
        busy.eval();
        expect(values(busy.forward(x))).toEqual(xs.length === 0 ? [] : Array.from(xs));
        [layer, busy].forEach((l) => l.dispose());
      }
    });
  });

  test("'dwt': p = 0 reconstructs; the round trip equals wavedec → the mask from the same uniforms → waverec; perScale learns per band", () => {
    wt.tidy(() => {
      const m = 24;
      const xs = randomArray(2 * m, 51);
      const x = T(xs, [2, m], device);
      const zero = new wt.nn.TransformDropout({ size: m, transform: 'dwt', wavelet: 'db2', level: 2, p: 0, dtype: 'float64', device });
      expectClose(values(zero.forward(x)), xs, 1e-10);
      const p = 0.7;
      const layer = new wt.nn.TransformDropout({ size: m, transform: 'dwt', wavelet: 'db2', level: 2, p, seed: 6, dtype: 'float64', device });
      const y = values(layer.forward(x));
      const bands = wt.wavedec(x, 'db2', { level: 2 });
      const lens = bands.map((b) => b.shape[1]);
      const K = lens.reduce((a, b) => a + b, 0);
      expect(layer.coefficients).toBe(K);
      const u = values(wt.uniform([2, K], 0, 1, { dtype: 'float64', device, seed: stepSeed(6, 0) }));
      const flat = [0, 1].map((r) => bands.flatMap((b) => values(b).slice(r * b.shape[1], (r + 1) * b.shape[1])));
      const masked = flat.map((c, r) => {
        const imp = importance(Float64Array.from(c, (v) => v * v));
        return c.map((v, k) => {
          const q = 1 - p * (1 - imp[k]);
          return u[r * K + k] < q ? v / q : 0;
        });
      });
      let start = 0;
      const parts = lens.map((len) => {
        const t = T([...masked[0].slice(start, start + len), ...masked[1].slice(start, start + len)], [2, len], device);
        start += len;
        return t;
      });
      expectClose(y, values(wt.waverec(parts, 'db2', { n: m })), 1e-10);
      const ps = new wt.nn.TransformDropout({ size: m, transform: 'dwt', wavelet: 'db2', level: 2, shape: 'perScale', p: 0.5, seed: 6, dtype: 'float64', device });
      expect(ps.namedParameters().map(([name]) => name)).toEqual(['alpha', 'beta', 'gamma']);
      expect(ps.alpha!.shape).toEqual([3]);
      const loss = wt.sum(wt.square(ps.forward(x)));
      const grads = wt.gradients(loss, ps.parameters());
      for (const g of grads) expect(values(g).some((v) => v !== 0)).toBe(true);
      expectCode(() => new wt.nn.TransformDropout({ size: m, shape: 'perScale' }), 'E_RANGE', /'perScale' needs transform 'dwt'/);
      expectCode(() => new wt.nn.TransformDropout({ size: m, level: 2 }), 'E_RANGE', /belong to transform 'dwt'/);
      expectCode(() => new wt.nn.TransformDropout({ size: m, transform: 'dwt', wavelet: 'nope' }), 'E_RANGE', /^nn\.TransformDropout: .*wavelet/);
      [zero, layer, ps].forEach((l) => l.dispose());
    });
  });

  test('pca: only the k-component projection is dropped; the orthogonal remainder passes unchanged', () => {
    wt.tidy(() => {
      const k = 4;
      const V = T(Float64Array.from({ length: n * k }, (_, i) => dctEntry(i % k, Math.floor(i / k), n)), [n, k], device);
      const xs = randomArray(rows * n, 44);
      const layer = new wt.nn.TransformDropout({ size: n, transform: 'pca', components: V, p: 0.8, seed: 3, dtype: 'float64', device });
      const y = values(layer.forward(T(xs, [rows, n], device)));
      // Project both onto the DCT basis vectors k..n−1: equal.
      for (let r = 0; r < rows; r++)
        for (let m = k; m < n; m++) {
          let a = 0, b = 0;
          for (let j = 0; j < n; j++) {
            a += xs[r * n + j] * dctEntry(m, j, n);
            b += y[r * n + j] * dctEntry(m, j, n);
          }
          expect(b).toBeCloseTo(a, 11);
        }
      layer.dispose();
    });
  });

  test('gradients: gradcheck in x (a fixed mask) and in the rate, and α, β of the lowpass profile', () => {
    wt.tidy(() => {
      const x = T(randomArray(2 * 10, 45), [2, 10], device);
      const w = T(randomArray(2 * 10, 46), [2, 10], device);
      for (const transform of ['rfft', 'dct'] as const) {
        const f = (v: wt.Tensor) => {
          const layer = new wt.nn.TransformDropout({ size: 10, transform, p: 0.4, seed: 2, importanceGradient: true, dtype: 'float64', device });
          const out = wt.sum(wt.mul(layer.forward(v), w));
          layer.dispose();
          return out;
        };
        expect(wt.testing.gradcheck(f, [x])).toEqual([]);
      }
      // d loss / d rate and d loss / d (α, β) against central differences at a fixed mask.
      const lossWith = (p: number, alphaShift: number) => {
        const layer = new wt.nn.TransformDropout({ size: 10, shape: 'lowpass', p, seed: 2, dtype: 'float64', device });
        if (alphaShift !== 0) layer.alpha!.assign(wt.full([1], 1 + alphaShift, { dtype: 'float64', device }));
        const loss = wt.sum(wt.mul(layer.forward(x), w));
        const [gp, ga, gb] = wt.gradients(loss, [layer.rate, layer.alpha!, layer.beta!]);
        const out = { loss: loss.dataSync()[0], gp: gp.dataSync()[0], ga: ga.dataSync()[0], gbNorm: values(gb).reduce((s, v) => s + Math.abs(v), 0) };
        layer.dispose();
        return out;
      };
      const h = 1e-6;
      const at = lossWith(0.3, 0);
      expect(at.gp).toBeCloseTo((lossWith(0.3 + h, 0).loss - lossWith(0.3 - h, 0).loss) / (2 * h), 5);
      expect(at.ga).toBeCloseTo((lossWith(0.3, h).loss - lossWith(0.3, -h).loss) / (2 * h), 5);
      expect(at.gbNorm).toBeGreaterThan(0);
    });
  });

  test('by default the importance is constant in the backward: ∂/∂x equals that of irfft(rfft(x)·m/q) at the drawn m and q', () => {
    wt.tidy(() => {
      const xs = randomArray(rows * n, 53);
      const x = T(xs, [rows, n], device);
      const w = T(randomArray(rows * n, 54), [rows, n], device);
      const p = 0.5;
      const K = n / 2 + 1;
      const layer = new wt.nn.TransformDropout({ size: n, p, seed: 12, dtype: 'float64', device });
      const g = wt.grad((v: wt.Tensor) => wt.sum(wt.mul(layer.forward(v), w)))(x) as wt.Tensor;
      const u = values(wt.uniform([rows, K], 0, 1, { dtype: 'float64', device, seed: stepSeed(12, 0) }));
      const factor = new Float64Array(2 * rows * K);
      for (let r = 0; r < rows; r++) {
        const [re, im] = dft(xs.subarray(r * n, (r + 1) * n), n);
        const imp = importance(re.map((a, k) => a * a + im[k] * im[k]));
        imp.forEach((v, k) => {
          const q = 1 - p * (1 - v);
          factor[2 * (r * K + k)] = u[r * K + k] < q ? 1 / q : 0;
        });
      }
      const F = wt.tensor(factor, [rows, K], { dtype: 'complex128', device });
      const ref = wt.grad((v: wt.Tensor) => wt.sum(wt.mul(wt.irfft(wt.mul(wt.rfft(v), F), { n }), w)))(x) as wt.Tensor;
      expectClose(values(g), values(ref), 1e-12);
      layer.dispose();
    });
  });

  test("lowpass / highpass profiles: keep falls with distance from k0 / from the top bin; α, β are the layer's parameters", () => {
    wt.tidy(() => {
      const x = T(randomArray(rows * n, 47), [rows, n], device);
      const K = n / 2 + 1;
      const low = new wt.nn.TransformDropout({ size: n, shape: 'lowpass', p: 0.5, seed: 1, dtype: 'float64', device });
      low.forward(x);
      const ql = low.keepSpectrum()!;
      const dl = Array.from({ length: K }, (_, k) => 1 - 0.5 / (1 + Math.exp(-(Math.log1p(k) - 2))));
      expectClose(ql, dl, 1e-12);
      const high = new wt.nn.TransformDropout({ size: n, shape: 'highpass', p: 0.5, seed: 1, dtype: 'float64', device });
      high.forward(x);
      expectClose(high.keepSpectrum()!, Array.from({ length: K }, (_, k) => 1 - 0.5 / (1 + Math.exp(-(Math.log1p(K - 1 - k) - 2)))), 1e-12);
      expect(low.namedParameters().map(([name]) => name)).toEqual(['alpha', 'beta']);
      const centred = new wt.nn.TransformDropout({ size: n, shape: 'lowpass', k0: 4, p: 0.5, dtype: 'float64', device });
      centred.forward(x);
      const qc = centred.keepSpectrum()!;
      expect(qc[4]).toBeGreaterThan(qc[0]);
      expect(qc[4]).toBeGreaterThan(qc[8]);
      [low, high, centred].forEach((l) => l.dispose());
    });
  });

  test('a linear schedule sets the rate per training forward', () => {
    wt.tidy(() => {
      const layer = new wt.nn.TransformDropout({ size: n, schedule: { start: 0.8, end: 0.2, steps: 4 }, seed: 1, dtype: 'float64', device });
      const x = T(randomArray(n, 48), [n], device);
      const seen: number[] = [];
      for (let t = 0; t < 6; t++) {
        layer.forward(x);
        seen.push(layer.rate.dataSync()[0]);
      }
      expectClose(seen, [0.8, 0.65, 0.5, 0.35, 0.2, 0.2], 1e-12);
      layer.dispose();
    });
  });

  test('the trust-region controller moves p toward its target and every step stays inside its radius', () => {
    const ctrl = new wt.optim.TrustRegionDropout({ size: 1, pInit: 0.7, pTarget: 0.1, lambda: 1, delta0: 0.05 });
    const layer = new wt.nn.TransformDropout({ size: n, controller: ctrl, seed: 4, dtype: 'float64', device });
    const x = wt.keep(T(randomArray(4 * n, 49), [4, n], device));
    const loss = () => wt.mean(wt.square(wt.sub(layer.forward(x), x)));
    let prev = ctrl.probabilities[0];
    for (let t = 0; t < 25; t++) {
      const r = layer.stepController(loss);
      expect(Math.abs(r.p[0] - prev)).toBeLessThanOrEqual(ctrl.history[t].delta + 1e-12);
      expect(layer.rate.dataSync()[0]).toBeCloseTo(r.p[0], 12);
      prev = r.p[0];
    }
    expect(prev).toBeLessThan(0.2);
    layer.dispose();
    x.dispose();
  });

  test('a training step in tidy leaves no tensor behind; dispose frees the layer', () => {
    const before = wt.memory().tensors;
    const layer = new wt.nn.TransformDropout({ size: n, shape: 'lowpass', p: 0.5, seed: 8, device });
    const x = wt.keep(T(randomArray(rows * n, 52), [rows, n], device, 'float32'));
    wt.tidy(() => {
      wt.gradients(wt.sum(layer.forward(x)), layer.parameters());
    });
    const afterOne = wt.memory().tensors;
    for (let i = 0; i < 5; i++)
      wt.tidy(() => {
        wt.gradients(wt.sum(layer.forward(x)), [layer.rate, ...layer.parameters()]);
      });
    expect(wt.memory().tensors).toBe(afterOne);
    layer.dispose();
    x.dispose();
    expect(wt.memory().tensors).toBe(before);
  });

  test('bad input names nn.TransformDropout and the argument', () => {
    expectCode(() => new wt.nn.TransformDropout({ size: n, transform: 'wavelet' as never }), 'E_RANGE', /nn\.TransformDropout: argument 'transform'/);
    expectCode(() => new wt.nn.TransformDropout({ size: n, shape: 'bandpass' as never }), 'E_RANGE', /nn\.TransformDropout: argument 'shape'/);
    expectCode(() => new wt.nn.TransformDropout({ size: 0 }), 'E_RANGE', /argument 'size'/);
    expectCode(() => new wt.nn.TransformDropout({ size: n, p: 1 }), 'E_RANGE', /argument 'p'/);
    expectCode(() => new wt.nn.TransformDropout({ size: n, transform: 'pca' }), 'E_RANGE', /needs the option 'components'/);
    expectCode(() => new wt.nn.TransformDropout({ size: n, controller: new wt.optim.TrustRegionDropout({ size: 3 }) }), 'E_SHAPE', /controller has size 3/);
    expectCode(() => new wt.nn.TransformDropout(null as never), 'E_RANGE', /nn\.TransformDropout/);
    wt.tidy(() => {
      const layer = new wt.nn.TransformDropout({ size: n, device });
      expectCode(() => layer.forward(wt.zeros([2, n + 1], { device })), 'E_SHAPE', /nn\.TransformDropout\.forward: argument 'x' must end in 16/);
      expectCode(() => layer.forward(wt.zeros([2, n], { dtype: 'float64', device })), 'E_DTYPE', /nn\.TransformDropout\.forward: argument 'x' is float64/);
      expectCode(() => layer.stepController(() => wt.zeros([1], { device })), 'E_RANGE', /no controller/);
      layer.dispose();
    });
  });
});

test('the same seed gives the same output on every device', () => {
  const xs = randomArray(2 * 32, 50);
  const outs = devices.map((device) =>
    wt.tidy(() => values(new wt.nn.TransformDropout({ size: 32, p: 0.5, seed: 77, dtype: 'float64', device }).forward(T(xs, [2, 32], device)))),
  );
  for (const o of outs.slice(1)) expectClose(o, outs[0], 1e-12);
});
