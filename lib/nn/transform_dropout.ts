/**
 * Transform-informed dropout (paper B): dropout applied to the coefficients of a basis transform
 * (rfft, orthonormal DCT-II, a multilevel wavelet transform, PCA) with keep probabilities shaped
 * by the coefficients' energies or by learnable profiles, and the rate steered by a trust region.
 */
import { Tensor, DType } from '../tensor';
import { Variable, variable, gradients, stopGradient } from '../autograd';
import { tidy, keep } from '../engine';
import { fail, WavetapeError } from '../errors';
import { getDevice } from '../device';
import { tensor, uniform, full } from '../creation';
import { add, sub, mul, div, sigmoid, less, maximum } from '../ops/elementwise';
import { max, min, mean, sum } from '../ops/reduce';
import { abs2 } from '../ops/complex';
import { cast, reshape, swapAxes, concat, sliceAxes } from '../ops/layout';
import { wavedec, waverec, Wavelet } from '../ops/wavelet';
import { matmul } from '../ops/linalg';
import { rfft, irfft } from '../ops/fft';
import { dct, idct } from '../ops/dct';
import { TrustRegionDropout } from '../optim/tr_dropout';
import {
  optionsArg, intArg, finiteArg, oneOf, dtypeArg, deviceArg, dtypeIn, tensorArg, expected, isPlainObject, boolArg,
} from '../validate';
import { Module } from './module';
import { stepSeed } from './layers';

/** The transforms TransformDropout works in. */
export type DropoutTransform = 'rfft' | 'dct' | 'dwt' | 'pca';
/** How the per-coefficient drop profile is formed (see {@link TransformDropout}). */
export type DropoutShape = 'importance' | 'lowpass' | 'highpass' | 'perScale';

/** A linear schedule of the global rate: start at step 0, end from step `steps` on. */
export interface LinearRateSchedule {
  start: number;
  end: number;
  steps: number;
}

/** Options of {@link TransformDropout}. */
export interface TransformDropoutOptions {
  /** Signal length n along the last axis (required). */
  size: number;
  /**
   * 'rfft' (default; n/2+1 bins), 'dct' (orthonormal DCT-II; n coefficients), 'dwt' (wt.wavedec's
   * coefficients, coarse to fine, concatenated) or 'pca' (k components).
   */
  transform?: DropoutTransform;
  /** 'dwt': the wavelet (default 'db2'; a name or a wt.liftingScheme). */
  wavelet?: Wavelet;
  /** 'dwt': the number of levels (default wt.dwtMaxLevel(n, wavelet)). */
  level?: number;
  /** The drop profile (default 'importance'). */
  shape?: DropoutShape;
  /** A fixed global rate p in [0, 1) (default 0.5) when neither a schedule nor a controller is given. */
  p?: number;
  /** p moved linearly from `start` to `end` over `steps` training forwards. */
  schedule?: LinearRateSchedule;
  /**
   * The trust-region controller (`wt.optim.TrustRegionDropout`) whose probabilities are the rate:
   * size 1 (one global p) or the number of coefficients (one p per coefficient). Steered by
   * {@link TransformDropout.stepController}.
   */
  controller?: TrustRegionDropout;
  /** 'lowpass': the passband centre bin k0 (default 0). */
  k0?: number;
  /** 'pca': the components as columns [n, k] (orthonormal; wt.signal.pca's `components`). */
  components?: Tensor;
  /** 'pca': the mean [n] subtracted before projecting (default zeros). */
  mean?: Tensor;
  /** Seed of the masks: training step t draws from a stream derived from (seed, t). */
  seed?: number;
  /**
   * Differentiate through the importance (default false): the realised function's exact gradient
   * at a fixed mask, including how the keep probabilities move with x. By default the importance
   * is a constant statistic of the input in the backward pass, as the mask is (about a third less
   * backward work).
   */
  importanceGradient?: boolean;
  /** dtype (float32 default, or float64) and device of the rate and the learnable profile. */
  dtype?: 'float32' | 'float64';
  device?: string;
}

/** What {@link TransformDropout.stepController} reports. */
export interface ControllerStep {
  lossBefore: number;
  lossAfter: number;
  accepted: boolean;
  /** The probabilities in force after the step. */
  p: Float64Array;
  /** The trust radius the next step will use. */
  delta: number;
}

const OP = 'nn.TransformDropout';
/** Below any float32 normal: a floor for divisions by a range that may be 0. */
const TINY = 1e-30;

