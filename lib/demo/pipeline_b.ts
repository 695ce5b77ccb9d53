/**
 * Demo b (paper B): transform-informed dropout on an MLP denoiser with its rate p steered from
 * high to near zero by the trust-region controller, against plain and no dropout; then
 * demultiplexing tone, chirp and AM sources with competitive masks in the rfft domain.
 */
import * as wt from '../index';
import type { Tensor, Variable } from '../index';
import { makeSignals, SignalSet, SOURCE_KINDS } from './data';
import { Rng } from './rng';
import { mean } from './metrics';
import { siSdr, crossSourceLeakage } from '../metrics/separation';
import type { Progress } from './progress';

/** Sizes of demo b. */
export interface DemoBSize {
  length: number;
  trainSignals: number;
  testSignals: number;
  noise: number;
  hidden: number;
  batch: number;
  steps: number;
  evalEvery: number;
  wavelet: string;
  level: number;
  demuxTrain: number;
  demuxSteps: number;
}

/** The quick and full sizes. */
export function sizeB(quick: boolean): DemoBSize {
  return {
    length: quick ? 128 : 256,
    trainSignals: quick ? 64 : 128,
    testSignals: quick ? 64 : 128,
    noise: 0.5,
    hidden: quick ? 64 : 128,
    batch: 16,
    steps: quick ? 150 : 400,
    evalEvery: quick ? 10 : 20,
    wavelet: 'db4',
    level: 3,
    demuxTrain: quick ? 96 : 192,
    demuxSteps: quick ? 120 : 300,
  };
}

/**
 * The controller's settings: p from pInit toward pTarget. Δmax = 0.015·√(rates) caps each rate's
 * move near 0.015 per step, so the descent takes tens of steps; λ sets how far ∂L/∂p may hold a
 * rate off the target (p* = pTarget − (∂L/∂p)/λ).
 */
export const CONTROLLER = { pInit: 0.9, pTarget: 0.02, lambda: 5, warmup: 5 } as const;
const deltaMaxFor = (rates: number) => 0.015 * Math.sqrt(rates);

/** Dropout arms compared on the same data and initialisation. */
export type DropoutArm = 'none' | 'plain' | 'rfft' | 'dwt';

/** The MLP n → hidden → n (tanh) that extracts the multi-tone source from a noisy mixture. */
function mlp(n: number, hidden: number, seed: number): wt.nn.Sequential {
  return new wt.nn.Sequential(new wt.nn.Linear(n, hidden, { seed }), new wt.nn.Tanh(), new wt.nn.Linear(hidden, n, { seed: seed + 1 }));
}

/** The 'dwt' transform's wavelet and levels (other transforms take none). */
function waveletOptions(transform: 'rfft' | 'dwt', size: DemoBSize): { wavelet?: string; level?: number } {
  return transform === 'dwt' ? { wavelet: size.wavelet, level: size.level } : {};
}

/**
 * A TransformDropout built inside tidy: its 'dwt' constructor leaves the zero signal it probes the
 * band lengths with undisposed; everything the layer keeps is kept or a Variable, so tidy is safe.
 */
function newTransformDropout(options: wt.nn.TransformDropoutOptions): wt.nn.TransformDropout {
  return wt.tidy(() => new wt.nn.TransformDropout(options));
}

/** wt.nn.TransformDropout's coefficient count for a transform (probed once). */
function coefficientCount(n: number, transform: 'rfft' | 'dwt', size: DemoBSize): number {
  const probe = newTransformDropout({ size: n, transform, ...waveletOptions(transform, size) });
  const K = probe.coefficients;
  probe.dispose();
  return K;
}

const rows = (a: Float64Array, n: number, idx: number[]) => {
  const out = new Float32Array(idx.length * n);
  idx.forEach((k, i) => out.set(a.subarray(k * n, (k + 1) * n), i * n));
  return wt.tensor(out, [idx.length, n]);
};

/** [N, n]: source 0 (the multi-tone) of every signal, the MLP's target. */
function toneOf(set: SignalSet): Float64Array {
  const n = set.length;
  const S = SOURCE_KINDS.length;
  const out = new Float64Array(set.count * n);
  for (let i = 0; i < set.count; i++) out.set(set.sources.subarray(i * S * n, i * S * n + n), i * n);
  return out;
}

const mse = (a: Tensor, b: Tensor) => wt.mean(wt.square(wt.sub(a, b)));

