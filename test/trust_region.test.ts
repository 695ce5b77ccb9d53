// wt.tr.cauchyStep and updateRadius against the textbook formulas in float64 for every branch, on
// every device; the trust-region dropout controller's invariants (inside Δ, above pFloor, reaching pTarget).
import * as wt from '../lib';
import { codeOf, testDevices, randomArray } from './helpers';

/** Nocedal & Wright Algorithm 4.2 for one row, in float64. */
function cauchyRef(g: number[], bg: number[], delta: number) {
  const gg = g.reduce((s, v) => s + v * v, 0);
  const gn = Math.sqrt(gg);
  const gbg = g.reduce((s, v, i) => s + v * bg[i], 0);
  if (gn === 0) return { step: g.map(() => 0), predicted: 0, tau: 1, onBoundary: 0 };
  const tau = gbg <= 0 ? 1 : Math.min(gn ** 3 / (delta * gbg), 1);
  const step = g.map((v) => (-tau * delta * v) / gn);
  // m(0) − m(s) with s·Bs = (τΔ/‖g‖)²·gᵀBg.
  const predicted = -(step.reduce((s, v, i) => s + v * g[i], 0) + 0.5 * ((tau * delta) / gn) ** 2 * gbg);
  return { step, predicted, tau, onBoundary: tau === 1 ? 1 : 0 };
}

