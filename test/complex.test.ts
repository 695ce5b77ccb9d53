// Complex helpers (real, imag, complex, conj, abs2, angle) on every device: values against
// naive float64 references, gradients (PyTorch's convention: the gradient of a real loss w.r.t.
// z = a + ib is ∂L/∂a + i·∂L/∂b) checked by gradcheck through the real and imaginary parts,
// and invalid arguments.
import fc from 'fast-check';
import * as wt from '../lib';
import { testDevices, isKernelDevice, randomArray, expectClose } from './helpers';
import { T, values, expectCode, weights, weightedSum, expectGrad } from './ndref';

const devices = testDevices();

const loss = (y: wt.Tensor): wt.Tensor => weightedSum(y, 3);
/** Interleaved (re, im) → separate arrays. */
function split(v: number[]): [number[], number[]] {
  const re: number[] = [];
  const im: number[] = [];
  for (let i = 0; i < v.length; i += 2) {
    re.push(v[i]);
    im.push(v[i + 1]);
  }
  return [re, im];
}

describe.each(devices)('complex helpers on %s', (device) => {
  const n = isKernelDevice(device) ? 6 : 12;
  const rand = (shape: number[], seed: number, lo = -1, hi = 1) =>
    T(randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape, device);

  afterEach(() => wt.sync());

  describe.each(['complex64', 'complex128'] as const)('%s', (dtype) => {
    const real = dtype === 'complex64' ? 'float32' : 'float64';
    const tol = dtype === 'complex64' ? 2e-6 : 1e-14;
    const re = Array.from(randomArray(n, 1));
    const im = Array.from(randomArray(n, 2));
    const inter = re.flatMap((r, i) => [r, im[i]]);
    const z = () => T(inter, [n], device, dtype);
    const f = (v: number) => (dtype === 'complex64' ? Math.fround(v) : v);

    it('real, imag and complex split and join the parts', () => {
      const r = wt.real(z());
      const i = wt.imag(z());
      expect(r.dtype).toBe(real);
      expect(i.dtype).toBe(real);
      expect(values(r)).toEqual(re.map(f));
      expect(values(i)).toEqual(im.map(f));
      const back = wt.complex(r, i);
      expect(back.dtype).toBe(dtype);
      expect(values(back)).toEqual(inter.map(f));
    });
    it('conj negates the imaginary part', () => {
      expect(values(wt.conj(z()))).toEqual(re.flatMap((r, k) => [f(r), -f(im[k])]));
    });
    it('abs2 and angle match re² + im² and atan2(im, re)', () => {
      const a2 = values(wt.abs2(z()));
      const an = values(wt.angle(z()));
      expectClose(a2, re.map((r, k) => f(r) ** 2 + f(im[k]) ** 2), tol, tol);
      expectClose(an, re.map((r, k) => Math.atan2(f(im[k]), f(r))), tol, tol);
      expect(wt.abs2(z()).dtype).toBe(real);
    });
    it('works on 2-d strided inputs', () => {
      const m = T(inter.slice(0, 12), [2, 3], device, dtype);
      const mt = wt.transpose(m);
      const v = values(m);
      const [r0, i0] = split(v);
      // transpose of [2,3] → [3,2]: element (j, i) = m(i, j)
      const rt: number[] = [];
      const it2: number[] = [];
      for (let j = 0; j < 3; j++)
        for (let i = 0; i < 2; i++) {
          rt.push(r0[i * 3 + j]);
          it2.push(i0[i * 3 + j]);
        }
      expect(values(wt.real(mt))).toEqual(rt);
      expect(values(wt.imag(mt))).toEqual(it2);
    });
  });

  it('complex broadcasts and accepts numbers', () => {
    const a = T([1, 2, 3], [3], device);
    const b = T([10, 20], [2, 1], device);
    const z = wt.complex(a, b);
    expect(z.shape).toEqual([2, 3]);
    expect(values(z)).toEqual([1, 10, 2, 10, 3, 10, 1, 20, 2, 20, 3, 20]);
    expect(values(wt.complex(a, 0.5))).toEqual([1, 0.5, 2, 0.5, 3, 0.5]);
    expect(values(wt.complex(-1, a))).toEqual([-1, 1, -1, 2, -1, 3]);
  });

  it('real inputs: real and conj pass through, imag is zero, angle is 0 or π', () => {
    const x = T([1.5, -2, 0], [3], device);
    expect(values(wt.real(x))).toEqual([1.5, -2, 0]);
    expect(values(wt.conj(x))).toEqual([1.5, -2, 0]);
    expect(values(wt.imag(x))).toEqual([0, 0, 0]);
    expect(values(wt.abs2(x))).toEqual([2.25, 4, 0]);
    expect(values(wt.angle(x))).toEqual([0, Math.PI, 0]);
  });

  it('abs2(z) = real(z · conj(z)) (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 16 }), (vals) =>
        wt.tidy(() => {
          const even = vals.length - (vals.length % 2);
          const z = T(vals.slice(0, even), [even / 2], device, 'complex128');
          expectClose(values(wt.abs2(z)), values(wt.real(wt.mul(z, wt.conj(z)))), 1e-12, 1e-12);
        }),
      ),
      { numRuns: isKernelDevice(device) ? 8 : 40 },
    );
  });

  describe('gradients (through the real and imaginary parts, float64)', () => {
    const c = () => T([0.3, -0.7, 1.2, 0.4, -0.5, 0.9], [3], device, 'complex128');
    it('complex, real and imag', () => {
      expectGrad((a, b) => loss(wt.real(wt.mul(wt.complex(a, b), c()))), [rand([3], 10), rand([3], 11)]);
      expectGrad((a, b) => loss(wt.imag(wt.mul(wt.complex(a, b), c()))), [rand([3], 12), rand([3], 13)]);
      // broadcasting re and im
      expectGrad((a, b) => loss(wt.real(wt.mul(wt.complex(a, b), wt.complex(b, a)))), [rand([2, 3], 14), rand([3], 15)]);
    });
    it('conj', () => {
      expectGrad((a, b) => loss(wt.imag(wt.mul(wt.conj(wt.complex(a, b)), c()))), [rand([3], 20), rand([3], 21)]);
    });
    it('abs2', () => {
      expectGrad((a, b) => loss(wt.abs2(wt.mul(wt.complex(a, b), c()))), [rand([3], 30), rand([3], 31)]);
      expectGrad((a) => loss(wt.abs2(a)), [rand([4], 32)]);
    });
    it('angle (away from the branch cut and the origin)', () => {
      expectGrad((a, b) => loss(wt.angle(wt.complex(a, b))), [rand([4], 40, 0.2, 1), rand([4], 41)]);
      // real input: piecewise constant, zero gradient
      expectGrad((a) => wt.add(loss(wt.angle(a)), wt.sum(a)), [rand([3], 42, 0.2, 1)]);
    });
    it('follow the convention grad = ∂L/∂re + i·∂L/∂im', () => {
      // L = Σ w·Re(z·c) with z = a + ib: ∂L/∂a = w·Re c, ∂L/∂b = −w·Im c, i.e. grad z = w·conj(c).
      const cv = [0.3, -0.7, 1.2, 0.4, -0.5, 0.9];
      const w = weights(3, 3);
      const [, [ga, gb]] = wt.valueAndGrad((a: wt.Tensor, b: wt.Tensor) => loss(wt.real(wt.mul(wt.complex(a, b), c()))), {
        argnums: [0, 1],
      })(rand([3], 50), rand([3], 51));
      expectClose(values(ga), [0, 1, 2].map((k) => w[k] * cv[2 * k]), 1e-14);
      expectClose(values(gb), [0, 1, 2].map((k) => -w[k] * cv[2 * k + 1]), 1e-14);
    });
  });

  it('rejects bad arguments', () => {
    const i = T([1, 2], [2], device, 'int32');
    for (const [name, op] of [['real', wt.real], ['imag', wt.imag], ['conj', wt.conj], ['abs2', wt.abs2], ['angle', wt.angle]] as const)
      expectCode(() => op(i), 'E_DTYPE', new RegExp(`${name}.*'x'.*int32`));
    const a32 = T([1, 2], [2], device, 'float32');
    const a64 = T([1, 2], [2], device);
    expectCode(() => wt.complex(a32, a64), 'E_DTYPE', /complex.*'re'.*'im'/);
    expectCode(() => wt.complex(wt.complex(a64, a64), a64), 'E_DTYPE', /complex.*'re'.*complex128/);
    expectCode(() => wt.complex(1, 2), 'E_DTYPE', /complex/);
    expectCode(() => wt.complex(a64, T([1, 2, 3], [3], device)), 'E_SHAPE', /complex/);
    expectCode(() => wt.real(null as unknown as wt.Tensor), 'E_DTYPE', /real.*'x'/);
  });
});
