/**
 * First-order optimisers over variables with PyTorch's update formulas: Adam (bias correction,
 * L2 weight decay or AdamW's decoupled decay) and SGD (momentum, dampening, Nesterov).
 *
 * Each parameter's step is one fused native kernel on its device (native/kernels/trust_region.h's
 * adamElement / sgdElement): it reads the parameter, its gradient and its state once and writes
 * them once. Functional: the kernel returns new tensors for the parameter and its state; the
 * variable is re-pointed at the new value (Variable.assign) and the old state freed.
 */
import { Tensor, TypedArray } from '../tensor';
import { keep } from '../engine';
import { native } from '../native';
import { wrap } from '../ops/util';
import { fail } from '../errors';
import { Variable } from '../autograd';
import { tensor } from '../creation';
import { optionsArg, finiteArg, boolArg, tensorArg, describe, expected, isPlainObject } from '../validate';
import { Schedule, rateAt } from './schedules';

/** An optimiser's saved state: host copies of its per-parameter buffers, restorable with `load`. */
export interface OptimizerState {
  kind: 'adam' | 'sgd';
  /** Steps taken. */
  step: number;
  /** Buffers by name, one entry per parameter (null: not created yet). */
  slots: Record<string, (TypedArray | null)[]>;
}

function paramsArg(op: string, params: unknown): Variable[] {
  if (!Array.isArray(params) || params.length === 0) expected('E_SHAPE', op, 'params', 'a non-empty array of variables (wt.variable)', params);
  return params.map((p, i) => {
    if (!(p instanceof Variable)) expected('E_DTYPE', op, `params[${i}]`, 'a Variable (wt.variable)', p);
    tensorArg(op, `params[${i}]`, p);
    if (p.dtype !== 'float32' && p.dtype !== 'float64') fail('E_DTYPE', `${op}: argument 'params[${i}]' is ${p.dtype}; expected float32 or float64`);
    return p;
  });
}

function lrArg(op: string, v: unknown, dflt: number): Schedule {
  if (v === undefined) return () => dflt;
  if (typeof v === 'function') return v as Schedule;
  const lr = finiteArg(op, 'lr', v);
  if (lr < 0) fail('E_RANGE', `${op}: argument 'lr' = ${lr}; expected a learning rate >= 0 or a schedule`);
  return () => lr;
}

function inRange(op: string, name: string, v: unknown, dflt: number, lo: number, hi: number, hiOpen: boolean): number {
  const x = v === undefined ? dflt : finiteArg(op, name, v);
  if (x < lo || (hiOpen ? x >= hi : x > hi)) fail('E_RANGE', `${op}: argument '${name}' = ${x}; expected ${lo} <= ${name} ${hiOpen ? '<' : '<='} ${hi}`);
  return x;
}

/** Shared by Adam and SGD: parameters, step count, schedule, gradient checks and state buffers. */
abstract class FirstOrder {
  protected stepCount = 0;
  protected readonly buffers: Record<string, (Tensor | null)[]>;
  protected constructor(
    protected readonly op: string,
    readonly params: Variable[],
    protected readonly lr: Schedule,
    slotNames: string[],
    private readonly kind: 'adam' | 'sgd',
  ) {
    this.buffers = Object.fromEntries(slotNames.map((s) => [s, params.map(() => null)]));
  }

  /** The learning rate the next step uses. */
  get learningRate(): number {
    return rateAt(`${this.op}.step`, this.lr, this.stepCount);
  }

  /** Steps taken. */
  get steps(): number {
    return this.stepCount;
  }

  protected checkGrads(grads: unknown): Tensor[] {
    const op = `${this.op}.step`;
    if (!Array.isArray(grads) || grads.length !== this.params.length)
      expected('E_SHAPE', op, 'grads', `an array of ${this.params.length} tensors (one per parameter)`, grads);
    return grads.map((g, i) => {
      const t = tensorArg(op, `grads[${i}]`, g);
      const p = this.params[i];
      if (p.isDisposed) fail('E_DISPOSED', `${op}: parameter ${i} was disposed`);
      if (t.device !== p.device) fail('E_DEVICE', `${op}: argument 'grads[${i}]' is on ${t.device}; parameter ${i} is on ${p.device}`);
      if (t.dtype !== p.dtype) fail('E_DTYPE', `${op}: argument 'grads[${i}]' is ${t.dtype}; parameter ${i} is ${p.dtype}`);
      if (t.shape.join() !== p.shape.join()) fail('E_SHAPE', `${op}: argument 'grads[${i}]' has shape [${t.shape}]; parameter ${i} has [${p.shape}]`);
      return t;
    });
  }

