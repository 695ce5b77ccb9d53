/**
 * Reverse-mode autograd. An op whose inputs take part in a gradient computation records one
 * GradNode on its outputs (one or several): the op, an edge per input (its identity and producer,
 * not its data), exactly the tensors the op's gradient declares it saves, and attributes.
 * Backward functions are ordinary ops, taped when an enclosing transform differentiates them again.
 */
import { native } from './native';
import { Tensor, TapeNode, DType } from './tensor';
import { tidy, keep } from './engine';
import { fail } from './errors';
import { tensorArg, fnArg, optionsArg, intListArg, boolArg, expected, describe, syncResult } from './validate';

/** Shape, dtype and device of an op's input, kept whether or not the input's data is saved. */
export interface TensorInfo {
  readonly shape: number[];
  readonly dtype: DType;
  readonly device: string;
}

/** What a gradient function receives besides the cotangents. */
export interface GradContext<A = unknown> {
  /**
   * The saved tensors, in the order the gradient declares them: the inputs of `inputsToSave`,
   * then the outputs of `outputsToSave`, then the forward's intermediates (`intermediatesToSave`).
   * They are connected to the tape, so a backward built from wavetape ops is differentiable.
   */
  saved: Tensor[];
  /** Shape, dtype and device of every input, saved or not. */
  inputs: TensorInfo[];
  /** Non-tensor arguments of the op. */
  attrs: A;
}

/** Maps the cotangent of a one-output op to its inputs' (null: no gradient flows there). */
export type GradFn<A = unknown> = (dy: Tensor, ctx: GradContext<A>) => (Tensor | null)[];
/** Maps one cotangent per output (null for an output that received none) to the inputs'. */
export type MultiOutputGradFn<A = unknown> = (dys: (Tensor | null)[], ctx: GradContext<A>) => (Tensor | null)[];

/** What a gradient saves (as tfjs's `inputsToSave`/`outputsToSave`, PyTorch's `save_for_backward`). */
export interface SaveSpec {
  /** Positions of the inputs whose values the gradient reads; no other input is kept alive. */
  inputsToSave?: number[];
  /** Positions of the outputs whose values the gradient reads. */
  outputsToSave?: number[];
  /** How many forward intermediates the op passes to the tape (`record(..., { saved })`). */
  intermediatesToSave?: number;
  /**
   * The gradient is not itself differentiable (say, a native backward kernel): a second backward
   * through it throws E_RANGE naming the op instead of returning a wrong value.
   */
  onceDifferentiable?: boolean;
}

/** The gradient of a one-output op: what it saves and the backward function. */
export interface GradientSpec<A = unknown> extends SaveSpec {
  /** One output (the default). */
  outputs?: 1;
  grad: GradFn<A>;
}

/** The gradient of an op with several outputs. */
export interface MultiOutputGradientSpec<A = unknown> extends SaveSpec {
  /**
   * Number of outputs the op records (2 or more; one output is a {@link GradientSpec}), or `'any'`
   * for an op whose count varies from call to call (a split into k pieces); such an op saves no
   * outputs, and `dys` has one entry per output it recorded.
   */
  outputs: number | 'any';
  grad: MultiOutputGradFn<A>;
}

interface Entry {
  op: string;
  /** The recorded output count; -1: any count. */
  outputs: number;
  inputsToSave: number[];
  outputsToSave: number[];
  intermediates: number;
  once: boolean;
  grad: MultiOutputGradFn<any>;
}

const registry = new Map<string, Entry>();

function indexList(list: number[] | undefined, op: string, what: string, limit: number): number[] {
  const out = list ?? [];
  if (!Array.isArray(out)) expected('E_RANGE', 'defineGradient', `'${op}' ${what}sToSave`, 'an array of positions', out);
  for (const i of out)
    if (!Number.isInteger(i) || i < 0 || i >= limit) fail('E_RANGE', `defineGradient: '${op}' saves ${what} ${describe(i)}, which does not exist`);
  return out;
}

/**
 * Registers the gradient of `op`; each differentiable op calls this next to its forward, saying
 * which of its inputs and outputs the backward reads.
 *
 * @example
 * defineGradient('tanh', { outputsToSave: [0], grad: (dy, { saved: [y] }) => [mul(dy, sub(1, square(y)))] });
 */
