// The wavelet API's descriptions and length helpers against pywt's formulas and documented values,
// and bad input: every refusal a WavetapeError with the right code, naming the public function and
// the argument.
import * as wt from '../lib';
import { expectCode } from './ndref';
import { maxLevelRef } from './wavelet_reference';
import { WAVELET_TABLE } from '../lib/wavelets/filters';

const x64 = (n: number) => wt.tensor(Float64Array.from({ length: n }, (_, i) => Math.cos(i)), [n], { dtype: 'float64' });

describe('wt.wavelet and the names', () => {
  it('describes every wavelet with its filters as the table holds them and its lifting factorisation', () => {
    for (const name of Object.keys(WAVELET_TABLE)) {
      const info = wt.wavelet(name);
      const row = WAVELET_TABLE[name];
      expect(info.name).toBe(name);
      expect([info.decLo, info.decHi, info.recLo, info.recHi]).toEqual([row.decLo, row.decHi, row.recLo, row.recHi]);
      expect(info.filterLength).toBe(row.decLo.length);
      expect(info.lifting.scale).toBe(row.lifting.scale);
      expect(info.lifting.steps.length).toBe(row.lifting.steps.length);
    }
  });
  it('aliases and case: cdf53 is bior2.2, cdf97 is bior4.4 with the JPEG 2000 steps', () => {
    expect(wt.wavelet('cdf53').name).toBe('bior2.2');
    expect(wt.wavelet('CDF97').name).toBe('bior4.4');
    const alpha = wt.wavelet('cdf97').lifting.steps[0].coeffs[0];
    expect(alpha).toBeCloseTo(-1.586134342059924, 14);
    expect(wt.waveletNames()).toEqual(expect.arrayContaining(['haar', 'db10', 'sym10', 'coif5', 'bior6.8', 'rbio3.9', 'cdf53', 'cdf97']));
  });
  it('an unknown name lists the nearest known names', () => {
    expectCode(() => wt.wavelet('db42'), 'E_RANGE', /^wavelet: .*unknown wavelet 'db42'.*'db4'/);
    expectCode(() => wt.dwt(x64(8), 'sym'), 'E_RANGE', /^dwt: .*unknown wavelet 'sym'; nearest known names: /);
    expectCode(() => wt.wavedec(x64(8), 42 as never), 'E_RANGE', /^wavedec: argument 'wavelet'/);
    for (const name of ['__proto__', 'constructor', 'toString']) expectCode(() => wt.dwt(x64(8), name), 'E_RANGE', /unknown wavelet/);
  });
});

describe("pywt's length helpers", () => {
  it('dwtMaxLevel = floor(log2(n / (L − 1))), 0 below L − 1; names, filter lengths', () => {
    expect(wt.dwtMaxLevel(1000, 'sym5')).toBe(6); // pywt's docstring
    expect(wt.dwtMaxLevel(1000, 10)).toBe(6);
    for (const n of [0, 1, 2, 3, 7, 8, 9, 100, 1000, 4096])
      for (const name of ['haar', 'db4', 'coif5', 'bior6.8']) expect(wt.dwtMaxLevel(n, name)).toBe(maxLevelRef(n, WAVELET_TABLE[name].decLo.length));
  });
  it('dwtCoeffLength: floor((n + L − 1)/2), ceil(n/2) in periodization; default mode symmetric', () => {
    for (const n of [1, 2, 3, 7, 8, 1000])
      for (const L of [1, 2, 5, 6, 20]) {
        expect(wt.dwtCoeffLength(n, L, 'zero')).toBe(Math.floor((n + L - 1) / 2));
        expect(wt.dwtCoeffLength(n, L, 'periodization')).toBe(Math.ceil(n / 2));
        expect(wt.dwtCoeffLength(n, L)).toBe(Math.floor((n + L - 1) / 2));
      }
    expect(wt.dwtCoeffLength(7, 'db3', 'smooth')).toBe(6);
    for (const name of ['db2', 'bior3.3']) expect(wt.dwt(x64(11), name)[0].shape[0]).toBe(wt.dwtCoeffLength(11, name));
  });
  it('bad lengths and filter lengths are E_RANGE', () => {
    expectCode(() => wt.dwtMaxLevel(-1, 'db2'), 'E_RANGE', /^dwtMaxLevel: argument 'n'/);
    expectCode(() => wt.dwtMaxLevel(10, 1), 'E_RANGE', /^dwtMaxLevel: argument 'wavelet'/);
    expectCode(() => wt.dwtCoeffLength(0, 'db2'), 'E_RANGE', /^dwtCoeffLength: argument 'n'/);
    expectCode(() => wt.dwtCoeffLength(8, 2.5), 'E_RANGE', /argument 'wavelet'/);
    expectCode(() => wt.dwtCoeffLength(8, 'db2', 'per' as never), 'E_RANGE', /argument 'mode'.*'periodization'/);
  });
});