/**
 * The paper's round trip on the last axis of x [..., n], in training mode: coefficients
 * c = T(x); energies E_k = |c_k|²; importance the per-sample min–max normalised energy
 * imp_k = (E_k − min E)/(max E − min E) (0 when all are equal); a drop profile s_k ∈ [0, 1];
 * keep probability q_k = 1 − p_k·s_k; a Bernoulli(q) mask m (seeded Philox uniforms, the same
 * on every device) applied as c·m/q; y = T⁻¹ with the original length. Eval mode: the identity.
 *
 * Profiles: 'importance' s = 1 − imp (so q = 1 − p·(1 − imp): energetic coefficients survive);
 * 'lowpass' s_k = σ(α·log(1 + |k − k0|) + β_k) (drops grow away from k0);
 * 'highpass' s_k = σ(α·log(1 + |K − 1 − k|) + β_k) (drops grow towards DC), with α (init 1)
 * and β_k (init −2) learnable parameters (in `parameters()`); 'perScale' (transform 'dwt' only)
 * s_jk = σ(α_j·Ê_j + β_jk·imp_jk + γ) with Ê_j band j's share of the sample's energy, α_j (init 0),
 * β_jk (init −4) and γ (init 0) learnable. For 'dwt' the coefficients are wavedec's bands
 * [cA_L, cD_L, …, cD_1] concatenated (coarse to fine), and the inverse is waverec with length n.
 *
 * Gradients reach x through T and T⁻¹ at the drawn mask, and p, α, β (and γ) through the 1/q
 * scaling; the Bernoulli draw is not differentiated, and neither (by default) is the importance,
 * a statistic of the input like the mask. With `importanceGradient: true` the backward also
 * follows the importance, giving the realised function's exact gradient at a fixed mask (almost
 * everywhere: min–max has kinks). p is the
 * Variable `rate` (not a parameter: the optimisers leave it alone), set from `p`, a linear
 * `schedule` or a `controller`.
 *
 * @example
 * const ctrl = new wt.optim.TrustRegionDropout({ size: 1, pInit: 0.6, pTarget: 0.05 });
 * const drop = new wt.nn.TransformDropout({ size: 256, transform: 'rfft', controller: ctrl, seed: 1 });
 * const y = drop.forward(x);                                   // x [batch, 256]
 * drop.stepController(() => lossOf(model));                    // one trust-region step on p
 */
export class TransformDropout extends Module {
  /** Signal length n. */
  readonly size: number;
  /** The transform the dropout works in. */
  readonly transform: DropoutTransform;
  /** The drop profile. */
  readonly shape: DropoutShape;
  /** Number of coefficients K the transform produces. */
  readonly coefficients: number;
  /** The rate p: [1] or [K] (float, on the layer's device). */
  readonly rate: Variable;
  /** The profile's α ([1], or [J] per band for 'perScale'); null for 'importance'. */
  readonly alpha: Variable | null = null;
  /** The profile's β_k ([K]); null for 'importance'. */
  readonly beta: Variable | null = null;
  /** The trust-region controller steering the rate, if any. */
  readonly controller: TrustRegionDropout | null;
  private readonly schedule: LinearRateSchedule | null;
  private readonly seed: number | undefined;
  private readonly profileDistance: Tensor | null = null;
  private readonly components: Tensor | null = null;
  private readonly pcaMean: Tensor | null = null;
  /** 'dwt': the wavelet, levels and each band's coefficient count (cA_L, cD_L, …, cD_1). */
  private readonly wavelet: Wavelet | null = null;
  private readonly level: number = 0;
  private readonly bands: number[] = [];
  /** 'perScale': the band index of each coefficient as a one-hot [K, J] matrix. */
  private readonly bandOf: Tensor | null = null;
  /** 'perScale': the offset γ ([1]); null otherwise. */
  readonly gamma: Variable | null = null;
  private readonly dtype: DType;
  private readonly device: string;
  private step = 0;
  private holdNoise = false;
  private readonly importanceGradient: boolean;
  /** The keep probabilities of the last training forward (detached); averaged on request. */
  private lastKeep: Tensor | null = null;

