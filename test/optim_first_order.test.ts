// wt.optim.Adam and SGD step by step against PyTorch's update formulas written here in plain
// float64 JS, on every device; the schedules against PyTorch's closed forms; state round trips.
import * as wt from '../lib';
import { codeOf, testDevices, randomArray } from './helpers';

const N = 7;
const STEPS = 6;
/** Gradient at step t: fixed pseudo-random data, independent of the parameters. */
const gradAt = (t: number) => randomArray(N, 100 + t, -2, 2);

interface AdamRef { lr: (t: number) => number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean }
/** torch.optim.Adam/AdamW (single-tensor path), one parameter vector, in float64. */
function adamRef(theta0: Float64Array, o: AdamRef, steps: number): Float64Array[] {
  const th = Float64Array.from(theta0);
  const m = new Float64Array(N);
  const v = new Float64Array(N);
  const out: Float64Array[] = [];
  for (let t = 1; t <= steps; t++) {
    const lr = o.lr(t - 1);
    const g0 = gradAt(t);
    for (let i = 0; i < N; i++) {
      let g = g0[i];
      if (o.wd !== 0 && o.decoupled) th[i] *= 1 - lr * o.wd;
      if (o.wd !== 0 && !o.decoupled) g += o.wd * th[i];
      m[i] += (g - m[i]) * (1 - o.b1);
      v[i] = v[i] * o.b2 + (1 - o.b2) * g * g;
      const stepSize = lr / (1 - o.b1 ** t);
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - o.b2 ** t) + o.eps;
      th[i] -= (stepSize * m[i]) / denom;
    }
    out.push(Float64Array.from(th));
  }
  return out;
}

interface SgdRef { lr: number; mu: number; damp: number; wd: number; nesterov: boolean }
/** torch.optim.SGD, in float64. */
function sgdRef(theta0: Float64Array, o: SgdRef, steps: number): Float64Array[] {
  const th = Float64Array.from(theta0);
  const buf = new Float64Array(N);
  const out: Float64Array[] = [];
  for (let t = 1; t <= steps; t++) {
    const g0 = gradAt(t);
    for (let i = 0; i < N; i++) {
      let d = g0[i] + o.wd * th[i];
      if (o.mu !== 0) {
        buf[i] = t === 1 ? d : o.mu * buf[i] + (1 - o.damp) * d;
        d = o.nesterov ? d + o.mu * buf[i] : buf[i];
      }
      th[i] -= o.lr * d;
    }
    out.push(Float64Array.from(th));
  }
  return out;
}

const theta0 = randomArray(N, 7, -1, 1);

describe.each(testDevices())('%s', (device) => {
  const variable = () => wt.variable(wt.tensor(theta0, [N], { dtype: 'float64', device }));
  const grads = (t: number) => [wt.tensor(gradAt(t), [N], { dtype: 'float64', device })];
  const run = (opt: { step(g: wt.Tensor[]): void }, w: wt.Variable) => {
    const got: Float64Array[] = [];
    for (let t = 1; t <= STEPS; t++) {
      opt.step(grads(t));
      got.push(Float64Array.from(w.dataSync()));
    }
    return got;
  };
  const close = (got: Float64Array[], want: Float64Array[]) =>
    got.forEach((g, t) => g.forEach((v, i) => expect(Math.abs(v - want[t][i])).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(want[t][i])))));

  test.each([
    ['defaults', {}, { lr: () => 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false }],
    ['L2 weight decay', { lr: 0.05, weightDecay: 0.1, betas: [0.8, 0.99] as [number, number], eps: 1e-6 }, { lr: () => 0.05, b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.1, decoupled: false }],
    ['AdamW', { lr: 0.05, weightDecay: 0.1, decoupledWeightDecay: true }, { lr: () => 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1, decoupled: true }],
    ['a cosine schedule', { lr: wt.optim.cosineLR(0.1, { tMax: 4 }) }, { lr: (t: number) => (t >= 4 ? 0 : (0.1 * (1 + Math.cos((Math.PI * t) / 4))) / 2), b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false }],
  ] as const)('Adam, %s: every step as PyTorch', (_, options, ref) => {
    const w = variable();
    const opt = new wt.optim.Adam([w], options as wt.optim.AdamOptions);
    close(run(opt, w), adamRef(theta0, ref as AdamRef, STEPS));
    expect(opt.steps).toBe(STEPS);
    opt.dispose();
    w.dispose();
  });

  test.each([
    ['plain', { lr: 0.1 }, { lr: 0.1, mu: 0, damp: 0, wd: 0, nesterov: false }],
    ['momentum, dampening, decay', { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }, { lr: 0.1, mu: 0.9, damp: 0.3, wd: 0.01, nesterov: false }],
    ['Nesterov', { lr: 0.1, momentum: 0.8, nesterov: true }, { lr: 0.1, mu: 0.8, damp: 0, wd: 0, nesterov: true }],
  ] as const)('SGD, %s: every step as PyTorch', (_, options, ref) => {
    const w = variable();
    const opt = new wt.optim.SGD([w], options);
    close(run(opt, w), sgdRef(theta0, ref, STEPS));
    opt.dispose();
    w.dispose();
  });

  test('state() and load() resume a run exactly, into a fresh optimiser', () => {
    const w = variable();
    const opt = new wt.optim.Adam([w], { lr: 0.05 });
    for (let t = 1; t <= 3; t++) opt.step(grads(t));
    const saved = opt.state();
    const w2 = wt.variable(wt.tensor(Float64Array.from(w.dataSync()), [N], { dtype: 'float64', device }));
    const opt2 = new wt.optim.Adam([w2], { lr: 0.05 });
    opt2.load(saved);
    for (let t = 4; t <= STEPS; t++) {
      opt.step(grads(t));
      opt2.step(grads(t));
    }
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w.dataSync()));
    const want = adamRef(theta0, { lr: () => 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false }, STEPS)[STEPS - 1];
    w.dataSync().forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-13));
    for (const o of [opt, opt2]) o.dispose();
    w.dispose();
    w2.dispose();
  });
});

