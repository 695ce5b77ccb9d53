/**
 * Paper A's batching: semi-hard negative mining on an in-batch distance matrix, balanced
 * minibatches with several positives per anchor (seeded), and the labelled pairs of a batch.
 */
import { Tensor } from '../tensor';
import { publicOp } from '../engine';
import { fail } from '../errors';
import { tensorArg, dtypeIn, optionsArg, finiteArg, intArg } from '../validate';
import { classLabelsArg, valuesArg } from '../metrics/values';
import { mulberry32 } from '../host_random';

/** Options of {@link mineSemiHard}. */
export interface MineOptions {
  /** The margin m of the semi-hard window d(a,p) < d(a,n) < d(a,p) + m (default 1; > 0). */
  margin?: number;
}

/** Triplets (anchor, positive, negative) chosen by {@link mineSemiHard}. */
export interface Triplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
  /** 1 where the negative was semi-hard, 0 where none was and the hardest negative was taken. */
  semiHard: Uint8Array;
  /** a·N + p and a·N + n: indices into the flattened distance matrix, for `wt.gather(wt.flatten(D), …)`. */
  positiveIndex: Int32Array;
  negativeIndex: Int32Array;
}

/**
 * Semi-hard negative mining (paper A; FaceNet's rule): for every anchor a and every positive p
 * (same label, p ≠ a), the negative n (another label) with d(a,p) < d(a,n) < d(a,p) + m; among
 * several, the closest one (the hardest semi-hard); when there is none, the hardest in-batch
 * negative (smallest d(a,n); the lower index on ties). D is the [N, N] distance matrix of the
 * batch (a Tensor, read once), labels its N integer class labels. Anchors with no negative in
 * the batch give no triplet. Not differentiable: gather the chosen distances from D with
 * positiveIndex / negativeIndex to train on them.
 */
export const mineSemiHard = publicOp('mineSemiHard', function mineSemiHard(D: Tensor, labels: Tensor | ArrayLike<number>, opts?: MineOptions): Triplets {
  const op = 'mineSemiHard';
  const dm = tensorArg(op, 'D', D);
  dtypeIn(op, 'D', dm, ['float32', 'float64']);
  if (dm.rank !== 2 || dm.shape[0] !== dm.shape[1] || dm.shape[0] === 0)
    fail('E_SHAPE', `${op}: argument 'D' must be a square [N, N] distance matrix with N >= 1; got shape [${dm.shape}]`);
  const n = dm.shape[0];
  const y = classLabelsArg(op, 'labels', labels, n);
  const o = optionsArg(op, 3, opts, ['margin']);
  const margin = o.margin === undefined ? 1 : finiteArg(op, 'margin', o.margin);
  if (!(margin > 0)) fail('E_RANGE', `${op}: argument 'margin' = ${margin}; expected a margin > 0`);
  const d = valuesArg(op, 'D', dm);
  const out = { a: [] as number[], p: [] as number[], n: [] as number[], semi: [] as number[] };
  for (let a = 0; a < n; a++) {
    let hardest = -1;
    for (let k = 0; k < n; k++) if (y[k] !== y[a] && (hardest < 0 || d[a * n + k] < d[a * n + hardest])) hardest = k;
    if (hardest < 0) continue;
    for (let p = 0; p < n; p++) {
      if (p === a || y[p] !== y[a]) continue;
      const dap = d[a * n + p];
      let chosen = -1;
      for (let k = 0; k < n; k++) {
        if (y[k] === y[a]) continue;
        const dan = d[a * n + k];
        if (dan > dap && dan < dap + margin && (chosen < 0 || dan < d[a * n + chosen])) chosen = k;
      }
      out.a.push(a);
      out.p.push(p);
      out.n.push(chosen >= 0 ? chosen : hardest);
      out.semi.push(chosen >= 0 ? 1 : 0);
    }
  }
  const anchors = Int32Array.from(out.a);
  const positives = Int32Array.from(out.p);
  const negatives = Int32Array.from(out.n);
  return {
    anchors, positives, negatives,
    semiHard: Uint8Array.from(out.semi),
    positiveIndex: anchors.map((a, i) => a * n + positives[i]),
    negativeIndex: anchors.map((a, i) => a * n + negatives[i]),
  };
});

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Options of {@link sampleBalanced}. */
export interface BalancedOptions {
  /** Classes drawn per batch (default 4), each with at least two samples. */
  classes?: number;
  /** Samples drawn per class (default 4; ≥ 2, so every anchor has positives). */
  perClass?: number;
  /** Seed of the draw (default 0): the same seed gives the same batch. */
  seed?: number;
}

/**
 * A balanced minibatch (paper A): `classes` distinct classes drawn at random among those with
 * at least two samples, then `perClass` samples of each without replacement (all of a class's
 * samples when it has fewer), so each anchor has perClass − 1 positives. Returns the sample
 * indices, grouped by class. E_RANGE when fewer classes qualify than requested.
 */
export const sampleBalanced = publicOp('sampleBalanced', function sampleBalanced(labels: Tensor | ArrayLike<number>, opts?: BalancedOptions): Int32Array {
  const op = 'sampleBalanced';
  const y = classLabelsArg(op, 'labels', labels);
  const o = optionsArg(op, 2, opts, ['classes', 'perClass', 'seed']);
  const classes = o.classes === undefined ? 4 : intArg(op, 'classes', o.classes, 1, 1 << 24);
  const perClass = o.perClass === undefined ? 4 : intArg(op, 'perClass', o.perClass, 2, 1 << 24);
  const random = mulberry32(o.seed === undefined ? 0 : intArg(op, 'seed', o.seed, 0, 2 ** 32 - 1));
  const members = new Map<number, number[]>();
  y.forEach((c, i) => (members.get(c) ?? members.set(c, []).get(c)!).push(i));
  const eligible = [...members.keys()].filter((c) => members.get(c)!.length >= 2).sort((p, q) => p - q);
  if (eligible.length < classes)
    fail('E_RANGE', `${op}: argument 'classes' = ${classes}, but only ${eligible.length} classes have two or more samples`);
  const batch: number[] = [];
  for (const c of shuffle(eligible, random).slice(0, classes)) batch.push(...shuffle(members.get(c)!.slice(), random).slice(0, perClass));
  return Int32Array.from(batch);
});

/** Every unordered pair of a batch with its pair label, from {@link allPairs}. */
export interface LabelledPairs {
  first: Int32Array;
  second: Int32Array;
  /** 1 where the two samples share a class, else 0. */
  labels: Float64Array;
}

/** All pairs i < j of the N samples with class labels `labels`, labelled 1 (same class) or 0. */
export const allPairs = publicOp('allPairs', function allPairs(labels: Tensor | ArrayLike<number>): LabelledPairs {
  const y = classLabelsArg('allPairs', 'labels', labels);
  if (y.length > 1 << 13) fail('E_RANGE', `allPairs: ${y.length} samples would give more than 2^25 pairs; at most 8192 samples`);
  const count = (y.length * (y.length - 1)) / 2;
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  const same = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < y.length; i++)
    for (let j = i + 1; j < y.length; j++, k++) {
      first[k] = i;
      second[k] = j;
      same[k] = y[i] === y[j] ? 1 : 0;
    }
  return { first, second, labels: same };
});