/** One arm's training record. */
export interface ArmResult {
  arm: DropoutArm;
  trainLoss: number[];
  testLoss: { step: number; loss: number }[];
  finalTestLoss: number;
  /** rfft/dwt: per committed step, p (per rate), Δ, ρ and whether accepted. */
  trajectory?: { p: number[][]; delta: number[]; rho: number[]; accepted: boolean[]; stepNorm: number[] };
  /** The p path of the arm (mean over rates), for the plain arm to follow. */
  meanP: number[];
}

function trainArm(arm: DropoutArm, size: DemoBSize, train: SignalSet, test: SignalSet, seed: number, progress: Progress, plainP?: number[]): ArmResult {
  const n = size.length;
  const stage = progress.stage(`b: train MLP, ${arm === 'none' ? 'no dropout' : arm === 'plain' ? 'plain dropout' : `TransformDropout(${arm})`}`, size.steps);
  const model = mlp(n, size.hidden, seed + 1);
  const params = model.parameters();
  const opt = new wt.optim.Adam(params, { lr: 1e-2 });
  let ctrl: wt.optim.TrustRegionDropout | null = null;
  let drop: wt.nn.TransformDropout | null = null;
  if (arm === 'rfft' || arm === 'dwt') {
    const K = coefficientCount(n, arm, size);
    ctrl = new wt.optim.TrustRegionDropout({ size: K, ...CONTROLLER, deltaMax: deltaMaxFor(K), delta0: deltaMaxFor(K) / 2, deltaMin: 1e-4 });
    drop = newTransformDropout({ size: n, transform: arm, ...waveletOptions(arm, size), shape: 'importance', controller: ctrl, seed: seed + 3 });
  }
  const rng = new Rng(seed + 2);
  const trainTone = toneOf(train);
  const all = Array.from({ length: test.count }, (_, i) => i);
  const testX = rows(test.noisy, n, all);
  const testY = rows(toneOf(test), n, all);
  const trainLoss: number[] = [];
  const testLoss: { step: number; loss: number }[] = [];
  const meanP: number[] = [];
  const evalTest = () => wt.tidy(() => mse(model.forward(testX), testY).item());
  testLoss.push({ step: 0, loss: evalTest() });
  for (let step = 1; step <= size.steps; step++) {
    const idx = rng.permutation(train.count).slice(0, size.batch);
    const loss = wt.tidy(() => {
      const x = rows(train.noisy, n, idx);
      const y = rows(trainTone, n, idx);
      let input = x;
      if (drop && ctrl) {
        // One trust-region step on p (same masks at p and at the candidate), then the model's step at the new p.
        drop.stepController(() => mse(model.forward(drop!.forward(x)), y));
        input = drop.forward(x);
        meanP.push(mean(ctrl.probabilities));
      } else if (arm === 'plain') {
        const p = plainP ? plainP[Math.min(step - 1, plainP.length - 1)] : CONTROLLER.pTarget;
        const u = wt.uniform([size.batch, n], 0, 1, { seed: seed * 7919 + step });
        input = wt.mul(x, wt.div(wt.cast(wt.greaterEqual(u, p), 'float32'), 1 - p));
        meanP.push(p);
      }
      const l = mse(model.forward(input), y);
      opt.step(wt.gradients(l, params));
      return l.item();
    });
    trainLoss.push(loss);
    if (step % size.evalEvery === 0 || step === size.steps) testLoss.push({ step, loss: evalTest() });
    stage.tick(1, `test ${testLoss[testLoss.length - 1].loss.toFixed(4)}`);
  }
  const out: ArmResult = { arm, trainLoss, testLoss, finalTestLoss: testLoss[testLoss.length - 1].loss, meanP };
  if (ctrl) {
    const h = ctrl.history;
    const stepNorm = h.map((e, i) => {
      const prev = i === 0 ? new Float64Array(e.p.length).fill(CONTROLLER.pInit) : h[i - 1].p;
      return Math.sqrt(e.p.reduce((s, v, k) => s + (v - prev[k]) ** 2, 0));
    });
    out.trajectory = { p: h.map((e) => Array.from(e.p)), delta: h.map((e) => e.delta), rho: h.map((e) => e.rho), accepted: h.map((e) => e.accepted), stepNorm };
  }
  testX.dispose();
  testY.dispose();
  drop?.dispose();
  model.dispose();
  opt.dispose();
  stage.done(`test MSE ${out.finalTestLoss.toFixed(4)}`);
  return out;
}

