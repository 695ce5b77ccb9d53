// Separation metrics (lib/metrics/separation.ts) against values computed by hand: SI-SDR of
// orthogonal target/noise mixtures, BSS-eval's SDR/SIR/SAR for a known decomposition, leakage
// and transform-domain SIR of pure DC / Nyquist sources, the trust-region fraction; gradcheck of
// SI-SDR; bad input; on every device.
import * as wt from '../lib';
import { siSdr, bssEval, crossSourceLeakage, transformDomainSir, trustRegionFraction } from '../lib/metrics/separation';
import { testDevices } from './helpers';
import { T, values, expectCode } from './ndref';

const devices = testDevices();
const db = (x: number) => 10 * Math.log10(x);

describe.each(devices)('separation metrics on %s', (device) => {
  const r = [1, -1, 1, -1];
  const n = [1, 1, -1, -1];

  test('SI-SDR: 0 dB for equal target and noise energy, 20·log10(4) for 2r + n/2, scale invariant, batched', () => {
    wt.tidy(() => {
      const e1 = r.map((v, i) => v + n[i]);
      const e2 = r.map((v, i) => 2 * v + 0.5 * n[i]);
      const got = values(siSdr(T([...e1, ...e2], [2, 4], device), T([...r, ...r], [2, 4], device)));
      expect(got[0]).toBeCloseTo(0, 12);
      expect(got[1]).toBeCloseTo(db(16), 12);
      expect(values(siSdr(T(e2.map((v) => 3 * v), [4], device), T(r, [4], device)))[0]).toBeCloseTo(db(16), 12);
      // zeroMean: an offset is ignored; without it, the offset is noise.
      const offset = e2.map((v) => v + 5);
      expect(values(siSdr(T(offset, [4], device), T(r, [4], device)))[0]).toBeCloseTo(db(16), 12);
      expect(values(siSdr(T(offset, [4], device), T(r, [4], device), { zeroMean: false }))[0]).toBeCloseTo(db(16 / (1 + 100)), 10);
      // Along axis 0.
      expect(values(siSdr(T(e2, [4, 1], device), T(r, [4, 1], device), { axis: 0 }))[0]).toBeCloseTo(db(16), 12);
    });
  });

  test('SI-SDR gradcheck (float64)', () => {
    wt.tidy(() => {
      const est = T([0.3, -0.7, 1.1, 0.2, -0.4, 0.9], [6], device);
      const ref = T([0.5, -0.2, 0.8, 0.1, -0.9, 0.4], [6], device);
      expect(wt.testing.gradcheck((a, b) => wt.sum(siSdr(a, b)), [est, ref])).toEqual([]);
    });
  });

  test('bssEval: ŝ₁ = s₁ + s₂/2 + a (a ⟂ both) gives SIR 10·log10 4, SAR 10·log10(5/0.16), SDR 10·log10(4/1.16)', () => {
    wt.tidy(() => {
      const s1 = [1, 1, 1, 1];
      const s2 = r;
      const a = n.map((v) => 0.2 * v);
      const est1 = s1.map((v, i) => v + 0.5 * s2[i] + a[i]);
      const res = bssEval(T([...est1, ...s2], [2, 4], device), T([...s1, ...s2], [2, 4], device));
      expect(res.sir[0]).toBeCloseTo(db(4), 10);
      expect(res.sar[0]).toBeCloseTo(db(5 / 0.16), 10);
      expect(res.sdr[0]).toBeCloseTo(db(4 / 1.16), 10);
      expect(res.sdr[1]).toBe(Infinity); // a perfect estimate
      expectCode(() => bssEval(T([...s1, ...s1], [2, 4], device), T([...s1, ...s1], [2, 4], device)), 'E_RANGE', /linearly dependent/);
    });
  });

  test('leakage and transform-domain SIR of a DC and a Nyquist source', () => {
    wt.tidy(() => {
      const sources = T([1, 1, 1, 1, ...r], [2, 4], device);
      const masks = T([1, 0.5, 0.2, 0.1, 0.5, 0.9], [2, 3], device);
      const L = values(crossSourceLeakage(sources, masks));
      [1, 0.01, 0.04, 0.81].forEach((v, i) => expect(L[i]).toBeCloseTo(v, 12));
      const sir = values(transformDomainSir(sources, masks));
      expect(sir[0]).toBeCloseTo(db(25), 10);
      expect(sir[1]).toBeCloseTo(db(81), 10);
      // DCT: [1, 1, 1, 1] is DCT basis 0; masks over 4 coefficients.
      const Ld = values(crossSourceLeakage(T([1, 1, 1, 1, 1, 1, 1, 1], [2, 4], device), T([1, 0, 0, 0, 0.5, 1, 1, 1], [2, 4], device), { transform: 'dct' }));
      [1, 0.25, 1, 0.25].forEach((v, i) => expect(Ld[i]).toBeCloseTo(v, 12));
    });
  });

  test('trustRegionFraction counts the steps within Δ', () => {
    const history = [
      { p: [0.5, 0.5], delta: 0.1 },
      { p: [0.45, 0.45], delta: 0.1 }, // ‖step‖ = 0.0707 ≤ 0.1
      { p: [0.3, 0.45], delta: 0.1 }, // 0.15 > 0.1
      { p: [0.3, 0.35], delta: 0.1 }, // 0.1 ≤ 0.1
    ];
    expect(trustRegionFraction(history)).toBeCloseTo(2 / 3, 15);
    expect(trustRegionFraction(history, { pInit: [0.5, 0.7] })).toBeCloseTo(2 / 4, 15); // 0.2 > 0.1
    expect(trustRegionFraction([])).toBeNaN();
    expectCode(() => trustRegionFraction([{ p: [1], delta: 1 }, { p: [1, 2], delta: 1 }]), 'E_SHAPE', /metrics\.trustRegionFraction: step 1/);
    expectCode(() => trustRegionFraction(3 as never), 'E_RANGE', /argument 'history'/);
  });

  test('bad input', () => {
    wt.tidy(() => {
      expectCode(() => siSdr(wt.zeros([4], { device }), wt.zeros([5], { device })), 'E_SHAPE', /metrics\.siSdr: arguments 'estimate' \[4\] and 'reference' \[5\]/);
      expectCode(() => siSdr(wt.zeros([4], { device }), wt.zeros([4], { dtype: 'float64', device })), 'E_DTYPE', /metrics\.siSdr/);
      expectCode(() => bssEval(wt.zeros([4], { device }), wt.zeros([4], { device })), 'E_SHAPE', /metrics\.bssEval/);
      expectCode(() => crossSourceLeakage(wt.zeros([2, 4], { device }), wt.zeros([2, 4], { device })), 'E_SHAPE', /metrics\.crossSourceLeakage: argument 'masks' must be \[2, 3\]/);
      expectCode(() => transformDomainSir(wt.zeros([2, 4], { device }), wt.zeros([2, 3], { device }), { transform: 'dwt' as never }), 'E_RANGE', /argument 'transform'/);
    });
  });
});
