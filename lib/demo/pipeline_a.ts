/**
 * Demo a (paper A): encoders Φ = Ψ ∘ Ω ∘ E of multichannel recordings trained so that soft-DTW
 * distances separate recordings of the same segment from the rest; screened, trained, evaluated.
 */
import * as wt from '../index';
import type { Tensor, Variable } from '../index';
import { makeRecordings, Recordings, RecordingSpec } from './data';
import { Rng } from './rng';
import {
  waveletMatrices, softDtwPairs, softLagCorrelation, pairLogistic, contrastiveMargin, mineSemiHard, energyFloor, smoothness,
} from './blocks';
import { rocAuc, rocCurve, bestThreshold, accuracyAt, snrDb, mean, median } from './metrics';
import type { Progress } from './progress';

/** One branch of the categorical search space: Ω's wavelet and depth, and soft-DTW's γ. */
export interface BranchA {
  wavelet: string;
  level: number;
  gamma: number;
}

/** Sizes of demo a. */
export interface DemoASize {
  spec: RecordingSpec;
  /** Held-out recordings per segment (test and validation sets each). */
  heldOutPerSegment: number;
  hidden: number;
  embed: number;
  /** Segments × recordings per segment in a balanced minibatch. */
  batchSegments: number;
  batchPerSegment: number;
  wavelets: string[];
  levels: number[];
  gammas: number[];
  /** Steps of the first successive-halving rung (doubled per rung). */
  rungSteps: number;
  trainSteps: number;
  evalEvery: number;
  patience: number;
}

/** The quick and full sizes. */
export function sizeA(quick: boolean): DemoASize {
  return {
    spec: { segments: quick ? 4 : 6, perSegment: quick ? 6 : 10, channels: 8, eventChannels: 4, frames: quick ? 64 : 128, maxShift: quick ? 4 : 8, noise: 0.6, drift: 2.0 },
    heldOutPerSegment: quick ? 5 : 8,
    hidden: 4,
    embed: 6,
    batchSegments: quick ? 3 : 4,
    batchPerSegment: 3,
    wavelets: quick ? ['haar', 'db4'] : ['haar', 'db2', 'db4', 'sym4'],
    levels: quick ? [2, 3] : [2, 3, 4],
    gammas: quick ? [0.1, 1] : [0.1, 1],
    rungSteps: quick ? 4 : 8,
    trainSteps: quick ? 60 : 200,
    evalEvery: quick ? 10 : 20,
    patience: quick ? 3 : 4,
  };
}

/** Weights of the combined loss λ_CE·L_CE + λ_ctr·L_ctr + λ_E·energy floor + λ_s·smoothness. */
const WEIGHTS = { ce: 1, ctr: 0.5, energy: 1, smooth: 0.05, energyFloor: 0.5, margin: 1.0, mu: 1 };

/** The encoder's trainable parameters and the logistic pair model's α, log w, log τ. */
class EncoderA {
  readonly vars: Variable[];
  private readonly approx: Tensor;
  private readonly detail: Tensor;
  readonly frames: number;

  constructor(readonly branch: BranchA, readonly size: DemoASize, seed: number) {
    const { channels: C, frames: T } = size.spec;
    const H = size.hidden;
    const Lz = size.embed;
    const m = waveletMatrices(branch.wavelet, T, branch.level);
    this.frames = T >> branch.level;
    const tp = (a: Float64Array, rows: number) => wt.transpose(wt.tensor(Float32Array.from(a), [rows, T]));
    [this.approx, this.detail, this.vars] = wt.tidy(() => [
      wt.keep(tp(m.approx, this.frames)),
      wt.keep(tp(m.details[branch.level - 1], this.frames)),
      [
        wt.variable(wt.normal([C, H], 0, 1 / Math.sqrt(C), { seed })),
        wt.variable(wt.zeros([H])),
        wt.variable(wt.normal([6 * H, Lz], 0, 1 / Math.sqrt(6 * H), { seed: seed + 1 })),
        wt.variable(wt.zeros([Lz])),
        wt.variable(wt.tensor([2], [1])),
        wt.variable(wt.zeros([1])),
        wt.variable(wt.zeros([1])),
      ],
    ] as [Tensor, Tensor, Variable[]]);
  }