/** What the demultiplexing run reports. */
export interface DemuxResult {
  sources: string[];
  siSdrMixture: number[];
  siSdrSeparated: number[];
  /** Mean transform-domain leakage ‖c_s ⊙ m_s'‖² / ‖c_s‖² summed over s' ≠ s, per source. */
  leakage: number[];
  /** max over bins of Σ_s m_sk (competitive masks: 1 up to rounding; the constraint is ≤ 1 + ε). */
  maxMaskSum: number;
  /** The largest wt.nn.crossSourcePenalty (ε = 1e-6) over the test mixtures: 0 when Σ_s p_sk ≤ 1 + ε everywhere. */
  constraintPenalty: number;
  loss: number[];
  example: { mixture: number[]; truth: number[][]; separated: number[][] };
}

function demux(size: DemoBSize, seed: number, progress: Progress): DemuxResult {
  const n = size.length;
  const K = (n >> 1) + 1;
  const S = SOURCE_KINDS.length;
  const stage = progress.stage('b: demultiplex tone + chirp + AM (competitive rfft masks)', size.demuxSteps);
  const train = makeSignals(size.demuxTrain, n, 0.1, seed + 31);
  const test = makeSignals(size.testSignals, n, 0.1, seed + 32);
  const net = new wt.nn.Sequential(new wt.nn.Linear(K, size.hidden, { seed: seed + 33 }), new wt.nn.Tanh(), new wt.nn.Linear(size.hidden, S * K, { seed: seed + 34 }));
  const vars = net.parameters();
  // Masks from the mixture's log-magnitude spectrum; competitive (softmax over sources) makes Σ_s m_sk = 1.
  const separate = (y: Tensor) => {
    const B = y.shape[0];
    const logits = wt.reshape(net.forward(wt.log1p(wt.abs(wt.rfft(y)))), [B, S, K]);
    const masks = wt.nn.competitiveMasks(logits, { axis: 1 });
    return { masks, est: wt.nn.applyMasks(y, masks, { transform: 'rfft' }) };
  };
  const opt = new wt.optim.Adam(vars, { lr: 3e-3 });
  const rng = new Rng(seed + 35);
  const loss: number[] = [];
  const mix = (set: SignalSet, idx: number[]) => rows(set.noisy, n, idx);
  const srcs = (set: SignalSet, idx: number[]) => {
    const out = new Float32Array(idx.length * S * n);
    idx.forEach((k, i) => out.set(set.sources.subarray(k * S * n, (k + 1) * S * n), i * S * n));
    return wt.tensor(out, [idx.length, S, n]);
  };
  for (let step = 0; step < size.demuxSteps; step++) {
    const idx = rng.permutation(train.count).slice(0, size.batch);
    loss.push(wt.tidy(() => {
      const l = mse(separate(mix(train, idx)).est, srcs(train, idx));
      opt.step(wt.gradients(l, vars));
      return l.item();
    }));
    stage.tick(1, `loss ${loss[loss.length - 1].toFixed(4)}`);
  }
  const all = Array.from({ length: test.count }, (_, i) => i);
  // Per test mixture: SI-SDR (lib/metrics/separation) of the mixture itself and of each
  // separated source against the true one, the cross-source leakage and the constraint's excess.
  const perSource = Array.from({ length: S }, () => ({ mix: [] as number[], sep: [] as number[], leak: [] as number[] }));
  let maxMaskSum = 0;
  let penalty = 0;
  let est = new Float64Array(0);
  for (let i = 0; i < test.count; i++) {
    wt.tidy(() => {
      const truth = srcs(test, [i]).reshape([S, n]);
      const y = mix(test, [i]);
      const r = separate(y);
      const masks = r.masks.reshape([S, K]);
      const sep = siSdr(r.est.reshape([S, n]), truth).dataSync();
      const base = siSdr(wt.broadcastTo(y, [S, n]), truth).dataSync();
      const leak = crossSourceLeakage(truth, masks).dataSync();
      for (let s = 0; s < S; s++) {
        perSource[s].sep.push(sep[s]);
        perSource[s].mix.push(base[s]);
        let l = 0;
        for (let o = 0; o < S; o++) if (o !== s) l += leak[s * S + o];
        perSource[s].leak.push(l);
      }
      maxMaskSum = Math.max(maxMaskSum, wt.max(wt.sum(masks, { axis: 0 })).item());
      penalty = Math.max(penalty, wt.nn.crossSourcePenalty(masks, { epsilon: 1e-6 }).item());
      if (i === 0) est = Float64Array.from(r.est.dataSync());
    });
  }
  net.dispose();
  opt.dispose();
  const siSdrMixture = perSource.map((p) => mean(p.mix));
  const siSdrSeparated = perSource.map((p) => mean(p.sep));
  const leakage = perSource.map((p) => mean(p.leak));
  stage.done(`SI-SDR ${siSdrMixture.map((v, s) => `${SOURCE_KINDS[s]} ${v.toFixed(1)} → ${siSdrSeparated[s].toFixed(1)} dB`).join(', ')}`);
  return {
    sources: [...SOURCE_KINDS],
    siSdrMixture,
    siSdrSeparated,
    leakage,
    maxMaskSum,
    constraintPenalty: penalty,
    loss,
    example: {
      mixture: Array.from(test.noisy.subarray(0, n)),
      truth: Array.from({ length: S }, (_, s) => Array.from(test.sources.subarray(s * n, (s + 1) * n))),
      separated: Array.from({ length: S }, (_, s) => Array.from(est.subarray(s * n, (s + 1) * n))),
    },
  };
}