export function defineGradient<A>(op: string, spec: GradientSpec<A> | MultiOutputGradientSpec<A>): void {
  if (typeof op !== 'string' || op.length === 0) expected('E_RANGE', 'defineGradient', 'op', 'an op name', op);
  if (spec == null) expected('E_RANGE', 'defineGradient', 'spec', 'a gradient spec {grad, inputsToSave, ...}', spec);
  optionsArg('defineGradient', 2, spec, ['outputs', 'grad', 'inputsToSave', 'outputsToSave', 'intermediatesToSave', 'onceDifferentiable']);
  fnArg('defineGradient', 'spec.grad', spec.grad);
  if (registry.has(op)) fail('E_RANGE', `defineGradient: '${op}' already has a gradient`);
  const declared = spec.outputs ?? 1;
  const variadic = declared === 'any';
  const outputs = variadic ? -1 : declared;
  const multi = outputs !== 1;
  if (!variadic && (!Number.isInteger(outputs) || outputs < 1))
    fail('E_RANGE', `defineGradient: '${op}' declares ${describe(declared)} outputs; expected an integer >= 1 or 'any'`);
  if (variadic && (spec.outputsToSave ?? []).length > 0) fail('E_RANGE', `defineGradient: '${op}' declares 'any' outputs, so it cannot save outputs`);
  const intermediates = spec.intermediatesToSave ?? 0;
  if (!Number.isInteger(intermediates) || intermediates < 0)
    fail('E_RANGE', `defineGradient: '${op}' declares ${intermediates} intermediates; expected an integer >= 0`);
  const one = spec.grad as GradFn<A>;
  registry.set(op, {
    op,
    outputs,
    inputsToSave: indexList(spec.inputsToSave, op, 'input', Infinity),
    outputsToSave: indexList(spec.outputsToSave, op, 'output', Math.max(outputs, 0)),
    intermediates,
    once: spec.onceDifferentiable === true,
    // A one-output node is only visited with a cotangent.
    grad: multi ? (spec.grad as MultiOutputGradFn<A>) : (dys, ctx) => one(dys[0] as Tensor, ctx),
  });
}

/** Names of the ops with a registered gradient. */
export function differentiableOps(): string[] {
  return [...registry.keys()].sort();
}

let nextUid = 1;
const uids = new WeakMap<Tensor, number>();
/** A stable identity for gradient accumulation, shared by a tensor and its aliases. */
function uidOf(t: Tensor): number {
  let u = uids.get(t);
  if (u === undefined) {
    u = nextUid++;
    uids.set(t, u);
  }
  return u;
}

/** The node that produced t (every node on a tensor is a GradNode made by record). */
function producer(t: Tensor): GradNode | null {
  return t.node as GradNode | null;
}

/** True when t takes part in a gradient computation. */
function onTape(t: Tensor): boolean {
  return t.requiresGrad || t.node !== null;
}

/** A second, internal handle to t's data (not owned by any tidy scope), linked to t's producer. */
function aliasOf(t: Tensor): Tensor {
  const a = new Tensor(native.alias(t.handle));
  a.kept = true;
  uids.set(a, uidOf(t));
  a.requiresGrad = t.requiresGrad;
  const p = producer(t);
  if (p !== null) {
    a.node = p;
    p.refs++;
  }
  return a;
}

/** An input as a node sees it: its description, and (on the tape) its identity and producer. */
interface InputEdge {
  info: TensorInfo;
  /** 0 for an input that takes no part in the gradient computation. */
  uid: number;
  node: GradNode | null;
}

function edgeOf(t: Tensor): InputEdge {
  const info = { shape: t.shape, dtype: t.dtype, device: t.device };
  if (!onTape(t)) return { info, uid: 0, node: null };
  const node = producer(t);
  if (node !== null) node.refs++;
  return { info, uid: uidOf(t), node };
}

// Nodes whose last reference went, released by a loop rather than by recursion, so a long chain
// of ops cannot overflow the stack.
const dying: GradNode[] = [];
let draining = false;

