// wt.losses: the pair losses, the soft-lag objective, mining and batching, and the regularisers,
// against float64 formulas and brute force written here; gradcheck in float64; bad input.
import * as wt from '../lib';
import { testDevices, randomArray, rng, isKernelDevice } from './helpers';
import { T, values, expectCode, weightedSum, expectGrad } from './ndref';

const devices = testDevices();
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe.each(devices)('pair losses on %s', (device) => {
  test('pairLogistic is the cross-entropy of σ(α − w·d/τ), for every reduction', () => {
    const d = [0.1, 0.7, 2.5, 0.05, 1.2];
    const y = [1, 0, 0, 1, 1];
    const alpha = 0.8;
    const logW = 0.3;
    const logTau = -0.2;
    const per = d.map((di, i) => {
      const p = sigmoid(alpha - (Math.exp(logW) * di) / Math.exp(logTau));
      return -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
    });
    wt.tidy(() => {
      const dt = T(d, [5], device);
      const opts = { alpha, logW: T([logW], [], device), logTau };
      expect(wt.losses.pairLogistic(dt, y, opts).item()).toBeCloseTo(per.reduce((a, b) => a + b) / 5, 12);
      expect(wt.losses.pairLogistic(dt, y, { ...opts, reduction: 'sum' }).item()).toBeCloseTo(per.reduce((a, b) => a + b), 12);
      const none = values(wt.losses.pairLogistic(dt, T(y, [5], device), { ...opts, reduction: 'none' }));
      none.forEach((v, i) => expect(v).toBeCloseTo(per[i], 12));
      const p = values(wt.losses.pairProbability(dt, opts));
      p.forEach((v, i) => expect(v).toBeCloseTo(sigmoid(alpha - (Math.exp(logW) * d[i]) / Math.exp(logTau)), 14));
    });
  });

  test('pairLogistic stays finite where σ saturates (large distances and logits)', () => {
    wt.tidy(() => {
      const loss = values(wt.losses.pairLogistic(T([1e4, 1e4, -1e4], [3], device), [0, 1, 0], { reduction: 'none' }));
      // z = −1e4: y = 0 costs log(1 + e^z) ≈ 0; y = 1 costs −z = 1e4. z = 1e4 with y = 0 costs z.
      expect(loss[0]).toBeCloseTo(0, 12);
      expect(loss[1]).toBeCloseTo(1e4, 6);
      expect(loss[2]).toBeCloseTo(1e4, 6);
    });
  });

  test('contrastiveMargin is Σ d_pos + μ·Σ [m − d_neg]₊ (sum and mean)', () => {
    wt.tidy(() => {
      const pos = T([1, 2, 0.5], [3], device);
      const neg = T([0.25, 3, 0.9, 1.5], [4], device);
      // hinge terms with m = 1: 0.75, 0, 0.1, 0
      expect(wt.losses.contrastiveMargin(pos, neg, { mu: 2, margin: 1 }).item()).toBeCloseTo(3.5 + 2 * 0.85, 12);
      expect(wt.losses.contrastiveMargin(pos, neg, { mu: 2, margin: 1, reduction: 'mean' }).item()).toBeCloseTo(3.5 / 3 + (2 * 0.85) / 4, 12);
      expect(wt.losses.contrastiveMargin(pos, wt.zeros([0], { dtype: 'float64', device })).item()).toBeCloseTo(3.5, 12);
    });
  });

  test('combine is the weighted sum of the named terms', () => {
    wt.tidy(() => {
      const total = wt.losses.combine({ ce: T([2], [], device), ctr: T([3], [], device), reg: T([5], [], device) }, { ce: 0.5, reg: 0.1 });
      expect(total.item()).toBeCloseTo(0.5 * 2 + 3 + 0.1 * 5, 12);
    });
  });

  test('softLagObjective is −mean over pairs and channels of the naive soft-lag correlation', () => {
    const n = isKernelDevice(device) ? 16 : 40;
    const N = 4;
    const C = 2;
    const Z = randomArray(N * C * n, 11);
    const pairs: [number, number][] = [[0, 1], [2, 3], [1, 3]];
    const maxLag = 4;
    const beta = 5;
    const ref = (i: number, j: number, c: number) => {
      const a = Z.subarray((i * C + c) * n, (i * C + c + 1) * n);
      const b = Z.subarray((j * C + c) * n, (j * C + c + 1) * n);
      let acc = 0;
      for (let l = -maxLag; l <= maxLag; l++) {
        let num = 0, ea = 0, eb = 0;
        for (let t = Math.max(0, -l); t < Math.min(n, n - l); t++) {
          num += a[t] * b[t + l];
          ea += a[t] ** 2;
          eb += b[t + l] ** 2;
        }
        acc += Math.exp((beta * num) / Math.sqrt(ea * eb));
      }
      return Math.log(acc) / beta;
    };
    let want = 0;
    for (const [i, j] of pairs) for (let c = 0; c < C; c++) want += ref(i, j, c);
    want = -want / (pairs.length * C);
    const got = wt.tidy(() => wt.losses.softLagObjective(T(Z, [N, C, n], device), pairs, { maxLag, beta }).item());
    expect(got).toBeCloseTo(want, 10);
    const asLists = wt.tidy(() => wt.losses.softLagObjective(T(Z, [N, C, n], device), { first: [0, 2, 1], second: [1, 3, 3] }, { maxLag, beta }).item());
    expect(asLists).toBeCloseTo(want, 12);
  });

  test('regularisers: energy floor (check and penalty), smoothness, ℓ1 of first differences', () => {
    // Z [N = 2, C = 2, T = 3]; sample energies (1/T)·Σ z².
    const z = [1, 2, 0, 0, 1, 1, /* second sample */ 0.1, 0, 0, 0, 0.2, 0];
    const e0 = (1 + 4 + 1 + 1) / 3;
    const e1 = (0.01 + 0.04) / 3;
    wt.tidy(() => {
      const Z = T(z, [2, 2, 3], device);
      const report = wt.losses.energyFloorCheck(Z, { eps: 0.5 });
      expect(report.ok).toBe(false);
      expect(report.below).toEqual([1]);
      expect(report.energies[0]).toBeCloseTo(e0, 12);
      expect(report.energies[1]).toBeCloseTo(e1, 12);
      expect(wt.losses.energyFloorCheck(Z, { eps: 0.01 }).ok).toBe(true);
      expect(wt.losses.energyFloorPenalty(Z, { eps: 0.5, lambda: 3 }).item()).toBeCloseTo((3 * (0.5 - e1)) / 2, 12);
      // differences along time: sample 0: (1, −2), (1, 0); sample 1: (−0.1, 0), (0.2, −0.2)
      const d = [1, -2, 1, 0, -0.1, 0, 0.2, -0.2];
      expect(wt.losses.smoothness(Z).item()).toBeCloseTo(d.reduce((s, v) => s + v * v, 0), 12);
      expect(wt.losses.firstDifferenceL1(Z).item()).toBeCloseTo(d.reduce((s, v) => s + Math.abs(v), 0), 12);
      expect(wt.losses.firstDifferenceL1(Z, { reduction: 'mean' }).item()).toBeCloseTo(d.reduce((s, v) => s + Math.abs(v), 0) / 8, 12);
      // along the channel axis instead: differences (0−1, 1−2, 1−0) and (−0.1, 0.2, 0)
      expect(wt.losses.smoothness(Z, { axis: 1 }).item()).toBeCloseTo(1 + 1 + 1 + 0.01 + 0.04, 12);
    });
  });
});

