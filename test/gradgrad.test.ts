// Second-order gradients of every differentiable op: one case per name in wt.differentiableOps()
// (the suite fails when an op is registered without a case), each checked to really record that
// op on the tape and to pass gradgradcheck (the tape's H·v against central differences of its
// first gradient, float64).
import * as wt from '../lib';
import { tapeOps } from '../lib/autograd';
import { randomArray, testDevices } from './helpers';
// The wavelet family.
import { liftingWavedec, liftingWaverec } from '../lib/ops/wavelet_native';
import { liftingFactorisation } from '../lib/wavelets/lifting';
import { splitAlong } from '../lib/ops/layout';

type Fn = (...xs: wt.Tensor[]) => wt.Tensor;
interface Case {
  /** Input shapes, and the range the values are drawn from (kept away from kinks and poles). */
  inputs: [number[], number, number][];
  f: Fn;
}

const S = wt.sum;
const otherDevice = (device: string) => (device === 'cpu' ? (wt.devices().includes('simt') ? 'simt' : 'cpu') : 'cpu');
const z = (a: wt.Tensor, b: wt.Tensor) => wt.complex(a, b);
const pos: [number[], number, number] = [[2, 3], 0.5, 2];
const any: [number[], number, number] = [[2, 3], -1, 1];

function cases(device: string): Record<string, Case> {
  const compare = (op: (a: wt.Tensor, b: wt.Tensor) => wt.Tensor): Case => ({
    inputs: [any, any],
    f: (a, b) => S(wt.mul(op(a, b), wt.sin(wt.mul(a, b)))),
  });
  const sliceCase: Case = { inputs: [[[3, 4], -1, 1]], f: (x) => S(wt.sin(wt.mul(wt.sliceAxes(x, [[0, 3, 2], [null, null, -1]]), x.size))) };
  // The wavelet family.
  const db2 = liftingFactorisation('db2');
  const waveletAnalysisCase: Case = {
    inputs: [[[2, 7], -1, 1]],
    f: (x) => S(wt.sin(wt.concat(liftingWavedec(x, db2, 4, 'symmetric', 2, 'wavedec'), 1))),
  };
  const waveletSynthesisCase: Case = {
    inputs: [[[2, 5], -1, 1], [[2, 5], -1, 1]],
    f: (a, d) => S(wt.sin(liftingWaverec([a, d], db2, 4, 'smooth', 'waverec'))),
  };
  return {
    add: { inputs: [any, [[3], -1, 1]], f: (a, b) => S(wt.sin(wt.add(wt.square(a), b))) },
    sub: { inputs: [any, [[3], -1, 1]], f: (a, b) => S(wt.exp(wt.sub(a, wt.mul(b, a)))) },
    mul: { inputs: [any, [[3], -1, 1]], f: (a, b) => S(wt.sin(wt.mul(a, b))) },
    div: { inputs: [any, [[3], 0.5, 2]], f: (a, b) => S(wt.div(wt.square(a), b)) },
    pow: { inputs: [pos, [[3], -1, 2]], f: (a, b) => S(wt.pow(a, b)) },
    powScalar: { inputs: [pos], f: (x) => S(wt.pow(x, 2.5)) },
    maximum: { inputs: [any, [[2, 3], -1, 1]], f: (a, b) => S(wt.square(wt.mul(wt.maximum(a, b), a))) },
    minimum: { inputs: [any, [[2, 3], -1, 1]], f: (a, b) => S(wt.square(wt.mul(wt.minimum(a, b), b))) },
    equal: { inputs: [any], f: (x) => S(wt.mul(wt.equal(x, wt.flip(x)), wt.sin(x))) },
    notEqual: compare(wt.notEqual),
    less: compare(wt.less),
    lessEqual: compare(wt.lessEqual),
    greater: compare(wt.greater),
    greaterEqual: compare(wt.greaterEqual),
    neg: { inputs: [any], f: (x) => S(wt.exp(wt.neg(wt.square(x)))) },
    abs: { inputs: [any, pos], f: (a, b) => wt.add(S(wt.mul(wt.abs(a), a)), S(wt.exp(wt.abs(z(a, b))))) },
    square: { inputs: [any], f: (x) => S(wt.square(wt.square(x))) },
    sqrt: { inputs: [pos], f: (x) => S(wt.sqrt(x)) },
    exp: { inputs: [any], f: (x) => S(wt.exp(wt.mul(x, x))) },
    log: { inputs: [pos], f: (x) => S(wt.log(x)) },
    log1p: { inputs: [pos], f: (x) => S(wt.log1p(x)) },
    expm1: { inputs: [any], f: (x) => S(wt.expm1(wt.mul(x, 2))) },
    sigmoid: { inputs: [any], f: (x) => S(wt.sigmoid(wt.mul(x, 3))) },
    tanh: { inputs: [any], f: (x) => S(wt.tanh(x)) },
    relu: { inputs: [any], f: (x) => S(wt.mul(wt.relu(wt.sub(x, 0.1)), x)) },
    softplus: { inputs: [any], f: (x) => S(wt.softplus(wt.mul(x, 2))) },
    sin: { inputs: [any], f: (x) => S(wt.sin(wt.mul(x, 2))) },
    cos: { inputs: [any], f: (x) => S(wt.cos(wt.mul(x, 2))) },
    sign: { inputs: [any], f: (x) => S(wt.mul(wt.sign(x), wt.square(x))) },
    reciprocal: { inputs: [pos], f: (x) => S(wt.reciprocal(x)) },
    clamp: { inputs: [any], f: (x) => S(wt.square(wt.clamp(x, -0.5, 0.5))) },
    affine: { inputs: [any], f: (x) => S(wt.sin(wt.affine(x, 2, 0.5))) },
    where: { inputs: [any, any], f: (a, b) => S(wt.sin(wt.where(wt.greater(a, 0), wt.mul(a, b), wt.square(b)))) },
    conj: { inputs: [any, any], f: (a, b) => S(wt.real(wt.mul(wt.conj(z(a, b)), wt.square(z(b, a))))) },
    complex: { inputs: [any, [[3], -1, 1]], f: (a, b) => S(wt.abs2(wt.square(z(a, b)))) },
    real: { inputs: [any, any], f: (a, b) => S(wt.sin(wt.real(wt.square(z(a, b))))) },
    imag: { inputs: [any, any], f: (a, b) => S(wt.sin(wt.imag(wt.square(z(a, b))))) },
    abs2: { inputs: [any, any], f: (a, b) => wt.add(S(wt.square(wt.abs2(z(a, b)))), S(wt.exp(wt.abs2(a)))) },
    angle: { inputs: [pos, any], f: (a, b) => S(wt.square(wt.angle(z(a, b)))) },
    sum: { inputs: [any], f: (x) => S(wt.tanh(wt.sum(x, { axis: 1 }))) },
    mean: { inputs: [any], f: (x) => wt.square(wt.mean(x)) },
    max: { inputs: [any], f: (x) => S(wt.square(wt.max(x, { axis: 1, keepdims: true }))) },
    min: { inputs: [any], f: (x) => S(wt.exp(wt.min(x, { axis: 0 }))) },
    prod: { inputs: [pos], f: (x) => S(wt.sin(wt.prod(x, { axis: 1 }))) },
    logsumexp: { inputs: [any], f: (x) => S(wt.logsumexp(x, { axis: 1 })) },
    norm: { inputs: [any], f: (x) => S(wt.norm(x, { axis: 0 })) },
    reshape: { inputs: [any], f: (x) => S(wt.mul(wt.sin(wt.reshape(x, [3, 2])), wt.reshape(x, [3, 2]))) },
    transpose: { inputs: [[[2, 3, 2], -1, 1]], f: (x) => S(wt.sin(wt.mul(wt.transpose(x, [2, 0, 1]), wt.arange(1, 4, 1, { dtype: 'float64', device })))) },
    broadcastTo: { inputs: [[[3], -1, 1]], f: (x) => S(wt.sin(wt.mul(wt.broadcastTo(x, [2, 3]), wt.reshape(wt.arange(0, 6, 1, { dtype: 'float64', device }), [2, 3])))) },
    slice: sliceCase,
    unslice: sliceCase,
    // Pieces 0 and 2 of three: the middle one's gradient is the zeros the split fills in.
    split: {
      inputs: [[[2, 6], -1, 1]],
      f: (x) => {
        const [a, , c] = splitAlong(x, 1, [2, 1, 3]);
        return S(wt.sin(wt.mul(wt.concat([a, c], 1), wt.concat([c, a], 1))));
      },
    },
    concat: { inputs: [any, [[1, 3], -1, 1]], f: (a, b) => S(wt.sin(wt.mul(wt.concat([a, wt.square(b)], 0), 2))) },
    pad: { inputs: [any], f: (x) => S(wt.cos(wt.mul(wt.pad(x, [[1, 0], [0, 2]], 0.5), 2))) },
    roll: { inputs: [any], f: (x) => S(wt.mul(wt.sin(wt.roll(x, [1, 2], [0, 1])), x)) },
    gather: { inputs: [any], f: (x) => S(wt.sin(wt.mul(wt.gather(x, [2, 0, 2, 1], 1), 2))) },
    scatterAdd: { inputs: [[[3, 2], -1, 1]], f: (x) => S(wt.sin(wt.mul(wt.scatterAdd(x, [0, 2, 0], 0, 4), 2))) },
    cast: { inputs: [any], f: (x) => S(wt.abs2(wt.square(wt.cast(x, 'complex128')))) },
    to: { inputs: [any], f: (x) => S(wt.sin(wt.mul(wt.to(x, otherDevice(device)), 2))) },
    contiguous: { inputs: [any], f: (x) => S(wt.sin(wt.mul(wt.contiguous(wt.transpose(x)), 2))) },
    identity: { inputs: [any], f: (x) => S(wt.sin(wt.mul(wt.concat([x]), 2))) },
    matmul: { inputs: [[[2, 2, 3], -1, 1], [[3, 2], -1, 1]], f: (a, b) => S(wt.sin(wt.matmul(a, b))) },
    fft: { inputs: [[[2, 5], -1, 1], [[2, 5], -1, 1]], f: (a, b) => S(wt.sin(wt.real(wt.fft(z(a, b), { n: 6 })))) },
    rfft: { inputs: [[[2, 5], -1, 1]], f: (x) => S(wt.square(wt.abs2(wt.rfft(x, { n: 7, norm: 'ortho' })))) },
    irfft: { inputs: [[[2, 4], -1, 1], [[2, 4], -1, 1]], f: (a, b) => S(wt.sin(wt.irfft(z(a, b), { n: 7 }))) },
    // The wavelet family (lib/ops/wavelet_native.ts): each op's gradient is its adjoint, so one case
    // puts both ops of a pair on the tapes.
    waveletAnalysis: waveletAnalysisCase,
    waveletAnalysisAdjoint: waveletAnalysisCase,
    waveletSynthesis: waveletSynthesisCase,
    waveletSynthesisAdjoint: waveletSynthesisCase,
    // ---- nn family (issue 14) ----
    eigh: {
      inputs: [[[3, 3], -1, 1]],
      f: (a) => {
        const { eigenvalues, eigenvectors } = wt.linalg.eigh(a);
        return wt.add(S(wt.sin(eigenvalues)), S(wt.mul(wt.square(eigenvectors), wt.reshape(wt.arange(1, 10, 1, { dtype: 'float64', device }), [3, 3]))));
      },
    },
  };
}