  constructor(options: TransformDropoutOptions) {
    super();
    if (!isPlainObject(options)) expected('E_RANGE', OP, 'options', 'an options object {size, transform, shape, ...}', options);
    const o = optionsArg(OP, 1, options, ['size', 'transform', 'wavelet', 'level', 'shape', 'p', 'schedule', 'controller', 'k0', 'components', 'mean', 'seed', 'importanceGradient', 'dtype', 'device']);
    this.importanceGradient = o.importanceGradient === undefined ? false : boolArg(OP, 'importanceGradient', o.importanceGradient);
    this.size = intArg(OP, 'size', o.size, 1, 2 ** 26);
    this.transform = o.transform === undefined ? 'rfft' : oneOf(OP, 'transform', o.transform, ['rfft', 'dct', 'dwt', 'pca'] as const);
    this.shape = o.shape === undefined ? 'importance' : oneOf(OP, 'shape', o.shape, ['importance', 'lowpass', 'highpass', 'perScale'] as const);
    if (this.shape === 'perScale' && this.transform !== 'dwt') fail('E_RANGE', `${OP}: shape 'perScale' needs transform 'dwt' (it has scales); got '${this.transform}'`);
    if (this.transform !== 'dwt' && (o.wavelet !== undefined || o.level !== undefined)) fail('E_RANGE', `${OP}: options 'wavelet' and 'level' belong to transform 'dwt'`);
    const dtype = o.dtype === undefined ? 'float32' : dtypeArg(OP, 'dtype', o.dtype);
    if (dtype !== 'float32' && dtype !== 'float64') fail('E_DTYPE', `${OP}: argument 'dtype' must be float32 or float64; got ${dtype}`);
    this.dtype = dtype;
    this.device = o.device === undefined ? getDevice() : deviceArg(OP, 'device', o.device);
    this.seed = o.seed === undefined ? undefined : intArg(OP, 'seed', o.seed, 0, 2 ** 32 - 1);
    const n = this.size;
    if (this.transform === 'pca') {
      if (o.components === undefined) fail('E_RANGE', `${OP}: transform 'pca' needs the option 'components' ([n, k], e.g. from wt.signal.pca)`);
      const V = tensorArg(OP, 'components', o.components);
      if (V.rank !== 2 || V.shape[0] !== n || V.shape[1] < 1 || V.shape[1] > n)
        fail('E_SHAPE', `${OP}: argument 'components' must have shape [${n}, k] with 1 <= k <= ${n}; got [${V.shape}]`);
      this.components = keep(stopGradient(cast(V, dtype)));
      if (o.mean !== undefined) {
        const mu = tensorArg(OP, 'mean', o.mean);
        if (mu.rank !== 1 || mu.shape[0] !== n) fail('E_SHAPE', `${OP}: argument 'mean' must have shape [${n}]; got [${mu.shape}]`);
        this.pcaMean = keep(stopGradient(cast(mu, dtype)));
      }
    } else if (o.components !== undefined || o.mean !== undefined) fail('E_RANGE', `${OP}: options 'components' and 'mean' belong to transform 'pca'`);
    if (this.transform === 'dwt') {
      this.wavelet = o.wavelet === undefined ? 'db2' : (o.wavelet as Wavelet);
      if (o.level !== undefined) this.level = intArg(OP, 'level', o.level, 1, 64);
      // The band lengths, from one transform of zeros (wavedec validates the wavelet and level).
      let probe: Tensor[];
      const zerosIn = full([n], 0, { dtype, device: this.device });
      try {
        probe = wavedec(zerosIn, this.wavelet, o.level === undefined ? undefined : { level: this.level });
      } catch (e) {
        // A bad wavelet is this constructor's argument: name it so.
        if (e instanceof WavetapeError) e.message = e.message.replace(/^wavedec: /, `${OP}: `);
        throw e;
      } finally {
        zerosIn.dispose();
      }
      this.bands = probe.map((t) => t.shape[0]);
      this.level = probe.length - 1;
      probe.forEach((t) => t.dispose());
    }
    this.coefficients = this.transform === 'rfft' ? Math.floor(n / 2) + 1
      : this.transform === 'dct' ? n
      : this.transform === 'dwt' ? this.bands.reduce((a, b) => a + b, 0)
      : this.components!.shape[1];
    const K = this.coefficients;

    const sources = [o.p, o.schedule, o.controller].filter((v) => v !== undefined).length;
    if (sources > 1) fail('E_RANGE', `${OP}: give at most one of 'p', 'schedule' and 'controller'`);
    const rateOf = (v: unknown, name: string) => {
      const x = finiteArg(OP, name, v);
      if (!(x >= 0 && x < 1)) fail('E_RANGE', `${OP}: argument '${name}' = ${x}; expected a probability in [0, 1)`);
      return x;
    };
    this.schedule = null;
    this.controller = null;
    let initial: Float64Array;
    if (o.controller !== undefined) {
      if (!(o.controller instanceof TrustRegionDropout)) expected('E_DTYPE', OP, 'controller', 'a wt.optim.TrustRegionDropout', o.controller);
      if (o.controller.size !== 1 && o.controller.size !== K)
        fail('E_SHAPE', `${OP}: the controller has size ${o.controller.size}; expected 1 (a global rate) or ${K} (one per coefficient)`);
      this.controller = o.controller;
      initial = o.controller.probabilities;
    } else if (o.schedule !== undefined) {
      const s = o.schedule;
      if (!isPlainObject(s)) expected('E_RANGE', OP, 'schedule', 'an object {start, end, steps}', s);
      optionsArg(OP, 1, s, ['start', 'end', 'steps']);
      this.schedule = { start: rateOf(s.start, 'schedule.start'), end: rateOf(s.end, 'schedule.end'), steps: intArg(OP, 'schedule.steps', s.steps, 1) };
      initial = Float64Array.of(this.schedule.start);
    } else initial = Float64Array.of(o.p === undefined ? 0.5 : rateOf(o.p, 'p'));
    const r0 = tensor(initial, [initial.length], { dtype, device: this.device });
    this.rate = variable(r0);
    r0.dispose();

    if (this.shape === 'perScale') {
      const J = this.bands.length;
      const onehot = new Float64Array(K * J);
      let k = 0;
      this.bands.forEach((len, j) => {
        for (let i = 0; i < len; i++, k++) onehot[k * J + j] = 1;
      });
      this.bandOf = keep(tensor(onehot, [K, J], { dtype, device: this.device }));
      this.alpha = this.addParameter('alpha', full([J], 0, { dtype, device: this.device }));
      this.beta = this.addParameter('beta', full([K], -4, { dtype, device: this.device }));
      this.gamma = this.addParameter('gamma', full([1], 0, { dtype, device: this.device }));
      if (o.k0 !== undefined) fail('E_RANGE', `${OP}: option 'k0' belongs to shape 'lowpass'`);
    } else if (this.shape !== 'importance') {
      const k0 = o.k0 === undefined ? 0 : intArg(OP, 'k0', o.k0, 0, K - 1);
      if (o.k0 !== undefined && this.shape !== 'lowpass') fail('E_RANGE', `${OP}: option 'k0' belongs to shape 'lowpass'`);
      const d = Array.from({ length: K }, (_, k) => Math.log1p(this.shape === 'lowpass' ? Math.abs(k - k0) : K - 1 - k));
      this.profileDistance = keep(tensor(Float64Array.from(d), [K], { dtype, device: this.device }));
      this.alpha = this.addParameter('alpha', full([1], 1, { dtype, device: this.device }));
      this.beta = this.addParameter('beta', full([K], -2, { dtype, device: this.device }));
    } else if (o.k0 !== undefined) fail('E_RANGE', `${OP}: option 'k0' belongs to shape 'lowpass'`);
  }