class GradNode implements TapeNode {
  /** Each output holds one reference; so do the edges, saved aliases and unpacked outputs that name this node. */
  refs: number;
  constructor(
    readonly entry: Entry,
    readonly inputs: InputEdge[],
    readonly outUids: number[],
    /** Saved inputs and intermediates as aliases linked to their producers; saved outputs unlinked (a node cannot hold itself). */
    readonly saved: Tensor[],
    readonly attrs: unknown,
  ) {
    this.refs = outUids.length;
  }

  /** Drops one reference; the last one frees the saved tensors and the edges (and theirs, in turn). */
  release(): void {
    if (--this.refs > 0) return;
    dying.push(this);
    if (draining) return;
    draining = true;
    try {
      for (let n = dying.pop(); n !== undefined; n = dying.pop()) {
        for (const e of n.inputs) e.node?.release();
        for (const t of n.saved) t.dispose();
      }
    } finally {
      draining = false;
    }
  }

  /**
   * Fresh handles to the saved tensors for one backward call (owned by its tidy scope). With
   * `linked`, each is connected to the tape: an input to its producer, an output to this node.
   */
  unpack(linked: boolean): Tensor[] {
    const first = this.entry.inputsToSave.length;
    const last = first + this.entry.outputsToSave.length;
    return this.saved.map((s, k) => {
      const t = new Tensor(native.alias(s.handle));
      if (!linked) return t;
      uids.set(t, uidOf(s));
      t.requiresGrad = s.requiresGrad;
      const p = k >= first && k < last ? this : producer(s);
      if (p !== null) {
        t.node = p;
        p.refs++;
      }
      return t;
    });
  }
}

// While positive, record() attaches nothing: backward passes whose results nobody differentiates.
let paused = 0;

/** Options of {@link record}. */
export interface RecordOptions<A> {
  /** Non-tensor arguments the gradient reads. */
  attrs?: A;
  /** Forward intermediates the gradient reads, as many as its `intermediatesToSave`. */
  saved?: Tensor[];
}

/**
 * Whether {@link record} would tape an op of these inputs: one takes part in a gradient computation
 * and recording is not paused. An op can skip computing what only its gradient reads when not.
 * @internal
 */
export function recording(inputs: Tensor[]): boolean {
  return paused === 0 && inputs.some(onTape);
}

/**
 * Records `op` on `outputs` when any input takes part in a gradient computation, saving what the
 * op's gradient declares (as aliases: the caller keeps its tensors); returns `outputs`.
 * @internal
 */
export function record<T extends Tensor[]>(op: string, inputs: Tensor[], outputs: T, options?: RecordOptions<unknown>): T {
  if (!recording(inputs)) return outputs;
  const entry = registry.get(op);
  if (entry === undefined) fail('E_INTERNAL', `${op}: no gradient is registered`);
  return attach(entry, inputs, outputs, options?.attrs, options?.saved ?? []);
}

function attach<T extends Tensor[]>(entry: Entry, inputs: Tensor[], outputs: T, attrs: unknown, intermediates: Tensor[]): T {
  const op = entry.op;
  if (entry.outputs === -1 ? outputs.length === 0 : outputs.length !== entry.outputs)
    fail('E_INTERNAL', `${op}: recorded with ${outputs.length} outputs; its gradient declares ${entry.outputs === -1 ? 'at least 1' : entry.outputs}`);
  if (intermediates.length !== entry.intermediates)
    fail('E_INTERNAL', `${op}: recorded with ${intermediates.length} intermediates; its gradient declares ${entry.intermediates}`);
  for (const i of entry.inputsToSave) if (i >= inputs.length) fail('E_INTERNAL', `${op}: saves input ${i} of ${inputs.length}`);
  if (new Set(outputs).size !== outputs.length || outputs.some(onTape))
    fail('E_INTERNAL', `${op}: its outputs must be distinct tensors not yet on the tape`);
  const saved = [
    ...entry.inputsToSave.map((i) => aliasOf(inputs[i])),
    ...entry.outputsToSave.map((k) => {
      const a = new Tensor(native.alias(outputs[k].handle));
      a.kept = true;
      uids.set(a, uidOf(outputs[k]));
      return a;
    }),
    ...intermediates.map(aliasOf),
  ];
  const node = new GradNode(entry, inputs.map(edgeOf), outputs.map(uidOf), saved, attrs);
  for (const o of outputs) o.node = node;
  return outputs;
}

