// wt.metrics against values computed by hand (scikit-learn's documented examples where there is
// one) and brute-force references written here: pairwise counting for ROC AUC, exhaustive
// matching for event detection.
import * as wt from '../lib';
import { rng } from './helpers';
import { expectCode } from './ndref';

describe('classification metrics', () => {
  test("rocCurve and rocAuc on scikit-learn's roc_curve example", () => {
    const y = [0, 0, 1, 1];
    const s = [0.1, 0.4, 0.35, 0.8];
    const roc = wt.metrics.rocCurve(s, y);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(wt.metrics.rocAuc(s, y)).toBeCloseTo(0.75, 15);
  });

  test('rocAuc equals the pairwise count (ties one half) and the trapezoid under rocCurve, with ties', () => {
    for (let trial = 0; trial < 30; trial++) {
      const r = rng(trial + 1);
      const n = 2 + Math.floor(r() * 30);
      const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : r() < 0.4 ? 1 : 0));
      const s = Array.from({ length: n }, () => Math.round(r() * 6) / 2); // many ties
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          if (y[i] === 1 && y[j] === 0) {
            pairs++;
            wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
      const auc = wt.metrics.rocAuc(Float64Array.from(s), y);
      expect(auc).toBeCloseTo(wins / pairs, 12);
      const roc = wt.metrics.rocCurve(s, y);
      let area = 0;
      for (let k = 1; k < roc.fpr.length; k++) area += ((roc.fpr[k] - roc.fpr[k - 1]) * (roc.tpr[k] + roc.tpr[k - 1])) / 2;
      expect(area).toBeCloseTo(wins / pairs, 12);
    }
  });

  test('pairAccuracy and precisionRecallF1 at a threshold, by hand', () => {
    const s = [0.9, 0.2, 0.6, 0.4, 0.7, 0.1];
    const y = [1, 0, 0, 1, 1, 0];
    // threshold 0.5 predicts [1, 0, 1, 0, 1, 0]: TP 2, FP 1, FN 1, TN 2
    expect(wt.metrics.pairAccuracy(s, y)).toBeCloseTo(4 / 6, 15);
    expect(wt.metrics.precisionRecallF1(s, y)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, tp: 2, fp: 1, fn: 1, tn: 2 });
    // threshold 0.65 predicts [1, 0, 0, 0, 1, 0]: TP 2, FP 0, FN 1
    const pr = wt.metrics.precisionRecallF1(s, y, { threshold: 0.65 });
    expect([pr.precision, pr.recall, pr.f1]).toEqual([1, 2 / 3, 0.8]);
    // nothing predicted positive: precision 0 by convention
    expect(wt.metrics.precisionRecallF1(s, y, { threshold: 2 }).precision).toBe(0);
    expect(wt.metrics.pairAccuracy(wt.tensor([0.2, 0.8]), wt.tensor([0, 1]), { threshold: 0.5 })).toBe(1);
  });

  test("brierScore on scikit-learn's example and expectedCalibrationError by hand", () => {
    expect(wt.metrics.brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.0375, 15);
    // bins of width 0.1: (0, .1] holds 0.05 (y 0), (.1, .2] holds 0.15 (y 0), (.9, 1] holds 0.95, 0.92 (y 1, 0)
    const ece = wt.metrics.expectedCalibrationError([0.05, 0.15, 0.95, 0.92], [0, 0, 1, 0]);
    expect(ece).toBeCloseTo(0.05 / 4 + 0.15 / 4 + (2 / 4) * Math.abs(0.5 - 0.935), 14);
    // one bin: |mean y − mean p|
    expect(wt.metrics.expectedCalibrationError([0.2, 0.6], [1, 1], { bins: 1 })).toBeCloseTo(0.6, 15);
    // perfectly calibrated extremes
    expect(wt.metrics.expectedCalibrationError([0, 1, 1], [0, 1, 1])).toBe(0);
  });
});

describe('reconstruction metrics', () => {
  test('mse and snr by hand', () => {
    expect(wt.metrics.mse([1, 2, 3], [1, 0, 4])).toBeCloseTo(5 / 3, 15);
    // signal energy 14, noise energy 5
    expect(wt.metrics.snr([1, 2, 3], [1, 0, 4])).toBeCloseTo(10 * Math.log10(14 / 5), 13);
    expect(wt.metrics.snr(wt.tensor([3, 4]), wt.tensor([3, 4]))).toBe(Infinity);
    expect(wt.metrics.snr([2, 0], [1, 0])).toBeCloseTo(10 * Math.log10(4), 13);
  });
});

