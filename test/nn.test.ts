// wt.nn: Module (parameters, modes, save/load), Linear, activations, Sequential, Dropout and the
// demultiplexing pieces, against float64 references written here (naive products, softmax,
// hand-computed penalties, exact separation of disjoint spectra), on every device.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as wt from '../lib';
import { testDevices, randomArray, expectClose } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();

/** y[r, o] = Σ_i x[r, i]·W[o, i] + b[o], in float64. */
function linearRef(x: ArrayLike<number>, rows: number, W: ArrayLike<number>, b: ArrayLike<number> | null, inF: number, outF: number): Float64Array {
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      let s = b === null ? 0 : b[o];
      for (let i = 0; i < inF; i++) s += x[r * inF + i] * W[o * inF + i];
      y[r * outF + o] = s;
    }
  return y;
}

/** erf by its Maclaurin series (|x| ≤ 3 here), for the exact GELU. */
function erf(x: number): number {
  let term = x;
  let s = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    s += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

describe.each(devices)('nn layers on %s', (device) => {
  test('Linear: x·Wᵀ + b against a float64 product; PyTorch init bounds; parameters in order', () => {
    wt.tidy(() => {
      const lin = new wt.nn.Linear(5, 3, { dtype: 'float64', device, seed: 7 });
      const W = values(lin.weight);
      const b = values(lin.bias!);
      expect(lin.weight.shape).toEqual([3, 5]);
      expect(Math.max(...W.map(Math.abs), ...b.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(5));
      expect(new Set(W).size).toBe(15);
      expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
      const xs = randomArray(4 * 5, 1);
      const y = lin.forward(T(xs, [4, 5], device));
      expect(y.shape).toEqual([4, 3]);
      expectClose(values(y), linearRef(xs, 4, W, b, 5, 3), 1e-12);
      // Leading axes broadcast: [2, 2, 5] gives the same rows.
      expectClose(values(lin.forward(T(xs, [2, 2, 5], device))), linearRef(xs, 4, W, b, 5, 3), 1e-12);
      const nob = new wt.nn.Linear(5, 3, { bias: false, dtype: 'float64', device, seed: 7 });
      expect(nob.parameters().length).toBe(1);
      expectClose(values(nob.forward(T(xs, [4, 5], device))), linearRef(xs, 4, values(nob.weight), null, 5, 3), 1e-12);
      lin.dispose();
      nob.dispose();
    });
  });

  test('Linear: parameter gradients equal dW = dyᵀx, db = Σ dy (float64)', () => {
    wt.tidy(() => {
      const lin = new wt.nn.Linear(4, 2, { dtype: 'float64', device, seed: 3 });
      const xs = randomArray(3 * 4, 2);
      const dy = randomArray(3 * 2, 3);
      const loss = wt.sum(wt.mul(lin.forward(T(xs, [3, 4], device)), T(dy, [3, 2], device)));
      const [gW, gb] = wt.gradients(loss, lin.parameters());
      const refW = new Float64Array(8);
      const refb = new Float64Array(2);
      for (let r = 0; r < 3; r++)
        for (let o = 0; o < 2; o++) {
          refb[o] += dy[r * 2 + o];
          for (let i = 0; i < 4; i++) refW[o * 4 + i] += dy[r * 2 + o] * xs[r * 4 + i];
        }
      expectClose(values(gW), refW, 1e-12);
      expectClose(values(gb), refb, 1e-12);
      lin.dispose();
    });
  });

  test('activations against their formulas; GELU (tanh form) within 5e-4 of the exact erf GELU', () => {
    wt.tidy(() => {
      const xs = randomArray(64, 4, -3, 3);
      const x = T(xs, [64], device);
      const ref = (f: (v: number) => number) => xs.map(f);
      expectClose(values(new wt.nn.ReLU().forward(x)), ref((v) => Math.max(v, 0)), 0);
      expectClose(values(new wt.nn.Tanh().forward(x)), ref(Math.tanh), 1e-14);
      expectClose(values(new wt.nn.Sigmoid().forward(x)), ref((v) => 1 / (1 + Math.exp(-v))), 1e-14);
      expectClose(values(new wt.nn.Softplus().forward(x)), ref((v) => Math.log1p(Math.exp(v))), 1e-13);
      expectClose(values(new wt.nn.LeakyReLU(0.1).forward(x)), ref((v) => (v > 0 ? v : 0.1 * v)), 1e-15);
      const gelu = values(new wt.nn.GELU().forward(x));
      expectClose(gelu, ref((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))), 1e-13);
      expectClose(gelu, ref((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), 5e-4);
    });
  });

  test('Sequential: composition, dotted parameter names, train/eval reach every child', () => {
    wt.tidy(() => {
      const a = new wt.nn.Linear(3, 4, { dtype: 'float64', device, seed: 1 });
      const b = new wt.nn.Linear(4, 2, { dtype: 'float64', device, seed: 2 });
      const drop = new wt.nn.Dropout(0.5, { seed: 1 });
      const model = new wt.nn.Sequential(a, new wt.nn.Tanh(), drop, b);
      expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
      model.eval();
      expect(drop.training).toBe(false);
      const xs = randomArray(6, 5);
      const h = linearRef(xs, 2, values(a.weight), values(a.bias!), 3, 4).map(Math.tanh);
      expectClose(values(model.forward(T(xs, [2, 3], device))), linearRef(h, 2, values(b.weight), values(b.bias!), 4, 2), 1e-12);
      model.train();
      expect(drop.training).toBe(true);
      model.dispose();
    });
  });

  test('training: Adam on a Sequential fits a linear target (loss falls 100-fold)', () => {
    const model = new wt.nn.Sequential(new wt.nn.Linear(3, 8, { dtype: 'float64', device, seed: 11 }), new wt.nn.Tanh(), new wt.nn.Linear(8, 1, { dtype: 'float64', device, seed: 12 }));
    const opt = new wt.optim.Adam(model.parameters(), { lr: 0.05 });
    const xs = randomArray(32 * 3, 9);
    const ys = Float64Array.from({ length: 32 }, (_, r) => 0.5 * xs[3 * r] - 0.3 * xs[3 * r + 1] + 0.2 * xs[3 * r + 2]);
    const X = wt.keep(T(xs, [32, 3], device));
    const Y = wt.keep(T(ys, [32, 1], device));
    const lossAt = () => wt.mean(wt.square(wt.sub(model.forward(X), Y)));
    const first = wt.tidy(() => lossAt().dataSync()[0]);
    for (let i = 0; i < 200; i++) wt.tidy(() => opt.step(wt.gradients(lossAt(), model.parameters())));
    const last = wt.tidy(() => lossAt().dataSync()[0]);
    expect(last).toBeLessThan(first / 100);
    opt.dispose();
    model.dispose();
    X.dispose();
    Y.dispose();
  });

  test('save/load: a file round trip restores every parameter exactly; a different architecture is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-nn-'));
    const file = path.join(dir, 'model.json');
    const make = (seed: number) => new wt.nn.Sequential(new wt.nn.Linear(3, 4, { device, seed }), new wt.nn.Linear(4, 2, { dtype: 'float64', device, seed: seed + 1 }));
    const src = make(1);
    src.save(file);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(doc.format).toBe('wavetape.nn');
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.parameters)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    // The documented encoding: little-endian float32 bytes in base64.
    const raw = Buffer.from(doc.parameters['0.weight'].data, 'base64');
    expect(raw.readFloatLE(4)).toBe(src.parameters()[0].dataSync()[1]);
    const dst = make(99);
    expect(values(dst.parameters()[0])).not.toEqual(values(src.parameters()[0]));
    dst.load(file);
    dst.parameters().forEach((p, i) => expect(values(p)).toEqual(values(src.parameters()[i])));
    const other = new wt.nn.Sequential(new wt.nn.Linear(3, 5, { device }), new wt.nn.Linear(5, 2, { dtype: 'float64', device }));
    expectCode(() => other.load(file), 'E_SHAPE', /nn\.Sequential\.loadStateDict: parameter '0\.weight'/);
    expectCode(() => dst.load(path.join(dir, 'missing.json')), 'E_RANGE', /nn\.Sequential\.load: cannot read/);
    const sd = src.stateDict();
    dst.loadStateDict(sd);
    expectCode(() => dst.loadStateDict({ ...sd, extra: sd['0.bias'] }), 'E_RANGE', /'extra'/);
    [src, dst, other].forEach((m) => m.dispose());
    fs.rmSync(dir, { recursive: true });
  });

  test('Dropout: identity in eval; in training zeros a p-fraction and scales survivors by 1/(1 − p); seeded masks repeat', () => {
    wt.tidy(() => {
      const x = wt.ones([100, 100], { device });
      const d = new wt.nn.Dropout(0.3, { seed: 5 });
      const y = values(d.forward(x));
      const zeros = y.filter((v) => v === 0).length / y.length;
      expect(Math.abs(zeros - 0.3)).toBeLessThan(0.02);
      for (const v of y) if (v !== 0) expect(v).toBeCloseTo(1 / 0.7, 6);
      const again = new wt.nn.Dropout(0.3, { seed: 5 });
      expect(values(again.forward(x))).toEqual(y);
      expect(values(again.forward(x))).not.toEqual(y); // the next step draws a new mask
      d.eval();
      expect(values(d.forward(x))).toEqual(values(x));
    });
  });

  test('bad input: shapes, dtypes and options name the public function and argument', () => {
    wt.tidy(() => {
      const lin = new wt.nn.Linear(3, 2, { device });
      expectCode(() => lin.forward(wt.zeros([2, 4], { device })), 'E_SHAPE', /nn\.Linear\.forward: argument 'x' must end in 3/);
      expectCode(() => lin.forward(7 as never), 'E_DTYPE', /nn\.Linear\.forward: argument 'x' must be a Tensor/);
      expectCode(() => new wt.nn.Linear(0, 2), 'E_RANGE', /nn\.Linear: argument 'inFeatures'/);
      expectCode(() => new wt.nn.Linear(2, 2, { dtype: 'int32' as never }), 'E_DTYPE', /nn\.Linear: argument 'dtype'/);
      expectCode(() => new wt.nn.Linear(2, 2, { bogus: 1 } as never), 'E_RANGE', /unknown option 'bogus'/);
      expectCode(() => new wt.nn.Dropout(1), 'E_RANGE', /nn\.Dropout: argument 'p'/);
      expectCode(() => new wt.nn.Sequential(lin, 3 as never), 'E_DTYPE', /nn\.Sequential: argument 'layers\[1\]'/);
      expectCode(() => new wt.nn.Dropout(0.5).forward(wt.zeros([2], { dtype: 'int32', device })), 'E_DTYPE', /nn\.Dropout\.forward: argument 'x'/);
      lin.dispose();
    });
  });
});

