/**
 * Demo a (paper A): encoders Φ = Ψ ∘ Ω ∘ E of multichannel recordings trained so that soft-DTW
 * distances separate recordings of the same segment from the rest; screened, trained, evaluated.
 */
import * as wt from '../index';
import type { Tensor, Variable } from '../index';
import { makeRecordings, Recordings, RecordingSpec } from './data';
import { Rng } from './rng';
import { bestThreshold, mean, median } from './metrics';
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

/** The encoder Ψ ∘ Ω ∘ E (wt.nn layers, wt.wavedec) and the logistic pair model's α, log w, log τ. */
class EncoderA {
  readonly vars: Variable[];
  private readonly embed: wt.nn.Linear;
  private readonly psi: wt.nn.Linear;
  private readonly logistic: Variable[];
  readonly frames: number;

  constructor(readonly branch: BranchA, readonly size: DemoASize, seed: number) {
    const { channels: C, frames: T } = size.spec;
    const H = size.hidden;
    this.frames = T >> branch.level;
    this.embed = new wt.nn.Linear(C, H, { seed });
    this.psi = new wt.nn.Linear(6 * H, size.embed, { seed: seed + 1 });
    this.logistic = wt.tidy(() => [wt.variable(wt.tensor([2], [1])), wt.variable(wt.zeros([1])), wt.variable(wt.zeros([1]))]);
    this.vars = [...this.embed.parameters(), ...this.psi.parameters(), ...this.logistic];
  }

  /** α, log w, log τ of p = σ(α − w·d/τ). */
  get pairModel(): { alpha: Tensor; logW: Tensor; logTau: Tensor } {
    const [alpha, logW, logTau] = this.logistic;
    return { alpha, logW, logTau };
  }

  /**
   * z [N, T', L] of recordings x [N, C, T]: E is tanh of a per-frame Linear over channels; Ω is
   * wt.wavedec along time (periodization) keeping (cA_J, cD_J), the coarse scales, as 2H features
   * per frame; Ψ is tanh of a Linear over a 3-frame context.
   */
  encode(x: Tensor): Tensor {
    const N = x.shape[0];
    const H = this.size.hidden;
    const Tp = this.frames;
    const e = wt.tanh(this.embed.forward(wt.transpose(x, [0, 2, 1]))); // [N, T, H]
    const coeffs = wt.wavedec(wt.transpose(e, [0, 2, 1]), this.branch.wavelet, { level: this.branch.level, mode: 'periodization' });
    const u = wt.transpose(wt.concat([coeffs[0], coeffs[1]], 1), [0, 2, 1]); // [N, T', 2H]
    const padded = wt.pad(u, [[0, 0], [1, 1], [0, 0]]);
    const context = wt.concat([0, 1, 2].map((k) => wt.slice(padded, [0, k, 0], [N, Tp, 2 * H])), 2); // [N, T', 6H]
    return wt.tanh(this.psi.forward(context));
  }

  /** Soft-DTW (wt.softDtwPairs) per frame, d / T', of the pairs (I[k], J[k]) of z. */
  distances(z: Tensor, I: number[], J: number[]): Tensor {
    const pairs = new Int32Array(2 * I.length);
    I.forEach((i, k) => { pairs[2 * k] = i; pairs[2 * k + 1] = J[k]; });
    return wt.div(wt.softDtwPairs(z, z, wt.tensor(pairs, [I.length, 2], { dtype: 'int32' }), { gamma: this.branch.gamma }), this.frames);
  }

  /** All N×N soft-DTW distances per frame (wt.softDtwPairwise). */
  distanceMatrix(z: Tensor): Tensor {
    return wt.div(wt.softDtwPairwise(z, z, { gamma: this.branch.gamma }), this.frames);
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
    this.embed.dispose();
    this.psi.dispose();
    this.logistic.forEach((v) => v.dispose());
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
      // All in-batch distances on the tape; semi-hard mining reads them, the losses gather from them.
      const n = rows.length;
      const D = model.distanceMatrix(z);
      const flat = wt.flatten(D);
      const idx = (xs: ArrayLike<number>) => wt.tensor(Int32Array.from(xs), [xs.length], { dtype: 'int32' });
      const d = wt.gather(flat, idx(I.map((i, k) => i * n + J[k])), 0);
      const mined = wt.losses.mineSemiHard(D, labels, { margin: WEIGHTS.margin });
      const ce = wt.losses.pairLogistic(d, y, model.pairModel);
      const ctr = wt.losses.contrastiveMargin(wt.gather(flat, idx(mined.positiveIndex), 0), wt.gather(flat, idx(mined.negativeIndex), 0), { mu: WEIGHTS.mu, margin: WEIGHTS.margin, reduction: 'mean' });
      loss = wt.losses.combine({ ce, ctr }, { ce: WEIGHTS.ce, ctr: WEIGHTS.ctr });
    } else {
      // −(mean ρ̃ within segments − mean ρ̃ between): softLagObjective is −mean ρ̃ over the given pairs.
      const zt = wt.transpose(z, [0, 2, 1]);
      const maxLag = Math.max(1, model.frames >> 2);
      const within = I.map((i, k): [number, number] => [i, J[k]]).filter((_, k) => y[k] === 1);
      const between = I.map((i, k): [number, number] => [i, J[k]]).filter((_, k) => y[k] === 0);
      loss = wt.sub(wt.losses.softLagObjective(zt, within, { maxLag, beta: 5 }), wt.losses.softLagObjective(zt, between, { maxLag, beta: 5 }));
    }
    loss = wt.add(loss, wt.add(
      wt.losses.energyFloorPenalty(z, { eps: WEIGHTS.energyFloor, axis: 1, lambda: WEIGHTS.energy }),
      wt.mul(wt.losses.smoothness(z, { axis: 1, reduction: 'mean' }), WEIGHTS.smooth * model.size.embed),
    ));
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
      const s = wt.mean(wt.signal.softLagCorrelation(wt.gather(zt, idx(I), 0), wt.gather(zt, idx(J), 0), { maxLag: Math.max(1, model.frames >> 2), beta: 5 }), { axis: 1 }).dataSync();
      within = mean(Array.from(s).filter((_, k) => labels[k] === 1));
      between = mean(Array.from(s).filter((_, k) => labels[k] === 0));
    }
    return { auc: wt.metrics.rocAuc(scores, labels), scores, labels, softLagWithin: within, softLagBetween: between };
  });
}

