/**
 * Testing helpers: gradcheck compares the tape's gradients with float64 central differences.
 */
import { Tensor } from './tensor';
import { tidy } from './engine';
import { valueAndGrad } from './autograd';
import { tensor } from './creation';
import { fail } from './errors';
import { fnArg, tensorArg, optionsArg, finiteArg, expected } from './validate';

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

/**
 * Checks the gradient of scalar `f` at `inputs` (float64 tensors) against central differences:
 * |analytic − numeric| ≤ atol + rtol·|numeric| for every element. Returns the mismatches (empty
 * when it passes); throws if an input is not float64.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options?: GradcheckOptions): GradcheckFailure[] {
  fnArg('gradcheck', 'f', f);
  if (!Array.isArray(inputs)) expected('E_DTYPE', 'gradcheck', 'inputs', 'an array of float64 tensors', inputs);
  const o = optionsArg('gradcheck', 3, options, ['eps', 'atol', 'rtol']);
  const tolerance = (name: 'eps' | 'atol' | 'rtol', dflt: number) => {
    const v = o[name] === undefined ? dflt : finiteArg('gradcheck', name, o[name]);
    if (v < 0 || (name === 'eps' && v === 0)) fail('E_RANGE', `gradcheck: argument '${name}' = ${v}; expected a number ${name === 'eps' ? '> 0' : '>= 0'}`);
    return v;
  };
  const eps = tolerance('eps', 1e-6);
  const atol = tolerance('atol', 1e-5);
  const rtol = tolerance('rtol', 1e-4);
  for (const [i, x] of inputs.entries())
    if (tensorArg('gradcheck', `inputs[${i}]`, x).dtype !== 'float64') fail('E_DTYPE', `gradcheck: input ${i} must be float64; got ${x.dtype}`);
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