describe.each(testDevices())('second-order gradients on %s', (device) => {
  const table = cases(device);

  test('every differentiable op has a case', () => {
    expect([...Object.keys(table), ...Object.keys(onceDifferentiableCases(device))].sort()).toEqual(wt.differentiableOps());
  });

  test.each(Object.keys(table))('%s: recorded on the tape, and H·v matches central differences of the gradient', (op) => {
    const { inputs, f } = table[op];
    wt.tidy(() => {
      const xs = inputs.map(([shape, lo, hi], i) => {
        const n = shape.reduce((a, b) => a * b, 1);
        return wt.tensor(randomArray(n, 100 + i, lo, hi), shape, { dtype: 'float64', device });
      });
      // The op is on the tape of f or of its first gradient (taped under an outer transform).
      const seen = new Set<string>();
      const argnums = xs.map((_, i) => i);
      wt.grad(
        (...ts: wt.Tensor[]) => {
          const y = f(...ts);
          tapeOps(y).forEach((o) => seen.add(o));
          for (const g of wt.grad(f, { argnums })(...ts) as wt.Tensor[]) tapeOps(g).forEach((o) => seen.add(o));
          return y;
        },
        { argnums },
      )(...xs);
      expect([...seen]).toContain(op);
      expect(wt.testing.gradgradcheck(f, xs)).toEqual([]);
    });
  });
});