describe('event detection', () => {
  /** The largest number of one-to-one matches within `tol`, by exhaustive search. */
  function bruteMatches(d: number[], t: number[], tol: number): number {
    const used = new Array(d.length).fill(false);
    const go = (j: number): number => {
      if (j === t.length) return 0;
      let best = go(j + 1);
      for (let i = 0; i < d.length; i++)
        if (!used[i] && Math.abs(d[i] - t[j]) <= tol) {
          used[i] = true;
          best = Math.max(best, 1 + go(j + 1));
          used[i] = false;
        }
      return best;
    };
    return go(0);
  }

  test('the matching is as large as the exhaustive optimum, each pair within tolerance', () => {
    for (let trial = 0; trial < 60; trial++) {
      const r = rng(500 + trial);
      const d = Array.from({ length: Math.floor(r() * 7) }, () => Math.round(r() * 20));
      const t = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.round(r() * 20));
      const tol = Math.floor(r() * 4);
      const res = wt.metrics.eventDetection(d, t, { tolerance: tol });
      const best = bruteMatches(d, t, tol);
      expect(res.matched).toBe(best);
      expect(new Set(res.pairs.map((p) => p[0])).size).toBe(res.matched);
      expect(new Set(res.pairs.map((p) => p[1])).size).toBe(res.matched);
      for (const [i, j] of res.pairs) expect(Math.abs(d[i] - t[j])).toBeLessThanOrEqual(tol);
      expect(res.recall).toBeCloseTo(best / t.length, 15);
      expect(res.precision).toBeCloseTo(d.length === 0 ? 0 : best / d.length, 15);
    }
  });

  test('precision, recall, F1 and the localisation error by hand', () => {
    // truth 10, 50, 90; detections 12, 47, 70 (tolerance 5): 12↔10 (2), 47↔50 (3); 70 and 90 unmatched
    const res = wt.metrics.eventDetection([70, 12, 47], [10, 50, 90], { tolerance: 5 });
    expect(res.matched).toBe(2);
    expect(res.precision).toBeCloseTo(2 / 3, 15);
    expect(res.recall).toBeCloseTo(2 / 3, 15);
    expect(res.f1).toBeCloseTo(2 / 3, 15);
    expect(res.localisationError).toBeCloseTo(2.5, 15);
    expect(res.pairs).toEqual([[1, 0], [2, 1]]);
    const none = wt.metrics.eventDetection([], [1], { tolerance: 1 });
    expect([none.precision, none.recall, none.f1]).toEqual([0, 0, 0]);
    expect(none.localisationError).toBeNaN();
  });
});

describe('bad input', () => {
  test('labels, lengths and values', () => {
    expectCode(() => wt.metrics.rocAuc([0.1, 0.2], [0, 2]), 'E_RANGE', /^rocAuc: argument 'labels' must hold labels 0 or 1/);
    expectCode(() => wt.metrics.rocAuc([0.1, 0.2], [1, 1]), 'E_RANGE', /both classes/);
    expectCode(() => wt.metrics.rocCurve([0.1, 0.2, 0.3], [0, 1]), 'E_SHAPE', /'labels'/);
    expectCode(() => wt.metrics.pairAccuracy([NaN], [1]), 'E_RANGE', /finite/);
    expectCode(() => wt.metrics.pairAccuracy([], []), 'E_SHAPE', /'scores'/);
    expectCode(() => wt.metrics.brierScore([1.5], [1]), 'E_RANGE', /probabilities/);
    expectCode(() => wt.metrics.expectedCalibrationError([0.5], [1], { bins: 0 }), 'E_RANGE', /'bins'/);
    expectCode(() => wt.metrics.mse([1, 2], [1]), 'E_SHAPE', /same length/);
    expectCode(() => wt.metrics.snr('ab' as never, [1]), 'E_DTYPE', /'reference'/);
    expectCode(() => wt.metrics.eventDetection([1], [1], {} as never), 'E_RANGE', /'tolerance'/);
    expectCode(() => wt.metrics.eventDetection([1], [1], { tolerance: -1 }), 'E_RANGE', /'tolerance'/);
    expectCode(() => wt.metrics.precisionRecallF1([0.5], [1], { threshold: NaN }), 'E_RANGE', /'threshold'/);
  });
});
