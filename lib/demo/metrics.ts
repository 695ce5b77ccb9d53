/**
 * The demo's figures from plain arrays: ROC curve and AUC (ties as averages), accuracy at a
 * threshold, SNR and SI-SDR in dB. Computed in float64 on the host once per evaluation.
 */

/** AUC of `scores` (higher = positive) for 0/1 `labels`: the Mann–Whitney U statistic, tied scores counted as ½. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from(scores, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]] === 1) { rankSum += avgRank; pos++; }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The ROC curve as (false-positive rate, true-positive rate) points, from (0,0) to (1,1); tied scores make one step. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): { fpr: number[]; tpr: number[] } {
  const idx = Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let P = 0;
  for (let i = 0; i < labels.length; i++) P += labels[i] === 1 ? 1 : 0;
  const N = labels.length - P;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) {
      if (labels[idx[j]] === 1) tp++; else fp++;
      j++;
    }
    fpr.push(N ? fp / N : 0);
    tpr.push(P ? tp / P : 0);
    i = j;
  }
  return { fpr, tpr };
}

/** The threshold on `scores` (predict positive when score > threshold) with the best accuracy on these labels. */
export function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const s = Array.from(scores).sort((a, b) => a - b);
  const candidates = [s[0] - 1, ...s.map((v, i) => (i + 1 < s.length ? (v + s[i + 1]) / 2 : v + 1))];
  let best = candidates[0];
  let bestAcc = -1;
  for (const c of candidates) {
    const acc = accuracyAt(scores, labels, c);
    if (acc > bestAcc) { bestAcc = acc; best = c; }
  }
  return best;
}

/** Fraction of pairs whose prediction (score > threshold) matches the label. */
export function accuracyAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number {
  let ok = 0;
  for (let i = 0; i < scores.length; i++) ok += (scores[i] > threshold ? 1 : 0) === labels[i] ? 1 : 0;
  return ok / scores.length;
}

/** SNR in dB of `estimate` against `truth`: 10·log10(‖truth‖² / ‖estimate − truth‖²). */
export function snrDb(estimate: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < truth.length; i++) {
    s += truth[i] * truth[i];
    e += (estimate[i] - truth[i]) ** 2;
  }
  return 10 * Math.log10(s / e);
}

/** Scale-invariant SDR in dB (Le Roux et al. 2019): the estimate's projection on the zero-mean target against the rest. */
export function siSdrDb(estimate: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  let mt = 0;
  let me = 0;
  for (let i = 0; i < n; i++) { mt += target[i]; me += estimate[i]; }
  mt /= n; me /= n;
  let dot = 0;
  let tt = 0;
  for (let i = 0; i < n; i++) { dot += (estimate[i] - me) * (target[i] - mt); tt += (target[i] - mt) ** 2; }
  const a = dot / tt;
  let sig = 0;
  let err = 0;
  for (let i = 0; i < n; i++) {
    const proj = a * (target[i] - mt);
    sig += proj * proj;
    err += (estimate[i] - me - proj) ** 2;
  }
  return 10 * Math.log10(sig / err);
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