// soft-DTW family (issue 12): its ops have native backward kernels (onceDifferentiable), so each
// case checks the op is on the tape, passes first-order gradcheck, and refuses a second-order
// gradient with E_RANGE naming the op instead of returning a wrong value.
function onceDifferentiableCases(device: string): Record<string, Case> {
  const pairs = () => wt.tensor(new Int32Array([0, 1, 1, 0, 1, 1]), [3, 2], { dtype: 'int32', device });
  return {
    sdtwPairs: { inputs: [[[2, 4, 2], -1, 1], [[2, 5, 2], -1, 1]], f: (a, b) => S(wt.sin(wt.softDtwPairs(a, b, pairs(), { gamma: 0.5, band: 1 }))) },
    sdtwFromCost: { inputs: [[[2, 4, 5], 0, 2]], f: (c) => S(wt.sin(wt.softDtwFromCost(c, { gamma: 0.5 }))) },
  };
}

describe.each(testDevices())('once-differentiable ops on %s', (device) => {
  const table = onceDifferentiableCases(device);
  test.each(Object.keys(table))('%s: recorded on the tape, first-order gradcheck passes, second order refuses with E_RANGE', (op) => {
    const { inputs, f } = table[op];
    wt.tidy(() => {
      const xs = inputs.map(([shape, lo, hi], i) => {
        const n = shape.reduce((a, b) => a * b, 1);
        return wt.tensor(randomArray(n, 100 + i, lo, hi), shape, { dtype: 'float64', device });
      });
      const argnums = xs.map((_, i) => i);
      const seen = new Set<string>();
      wt.grad((...ts: wt.Tensor[]) => {
        const y = f(...ts);
        tapeOps(y).forEach((o) => seen.add(o));
        return y;
      }, { argnums })(...xs);
      expect([...seen]).toContain(op);
      expect(wt.testing.gradcheck(f, xs)).toEqual([]);
      let caught: unknown;
      try {
        wt.testing.gradgradcheck(f, xs);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(wt.WavetapeError);
      expect((caught as wt.WavetapeError).code).toBe('E_RANGE');
      expect((caught as wt.WavetapeError).message).toMatch(/its gradient is not differentiable/);
    });
  });
});