/**
 * For ops without a gradient: fails with E_RANGE when an input is on the tape (outside a pause),
 * so differentiating through such an op is refused instead of silently giving zero.
 */
export function refuseOnTape(op: string, inputs: Record<string, Tensor>): void {
  if (paused > 0) return;
  for (const [name, t] of Object.entries(inputs))
    if (onTape(t))
      fail('E_RANGE', `${op}: argument '${name}' is being differentiated, but ${op} has no gradient; pass wt.stopGradient(${name}) to use its value`);
}

/** The backward of a onceDifferentiable op, standing in for it on the tape: it only refuses. */
function refusal(op: string): Entry {
  return {
    op: `${op} (backward)`,
    outputs: 1,
    inputsToSave: [],
    outputsToSave: [],
    intermediates: 0,
    once: false,
    grad: () =>
      fail('E_RANGE', `${op}: its gradient is not differentiable, so a second-order gradient through it (grad of grad, hvp, gradgradcheck) is not available`),
  };
}

/** Runs n's backward; with `linked`, its results stay on the tape (for a second backward). */
function runBackward(n: GradNode, dys: (Tensor | null)[], linked: boolean): (Tensor | null)[] {
  const e = n.entry;
  const inputs = n.inputs.map((edge) => edge.info);
  if (!linked || !e.once) return e.grad(dys, { saved: n.unpack(linked), inputs, attrs: n.attrs });
  paused++;
  let gin: (Tensor | null)[];
  try {
    gin = e.grad(dys, { saved: n.unpack(false), inputs, attrs: n.attrs });
  } finally {
    paused--;
  }
  const sources = [...dys.filter((d): d is Tensor => d !== null), ...n.unpack(true)].filter(onTape);
  if (sources.length === 0) return gin;
  const entry = refusal(e.op);
  return gin.map((g) => (g === null ? null : attach(entry, sources, [new Tensor(native.alias(g.handle))], undefined, [])[0]));
}

/**
 * Gradients of scalar `y` w.r.t. `xs`, by a reverse walk over the recorded nodes. With
 * `linked`, the backward functions are taped so the gradients can be differentiated again.
 */
function backward(y: Tensor, xs: Tensor[], linked: boolean): Tensor[] {
  if (y.size !== 1 || y.dtype.startsWith('complex') || y.dtype === 'int32')
    fail('E_SHAPE', `grad: the function must return a real scalar (one element); got shape [${y.shape}] ${y.dtype}`);
  const targets = new Set(xs.map(uidOf));
  return tidy(() => {
    const grads = new Map<number, Tensor>();
    const accumulate = (uid: number, g: Tensor) => {
      const prev = grads.get(uid);
      grads.set(uid, prev === undefined ? g : addGrad(prev, g));
    };
    grads.set(uidOf(y), onesLikeGrad(y));
    const root = producer(y);
    if (!targets.has(uidOf(y)) && root !== null) {
      // Post-order DFS from y's node, stopping at the targets, gives a topological order.
      const order: GradNode[] = [];
      const seen = new Set<GradNode>();
      const stack: [GradNode, boolean][] = [[root, false]];
      while (stack.length > 0) {
        const [n, expanded] = stack.pop()!;
        if (expanded) {
          order.push(n);
          continue;
        }
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push([n, true]);
        for (const e of n.inputs) if (e.node !== null && !targets.has(e.uid) && !seen.has(e.node)) stack.push([e.node, false]);
      }
      if (!linked) paused++;
      try {
        for (let i = order.length - 1; i >= 0; i--) {
          const n = order[i];
          const dys = n.outUids.map((u) => grads.get(u) ?? null);
          if (dys.every((d) => d === null)) continue;
          const gin = runBackward(n, dys, linked);
          if (!Array.isArray(gin) || gin.length !== n.inputs.length)
            fail('E_INTERNAL', `${n.entry.op}: its gradient returned ${Array.isArray(gin) ? gin.length : 'no'} entries for ${n.inputs.length} inputs`);
          n.inputs.forEach((e, k) => {
            const g = gin[k];
            if (g == null || e.uid === 0) return;
            if (g.dtype !== e.info.dtype || g.shape.join() !== e.info.shape.join())
              fail('E_INTERNAL', `${n.entry.op}: the gradient of input ${k} is [${g.shape}] ${g.dtype}; expected [${e.info.shape}] ${e.info.dtype}`);
            accumulate(e.uid, g);
          });
        }
      } finally {
        if (!linked) paused--;
      }
    }
    return xs.map((x) => {
      const g = grads.get(uidOf(x));
      return g === undefined ? zerosLikeGrad(x) : g;
    });
  });
}