describe.each(devices)('demultiplexing on %s', (device) => {
  test('competitiveMasks is a softmax over sources; crossSourcePenalty is Σ_k [Σ_s p − 1 − ε]₊²', () => {
    wt.tidy(() => {
      const logits = randomArray(3 * 4, 21, -2, 2);
      const m = values(wt.nn.competitiveMasks(T(logits, [3, 4], device)));
      for (let k = 0; k < 4; k++) {
        const e = [0, 1, 2].map((s) => Math.exp(logits[s * 4 + k]));
        const z = e[0] + e[1] + e[2];
        [0, 1, 2].forEach((s) => expect(m[s * 4 + k]).toBeCloseTo(e[s] / z, 12));
      }
      // Columns summing to 1.3, 0.9, 1.6 with ε = 0.1: (0.2)² + 0 + (0.5)².
      const p = T([0.6, 0.5, 0.8, 0.7, 0.4, 0.8], [2, 3], device);
      expect(wt.nn.crossSourcePenalty(p, { epsilon: 0.1 }).dataSync()[0]).toBeCloseTo(0.04 + 0.25, 12);
      expect(wt.nn.crossSourcePenalty(wt.nn.competitiveMasks(T(logits, [3, 4], device)), { epsilon: 1e-9 }).dataSync()[0]).toBeCloseTo(0, 12);
    });
  });

  test.each(['rfft', 'dct'] as const)('applyMasks (%s): ideal masks of disjoint spectra separate exactly; all-ones masks return the mixture', (transform) => {
    wt.tidy(() => {
      const n = 64;
      // Two sources on disjoint coefficient sets: built as inverse transforms of disjoint spectra.
      const K = transform === 'rfft' ? n / 2 + 1 : n;
      const split = Math.floor(K / 2);
      const coef = randomArray(K, 31);
      const lowMask = Float64Array.from({ length: K }, (_, k) => (k < split ? 1 : 0));
      const t = (k: number, j: number) => (transform === 'rfft' ? Math.cos((2 * Math.PI * k * j) / n) : Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n)));
      const src = [0, 1].map((s) => Float64Array.from({ length: n }, (_, j) => {
        let v = 0;
        for (let k = 0; k < K; k++) if ((k < split) === (s === 0)) v += coef[k] * t(k, j);
        return v;
      }));
      const y = T(src[0].map((v, j) => v + src[1][j]), [n], device);
      const masks = T([...lowMask, ...lowMask.map((v) => 1 - v)], [2, K], device);
      const est = wt.nn.applyMasks(y, masks, { transform });
      expect(est.shape).toEqual([2, n]);
      const e = values(est);
      expectClose(e.slice(0, n), src[0], 1e-10);
      expectClose(e.slice(n), src[1], 1e-10);
      const ones = values(wt.nn.applyMasks(y, wt.ones([1, K], { dtype: 'float64', device }), { transform }));
      expectClose(ones, values(y), 1e-10);
    });
  });

  test('Demux learns to separate a two-tone mixture: the error of each estimate falls 10-fold', () => {
    const n = 128;
    const tone = (f: number) => Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * f * j) / n));
    const a = tone(5);
    const b = tone(23).map((v) => 0.7 * v);
    const Y = wt.keep(T(a.map((v, j) => v + b[j]), [1, n], device));
    const S = wt.keep(T([...a, ...b], [1, 2, n], device));
    const dm = new wt.nn.Demux({ sources: 2, size: n, seed: 4, dtype: 'float64', device });
    const opt = new wt.optim.Adam(dm.parameters(), { lr: 0.2 });
    const err = () => wt.mean(wt.square(wt.sub(dm.forward(Y), S)));
    const first = wt.tidy(() => err().dataSync()[0]);
    for (let i = 0; i < 60; i++) wt.tidy(() => opt.step(wt.gradients(wt.add(err(), dm.penalty()), dm.parameters())));
    const last = wt.tidy(() => err().dataSync()[0]);
    expect(last).toBeLessThan(first / 10);
    const independent = new wt.nn.Demux({ sources: 2, size: n, competitive: false, epsilon: 0.1, seed: 4, dtype: 'float64', device });
    // Independent sigmoid masks start near 0.5 each: Σ_s ≈ 1 ≤ 1.1, so no penalty yet.
    expect(wt.tidy(() => independent.penalty().dataSync()[0])).toBeCloseTo(0, 6);
    [dm, independent].forEach((m) => m.dispose());
    opt.dispose();
    Y.dispose();
    S.dispose();
  });

  test('bad input', () => {
    wt.tidy(() => {
      const y = wt.zeros([8], { device });
      expectCode(() => wt.nn.applyMasks(y, wt.ones([2, 4], { device })), 'E_SHAPE', /nn\.applyMasks: argument 'masks' must be \[S, 5\]/);
      expectCode(() => wt.nn.applyMasks(y, wt.ones([2, 5], { device }), { transform: 'dwt' as never }), 'E_RANGE', /nn\.applyMasks: argument 'transform'/);
      expectCode(() => wt.nn.crossSourcePenalty(wt.ones([2, 5], { device }), { epsilon: -1 }), 'E_RANGE', /nn\.crossSourcePenalty: argument 'epsilon'/);
      expectCode(() => new wt.nn.Demux({ sources: 0, size: 8 }), 'E_RANGE', /nn\.Demux: argument 'sources'/);
      const dm = new wt.nn.Demux({ sources: 2, size: 8, device });
      expectCode(() => dm.forward(wt.zeros([7], { device })), 'E_SHAPE', /nn\.Demux\.forward: argument 'y' must end in 8/);
      dm.dispose();
    });
  });
});