  /** Replaces buffer `name` of parameter i by `value` (kept across scopes; the old one is freed). */
  protected setBuffer(name: string, i: number, value: Tensor): void {
    const old = this.buffers[name][i];
    this.buffers[name][i] = keep(value);
    old?.dispose();
  }

  /** A copy of the state: step count and per-parameter buffers on the host. */
  state(): OptimizerState {
    const slots: Record<string, (TypedArray | null)[]> = {};
    for (const [name, list] of Object.entries(this.buffers)) slots[name] = list.map((t) => (t === null ? null : t.dataSync()));
    return { kind: this.kind, step: this.stepCount, slots };
  }

  /** Restores a state from {@link state} of an optimiser of the same kind over parameters of the same shapes. */
  load(state: OptimizerState): void {
    const op = `${this.op}.load`;
    if (!isPlainObject(state)) expected('E_RANGE', op, 'state', 'a state object from state()', state);
    if (state.kind !== this.kind) fail('E_RANGE', `${op}: the state is of kind ${describe(state.kind)}; expected '${this.kind}'`);
    const step = state.step;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) expected('E_RANGE', op, 'state.step', 'an integer >= 0', step);
    if (!isPlainObject(state.slots)) expected('E_RANGE', op, 'state.slots', 'the slots object from state()', state.slots);
    const fresh: Record<string, (Tensor | null)[]> = {};
    for (const name of Object.keys(this.buffers)) {
      const list = state.slots[name];
      if (!Array.isArray(list) || list.length !== this.params.length)
        expected('E_SHAPE', op, `state.slots.${name}`, `an array of ${this.params.length} buffers`, list);
      fresh[name] = list.map((data, i) => {
        if (data === null) return null;
        const p = this.params[i];
        // By tag, not instanceof: a state may come from another realm (a worker, a vm context).
        const tag = Object.prototype.toString.call(data);
        if ((tag !== '[object Float32Array]' && tag !== '[object Float64Array]') || (data as TypedArray).length !== p.size)
          expected('E_SHAPE', op, `state.slots.${name}[${i}]`, `a Float32Array or Float64Array of ${p.size} values`, data);
        const copy = p.dtype === 'float64' ? Float64Array.from(data as TypedArray) : Float32Array.from(data as TypedArray);
        return keep(tensor(copy, p.shape, { dtype: p.dtype, device: p.device }));
      });
    }
    for (const [name, list] of Object.entries(fresh)) {
      this.buffers[name].forEach((t) => t?.dispose());
      this.buffers[name] = list;
    }
    this.stepCount = step;
  }

  /** Frees the optimiser's buffers (the parameters are the caller's). */
  dispose(): void {
    for (const list of Object.values(this.buffers)) list.forEach((t, i) => {
      t?.dispose();
      list[i] = null;
    });
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** A rate or a schedule of the step index (default 1e-3). */
  lr?: number | Schedule;
  /** [β1, β2], each in [0, 1) (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Decay θ ← θ(1 − lr·λ) before the step instead of adding λθ to the gradient: AdamW (default false). */
  decoupledWeightDecay?: boolean;
}

/**
 * Adam (Kingma & Ba) with PyTorch's formulas, per element at step t:
 * g ← g + λθ (L2) or θ ← θ(1 − lr·λ) (decoupled, AdamW); m ← β1·m + (1−β1)·g;
 * v ← β2·v + (1−β2)·g²; θ ← θ − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
 *
 * @example
 * const w = wt.variable(wt.zeros([3]));
 * const opt = new wt.optim.Adam([w], { lr: 0.1 });
 * for (let i = 0; i < 100; i++) opt.step(wt.grad((w) => wt.sum(wt.square(wt.sub(w, 1))))(w) as never);
 */