/** Names of the ops recorded on the tape behind t (what a test's function really exercised). @internal */
export function tapeOps(t: Tensor): Set<string> {
  const ops = new Set<string>();
  const seen = new Set<GradNode>();
  const stack = [producer(t)];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n === null || seen.has(n)) continue;
    seen.add(n);
    ops.add(n.entry.op);
    for (const e of n.inputs) stack.push(e.node);
    for (const s of n.saved) stack.push(producer(s));
  }
  return ops;
}

// Hooks filled in by the ops modules (autograd sits below them).
let addGrad: (a: Tensor, b: Tensor) => Tensor = () => fail('E_INTERNAL', 'autograd: ops not loaded');
let zerosLikeGrad: (x: Tensor) => Tensor = () => fail('E_INTERNAL', 'autograd: ops not loaded');
let onesLikeGrad: (x: Tensor) => Tensor = () => fail('E_INTERNAL', 'autograd: ops not loaded');
/** @internal */
export function setGradHelpers(h: { add: typeof addGrad; zerosLike: typeof zerosLikeGrad; onesLike: typeof onesLikeGrad }): void {
  addGrad = h.add;
  zerosLikeGrad = h.zerosLike;
  onesLikeGrad = h.onesLike;
}

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /** Which positional arguments to differentiate: one index (default 0) or several. */
  argnums?: number | number[];
  /** The function returns `[value, aux]`; aux is passed through untouched. */
  hasAux?: boolean;
}

/** The checked argnums of grad/valueAndGrad(f, options), with f a function and options a plain object. */
function transformArgs(op: string, f: unknown, options: unknown): number | number[] {
  fnArg(op, 'f', f);
  const o = optionsArg(op, 2, options, ['argnums', 'hasAux']);
  if (o.hasAux !== undefined) boolArg(op, 'hasAux', o.hasAux);
  if (o.argnums === undefined) return 0;
  const list = intListArg(op, 'argnums', o.argnums);
  list.forEach((i) => {
    if (i < 0) fail('E_RANGE', `${op}: argument 'argnums' holds ${i}; expected argument indices >= 0`);
  });
  return Array.isArray(o.argnums) ? list : list[0];
}

type Grads<O extends GradOptions> = O['argnums'] extends number[] ? Tensor[] : Tensor;

// The tape's own op: a fresh identity for a value that stays linked to the tape it came from.
defineGradient('identity', { grad: (dy) => [dy] });

/** A new tensor with x's value (an alias of its storage), recorded for gradients. @internal */
export function identity(x: Tensor): Tensor {
  return record('identity', [x], [new Tensor(native.alias(x.handle))])[0];
}

function prepare(args: unknown[], argnums: number | number[]): { sources: Tensor[]; callArgs: unknown[] } {
  const idx = Array.isArray(argnums) ? argnums : [argnums];
  const callArgs = args.slice();
  const sources: Tensor[] = [];
  for (const i of idx) {
    const a = tensorArg('grad', `args[${i}]`, args[i]);
    if (a.dtype !== 'float32' && a.dtype !== 'float64')
      fail('E_DTYPE', `grad: argument ${i} must be float32 or float64; got ${a.dtype}`);
    // A fresh identity, as the same tensor may be passed twice. Inside an outer transform, the
    // source is recorded as identity(a), so the outer backward walks through to a (grad of grad).
    const s = transformDepth > 1 ? identity(a) : new Tensor(native.alias(a.handle));
    s.requiresGrad = true;
    sources.push(s);
    callArgs[i] = s;
  }
  return { sources, callArgs };
}

// valueAndGrad calls in progress: inside one, results stay on the tape so an outer transform can
// differentiate them (grad of grad); at the outermost level they are cut loose from it, so the
// saved tensors of the whole computation are freed as soon as the call returns.
let transformDepth = 0;