/** What demo b reports. */
export interface DemoBResult {
  figures: {
    testLoss: Record<DropoutArm, number>;
    controller: Record<'rfft' | 'dwt', {
      pStart: number; pFinalMean: number; pFinalMin: number; pFinalMax: number; pTarget: number; steps: number;
      acceptedFraction: number; insideTrustRegionFraction: number; maxStepOverDelta: number;
    }>;
    demux: Omit<DemuxResult, 'loss' | 'example'>;
  };
  arms: ArmResult[];
  rateLabels: Record<'rfft' | 'dwt', string[]>;
  demuxCurves: Pick<DemuxResult, 'loss' | 'example'>;
}

/** Runs demo b: four dropout arms on the denoising MLP, then the demultiplexing run. */
export function runDemoB(opts: { quick: boolean; seed: number; progress: Progress }): DemoBResult {
  const size = sizeB(opts.quick);
  const seed = opts.seed + 1000;
  const gen = opts.progress.stage('b: synthesise multi-tone + chirp + AM signals', 1);
  const train = makeSignals(size.trainSignals, size.length, size.noise, seed);
  const test = makeSignals(size.testSignals, size.length, size.noise, seed + 1);
  gen.done(`${train.count} train, ${test.count} test signals of length ${size.length}, noise σ ${size.noise}`);
  const rfft = trainArm('rfft', size, train, test, seed, opts.progress);
  const dwt = trainArm('dwt', size, train, test, seed, opts.progress);
  const plain = trainArm('plain', size, train, test, seed, opts.progress, rfft.meanP);
  const none = trainArm('none', size, train, test, seed, opts.progress);
  const ctrlFigures = (a: ArmResult) => {
    const t = a.trajectory!;
    const last = t.p[t.p.length - 1];
    const ratios = t.stepNorm.map((s, i) => s / t.delta[i]);
    return {
      pStart: CONTROLLER.pInit,
      pFinalMean: mean(last),
      pFinalMin: Math.min(...last),
      pFinalMax: Math.max(...last),
      pTarget: CONTROLLER.pTarget,
      steps: t.p.length,
      acceptedFraction: t.accepted.filter(Boolean).length / t.accepted.length,
      insideTrustRegionFraction: ratios.filter((r) => r <= 1 + 1e-9).length / ratios.length,
      maxStepOverDelta: Math.max(...ratios),
    };
  };
  const d = demux(size, seed, opts.progress);
  const { loss, example, ...demuxFigures } = d;
  return {
    figures: {
      testLoss: { none: none.finalTestLoss, plain: plain.finalTestLoss, rfft: rfft.finalTestLoss, dwt: dwt.finalTestLoss },
      controller: { rfft: ctrlFigures(rfft), dwt: ctrlFigures(dwt) },
      demux: demuxFigures,
    },
    arms: [none, plain, rfft, dwt],
    rateLabels: {
      rfft: Array.from({ length: coefficientCount(size.length, 'rfft', size) }, (_, k) => `bin ${k}`),
      dwt: Array.from({ length: coefficientCount(size.length, 'dwt', size) }, (_, k) => `c${k}`),
    },
    demuxCurves: { loss, example },
  };
}
