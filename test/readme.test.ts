// The README's example, run as written (module name aside): it must train, and leave only its
// two parameters alive.
import * as wt from '../lib';

test('the README example trains a small model with valueAndGrad', () => {
  const losses: number[] = [];
  const x = wt.normal([64, 3], 0, 1, { seed: 1, dtype: 'float64' });
  const y = wt.sin(wt.sum(x, { axis: 1, keepdims: true }));
  const loss = (w: wt.Tensor, v: wt.Tensor) =>
    wt.mean(wt.square(wt.sub(wt.matmul(wt.tanh(wt.matmul(x, w)), v), y)));
  const before = wt.memory().tensors;

  let w = wt.normal([3, 8], 0, 0.5, { seed: 2, dtype: 'float64' });
  let v = wt.normal([8, 1], 0, 0.5, { seed: 3, dtype: 'float64' });
  for (let step = 0; step < 200; step++) {
    [w, v] = wt.tidy(() => {
      const [value, [dw, dv]] = wt.valueAndGrad(loss, { argnums: [0, 1] })(w, v);
      if (step % 50 === 0) losses.push(value.item());
      const next = [wt.sub(w, wt.mul(dw, 0.1)), wt.sub(v, wt.mul(dv, 0.1))];
      w.dispose(); v.dispose();
      return next;
    });
  }
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
  expect(wt.memory().tensors - before).toBe(2); // w and v
  [x, y, w, v].forEach((t) => t.dispose());
});