  /** The global rate a schedule gives at step t. */
  private scheduled(t: number): number {
    const s = this.schedule!;
    return s.start + (s.end - s.start) * Math.min(t / s.steps, 1);
  }

  /** Coefficients [..., K] of x [..., n]. */
  private forwardTransform(x: Tensor): Tensor {
    if (this.transform === 'rfft') return rfft(x);
    if (this.transform === 'dct') return dct(x, { norm: 'ortho' });
    if (this.transform === 'dwt') return concat(wavedec(x, this.wavelet!, { level: this.level }), -1);
    const centred = this.pcaMean === null ? x : sub(x, this.pcaMean);
    return matmul(centred, this.components!);
  }

  /** @internal */
  compute(x: Tensor, op: string): Tensor {
    if (!this.training) return x;
    dtypeIn(op, 'x', x, ['float32', 'float64']);
    if (x.rank === 0 || x.shape[x.rank - 1] !== this.size) fail('E_SHAPE', `${op}: argument 'x' must end in ${this.size} samples; got shape [${x.shape}]`);
    if (x.dtype !== this.dtype) fail('E_DTYPE', `${op}: argument 'x' is ${x.dtype}; the layer was made for ${this.dtype}`);
    if (x.device !== this.device) fail('E_DEVICE', `${op}: argument 'x' is on ${x.device}; the layer is on ${this.device}`);
    if (this.schedule !== null && !this.holdNoise) {
      const scheduled = full([1], this.scheduled(this.step), { dtype: this.dtype, device: this.device });
      this.rate.assign(scheduled); // the variable aliases it: this handle is ours to free
      scheduled.dispose();
    }
    const seed = this.seed === undefined ? undefined : stepSeed(this.seed, this.step);
    if (!this.holdNoise) this.step++;

    const c = this.forwardTransform(x);
    const cs = this.importanceGradient ? c : stopGradient(c);
    const energy = this.transform === 'rfft' ? abs2(cs) : mul(cs, cs);
    let profile: Tensor;
    const lo = min(energy, { axis: -1, keepdims: true });
    const range = maximum(sub(max(energy, { axis: -1, keepdims: true }), lo), TINY);
    const imp = div(sub(energy, lo), range);
    if (this.shape === 'importance') profile = sub(1, imp);
    else if (this.shape === 'perScale') {
      // Each band's share of the sample's energy, broadcast back to its coefficients.
      const share = div(matmul(energy, this.bandOf!), maximum(sum(energy, { axis: -1, keepdims: true }), TINY));
      const bandTerm = matmul(mul(share, this.alpha!), swapAxes(this.bandOf!, 0, 1));
      profile = sigmoid(add(add(bandTerm, mul(this.beta!, imp)), this.gamma!));
    } else profile = sigmoid(add(mul(this.alpha!, this.profileDistance!), this.beta!));
    const keepProb = sub(1, mul(this.rate, profile));
    const u = uniform(energy.shape, 0, 1, { dtype: this.dtype, device: this.device, seed });
    const mask = cast(less(u, stopGradient(keepProb)), this.dtype);
    const factor = div(mask, keepProb);
    this.recordKeep(keepProb);
    if (this.transform === 'rfft') return irfft(mul(c, cast(factor, this.dtype === 'float32' ? 'complex64' : 'complex128')), { n: this.size });
    if (this.transform === 'dct') return idct(mul(c, factor), { norm: 'ortho' });
    if (this.transform === 'dwt') {
      const dropped = mul(c, factor);
      const parts: Tensor[] = [];
      let start = 0;
      for (const len of this.bands) {
        parts.push(sliceAxes(dropped, [...x.shape.slice(0, -1).map(() => null), [start, start + len]]));
        start += len;
      }
      return waverec(parts, this.wavelet!, { n: this.size });
    }
    // x plus the change of its projection: the part outside the k components passes unchanged.
    return add(x, matmul(sub(mul(c, factor), c), swapAxes(this.components!, 0, 1)));
  }