describe('complexityPenalty', () => {
  test('weights the parameter count, filter length and FLOPs', () => {
    const params = [wt.keep(wt.zeros([3, 4])), wt.keep(wt.zeros([5]))];
    expect(wt.losses.complexityPenalty({ parameters: params, filterLength: 8 }, { parameters: 0.5, filterLength: 2 })).toBe(0.5 * 17 + 16);
    expect(wt.losses.complexityPenalty({ parameters: 10, flops: 1e6 }, { flops: 1e-6 })).toBe(11);
    params.forEach((p) => p.dispose());
  });
});

describe('gradients (gradcheck, float64, cpu)', () => {
  test('pairLogistic in d, alpha, logW and logTau', () => {
    const d = T(randomArray(6, 21, 0, 3), [6], 'cpu');
    const alpha = T([0.4], [], 'cpu');
    const logW = T([0.2], [], 'cpu');
    const logTau = T([-0.3], [], 'cpu');
    expectGrad((dd, a, w, t) => wt.losses.pairLogistic(dd, [1, 0, 1, 1, 0, 0], { alpha: a, logW: w, logTau: t }), [d, alpha, logW, logTau]);
    [d, alpha, logW, logTau].forEach((t) => t.dispose());
  });
  test('contrastiveMargin, softLagObjective and the regularisers', () => {
    const pos = T(randomArray(4, 22, 0, 2), [4], 'cpu');
    const neg = T(Float64Array.from([0.3, 1.7, 0.55, 2.2]), [4], 'cpu');
    expectGrad((p, n) => wt.losses.contrastiveMargin(p, n, { mu: 1.5, margin: 1 }), [pos, neg]);
    const Z = T(randomArray(3 * 2 * 17, 23), [3, 2, 17], 'cpu');
    expectGrad((z) => wt.losses.softLagObjective(z, [[0, 1], [1, 2]], { maxLag: 5, beta: 3 }), [Z]);
    expectGrad((z) => wt.losses.energyFloorPenalty(z, { eps: 2 }), [Z]);
    expectGrad((z) => wt.losses.smoothness(z), [Z]);
    expectGrad((z) => wt.losses.firstDifferenceL1(z), [Z]);
    expectGrad((z) => weightedSum(wt.stack([wt.losses.smoothness(z), wt.losses.energyFloorPenalty(z, { eps: 2 })]), 3), [Z]);
    [pos, neg, Z].forEach((t) => t.dispose());
  });
});

