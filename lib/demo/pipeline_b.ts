/**
 * Demo b (paper B): transform-informed dropout on an MLP denoiser with its rate p steered from
 * high to near zero by the trust-region controller, against plain and no dropout; then
 * demultiplexing tone, chirp and AM sources with competitive masks in the rfft domain.
 */
import * as wt from '../index';
import type { Tensor, Variable } from '../index';
import { makeSignals, SignalSet, SOURCE_KINDS } from './data';
import { Rng } from './rng';
import { waveletMatrices } from './blocks';
import { siSdrDb, mean } from './metrics';
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
class Mlp {
  readonly vars: Variable[];
  constructor(n: number, hidden: number, seed: number) {
    this.vars = wt.tidy(() => [
      wt.variable(wt.normal([n, hidden], 0, 1 / Math.sqrt(n), { seed })),
      wt.variable(wt.zeros([hidden])),
      wt.variable(wt.normal([hidden, n], 0, 0.1 / Math.sqrt(hidden), { seed: seed + 1 })),
      wt.variable(wt.zeros([n])),
    ]);
  }
  forward(x: Tensor): Tensor {
    const [w1, b1, w2, b2] = this.vars;
    return wt.add(wt.matmul(wt.tanh(wt.add(wt.matmul(x, w1), b1)), w2), b2);
  }
  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }
}

/**
 * The transform round trip of paper B: coefficients c = T(x), importance (per-sample min–max
 * normalised energy |c|²), keep = 1 − p·(1 − importance), a mask m scaled by 1/keep, x' = T⁻¹(m ⊙ c).
 * `u` [B, K] are uniforms: the hard mask is [u < keep]; the relaxed one (for ∂L/∂p) is
 * σ((logit keep − logit u)/τ), τ = ½, the binary concrete relaxation of the same draw.
 */
interface Transform {
  /** Number of coefficients K. */
  size: number;
  forward(x: Tensor): { energy: Tensor; apply(mask: Tensor): Tensor };
  /** Map from the controller's p (one per coefficient or per scale) to [K]. */
  expand(p: Tensor): Tensor;
  /** Controller size. */
  rates: number;
  /** Row labels of the dropout spectrum. */
  rateLabels: string[];
  /** Frees the transform's constant tensors. */
  dispose(): void;
}

function rfftTransform(n: number): Transform {
  const K = (n >> 1) + 1;
  return {
    size: K,
    rates: K,
    rateLabels: Array.from({ length: K }, (_, k) => `bin ${k}`),
    forward(x) {
      const c = wt.rfft(x);
      return {
        energy: wt.abs2(c),
        apply: (mask) => wt.irfft(wt.complex(wt.mul(wt.real(c), mask), wt.mul(wt.imag(c), mask)), { n }),
      };
    },
    expand: (p) => p,
    dispose() {},
  };
}

function dwtTransform(n: number, wavelet: string, level: number): Transform {
  const m = waveletMatrices(wavelet, n, level);
  // Rows [cA_J, cD_J, …, cD_1]: orthogonal, so x = Wᵀc.
  const rows = [m.approx, ...m.details.slice().reverse()];
  const W = new Float32Array(n * n);
  const scale = new Int32Array(n);
  let r = 0;
  rows.forEach((M, s) => {
    W.set(M, r * n);
    for (let i = 0; i < M.length / n; i++) scale[r + i] = s;
    r += M.length / n;
  });
  const Wt = wt.keep(wt.tensor(W, [n, n]));
  const scaleIdx = wt.keep(wt.tensor(scale, [n], { dtype: 'int32' }));
  return {
    size: n,
    rates: level + 1,
    rateLabels: [`cA${level}`, ...Array.from({ length: level }, (_, j) => `cD${level - j}`)],
    forward(x) {
      const c = wt.matmul(x, wt.transpose(Wt));
      return { energy: wt.square(c), apply: (mask) => wt.matmul(wt.mul(c, mask), Wt) };
    },
    expand: (p) => wt.gather(p, scaleIdx, 0),
    dispose() {
      Wt.dispose();
      scaleIdx.dispose();
    },
  };
}