export class Adam extends FirstOrder {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly decoupled: boolean;
  constructor(params: Variable[], options?: AdamOptions) {
    const op = 'optim.Adam';
    const ps = paramsArg(op, params);
    const o = optionsArg(op, 2, options, ['lr', 'betas', 'eps', 'weightDecay', 'decoupledWeightDecay']);
    super(op, ps, lrArg(op, o.lr, 1e-3), ['expAvg', 'expAvgSq'], 'adam');
    const betas = o.betas === undefined ? [0.9, 0.999] : o.betas;
    if (!Array.isArray(betas) || betas.length !== 2) expected('E_RANGE', op, 'betas', 'a pair [beta1, beta2]', betas);
    this.beta1 = inRange(op, 'betas[0]', betas[0], 0.9, 0, 1, true);
    this.beta2 = inRange(op, 'betas[1]', betas[1], 0.999, 0, 1, true);
    this.eps = inRange(op, 'eps', o.eps, 1e-8, 0, Infinity, false);
    this.weightDecay = inRange(op, 'weightDecay', o.weightDecay, 0, 0, Infinity, false);
    this.decoupled = o.decoupledWeightDecay === undefined ? false : boolArg(op, 'decoupledWeightDecay', o.decoupledWeightDecay);
  }

  /**
   * One update of every parameter with its gradient (same order as the parameters): one fused
   * kernel per parameter returns new tensors for θ, m and v; the variable is re-pointed at the new
   * θ and the old buffers are freed (tensors previously taken from the variable keep their value).
   */
  step(grads: Tensor[]): void {
    const gs = this.checkGrads(grads);
    const lr = this.learningRate;
    const t = this.stepCount + 1;
    const bc1 = 1 - this.beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
    this.params.forEach((p, i) => {
      const m0 = this.buffers.expAvg[i];
      const v0 = this.buffers.expAvgSq[i];
      const [theta, m, v] = native
        .adamStep(p.handle, gs[i].handle, m0?.handle ?? null, v0?.handle ?? null, lr, this.beta1, this.beta2, this.eps, this.weightDecay, bc1, bc2Sqrt, this.decoupled)
        .map(wrap);
      p.assign(theta);
      theta.dispose();
      this.setBuffer('expAvg', i, m);
      this.setBuffer('expAvgSq', i, v);
    });
    this.stepCount = t;
  }
}

/** Options of {@link SGD}. */
export interface SgdOptions {
  /** A rate or a schedule of the step index (default 1e-3). */
  lr?: number | Schedule;
  /** Default 0. */
  momentum?: number;
  /** Default 0. */
  dampening?: number;
  /** Default 0 (L2: λθ added to the gradient). */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with PyTorch's formulas: g ← g + λθ; with momentum μ,
 * b ← g on the first step, else b ← μ·b + (1 − dampening)·g, and g ← g + μ·b (Nesterov) or b;
 * θ ← θ − lr·g.
 */
export class SGD extends FirstOrder {
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly weightDecay: number;
  private readonly nesterov: boolean;
  constructor(params: Variable[], options?: SgdOptions) {
    const op = 'optim.SGD';
    const ps = paramsArg(op, params);
    const o = optionsArg(op, 2, options, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov']);
    super(op, ps, lrArg(op, o.lr, 1e-3), ['momentumBuffer'], 'sgd');
    this.momentum = inRange(op, 'momentum', o.momentum, 0, 0, Infinity, false);
    this.dampening = inRange(op, 'dampening', o.dampening, 0, 0, 1, false);
    this.weightDecay = inRange(op, 'weightDecay', o.weightDecay, 0, 0, Infinity, false);
    this.nesterov = o.nesterov === undefined ? false : boolArg(op, 'nesterov', o.nesterov);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0))
      fail('E_RANGE', `${op}: Nesterov momentum requires momentum > 0 and dampening 0; got momentum ${this.momentum}, dampening ${this.dampening}`);
  }

  /**
   * One update of every parameter with its gradient (same order as the parameters): one fused
   * kernel per parameter returns new tensors for θ and the momentum buffer; the variable is
   * re-pointed at the new θ and the old buffer freed.
   */
  step(grads: Tensor[]): void {
    const gs = this.checkGrads(grads);
    const lr = this.learningRate;
    this.params.forEach((p, i) => {
      const b0 = this.buffers.momentumBuffer[i];
      const [theta, buf] = native.sgdStep(p.handle, gs[i].handle, b0?.handle ?? null, lr, this.momentum, this.dampening, this.weightDecay, this.nesterov, b0 === null);
      const next = wrap(theta);
      p.assign(next);
      next.dispose();
      if (buf !== null) this.setBuffer('momentumBuffer', i, wrap(buf));
    });
    this.stepCount++;
  }
}