/** t's value without its graph: the node (and what it saved) is released now. */
function detached(t: Tensor): Tensor {
  if (t.node === null && !t.requiresGrad) return t;
  const d = stopGradient(t);
  t.dispose();
  return d;
}

/**
 * Transforms `f` into a function returning `[value, grads]` (JAX's value_and_grad). `grads` is
 * a Tensor for a numeric `argnums` (default 0) and an array for an array; with `hasAux`, `f`
 * returns `[value, aux]` and the result is `[[value, aux], grads]`.
 *
 * @example
 * const f = (w: wt.Tensor) => wt.sum(wt.square(w));
 * const [value, dw] = wt.valueAndGrad(f)(wt.tensor([1, 2, 3]));  // value 14, dw [2, 4, 6]
 */
export function valueAndGrad<O extends GradOptions>(f: (...args: any[]) => any, options?: O) {
  const argnums = transformArgs('valueAndGrad', f, options);
  return (...args: any[]): [any, Grads<O>] => {
    transformDepth++;
    try {
      // f's intermediates are freed on return (as in tfjs): only the value, aux and grads live on.
      return tidy(() => {
        const { sources, callArgs } = prepare(args, argnums);
        let out = syncResult(f(...callArgs));
        let value: Tensor = options?.hasAux ? out[0] : out;
        if (!(value instanceof Tensor)) fail('E_DTYPE', 'grad: the function must return a Tensor');
        let grads = backward(value, sources, transformDepth > 1);
        if (transformDepth === 1) {
          grads = grads.map(detached);
          value = detached(value);
          out = options?.hasAux ? [value, out[1]] : value;
        }
        return [out, (Array.isArray(argnums) ? grads : grads[0]) as Grads<O>];
      });
    } finally {
      transformDepth--;
    }
  };
}

/**
 * Transforms `f` into a function returning the gradient of its scalar result (JAX's grad);
 * with `hasAux`, `[grads, aux]`.
 */
export function grad<O extends GradOptions>(f: (...args: any[]) => any, options?: O) {
  transformArgs('grad', f, options);
  const vg = valueAndGrad(f, options);
  return (...args: any[]): any => {
    const [out, grads] = vg(...args);
    if (options?.hasAux) {
      (out[0] as Tensor).dispose();
      return [grads, out[1]];
    }
    (out as Tensor).dispose();
    return grads;
  };
}

/**
 * A trainable tensor for optimiser loops: not disposed by tidy(), always watched by the tape,
 * updated in place with {@link Variable.assign}.
 */
export class Variable extends Tensor {
  /** @internal */
  constructor(value: Tensor) {
    super(native.alias(value.handle));
    keep(this);
    this.requiresGrad = true;
  }
  /** Replaces the value (same shape and dtype); the old data is freed. */
  assign(value: Tensor): void {
    tensorArg('assign', 'value', value);
    if (value.device !== this.device)
      fail('E_DEVICE', `assign: argument 'value' is on ${value.device}; the variable is on ${this.device}`);
    if (value.dtype !== this.dtype || value.shape.join() !== this.shape.join())
      fail('E_SHAPE', `assign: expected shape [${this.shape}] ${this.dtype}; got [${value.shape}] ${value.dtype}`);
    const old = this.handle;
    this.handle = native.alias(value.handle);
    native.dispose(old);
  }
}

/** Makes a Variable holding t's value. */
export function variable(t: Tensor): Variable {
  tensorArg('variable', 't', t);
  return new Variable(t);
}

/** Gradients of a scalar `loss` (computed from variables) w.r.t. `vars`. */
export function gradients(loss: Tensor, vars: Tensor[]): Tensor[] {
  tensorArg('gradients', 'loss', loss);
  if (!Array.isArray(vars)) expected('E_DTYPE', 'gradients', 'vars', 'an array of tensors', vars);
  vars.forEach((v, i) => tensorArg('gradients', `vars[${i}]`, v));
  const grads = backward(loss, vars, transformDepth > 0);
  return transformDepth === 0 ? grads.map(detached) : grads;
}

/** The same values, cut off from gradient computation. */
export function stopGradient(x: Tensor): Tensor {
  tensorArg('stopGradient', 'x', x);
  return new Tensor(native.alias(x.handle));
}