describe('bad input', () => {
  const a4 = () => wt.dwt(x64(8), 'db2', { mode: 'periodization' });
  it('data: not a tensor, wrong dtype, scalar, empty axis', () => {
    expectCode(() => wt.dwt([1, 2] as never, 'db2'), 'E_DTYPE', /^dwt: argument 'x' must be a Tensor/);
    expectCode(() => wt.dwt(wt.tensor([1, 2], [2], { dtype: 'int32' }), 'db2'), 'E_DTYPE', /float32 or float64/);
    expectCode(() => wt.dwt(wt.zeros([2], { dtype: 'complex64' }), 'db2'), 'E_DTYPE');
    expectCode(() => wt.dwt(wt.tensor(1, [], { dtype: 'float64' }), 'db2'), 'E_SHAPE', /scalar/);
    expectCode(() => wt.dwt(wt.zeros([2, 0], { dtype: 'float64' }), 'db2'), 'E_SHAPE', /length 0/);
    expectCode(() => wt.swt(wt.zeros([0], { dtype: 'float64' }), 'db2'), 'E_SHAPE');
  });
  it('options: unknown mode, unknown option, axis out of range, bad level', () => {
    expectCode(() => wt.dwt(x64(8), 'db2', { mode: 'sym' as never }), 'E_RANGE', /^dwt: argument 'mode' must be 'zero', /);
    expectCode(() => wt.dwt(x64(8), 'db2', { levels: 2 } as never), 'E_RANGE', /unknown option 'levels'/);
    expectCode(() => wt.dwt(x64(8), 'db2', { axis: 1 }), 'E_RANGE', /argument 'axis'/);
    expectCode(() => wt.wavedec(x64(8), 'db2', { level: -1 }), 'E_RANGE', /^wavedec: argument 'level'/);
    expectCode(() => wt.wavedec(x64(8), 'db2', { level: 1.5 }), 'E_RANGE', /argument 'level'/);
    expectCode(() => wt.wavedec(x64(8), 'db2', { level: 65 }), 'E_RANGE', /argument 'level'/);
    expectCode(() => wt.swt(x64(8), 'db2', { level: 0 }), 'E_RANGE', /^swt: argument 'level'/);
    expectCode(() => wt.wavedec2(wt.zeros([4, 4], { dtype: 'float64' }), 'db2', { axes: [0, 0] }), 'E_SHAPE', /repeats an axis/);
    expectCode(() => wt.dwt2(x64(8), 'db2'), 'E_SHAPE', /at least two axes/);
  });
  it('coefficients whose lengths do not fit are E_SHAPE', () => {
    const [cA, cD] = a4();
    expectCode(() => wt.idwt(cA, wt.zeros([3], { dtype: 'float64' }), 'db2'), 'E_SHAPE', /^idwt: arguments 'cA' \[4\] and 'cD' \[3\]/);
    expectCode(() => wt.idwt(null, null, 'db2'), 'E_RANGE', /both null/);
    expectCode(() => wt.idwt(cA, wt.zeros([4], { dtype: 'float32' }), 'db2'), 'E_DTYPE');
    // Expansive modes need N ≥ L/2 coefficients (pywt's "Invalid coefficient arrays length").
    expectCode(() => wt.idwt(wt.zeros([2], { dtype: 'float64' }), wt.zeros([2], { dtype: 'float64' }), 'db4', { mode: 'symmetric' }), 'E_SHAPE', /at least 4/);
    const coeffs = wt.wavedec(x64(17), 'db2', { level: 2 });
    expectCode(() => wt.waverec([coeffs[0], coeffs[2]], 'db2'), 'E_SHAPE', /^waverec: coefficients 1/);
    expectCode(() => wt.waverec([coeffs[0], wt.zeros([2, coeffs[1].shape[0]], { dtype: 'float64' })], 'db2'), 'E_SHAPE');
    expectCode(() => wt.waverec([], 'db2'), 'E_SHAPE', /^waverec: argument 'coeffs'/);
    expectCode(() => wt.waverec(coeffs, 'db2', { n: 100 }), 'E_RANGE', /^waverec: argument 'n'/);
    expectCode(() => wt.idwt(cA, cD, 'db2', { mode: 'periodization', n: 0 }), 'E_RANGE', /argument 'n'/);
    expectCode(() => wt.swt(x64(12), 'db2', { level: 3 }), 'E_SHAPE', /^swt: .*length 12.*2\^3/);
    expectCode(() => wt.swt(x64(7), 'db2'), 'E_SHAPE');
    const s = wt.swt(x64(8), 'db2', { level: 2 });
    expectCode(() => wt.iswt([s[0], [s[1][0], wt.zeros([4], { dtype: 'float64' })]], 'db2'), 'E_SHAPE', /^iswt: argument 'coeffs\[1\]\[1\]'/);
    expectCode(() => wt.iswt([[s[0][0]]] as never, 'db2'), 'E_SHAPE', /pair/);
    expectCode(() => wt.iswt(wt.swt(x64(4), 'db2', { level: 2 }).concat(wt.swt(x64(4), 'db2', { level: 1 })), 'db2'), 'E_SHAPE', /2\^3/);
    const [a2, d2] = wt.dwt2(wt.zeros([4, 4], { dtype: 'float64' }), 'haar');
    expectCode(() => wt.idwt2([a2, [d2[0], wt.zeros([3, 2], { dtype: 'float64' }), d2[2]]], 'haar'), 'E_SHAPE', /one shape/);
    expectCode(() => wt.idwt2([a2, d2.slice(0, 2)] as never, 'haar'), 'E_SHAPE', /triple/);
    expectCode(() => wt.idwt2([null, [null, null, null]], 'haar'), 'E_RANGE', /no tensor/);
    expectCode(() => wt.waverec2([a2, [wt.zeros([5, 5], { dtype: 'float64' }), null, null]], 'haar'), 'E_SHAPE', /^waverec2: coefficients 1/);
  });
});
