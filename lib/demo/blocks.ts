/**
 * The papers' building blocks as the demo uses them, composed from wavetape's differentiable ops
 * (matmul, xcorr, rfft, logsumexp, gather) so they train on the tape on every device.
 */
import * as wt from '../index';
import type { Tensor } from '../index';
import { WAVELET_TABLE } from '../wavelets/filters';
import { resolveWaveletName } from '../wavelets/catalog';

/**
 * pywt's `wavedec(x, wavelet, 'periodization', level)` as matrices on length-n signals (n a
 * multiple of 2^level): `approx` [n/2^level, n] gives cA_level and `details[j]` [n/2^(j+1), n]
 * gives cD_(j+1). One level is cA[i] = Σ_k decLo[k]·x[(2i + L/2 − k) mod m] (docs/wavelets.md),
 * likewise cD with decHi; orthogonal wavelets make the stacked matrix orthogonal, so its
 * transpose is waverec.
 */
export function waveletMatrices(wavelet: string, n: number, level: number): { approx: Float64Array; details: Float64Array[]; orthogonal: boolean } {
  const entry = WAVELET_TABLE[resolveWaveletName(wavelet, 'demo')];
  if (n % 2 ** level !== 0) throw new Error(`demo: length ${n} is not a multiple of 2^${level}`);
  const L = entry.decLo.length;
  const oneLevel = (x: Float64Array, filt: readonly number[]): Float64Array => {
    const m = x.length;
    const out = new Float64Array(m / 2);
    for (let i = 0; i < m / 2; i++) {
      let s = 0;
      for (let k = 0; k < L; k++) s += filt[k] * x[((((2 * i + L / 2 - k) % m) + m) % m)];
      out[i] = s;
    }
    return out;
  };
  const approx = new Float64Array((n >> level) * n);
  const details = Array.from({ length: level }, (_, j) => new Float64Array((n >> (j + 1)) * n));
  for (let col = 0; col < n; col++) {
    let a: Float64Array = new Float64Array(n);
    a[col] = 1;
    for (let j = 0; j < level; j++) {
      const d = oneLevel(a, entry.decHi);
      a = oneLevel(a, entry.decLo);
      d.forEach((v, i) => (details[j][i * n + col] = v));
    }
    a.forEach((v, i) => (approx[i * n + col] = v));
  }
  return { approx, details, orthogonal: entry.orthogonal };
}

const BIG = 1e8;

/**
 * Soft-DTW (Cuturi & Blondel 2017) between the sequences a[p] [T1, L] and b[p] [T2, L] for every
 * pair p, with the squared Euclidean cost and smoothing γ > 0: R(i,j) = C(i,j) + softmin_γ(R(i−1,j),
 * R(i,j−1), R(i−1,j−1)), softmin_γ = −γ·log Σ exp(−·/γ). The recursion runs over anti-diagonals so
 * each step is one batched op over pairs and rows; cells off the grid hold a large constant.
 * Returns [P] distances R(T1, T2), differentiable through the tape.
 */
export function softDtwPairs(a: Tensor, b: Tensor, gamma: number): Tensor {
  const [P, T1] = a.shape;
  const T2 = b.shape[1];
  const { dtype, device } = a;
  const sqA = wt.sum(wt.square(a), { axis: 2, keepdims: true });
  const sqB = wt.reshape(wt.sum(wt.square(b), { axis: 2 }), [P, 1, T2]);
  const cost = wt.reshape(wt.sub(wt.add(sqA, sqB), wt.mul(wt.matmul(a, wt.transpose(b, [0, 2, 1])), 2)), [P, T1 * T2]);
  const bigCol = wt.full([P, 1], BIG, { dtype, device });
  const shiftDown = (t: Tensor) => (T1 === 1 ? wt.full([P, 1], BIG, { dtype, device }) : wt.concat([bigCol, wt.slice(t, [0, 0], [-1, T1 - 1])], 1));
  const diagonal = (d: number) => {
    const idx = new Int32Array(T1);
    const mask = new Float64Array(T1);
    for (let i = 0; i < T1; i++) {
      const j = d - i;
      const ok = j >= 0 && j < T2;
      idx[i] = i * T2 + (ok ? j : 0);
      mask[i] = ok ? 1 : 0;
    }
    return {
      cost: wt.gather(cost, wt.tensor(idx, [T1], { dtype: 'int32', device }), 1),
      keep: wt.tensor(mask, [1, T1], { dtype, device }),
      fill: wt.tensor(mask.map((m) => (1 - m) * BIG), [1, T1], { dtype, device }),
    };
  };
  const d0 = diagonal(0);
  let prev2 = wt.full([P, T1], BIG, { dtype, device });
  let prev1 = wt.add(wt.mul(d0.cost, d0.keep), d0.fill);
  for (let d = 1; d <= T1 + T2 - 2; d++) {
    const { cost: c, keep, fill } = diagonal(d);
    const options = wt.stack([shiftDown(prev1), prev1, shiftDown(prev2)], 2);
    const soft = wt.mul(wt.logsumexp(wt.mul(options, -1 / gamma), { axis: 2 }), -gamma);
    const r = wt.add(wt.mul(wt.add(c, soft), keep), fill);
    prev2 = prev1;
    prev1 = r;
  }
  return wt.reshape(wt.slice(prev1, [0, T1 - 1], [-1, 1]), [P]);
}