test('Adam minimises a quadratic in float32 (the tape gives the gradients)', () => {
  const w = wt.variable(wt.zeros([3]));
  const target = wt.tensor([1, -2, 0.5]);
  const opt = new wt.optim.Adam([w], { lr: 0.1 });
  const lossGrad = wt.grad((x: wt.Tensor) => wt.sum(wt.square(wt.sub(x, target))));
  for (let i = 0; i < 300; i++) wt.tidy(() => opt.step([lossGrad(w)]));
  w.dataSync().forEach((v, i) => expect(Math.abs(v - [1, -2, 0.5][i])).toBeLessThan(1e-2));
});

test('the step does not leak: only the optimiser buffers stay', () => {
  const w = wt.variable(wt.zeros([4], { dtype: 'float64' }));
  const g = wt.ones([4], { dtype: 'float64' });
  const opt = new wt.optim.Adam([w]);
  opt.step([g]);
  const after1 = wt.memory().tensors;
  for (let i = 0; i < 5; i++) opt.step([g]);
  expect(wt.memory().tensors).toBe(after1);
  opt.dispose();
  expect(wt.memory().tensors).toBe(after1 - 2);
});

test('schedules: PyTorch closed forms', () => {
  const step = wt.optim.stepLR(0.1, { stepSize: 3, gamma: 0.5 });
  expect([0, 2, 3, 5, 6, 9].map(step)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  const cos = wt.optim.cosineLR(1, { tMax: 10, etaMin: 0.1 });
  [0, 3, 5, 10, 12].forEach((t) => expect(cos(t)).toBeCloseTo(t >= 10 ? 0.1 : 0.1 + (0.9 * (1 + Math.cos((Math.PI * t) / 10))) / 2, 15));
  const warm = wt.optim.linearWarmup(cos, { steps: 4, startFactor: 0.25 });
  [0, 1, 2, 4, 7].forEach((t) => expect(warm(t)).toBeCloseTo(cos(t) * (0.25 + (0.75 * Math.min(t, 4)) / 4), 15));
});

describe('bad input', () => {
  const code = (fn: () => unknown) => codeOf(fn, /^optim\./);
  test('constructor arguments', () => {
    const w = wt.variable(wt.zeros([2]));
    expect(code(() => new wt.optim.Adam([]))).toBe('E_SHAPE');
    expect(code(() => new wt.optim.Adam([wt.zeros([2])] as never))).toBe('E_DTYPE');
    expect(code(() => new wt.optim.Adam([w], { betas: [1, 0.9] }))).toBe('E_RANGE');
    expect(code(() => new wt.optim.Adam([w], { lr: -1 }))).toBe('E_RANGE');
    expect(code(() => new wt.optim.Adam([w], { eps: NaN }))).toBe('E_RANGE');
    expect(code(() => new wt.optim.SGD([w], { nesterov: true }))).toBe('E_RANGE');
    expect(code(() => new wt.optim.SGD([w], { momentum: 0.9, dampening: 0.1, nesterov: true }))).toBe('E_RANGE');
    expect(code(() => new wt.optim.SGD([w], { lr: 0.1, foo: 1 } as never))).toBe('E_RANGE');
    w.dispose();
  });
  test('gradients that do not match, states that do not fit, schedules that misbehave', () => {
    const w = wt.variable(wt.zeros([2]));
    const opt = new wt.optim.SGD([w], { lr: 0.1, momentum: 0.5 });
    expect(code(() => opt.step([wt.zeros([3])]))).toBe('E_SHAPE');
    expect(code(() => opt.step([wt.zeros([2], { dtype: 'float64' })]))).toBe('E_DTYPE');
    expect(code(() => opt.step([]))).toBe('E_SHAPE');
    expect(code(() => opt.load({ kind: 'adam', step: 0, slots: {} }))).toBe('E_RANGE');
    expect(code(() => opt.load({ kind: 'sgd', step: 1, slots: { momentumBuffer: [new Float32Array(5)] } }))).toBe('E_SHAPE');
    const bad = new wt.optim.SGD([w], { lr: () => NaN });
    expect(code(() => bad.step([wt.zeros([2])]))).toBe('E_RANGE');
    expect(code(() => wt.optim.stepLR(0.1, { stepSize: 0 }))).toBe('E_RANGE');
    expect(code(() => wt.optim.cosineLR(0.1, { tMax: 5 })(-1))).toBe('E_RANGE');
    expect(code(() => wt.optim.linearWarmup(0.1, { steps: 3, startFactor: 0 }))).toBe('E_RANGE');
    opt.dispose();
    w.dispose();
  });
});
