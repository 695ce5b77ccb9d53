// Device agreement, trust-region kernels: the CUDA Cauchy-point, radius-rule, Adam and SGD kernels
// on simt (and any GPU) against the cpu backend, over short and long rows, tails and several blocks.
import * as wt from '../../lib';
import { randomArray } from '../helpers';
import { describeAgreement, DType, EPS, FLOATS, expectUlps, expectWithin, make, realOf } from './agreement';

describeAgreement('trust region', ({ device, onBoth, same }) => {
  // [B, d]: sub-warp rows (d <= 512: 1, 2..32 lanes, tails), block rows (d > 512, tails of 256),
  // more rows than one grid (grid-stride), and one zero row.
  const shapes: [number, number][] = [
    [1, 1], [7, 3], [5, 31], [9, 32], [33, 33], [300, 17], [4, 512], [3, 513], [2, 1000], [1, 4100], [70, 600],
  ];

  // Inputs without cancellation in gᵀBg (every term has the model's sign), so both devices' double
  // sums of d terms differ by at most (tree depth) · 2^-52 relative; the float results then agree
  // to 1 ulp (one final rounding of nearly equal doubles), the float64 ones within that bound.
  function cauchyInputs(B: number, d: number, seed: number, sign: number): { g: Float64Array; model: Float64Array; delta: Float64Array } {
    const g = randomArray(B * d, seed, -2, 2);
    if (B > 2) g.fill(0, d, 2 * d); // row 1: g = 0
    const model = Float64Array.from(randomArray(B * d, seed + 1, 0.5, 2), (v) => sign * v);
    const delta = randomArray(B, seed + 2, 0.05, 8);
    return { g, model, delta };
  }

  it.each(shapes)('cauchyStep of [%i, %i], diagonal and hessVec models, both curvature signs', (B, d) => {
    for (const dtype of FLOATS) {
      const bound = 16 * (Math.log2(d) + 8) * EPS.float64;
      for (const sign of [1, -1]) {
        const { g, model, delta } = cauchyInputs(B, d, 7 * B + d, sign);
        // hessVec with the model's sign in every term: (B·g)_i = sign · |model_i| · g_i.
        const hv = Float64Array.from(model, (m, i) => m * g[i]);
        for (const [name, key, m] of [['hessDiag', 'hessDiag', model], ['hessVec', 'hessVec', hv]] as const) {
          const parts = ['step', 'predicted', 'tau', 'onBoundary'] as const;
          for (const part of parts) {
            const r = onBoth((dev) => {
              const res = wt.tr.cauchyStep(make(g, [B, d], dtype, dev), { [key]: make(m, [B, d], dtype, dev), delta: make(delta, [B], dtype, dev) });
              return res[part];
            });
            r.out.dispose();
            const what = `${part} ${name} sign ${sign} ${dtype}`;
            if (part === 'onBoundary') expectUlps(r.got, r.cpu, realOf(dtype), 0, what);
            else if (dtype === 'float32') expectUlps(r.got, r.cpu, 'float32', 1, what);
            else expectWithin(r.got, r.cpu, Array.from(r.cpu, (v) => bound * Math.abs(v)), what);
          }
        }
      }
    }
  });

  // Elementwise kernels: the same formula in the same precision with correctly rounded operations on
  // both sides and no multiply-add contraction (x86-64-v2 on the CPU; trust_region.cu is built with
  // --fmad=false), so bitwise on every device.
  const sizes = [1, 255, 257, 5000, 40000];

  it.each(sizes)('updateRadius over %i rows, every branch of the rule', (n) => {
    for (const dtype of FLOATS) {
      const predicted = Float64Array.from(randomArray(n, n + 3, -0.2, 2), (v, i) => (i % 11 === 5 ? 0 : v));
      const rho = randomArray(n, n + 4, -0.5, 1.5);
      const actual = Float64Array.from(rho, (r, i) => (i % 13 === 7 ? NaN : i % 17 === 3 ? Infinity : r * predicted[i]));
      const delta = randomArray(n, n + 5, 0.01, 900);
      const onBoundary = Float64Array.from(randomArray(n, n + 6, 0, 1), (v) => (v < 0.5 ? 0 : 1));
      for (const part of ['delta', 'accept', 'rho'] as const)
        same(`updateRadius ${part} ${dtype}`, (dev) =>
          wt.tr.updateRadius(make(actual, [n], dtype, dev), make(predicted, [n], dtype, dev), make(delta, [n], dtype, dev), make(onBoundary, [n], dtype, dev))[part]);
    }
  });

  function stepsOn(dev: string, dtype: DType, n: number, make1: (v: wt.Variable) => { step(g: wt.Tensor[]): void; dispose(): void }): wt.Tensor {
    const p = wt.variable(make(randomArray(n, n + 11, -1, 1), [n], dtype, dev));
    const opt = make1(p);
    for (let k = 0; k < 3; k++) opt.step([make(randomArray(n, n + 20 + k, -1, 1), [n], dtype, dev)]);
    opt.dispose();
    return p;
  }

  it.each(sizes)('Adam and AdamW steps over %i parameters', (n) => {
    for (const dtype of FLOATS)
      for (const decoupled of [false, true]) {
        const r = onBoth((dev) => stepsOn(dev, dtype, n, (p) => new wt.optim.Adam([p], { lr: 0.05, weightDecay: 0.1, decoupledWeightDecay: decoupled })));
        r.out.dispose();
        expectUlps(r.got, r.cpu, realOf(dtype), 0, `adam ${dtype} decoupled ${decoupled}`);
      }
  });

  it.each(sizes)('SGD steps (plain, momentum with dampening, Nesterov) over %i parameters', (n) => {
    for (const dtype of FLOATS)
      for (const o of [{ lr: 0.1 }, { lr: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01 }, { lr: 0.1, momentum: 0.8, nesterov: true }]) {
        const r = onBoth((dev) => stepsOn(dev, dtype, n, (p) => new wt.optim.SGD([p], o)));
        r.out.dispose();
        expectUlps(r.got, r.cpu, realOf(dtype), 0, `sgd ${dtype} ${JSON.stringify(o)}`);
      }
  });
  // The kernels check a tensor Δ themselves: the call returns at once and the read that follows
  // reports E_RANGE naming the public function, on the kernel device and on cpu alike.
  it.each([0, -1, Infinity, NaN])('a tensor radius holding %p fails the op with E_RANGE at the read', (bad) => {
    for (const dev of [device, 'cpu'])
      wt.tidy(() => {
        const g = make([1, 2, 3, 4, 5, 6], [3, 2], 'float32', dev);
        const radii = make([0.5, bad, 2], [3], 'float32', dev);
        const results = [
          () => wt.tr.cauchyStep(g, { hessDiag: g, delta: radii }).step,
          () => wt.tr.updateRadius(radii, radii, radii, radii).delta,
        ];
        for (const [k, run] of results.entries()) {
          const out = run();
          let caught: unknown;
          try {
            out.dataSync();
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(wt.WavetapeError);
          expect((caught as wt.WavetapeError).code).toBe('E_RANGE');
          expect((caught as Error).message).toMatch(k === 0 ? /tr\.cauchyStep.*'delta'/ : /tr\.updateRadius.*'delta'/);
        }
        // The device stays usable and the flag is reset: a valid call afterwards reads back.
        const ok = wt.tr.cauchyStep(g, { hessDiag: g, delta: make([1, 1, 1], [3], 'float32', dev) }).step;
        expect(ok.dataSync().every(Number.isFinite)).toBe(true);
      });
  });
});