/**
 * Normalised lag correlation of paper A for a[p, f, :] and b[p, f, :] (length T):
 * ρ(ℓ) = Σ_t a(t)·b(t+ℓ) / (√Σ a(t)² · √Σ b(t+ℓ)²), every sum over the overlap at lag ℓ, for
 * ℓ ∈ [−maxLag, maxLag]. wt.xcorr(x, y)[ℓ] = Σ_t x(t+ℓ)·y(t) (scipy's correlate), so the
 * numerator is xcorr(b, a), a's overlap energy xcorr(1, a²) and b's xcorr(b², 1). [P, F, 2·maxLag+1].
 */
export function lagCorrelation(a: Tensor, b: Tensor, maxLag: number): Tensor {
  const ones = wt.onesLike(a);
  const num = wt.xcorr(b, a, { maxLag });
  const ea = wt.xcorr(ones, wt.square(a), { maxLag });
  const eb = wt.xcorr(wt.square(b), ones, { maxLag });
  return wt.div(num, wt.sqrt(wt.add(wt.mul(ea, eb), 1e-8)));
}

/** Soft-lag correlation (1/β)·log Σ_ℓ exp(β·ρ(ℓ)), averaged over the feature axis: [P]. */
export function softLagCorrelation(a: Tensor, b: Tensor, maxLag: number, beta: number): Tensor {
  const rho = lagCorrelation(a, b, maxLag);
  return wt.mean(wt.mul(wt.logsumexp(wt.mul(rho, beta), { axis: 2 }), 1 / beta), { axis: 1 });
}

/**
 * Cross-entropy of the logistic pair model p = σ(α − w·d/τ), w = exp(logW), τ = exp(logTau), for
 * 0/1 labels y (a constant tensor), averaged: mean(softplus(s) − y·s) with s the logit.
 */
export function pairLogistic(d: Tensor, y: Tensor, alpha: Tensor, logW: Tensor, logTau: Tensor): Tensor {
  const logit = wt.sub(alpha, wt.mul(d, wt.exp(wt.sub(logW, logTau))));
  return wt.mean(wt.sub(wt.softplus(logit), wt.mul(y, logit)));
}

/** The paper's contrastive margin loss Σ d_pos + μ·Σ [m − d_neg]₊, divided by the number of positives. */
export function contrastiveMargin(dPos: Tensor, dNeg: Tensor, mu: number, margin: number): Tensor {
  const total = wt.add(wt.sum(dPos), wt.mul(wt.sum(wt.relu(wt.sub(margin, dNeg))), mu));
  return wt.div(total, dPos.size);
}

/**
 * Semi-hard negative mining on a distance matrix D (n×n, row-major) with labels: for each
 * anchor–positive pair (a, p), the closest negative n with D[a,p] < D[a,n] < D[a,p] + margin, else
 * the hardest (closest) negative of the anchor. Returns the positive and negative index pairs.
 */
export function mineSemiHard(D: ArrayLike<number>, labels: number[], margin: number): { pos: [number, number][]; neg: [number, number][] } {
  const n = labels.length;
  const pos: [number, number][] = [];
  const neg: [number, number][] = [];
  for (let a = 0; a < n; a++) {
    for (let p = 0; p < n; p++) {
      if (p === a || labels[p] !== labels[a]) continue;
      const dap = D[a * n + p];
      let semi = -1;
      let hard = -1;
      for (let k = 0; k < n; k++) {
        if (labels[k] === labels[a]) continue;
        const dak = D[a * n + k];
        if (hard < 0 || dak < D[a * n + hard]) hard = k;
        if (dak > dap && dak < dap + margin && (semi < 0 || dak < D[a * n + semi])) semi = k;
      }
      if (hard < 0) continue;
      pos.push([a, p]);
      neg.push([a, semi >= 0 ? semi : hard]);
    }
  }
  return { pos, neg };
}

/** Energy-floor penalty mean over recordings of max(0, ε − (1/T)Σ_t ‖z(t)‖²) for z [N, T, L]. */
export function energyFloor(z: Tensor, eps: number): Tensor {
  const energy = wt.mean(wt.sum(wt.square(z), { axis: 2 }), { axis: 1 });
  return wt.mean(wt.relu(wt.sub(eps, energy)));
}

/** Smoothness penalty mean over recordings of (1/T)Σ_t ‖z(t+1) − z(t)‖² for z [N, T, L]. */
export function smoothness(z: Tensor): Tensor {
  const T = z.shape[1];
  const diff = wt.sub(wt.slice(z, [0, 1, 0], [-1, T - 1, -1]), wt.slice(z, [0, 0, 0], [-1, T - 1, -1]));
  return wt.mean(wt.sum(wt.square(diff), { axis: 2 }));
}