  /** z [N, T', L] of recordings x [N, C, T]: E (per-frame tanh(xW + b)), Ω (cA_J and cD_J along time), Ψ (tanh of a 3-frame linear map). */
  encode(x: Tensor): Tensor {
    const [wE, bE, w1, b1] = this.vars;
    const N = x.shape[0];
    const H = this.size.hidden;
    const Tp = this.frames;
    const e = wt.tanh(wt.add(wt.matmul(wt.transpose(x, [0, 2, 1]), wE), bE)); // [N, T, H]
    const et = wt.transpose(e, [0, 2, 1]); // [N, H, T]
    const coeffs = wt.concat([wt.matmul(et, this.approx), wt.matmul(et, this.detail)], 1); // [N, 2H, T']
    const u = wt.transpose(coeffs, [0, 2, 1]); // [N, T', 2H]
    const padded = wt.pad(u, [[0, 0], [1, 1], [0, 0]]);
    const context = wt.concat([0, 1, 2].map((k) => wt.slice(padded, [0, k, 0], [N, Tp, 2 * H])), 2); // [N, T', 6H]
    return wt.tanh(wt.add(wt.matmul(context, w1), b1));
  }

  /** Soft-DTW distances per frame (d / T') of the pairs (I[k], J[k]) of z. */
  distances(z: Tensor, I: number[], J: number[]): Tensor {
    const za = wt.gather(z, wt.tensor(Int32Array.from(I), [I.length], { dtype: 'int32' }), 0);
    const zb = wt.gather(z, wt.tensor(Int32Array.from(J), [J.length], { dtype: 'int32' }), 0);
    return wt.div(softDtwPairs(za, zb, this.branch.gamma), this.frames);
  }