  private recordKeep(keepProb: Tensor): void {
    this.lastKeep?.dispose();
    this.lastKeep = keep(stopGradient(keepProb));
  }

  /**
   * The keep probability of each coefficient at the last training forward, averaged over the
   * batch (the dropout spectrum to log or plot), or null before the first one.
   */
  keepSpectrum(): Float64Array | null {
    if (this.lastKeep === null) return null;
    const K = this.coefficients;
    const q = this.lastKeep;
    return tidy(() => Float64Array.from(mean(reshape(q, [q.size / K, K]), { axis: 0 }).dataSync()));
  }

  /** Training forwards taken (the schedule's and the mask stream's step). */
  get steps(): number {
    return this.step;
  }

  /**
   * One trust-region step of the controller on the rate: evaluates `loss()` (a scalar tensor
   * computed through this layer in training mode) and its gradient with respect to `rate`,
   * proposes the Cauchy step, evaluates the loss at the candidate with the same dropout masks,
   * commits (accept or reject, new radius) and sets `rate` to the probabilities in force.
   */
  stepController(loss: () => Tensor): ControllerStep {
    const op = `${OP}.stepController`;
    if (typeof loss !== 'function') expected('E_DTYPE', op, 'loss', 'a function returning a scalar loss tensor', loss);
    const ctrl = this.controller;
    if (ctrl === null) fail('E_RANGE', `${op}: the layer has no controller; pass {controller} to the constructor`);
    const scalarOf = (t: unknown): Tensor => {
      const v = tensorArg(op, 'loss()', t);
      if (v.size !== 1) fail('E_SHAPE', `${op}: loss() must return one value; got shape [${v.shape}]`);
      return v;
    };
    this.holdNoise = true;
    try {
      return tidy(() => {
        const l0 = scalarOf(loss());
        const [g] = gradients(l0, [this.rate]);
        const lossBefore = Number(l0.dataSync()[0]);
        const candidate = ctrl.propose(cast(g, 'float64'));
        this.rate.assign(cast(candidate, this.dtype));
        const lossAfter = Number(scalarOf(loss()).dataSync()[0]);
        const p = ctrl.commit(lossBefore, lossAfter);
        this.rate.assign(cast(p, this.dtype));
        const last = ctrl.history[ctrl.history.length - 1];
        return { lossBefore, lossAfter, accepted: last.accepted, p: ctrl.probabilities, delta: ctrl.radius };
      });
    } finally {
      this.holdNoise = false;
      this.step++;
    }
  }

  /** Frees the layer's tensors. */
  dispose(): void {
    super.dispose();
    for (const t of [this.rate, this.profileDistance, this.components, this.pcaMean, this.bandOf, this.lastKeep]) t?.dispose();
  }
}

