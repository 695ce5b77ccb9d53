/**
 * Hessian-vector products by double backward: the gradient of ⟨∇f(x), v⟩, taped through the
 * backward functions (reverse over reverse), for Newton and trust-region steps.
 */
import { Tensor } from './tensor';
import { grad } from './autograd';
import { fail } from './errors';
import { fnArg, optionsArg, intListArg, tensorArg } from './validate';
import { add, mul } from './ops/elementwise';
import { sum } from './ops/reduce';

/** Options of {@link hvp}. */
export interface HvpOptions {
  /** Which positional arguments the Hessian is taken with respect to: one index (default 0) or several. */
  argnums?: number | number[];
}

/**
 * Transforms scalar `f` into a function computing H·v, the Hessian of `f` times a vector, without
 * forming H (one forward and two backward passes). Primals and tangents follow `jax.jvp(grad(f),
 * primals, tangents)`: `primals` is f's single argument or an array of its arguments; `tangents`
 * is one tensor shaped like the differentiated argument for a numeric `argnums` (default 0), or
 * an array with one per entry of an array `argnums`. With several arguments the Hessian is the
 * block matrix over all of them: result i is Σ_j ∂²f/∂x_i∂x_j · v_j, in `argnums` order.
 *
 * @example
 * const f = (x: wt.Tensor) => wt.sum(wt.mul(wt.square(x), x));     // H = diag(6x)
 * const hv = wt.hvp(f)(wt.tensor([1, 2]), wt.tensor([1, 1]));       // [6, 12]
 */
export function hvp<O extends HvpOptions>(f: (...args: any[]) => Tensor, options?: O) {
  fnArg('hvp', 'f', f);
  const o = optionsArg('hvp', 2, options, ['argnums']);
  const many = Array.isArray(o.argnums);
  const idx = o.argnums === undefined ? [0] : intListArg('hvp', 'argnums', o.argnums);
  idx.forEach((i) => {
    if (i < 0) fail('E_RANGE', `hvp: argument 'argnums' holds ${i}; expected argument indices >= 0`);
  });
  type Result = O['argnums'] extends number[] ? Tensor[] : Tensor;
  return (primals: Tensor | unknown[], tangents: Tensor | Tensor[]): Result => {
    const args = Array.isArray(primals) ? primals : [primals];
    const list: unknown = many ? tangents : [tangents];
    if (!Array.isArray(list) || list.length !== idx.length)
      fail('E_SHAPE', `hvp: argument 'tangents' must be ${many ? `an array of ${idx.length} tensors (one per argnum)` : 'one tensor'}`);
    const vs = list as Tensor[];
    vs.forEach((v, k) => {
      const x = tensorArg('hvp', `primals[${idx[k]}]`, args[idx[k]]);
      tensorArg('hvp', `tangents[${k}]`, v);
      if (v.dtype !== x.dtype) fail('E_DTYPE', `hvp: tangent ${k} is ${v.dtype}; expected the primal's dtype ${x.dtype}`);
      if (v.shape.join() !== x.shape.join()) fail('E_SHAPE', `hvp: tangent ${k} has shape [${v.shape}]; expected the primal's [${x.shape}]`);
    });
    const gradF = grad(f, { argnums: idx });
    // ⟨∇f(x), v⟩ with v held constant; its gradient is H·v.
    const directional = (...xs: unknown[]) => {
      const gs: Tensor[] = gradF(...xs);
      return gs.map((g, k) => sum(mul(g, vs[k]))).reduce((a, b) => add(a, b));
    };
    const hv: Tensor[] = grad(directional, { argnums: idx })(...args);
    return (many ? hv : hv[0]) as Result;
  };
}
