// The tape: grad/valueAndGrad argument handling, hasAux, variables with gradients(),
// stopGradient, reuse of one tensor on several paths, a small network's gradients against
// central differences computed here, a node with two outputs and a declared saved list (built
// here through the internal record API), what nodes keep alive, an op that refuses a
// second backward, and an op with any number of outputs (splitAlong).
import * as wt from '../lib';
import { record } from '../lib/autograd';
import { splitAlong } from '../lib/ops/layout';
import { expectClose, randomArray, testDevices } from './helpers';

// A test-only op with two outputs: a = Σ sin(x)·w and b = exp(x). Its gradient saves x and w
// (inputs), b (output) and cos(x) (an intermediate computed on the tape, so a second backward
// through it is right), and takes a cotangent for each output, or null where one got none.
wt.defineGradient('testSinDotAndExp', {
  outputs: 2,
  inputsToSave: [0, 1],
  outputsToSave: [1],
  intermediatesToSave: 1,
  grad: ([da, db], { saved: [x, w, b, c] }) => {
    let gx: wt.Tensor | null = null;
    let gw: wt.Tensor | null = null;
    if (da !== null) {
      gx = wt.mul(da, wt.mul(c, w));
      gw = wt.mul(da, wt.sin(x));
    }
    if (db !== null) gx = gx === null ? wt.mul(db, b) : wt.add(gx, wt.mul(db, b));
    return [gx, gw];
  },
});
function sinDotAndExp(x: wt.Tensor, w: wt.Tensor): [wt.Tensor, wt.Tensor] {
  return wt.tidy(() => {
    // The values come from detached inputs, so only this node (not its parts) is on the tape.
    const xv = wt.stopGradient(x);
    const wv = wt.stopGradient(w);
    const a = wt.sum(wt.mul(wt.sin(xv), wv));
    const b = wt.exp(xv);
    return record('testSinDotAndExp', [x, w], [a, b], { saved: [wt.cos(x)] });
  });
}

// A test-only op whose gradient declares itself not differentiable: x³ with gradient 3x²·dy.
wt.defineGradient('testCubeOnce', {
  inputsToSave: [0],
  onceDifferentiable: true,
  grad: (dy, { saved: [x] }) => [wt.mul(dy, wt.mul(wt.square(x), 3))],
});
function cubeOnce(x: wt.Tensor): wt.Tensor {
  return record('testCubeOnce', [x], [wt.tidy(() => wt.mul(wt.square(wt.stopGradient(x)), wt.stopGradient(x)))])[0];
}