describe.each(testDevices())('%s', (device) => {
  // Rows chosen for each branch: gᵀBg < 0, = 0, > 0 with τ < 1, > 0 with τ = 1, and g = 0.
  const d = 5;
  const rows: { g: number[]; diag: number[]; delta: number; branch: string }[] = [
    { g: [1, -2, 0.5, 0, 3], diag: [-1, -2, -0.5, 1, -1], delta: 0.7, branch: 'negative curvature' },
    { g: [1, 2, 0, 0, 0], diag: [0, 0, 0, 0, 0], delta: 1.5, branch: 'zero curvature' },
    { g: [0.1, -0.2, 0.05, 0.3, 0], diag: [4, 3, 2, 5, 1], delta: 10, branch: 'tau < 1' },
    { g: [3, -1, 2, 1, 0.5], diag: [0.1, 0.2, 0.1, 0.3, 0.1], delta: 0.25, branch: 'tau = 1' },
    { g: [0, 0, 0, 0, 0], diag: [1, 2, 3, 4, 5], delta: 1, branch: 'g = 0' },
  ];
  test.each(['float64', 'float32'] as const)('cauchyStep with a diagonal model, every branch (%s)', (dtype) => {
    const g = wt.tensor(rows.flatMap((r) => r.g), [rows.length, d], { dtype, device });
    const h = wt.tensor(rows.flatMap((r) => r.diag), [rows.length, d], { dtype, device });
    const delta = wt.tensor(rows.map((r) => r.delta), [rows.length], { dtype, device });
    const out = wt.tr.cauchyStep(g, { hessDiag: h, delta });
    const tol = dtype === 'float64' ? 1e-13 : 3e-6;
    rows.forEach((r, b) => {
      const ref = cauchyRef(r.g, r.g.map((v, i) => v * r.diag[i]), r.delta);
      const step = out.step.dataSync().slice(b * d, (b + 1) * d);
      step.forEach((v, i) => expect(Math.abs(v - ref.step[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(ref.step[i]))));
      expect(Math.abs(out.predicted.dataSync()[b] - ref.predicted)).toBeLessThanOrEqual(tol * (1 + Math.abs(ref.predicted)));
      expect(Math.abs(out.tau.dataSync()[b] - ref.tau)).toBeLessThanOrEqual(tol);
      expect(out.onBoundary.dataSync()[b]).toBe(ref.onBoundary);
      expect(step.every(Number.isFinite)).toBe(true);
    });
    // The branches really are the ones named.
    expect(Array.from(out.tau.dataSync()).map((t) => t < 1)).toEqual([false, false, true, false, false]);
  });

  test('cauchyStep with a general model through hessVec = B·g, leading batch axes, a scalar delta', () => {
    const B = [
      [2, 1, 0],
      [1, -3, 0.5],
      [0, 0.5, 1],
    ];
    const gs = [randomArray(3, 1), randomArray(3, 2), randomArray(3, 3), randomArray(3, 4)].map((a) => Array.from(a));
    const bg = gs.map((g) => B.map((row) => row.reduce((s, v, j) => s + v * g[j], 0)));
    const out = wt.tr.cauchyStep(wt.tensor(gs.flat(), [2, 2, 3], { dtype: 'float64', device }), {
      hessVec: wt.tensor(bg.flat(), [2, 2, 3], { dtype: 'float64', device }),
      delta: 0.3,
    });
    expect(out.step.shape).toEqual([2, 2, 3]);
    expect(out.predicted.shape).toEqual([2, 2]);
    gs.forEach((g, b) => {
      const ref = cauchyRef(g, bg[b], 0.3);
      expect(Math.abs(out.predicted.dataSync()[b] - ref.predicted)).toBeLessThan(1e-13);
      out.step.dataSync().slice(3 * b, 3 * b + 3).forEach((v, i) => expect(Math.abs(v - ref.step[i])).toBeLessThan(1e-13));
    });
  });

  test('updateRadius: every branch of the rule against the textbook, strict comparisons', () => {
    // [actual, predicted, delta, onBoundary] → expected [delta, accept]
    const cases: [number, number, number, number, number, number][] = [
      [0.1, 1, 1, 1, 0.25, 0], // ρ = 0.1 < η1 and < η: shrink, reject
      [0.2, 1, 1, 0, 0.25, 1], // ρ = 0.2 < η1 but > η: shrink, accept
      [0.25, 1, 1, 0, 1, 1], // ρ = η1 exactly: no shrink (strict)
      [0.5, 1, 1, 1, 1, 1], // between
      [0.9, 1, 1, 1, 2, 1], // above η2 on the boundary: expand
      [0.9, 1, 1, 0, 1, 1], // above η2 inside: keep
      [0.75, 1, 1, 1, 1, 1], // ρ = η2 exactly: no expansion (strict)
      [0.9, 1, 700, 1, 1000, 1], // expansion capped at Δmax
      [0.15, 1, 1, 0, 0.25, 0], // ρ = η exactly: reject (strict)
      [1, 0, 1, 1, 0.25, 0], // predicted = 0: bad model, reject and shrink
      [1, -1, 1, 1, 0.25, 0], // predicted < 0
      [NaN, 1, 1, 1, 0.25, 0], // NaN actual
      [Infinity, 1, 1, 1, 0.25, 0], // +Inf actual
      [-Infinity, 1, 1, 1, 0.25, 0],
    ];
    const col = (k: number) => wt.tensor(cases.map((c) => c[k]), [cases.length], { dtype: 'float64', device });
    const r = wt.tr.updateRadius(col(0), col(1), col(2), col(3));
    expect(Array.from(r.delta.dataSync())).toEqual(cases.map((c) => c[4]));
    expect(Array.from(r.accept.dataSync())).toEqual(cases.map((c) => c[5]));
    const rho = r.rho.dataSync();
    cases.forEach((c, i) => {
      if (c[1] > 0 && Number.isFinite(c[0])) expect(rho[i]).toBe(c[0] / c[1]);
    });
    const custom = wt.tr.updateRadius(col(0), col(1), col(2), col(3), { eta1: 0.3, eta2: 0.6, gamma1: 0.5, gamma2: 3, deltaMax: 2, deltaMin: 0.4, eta: 0 });
    expect(Array.from(custom.delta.dataSync())).toEqual([0.5, 0.5, 0.5, 1, 2, 1, 2, 2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  test('TrustRegionDropout on a flat loss: inside Δ every step, never below pFloor, reaches pTarget', () => {
    for (const [pInit, pTarget, pFloor] of [[0.9, 0.2, 0.05], [0.1, 0.6, 0], [0.5, 0.01, 0.1]]) {
      const n = 16;
      const ctrl = new wt.optim.TrustRegionDropout({ size: n, pInit, pTarget, pFloor, lambda: 2, delta0: 0.05, deltaMax: 0.5, warmup: 3 });
      const zeros = wt.zeros([n], { dtype: 'float64', device });
      let p = ctrl.probabilities;
      for (let t = 0; t < 60; t++) {
        const delta = ctrl.radius;
        const cand = ctrl.propose(zeros, zeros).dataSync();
        const moved = Math.hypot(...Array.from(cand, (v, i) => v - p[i]));
        expect(moved).toBeLessThanOrEqual(delta * (1 + 1e-12));
        const next = ctrl.commit(1.5, 1.5).dataSync();
        expect(Math.hypot(...Array.from(next, (v, i) => v - p[i]))).toBeLessThanOrEqual(delta * (1 + 1e-12));
        next.forEach((v) => expect(v >= pFloor && v < 1).toBe(true));
        if (t < 3) expect(ctrl.radius).toBe(0.05);
        p = Float64Array.from(next);
      }
      const want = Math.max(pTarget, pFloor);
      p.forEach((v) => expect(Math.abs(v - want)).toBeLessThan(1e-3));
      expect(ctrl.history).toHaveLength(60);
      expect(ctrl.history.every((h) => h.delta > 0)).toBe(true);
    }
  });
});

test('TrustRegionDropout: a loss that rises rejects the step and shrinks Δ; state() and load() round-trip', () => {
  const ctrl = new wt.optim.TrustRegionDropout({ size: 4, pInit: 0.5, pTarget: 0.1, delta0: 0.1 });
  const g = wt.tensor([1, 1, 1, 1], undefined, { dtype: 'float64' });
  ctrl.propose(g);
  const p = ctrl.commit(1, 5).dataSync();
  expect(Array.from(p)).toEqual([0.5, 0.5, 0.5, 0.5]);
  expect(ctrl.radius).toBeCloseTo(0.025, 15);
  expect(ctrl.history[0].accepted).toBe(false);
  const saved = ctrl.state();
  const other = new wt.optim.TrustRegionDropout({ size: 4, pInit: 0.5, pTarget: 0.1, delta0: 0.1 });
  other.load(saved);
  expect(other.radius).toBe(ctrl.radius);
  const a = ctrl.propose(g).dataSync();
  const b = other.propose(g).dataSync();
  expect(Array.from(b)).toEqual(Array.from(a));
});

describe('bad input', () => {
  const g = () => wt.ones([2, 3], { dtype: 'float64' });
  test('cauchyStep', () => {
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: wt.ones([2, 4], { dtype: 'float64' }), delta: 1 }))).toBe('E_SHAPE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: g(), delta: wt.ones([3], { dtype: 'float64' }) }))).toBe('E_SHAPE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: g(), delta: 0 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: g(), delta: Infinity }))).toBe('E_RANGE');
    // A tensor of radii is checked by the kernel: the call returns, the read reports it.
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: g(), delta: wt.tensor([1, -1], undefined, { dtype: 'float64' }) }).step.dataSync())).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: g(), hessVec: g(), delta: 1 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { delta: 1 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), { hessDiag: wt.ones([2, 3]), delta: 1 }))).toBe('E_DTYPE');
    expect(codeOf(() => wt.tr.cauchyStep(g(), undefined as never))).toBe('E_RANGE');
  });
  test('updateRadius', () => {
    const v = () => wt.ones([3], { dtype: 'float64' });
    expect(codeOf(() => wt.tr.updateRadius(v(), v(), v(), v(), { eta1: 0.8, eta2: 0.5 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.updateRadius(v(), v(), v(), v(), { gamma1: 1 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.updateRadius(v(), v(), v(), v(), { gamma2: 1 }))).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.updateRadius(v(), v(), wt.zeros([3], { dtype: 'float64' }), v()).delta.dataSync())).toBe('E_RANGE');
    expect(codeOf(() => wt.tr.updateRadius(v(), wt.ones([4], { dtype: 'float64' }), v(), v()))).toBe('E_SHAPE');
  });
  test('neither op is differentiable: differentiating through one is refused, not silently zero', () => {
    const d = () => wt.ones([2, 3], { dtype: 'float64' });
    const throughStep = wt.grad((x: wt.Tensor) => wt.sum(wt.tr.cauchyStep(x, { hessDiag: d(), delta: 1 }).step));
    expect(codeOf(() => throughStep(d()))).toBe('E_RANGE');
    const v = () => wt.ones([3], { dtype: 'float64' });
    const throughRadius = wt.grad((x: wt.Tensor) => wt.sum(wt.tr.updateRadius(x, v(), v(), v()).rho));
    expect(codeOf(() => throughRadius(v()))).toBe('E_RANGE');
    // The value of a differentiated tensor is usable once the gradient is stopped.
    const stopped = wt.grad((x: wt.Tensor) => wt.add(wt.sum(x), wt.sum(wt.tr.cauchyStep(wt.stopGradient(x), { hessDiag: d(), delta: 1 }).step)));
    expect(Array.from(stopped(d()).dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
  });
  test('TrustRegionDropout', () => {
    expect(codeOf(() => new wt.optim.TrustRegionDropout({ size: 0 }))).toBe('E_RANGE');
    expect(codeOf(() => new wt.optim.TrustRegionDropout({ size: 3, gamma2: 0.5 }))).toBe('E_RANGE');
    expect(codeOf(() => new wt.optim.TrustRegionDropout({ size: 3, delta0: -1 }))).toBe('E_RANGE');
    const c = new wt.optim.TrustRegionDropout({ size: 3 });
    expect(codeOf(() => c.commit(1, 1))).toBe('E_RANGE');
    expect(codeOf(() => c.propose(wt.ones([4], { dtype: 'float64' })))).toBe('E_SHAPE');
  });
});
