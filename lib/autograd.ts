/**
 * Reverse-mode autograd. An op whose inputs take part in a gradient computation records a
 * GradNode on its output (the op's name, aliases of its inputs and output, attributes); the
 * registered gradient of that op maps the output's cotangent to its inputs'. Backward functions
 * are ordinary ops, so they run on the tensors' device and can be differentiated again.
 */
import { native } from './native';
import { Tensor } from './tensor';
import { tidy, keep } from './engine';
import { fail } from './errors';
import { tensorArg, fnArg, optionsArg, intListArg, boolArg, expected } from './validate';

/** What a gradient function receives besides the output cotangent. */
export interface GradContext<A = unknown> {
  /** The op's inputs (as saved when it ran). */
  inputs: Tensor[];
  /** The op's output (as saved when it ran). */
  output: Tensor;
  /** Non-tensor arguments of the op. */
  attrs: A;
}

/** Maps the cotangent of an op's output to its inputs' (null: no gradient flows there). */
export type GradFn<A = unknown> = (dy: Tensor, ctx: GradContext<A>) => (Tensor | null)[];

const registry = new Map<string, GradFn<any>>();

/** Registers the gradient of `op`; each differentiable op calls this next to its forward. */
export function defineGradient<A>(op: string, fn: GradFn<A>): void {
  if (typeof op !== 'string' || op.length === 0) expected('E_RANGE', 'defineGradient', 'op', 'an op name', op);
  fnArg('defineGradient', 'fn', fn);
  if (registry.has(op)) fail('E_RANGE', `defineGradient: '${op}' already has a gradient`);
  registry.set(op, fn as GradFn<any>);
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

/** A second, internal handle to t's data (not owned by any tidy scope). */
function aliasOf(t: Tensor, withGraph: boolean): Tensor {
  const a = new Tensor(native.alias(t.handle));
  a.kept = true;
  uids.set(a, uidOf(t));
  if (withGraph) {
    a.requiresGrad = t.requiresGrad;
    if (t.node !== null) {
      a.node = t.node;
      t.node.refs++;
    }
  }
  return a;
}

export class GradNode {
  refs = 1;
  constructor(
    readonly op: string,
    readonly inputs: Tensor[],
    readonly output: Tensor,
    readonly outUid: number,
    readonly attrs: unknown,
  ) {}

  /** Drops one reference; the last one frees the saved tensors (and theirs, in turn). */
  release(): void {
    if (--this.refs > 0) return;
    for (const t of this.inputs) t.dispose();
    this.output.dispose();
  }
}

/**
 * Records `op` on `output` when any input takes part in a gradient computation; returns output.
 * @internal
 */
export function record<A>(op: string, inputs: Tensor[], output: Tensor, attrs?: A): Tensor {
  let needed = false;
  for (const t of inputs) if (t.requiresGrad || t.node !== null) needed = true;
  if (!needed) return output;
  if (!registry.has(op)) fail('E_INTERNAL', `${op}: no gradient is registered`);
  output.node = new GradNode(op, inputs.map((t) => aliasOf(t, true)), aliasOf(output, false), uidOf(output), attrs);
  return output;
}

/** Gradients of scalar `y` w.r.t. `xs`, by a reverse walk over the recorded nodes. */
function backward(y: Tensor, xs: Tensor[], seed: () => Tensor): Tensor[] {
  if (y.size !== 1 || y.dtype.startsWith('complex') || y.dtype === 'int32')
    fail('E_SHAPE', `grad: the function must return a real scalar (one element); got shape [${y.shape}] ${y.dtype}`);
  const targets = new Set(xs.map(uidOf));
  return tidy(() => {
    const grads = new Map<number, Tensor>();
    const accumulate = (uid: number, g: Tensor) => {
      const prev = grads.get(uid);
      grads.set(uid, prev === undefined ? g : addGrad(prev, g));
    };
    grads.set(uidOf(y), seed());
    if (!targets.has(uidOf(y)) && y.node !== null) {
      // Post-order DFS from y's node, stopping at the targets, gives a topological order.
      const order: GradNode[] = [];
      const seen = new Set<GradNode>();
      const stack: [GradNode, boolean][] = [[y.node, false]];
      while (stack.length > 0) {
        const [n, expanded] = stack.pop()!;
        if (expanded) {
          order.push(n);
          continue;
        }
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push([n, true]);
        for (const t of n.inputs) if (t.node !== null && !targets.has(uidOf(t)) && !seen.has(t.node)) stack.push([t.node, false]);
      }
      for (let i = order.length - 1; i >= 0; i--) {
        const n = order[i];
        const dy = grads.get(n.outUid);
        if (dy === undefined) continue;
        const gin = registry.get(n.op)!(dy, { inputs: n.inputs, output: n.output, attrs: n.attrs });
        n.inputs.forEach((t, k) => {
          const g = gin[k];
          if (g != null && (t.node !== null || t.requiresGrad)) accumulate(uidOf(t), g);
        });
      }
    }
    return xs.map((x) => {
      const g = grads.get(uidOf(x));
      return g === undefined ? zerosLikeGrad(x) : g;
    });
  });
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
defineGradient('identity', (dy) => [dy]);

/** A new tensor with x's value (an alias of its storage), recorded for gradients. @internal */
export function identity(x: Tensor): Tensor {
  return record('identity', [x], new Tensor(native.alias(x.handle)));
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
        let out = f(...callArgs);
        let value: Tensor = options?.hasAux ? out[0] : out;
        if (!(value instanceof Tensor)) fail('E_DTYPE', 'grad: the function must return a Tensor');
        let grads = backward(value, sources, () => onesLikeGrad(value));
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
  const grads = backward(loss, vars, () => onesLikeGrad(loss));
  return transformDepth === 0 ? grads.map(detached) : grads;
}

/** The same values, cut off from gradient computation. */
export function stopGradient(x: Tensor): Tensor {
  tensorArg('stopGradient', 'x', x);
  return new Tensor(native.alias(x.handle));
}