describe('mining and batching', () => {
  /** The semi-hard rule by brute force: all candidate negatives, filtered, sorted. */
  function bruteTriplets(D: number[][], y: number[], m: number): [number, number, number, number][] {
    const n = y.length;
    const out: [number, number, number, number][] = [];
    for (let a = 0; a < n; a++) {
      const negs = [...Array(n).keys()].filter((k) => y[k] !== y[a]);
      if (negs.length === 0) continue;
      const hardest = negs.slice().sort((p, q) => D[a][p] - D[a][q] || p - q)[0];
      for (let p = 0; p < n; p++) {
        if (p === a || y[p] !== y[a]) continue;
        const semi = negs.filter((k) => D[a][k] > D[a][p] && D[a][k] < D[a][p] + m).sort((u, v) => D[a][u] - D[a][v] || u - v);
        out.push(semi.length > 0 ? [a, p, semi[0], 1] : [a, p, hardest, 0]);
      }
    }
    return out;
  }

  test('mineSemiHard picks the closest semi-hard negative, else the hardest, as brute force does', () => {
    for (let trial = 0; trial < 20; trial++) {
      const r = rng(100 + trial);
      const n = 3 + Math.floor(r() * 8);
      const y = Array.from({ length: n }, () => Math.floor(r() * 3));
      const D = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(r() * 40) / 10));
      const got = wt.tidy(() => wt.losses.mineSemiHard(T(D.flat(), [n, n], 'cpu'), y, { margin: 0.7 }));
      const want = bruteTriplets(D, y, 0.7);
      expect(Array.from(got.anchors)).toEqual(want.map((w) => w[0]));
      expect(Array.from(got.positives)).toEqual(want.map((w) => w[1]));
      expect(Array.from(got.negatives)).toEqual(want.map((w) => w[2]));
      expect(Array.from(got.semiHard)).toEqual(want.map((w) => w[3]));
      expect(Array.from(got.positiveIndex)).toEqual(want.map((w) => w[0] * n + w[1]));
      expect(Array.from(got.negativeIndex)).toEqual(want.map((w) => w[0] * n + w[2]));
    }
  });

  test('mineSemiHard on a hand example', () => {
    // Samples 0, 1 class A; 2, 3 class B. d(0,1) = 1; negatives of 0: d(0,2) = 1.5 (semi-hard for m = 1), d(0,3) = 0.2.
    const D = [
      [0, 1, 1.5, 0.2],
      [1, 0, 5, 4],
      [1.5, 5, 0, 1],
      [0.2, 4, 1, 0],
    ];
    const t = wt.tidy(() => wt.losses.mineSemiHard(T(D.flat(), [4, 4], 'cpu'), [7, 7, 9, 9], { margin: 1 }));
    // anchor 0 → (1, 2 semi-hard); anchor 1 → none in (1, 2), hardest 3; anchor 2 → (3, 0 with d 1.5 ∈ (1, 2)); anchor 3 → (2, hardest 0 at 0.2).
    expect(Array.from(t.negatives)).toEqual([2, 3, 0, 0]);
    expect(Array.from(t.semiHard)).toEqual([1, 0, 1, 0]);
  });

  test('sampleBalanced draws distinct classes with perClass samples each, reproducibly', () => {
    const labels = Array.from({ length: 60 }, (_, i) => i % 7 === 6 ? 99 + i : i % 5); // classes 0..4 plus singletons
    const a = wt.losses.sampleBalanced(labels, { classes: 3, perClass: 4, seed: 5 });
    const b = wt.losses.sampleBalanced(labels, { classes: 3, perClass: 4, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.length).toBe(12);
    expect(new Set(a).size).toBe(12);
    const classes = Array.from(a).map((i) => labels[i]);
    for (let g = 0; g < 3; g++) expect(new Set(classes.slice(4 * g, 4 * g + 4)).size).toBe(1);
    expect(new Set(classes).size).toBe(3);
    expect(classes.every((c) => c < 5)).toBe(true); // singleton classes cannot give positives
    const seeds = new Set([1, 2, 3, 4, 6, 7].map((s) => Array.from(wt.losses.sampleBalanced(labels, { classes: 3, perClass: 4, seed: s })).join()));
    expect(seeds.size).toBeGreaterThan(1);
    expectCode(() => wt.losses.sampleBalanced(labels, { classes: 6 }), 'E_RANGE', /^sampleBalanced: argument 'classes'/);
  });

  test('allPairs labels every i < j pair', () => {
    const p = wt.losses.allPairs([0, 1, 0]);
    expect(Array.from(p.first)).toEqual([0, 0, 1]);
    expect(Array.from(p.second)).toEqual([1, 2, 2]);
    expect(Array.from(p.labels)).toEqual([0, 1, 0]);
  });
});