describe.each(testDevices())('autograd on %s', (device) => {
  const t64 = (data: number[] | Float64Array, shape?: number[]) => wt.tensor(data, shape, { dtype: 'float64', device });

  test('grad of sum(x²) is 2x; valueAndGrad returns the value too', () => {
    wt.tidy(() => {
      const x = t64([1, -2, 3]);
      const g = wt.grad((t: wt.Tensor) => wt.sum(wt.square(t)))(x);
      expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
      const [v, g2] = wt.valueAndGrad((t: wt.Tensor) => wt.sum(wt.square(t)))(x);
      expect(v.item()).toBe(14);
      expect(Array.from(g2.dataSync())).toEqual([2, -4, 6]);
    });
  });

  test('argnums: a number gives a tensor, an array gives an array in that order', () => {
    wt.tidy(() => {
      const f = (a: wt.Tensor, b: wt.Tensor, c: wt.Tensor) => wt.sum(wt.mul(wt.mul(a, b), c));
      const a = t64([2]);
      const b = t64([3]);
      const c = t64([5]);
      const gb = wt.grad(f, { argnums: 1 })(a, b, c);
      expect(gb).toBeInstanceOf(wt.Tensor);
      expect(gb.item()).toBe(10);
      const [, gs] = wt.valueAndGrad(f, { argnums: [2, 0] })(a, b, c);
      expect(gs.map((g: wt.Tensor) => g.item())).toEqual([6, 15]);
    });
  });

  test('hasAux passes aux through untouched', () => {
    wt.tidy(() => {
      const f = (x: wt.Tensor) => [wt.sum(wt.exp(x)), { note: 'aux', y: wt.neg(x) }];
      const [[value, aux], g] = wt.valueAndGrad(f, { hasAux: true })(t64([0, 1]));
      expectClose([value.item()], [1 + Math.E], 1e-15);
      expect(aux.note).toBe('aux');
      expect(Array.from(aux.y.dataSync())).toEqual([-0, -1]);
      expectClose(g.dataSync(), [1, Math.E], 1e-15);
    });
  });

  test('the same tensor passed twice gets independent gradients', () => {
    wt.tidy(() => {
      const x = t64([3]);
      const [, [ga, gb]] = wt.valueAndGrad((a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.mul(wt.square(a), b)), { argnums: [0, 1] })(x, x);
      expect(ga.item()).toBe(18);
      expect(gb.item()).toBe(9);
    });
  });

  test('a tensor used on several paths accumulates its gradient', () => {
    wt.tidy(() => {
      const g = wt.grad((x: wt.Tensor) => {
        const y = wt.exp(x);
        return wt.sum(wt.add(wt.mul(y, y), wt.sin(y)));
      })(t64([0.3, -0.7]));
      const ref = [0.3, -0.7].map((x) => 2 * Math.exp(2 * x) + Math.cos(Math.exp(x)) * Math.exp(x));
      expectClose(g.dataSync(), ref, 1e-14, 1e-14);
    });
  });

  test('grad of grad: the second derivative of sum(x³) is 6x', () => {
    wt.tidy(() => {
      const inner = wt.grad((y: wt.Tensor) => wt.sum(wt.mul(wt.square(y), y)));
      const g2 = wt.grad((x: wt.Tensor) => wt.sum(inner(x)))(t64([1, -2, 0.5]));
      expectClose(g2.dataSync(), [6, -12, 3], 1e-14);
    });
  });

  test('results of the outermost transform hold no graph: only they stay alive', () => {
    const w = t64(randomArray(24, 9), [3, 8]);
    const before = wt.memory().tensors;
    const [value, g] = wt.valueAndGrad((t: wt.Tensor) => wt.mean(wt.tanh(wt.square(wt.exp(t)))))(w);
    const h = wt.add(g, g);
    expect(wt.memory().tensors - before).toBe(3);
    [value, g, h, w].forEach((t) => t.dispose());
  });

  test('stopGradient blocks the gradient', () => {
    wt.tidy(() => {
      const g = wt.grad((x: wt.Tensor) => wt.sum(wt.mul(x, wt.stopGradient(x))))(t64([2, 3]));
      expect(Array.from(g.dataSync())).toEqual([2, 3]);
    });
  });

  test('ops that are not differentiable in x give zero gradient (argmax, comparisons)', () => {
    wt.tidy(() => {
      const g = wt.grad((x: wt.Tensor) => wt.sum(wt.mul(x, wt.greater(x, 0))))(t64([-1, 2]));
      expect(Array.from(g.dataSync())).toEqual([0, 1]);
    });
  });

  test('variables and gradients() drive a gradient-descent loop to the least-squares answer', () => {
    // Fit y = 2x - 1 on 8 points; plain gradient descent converges to w=2, b=-1.
    const xs = Array.from({ length: 8 }, (_, i) => i / 4);
    const w = wt.variable(t64([0]));
    const b = wt.variable(t64([0]));
    const x = wt.keep(t64(xs));
    const y = wt.keep(t64(xs.map((v) => 2 * v - 1)));
    for (let step = 0; step < 500; step++) {
      wt.tidy(() => {
        const loss = wt.mean(wt.square(wt.sub(wt.add(wt.mul(x, w), b), y)));
        const [gw, gb] = wt.gradients(loss, [w, b]);
        w.assign(wt.sub(w, wt.mul(gw, 0.3)));
        b.assign(wt.sub(b, wt.mul(gb, 0.3)));
      });
    }
    expectClose([w.item(), b.item()], [2, -1], 1e-9);
    [w, b, x, y].forEach((t) => t.dispose());
  });

  test('a two-layer network matches central differences', () => {
    wt.tidy(() => {
      const x = t64(randomArray(12, 1), [4, 3]);
      const w1 = t64(randomArray(15, 2), [3, 5]);
      const w2 = t64(randomArray(5, 3), [5, 1]);
      const f = (a: wt.Tensor, b: wt.Tensor) => wt.logsumexp(wt.mul(wt.sum(wt.mul(wt.tanh(wt.sum(wt.mul(wt.reshape(x, [4, 3, 1]), a), { axis: 1 })), wt.reshape(b, [5])), { axis: 1 }), 2));
      expect(wt.testing.gradcheck(f, [w1, w2])).toEqual([]);
    });
  });

  test('grad rejects non-tensor and integer arguments with E_DTYPE', () => {
    const f = wt.grad((x: wt.Tensor) => wt.sum(x));
    expect(() => f(3 as unknown as wt.Tensor)).toThrow(expect.objectContaining({ code: 'E_DTYPE' }));
    wt.tidy(() => {
      expect(() => f(wt.tensor([1, 2], undefined, { dtype: 'int32', device }))).toThrow(expect.objectContaining({ code: 'E_DTYPE' }));
    });
  });

  describe('a node with two outputs', () => {
    const x0 = randomArray(5, 11);
    const w0 = randomArray(5, 12);
    const r0 = randomArray(5, 13);
    const ref = (x: number[], w: number[]) => ({
      a: x.reduce((acc, xi, i) => acc + Math.sin(xi) * w[i], 0),
      b: x.map(Math.exp),
    });

    test('values, and gradients accumulated from both outputs match central differences', () => {
      wt.tidy(() => {
        const x = t64(x0);
        const w = t64(w0);
        const r = t64(r0);
        const [a, b] = sinDotAndExp(x, w);
        const want = ref(Array.from(x0), Array.from(w0));
        expectClose([a.item()], [want.a], 1e-14, 1e-14);
        expectClose(b.dataSync(), want.b, 0, 1e-15);
        const both = (xt: wt.Tensor, wt_: wt.Tensor) => {
          const [av, bv] = sinDotAndExp(xt, wt_);
          return wt.add(wt.square(av), wt.sum(wt.mul(bv, r)));
        };
        // Analytic: d/dx = 2a·cos(x)·w + r·exp(x), d/dw = 2a·sin(x).
        const [gx, gw] = wt.grad(both, { argnums: [0, 1] })(x, w);
        expectClose(gx.dataSync(), Array.from(x0, (xi, i) => 2 * want.a * Math.cos(xi) * w0[i] + r0[i] * Math.exp(xi)), 1e-13, 1e-13);
        expectClose(gw.dataSync(), Array.from(x0, (xi) => 2 * want.a * Math.sin(xi)), 1e-13, 1e-13);
        expect(wt.testing.gradcheck(both, [x, w])).toEqual([]);
        // One output without a cotangent (null for the other), either way round.
        expect(wt.testing.gradcheck((xt, wt_) => sinDotAndExp(xt, wt_)[0], [x, w])).toEqual([]);
        expect(wt.testing.gradcheck((xt, wt_) => wt.sum(wt.mul(sinDotAndExp(xt, wt_)[1], r)), [x, w])).toEqual([]);
      });
    });

    test('its backward is differentiable: gradgradcheck passes', () => {
      wt.tidy(() => {
        const r = t64(r0);
        const f = (xt: wt.Tensor, wt_: wt.Tensor) => {
          const [av, bv] = sinDotAndExp(xt, wt_);
          return wt.add(wt.mul(av, av), wt.sum(wt.mul(wt.square(bv), r)));
        };
        expect(wt.testing.gradgradcheck(f, [t64(x0), t64(w0)])).toEqual([]);
      });
    });

    test('the saved list lives as long as the node and is freed with its last output', () => {
      const v = wt.variable(t64(x0));
      const w = t64(w0);
      const before = wt.memory().tensors;
      const [a, b] = sinDotAndExp(v, w);
      // a and b, the saved aliases of x, w, b and cos(x), and the cos node's saved x.
      expect(wt.memory().tensors - before).toBe(7);
      a.dispose();
      expect(wt.memory().tensors - before).toBe(6);
      b.dispose();
      expect(wt.memory().tensors).toBe(before);
      [v, w].forEach((t) => t.dispose());
    });
  });

  test('a node keeps alive only what its gradient declares', () => {
    const v = wt.variable(t64([0.5, -1]));
    const c = t64([2, 3]);
    const before = wt.memory().tensors;
    const sum = wt.add(v, c); // saves nothing: shapes only
    expect(wt.memory().tensors - before).toBe(1);
    const y = wt.tanh(v); // saves its output, not its input
    expect(wt.memory().tensors - before).toBe(3);
    const p = wt.mul(v, c); // saves both inputs
    expect(wt.memory().tensors - before).toBe(6);
    [sum, y, p].forEach((t) => t.dispose());
    expect(wt.memory().tensors).toBe(before);
    [v, c].forEach((t) => t.dispose());
  });

  test('an op whose backward is not differentiable gives first-order gradients and refuses a second backward', () => {
    wt.tidy(() => {
      const x = t64([0.5, -2]);
      const f = (t: wt.Tensor) => wt.sum(cubeOnce(t));
      expectClose(wt.grad(f)(x).dataSync(), [0.75, 12], 1e-15);
      const gradOfGrad = () => wt.grad((t: wt.Tensor) => wt.sum(wt.grad(f)(t)))(x);
      expect(gradOfGrad).toThrow(expect.objectContaining({ code: 'E_RANGE', message: expect.stringContaining('testCubeOnce') }));
      expect(() => wt.hvp(f)(x, t64([1, 1]))).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
      // Nested, but not differentiated through the refusing backward: allowed.
      const g = wt.grad((t: wt.Tensor) => wt.add(wt.sum(wt.square(t)), wt.sum(wt.stopGradient(wt.grad(f)(t)))))(x);
      expectClose(g.dataSync(), [1, -4], 1e-15);
    });
  });

  test('record refuses a node whose outputs do not match its gradient', () => {
    wt.tidy(() => {
      const v = wt.variable(t64([1]));
      expect(() => record('testSinDotAndExp', [v, v], [wt.ones([1])], { saved: [v] })).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
      v.dispose();
    });
  });

  test("an op with any number of outputs (splitAlong): each piece's gradient lands in its place, zeros where a piece has none", () => {
    wt.tidy(() => {
      const x0 = randomArray(2 * 9, 41);
      const x = t64(x0, [2, 9]);
      const col = (k: number) => k % 9;
      // Three pieces [2, 3, 4] along axis 1: sum(2·p0) + sum(p2²), the middle piece unused.
      const f = (t: wt.Tensor) => {
        const [p0, , p2] = splitAlong(t, 1, [2, 3, 4]);
        return wt.add(wt.sum(wt.mul(p0, 2)), wt.sum(wt.square(p2)));
      };
      expect(Array.from(wt.grad(f)(x).dataSync())).toEqual(Array.from(x0, (v, k) => (col(k) < 2 ? 2 : col(k) < 5 ? 0 : 2 * v)));
      // One piece, and one per element, on axis 0.
      expect(Array.from(wt.grad((t: wt.Tensor) => wt.sum(wt.square(splitAlong(t, 0, [2])[0])))(x).dataSync())).toEqual(Array.from(x0, (v) => 2 * v));
      const rows = (t: wt.Tensor) => splitAlong(wt.reshape(t, [18]), 0, new Array(18).fill(1));
      expect(Array.from(wt.grad((t: wt.Tensor) => wt.mul(rows(t)[17], rows(t)[3]))(x).dataSync())).toEqual(
        Array.from(x0, (_, k) => (k === 3 ? x0[17] : k === 17 ? x0[3] : 0)),
      );
      expect(() => splitAlong(x, 1, [2, 3])).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    });
    expect(() => wt.defineGradient('testAnySaving', { outputs: 'any', outputsToSave: [0], grad: () => [] })).toThrow(
      expect.objectContaining({ code: 'E_RANGE', message: expect.stringContaining("'any' outputs") }),
    );
  });

  test('the gradient registry covers every differentiable op of the facade', () => {
    const ops = wt.differentiableOps();
    for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg', 'abs', 'square', 'sqrt', 'exp', 'log',
      'log1p', 'expm1', 'sigmoid', 'tanh', 'relu', 'softplus', 'sin', 'cos', 'clamp', 'where', 'sum', 'mean', 'max', 'min',
      'prod', 'logsumexp', 'norm']) {
      expect(ops).toContain(op);
    }
  });
});
