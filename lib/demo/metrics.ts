/**
 * Small host-side helpers for the demo's figures: the accuracy-maximising threshold on training
 * pairs, means and medians. (ROC, AUC, accuracy, SNR and SI-SDR come from wt.metrics.)
 */
import { pairAccuracy } from '../metrics';

/**
 * The threshold t with the best pair accuracy (score ≥ t predicts 1, wt.metrics.pairAccuracy) on
 * these labels, among each distinct score and one above the largest.
 */
export function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const candidates = [...new Set(Array.from(scores))].sort((a, b) => a - b);
  candidates.push(candidates[candidates.length - 1] + 1);
  let best = candidates[0];
  let bestAcc = -1;
  for (const c of candidates) {
    const acc = pairAccuracy(scores, labels, { threshold: c });
    if (acc > bestAcc) { bestAcc = acc; best = c; }
  }
  return best;
}

/** Mean of an array. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Median of an array. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