  snapshot(): Float32Array[] {
    return this.vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  restore(s: Float32Array[]): void {
    this.vars.forEach((v, i) => {
      const t = wt.tensor(s[i], v.shape);
      v.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.approx.dispose();
    this.detail.dispose();
  }
}

/** Every pair i < j of n items. */
function allPairs(n: number): { I: number[]; J: number[] } {
  const I: number[] = [];
  const J: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { I.push(i); J.push(j); }
  return { I, J };
}

/** A balanced minibatch: `segs` segments drawn at random, `per` recordings of each. */
function balancedBatch(rng: Rng, labels: number[], segs: number, per: number): number[] {
  const bySeg = new Map<number, number[]>();
  labels.forEach((l, i) => bySeg.set(l, [...(bySeg.get(l) ?? []), i]));
  const keys = [...bySeg.keys()];
  const chosen = rng.permutation(keys.length).slice(0, segs).map((k) => keys[k]);
  return chosen.flatMap((s) => {
    const members = bySeg.get(s)!;
    return rng.permutation(members.length).slice(0, per).map((k) => members[k]);
  });
}

function recordingsTensor(r: Recordings, rows?: number[]): Tensor {
  const { channels: C, frames: T } = r;
  const idx = rows ?? Array.from({ length: r.n }, (_, i) => i);
  const out = new Float32Array(idx.length * C * T);
  idx.forEach((k, i) => out.set(r.x.subarray(k * C * T, (k + 1) * C * T), i * C * T));
  return wt.tensor(out, [idx.length, C, T]);
}

type Objective = 'metric' | 'softLag';

/** One optimisation step on a balanced minibatch; returns the loss. */
function trainStep(model: EncoderA, opt: wt.optim.Adam, data: Recordings, rng: Rng, objective: Objective): number {
  const { batchSegments, batchPerSegment } = model.size;
  const rows = balancedBatch(rng, data.labels, batchSegments, batchPerSegment);
  const labels = rows.map((r) => data.labels[r]);
  return wt.tidy(() => {
    const x = recordingsTensor(data, rows);
    const z = model.encode(x);
    const { I, J } = allPairs(rows.length);
    const y = I.map((i, k) => (labels[i] === labels[J[k]] ? 1 : 0));
    let loss: Tensor;
    if (objective === 'metric') {
      const d = model.distances(z, I, J);
      const dv = d.dataSync();
      const n = rows.length;
      const D = new Float64Array(n * n);
      I.forEach((i, k) => { D[i * n + J[k]] = dv[k]; D[J[k] * n + i] = dv[k]; });
      const pairIndex = (a: number, b: number) => {
        const [i, j] = a < b ? [a, b] : [b, a];
        return i * n - (i * (i + 1)) / 2 + (j - i - 1);
      };
      const { pos, neg } = mineSemiHard(D, labels, WEIGHTS.margin);
      const pick = (ps: [number, number][]) => wt.gather(d, wt.tensor(Int32Array.from(ps.map(([a, b]) => pairIndex(a, b))), [ps.length], { dtype: 'int32' }));
      const [, , , , alpha, logW, logTau] = model.vars;
      const ce = pairLogistic(d, wt.tensor(Float32Array.from(y), [y.length]), alpha, logW, logTau);
      const ctr = contrastiveMargin(pick(pos), pick(neg), WEIGHTS.mu, WEIGHTS.margin);
      loss = wt.add(wt.mul(ce, WEIGHTS.ce), wt.mul(ctr, WEIGHTS.ctr));
    } else {
      const zt = wt.transpose(z, [0, 2, 1]);
      const maxLag = Math.max(1, model.frames >> 2);
      const s = softLagCorrelation(
        wt.gather(zt, wt.tensor(Int32Array.from(I), [I.length], { dtype: 'int32' }), 0),
        wt.gather(zt, wt.tensor(Int32Array.from(J), [J.length], { dtype: 'int32' }), 0),
        maxLag, 5,
      );
      const w = y.map((v) => v / Math.max(1, y.filter((q) => q === 1).length) - (1 - v) / Math.max(1, y.filter((q) => q === 0).length));
      loss = wt.neg(wt.sum(wt.mul(s, wt.tensor(Float32Array.from(w), [w.length]))));
    }
    loss = wt.add(loss, wt.add(wt.mul(energyFloor(z, WEIGHTS.energyFloor), WEIGHTS.energy), wt.mul(smoothness(z), WEIGHTS.smooth)));
    const grads = wt.gradients(loss, model.vars);
    opt.step(grads);
    return loss.item();
  });
}

/** Held-out figures of a model: pair scores (−distance), AUC, ROC, mean soft-lag correlation within and between segments. */
interface Evaluation {
  auc: number;
  scores: number[];
  labels: number[];
  softLagWithin: number;
  softLagBetween: number;
}

function evaluate(model: EncoderA, data: Recordings, withSoftLag: boolean): Evaluation {
  return wt.tidy(() => {
    const z = model.encode(recordingsTensor(data));
    const { I, J } = allPairs(data.n);
    const d = model.distances(z, I, J).dataSync();
    const labels = I.map((i, k) => (data.labels[i] === data.labels[J[k]] ? 1 : 0));
    const scores = Array.from(d, (v) => -v);
    let within = NaN;
    let between = NaN;
    if (withSoftLag) {
      const zt = wt.transpose(z, [0, 2, 1]);
      const idx = (xs: number[]) => wt.tensor(Int32Array.from(xs), [xs.length], { dtype: 'int32' });
      const s = softLagCorrelation(wt.gather(zt, idx(I), 0), wt.gather(zt, idx(J), 0), Math.max(1, model.frames >> 2), 5).dataSync();
      within = mean(Array.from(s).filter((_, k) => labels[k] === 1));
      between = mean(Array.from(s).filter((_, k) => labels[k] === 0));
    }
    return { auc: rocAuc(scores, labels), scores, labels, softLagWithin: within, softLagBetween: between };
  });
}

/** What demo a reports. */
export interface DemoAResult {
  figures: {
    branch: BranchA;
    screen: { rung: number; steps: number; branch: string; valAuc: number }[];
    auc: { before: number; after: number; softLagObjective: number };
    accuracy: { before: number; after: number; threshold: 'best on training pairs' };
    logisticAccuracyAfter: number;
    softLag: { withinBefore: number; betweenBefore: number; withinAfter: number; betweenAfter: number };
    snrDb: { recording: number; recovered: number };
    stepSeconds: Record<string, number>;
    trainSteps: number;
    pairs: { train: number; test: number };
  };
  curves: {
    lossMetric: number[];
    lossSoftLag: number[];
    valAuc: { step: number; auc: number }[];
    rocBefore: { fpr: number[]; tpr: number[] };
    rocAfter: { fpr: number[]; tpr: number[] };
    event: { truth: number[]; recording: number[]; recovered: number[]; channel: number };
  };
}

const branchName = (b: BranchA) => `${b.wavelet}/L${b.level}/γ${b.gamma}`;

/** Runs demo a: data, the successive-halving screen, training (both objectives), evaluation, step timing. */
export function runDemoA(opts: { quick: boolean; seed: number; devices: string[]; progress: Progress }): DemoAResult {
  const size = sizeA(opts.quick);
  const { spec } = size;
  const seed = opts.seed;
  const gen = opts.progress.stage('a: synthesise recordings', 3);
  const train = makeRecordings(spec, seed, seed + 11);
  gen.tick();
  const val = makeRecordings({ ...spec, perSegment: size.heldOutPerSegment }, seed, seed + 12);
  gen.tick();
  const test = makeRecordings({ ...spec, perSegment: size.heldOutPerSegment }, seed, seed + 13);
  gen.done(`${train.n} train, ${val.n} validation, ${test.n} test recordings of ${spec.channels}×${spec.frames}`);

  // Successive halving over wavelet × levels × γ: each rung trains the survivors for rungSteps·2^r
  // more steps and keeps the better half by validation AUC.
  let branches: BranchA[] = [];
  for (const wavelet of size.wavelets) for (const level of size.levels) for (const gamma of size.gammas) branches.push({ wavelet, level, gamma });
  const rungs = Math.ceil(Math.log2(branches.length));
  let screenTotal = 0;
  for (let r = 0, n = branches.length; r < rungs; r++, n = Math.ceil(n / 2)) screenTotal += n * size.rungSteps * 2 ** r;
  const screenStage = opts.progress.stage('a: successive-halving screen', screenTotal);
  const screen: DemoAResult['figures']['screen'] = [];
  let models = branches.map((b, i) => {
    const m = new EncoderA(b, size, seed + 100);
    return { m, opt: new wt.optim.Adam(m.vars, { lr: 0.02 }), rng: new Rng(seed + 200 + i), steps: 0 };
  });
  for (let r = 0; r < rungs && models.length > 1; r++) {
    const steps = size.rungSteps * 2 ** r;
    const scored = models.map((entry) => {
      for (let s = 0; s < steps; s++) { trainStep(entry.m, entry.opt, train, entry.rng, 'metric'); screenStage.tick(); }
      entry.steps += steps;
      const auc = evaluate(entry.m, val, false).auc;
      screen.push({ rung: r, steps: entry.steps, branch: branchName(entry.m.branch), valAuc: auc });
      return { entry, auc };
    });
    scored.sort((a, b) => b.auc - a.auc);
    const keep = Math.ceil(scored.length / 2);
    scored.slice(keep).forEach((s) => { s.entry.m.dispose(); s.entry.opt.dispose(); });
    models = scored.slice(0, keep).map((s) => s.entry);
  }
  const branch = models[0].m.branch;
  models.forEach((e) => { e.m.dispose(); e.opt.dispose(); });
  screenStage.done(`best branch ${branchName(branch)}`);

  // The chosen branch from a fresh start: figures before training, then training with early
  // stopping on validation AUC (the best parameters are kept).
  const model = new EncoderA(branch, size, seed + 300);
  const trainPairsBefore = evaluate(model, train, false);
  const before = evaluate(model, test, true);
  const thresholdBefore = bestThreshold(trainPairsBefore.scores, trainPairsBefore.labels);
  const fit = opts.progress.stage(`a: train ${branchName(branch)} (logistic + contrastive, semi-hard)`, size.trainSteps);
  const opt = new wt.optim.Adam(model.vars, { lr: 0.02 });
  const rng = new Rng(seed + 400);
  const lossMetric: number[] = [];
  const valAuc: { step: number; auc: number }[] = [{ step: 0, auc: evaluate(model, val, false).auc }];
  let best = { auc: valAuc[0].auc, params: model.snapshot(), step: 0 };
  let stale = 0;
  let stepsRun = 0;
  for (let s = 1; s <= size.trainSteps; s++) {
    lossMetric.push(trainStep(model, opt, train, rng, 'metric'));
    stepsRun = s;
    fit.tick(1, `loss ${lossMetric[lossMetric.length - 1].toFixed(3)}`);
    if (s % size.evalEvery === 0) {
      const auc = evaluate(model, val, false).auc;
      valAuc.push({ step: s, auc });
      if (auc > best.auc) { best = { auc, params: model.snapshot(), step: s }; stale = 0; }
      else if (++stale >= size.patience) break;
    }
  }
  model.restore(best.params);
  fit.done(`${stepsRun} steps, best validation AUC ${best.auc.toFixed(3)} at step ${best.step}`);

  const evalStage = opts.progress.stage('a: evaluate on held-out recordings', 2);
  const after = evaluate(model, test, true);
  const trainPairsAfter = evaluate(model, train, false);
  const thresholdAfter = bestThreshold(trainPairsAfter.scores, trainPairsAfter.labels);
  const logisticAccuracyAfter = wt.tidy(() => {
    const [, , , , alpha, logW, logTau] = model.vars;
    const w = Math.exp(logW.item() - logTau.item());
    // p = σ(α − w·d/τ) > ½ ⇔ −d > −α/(w/τ): the logistic model's own decision on held-out pairs.
    return accuracyAt(after.scores, after.labels, -alpha.item() / w);
  });
  evalStage.tick();

  // Ω's view of the events: waverec of (cA_J, cD_J) alone, against the injected events, on the event channels.
  const mats = waveletMatrices(branch.wavelet, spec.frames, branch.level);
  const T = spec.frames;
  const Tp = T >> branch.level;
  const projector = new Float64Array(T * T);
  for (const M of [mats.approx, mats.details[branch.level - 1]])
    for (let i = 0; i < Tp; i++) for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) projector[a * T + b] += M[i * T + a] * M[i * T + b];
  const recovered = wt.tidy(() => Float64Array.from(wt.matmul(wt.tensor(test.x, [test.n * spec.channels, T], { dtype: 'float64' }), wt.tensor(projector, [T, T], { dtype: 'float64' })).dataSync()));
  const evIdx: number[] = [];
  for (let r = 0; r < test.n; r++) for (let c = 0; c < spec.eventChannels; c++) for (let t = 0; t < T; t++) evIdx.push((r * spec.channels + c) * T + t);
  const pickIdx = (a: Float64Array) => evIdx.map((i) => a[i]);
  const snr = { recording: snrDb(pickIdx(test.x), pickIdx(test.clean)), recovered: snrDb(pickIdx(recovered), pickIdx(test.clean)) };
  evalStage.done(`AUC ${before.auc.toFixed(3)} → ${after.auc.toFixed(3)}; SNR ${snr.recording.toFixed(1)} → ${snr.recovered.toFixed(1)} dB`);

  // The alternative objective: the same branch and start, trained to raise soft-lag correlation
  // within segments over that between segments.
  const lagStage = opts.progress.stage('a: train with the soft-lag objective', best.step || size.evalEvery);
  const lagModel = new EncoderA(branch, size, seed + 300);
  const lagOpt = new wt.optim.Adam(lagModel.vars, { lr: 0.02 });
  const lagRng = new Rng(seed + 400);
  const lossSoftLag: number[] = [];
  for (let s = 0; s < (best.step || size.evalEvery); s++) {
    lossSoftLag.push(trainStep(lagModel, lagOpt, train, lagRng, 'softLag'));
    lagStage.tick();
  }
  const lagAuc = evaluate(lagModel, test, false).auc;
  lagModel.dispose();
  lagOpt.dispose();
  lagStage.done(`held-out AUC ${lagAuc.toFixed(3)}`);

  // One training step's time per device (median of 3 after a warm-up), same branch and batch size.
  const timing = opts.progress.stage('a: one training step per device', opts.devices.length);
  const stepSeconds: Record<string, number> = {};
  const previous = wt.getDevice();
  for (const device of opts.devices) {
    wt.setDevice(device);
    try {
      const m = new EncoderA(branch, size, seed + 500);
      const o = new wt.optim.Adam(m.vars, { lr: 0.02 });
      const r = new Rng(seed + 600);
      trainStep(m, o, train, r, 'metric');
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = process.hrtime.bigint();
        trainStep(m, o, train, r, 'metric');
        wt.sync();
        times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      stepSeconds[device] = median(times);
      m.dispose();
      o.dispose();
    } finally {
      wt.setDevice(previous);
    }
    timing.tick();
  }
  timing.done(Object.entries(stepSeconds).map(([d, s]) => `${d} ${(s * 1e3).toFixed(1)} ms`).join(', '));

  const channel = 0;
  const row = (a: Float64Array) => Array.from(a.subarray(channel * T, (channel + 1) * T));
  const out: DemoAResult = {
    figures: {
      branch,
      screen,
      auc: { before: before.auc, after: after.auc, softLagObjective: lagAuc },
      accuracy: { before: accuracyAt(before.scores, before.labels, thresholdBefore), after: accuracyAt(after.scores, after.labels, thresholdAfter), threshold: 'best on training pairs' },
      logisticAccuracyAfter,
      softLag: { withinBefore: before.softLagWithin, betweenBefore: before.softLagBetween, withinAfter: after.softLagWithin, betweenAfter: after.softLagBetween },
      snrDb: snr,
      stepSeconds,
      trainSteps: stepsRun,
      pairs: { train: trainPairsAfter.scores.length, test: after.scores.length },
    },
    curves: {
      lossMetric,
      lossSoftLag,
      valAuc,
      rocBefore: rocCurve(before.scores, before.labels),
      rocAfter: rocCurve(after.scores, after.labels),
      event: { truth: row(test.clean), recording: row(test.x), recovered: row(recovered), channel },
    },
  };
  model.dispose();
  opt.dispose();
  return out;
}