function roundTrip(tr: Transform, x: Tensor, p: Tensor, u: Tensor, relaxed: boolean): Tensor {
  const { energy, apply } = tr.forward(x);
  const e = wt.stopGradient(energy);
  const lo = wt.min(e, { axis: 1, keepdims: true });
  const hi = wt.max(e, { axis: 1, keepdims: true });
  const importance = wt.div(wt.sub(e, lo), wt.add(wt.sub(hi, lo), 1e-12));
  const keep = wt.sub(1, wt.mul(wt.cast(tr.expand(p), 'float32'), wt.sub(1, importance)));
  // keep is 1 where the importance is 1; its logit is clamped so the relaxation stays finite there.
  const kc = wt.clamp(keep, 1e-4, 1 - 1e-4);
  const gate = relaxed
    ? wt.sigmoid(wt.mul(wt.sub(wt.sub(wt.log(kc), wt.log1p(wt.neg(kc))), wt.sub(wt.log(u), wt.log1p(wt.neg(u)))), 2))
    : wt.cast(wt.less(u, keep), 'float32');
  return apply(wt.div(gate, keep));
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
  const model = new Mlp(n, size.hidden, seed + 1);
  const opt = new wt.optim.Adam(model.vars, { lr: 1e-2 });
  const tr = arm === 'rfft' ? rfftTransform(n) : arm === 'dwt' ? dwtTransform(n, size.wavelet, size.level) : null;
  const ctrl = tr ? new wt.optim.TrustRegionDropout({ size: tr.rates, ...CONTROLLER, deltaMax: deltaMaxFor(tr.rates), delta0: deltaMaxFor(tr.rates) / 2, deltaMin: 1e-4 }) : null;
  const rng = new Rng(seed + 2);
  const trainTone = toneOf(train);
  const testX = rows(test.noisy, n, Array.from({ length: test.count }, (_, i) => i));
  const testY = rows(toneOf(test), n, Array.from({ length: test.count }, (_, i) => i));
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
      if (tr && ctrl) {
        const u = wt.uniform([size.batch, tr.size], 1e-6, 1 - 1e-6, { seed: seed * 7919 + step });
        const f = (p: Tensor) => mse(model.forward(roundTrip(tr, x, p, u, true)), y);
        const p0 = wt.tensor(ctrl.probabilities, [tr.rates], { dtype: 'float64' });
        const [before, g] = wt.valueAndGrad(f)(p0) as [Tensor, Tensor];
        const candidate = ctrl.propose(g);
        const after = f(candidate).item();
        const p = ctrl.commit(before.item(), after);
        input = roundTrip(tr, x, wt.stopGradient(p), u, false);
        meanP.push(mean(ctrl.probabilities));
      } else if (arm === 'plain') {
        const p = plainP ? plainP[Math.min(step - 1, plainP.length - 1)] : CONTROLLER.pTarget;
        const u = wt.uniform([size.batch, n], 0, 1, { seed: seed * 7919 + step });
        input = wt.div(wt.cast(wt.greaterEqual(u, p), 'float32'), 1 - p);
        input = wt.mul(x, input);
        meanP.push(p);
      }
      const l = mse(model.forward(input), y);
      opt.step(wt.gradients(l, model.vars));
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
  tr?.dispose();
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
  const H = size.hidden;
  const vars = wt.tidy(() => [
    wt.variable(wt.normal([K, H], 0, 1 / Math.sqrt(K), { seed: seed + 33 })),
    wt.variable(wt.zeros([H])),
    wt.variable(wt.normal([H, S * K], 0, 1 / Math.sqrt(H), { seed: seed + 34 })),
    wt.variable(wt.zeros([S * K])),
  ]);
  // Masks from the mixture's log-magnitude spectrum; softmax over sources makes Σ_s m_sk = 1.
  const separate = (y: Tensor) => {
    const B = y.shape[0];
    const c = wt.rfft(y);
    const feat = wt.log1p(wt.abs(c));
    const logits = wt.reshape(wt.add(wt.matmul(wt.tanh(wt.add(wt.matmul(feat, vars[0]), vars[1])), vars[2]), vars[3]), [B, S, K]);
    const masks = wt.exp(wt.sub(logits, wt.logsumexp(logits, { axis: 1, keepdims: true })));
    const cb = wt.reshape(c, [B, 1, K]);
    const est = wt.irfft(wt.complex(wt.mul(wt.real(cb), masks), wt.mul(wt.imag(cb), masks)), { n });
    return { masks, est };
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
  const { est, masks, spectra } = wt.tidy(() => {
    const y = mix(test, all);
    const r = separate(y);
    const cs = wt.abs2(wt.rfft(srcs(test, all)));
    return { est: Float64Array.from(r.est.dataSync()), masks: Float64Array.from(r.masks.dataSync()), spectra: Float64Array.from(cs.dataSync()) };
  });
  vars.forEach((v) => v.dispose());
  opt.dispose();
  const siSdrMixture: number[] = [];
  const siSdrSeparated: number[] = [];
  const leakage: number[] = [];
  for (let s = 0; s < S; s++) {
    const mixS: number[] = [];
    const sepS: number[] = [];
    const leakS: number[] = [];
    for (let i = 0; i < test.count; i++) {
      const truth = test.sources.subarray((i * S + s) * n, (i * S + s + 1) * n);
      mixS.push(siSdrDb(test.noisy.subarray(i * n, (i + 1) * n), truth));
      sepS.push(siSdrDb(est.subarray((i * S + s) * n, (i * S + s + 1) * n), truth));
      let num = 0;
      let den = 0;
      for (let k = 0; k < K; k++) {
        const e = spectra[(i * S + s) * K + k];
        den += e;
        for (let o = 0; o < S; o++) if (o !== s) num += e * masks[(i * S + o) * K + k] ** 2;
      }
      leakS.push(num / den);
    }
    siSdrMixture.push(mean(mixS));
    siSdrSeparated.push(mean(sepS));
    leakage.push(mean(leakS));
  }
  let maxMaskSum = 0;
  for (let i = 0; i < test.count; i++) for (let k = 0; k < K; k++) {
    let s = 0;
    for (let o = 0; o < S; o++) s += masks[(i * S + o) * K + k];
    maxMaskSum = Math.max(maxMaskSum, s);
  }
  stage.done(`SI-SDR ${siSdrMixture.map((v, s) => `${SOURCE_KINDS[s]} ${v.toFixed(1)} → ${siSdrSeparated[s].toFixed(1)} dB`).join(', ')}`);
  return {
    sources: [...SOURCE_KINDS],
    siSdrMixture,
    siSdrSeparated,
    leakage,
    maxMaskSum,
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
    rateLabels: { rfft: rfftTransform(size.length).rateLabels, dwt: [`cA${size.level}`, ...Array.from({ length: size.level }, (_, j) => `cD${size.level - j}`)] },
    demuxCurves: { loss, example },
  };
}
