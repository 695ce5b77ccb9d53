// The tape: grad/valueAndGrad argument handling, hasAux, variables with gradients(),
// stopGradient, reuse of one tensor on several paths, and a small network's gradients against
// central differences computed here.
import * as wt from '../lib';
import { expectClose, randomArray, testDevices } from './helpers';

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

  test('the gradient registry covers every differentiable op of the facade', () => {
    const ops = wt.differentiableOps();
    for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg', 'abs', 'square', 'sqrt', 'exp', 'log',
      'log1p', 'expm1', 'sigmoid', 'tanh', 'relu', 'softplus', 'sin', 'cos', 'clamp', 'where', 'sum', 'mean', 'max', 'min',
      'prod', 'logsumexp', 'norm']) {
      expect(ops).toContain(op);
    }
  });
});