describe('bad input', () => {
  const d = wt.keep(wt.ones([3], { dtype: 'float64' }));
  const Z = wt.keep(wt.ones([3, 8], { dtype: 'float64' }));
  const one = wt.keep(wt.ones([]));
  afterAll(() => [d, Z, one].forEach((t) => t.dispose()));
  test('labels that are not 0/1, or of another length', () => {
    expectCode(() => wt.losses.pairLogistic(d, [0, 2, 1]), 'E_RANGE', /^pairLogistic: argument 'labels' must hold labels 0 or 1/);
    expectCode(() => wt.losses.pairLogistic(d, [0, 0.5, 1]), 'E_RANGE', /labels 0 or 1/);
    expectCode(() => wt.losses.pairLogistic(d, [0, 1]), 'E_SHAPE', /'labels'/);
    expectCode(() => wt.losses.pairLogistic(d, [0, 1, NaN]), 'E_RANGE', /finite/);
  });
  test('parameters and options', () => {
    expectCode(() => wt.losses.pairLogistic(d, [0, 1, 1], { reduction: 'max' as never }), 'E_RANGE', /'reduction'/);
    expectCode(() => wt.tidy(() => wt.losses.pairLogistic(d, [0, 1, 1], { alpha: wt.ones([], { dtype: 'float32' }) })), 'E_DTYPE', /'alpha'/);
    expectCode(() => wt.losses.pairLogistic(d, [0, 1, 1], { logTau: NaN }), 'E_RANGE', /'logTau'/);
    expectCode(() => wt.losses.contrastiveMargin(d, d, { margin: 0 }), 'E_RANGE', /'margin'/);
    expectCode(() => wt.losses.contrastiveMargin(d, d, { mu: -1 }), 'E_RANGE', /'mu'/);
  });
  test('mismatched or out-of-range pair lists', () => {
    expectCode(() => wt.losses.softLagObjective(Z, { first: [0, 1], second: [1] }, { maxLag: 2 }), 'E_SHAPE', /^softLagObjective: argument 'pairs' has 2 first and 1 second/);
    expectCode(() => wt.losses.softLagObjective(Z, [[0, 3]], { maxLag: 2 }), 'E_RANGE', /index 3/);
    expectCode(() => wt.losses.softLagObjective(Z, [[0]] as never, { maxLag: 2 }), 'E_SHAPE', /pairs/);
    expectCode(() => wt.losses.softLagObjective(Z, [], { maxLag: 2 }), 'E_SHAPE', /no pairs/);
    expectCode(() => wt.losses.softLagObjective(Z, [[0, 1]], { maxLag: 8 }), 'E_RANGE', /'maxLag'/);
    expectCode(() => wt.losses.softLagObjective(Z, [[0, 1]], { maxLag: 2, beta: 0 }), 'E_RANGE', /'beta'/);
  });
  test('mining and regulariser arguments', () => {
    expectCode(() => wt.losses.mineSemiHard(Z, [0, 1, 2]), 'E_SHAPE', /square/);
    expectCode(() => wt.tidy(() => wt.losses.mineSemiHard(wt.ones([2, 2], { dtype: 'float64' }), [0, 1.5])), 'E_RANGE', /integer class labels/);
    expectCode(() => wt.losses.energyFloorPenalty(Z, {} as never), 'E_RANGE', /'eps'/);
    expectCode(() => wt.losses.energyFloorCheck(Z, { eps: 1, axis: 0 }), 'E_RANGE', /sample axis/);
    expectCode(() => wt.tidy(() => wt.losses.smoothness(wt.ones([3, 1]))), 'E_SHAPE', /at least 2/);
    expectCode(() => wt.losses.combine({}), 'E_RANGE', /terms/);
    expectCode(() => wt.losses.combine({ a: d }), 'E_SHAPE', /scalar/);
    expectCode(() => wt.losses.combine({ a: one }, { b: 1 }), 'E_RANGE', /names no term/);
  });
});