/** What demo a reports. */
export interface DemoAResult {
  figures: {
    branch: BranchA;
    /** Every trial the screen ran: its sampled configuration's id, rung, budget, branch and validation AUC. */
    screen: { id: string; rung: number; steps: number; branch: string; valAuc: number }[];
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

function roc(e: Evaluation): { fpr: number[]; tpr: number[] } {
  const c = wt.metrics.rocCurve(e.scores, e.labels);
  return { fpr: Array.from(c.fpr), tpr: Array.from(c.tpr) };
}

const branchName = (b: BranchA) => `${b.wavelet}/L${b.level}/γ${b.gamma}`;

/** Runs demo a: data, the successive-halving screen, training (both objectives), evaluation, step timing. */
export async function runDemoA(opts: { quick: boolean; seed: number; devices: string[]; progress: Progress }): Promise<DemoAResult> {
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

  // Successive halving (wt.search) over wavelet × levels × γ on cheap runs: each trial trains a
  // fresh encoder for `budget` steps and scores 1 − validation AUC; each rung keeps the best half.
  const space = { wavelet: wt.search.choice(size.wavelets), level: wt.search.choice(size.levels), gamma: wt.search.choice(size.gammas) };
  const configs = size.wavelets.length * size.levels.length * size.gammas.length;
  const rungs = Math.ceil(Math.log2(configs));
  let screenTotal = 0;
  for (let r = 0, n = configs; r < rungs; r++, n = Math.ceil(n / 2)) screenTotal += n * size.rungSteps * 2 ** r;
  const screenStage = opts.progress.stage('a: successive-halving screen (wt.search)', screenTotal);
  const screen: DemoAResult['figures']['screen'] = [];
  const result = await wt.search.successiveHalving({
    space,
    configs,
    minBudget: size.rungSteps,
    maxBudget: size.rungSteps * 2 ** (rungs - 1),
    eta: 2,
    seed,
    trial: (config, budget, { id, seed: trialSeed }) => {
      const b = config as unknown as BranchA;
      const m = new EncoderA(b, size, seed + 100);
      const o = new wt.optim.Adam(m.vars, { lr: 0.02 });
      const r = new Rng(trialSeed);
      try {
        for (let s = 0; s < budget; s++) { trainStep(m, o, train, r, 'metric'); screenStage.tick(); }
        const auc = evaluate(m, val, false).auc;
        screen.push({ id, rung: Math.round(Math.log2(budget / size.rungSteps)), steps: budget, branch: branchName(b), valAuc: auc });
        return 1 - auc;
      } finally {
        m.dispose();
        o.dispose();
      }
    },
  });
  const best0 = result.best.config as unknown as BranchA;
  const branch: BranchA = { wavelet: best0.wavelet, level: best0.level, gamma: best0.gamma };
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
    // The logistic model's own decision on held-out pairs: p = σ(α − w·d/τ) ≥ ½.
    const { I, J } = allPairs(test.n);
    const p = wt.losses.pairProbability(model.distances(model.encode(recordingsTensor(test)), I, J), model.pairModel).dataSync();
    return wt.metrics.pairAccuracy(p, after.labels, { threshold: 0.5 });
  });
  evalStage.tick();

  // Ω's view of the events: waverec of (cA_J, cD_J) alone, against the injected events, on the event channels.
  const T = spec.frames;
  const recovered = wt.tidy(() => {
    const c = wt.wavedec(wt.tensor(test.x, [test.n, spec.channels, T], { dtype: 'float64' }), branch.wavelet, { level: branch.level, mode: 'periodization' });
    const kept = c.map((t, k) => (k < 2 ? t : wt.zerosLike(t)));
    return Float64Array.from(wt.waverec(kept, branch.wavelet, { mode: 'periodization', n: T }).dataSync());
  });
  const evIdx: number[] = [];
  for (let r = 0; r < test.n; r++) for (let c = 0; c < spec.eventChannels; c++) for (let t = 0; t < T; t++) evIdx.push((r * spec.channels + c) * T + t);
  const pickIdx = (a: Float64Array) => evIdx.map((i) => a[i]);
  const snr = { recording: wt.metrics.snr(pickIdx(test.clean), pickIdx(test.x)), recovered: wt.metrics.snr(pickIdx(test.clean), pickIdx(recovered)) };
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
      accuracy: { before: wt.metrics.pairAccuracy(before.scores, before.labels, { threshold: thresholdBefore }), after: wt.metrics.pairAccuracy(after.scores, after.labels, { threshold: thresholdAfter }), threshold: 'best on training pairs' },
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
      rocBefore: roc(before),
      rocAfter: roc(after),
      event: { truth: row(test.clean), recording: row(test.x), recovered: row(recovered), channel },
    },
  };
  model.dispose();
  opt.dispose();
  return out;
}
