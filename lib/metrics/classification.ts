/**
 * Binary classification metrics on scores and 0/1 labels (scikit-learn's definitions): pair
 * accuracy, the ROC curve and its AUC (tied scores count one half), precision/recall/F1 at a
 * threshold, and calibration (Brier score, expected calibration error).
 */
import { publicOp } from '../engine';
import { fail } from '../errors';
import { optionsArg, finiteArg, intArg } from '../validate';
import { NumberList, valuesArg, binaryLabelsArg } from './values';

function scoresAndLabels(op: string, scores: unknown, labels: unknown): [Float64Array, Float64Array] {
  const s = valuesArg(op, 'scores', scores);
  return [s, binaryLabelsArg(op, 'labels', labels, s.length)];
}

function probabilities(op: string, probs: unknown, labels: unknown): [Float64Array, Float64Array] {
  const p = valuesArg(op, 'probs', probs);
  for (let i = 0; i < p.length; i++)
    if (p[i] < 0 || p[i] > 1) fail('E_RANGE', `${op}: argument 'probs' must hold probabilities in [0, 1]; entry ${i} is ${p[i]}`);
  return [p, binaryLabelsArg(op, 'labels', labels, p.length)];
}

function thresholdOption(op: string, opts: unknown): number {
  const o = optionsArg(op, 3, opts, ['threshold']);
  return o.threshold === undefined ? 0.5 : finiteArg(op, 'threshold', o.threshold);
}

/** Options of {@link pairAccuracy} and {@link precisionRecallF1}. */
export interface ThresholdOptions {
  /** A score ≥ threshold predicts label 1 (default 0.5, for probabilities). */
  threshold?: number;
}

/**
 * The fraction of pairs whose predicted label (score ≥ threshold → 1) equals the true 0/1
 * label: sklearn's `accuracy_score(labels, scores >= threshold)`.
 */
export const pairAccuracy = publicOp('pairAccuracy', function pairAccuracy(scores: NumberList, labels: NumberList, opts?: ThresholdOptions): number {
  const [s, y] = scoresAndLabels('pairAccuracy', scores, labels);
  const t = thresholdOption('pairAccuracy', opts);
  let right = 0;
  for (let i = 0; i < s.length; i++) if ((s[i] >= t ? 1 : 0) === y[i]) right++;
  return right / s.length;
});

/** A ROC curve: false and true positive rates at each distinct score used as the threshold. */
export interface RocCurve {
  /** False positive rate FP/N at each threshold (non-decreasing, from 0 to 1). */
  fpr: Float64Array;
  /** True positive rate TP/P at each threshold. */
  tpr: Float64Array;
  /** The thresholds, decreasing: +Infinity first (nothing predicted positive), then each distinct score. */
  thresholds: Float64Array;
}

function countClasses(op: string, y: Float64Array): [number, number] {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) fail('E_RANGE', `${op}: argument 'labels' must hold both classes (0 and 1); got only ${pos === 0 ? 0 : 1}s`);
  return [pos, neg];
}

/**
 * The ROC curve of scores against 0/1 labels, as sklearn's `roc_curve(labels, scores,
 * drop_intermediate=False)`: one point per distinct score (predict 1 where score ≥ threshold),
 * preceded by (0, 0) at threshold +Infinity. Both classes must be present (E_RANGE).
 */
export const rocCurve = publicOp('rocCurve', function rocCurve(scores: NumberList, labels: NumberList): RocCurve {
  const [s, y] = scoresAndLabels('rocCurve', scores, labels);
  const [pos, neg] = countClasses('rocCurve', y);
  const order = Array.from(s.keys()).sort((i, j) => s[j] - s[i]);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    // One point after the last of a run of tied scores.
    if (k + 1 === order.length || s[order[k + 1]] !== s[i]) {
      fpr.push(fp / neg);
      tpr.push(tp / pos);
      thresholds.push(s[i]);
    }
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), thresholds: Float64Array.from(thresholds) };
});

/**
 * The area under the ROC curve: the probability that a random positive scores above a random
 * negative, a tie counting one half (the Mann–Whitney U statistic over P·N, from average ranks;
 * equal to the trapezoidal area under {@link rocCurve}, as sklearn's `roc_auc_score`).
 */
export const rocAuc = publicOp('rocAuc', function rocAuc(scores: NumberList, labels: NumberList): number {
  const [s, y] = scoresAndLabels('rocAuc', scores, labels);
  const [pos, neg] = countClasses('rocAuc', y);
  const order = Array.from(s.keys()).sort((i, j) => s[i] - s[j]);
  let rankSumPos = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && s[order[end + 1]] === s[order[k]]) end++;
    const averageRank = (k + end) / 2 + 1; // ranks are 1-based
    for (let j = k; j <= end; j++) if (y[order[j]] === 1) rankSumPos += averageRank;
    k = end + 1;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
});

/** Counts and rates of {@link precisionRecallF1}. */
export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * Precision TP/(TP+FP), recall TP/(TP+FN) and F1 (their harmonic mean) when score ≥ threshold
 * predicts 1. A rate with a zero denominator is 0 (sklearn's `zero_division=0`).
 */
export const precisionRecallF1 = publicOp('precisionRecallF1', function precisionRecallF1(scores: NumberList, labels: NumberList, opts?: ThresholdOptions): PrecisionRecall {
  const [s, y] = scoresAndLabels('precisionRecallF1', scores, labels);
  const t = thresholdOption('precisionRecallF1', opts);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < s.length; i++) {
    const predicted = s[i] >= t;
    if (predicted && y[i] === 1) tp++;
    else if (predicted) fp++;
    else if (y[i] === 1) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1, tp, fp, fn, tn };
});

/** The Brier score: mean of (p − y)² over probabilities p of label 1 (sklearn's `brier_score_loss`). */
export const brierScore = publicOp('brierScore', function brierScore(probs: NumberList, labels: NumberList): number {
  const [p, y] = probabilities('brierScore', probs, labels);
  let total = 0;
  for (let i = 0; i < p.length; i++) total += (p[i] - y[i]) ** 2;
  return total / p.length;
});

/** Options of {@link expectedCalibrationError}. */
export interface CalibrationOptions {
  /** Equal-width probability bins (default 10). */
  bins?: number;
}

/**
 * The expected calibration error of probabilities of label 1: Σ_b (n_b/N)·|mean(y in b) −
 * mean(p in b)| over `bins` equal-width bins of [0, 1], bin b holding p ∈ (b/B, (b+1)/B]
 * (p = 0 goes to the first bin). Empty bins contribute nothing.
 */
export const expectedCalibrationError = publicOp('expectedCalibrationError', function expectedCalibrationError(probs: NumberList, labels: NumberList, opts?: CalibrationOptions): number {
  const [p, y] = probabilities('expectedCalibrationError', probs, labels);
  const o = optionsArg('expectedCalibrationError', 3, opts, ['bins']);
  const bins = o.bins === undefined ? 10 : intArg('expectedCalibrationError', 'bins', o.bins, 1, 1 << 20);
  const count = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const hits = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(p[i] * bins) - 1));
    count[b]++;
    conf[b] += p[i];
    hits[b] += y[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(hits[b] - conf[b]) / p.length;
  return ece;
});
