/**
 * Testing helpers: gradcheck compares the tape's gradients with float64 central differences, and
 * gradgradcheck its Hessian-vector products with central differences of its first gradient.
 */
import { Tensor } from './tensor';
import { tidy } from './engine';
import { valueAndGrad, grad } from './autograd';
import { hvp } from './hvp';
import { tensor } from './creation';
import { fail } from './errors';
import { mulberry32 } from './host_random';
import { fnArg, tensorArg, optionsArg, finiteArg, intArg, expected } from './validate';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
}

/** One mismatch found by gradcheck. */
export interface GradcheckFailure {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

/** f, the float64 inputs and the tolerances of a check named `op`, validated (one owner for both checks). */
function checkArgs(op: string, f: unknown, inputs: unknown, options: unknown, keys: readonly string[]) {
  fnArg(op, 'f', f);
  if (!Array.isArray(inputs)) expected('E_DTYPE', op, 'inputs', 'an array of float64 tensors', inputs);
  const o = optionsArg(op, 3, options, keys) as Record<string, unknown>;
  const tolerance = (name: 'eps' | 'atol' | 'rtol', dflt: number) => {
    const v = o[name] === undefined ? dflt : finiteArg(op, name, o[name]);
    if (v < 0 || (name === 'eps' && v === 0)) fail('E_RANGE', `${op}: argument '${name}' = ${v}; expected a number ${name === 'eps' ? '> 0' : '>= 0'}`);
    return v;
  };
  (inputs as unknown[]).forEach((x, i) => {
    const t = tensorArg(op, `inputs[${i}]`, x);
    if (t.dtype !== 'float64') fail('E_DTYPE', `${op}: input ${i} must be float64; got ${t.dtype}`);
  });
  return { o, eps: tolerance('eps', 1e-6), atol: tolerance('atol', 1e-5), rtol: tolerance('rtol', 1e-4) };
}

/**
 * Checks the gradient of scalar `f` at `inputs` (float64 tensors) against central differences:
 * |analytic − numeric| ≤ atol + rtol·|numeric| for every element. Returns the mismatches (empty
 * when it passes); throws if an input is not float64.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradcheckOptions): GradcheckFailure[] {
  const { eps, atol, rtol } = checkArgs('gradcheck', f, inputs, options, ['eps', 'atol', 'rtol']);
  const argnums = inputs.map((_, i) => i);
  const analytic = tidy(() => {
    const [value, grads] = valueAndGrad(f, { argnums })(...inputs);
    value.dispose();
    return grads.map((g: Tensor) => Float64Array.from(g.dataSync()));
  });
  const failures: GradcheckFailure[] = [];
  const evalAt = (xs: Tensor[]) => tidy(() => f(...xs).dataSync()[0]);
  inputs.forEach((x, i) => {
    const base = Float64Array.from(x.dataSync());
    const shape = x.shape;
    for (let k = 0; k < base.length; k++) {
      const probe = (delta: number) =>
        tidy(() => {
          const v = base.slice();
          v[k] += delta;
          const xs = inputs.slice();
          xs[i] = tensor(v, shape, { dtype: 'float64', device: x.device });
          return evalAt(xs);
        });
      const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
      const a = analytic[i][k];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) failures.push({ input: i, index: k, analytic: a, numeric });
    }
  });
  return failures;
}

/** Options of {@link gradgradcheck}. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** Seed of the random directions v (default 1). */
  seed?: number;
}

/** One mismatch found by gradgradcheck: element `index` of (H·v) for input `input`. */
export interface GradgradcheckFailure extends GradcheckFailure {
  /** Which of the random directions (0 or 1). */
  direction: number;
}

/**
 * Checks the second-order gradients of scalar `f` at `inputs` (float64 tensors): along two
 * seeded random directions v (entries uniform in [-1, 1), one block per input), the tape's
 * Hessian-vector product H·v — the gradient of ⟨∇f, v⟩ by double backward, {@link hvp} — against
 * central differences of the tape's first gradient, (∇f(x + εv) − ∇f(x − εv)) / 2ε, with
 * |analytic − numeric| ≤ atol + rtol·|numeric| for every element. A backward that is not taped
 * (a detached saved tensor, a native call outside the tape) shows up as a mismatch. The first
 * gradient itself is taken as correct: check it with {@link gradcheck}. Returns the mismatches
 * (empty when it passes); throws if an input is not float64, and E_RANGE where an op refuses a
 * second backward.
 */
export function gradgradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradgradcheckOptions): GradgradcheckFailure[] {
  const { o, eps, atol, rtol } = checkArgs('gradgradcheck', f, inputs, options, ['eps', 'atol', 'rtol', 'seed']);
  const seed = o.seed === undefined ? 1 : intArg('gradgradcheck', 'seed', o.seed, 0, 2 ** 32 - 1);
  const argnums = inputs.map((_, i) => i);
  const next = mulberry32(seed); // the directions depend on the seed only
  const base = inputs.map((x) => Float64Array.from(x.dataSync()));
  const at = (values: Float64Array[]) => values.map((v, i) => tensor(v, inputs[i].shape, { dtype: 'float64', device: inputs[i].device }));
  const gradientAt = (values: Float64Array[]) =>
    tidy(() => (grad(f, { argnums })(...at(values)) as Tensor[]).map((g) => Float64Array.from(g.dataSync())));
  const failures: GradgradcheckFailure[] = [];
  for (let direction = 0; direction < 2; direction++) {
    const v = base.map((b) => Float64Array.from(b, () => 2 * next() - 1));
    const analytic = tidy(() => (hvp(f, { argnums })(inputs, at(v)) as Tensor[]).map((h) => Float64Array.from(h.dataSync())));
    const plus = gradientAt(base.map((b, i) => b.map((x, k) => x + eps * v[i][k])));
    const minus = gradientAt(base.map((b, i) => b.map((x, k) => x - eps * v[i][k])));
    analytic.forEach((a, i) => {
      for (let k = 0; k < a.length; k++) {
        const numeric = (plus[i][k] - minus[i][k]) / (2 * eps);
        if (!(Math.abs(a[k] - numeric) <= atol + rtol * Math.abs(numeric))) failures.push({ direction, input: i, index: k, analytic: a[k], numeric });
      }
    });
  }
  return failures;
}
